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
      // A word: every exact variant of its stem in the body, the stemmed title term.
      {"water", {"water", "waters", "watering", "ZSwater"}, {{{"water", "watering", "waters"}}}},
      {"Waters", {"water", "waters", "watering", "ZSwater"}, {{{"water", "watering", "waters"}}}},
      // A phrase: its exact words in sequence, in the body or the title.
      {"\"water plan\"", {"water", "plan", "Swater", "Splan"}, {{{"water"}, {"plan"}}}},
      // A wildcard: the exact words with the prefix.
      {"wat*", {"water", "waters", "watering", "Swater"}, {{{"water", "watering", "waters"}}}},
      // title: the title only, nothing highlighted in the body.
      {"title:plan", {"ZSplan"}, {}},
      // A negated part is searched but not highlighted.
      {"plan -water", {"plan", "ZSplan", "water", "waters", "watering", "ZSwater"}, {{{"plan"}}}},
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

}  // namespace
}  // namespace policy
