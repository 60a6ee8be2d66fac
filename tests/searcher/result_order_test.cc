// Result orders (searcher/result_order.h): by year either way and by title
// in collation order, ties by relevance, documents without the property
// last; a page with no hits; a year order on an index without years.

#include "searcher/result_order.h"

#include <gtest/gtest.h>

#include "searcher/searcher.h"

#include "tests/support/small_index.h"
#include "tests/support/temp_dir_test.h"
#include "tests/support/test_support.h"

namespace policy {
namespace {

struct Doc {
  std::string id, title;
  int year;  // 0: undated
  std::string text;
};

class ResultOrderTest : public testing::TempDirTest {
 protected:
  std::string build(const std::vector<Doc>& docs, const Schema& schema) {
    const std::string index = (dir_ / "idx").string();
    std::vector<SourceDocument> sources;
    for (const Doc& d : docs) {
      sources.push_back(testing::source_document(d.id, d.title, d.text + "\n"));
      if (d.year) sources.back().metadata["year"] = d.year;
    }
    testing::write_index(index, sources, &schema);
    return index;
  }

  static std::vector<std::string> ids(Searcher& searcher, ResultOrder order, std::size_t offset = 0,
                                      std::size_t limit = 100) {
    SearchRequest request;
    request.query = "water";
    request.order = order;
    request.offset = offset;
    request.limit = limit;
    request.snippets = false;
    request.collapse = false;  // the texts repeat one another: near-duplicates
    std::vector<std::string> out;
    for (const SearchHit& hit : searcher.search(request).hits) out.push_back(hit.id);
    return out;
  }
};

const std::vector<Doc> kDocs = {
    {"a", "Zebra crossings", 2010, "water"},
    {"b", "alpha plan", 0, "water water"},
    {"c", "Éco plan", 1998, "water"},
    {"d", "eco action", 2021, "water"},
    {"e", "Beta notes", 2010, "water water water water"},  // same year as a, more relevant
    {"f", "unrelated", 2000, "nothing here"},
};

TEST_F(ResultOrderTest, YearsEitherWayTitlesByCollationUndatedLast) {
  const Schema schema = Schema::load(testing::source_path("schemas"));
  Searcher searcher(build(kDocs, schema));
  EXPECT_EQ(ids(searcher, ResultOrder::kOldest), (std::vector<std::string>{"c", "e", "a", "d", "b"}));
  EXPECT_EQ(ids(searcher, ResultOrder::kNewest), (std::vector<std::string>{"d", "e", "a", "c", "b"}));
  // Case and accents come second: "eco" and "Éco" sort together, "Zebra" last.
  EXPECT_EQ(ids(searcher, ResultOrder::kTitle), (std::vector<std::string>{"b", "e", "d", "c", "a"}));
  const std::vector<std::string> relevance = ids(searcher, ResultOrder::kRelevance);
  EXPECT_EQ(relevance.front(), "e");
  // Pages of a sorted list are slices of it, ranks count from the list's start.
  EXPECT_EQ(ids(searcher, ResultOrder::kOldest, 1, 2), (std::vector<std::string>{"e", "a"}));
  SearchRequest request;
  request.query = "water";
  request.order = ResultOrder::kNewest;
  request.offset = 2;
  request.limit = 1;
  const SearchResults page = searcher.search(request);
  ASSERT_EQ(page.hits.size(), 1u);
  EXPECT_EQ(page.hits[0].rank, 3u);
  EXPECT_EQ(page.order, ResultOrder::kNewest);
}

TEST_F(ResultOrderTest, NoHitsGivesTheTotalAndFacetsOnly) {
  const Schema schema = Schema::load(testing::source_path("schemas"));
  Searcher searcher(build(kDocs, schema));
  SearchRequest request;
  request.query = "water";
  request.hits = false;
  request.facets = true;
  const SearchResults results = searcher.search(request);
  EXPECT_TRUE(results.hits.empty());
  EXPECT_EQ(results.total, 5u);
  EXPECT_EQ(results.limit, 0u);
  bool years_counted = false;
  for (const FacetResult& facet : results.facets) years_counted |= facet.field == "year" && !facet.values.empty();
  EXPECT_TRUE(years_counted);
}

TEST_F(ResultOrderTest, YearOrderNeedsAYearField) {
  const Schema schema = Schema::parse(
      R"({"version": 1, "fields": [{"name": "kind", "kind": "keyword", "prefix": "XK"}]})", "", "", "test");
  Searcher searcher(build(kDocs, schema));
  EXPECT_THROW(ids(searcher, ResultOrder::kNewest), RequestError);
  EXPECT_EQ(ids(searcher, ResultOrder::kTitle).size(), 5u);
}

TEST(ResultOrderNamesTest, ParseAndName) {
  const struct {
    std::string text;
    std::optional<ResultOrder> order;
  } cases[] = {
      {"relevance", ResultOrder::kRelevance},
      {"year", ResultOrder::kOldest},
      {"oldest", ResultOrder::kOldest},
      {"-year", ResultOrder::kNewest},
      {"newest", ResultOrder::kNewest},
      {"title", ResultOrder::kTitle},
      {"score", std::nullopt},
      {"", std::nullopt},
      {"Year", std::nullopt},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(parse_result_order(c.text), c.order);
    if (c.order) {
      EXPECT_EQ(parse_result_order(result_order_name(*c.order)), c.order);
    }
  }
}

}  // namespace
}  // namespace policy
