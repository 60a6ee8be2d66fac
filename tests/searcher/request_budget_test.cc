// A request's budget (searcher/request_budget.h): a stopped request throws
// from a search and a count; past its deadline a search gives what it
// found, flagged as lower bounds, and a count gives nothing; the budget's
// posting source matches every document until the budget is spent.

#include "searcher/request_budget.h"

#include <chrono>
#include <stop_token>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "searcher/searcher.h"

#include "tests/support/small_index.h"
#include "tests/support/test_support.h"

namespace policy {
namespace {

using Clock = std::chrono::steady_clock;

class RequestBudgetTest : public ::testing::Test {
 protected:
  // 200 documents holding "river", so that a match has many candidates.
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(testing::make_temp_dir("request-budget"));
    index_ = (*dir_ / "idx").string();
    std::vector<SourceDocument> docs;
    for (int i = 0; i < 200; ++i) {
      docs.push_back(testing::source_document(
          "d" + std::to_string(i), "Report " + std::to_string(i),
          "The river report number " + std::to_string(i) + " on the coast and the river delta."));
    }
    testing::write_index(index_, docs);
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }

  static RequestBudget stopped() {
    std::stop_source stop;
    stop.request_stop();
    return RequestBudget(std::nullopt, stop.get_token());
  }
  static RequestBudget expired() { return RequestBudget(Clock::now() - std::chrono::seconds(1), {}); }

  static std::filesystem::path* dir_;
  static std::string index_;
};

std::filesystem::path* RequestBudgetTest::dir_ = nullptr;
std::string RequestBudgetTest::index_;

TEST_F(RequestBudgetTest, AStoppedRequestThrowsFromSearchAndCount) {
  Searcher searcher(index_);
  for (const char* query : {"river", "\"river delta\"", "river NEAR/2 coast"}) {
    SCOPED_TRACE(query);
    for (const bool exact : {true, false}) {
      SearchRequest request;
      request.query = query;
      request.exact = exact;
      request.facets = true;
      request.budget = stopped();
      EXPECT_THROW(searcher.search(request), RequestStoppedError);
    }
    CountRequest count;
    count.query = query;
    count.kwic = true;
    count.budget = stopped();
    EXPECT_THROW(searcher.count(count), RequestStoppedError);
  }
}

// Past the deadline a search answers, with what the match found before
// its budget ended it, flagged: the total and facets are not exact and a
// time_limit warning says why. The same search within its budget is
// exact and has no warning.
TEST_F(RequestBudgetTest, ASearchPastItsDeadlineGivesLowerBoundsWithAWarning) {
  Searcher searcher(index_);
  for (const char* query : {"river", "\"river delta\""}) {
    SCOPED_TRACE(query);
    SearchRequest request;
    request.query = query;
    request.facets = true;
    request.budget = expired();
    const SearchResults cut = searcher.search(request);
    EXPECT_FALSE(cut.total_exact);  // the total is Xapian's estimate from what the match saw
    for (const FacetResult& facet : cut.facets) EXPECT_FALSE(facet.exact) << facet.field;
    bool warned = false;
    for (const QueryWarning& warning : cut.warnings) {
      warned = warned || (warning.code == warning_code::kTimeLimit &&
                          warning.message.find("while matching") != std::string::npos);
    }
    EXPECT_TRUE(warned);

    request.budget = RequestBudget(Clock::now() + std::chrono::hours(1), std::stop_source().get_token());
    const SearchResults whole = searcher.search(request);
    EXPECT_TRUE(whole.total_exact);
    EXPECT_EQ(whole.total, 200u);
    EXPECT_TRUE(whole.warnings.empty());
  }
}

// A count's numbers go into reports: past the deadline it gives none.
TEST_F(RequestBudgetTest, ACountPastItsDeadlineThrows) {
  Searcher searcher(index_);
  for (const bool kwic : {false, true}) {
    CountRequest count;
    count.query = "river";
    count.kwic = kwic;
    count.budget = expired();
    EXPECT_THROW(searcher.count(count), TimeLimitError) << "kwic " << kwic;
    count.budget = RequestBudget();
    EXPECT_EQ(searcher.count(count).documents, 200u);
  }
}

// The searcher's own time limit and a request's deadline: the earlier one
// holds.
TEST(RequestBudgetWithinTest, KeepsTheEarlierDeadline) {
  const Clock::time_point now = Clock::now();
  const RequestBudget unbounded;
  EXPECT_FALSE(unbounded.bounded());
  EXPECT_FALSE(unbounded.within(0, now).bounded());
  const RequestBudget ten = unbounded.within(10, now);
  ASSERT_TRUE(ten.deadline());
  EXPECT_EQ(*ten.deadline(), now + std::chrono::seconds(10));
  EXPECT_EQ(*ten.within(20, now).deadline(), now + std::chrono::seconds(10));
  EXPECT_EQ(*ten.within(5, now).deadline(), now + std::chrono::seconds(5));
}

// The source ANDed with a query leaves its matches as they are while the
// budget lasts, and ends the match once it is stopped.
TEST_F(RequestBudgetTest, PostingSourceMatchesEveryDocumentUntilTheBudgetIsSpent) {
  const Xapian::Database db(index_);
  std::stop_source stop;
  BudgetPostingSource source(RequestBudget(std::nullopt, stop.get_token()));
  source.init(db);
  std::vector<Xapian::docid> seen;
  for (source.next(0); !source.at_end() && seen.size() < 5; source.next(0)) seen.push_back(source.get_docid());
  EXPECT_EQ(seen, (std::vector<Xapian::docid>{1, 2, 3, 4, 5}));
  source.skip_to(50, 0);
  EXPECT_EQ(source.get_docid(), 50u);
  EXPECT_FALSE(source.cut());
  stop.request_stop();
  source.next(0);
  EXPECT_TRUE(source.at_end());
  EXPECT_TRUE(source.cut());

  // In a match: the same documents as the query alone.
  BudgetPostingSource lasting(RequestBudget(Clock::now() + std::chrono::hours(1), {}));
  Xapian::Enquire enquire(db);
  enquire.set_query(filtered_by(Xapian::Query("river"), &lasting));
  const Xapian::MSet all = enquire.get_mset(0, 1000, 1000);
  EXPECT_EQ(all.size(), 200u);
  EXPECT_FALSE(lasting.cut());
}

}  // namespace
}  // namespace policy
