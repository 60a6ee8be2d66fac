// Tests of the Searcher (searcher.h) on indexes written by IndexWriter from
// small hand-made documents: query semantics, ranking, paging, snippets,
// query errors, incremental indexing as a search sees it, version checks.

#include "searcher/searcher.h"

#include <algorithm>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "core/index_layout.h"

#include "indexer/index_writer.h"

#include "searcher/result_rendering.h"

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
      {"\"air pollution\" NEAR/5 (China AND x)", 24, "NEAR does not take an AND group"},
      {"# %", 0, "no searchable words"},
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

// Issue 22: a filter value that names nothing in the index (org:Lincoln)
// was a quiet zero; it is a warning with the closest known values, from the
// query, from the request's filters and from inside the free text.
TEST_F(IndexSearchTest, FilterValuesThatNameNothingAreWarnings) {
  struct Case {
    std::string query;
    std::vector<std::string> filters;
    std::vector<std::string> warned;  // field=value
    std::size_t total;
  };
  const std::vector<Case> cases = {
      {"soup org:Lincoln", {}, {"organisation=Lincoln"}, 0},
      {"soup", {"org:UN"}, {"organisation=UN"}, 0},
      {"soup", {"org:\"Joe Biden\"", "year:2016"}, {"organisation=Joe Biden"}, 0},
      {"soup OR (air org:\"Joe Biden\")", {}, {"organisation=Joe Biden"}, 2},
      {"soup org:Lincoln OR org:Lincoln", {}, {"organisation=Lincoln"}, 0},  // once
      {"air year:1800-1850", {}, {"year=1800-1850"}, 0},
      {"air year:<2000", {}, {"year=<2000"}, 0},
      {"air -year:1999", {}, {"year=1999"}, 2},  // excludes nothing
      {"air year:>2000", {}, {}, 1},
      {"air year:>=2016", {}, {}, 1},
      {"air year:2010-2020", {}, {}, 1},
      {"", {"year:<=2016"}, {}, 1},
      {"soup", {}, {}, 2},
  };
  Searcher searcher(index_);
  for (const Case& c : cases) {
    SCOPED_TRACE(c.query);
    SearchRequest search = request(c.query, 0, 10, false);
    search.filters = c.filters;
    const SearchResults results = searcher.search(search);
    std::vector<std::string> warned;
    for (const QueryWarning& w : results.warnings) {
      EXPECT_EQ(w.code, warning_code::kUnknownFilterValue);
      EXPECT_NE(w.message.find(w.value), std::string::npos) << w.message;
      warned.push_back(w.field + "=" + w.value);
    }
    EXPECT_EQ(warned, c.warned);
    EXPECT_EQ(results.total, c.total);
    // The batch's count sees the same.
    CountRequest count;
    count.query = c.query;
    count.filters = c.filters;
    const MatchCounts counts = searcher.count(count);
    EXPECT_EQ(counts.warnings, results.warnings);
    EXPECT_EQ(counts.documents, c.total);
  }
  // The nearest year the index holds.
  const SearchResults old = searcher.search(request("year:1800-1850", 0, 10, false));
  ASSERT_EQ(old.warnings.size(), 1u);
  EXPECT_EQ(old.warnings[0].suggestions, std::vector<std::string>{"2016"});
  EXPECT_EQ(old.warnings[0].message, "year:1800-1850 matches no year in the index; closest: 2016");
  // In the JSON too.
  const nlohmann::json json = results_to_json(old, searcher.info());
  EXPECT_EQ(json["warnings"][0]["field"], "year");
  EXPECT_EQ(json["warnings"][0]["suggestions"], nlohmann::json::array({"2016"}));
  EXPECT_EQ(results_to_json(searcher.search(request("soup", 0, 10, false)), searcher.info())["warnings"],
            nlohmann::json::array());
}

// Issue 22: "--filter tariff climate" put the caret under "climate"; an
// error in a filter is the filter's, shown with the filter's own text.
TEST_F(IndexSearchTest, FilterErrorsShowTheFilterNotTheQuery) {
  struct Case {
    std::string filter;
    std::string message_part;
  };
  const std::vector<Case> cases = {
      {"tariff", "'tariff' is not a filter"},
      {"year:abc", "'abc' is not a year or a range of years"},
      {"org:env*", "wildcards do not apply"},
      {"org:\"unclosed", "unterminated"},
  };
  Searcher searcher(index_);
  for (const Case& c : cases) {
    SCOPED_TRACE(c.filter);
    SearchRequest search = request("climate", 0, 10, false);
    search.filters = {"org:MEP", c.filter};
    try {
      searcher.search(search);
      ADD_FAILURE() << "expected a filter error";
    } catch (const FilterError& e) {
      EXPECT_EQ(e.filter(), c.filter);
      EXPECT_NE(e.message().find(c.message_part), std::string::npos) << e.message();
      const std::string shown = format_query_error(e, "climate");
      EXPECT_TRUE(shown.starts_with("filter error at position ")) << shown;
      EXPECT_NE(shown.find("\n  " + c.filter + "\n  " + std::string(e.position(), ' ') + "^\n"), std::string::npos)
          << shown;
      EXPECT_EQ(shown.find("climate"), std::string::npos) << shown;
      EXPECT_EQ(query_error_to_json(e, "climate")["error"]["filter"], c.filter);
    }
  }
  // The query's own errors stay the query's.
  try {
    searcher.search(request("year:abc", 0, 10, false));
    ADD_FAILURE() << "expected a query error";
  } catch (const FilterError&) {
    ADD_FAILURE() << "not a filter's error";
  } catch (const QueryError& e) {
    EXPECT_TRUE(format_query_error(e, "year:abc").starts_with("query error at position 0"));
    EXPECT_FALSE(query_error_to_json(e, "year:abc")["error"].contains("filter"));
  }
}

}  // namespace
}  // namespace policy
