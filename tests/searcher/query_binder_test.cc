// Tests of binding (query_binder.h): which index terms each kind of query
// leaf searches, what it highlights, and how a query splits into free text
// and the active filters. The index is written by IndexWriter, so stems and
// the synonym table are the real ones.

#include "searcher/query_binder.h"

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <xapian.h>

#include "core/analyzer.h"
#include "core/field_extractor.h"
#include "core/field_schema.h"

#include "indexer/index_writer.h"

#include "searcher/query_syntax.h"

#include "tests/support/test_support.h"

namespace policy {
namespace {

class QueryBinderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(testing::make_temp_dir("query-binder"));
    schema_ = new Schema(Schema::load(testing::source_path("schemas")));
    analyzer_ = new Analyzer();
    IndexWriter writer((*dir_ / "idx").string(), *analyzer_, *schema_, {});
    SourceDocument doc;
    doc.id = "d";
    doc.source = "d";
    doc.title = "Water plan";
    doc.text = "Waters and watering: the EPA's water plan.";
    writer.add(doc);
    writer.commit();
    db_ = new Xapian::Database((*dir_ / "idx").string());
    extractor_ = new FieldExtractor(*schema_, *analyzer_);
  }
  static void TearDownTestSuite() {
    delete extractor_;
    delete db_;
    delete analyzer_;
    delete schema_;
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }

  static BoundQuery bind(const std::string& query) {
    BindOptions options;
    options.schema = schema_;
    options.extractor = extractor_;
    return bind_query(parse_query_syntax(query), *analyzer_, *db_, options);
  }
  static std::set<std::string> terms(const Xapian::Query& query) {
    return {query.get_terms_begin(), query.get_terms_end()};
  }

  static std::filesystem::path* dir_;
  static Schema* schema_;
  static Analyzer* analyzer_;
  static Xapian::Database* db_;
  static FieldExtractor* extractor_;
};

std::filesystem::path* QueryBinderTest::dir_ = nullptr;
Schema* QueryBinderTest::schema_ = nullptr;
Analyzer* QueryBinderTest::analyzer_ = nullptr;
Xapian::Database* QueryBinderTest::db_ = nullptr;
FieldExtractor* QueryBinderTest::extractor_ = nullptr;

TEST_F(QueryBinderTest, EachLeafSearchesItsTermsAndHighlightsItsWords) {
  using Slots = std::vector<std::vector<std::string>>;
  const struct {
    std::string query;
    std::set<std::string> terms;
    std::vector<Slots> highlights;
  } cases[] = {
      // A word: every exact variant of its stem, whose terms count title
      // words too (kTitleWordOccurrences).
      {"water", {"water", "waters", "watering"}, {{{"water", "watering", "waters"}}}},
      {"Waters", {"water", "waters", "watering"}, {{{"water", "watering", "waters"}}}},
      // A phrase: its exact words in sequence, in the body or the title.
      {"\"water plan\"", {"water", "plan", "Swater", "Splan"}, {{{"water"}, {"plan"}}}},
      // A wildcard: the exact words with the prefix.
      {"wat*", {"water", "waters", "watering"}, {{{"water", "watering", "waters"}}}},
      // title: the title only, nothing highlighted in the body.
      {"title:plan", {"ZSplan"}, {}},
      // A negated part is searched but not highlighted.
      {"plan -water", {"plan", "water", "waters", "watering"}, {{{"plan"}}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.query);
    const BoundQuery bound = bind(c.query);
    std::set<std::string> searched = terms(bound.query);
    EXPECT_EQ(searched, c.terms) << bound.query.get_description();
    std::vector<Slots> highlighted;
    for (const HighlightUnit& unit : bound.highlights) highlighted.push_back(unit.slots);
    EXPECT_EQ(highlighted, c.highlights);
  }
}

TEST_F(QueryBinderTest, FiltersAtTheTopLevelAreSplitOff) {
  const struct {
    std::string query;
    std::string text;  // describe() of the free text, "" for none
    std::map<std::string, std::vector<std::string>> filters;
  } cases[] = {
      {"water", "(WORD \"water\")", {}},
      {"org:MEP year:2016 water", "(WORD \"water\")", {{"organisation", {"MEP"}}, {"year", {"2016"}}}},
      {"org:(MEP OR EPA) water", "(WORD \"water\")", {{"organisation", {"MEP", "EPA"}}}},
      {"org:MEP", "", {{"organisation", {"MEP"}}}},
      {"water OR org:MEP", "(OR (WORD \"water\") (WORD org:\"MEP\"))", {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.query);
    const SplitQuery split = split_filters(parse_query_syntax(c.query), *schema_);
    EXPECT_EQ(split.text ? describe(*split.text) : "", c.text);
    std::map<std::string, std::vector<std::string>> filters;
    for (const auto& [field, leaves] : split.filters) {
      for (const QueryNode& leaf : leaves) filters[field].push_back(leaf.text);
    }
    EXPECT_EQ(filters, c.filters);
  }
}

TEST_F(QueryBinderTest, FilterValuesResolveThroughTheSchema) {
  const FieldSpec& organisation = *schema_->field("organisation");
  const FieldSpec& year = *schema_->field("year");
  const struct {
    const FieldSpec* field;
    std::string query;
    bool matches;  // the document names the EPA and has no year
  } cases[] = {
      {&organisation, "org:EPA", true},  {&organisation, "org:\"U.S. Environmental Protection Agency\"", true},
      {&organisation, "org:MEP", false}, {&year, "year:2016", false},
      {&year, "year:2010..2020", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.query);
    const Xapian::Query filter = bind_filter(parse_query_syntax(c.query), *c.field, *extractor_, *db_);
    Xapian::Enquire enquire(*db_);
    enquire.set_query(filter);
    EXPECT_EQ(enquire.get_mset(0, 10).size(), c.matches ? 1u : 0u) << filter.get_description();
  }
  EXPECT_THROW(bind_filter(parse_query_syntax("year:soon"), year, *extractor_, *db_), QueryError);
}

TEST_F(QueryBinderTest, ErrorsNameTheirPosition) {
  const struct {
    std::string query;
    std::size_t position;
  } cases[] = {
      {"water nosuchfield:x", 6},
      {"water e-wa*", 6},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.query);
    try {
      bind(c.query);
      ADD_FAILURE() << "bound";
    } catch (const QueryError& e) {
      EXPECT_EQ(e.position(), c.position) << e.what();
    }
  }
}

// The forms of issue 22 on a small index: which documents each matches.
class QueryFormsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(testing::make_temp_dir("query-forms"));
    schema_ = new Schema(Schema::load(testing::source_path("schemas")));
    analyzer_ = new Analyzer();
    IndexWriter writer((*dir_ / "idx").string(), *analyzer_, *schema_, {});
    const char* const texts[] = {
        "Slavery was bad, as was the slave trade.",                                             // 1
        "The slave trade went on for years and years and years before slavery ended.",          // 2
        "A slave was not the same as trade; slavery differs.",                                  // 3
        "The slave trade. Much later, after many other words: slave, then trade and slavery.",  // 4
        "Oil imports rose, and oil was imported by sea.",                                       // 5
        "The national debts grew; the debt was national.",                                      // 6
        "A terror attack harmed the environment and environments.",                             // 7
        "Climate policy will change the climate.",                                              // 8
        "The computer room.",                                                                   // 9
        "A computerized index.",                                                                // 10
    };
    int n = 0;
    for (const char* text : texts) {
      SourceDocument doc;
      doc.id = "d" + std::to_string(++n);
      doc.source = doc.id;
      doc.title = "Document " + std::to_string(n);
      doc.text = text;
      writer.add(doc);
    }
    writer.commit();
    db_ = new Xapian::Database((*dir_ / "idx").string());
    extractor_ = new FieldExtractor(*schema_, *analyzer_);
  }
  static void TearDownTestSuite() {
    delete extractor_;
    delete db_;
    delete analyzer_;
    delete schema_;
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }

  static BoundQuery bind(const std::string& query) {
    BindOptions options;
    options.schema = schema_;
    options.extractor = extractor_;
    return bind_query(parse_query_syntax(query), *analyzer_, *db_, options);
  }

  // The documents (1-based, in indexing order) the query matches.
  static std::vector<Xapian::docid> matches(const std::string& query) {
    Xapian::Enquire enquire(*db_);
    enquire.set_query(bind(query).query);
    enquire.set_docid_order(Xapian::Enquire::ASCENDING);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    std::vector<Xapian::docid> ids;
    const Xapian::MSet mset = enquire.get_mset(0, 100);
    for (auto it = mset.begin(); it != mset.end(); ++it) ids.push_back(*it);
    return ids;
  }

  static std::filesystem::path* dir_;
  static Schema* schema_;
  static Analyzer* analyzer_;
  static Xapian::Database* db_;
  static FieldExtractor* extractor_;
};

std::filesystem::path* QueryFormsTest::dir_ = nullptr;
Schema* QueryFormsTest::schema_ = nullptr;
Analyzer* QueryFormsTest::analyzer_ = nullptr;
Xapian::Database* QueryFormsTest::db_ = nullptr;
FieldExtractor* QueryFormsTest::extractor_ = nullptr;

TEST_F(QueryFormsTest, EachFormMatchesWhatItMeans) {
  const struct {
    std::string query;
    std::vector<Xapian::docid> documents;
  } cases[] = {
      // NEAR with a phrase on one side: the phrase itself within the distance.
      {"slavery NEAR/5 \"slave trade\"", {1}},
      {"\"slave trade\" NEAR/5 slavery", {1}},
      {"slavery NEAR/20 \"slave trade\"", {1, 2, 4}},
      {"slavery NEAR/5 (\"slave trade\" OR \"slave was\")", {1, 3}},
      // NEAR with an OR group: any of its words.
      {"oil NEAR/0 (import OR imports)", {5}},
      {"oil NEAR/3 (import OR attack)", {5}},
      {"slavery NEAR/2 (ended OR differs)", {2, 3}},
      // The README's form still works.
      {"slavery NEAR/5 trade", {3, 4}},
      // Lucene proximity: the words within N others, any order, any inflection.
      {"\"climate change\"~2", {8}},
      {"\"climate change\"", {}},
      {"\"debt national\"~1", {6}},
      // A phrase in any inflection: "..."~0; exact without.
      {"\"national debt\"", {}},
      {"\"national debt\"~0", {6}},
      {"\"national debt*\"", {6}},
      // Wildcards inside a word, and fuzzy words.
      {"te?ror", {7}},
      {"envi*ment", {7}},
      {"enviroment~1", {7}},
      {"enviroment~0", {}},
      {"slavry~", {1, 2, 3, 4}},
      // !, ||, &&, + and ^ keep their usual meaning.
      {"trade !slavery", {}},
      {"oil || terror", {5, 7}},
      {"slave && oil", {}},
      {"+oil +imports", {5}},
      {"oil^2 OR terror", {5, 7}},
      // A word's stem is one of its variants only when it is a word of the
      // same stem: "computerized" stems to "computer", which stems to
      // "comput".
      {"computerized", {10}},
      {"computer", {9}},
      {"computers", {9}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.query);
    EXPECT_EQ(matches(c.query), c.documents) << bind(c.query).query.get_description();
  }
}

TEST_F(QueryFormsTest, HighlightsMarkEachPartOnce) {
  using Slots = std::vector<std::vector<std::string>>;
  const struct {
    std::string query;
    std::vector<Slots> highlights;
  } cases[] = {
      {"slavery NEAR/5 \"slave trade\"", {{{"slavery"}}, {{"slave"}, {"trade"}}}},
      {"oil NEAR/3 (imports OR attack)", {{{"oil"}}, {{"imported", "imports"}}, {{"attack"}}}},
      {"\"national debt\"~0", {{{"national"}, {"debt", "debts"}}}},
      {"\"national debt*\"", {{{"national"}, {"debt", "debts"}}}},
      {"\"climate change\"~2", {{{"climate"}}, {{"change"}}}},
      {"te?ror", {{{"terror"}}}},
      {"enviroment~1", {{{"environment", "environments"}}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.query);
    std::vector<Slots> highlighted;
    for (const HighlightUnit& unit : bind(c.query).highlights) highlighted.push_back(unit.slots);
    EXPECT_EQ(highlighted, c.highlights);
  }
}

TEST_F(QueryFormsTest, BoostScalesTheWeight) {
  const Xapian::Query boosted = bind("oil^2").query;
  EXPECT_EQ(boosted.get_type(), Xapian::Query::OP_SCALE_WEIGHT);
  EXPECT_NE(boosted.get_description().find("2 * "), std::string::npos) << boosted.get_description();
}

TEST_F(QueryFormsTest, FormsThatCannotApplyAreErrors) {
  const struct {
    std::string query;
    std::size_t position;
  } cases[] = {
      {"slavery NEAR/5 (slave AND trade)", 16},
      {"slavery NEAR/5 title:trade", 15},
      {"slavery NEAR/5 \"slave trade\"~3", 15},
      {"slavery NEAR/5 oil^2", 15},
      {"oil org:EPA^2", 4},
      {"oil org:E?P", 4},
      {"te?ror-attack*x", 0},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.query);
    try {
      const QueryNode tree = parse_query_syntax(c.query);
      const SplitQuery split = split_filters(tree, *schema_);
      bind(c.query);
      ADD_FAILURE() << "bound";
    } catch (const QueryError& e) {
      EXPECT_EQ(e.position(), c.position) << e.what();
    }
  }
}

}  // namespace
}  // namespace policy
