// Tests of the stored document and the value-slot encoding of fields
// (core/index_layout.h): round trips, exact offsets, named faults.

#include "core/index_layout.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <xapian.h>

#include "core/analyzer.h"
#include "core/body_compression.h"
#include "core/field_schema.h"

namespace policy {
namespace {

TEST(StoredDocumentTest, RoundTripsOffsetsAndMetadata) {
  StoredDocument d;
  d.id = "x";
  d.title = "T";
  d.source = "s";
  d.metadata = {{"year", 2016}, {"organisation", {"A", "B"}}};
  d.text = std::string(70000, 'a') + " tail";
  d.offsets = {{0, 3}, {4, 70000}, {70001, 70005}};
  const StoredDocument back = StoredDocument::unserialise(d.serialise_header(), d.serialise_body(BodyDictionary()));
  EXPECT_EQ(back.id, "x");
  EXPECT_EQ(back.metadata, d.metadata);
  EXPECT_EQ(back.text, d.text);
  ASSERT_EQ(back.offsets.size(), 3u);
  EXPECT_EQ(back.offsets[1].begin, 4u);
  EXPECT_EQ(back.offsets[1].end, 70000u);
  EXPECT_EQ(back.offsets[2].end, 70005u);
  // The header alone: what a result list reads.
  const StoredDocument header = StoredDocument::unserialise(d.serialise_header());
  EXPECT_EQ(header.title, "T");
  EXPECT_TRUE(header.text.empty());
  EXPECT_TRUE(header.offsets.empty());
  EXPECT_THROW(StoredDocument::unserialise("not msgpack"), std::runtime_error);
  EXPECT_THROW(StoredDocument::unserialise(d.serialise_header(), "not msgpack"), std::runtime_error);
  // A body of another layout version, and one whose frame is cut short.
  std::string body = d.serialise_body(BodyDictionary());
  EXPECT_THROW(StoredDocument::unserialise(d.serialise_header(), "\x03" + body.substr(1)), std::runtime_error);
  EXPECT_THROW(StoredDocument::unserialise(d.serialise_header(), body.substr(0, body.size() - 4)), std::runtime_error);
}

// Offsets are stored as corrections to a guess from the text; whatever the
// guess gets wrong, they come back exactly: the analyzer's tokens of
// English, Chinese, numbers, apostrophes, hyphens, emoji and overlong words,
// and hand-made offsets that no guess matches.
TEST(StoredDocumentTest, OffsetsRoundTripExactlyWhateverTheText) {
  struct Case {
    const char* what;
    std::string text;
    std::vector<TokenOffsets> offsets;  // empty: the analyzer's
  };
  const std::vector<Case> cases = {
      {"english", "Air pollution in China is a shared challenge; polluted air harms health.", {}},
      {"chinese", "中国—东盟环境合作战略 2016-2020 与 ASEAN 合作", {}},
      {"numbers and apostrophes", "China's 1.5 °C target, 2,000 km² and U.S.-China e-waste (No. 3).", {}},
      {"emoji and marks", "green 🌱 growth\u00a0— naïve café ™ x", {}},
      {"overlong word", std::string(200, 'w') + " short " + std::string(70, 'v'), {}},
      {"text ends inside a token", "abc", {{0, 3}}},
      {"tokens no guess matches", "--ab--cd-- ef", {{0, 2}, {2, 3}, {3, 3}, {4, 10}, {10, 10}, {11, 12}, {12, 13}}},
      {"gap longer than a guess reaches", std::string(100, '.') + "word", {{100, 104}}},
      {"no tokens", "...", {}},
      {"empty text", "", {}},
  };
  Analyzer analyzer;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    StoredDocument d;
    d.id = "x";
    d.text = c.text;
    d.offsets = c.offsets;
    if (d.offsets.empty()) {
      for (const Token& t : analyzer.analyze(d.text)) d.offsets.push_back({t.begin, t.end});
    }
    const StoredDocument back = StoredDocument::unserialise(d.serialise_header(), d.serialise_body(BodyDictionary()));
    EXPECT_EQ(back.text, d.text);
    ASSERT_EQ(back.offsets.size(), d.offsets.size());
    for (std::size_t i = 0; i < d.offsets.size(); ++i) {
      EXPECT_EQ(back.offsets[i].begin, d.offsets[i].begin) << "token " << i;
      EXPECT_EQ(back.offsets[i].end, d.offsets[i].end) << "token " << i;
    }
  }
}

// A body whose frame is sound but whose payload (text size, text, offset
// codes) is not: each fault is named, none reads past the payload.
TEST(StoredDocumentTest, BadPayloadsInASoundFrameAreNamed) {
  using namespace std::string_literals;
  struct Case {
    const char* what;
    std::string payload;
    std::string error;  // empty: decodes
  };
  const std::vector<Case> cases = {
      {"sound: one token the guesses find", "\x03"s + "abc" + "\x00\x00"s, ""},
      {"empty payload", "", "stored offsets are truncated"},
      {"text size beyond the payload", "\x05"s + "abc", "stored text is truncated"},
      {"a lone begin code", "\x03"s + "abc" + "\x00"s, "stored offsets are truncated"},
      {"a code cut inside its bytes", "\x03"s + "abc" + "\x80"s, "stored offsets are truncated"},
      {"a code of more than five bytes", "\x03"s + "abc" + "\xff\xff\xff\xff\xff\x01"s, "stored offsets are corrupt"},
      {"a token beginning past the text", "\x03"s + "abc" + "\x09\x00"s, "stored offsets point past the text"},
      {"a token ending past the text", "\x03"s + "abc" + "\x00\x09"s, "stored offsets point past the text"},
  };
  StoredDocument header_only;
  header_only.id = "x";
  const std::string header = header_only.serialise_header();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    const std::string body = std::string(1, static_cast<char>(kSchemaVersion)) + BodyDictionary().compress(c.payload);
    if (c.error.empty()) {
      const StoredDocument back = StoredDocument::unserialise(header, body);
      EXPECT_EQ(back.text, "abc");
      ASSERT_EQ(back.offsets.size(), 1u);
      EXPECT_EQ(back.offsets[0].begin, 0u);
      EXPECT_EQ(back.offsets[0].end, 3u);
      continue;
    }
    try {
      StoredDocument::unserialise(header, body);
      ADD_FAILURE() << "expected: " << c.error;
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(std::string(e.what()), c.error);
    }
  }
}

// A schema with a gazetteer field, a taxonomy field, a free metadata field
// and a field without a slot (kept in the record header).
const Schema& slot_schema() {
  static const Schema schema = Schema::parse(
      R"({"version": 1, "fields": [
        {"name": "organisation", "kind": "facet", "prefix": "XO", "slot": 10, "multi_valued": true,
         "sources": ["metadata", "gazetteer"]},
        {"name": "area", "kind": "facet", "prefix": "XA", "slot": 12, "multi_valued": true,
         "sources": ["metadata", "taxonomy"]},
        {"name": "type", "kind": "facet", "prefix": "XT", "slot": 14},
        {"name": "url", "kind": "keyword", "prefix": "XU"}]})",
      R"({"version": 1, "organisations": [{"id": "mee", "name": "Ministry of Ecology and Environment"}]})",
      R"({"version": 1, "areas": [{"id": "water", "name": "Water", "indicators": ["water pollution"]}]})", "test");
  return schema;
}

// A display equal to the schema's canonical one is left out of the slot and
// comes back from the schema; any other is kept as written.
TEST(FieldSlotTest, CanonicalDisplaysAreLeftOutAndResolvedBack) {
  const Schema& schema = slot_schema();
  using Values = std::vector<std::pair<std::string, std::string>>;
  struct Case {
    const char* field;
    Values values;
    std::string encoded;
    std::vector<std::string> displays;
  };
  const std::vector<Case> cases = {
      {"organisation",
       {{"mee", "Ministry of Ecology and Environment"}},
       "mee",
       {"Ministry of Ecology and Environment"}},
      {"organisation",
       {{"mee", "Ministry of Ecology and Environment"}, {"city hall", "City Hall"}},
       "mee\x1E"
       "city hall\x1F"
       "City Hall",
       {"Ministry of Ecology and Environment", "City Hall"}},
      // Not in the gazetteer: the canonical display is the key itself.
      {"organisation", {{"city hall", "city hall"}}, "city hall", {"city hall"}},
      // A gazetteer key shown otherwise keeps its display.
      {"organisation",
       {{"mee", "MEE"}},
       "mee\x1F"
       "MEE",
       {"MEE"}},
      {"area",
       {{"water", "Water"}, {"mee", "Ministry of Ecology and Environment"}},
       "water\x1E"
       "mee\x1F"
       "Ministry of Ecology and Environment",
       {"Water", "Ministry of Ecology and Environment"}},  // an organisation's name is not an area's
      {"type",
       {{"report", "Report"}},
       "report\x1F"
       "Report",
       {"Report"}},
      // Separators inside values become spaces.
      {"type",
       {{"a\x1E"
         "b",
         "A\x1F"
         "B"}},
       "a b\x1F"
       "A B",
       {"A B"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.field) + " " + c.encoded);
    const FieldSpec& field = *schema.field(c.field);
    const std::string encoded = encode_field_values(schema, field, c.values);
    EXPECT_EQ(encoded, c.encoded);
    EXPECT_EQ(decode_field_displays(schema, field, encoded), nlohmann::json(c.displays));
  }
}

// read() takes fields with a slot from their slots and the others from the
// header; a slot without a value gives no field.
TEST(StoredDocumentTest, ReadTakesSlottedFieldsFromTheirSlots) {
  const Schema& schema = slot_schema();
  StoredDocument d;
  d.id = "x";
  d.fields = {{"url", {"https://example.org/x"}}};
  Xapian::Document doc;
  doc.add_value(slot::kRecordHeader, d.serialise_header());
  doc.add_value(slot::kBody, d.serialise_body(BodyDictionary()));
  doc.add_value(10, encode_field_values(schema, *schema.field("organisation"),
                                        {{"mee", "Ministry of Ecology and Environment"}, {"x", "X"}}));
  doc.add_value(14, encode_field_values(schema, *schema.field("type"), {{"report", "report"}}));
  const StoredDocument back = StoredDocument::read(doc, schema, BodyDictionary(), /*with_text=*/false);
  EXPECT_EQ(back.id, "x");
  EXPECT_EQ(back.fields, (nlohmann::json{{"organisation", {"Ministry of Ecology and Environment", "X"}},
                                         {"type", {"report"}},
                                         {"url", {"https://example.org/x"}}}));
  // The header alone holds only what was put in it.
  EXPECT_EQ(StoredDocument::unserialise(doc.get_value(slot::kRecordHeader)).fields,
            (nlohmann::json{{"url", {"https://example.org/x"}}}));
}

}  // namespace
}  // namespace policy
