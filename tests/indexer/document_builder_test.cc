// Document building: content hashes and the prepared document.

#include "indexer/document_builder.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/index_layout.h"

#include "tests/support/test_support.h"

namespace policy {
namespace {

std::string parts_hash(const std::vector<std::string>& parts) {
  PartsHash hash;
  for (const std::string& part : parts) hash.add(part);
  return hash.hex();
}

TEST(PartsHashTest, PartsAreKeptApart) {
  struct Case {
    std::vector<std::string> a, b;
    bool same;
  };
  const Case cases[] = {
      {{"ab", "c"}, {"ab", "c"}, true},
      {{"ab", "c"}, {"a", "bc"}, false},
      {{"", "x"}, {"x", ""}, false},
      {{"x"}, {"x", ""}, false},
      {{}, {""}, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(::testing::PrintToString(c.a) + " vs " + ::testing::PrintToString(c.b));
    EXPECT_EQ(parts_hash(c.a) == parts_hash(c.b), c.same);
    EXPECT_EQ(parts_hash(c.a).size(), 16u);
  }
}

SourceDocument sample_document() {
  SourceDocument doc;
  doc.id = "a.txt";
  doc.title = "Air quality";
  doc.text = "Air quality monitoring in the region.";
  doc.metadata = {{"year", 2016}};
  doc.source = "corpus/a.txt";
  return doc;
}

// Everything that shapes the indexed form changes the hash; nothing else
// does.
TEST(ContentHashTest, ChangesWithEachPartOfTheDocumentAndTheVersions) {
  struct Case {
    const char* name;
    void (*change)(SourceDocument&, std::string& analyzer, std::string& fingerprint);
  };
  const Case cases[] = {
      {"id", [](SourceDocument& d, std::string&, std::string&) { d.id = "b.txt"; }},
      {"title", [](SourceDocument& d, std::string&, std::string&) { d.title = "Water quality"; }},
      {"text", [](SourceDocument& d, std::string&, std::string&) { d.text += " More."; }},
      {"metadata", [](SourceDocument& d, std::string&, std::string&) { d.metadata["year"] = 2017; }},
      {"source", [](SourceDocument& d, std::string&, std::string&) { d.source = "other/a.txt"; }},
      {"analyzer version", [](SourceDocument&, std::string& a, std::string&) { a += "+1"; }},
      {"schema fingerprint", [](SourceDocument&, std::string&, std::string& f) { f += "0"; }},
  };
  const std::string base = content_hash(sample_document(), "analyzer/1", "fingerprint");
  EXPECT_EQ(content_hash(sample_document(), "analyzer/1", "fingerprint"), base);
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    SourceDocument doc = sample_document();
    std::string analyzer = "analyzer/1";
    std::string fingerprint = "fingerprint";
    c.change(doc, analyzer, fingerprint);
    EXPECT_NE(content_hash(doc, analyzer, fingerprint), base);
  }
}

// prepare_document() with the shipped schema, for a document with `title`
// and `text`.
struct Preparer {
  Analyzer analyzer;
  Schema schema = Schema::load(testing::source_path("schemas"));
  FieldExtractor extractor{schema, analyzer};

  PreparedDocument operator()(const std::string& title, const std::string& text) const {
    SourceDocument doc = sample_document();
    doc.title = title;
    doc.text = text;
    return prepare_document(doc, analyzer, schema, extractor, BodyDictionary(), CommonWords(), "hash");
  }
};

TEST(PrepareDocumentTest, TitleIsGivenOrTheShortFirstLineOrTheId) {
  struct Case {
    const char* name;
    std::string title;
    std::string text;
    std::string expected_title;
  };
  const Case cases[] = {
      {"given", "Given title", "Heading\n\nBody text.", "Given title"},
      {"first line", "", "Heading\n\nBody text.", "Heading"},
      {"first line too long", "", std::string(151, 'a') + "\n\nBody text.", "a.txt"},
      {"first line at the limit", "", std::string(150, 'a') + "\n\nBody text.", std::string(150, 'a')},
  };
  const Preparer prepare;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const PreparedDocument prepared = prepare(c.title, c.text);
    EXPECT_EQ(prepared.id, "a.txt");
    EXPECT_EQ(prepared.id_term, "Qa.txt");
    EXPECT_EQ(prepared.document.get_value(slot::kContentHash), "hash");
    EXPECT_EQ(StoredDocument::unserialise(prepared.document.get_value(slot::kRecordHeader)).title, c.expected_title);
  }
}

// The body word count trends read (slot::kBodyWords) is the number of the
// body's tokens, one per position: acronyms and title words do not add.
TEST(PrepareDocumentTest, BodyWordsAreTheBodyTokens) {
  struct Case {
    const char* name;
    std::string text;
  };
  const Case cases[] = {
      {"empty", ""},
      {"words", "Water quality and air quality."},
      {"acronyms", "The EPA and MEP met the U.S. EPA again."},
      {"numbers and hyphens", "ASEAN-China 2016-2020 e-waste, 3.5 tonnes."},
      {"non-Latin", "\xE7\x94\x9F\xE6\x80\x81\xE7\x8E\xAF\xE5\xA2\x83 environment"},
  };
  const Preparer prepare;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const PreparedDocument prepared = prepare("A title of several words", c.text);
    const std::size_t tokens = prepare.analyzer.analyze(c.text).size();
    EXPECT_EQ(prepared.document.get_value(slot::kBodyWords), std::to_string(tokens));
    if (std::string(c.name) != "empty") {
      EXPECT_GT(tokens, 0u);
    }
  }
}

}  // namespace
}  // namespace policy
