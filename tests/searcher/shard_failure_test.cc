// What a search over remote shards does when a shard goes away: it fails
// with a ShardUnavailableError naming the shard (exit 2 on the command line,
// 503 from the API), never answers without the shard's documents, never
// hangs past --remote-timeout, and serves again once the shard is back.

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "core/analyzer.h"
#include "core/errors.h"
#include "core/index_reader.h"
#include "core/index_shards.h"

#include "indexer/sharded_index_writer.h"

#include "searcher/searcher.h"

#include "tests/support/shard_servers.h"
#include "tests/support/small_index.h"
#include "tests/support/temp_dir_test.h"
#include "tests/support/test_support.h"

namespace policy {
namespace {

class ShardFailureTest : public testing::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    const Schema schema = Schema::load(testing::source_path("schemas"));
    const Analyzer analyzer;
    ShardedIndexWriter writer((dir_ / "index").string(), 3, analyzer, schema, {});
    for (int i = 0; i < 60; ++i) {
      writer.add(testing::source_document("doc" + std::to_string(i), "Report " + std::to_string(i),
                                          "The river basin survey " + std::to_string(i) + " covers water quality."));
    }
    writer.commit();
    std::vector<const testing::ShardServer*> serving;
    for (std::size_t k = 0; k < 3; ++k) {
      servers_.push_back(std::make_unique<testing::ShardServer>(dir_ / "index" / shard_directory_name(k)));
      serving.push_back(servers_.back().get());
    }
    testing::write_remote_stub(dir_ / "remote", dir_ / "index" / kLexiconDirectory, serving);
  }

  std::string remote() const { return (dir_ / "remote").string(); }

  static SearcherOptions quick_timeout() {
    SearcherOptions options;
    options.remote_timeout_seconds = 1;
    return options;
  }

  std::vector<std::unique_ptr<testing::ShardServer>> servers_;
};

TEST_F(ShardFailureTest, AShardDownAtOpeningIsAnErrorNamingIt) {
  servers_[1]->kill();
  try {
    Searcher searcher(remote(), quick_timeout());
    FAIL() << "opened an index with a shard down";
  } catch (const ShardUnavailableError& e) {
    EXPECT_NE(std::string(e.what()).find(servers_[1]->name()), std::string::npos) << e.what();
  }
}

TEST_F(ShardFailureTest, AShardKilledBetweenSearchesIsAnErrorNamingIt) {
  Searcher searcher(remote(), quick_timeout());
  SearchRequest request;
  request.query = "water";
  EXPECT_EQ(searcher.search(request).total, 60u);
  servers_[2]->kill();
  try {
    searcher.search(request);
    FAIL() << "answered without a shard";
  } catch (const ShardUnavailableError& e) {
    EXPECT_NE(std::string(e.what()).find(servers_[2]->name()), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find(servers_[0]->name()), std::string::npos) << e.what();
  }
  // Still down: the same answer, not a stale handle's.
  EXPECT_THROW(searcher.search(request), ShardUnavailableError);
}

TEST_F(ShardFailureTest, AShardKilledDuringSearchesNeverGivesPartialResults) {
  std::atomic<bool> killed{false}, finished{false};
  std::atomic<int> complete{0}, refused{0}, other{0}, after_kill{0};
  std::thread searching([&] {
    Searcher searcher(remote(), quick_timeout());
    SearchRequest request;
    request.query = "\"water quality\" OR survey";
    request.facets = true;
    for (int i = 0; i < 400 && refused < 5; ++i) {
      const bool was_killed = killed;
      try {
        const SearchResults results = searcher.search(request);
        if (results.total == 60 && results.total_exact) {
          ++complete;
        } else {
          ++other;
        }
      } catch (const ShardUnavailableError&) {
        ++refused;
      } catch (...) {
        ++other;
      }
      if (was_killed) ++after_kill;
    }
    finished = true;
  });
  while (complete < 20 && !finished) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  servers_[0]->kill();
  killed = true;
  searching.join();
  EXPECT_EQ(other, 0) << "a search answered with another total, or failed otherwise";
  EXPECT_GE(refused, 1);
  EXPECT_GT(after_kill, 0);
}

TEST_F(ShardFailureTest, AStoppedShardTimesOutThenServesAgain) {
  Searcher searcher(remote(), quick_timeout());
  SearchRequest request;
  request.query = "river";
  EXPECT_EQ(searcher.search(request).total, 60u);
  servers_[1]->pause();
  try {
    searcher.search(request);
    FAIL() << "answered without a shard";
  } catch (const ShardUnavailableError& e) {
    EXPECT_NE(std::string(e.what()).find(servers_[1]->name()), std::string::npos) << e.what();
  }
  servers_[1]->resume();
  EXPECT_EQ(searcher.search(request).total, 60u);
}

TEST_F(ShardFailureTest, HealthSaysWhichShardsAnswer) {
  servers_[0]->kill();
  const std::vector<ShardHealth> health = probe_databases(remote(), 1000);
  ASSERT_EQ(health.size(), 4u);  // the lexicon, then the shards
  EXPECT_TRUE(health[0].answers);
  EXPECT_EQ(health[0].documents, 0u);
  EXPECT_FALSE(health[1].answers);
  EXPECT_EQ(health[1].name, servers_[0]->name());
  EXPECT_FALSE(health[1].error.empty());
  Xapian::doccount documents = 0;
  for (std::size_t k = 2; k < 4; ++k) {
    EXPECT_TRUE(health[k].answers);
    EXPECT_TRUE(health[k].remote);
    documents += health[k].documents;
  }
  EXPECT_GT(documents, 0u);
  EXPECT_LT(documents, 60u);

  const testing::CommandResult cli = testing::run_command({POLICY_SEARCH_BIN, "health", "--index", remote()});
  EXPECT_EQ(cli.exit_code, 1) << cli.out << cli.err;
  EXPECT_NE(cli.out.find(servers_[0]->name() + "  remote  DOES NOT ANSWER"), std::string::npos) << cli.out;
  const testing::CommandResult search = testing::run_command({POLICY_SEARCH_BIN, "--index", remote(), "river"});
  EXPECT_EQ(search.exit_code, 2);
  EXPECT_NE(search.err.find(servers_[0]->name()), std::string::npos) << search.err;
  EXPECT_EQ(search.out, "");
}

TEST_F(ShardFailureTest, HealthOfAnIndexWhoseShardsAllAnswer) {
  const testing::CommandResult cli = testing::run_command({POLICY_SEARCH_BIN, "health", "--index", remote()});
  EXPECT_EQ(cli.exit_code, 0) << cli.out << cli.err;
  EXPECT_NE(cli.out.find("4 databases, 4 answer"), std::string::npos) << cli.out;
  const testing::CommandResult local =
      testing::run_command({POLICY_SEARCH_BIN, "health", "--index", (dir_ / "index").string(), "--json"});
  EXPECT_EQ(local.exit_code, 0) << local.err;
  const nlohmann::json health = nlohmann::json::parse(local.out);
  EXPECT_EQ(health["status"], "ok");
  EXPECT_EQ(health["documents"], 60);
  EXPECT_EQ(health["shards"].size(), 4u);
}

}  // namespace
}  // namespace policy
