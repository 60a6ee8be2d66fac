// A read replica of a sharded index kept current with Xapian's replication
// (README "Running across machines"): xapian-replicate-server serves the
// master's directory, xapian-replicate brings each database of the replica
// up to date, while the indexer commits (with changesets kept, as
// policy-index --keep-changesets does) and a searcher on the replica
// searches without pause. Every search must succeed and see whole
// documents only; once replicated, the replica answers as the master.

#include <atomic>
#include <cstdlib>
#include <map>
#include <optional>
#include <thread>

#include <gtest/gtest.h>

#include "core/analyzer.h"
#include "core/index_layout.h"
#include "core/index_shards.h"

#include "indexer/sharded_index_writer.h"

#include "searcher/searcher.h"

#include "tests/support/shard_servers.h"
#include "tests/support/small_index.h"
#include "tests/support/temp_dir_test.h"
#include "tests/support/test_support.h"

namespace policy {
namespace {

class ShardReplicationTest : public testing::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    // What policy-index --keep-changesets sets; read when a database is
    // opened for writing.
    setenv("XAPIAN_MAX_CHANGESETS", "50", 1);
  }
  void TearDown() override {
    server_.reset();
    unsetenv("XAPIAN_MAX_CHANGESETS");
    TempDirTest::TearDown();
  }

  // Adds documents first..last - 1 to the master and commits.
  void index_documents(int first, int last) {
    ShardedIndexWriter writer(master().string(), 2, analyzer_, schema_, {});
    for (int i = first; i < last; ++i) {
      writer.add(testing::source_document(
          "doc" + std::to_string(i), "Survey " + std::to_string(i),
          "The river basin survey number " + std::to_string(i) + " reports on water quality and wetlands."));
    }
    writer.commit();
  }

  // One pass of xapian-replicate over every database of the index.
  void replicate(unsigned port) {
    for (const std::string& database :
         {std::string(kLexiconDirectory), shard_directory_name(0), shard_directory_name(1)}) {
      const testing::CommandResult result = testing::run_command(
          {"xapian-replicate", "--host", "127.0.0.1", "--port", std::to_string(port), "--master", database,
           "--one-shot", "--quiet", "--reader-time", "0", (replica() / database).string()});
      ASSERT_EQ(result.exit_code, 0) << result.err;
    }
  }

  // Starts xapian-replicate-server on the master (on port_) and makes the
  // replica, a full copy at first, with the master's stub. Each replica
  // directory is a stub naming its live copy, as `live_copy` receives it
  // per shard: a later full copy names another.
  void start_replica(std::map<std::string, std::string>* live_copy) {
    port_ = testing::free_loopback_port();
    server_.emplace(std::vector<std::string>{"setsid", "xapian-replicate-server", "--interface", "127.0.0.1", "--port",
                                             std::to_string(port_), master().string()});
    ASSERT_TRUE(testing::wait_for_loopback_port(port_)) << "xapian-replicate-server did not start";
    std::filesystem::create_directories(replica());
    replicate(port_);
    // The stub names the databases by relative paths: the same file serves.
    std::filesystem::copy_file(master() / kStubFileName, replica() / kStubFileName);
    for (const std::string& database : {shard_directory_name(0), shard_directory_name(1)}) {
      (*live_copy)[database] = testing::read_file(replica() / database / kStubFileName);
    }
  }

  std::filesystem::path master() const { return dir_ / "master"; }
  std::filesystem::path replica() const { return dir_ / "replica"; }

  const Schema schema_ = Schema::load(testing::source_path("schemas"));
  const Analyzer analyzer_;
  unsigned port_ = 0;
  std::optional<testing::ChildProcess> server_;
};

TEST_F(ShardReplicationTest, AReplicaFollowsCommitsWhileItIsSearched) {
  index_documents(0, 40);
  std::map<std::string, std::string> live_copy;
  start_replica(&live_copy);
  ASSERT_FALSE(HasFatalFailure());
  const unsigned port = port_;

  std::atomic<bool> done{false};
  std::atomic<int> searches{0}, failures{0}, partial{0};
  std::atomic<std::size_t> last_total{0};
  std::string first_failure;
  std::thread searching([&] {
    Searcher searcher(replica().string());
    SearchRequest request;
    request.query = "\"water quality\"";
    request.facets = true;
    while (!done) {
      try {
        searcher.refresh();
        const SearchResults results = searcher.search(request);
        // Whole documents only: every match holds the phrase, and totals
        // only grow (documents are only added).
        if (results.total < last_total || results.total < 40 || results.total > 100) ++partial;
        for (const SearchHit& hit : results.hits) {
          if (hit.snippets.empty() || hit.snippets[0].highlights.empty()) ++partial;
        }
        last_total = results.total;
        ++searches;
      } catch (const std::exception& e) {
        if (failures++ == 0) first_failure = e.what();
      }
    }
  });
  for (int round = 0; round < 3; ++round) {
    index_documents(40 + round * 20, 60 + round * 20);
    replicate(port);
  }
  // The last changesets seen, then stop.
  const int seen = searches + failures;
  while (searches + failures < seen + 3) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  done = true;
  searching.join();
  EXPECT_EQ(failures, 0) << first_failure;
  EXPECT_EQ(partial, 0);
  EXPECT_GT(searches, 10);
  EXPECT_EQ(last_total, 100u);

  // Replicated by changesets, not by copies, and the same answers.
  for (const std::string& database : {shard_directory_name(0), shard_directory_name(1)}) {
    EXPECT_EQ(testing::read_file(replica() / database / kStubFileName), live_copy[database]);
    const Xapian::Database copy((replica() / database).string());
    const Xapian::Database original((master() / database).string());
    EXPECT_EQ(copy.get_revision(), original.get_revision()) << database;
  }
  EXPECT_EQ(Xapian::Database((replica() / kLexiconDirectory).string()).get_metadata(metadata_key::kBuildId),
            Xapian::Database((master() / kLexiconDirectory).string()).get_metadata(metadata_key::kBuildId));
  Searcher on_replica(replica().string());
  Searcher on_master(master().string());
  SearchRequest request;
  request.query = "wetland";  // a stem: the lexicon's synonym table, replicated
  request.limit = 0;
  const SearchResults replicated = on_replica.search(request);
  const SearchResults original = on_master.search(request);
  EXPECT_EQ(replicated.total, 100u);
  ASSERT_EQ(replicated.hits.size(), original.hits.size());
  for (std::size_t i = 0; i < original.hits.size(); ++i) {
    EXPECT_EQ(replicated.hits[i].id, original.hits[i].id);
    EXPECT_DOUBLE_EQ(replicated.hits[i].score, original.hits[i].score);
  }
}

// A replica further behind than the changesets kept gets a full copy of
// each database, in a new directory its stub then names; a searcher open
// on the replica follows the switch at its next refresh.
TEST_F(ShardReplicationTest, AReplicaTooFarBehindGetsAFullCopyThatSearchersFollow) {
  setenv("XAPIAN_MAX_CHANGESETS", "1", 1);
  index_documents(0, 40);
  std::map<std::string, std::string> live_copy;
  start_replica(&live_copy);
  ASSERT_FALSE(HasFatalFailure());
  Searcher searcher(replica().string());
  SearchRequest request;
  request.query = "\"water quality\"";
  request.facets = true;
  EXPECT_EQ(searcher.search(request).total, 40u);

  // Three commits while the replica waits: only the last changeset is kept.
  for (int round = 0; round < 3; ++round) index_documents(40 + round * 20, 60 + round * 20);
  replicate(port_);
  for (const std::string& database : {shard_directory_name(0), shard_directory_name(1)}) {
    EXPECT_NE(testing::read_file(replica() / database / kStubFileName), live_copy[database])
        << database << " was not copied whole";
  }
  EXPECT_TRUE(searcher.refresh());
  const SearchResults replicated = searcher.search(request);
  const SearchResults original = Searcher(master().string()).search(request);
  EXPECT_EQ(replicated.total, 100u);
  EXPECT_EQ(replicated.total, original.total);
  ASSERT_EQ(replicated.hits.size(), original.hits.size());
  for (std::size_t i = 0; i < original.hits.size(); ++i) {
    EXPECT_EQ(replicated.hits[i].id, original.hits[i].id);
    EXPECT_DOUBLE_EQ(replicated.hits[i].score, original.hits[i].score);
  }
}

}  // namespace
}  // namespace policy
