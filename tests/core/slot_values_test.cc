// Tests of for_each_slot_value (core/slot_values.h): reading a slot by match
// gives what the value stream gives, pair for pair and in the same order,
// on one database, a stub of two, and two shards behind xapian-tcpsrv.

#include "core/slot_values.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <xapian.h>

#include "tests/support/shard_servers.h"
#include "tests/support/test_support.h"

namespace policy {
namespace {

namespace fs = std::filesystem;

using Pairs = std::vector<std::pair<Xapian::docid, std::string>>;

constexpr Xapian::valueno kSlot = 3;

Pairs read_all(const Xapian::Database& db, SlotReading how, Xapian::docid after) {
  Pairs pairs;
  for_each_slot_value(db, kSlot, how, after,
                      [&](Xapian::docid did, std::string_view value) { pairs.emplace_back(did, std::string(value)); });
  return pairs;
}

// Documents 1..n; every third has no value in kSlot, every fifth an empty
// one (no value to Xapian), every seventh is deleted; values repeat and
// hold separator bytes.
void write_database(const fs::path& path, int n, const std::string& tag) {
  Xapian::WritableDatabase db(path.string(), Xapian::DB_CREATE_OR_OVERWRITE);
  for (int i = 1; i <= n; ++i) {
    Xapian::Document doc;
    doc.add_term("Q" + tag + std::to_string(i));
    if (i % 3 != 0) doc.add_value(kSlot, i % 5 == 0 ? std::string() : tag + "\x1F" + std::to_string(i % 4) + "\x1E");
    db.add_document(doc);
  }
  for (int i = 7; i <= n; i += 7) db.delete_document(static_cast<Xapian::docid>(i));
  db.commit();
}

class SlotValuesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::make_temp_dir("slot-values");
    write_database(dir_ / "a", 40, "a");
    write_database(dir_ / "b", 25, "b");
    std::ofstream(dir_ / "stub") << "auto " << (dir_ / "a").string() << "\nauto " << (dir_ / "b").string() << "\n";
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
};

TEST_F(SlotValuesTest, MatchReadsWhatTheStreamReads) {
  const std::vector<std::pair<std::string, Xapian::Database>> databases = {
      {"one database", Xapian::Database((dir_ / "a").string())},
      {"stub of two", Xapian::Database((dir_ / "stub").string())},
  };
  for (const auto& [name, db] : databases) {
    for (const Xapian::docid after : {0u, 1u, 12u, 39u, 200u}) {
      SCOPED_TRACE(name + ", after " + std::to_string(after));
      const Pairs streamed = read_all(db, SlotReading::kStream, after);
      EXPECT_EQ(read_all(db, SlotReading::kMatch, after), streamed);
      if (after == 0) {
        EXPECT_EQ(streamed.size(), db.get_value_freq(kSlot));
      }
      for (const auto& [did, value] : streamed) EXPECT_GT(did, after);
    }
  }
}

TEST_F(SlotValuesTest, MatchOverRemoteShardsReadsWhatTheLocalStubStreams) {
  testing::ShardServer a(dir_ / "a");
  testing::ShardServer b(dir_ / "b");
  std::ofstream(dir_ / "remote") << a.stub_line() << "\n" << b.stub_line() << "\n";
  const Xapian::Database remote((dir_ / "remote").string());
  const Xapian::Database local((dir_ / "stub").string());
  const Pairs expected = read_all(local, SlotReading::kStream, 0);
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(read_all(remote, SlotReading::kMatch, 0), expected);
}

TEST_F(SlotValuesTest, EmptyDatabaseHasNoValues) {
  Xapian::WritableDatabase((dir_ / "empty").string(), Xapian::DB_CREATE_OR_OVERWRITE).commit();
  const Xapian::Database db((dir_ / "empty").string());
  EXPECT_TRUE(read_all(db, SlotReading::kMatch, 0).empty());
  EXPECT_TRUE(read_all(db, SlotReading::kStream, 0).empty());
}

}  // namespace
}  // namespace policy
