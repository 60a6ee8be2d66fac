// Collapsing near-duplicates in search (Searcher::search with
// SearchRequest::collapse and similar_to) on a generated corpus of versions
// (tests/support/near_duplicate_corpus.h): one result per group with the
// right counts, every document without collapse, a group listed by any of
// its ids, and totals and facet counts by groups that agree with a count
// made here from the corpus's expected groups, with the exact match set
// and without it (a wildcard, --fast).

#include <map>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "core/errors.h"

#include "searcher/searcher.h"

#include "tests/support/near_duplicate_corpus.h"
#include "tests/support/small_index.h"
#include "tests/support/test_support.h"

namespace policy {
namespace {

class NearDuplicateSearchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(testing::make_temp_dir("near-duplicate-search"));
    corpus_ = new testing::NearDuplicateCorpus(testing::make_near_duplicate_corpus());
    testing::write_index(*dir_ / "idx", corpus_->documents);
  }
  static void TearDownTestSuite() {
    delete corpus_;
    delete dir_;
  }
  // The group of `id` as the corpus expects it: its group id, or itself.
  static std::string group_of(const std::string& id) {
    const auto found = corpus_->expected_group.find(id);
    return found == corpus_->expected_group.end() ? id : found->second;
  }

  static std::filesystem::path* dir_;
  static testing::NearDuplicateCorpus* corpus_;
};

std::filesystem::path* NearDuplicateSearchTest::dir_ = nullptr;
testing::NearDuplicateCorpus* NearDuplicateSearchTest::corpus_ = nullptr;

TEST_F(NearDuplicateSearchTest, CollapsesOnePerGroupWithCounts) {
  Searcher searcher((*dir_ / "idx").string());
  struct Case {
    std::string query;
    bool exact;
  };
  // "policy" is in every text; "polic*" is a wildcard: no exact match set.
  for (const Case& c : {Case{"policy", true}, Case{"polic*", true}, Case{"policy", false}}) {
    SCOPED_TRACE(c.query + (c.exact ? "" : " --fast"));
    SearchRequest request;
    request.query = c.query;
    request.limit = 100;
    request.exact = c.exact;
    request.snippets = false;
    const SearchResults collapsed = searcher.search(request);
    EXPECT_TRUE(collapsed.collapsed);
    EXPECT_EQ(collapsed.total, corpus_->documents.size());
    EXPECT_EQ(collapsed.groups, corpus_->documents.size() - 2);
    ASSERT_EQ(collapsed.hits.size(), corpus_->documents.size() - 2);
    std::set<std::string> groups_shown;
    for (const SearchHit& hit : collapsed.hits) {
      SCOPED_TRACE(hit.id);
      EXPECT_TRUE(groups_shown.insert(group_of(hit.id)).second) << "a group shown twice";
      const bool grouped = corpus_->expected_group.contains(hit.id);
      EXPECT_EQ(hit.group, grouped ? group_of(hit.id) : "");
      EXPECT_EQ(hit.group_size, grouped ? 2u : 0u);
      EXPECT_EQ(hit.collapsed, grouped ? 1u : 0u);
    }

    request.collapse = false;
    const SearchResults all = searcher.search(request);
    EXPECT_FALSE(all.collapsed);
    EXPECT_EQ(all.hits.size(), corpus_->documents.size());
    EXPECT_EQ(all.total, corpus_->documents.size());
    for (const SearchHit& hit : all.hits) EXPECT_EQ(hit.collapsed, 0u);
  }
}

TEST_F(NearDuplicateSearchTest, SimilarToListsTheGroup) {
  Searcher searcher((*dir_ / "idx").string());
  struct Case {
    std::string id;
    std::string query;
    std::set<std::string> expected;
  };
  const std::vector<Case> cases = {
      {"strategy.pdf", "", {"strategy.html", "strategy.pdf"}},
      {"plan-draft", "", {"plan-draft", "plan-final"}},
      {"plan-final", "policy", {"plan-draft", "plan-final"}},
      {"report-a", "", {"report-a"}},  // in no group: itself
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id + " " + c.query);
    SearchRequest request;
    request.query = c.query;
    request.similar_to = c.id;
    request.limit = 100;
    const SearchResults results = searcher.search(request);
    std::set<std::string> ids;
    for (const SearchHit& hit : results.hits) ids.insert(hit.id);
    EXPECT_EQ(ids, c.expected);
    EXPECT_EQ(results.total, c.expected.size());
    EXPECT_FALSE(results.collapsed);
  }
  SearchRequest unknown;
  unknown.similar_to = "no-such-id";
  EXPECT_THROW(searcher.search(unknown), RequestError);
}

TEST_F(NearDuplicateSearchTest, FacetCountsByDocumentsAndGroups) {
  Searcher searcher((*dir_ / "idx").string());
  for (const std::string& filter : {std::string(), std::string("year:2020")}) {
    SCOPED_TRACE(filter);
    SearchRequest request;
    request.query = "policy";
    if (!filter.empty()) request.filters = {filter};
    request.facets = true;
    request.facet_limit = 100;
    const SearchResults results = searcher.search(request);
    // Independent count: per year, documents and distinct expected groups
    // (multi-select: the year field is counted without its own filter).
    std::map<std::string, std::uint64_t> documents;
    std::map<std::string, std::set<std::string>> groups;
    std::set<std::string> matching_groups;
    for (const SourceDocument& doc : corpus_->documents) {
      const std::string year = std::to_string(doc.metadata["year"].get<int>());
      ++documents[year];
      groups[year].insert(group_of(doc.id));
      if (filter.empty() || year == "2020") matching_groups.insert(group_of(doc.id));
    }
    EXPECT_EQ(results.groups, matching_groups.size());
    const auto year = std::find_if(results.facets.begin(), results.facets.end(),
                                   [](const FacetResult& f) { return f.field == "year"; });
    ASSERT_NE(year, results.facets.end());
    ASSERT_EQ(year->values.size(), documents.size());
    for (const FacetValue& v : year->values) {
      SCOPED_TRACE(v.key);
      EXPECT_EQ(v.count, documents[v.key]);
      EXPECT_EQ(v.groups, groups[v.key].size());
    }
  }
}

}  // namespace
}  // namespace policy
