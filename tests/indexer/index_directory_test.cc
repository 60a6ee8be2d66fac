// The index directory: its paths, creating an index, the swap, and the
// lock holder's pid file.

#include "indexer/index_directory.h"

#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>
#include <xapian.h>

#include "tests/support/temp_dir_test.h"
#include "tests/support/test_support.h"

namespace policy {
namespace {

namespace fs = std::filesystem;

class IndexDirectoryTest : public testing::TempDirTest {};

TEST_F(IndexDirectoryTest, PathIsNormalisedAndResolvedThroughLinks) {
  fs::create_directories(dir_ / "real");
  fs::create_directory_symlink("real", dir_ / "link");
  struct Case {
    std::string given;
    std::string path;
    std::string real_path;
  };
  const std::string d = dir_.string();
  const Case cases[] = {
      {d + "/missing", d + "/missing", d + "/missing"},
      {d + "/missing/", d + "/missing", d + "/missing"},
      {d + "/./a/../missing", d + "/missing", d + "/missing"},
      {d + "/real/", d + "/real", fs::canonical(dir_ / "real").string()},
      {d + "/link", d + "/link", fs::canonical(dir_ / "real").string()},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.given);
    const IndexDirectory directory(c.given);
    EXPECT_EQ(directory.path(), c.path);
    EXPECT_EQ(directory.real_path().string(), c.real_path);
    EXPECT_EQ(directory.beside(".building").string(), c.real_path + ".building");
  }
}

TEST_F(IndexDirectoryTest, HoldsADatabaseUnlessMissingOrEmpty) {
  fs::create_directories(dir_ / "empty");
  testing::write_file(dir_ / "full" / "file", "x");
  testing::write_file(dir_ / "file", "x");
  struct Case {
    const char* name;
    bool holds;
  };
  for (const Case& c : {Case{"missing", false}, Case{"empty", false}, Case{"full", true}, Case{"file", true}}) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(IndexDirectory((dir_ / c.name).string()).holds_database(), c.holds);
  }
}

TEST_F(IndexDirectoryTest, CreateCommitsWhatInitialiseWritesAndLeavesNoStaging) {
  for (const char* name : {"missing", "empty"}) {
    SCOPED_TRACE(name);
    if (std::string(name) == "empty") fs::create_directories(dir_ / name);
    const IndexDirectory directory((dir_ / name).string());
    directory.create([](Xapian::WritableDatabase& db) { db.set_metadata("made-by", "test"); });
    EXPECT_TRUE(directory.holds_database());
    EXPECT_EQ(Xapian::Database(directory.path()).get_metadata("made-by"), "test");
  }
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 2) << "a staging directory is left";
}

TEST_F(IndexDirectoryTest, SwapInExchangesTheDirectories) {
  testing::write_file(dir_ / "idx" / "old", "old");
  testing::write_file(dir_ / "new" / "new", "new");
  const IndexDirectory directory((dir_ / "idx").string());
  directory.swap_in(dir_ / "new");
  EXPECT_TRUE(fs::exists(dir_ / "idx" / "new"));
  EXPECT_FALSE(fs::exists(dir_ / "idx" / "old"));
  EXPECT_TRUE(fs::exists(dir_ / "new" / "old"));
}

TEST_F(IndexDirectoryTest, LockProblemNamesTheHolderWhileItsPidFileIsThere) {
  const fs::path index = dir_ / "idx";
  fs::create_directories(index);
  const IndexDirectory directory(index.string());
  WriterPidFile pid_file(index.string());
  struct Case {
    const char* name;
    bool written;
    std::string message;
  };
  const std::string lock = "lock file " + index.string() + "/flintlock); wait for it to finish";
  const Case cases[] = {
      {"no pid file", false, "index '" + index.string() + "' is locked by another writer (" + lock},
      {"pid file", true,
       "index '" + index.string() + "' is locked by another writer (policy-index pid " + std::to_string(getpid()) +
           ", " + lock},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    if (c.written) {
      ASSERT_TRUE(pid_file.write());
    }
    EXPECT_EQ(fs::exists(index / "policy-index.pid"), c.written);
    EXPECT_EQ(directory.lock_problem(), c.message);
  }
  pid_file.remove();
  EXPECT_FALSE(fs::exists(index / "policy-index.pid"));
}

}  // namespace
}  // namespace policy
