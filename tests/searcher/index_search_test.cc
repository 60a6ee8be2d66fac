// The index writer and the searcher together, through the library, on small
// hand-made documents: query semantics, ranking, incremental indexing and
// version checks.

#include <algorithm>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "core/index_layout.h"

#include "indexer/index_writer.h"

#include "searcher/result_rendering.h"
#include "searcher/searcher.h"

#include "tests/support/test_support.h"

namespace policy {
namespace {

SourceDocument doc(std::string id, std::string title, std::string text,
                   nlohmann::json meta = nlohmann::json::object()) {
  SourceDocument d;
  d.id = std::move(id);
  d.title = std::move(title);
  d.text = std::move(text);
  d.metadata = std::move(meta);
  d.source = "test/" + d.id;
  return d;
}

SearchRequest request(std::string query, std::size_t offset, std::size_t limit, bool snippets) {
  SearchRequest r;
  r.query = std::move(query);
  r.offset = offset;
  r.limit = limit;
  r.snippets = snippets;
  return r;
}

const Schema& test_schema() {
  static const Schema schema = Schema::load(testing::source_path("schemas"));
  return schema;
}

class IndexSearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::make_temp_dir("index-search-" +
                                  std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    index_ = (dir_ / "idx").string();
    Analyzer analyzer;
    IndexWriter writer(index_, analyzer, test_schema(), {});
    for (const SourceDocument& d : corpus()) writer.add(d);
    writer.commit();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static std::vector<SourceDocument> corpus() {
    return {
        doc("soup", "Menu", "Today we serve the soup of the day. Soup is good."),
        doc("soup-scrambled", "Menu two", "The day of the soup: the soup is served by day."),
        doc("air", "Air quality", "Air pollution in China is a shared challenge; polluted air harms health.",
            {{"year", 2016}}),
        doc("air-far", "Notes",
            "Air is discussed first. Then many other unrelated words fill this sentence completely "
            "and on and on before pollution appears, and China much later."),
        doc("ewaste", "Cleaning Up E-waste", "Managing e-waste and electronic waste in ASEAN-China cooperation."),
        doc("envoys", "Green Envoys", "The “Green Envoys Program” builds capacity in biodiversity."),
        doc("title-only", "Biodiversity strategy", "A text about forests and wetlands."),
        doc("body-only", "Forests", "A text that mentions biodiversity once, among forests and wetlands."),
    };
  }

  std::vector<std::string> ids(const std::string& query, std::size_t limit = 0) {
    Searcher searcher(index_);
    const SearchResults results = searcher.search(request(query, 0, limit, false));
    std::vector<std::string> out;
    for (const SearchHit& h : results.hits) out.push_back(h.id);
    return out;
  }

  std::set<std::string> id_set(const std::string& query) {
    const std::vector<std::string> v = ids(query);
    return {v.begin(), v.end()};
  }

  std::filesystem::path dir_;
  std::string index_;
};

TEST_F(IndexSearchTest, QuerySemanticsTable) {
  struct Case {
    std::string query;
    std::set<std::string> expected;
  };
  const std::vector<Case> cases = {
      {"\"the soup of the day\"", {"soup"}},     // stopwords kept, order matters
      {"soup day", {"soup", "soup-scrambled"}},  // AND of words
      {"pollution", {"air", "air-far"}},         // stemmed: polluted/pollution
      {"polluting", {"air", "air-far"}},
      {"\"polluted air\"", {"air"}},  // phrases are exact, unstemmed
      {"\"pollution air\"", {}},
      {"pollution NEAR/1 China", {"air"}},
      {"pollution NEAR/20 China", {"air", "air-far"}},
      {"polluted NEAR/1 China", {"air"}},  // any inflection: "pollution in China"
      {"\"polluted\" NEAR/1 China", {}},   // quoted: this word only, 4 words from China
      {"\"polluted\" NEAR/4 China", {"air"}},
      {"pollution -china", {}},
      {"pollution NOT health", {"air-far"}},
      {"soup OR envoys", {"soup", "soup-scrambled", "envoys"}},
      {"(soup OR envoys) -menu", {"envoys"}},  // -menu excludes by title too
      {"e-waste", {"ewaste"}},                 // split word = phrase
      {"\"e waste\"", {"ewaste"}},
      {"\"ASEAN China\"", {"ewaste"}},
      {"\"green envoys program\"", {"envoys"}},
      {"envoy*", {"envoys"}},
      {"title:biodiversity", {"title-only"}},
      {"title:\"green envoys\"", {"envoys"}},
      {"-soup", {"air", "air-far", "ewaste", "envoys", "title-only", "body-only"}},
      {"nonexistentword", {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.query);
    EXPECT_EQ(id_set(c.query), c.expected);
  }
}

TEST_F(IndexSearchTest, TitleMatchesRankAboveBodyMatches) {
  const std::vector<std::string> ranked = ids("biodiversity");
  ASSERT_EQ(ranked.size(), 3u);
  EXPECT_EQ(ranked[0], "title-only");
}

TEST_F(IndexSearchTest, TotalIsExactAndPagingIsConsistent) {
  Searcher searcher(index_);
  const SearchResults all = searcher.search(request("text OR soup OR air", 0, 0, false));
  EXPECT_TRUE(all.total_exact);
  EXPECT_EQ(all.total, all.hits.size());
  const SearchResults page = searcher.search(request("text OR soup OR air", 1, 2, false));
  EXPECT_EQ(page.total, all.total);
  ASSERT_EQ(page.hits.size(), 2u);
  EXPECT_EQ(page.hits[0].id, all.hits[1].id);
  EXPECT_EQ(page.hits[0].rank, 2u);
}

TEST_F(IndexSearchTest, HugeLimitAndOffsetDoNotWrapAround) {
  Searcher searcher(index_);
  const std::size_t huge = (std::size_t{1} << 32) + 1;
  EXPECT_EQ(searcher.search(request("soup", 0, huge, false)).hits.size(), 2u);
  const SearchResults past_the_end = searcher.search(request("soup", huge, 10, false));
  EXPECT_EQ(past_the_end.total, 2u);
  EXPECT_TRUE(past_the_end.hits.empty());
}

TEST(RenderTerminalTest, ControlCharactersInTitlesAndSnippetsAreNeutralised) {
  SearchResults results;
  results.total = 1;
  SearchHit hit;
  hit.rank = 1;
  hit.id = "x\x1b[2J";
  hit.title = "Evil \x1b[31mtitle";
  hit.snippets.push_back(Snippet{"bell \x07 water", {{7, 12}}, 0, 0});
  results.hits.push_back(hit);
  std::ostringstream out;
  render_terminal(results, out, TerminalStyle{false});
  EXPECT_EQ(out.str().find('\x1b'), std::string::npos) << out.str();
  EXPECT_EQ(out.str().find('\x07'), std::string::npos);
  EXPECT_NE(out.str().find("bell   **water**"), std::string::npos) << out.str();
}

TEST_F(IndexSearchTest, SnippetsHighlightInflectionsAndPhrases) {
  Searcher searcher(index_);
  const SearchResults r = searcher.search(request("pollution \"shared challenge\"", 0, 10, true));
  ASSERT_EQ(r.hits.size(), 1u);
  ASSERT_FALSE(r.hits[0].snippets.empty());
  EXPECT_EQ(mark_highlights(r.hits[0].snippets[0], "[", "]"),
            "Air [pollution] in China is a [shared challenge]; [polluted] air harms health.");
}

TEST_F(IndexSearchTest, QueryErrorsCarryPositionAndHint) {
  Searcher searcher(index_);
  struct Case {
    std::string query;
    std::size_t position;
    std::string message_part;
  };
  const std::vector<Case> cases = {
      {"water \"green envoys", 6, "unterminated"},
      {"author:smith", 0, "unknown field 'author'"},
      {"year:soon", 0, "not a year or a range of years"},
      {"org:env*", 0, "wildcards do not apply to the field 'organisation'"},
      {"e*", 0, "matches more than"},
      {"\"air pollution\" NEAR/5 China", 0, "NEAR takes single words"},
      {"& &", 0, "no searchable words"},
  };
  BindOptions tight;
  tight.max_wildcard_terms = 2;
  SearcherOptions options;
  options.bind = tight;
  Searcher tight_searcher(index_, options);
  for (const Case& c : cases) {
    SCOPED_TRACE(c.query);
    try {
      tight_searcher.search(request(c.query, 0, 10, true));
      ADD_FAILURE() << "expected a query error";
    } catch (const QueryError& e) {
      EXPECT_EQ(e.position(), c.position);
      EXPECT_NE(e.message().find(c.message_part), std::string::npos) << e.message();
      EXPECT_FALSE(e.hint().empty());
    }
  }
}

TEST_F(IndexSearchTest, ReindexingIsIncremental) {
  Analyzer analyzer;
  IndexWriter writer(index_, analyzer, test_schema(), {});
  std::vector<SourceDocument> docs = corpus();
  EXPECT_EQ(writer.add(docs[0]), IndexWriter::Outcome::kUnchanged);
  docs[1].text += " Now with bread.";
  EXPECT_EQ(writer.add(docs[1]), IndexWriter::Outcome::kUpdated);
  EXPECT_EQ(writer.add(doc("new", "New", "A new document about bread.")), IndexWriter::Outcome::kAdded);
  EXPECT_EQ(writer.prune({"soup", "soup-scrambled", "new"}), docs.size() - 2);
  writer.commit();
  EXPECT_EQ(writer.document_count(), 3u);
  EXPECT_EQ(id_set("bread"), (std::set<std::string>{"soup-scrambled", "new"}));
}

TEST_F(IndexSearchTest, SearcherRefusesAnIndexFromAnotherAnalyzerVersion) {
  {
    Xapian::WritableDatabase db(index_);
    db.set_metadata(metadata_key::kAnalyzer, "policy-analyzer/0 stem=english");
    db.commit();
  }
  try {
    Searcher searcher(index_);
    FAIL() << "expected IndexError";
  } catch (const IndexError& e) {
    EXPECT_NE(std::string(e.what()).find("policy-analyzer/0"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("--rebuild"), std::string::npos) << e.what();
  }
  // The writer refuses too, unless told to rebuild.
  Analyzer analyzer;
  EXPECT_THROW(IndexWriter(index_, analyzer, test_schema(), {}), IndexError);
  IndexWriterOptions rebuild;
  rebuild.rebuild = true;
  IndexWriter writer(index_, analyzer, test_schema(), rebuild);
  writer.commit();
  EXPECT_EQ(writer.document_count(), 0u);
}

TEST_F(IndexSearchTest, MissingIndexIsAClearError) {
  try {
    Searcher searcher((dir_ / "nope").string());
    FAIL() << "expected IndexError";
  } catch (const IndexError& e) {
    EXPECT_NE(std::string(e.what()).find("policy-index --index"), std::string::npos) << e.what();
  }
}

TEST_F(IndexSearchTest, SecondWriterIsRefusedWithTheLockNamed) {
  Analyzer analyzer;
  IndexWriter first(index_, analyzer, test_schema(), {});
  try {
    IndexWriter second(index_, analyzer, test_schema(), {});
    FAIL() << "expected IndexError";
  } catch (const IndexError& e) {
    EXPECT_NE(std::string(e.what()).find("locked"), std::string::npos) << e.what();
  }
}

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

// Policy-like text from a fixed word list, with a word of its own per
// document (letters only: "qz" and the number in base 26).
std::string marker(std::size_t n) {
  std::string word = "qz";
  do {
    word += static_cast<char>('a' + n % 26);
    n /= 26;
  } while (n != 0);
  return word;
}

SourceDocument generated_doc(std::size_t n) {
  static const std::vector<std::string> words = {
      "environmental", "cooperation", "between",  "ASEAN",    "and",    "China",    "on",          "biodiversity",
      "the",           "climate",     "change",   "action",   "plan",   "for",      "sustainable", "development",
      "water",         "pollution",   "capacity", "building", "of",     "policy",   "dialogue",    "green",
      "economy",       "strategy",    "priority", "area",     "joint",  "research", "centre",      "ministry",
      "ecology",       "programme",   "urban",    "air",      "quality"};
  std::uint64_t state = n * 2654435761u + 1;
  std::string text;
  while (text.size() < 1200) {
    for (int w = 0; w < 12; ++w) {
      state = state * 6364136223846793005u + 1442695040888963407u;
      text += words[(state >> 33) % words.size()] + " ";
    }
    text.back() = '.';
    text += ' ';
  }
  text += "It names " + marker(n) + " once.";
  return doc("d" + std::to_string(n), "Document " + std::to_string(n), text);
}

// A new index compresses its stored bodies with a dictionary trained on its
// first documents: the same dictionary for any number of jobs, stored in the
// index, needed to read a body back, and used by later in-place additions.
TEST(BodyDictionaryIndexTest, NewIndexTrainsOneDictionaryForAnyJobsAndKeepsUsingIt) {
  const std::filesystem::path dir = testing::make_temp_dir("body-dictionary");
  constexpr std::size_t kDocs = 400;  // about 500 KB of text
  Analyzer analyzer;
  std::vector<std::string> dictionaries;
  for (const std::size_t jobs : {1u, 3u}) {
    IndexWriterOptions options;
    options.jobs = jobs;
    options.dictionary_sample_bytes = BodyDictionary::kMinSampleBytes;
    IndexWriter writer((dir / ("jobs-" + std::to_string(jobs))).string(), analyzer, test_schema(), options);
    for (std::size_t n = 0; n < kDocs; ++n) writer.add(generated_doc(n));
    writer.commit();
    dictionaries.push_back(Xapian::Database((dir / ("jobs-" + std::to_string(jobs))).string())
                               .get_metadata(metadata_key::kBodyDictionary));
  }
  ASSERT_FALSE(dictionaries[0].empty());
  EXPECT_EQ(dictionaries[0], dictionaries[1]);
  const std::string index = (dir / "jobs-1").string();
  {
    IndexWriter writer(index, analyzer, test_schema(), {});
    writer.add(generated_doc(kDocs));
    writer.commit();
  }
  const BodyDictionary dictionary(dictionaries[0]);
  Xapian::Database db(index);
  EXPECT_EQ(db.get_metadata(metadata_key::kBodyDictionary), dictionaries[0]);
  for (const std::size_t n : {std::size_t{7}, kDocs}) {
    SCOPED_TRACE("document " + std::to_string(n));
    const std::string id_term = std::string(prefix::kId) + "d" + std::to_string(n);
    ASSERT_NE(db.postlist_begin(id_term), db.postlist_end(id_term));
    const Xapian::Document stored = db.get_document(*db.postlist_begin(id_term));
    const std::string header = stored.get_value(slot::kRecordHeader);
    EXPECT_NE(StoredDocument::unserialise(header, stored.get_value(slot::kBody), dictionary).text.find(marker(n)),
              std::string::npos);
    try {
      StoredDocument::unserialise(header, stored.get_value(slot::kBody), BodyDictionary());
      ADD_FAILURE() << "a body compressed with the dictionary was read without it";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("the index holds none"), std::string::npos) << e.what();
    }
    Searcher searcher(index);
    const SearchResults results = searcher.search(request(marker(n), 0, 10, true));
    ASSERT_EQ(results.hits.size(), 1u);
    EXPECT_EQ(results.hits[0].id, "d" + std::to_string(n));
    ASSERT_FALSE(results.hits[0].snippets.empty());
    const Snippet& snippet = results.hits[0].snippets[0];
    ASSERT_EQ(snippet.highlights.size(), 1u);
    EXPECT_EQ(snippet.text.substr(snippet.highlights[0].begin, snippet.highlights[0].end - snippet.highlights[0].begin),
              marker(n));
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace policy
