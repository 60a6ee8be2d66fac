// Queries files (query_source.h): each format, line numbers and ids, bad
// lines as error rows, bad headers as named errors, and the count a
// progress bar shows.

#include "searcher/query_source.h"

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/field_schema.h"

#include "tests/support/test_support.h"

namespace policy {
namespace {

class QuerySourceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(testing::make_temp_dir("query-source"));
    schema_ = new Schema(Schema::load(testing::source_path("schemas")));
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete schema_;
  }

  static std::vector<BatchQuery> read_queries(const std::string& name, const std::string& content) {
    testing::write_file(*dir_ / name, content);
    QuerySource source(*dir_ / name, *schema_);
    std::vector<BatchQuery> queries;
    while (auto q = source.next()) queries.push_back(*q);
    return queries;
  }

  static std::filesystem::path* dir_;
  static Schema* schema_;
};

std::filesystem::path* QuerySourceTest::dir_ = nullptr;
Schema* QuerySourceTest::schema_ = nullptr;

TEST_F(QuerySourceTest, QueryFileFormats) {
  const auto lines = read_queries("q.txt", "# comment\n\nclimate change\n  \"green envoys\"  \n");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].id, "q3");
  EXPECT_EQ(lines[0].query, "climate change");
  EXPECT_EQ(lines[1].query, "\"green envoys\"");
  EXPECT_EQ(lines[1].location, (*dir_ / "q.txt").string() + ":4");

  const auto csv = read_queries("q.csv",
                                "id,query,year,org,filters\r\n"
                                "a,\"air, water\",2010..2015,ASEAN Secretariat,\r\n"
                                "b,\"say \"\"hello\"\"\nworld\",,,area:water\r\n"
                                "c,only two\r\n");
  ASSERT_EQ(csv.size(), 3u);
  EXPECT_EQ(csv[0].id, "a");
  EXPECT_EQ(csv[0].query, "air, water");
  EXPECT_EQ(csv[0].filters, (std::vector<std::string>{"year:2010..2015", "organisation:\"ASEAN Secretariat\""}));
  EXPECT_EQ(csv[1].query, "say \"hello\"\nworld");
  EXPECT_EQ(csv[1].filters, std::vector<std::string>{"area:water"});
  EXPECT_EQ(csv[2].error, "expected 5 columns, found 2");
  EXPECT_EQ(csv[2].location, (*dir_ / "q.csv").string() + ":5");  // record b spans lines 3-4

  const auto tsv = read_queries("q.tsv", "query\tid\nwater\tw1\n");
  ASSERT_EQ(tsv.size(), 1u);
  EXPECT_EQ(tsv[0].id, "w1");

  const auto jsonl = read_queries("q.jsonl",
                                  "{\"id\": \"j1\", \"query\": \"water\", \"filters\": [\"year:2016\"]}\n"
                                  "{broken\n"
                                  "{\"query\": \"air\", \"filters\": \"org:EPA\"}\n");
  ASSERT_EQ(jsonl.size(), 3u);
  EXPECT_EQ(jsonl[0].filters, std::vector<std::string>{"year:2016"});
  EXPECT_NE(jsonl[1].error.find("malformed JSON"), std::string::npos);
  EXPECT_EQ(jsonl[2].id, "q3");
  EXPECT_EQ(jsonl[2].filters, std::vector<std::string>{"org:EPA"});
}

TEST_F(QuerySourceTest, BadHeadersAreFatalAndNamed) {
  testing::write_file(*dir_ / "bad.csv", "id,question\n1,water\n");
  try {
    QuerySource source(*dir_ / "bad.csv", *schema_);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.csv:1: unknown column 'question'"), std::string::npos) << e.what();
  }
  testing::write_file(*dir_ / "noquery.csv", "id,year\n1,2016\n");
  EXPECT_THROW(QuerySource(*dir_ / "noquery.csv", *schema_), std::runtime_error);
  EXPECT_THROW(QuerySource(*dir_ / "missing.txt", *schema_), std::runtime_error);
}

// count() is what next() hands out, error rows included, whatever the format.
TEST_F(QuerySourceTest, CountIsWhatNextHandsOut) {
  const struct {
    std::string name, content;
  } cases[] = {
      {"c.txt", "# comment\n\nclimate change\n  \"green envoys\"  \n"},
      {"c.csv", "id,query\r\na,water\r\nb,\"two\nlines\"\r\n\r\nc,only,three\r\n"},
      {"c.jsonl", "{\"query\": \"water\"}\n{broken\n\n"},
      {"c.tsv", "query\nwater\n"},
      {"empty.txt", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::vector<BatchQuery> queries = read_queries(c.name, c.content);
    EXPECT_EQ(QuerySource::count(*dir_ / c.name, *schema_), queries.size());
  }
  EXPECT_EQ(QuerySource::count(*dir_ / "c.csv", *schema_), 3u);
}

}  // namespace
}  // namespace policy
