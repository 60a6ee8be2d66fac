// The web page's "Try" queries come from the index (issue 23): on an index
// that is not corpus/, they name its own phrases and facet values, and
// every one finds documents.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "searcher/searcher.h"

#include "tests/support/small_index.h"
#include "tests/support/test_support.h"

namespace policy {
namespace {

namespace fs = std::filesystem;

SourceDocument dated(std::string id, std::string text, int year, std::string organisation) {
  SourceDocument doc = testing::source_document(id, "Report " + id, std::move(text));
  doc.metadata = {{"year", year}, {"organisation", std::move(organisation)}};
  return doc;
}

TEST(ExampleQueriesTest, ComeFromTheIndexAndFindDocuments) {
  const fs::path dir = testing::make_temp_dir("example-queries");
  const std::string index = (dir / "idx").string();
  // "mangrove restoration" is in three documents, "seagrass meadows" in
  // two; "of the" is frequent everywhere and never offered.
  testing::write_index(
      index, {
                 dated("a", "Mangrove restoration of the coast. Mangrove restoration works.", 1990, "UNEP"),
                 dated("b", "The plan of the delta funds mangrove restoration and seagrass meadows.", 2001, "UNEP"),
                 dated("c", "Seagrass meadows of the bay; mangrove restoration again.", 2012, "EPA"),
                 dated("d", "Nothing of the kind here, only of the sea.", 2020, "UNEP"),
             });
  Searcher searcher(index);
  const std::vector<ExampleQuery>& examples = searcher.examples();
  std::vector<std::string> queries;
  for (const ExampleQuery& e : examples) queries.push_back(e.query);
  ASSERT_GE(queries.size(), 4u);
  EXPECT_EQ(queries[0], "\"mangrove restoration\"");
  EXPECT_EQ(queries[1], "\"seagrass meadows\"");
  EXPECT_NE(std::find(queries.begin(), queries.end(), "org:\"United Nations Environment Programme\""), queries.end());
  EXPECT_NE(std::find(queries.begin(), queries.end(), "year:1990..2020"), queries.end());
  for (const ExampleQuery& e : examples) {
    SCOPED_TRACE(e.query);
    EXPECT_FALSE(e.why.empty());
    SearchRequest request;
    request.query = e.query;
    EXPECT_GT(searcher.search(request).total, 0u);
  }
  fs::remove_all(dir);
}

TEST(ExampleQueriesTest, EmptyIndexOffersNothing) {
  const fs::path dir = testing::make_temp_dir("example-queries-empty");
  const std::string index = (dir / "idx").string();
  testing::write_index(index, {});
  Searcher searcher(index);
  EXPECT_TRUE(searcher.examples().empty());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace policy
