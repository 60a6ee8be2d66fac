// Synonyms in free text (issue 23): a word or phrase that is a gazetteer
// name, alias or acronym, or a term of the schema's synonyms.json, finds
// the others too; the widening is reported, shows in --explain and in the
// highlights, and can be switched off. Run on an index of the test's own
// documents and schema, not corpus/.

#include "searcher/synonyms.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/analyzer.h"
#include "core/field_schema.h"

#include "indexer/index_writer.h"

#include "searcher/searcher.h"

#include "tests/support/small_index.h"
#include "tests/support/test_support.h"

namespace policy {
namespace {

namespace fs = std::filesystem;
using testing::source_document;

const char* const kOrganisations = R"({"version": 1, "organisations": [
  {"id": "epa", "name": "U.S. Environmental Protection Agency", "acronyms": ["EPA", "USEPA"],
   "aliases": ["Environmental Protection Agency"]},
  {"id": "unep", "name": "United Nations Environment Programme", "acronyms": ["UNEP"]}
]})";

const char* const kSynonyms = R"({"version": 1, "synonyms": [
  {"terms": ["global warming", "climate change"]},
  {"terms": ["e-waste", "electronic waste", "WEEE"]}
]})";

std::string shipped(const char* file) { return testing::read_file(testing::source_path("schemas") / file); }

// The shipped fields and taxonomy with the test's gazetteer and synonyms.
Schema test_schema(const std::string& synonyms = kSynonyms) {
  return Schema::parse(shipped("fields.json"), kOrganisations, shipped("priority_areas.json"), "test", synonyms);
}

// describe()-like text of equivalents: WORD x / PHRASE "x", field kept.
std::vector<std::string> shown(const std::vector<QueryNode>& nodes) {
  std::vector<std::string> out;
  for (const QueryNode& n : nodes) {
    out.push_back((n.field.empty() ? "" : n.field + ":") +
                  (n.kind == QueryNode::Kind::kPhrase ? "\"" + n.text + "\"" : n.text));
  }
  return out;
}

QueryNode leaf(QueryNode::Kind kind, std::string text, std::string field = "") {
  QueryNode node;
  node.kind = kind;
  node.text = std::move(text);
  node.field = std::move(field);
  return node;
}

TEST(SynonymTableTest, LeavesFindTheirEquivalents) {
  const Schema schema = test_schema();
  Analyzer analyzer;
  const SynonymTable table(schema, analyzer);
  using Kind = QueryNode::Kind;
  struct Case {
    QueryNode leaf;
    std::vector<std::string> expected;
  };
  const std::vector<Case> cases = {
      {leaf(Kind::kWord, "EPA"),
       {"\"U.S. Environmental Protection Agency\"", "\"Environmental Protection Agency\"", "USEPA"}},
      {leaf(Kind::kWord, "EPA's"),
       {"\"U.S. Environmental Protection Agency\"", "\"Environmental Protection Agency\"", "USEPA"}},
      // Acronyms are case-sensitive, as in the gazetteer: "epa" is a word.
      {leaf(Kind::kWord, "epa"), {}},
      {leaf(Kind::kWord, "Epa"), {}},
      // Names match by exact terms: case and punctuation do not matter.
      {leaf(Kind::kPhrase, "environmental protection agency"),
       {"\"U.S. Environmental Protection Agency\"", "EPA", "USEPA"}},
      {leaf(Kind::kPhrase, "Environmental  Protection, Agency"),
       {"\"U.S. Environmental Protection Agency\"", "EPA", "USEPA"}},
      // Part of a name, or a longer phrase holding one, is not the name.
      {leaf(Kind::kPhrase, "protection agency"), {}},
      {leaf(Kind::kPhrase, "the environmental protection agency"), {}},
      {leaf(Kind::kPhrase, "global warming"), {"\"climate change\""}},
      {leaf(Kind::kPhrase, "Climate Change"), {"\"global warming\""}},
      {leaf(Kind::kWord, "warming"), {}},
      // A word the analyzer splits matches as its terms.
      {leaf(Kind::kWord, "e-waste"), {"\"electronic waste\"", "WEEE"}},
      {leaf(Kind::kWord, "WEEE"), {"\"e-waste\"", "\"electronic waste\""}},
      // The field is kept: title:EPA widens within titles.
      {leaf(Kind::kWord, "EPA", "title"),
       {"title:\"U.S. Environmental Protection Agency\"", "title:\"Environmental Protection Agency\"", "title:USEPA"}},
      // Only words and phrases widen.
      {leaf(Kind::kWildcard, "EPA"), {}},
      {leaf(Kind::kProximity, "global warming"), {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.leaf.text);
    EXPECT_EQ(shown(table.equivalents(c.leaf)), c.expected);
  }
}

TEST(SynonymTableTest, EmptyWithoutGazetteerOrSynonyms) {
  const Schema schema = Schema::parse(R"({"version": 1, "fields": []})", "", "", "test");
  Analyzer analyzer;
  const SynonymTable table(schema, analyzer);
  EXPECT_TRUE(table.empty());
  EXPECT_TRUE(table.equivalents(leaf(QueryNode::Kind::kWord, "EPA")).empty());
}

TEST(SynonymTableTest, MalformedSynonymsFileIsRefusedWithItsName) {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {R"({"version": 1, "synonyms": [{"terms": ["only one"]}]})", "needs at least two"},
      {R"({"version": 1, "synonyms": [{"terms": ["a", " "]}]})", "term #2 is blank"},
      {R"({"version": 1, "synonyms": [{"terms": ["a", "a"]}]})", "listed twice"},
      {R"({"version": 1, "synonyms": [{"words": ["a", "b"]}]})", "unknown key \"words\""},
      {R"({"version": 1, "synonyms": [["a", "b"]]})", "must be an object"},
      {R"({"version": 2, "synonyms": []})", "unsupported version"},
      {R"({"version": 1, "synonyms": [)", "malformed JSON"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    try {
      test_schema(c.text);
      ADD_FAILURE() << "accepted";
    } catch (const SchemaError& e) {
      EXPECT_NE(std::string(e.what()).find("test/synonyms.json: "), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos) << e.what();
    }
  }
}

class SynonymSearchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(testing::make_temp_dir("synonym-search"));
    index_ = (*dir_ / "idx").string();
    const Schema schema = test_schema();
    testing::write_index(
        index_,
        {
            source_document("acronym", "Notice", "The EPA announced new rules on air."),
            source_document("alias", "Report", "The Environmental Protection Agency said no."),
            source_document("full", "Letter", "A letter from the U.S. Environmental Protection Agency (EPA) today."),
            source_document("other-acronym", "Data", "USEPA data were used."),
            source_document("lower", "Word", "The word epa means nothing here."),
            source_document("warming", "Science", "Global warming is measured."),
            source_document("change", "Policy", "Climate change needs policy."),
            source_document("neither", "Weather", "The climate of the coast changed."),
        },
        &schema);
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
  }

  static SearchResults search(const std::string& query, bool synonyms = true) {
    Searcher searcher(index_);
    SearchRequest request;
    request.query = query;
    request.limit = 0;
    request.synonyms = synonyms;
    request.explain = true;
    return searcher.search(request);
  }

  static std::set<std::string> ids(const SearchResults& results) {
    std::set<std::string> found;
    for (const SearchHit& hit : results.hits) found.insert(hit.id);
    return found;
  }

  static fs::path* dir_;
  static std::string index_;
};

fs::path* SynonymSearchTest::dir_ = nullptr;
std::string SynonymSearchTest::index_;

TEST_F(SynonymSearchTest, NamesAndAcronymsFindEachOther) {
  const std::set<std::string> agency = {"acronym", "alias", "full", "other-acronym"};
  EXPECT_EQ(ids(search("EPA")), agency);
  EXPECT_EQ(ids(search("\"Environmental Protection Agency\"")), agency);
  EXPECT_EQ(ids(search("USEPA")), agency);
  // Switched off: the words as typed.
  EXPECT_EQ(ids(search("EPA", false)), (std::set<std::string>{"acronym", "full"}));
  EXPECT_EQ(ids(search("\"Environmental Protection Agency\"", false)), (std::set<std::string>{"alias", "full"}));
  // Lower case is the everyday word, not the acronym: no widening.
  EXPECT_EQ(ids(search("epa")), (std::set<std::string>{"acronym", "full", "lower"}));
  EXPECT_TRUE(search("epa").warnings.empty());
  // Negated, every name is excluded.
  EXPECT_EQ(ids(search("the -EPA")), (std::set<std::string>{"lower", "neither"}));
}

TEST_F(SynonymSearchTest, SynonymsFileJoinsPhrases) {
  EXPECT_EQ(ids(search("\"global warming\"")), (std::set<std::string>{"warming", "change"}));
  EXPECT_EQ(ids(search("\"climate change\"")), (std::set<std::string>{"warming", "change"}));
  EXPECT_EQ(ids(search("\"climate change\"", false)), (std::set<std::string>{"change"}));
}

TEST_F(SynonymSearchTest, WideningIsReportedAndExplained) {
  const SearchResults results = search("EPA policy");
  ASSERT_EQ(results.warnings.size(), 1u);
  EXPECT_EQ(results.warnings[0].code, warning_code::kSynonyms);
  EXPECT_EQ(results.warnings[0].value, "EPA");
  EXPECT_NE(results.warnings[0].message.find("\"Environmental Protection Agency\""), std::string::npos);
  EXPECT_TRUE(search("EPA", false).warnings.empty());

  ASSERT_TRUE(results.explanation);
  const auto synonym = std::find_if(results.explanation->expansions.begin(), results.explanation->expansions.end(),
                                    [](const ExpansionCounts& e) { return e.kind == "synonym"; });
  ASSERT_NE(synonym, results.explanation->expansions.end());
  EXPECT_EQ(synonym->typed, "EPA");
  std::vector<std::pair<std::string, Xapian::doccount>> counts;
  for (const TermCount& t : synonym->terms) counts.emplace_back(t.term, t.documents);
  EXPECT_EQ(counts, (std::vector<std::pair<std::string, Xapian::doccount>>{
                        {"\"U.S. Environmental Protection Agency\"", 1},
                        {"\"Environmental Protection Agency\"", 2},
                        {"USEPA", 1},
                    }));
}

TEST_F(SynonymSearchTest, EquivalentsAreHighlightedAndCountedOnce) {
  Searcher searcher(index_);
  const std::optional<DocumentView> view = searcher.document("full", "EPA");
  ASSERT_TRUE(view);
  std::vector<std::string> marked;
  for (const Highlight& h : view->matches) marked.push_back(view->document.text.substr(h.begin, h.end - h.begin));
  EXPECT_EQ(marked, (std::vector<std::string>{"U.S. Environmental Protection Agency", "EPA"}));

  // The alias inside the full name is the same span: counted once.
  CountRequest request;
  request.query = "EPA";
  request.filters = {};
  const MatchCounts counts = searcher.count(request);
  EXPECT_EQ(counts.documents, 4u);
  EXPECT_EQ(counts.occurrences, 5u);  // EPA, the alias, the full name + (EPA), USEPA
  request.synonyms = false;
  EXPECT_EQ(searcher.count(request).occurrences, 2u);
}

// synonyms.json is stored with the schema: a changed file reaches a
// running searcher at the next commit, with no document re-read.
TEST(SynonymSchemaTest, ChangedSynonymsReachTheSearcher) {
  const fs::path dir = testing::make_temp_dir("synonym-schema");
  const std::string index = (dir / "idx").string();
  Analyzer analyzer;
  const Schema without = test_schema("");
  const Schema with = test_schema(kSynonyms);  // the writer keeps a reference
  {
    IndexWriter writer(index, analyzer, without, {});
    writer.add(source_document("warming", "Science", "Global warming is measured."));
    writer.add(source_document("change", "Policy", "Climate change needs policy."));
    writer.commit();
  }
  Searcher searcher(index);
  SearchRequest request;
  request.query = "\"global warming\"";
  EXPECT_EQ(searcher.search(request).total, 1u);
  {
    IndexWriter writer(index, analyzer, with, {});
    writer.commit();
  }
  EXPECT_TRUE(searcher.refresh());
  EXPECT_EQ(searcher.search(request).total, 2u);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace policy
