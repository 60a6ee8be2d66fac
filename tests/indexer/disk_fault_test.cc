// Disk, permission and schema faults end to end: a full disk, a read-only
// index and broken schema files stop policy-index with exit 2 and a message
// saying why, and leave the index as its last commit made it.

#include <sys/mount.h>
#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/index_check.h"
#include "tests/support/test_support.h"

namespace policy {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::run_command;

// A corpus of `count` small documents named PREFIX-N.txt.
void write_corpus(const fs::path& dir, const std::string& prefix, int count) {
  for (int i = 0; i < count; ++i) {
    testing::write_file(dir / (prefix + "-" + std::to_string(i) + ".txt"),
                        "Water quality report " + std::to_string(i) + " of the " + prefix +
                            " series, on rivers, lakes and monitoring stations.\n");
  }
}

CommandResult index_into(const fs::path& index, const fs::path& corpus, std::vector<std::string> extra = {},
                         const testing::SpawnOptions& as = {}) {
  std::vector<std::string> argv = {POLICY_INDEX_BIN, "--index", index.string(), "--quiet"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.push_back(corpus.string());
  return run_command(argv, as);
}

// A small tmpfs mounted for one test, unmounted at the end; mounted() is
// false where mounting is not allowed (not root, or a container without
// CAP_SYS_ADMIN).
class SmallFileSystem {
 public:
  SmallFileSystem(const fs::path& dir, const std::string& size) : dir_(dir) {
    fs::create_directories(dir);
    mounted_ = mount("tmpfs", dir.c_str(), "tmpfs", 0, ("size=" + size).c_str()) == 0;
  }
  ~SmallFileSystem() {
    if (mounted_) umount2(dir_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  bool make_read_only() { return mount(nullptr, dir_.c_str(), nullptr, MS_REMOUNT | MS_RDONLY, "size=4m") == 0; }

 private:
  fs::path dir_;
  bool mounted_ = false;
};

class DiskFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        testing::make_temp_dir("disk-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

// The disk fills while a second run adds documents: exit 2 with the reason,
// and the index still holds every document of the first run, whole. With
// room made, the same command finishes.
TEST_F(DiskFaultTest, FullDiskExitsTwoAndKeepsTheLastCommit) {
  SmallFileSystem disk(dir_ / "disk", "4m");
  if (!disk.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN)";
  const fs::path index = dir_ / "disk" / "idx";
  write_corpus(dir_ / "corpus", "old", 20);
  ASSERT_EQ(index_into(index, dir_ / "corpus").exit_code, 0);
  const testing::IndexContents before = testing::read_index(index);
  ASSERT_EQ(before.ids.size(), 20u);

  // Fill what is left of the disk, then index more.
  {
    std::ofstream filler(dir_ / "disk" / "filler", std::ios::binary);
    const std::string block(1 << 16, 'x');
    while (filler.write(block.data(), block.size())) {
    }
  }
  write_corpus(dir_ / "corpus", "new", 300);
  const CommandResult full = index_into(index, dir_ / "corpus", {"--commit-every", "50"});
  EXPECT_EQ(full.exit_code, 2) << full.out << full.err;
  EXPECT_NE(full.err.find("policy-index: error: cannot write to index '" + index.string() + "': "), std::string::npos)
      << full.err;
  EXPECT_NE(full.err.find("No space left on device"), std::string::npos) << full.err;
  EXPECT_NE(full.err.find("the index keeps its last commit (20 documents)"), std::string::npos) << full.err;

  const testing::IndexContents after = testing::read_index(index);
  ASSERT_TRUE(after.opens) << after.open_error;
  EXPECT_TRUE(after.broken.empty());
  EXPECT_EQ(after.ids, before.ids);
  const CommandResult search =
      run_command({POLICY_SEARCH_BIN, "--index", index.string(), "--json", "--limit", "0", "water"});
  ASSERT_EQ(search.exit_code, 0) << search.err;
  EXPECT_EQ(nlohmann::json::parse(search.out)["total"], 20);

  fs::remove(dir_ / "disk" / "filler");
  const CommandResult again = index_into(index, dir_ / "corpus", {"--commit-every", "50"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(testing::read_index(index).ids.size(), 320u);
}

// A read-only index can be searched; a write attempt says why it cannot.
// Two ways: a read-only file system (tmpfs remounted ro), and a directory
// the user may not write (as root: run as "nobody", since root ignores
// permissions).
TEST_F(DiskFaultTest, ReadOnlyIndexIsSearchableAndAWriteSaysWhy) {
  struct Case {
    std::string name;
    std::string reason;
  };
  for (const Case& c :
       {Case{"read-only file system", "Read-only file system"}, Case{"directory not writable", "Permission denied"}}) {
    SCOPED_TRACE(c.name);
    const fs::path root = dir_ / (c.name == "read-only file system" ? "ro" : "perm");
    SmallFileSystem disk(root, "4m");
    testing::SpawnOptions as;
    if (c.name == "read-only file system") {
      if (!disk.mounted()) {
        std::printf("[ skipped  ] %s: cannot mount a tmpfs here\n", c.name.c_str());
        continue;
      }
    }
    const fs::path index = root / "idx";
    write_corpus(dir_ / "corpus", "doc", 5);
    ASSERT_EQ(index_into(index, dir_ / "corpus").exit_code, 0);
    const auto files_before = testing::snapshot_files(index);
    if (c.name == "read-only file system") {
      ASSERT_TRUE(disk.make_read_only());
    } else {
      fs::permissions(index, fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write,
                      fs::perm_options::remove);
      if (geteuid() == 0) {
        as.uid = testing::nobody_uid();
        as.gid = testing::nobody_gid();
      }
    }
    const CommandResult search =
        run_command({POLICY_SEARCH_BIN, "--index", index.string(), "--json", "--limit", "0", "water"}, as);
    EXPECT_EQ(search.exit_code, 0) << search.err;
    EXPECT_EQ(nlohmann::json::parse(search.out)["total"], 5);

    write_corpus(dir_ / "corpus", "more", 1);
    const CommandResult write = index_into(index, dir_ / "corpus", {}, as);
    EXPECT_EQ(write.exit_code, 2) << write.err;
    EXPECT_NE(write.err.find("policy-index: error: cannot write to index '" + index.string() + "': " + c.reason),
              std::string::npos)
        << write.err;
    EXPECT_NE(write.err.find("can be searched, not updated"), std::string::npos) << write.err;
    EXPECT_EQ(testing::snapshot_files(index), files_before);
    fs::remove_all(dir_ / "corpus");
  }
}

// A broken schema stops the run before the index is opened: exit 2, a
// message naming file and field, and the existing index byte for byte as it
// was.
TEST_F(DiskFaultTest, BrokenSchemaExitsTwoAndLeavesTheIndexUntouched) {
  write_corpus(dir_ / "corpus", "doc", 10);
  const fs::path index = dir_ / "idx";
  ASSERT_EQ(index_into(index, dir_ / "corpus").exit_code, 0);
  write_corpus(dir_ / "corpus", "more", 5);  // what the failed runs would add
  const auto files_before = testing::snapshot_files(index);

  const std::string fields = testing::read_file(testing::source_path("schemas/fields.json"));
  nlohmann::json parsed = nlohmann::json::parse(fields);
  const auto with_field = [&](nlohmann::json field) {
    nlohmann::json copy = parsed;
    copy["fields"].push_back(std::move(field));
    return copy.dump(2);
  };
  const std::string first_prefix = parsed["fields"][0]["prefix"];
  const int first_slot = parsed["fields"][0]["slot"];
  const std::string first_name = parsed["fields"][0]["name"];
  struct Case {
    std::string name;
    std::string file;
    std::string content;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"broken JSON", "fields.json", fields.substr(0, fields.size() / 2), "fields.json: line "},
      {"unknown kind", "fields.json", with_field({{"name", "colour"}, {"kind", "tag"}, {"prefix", "XCOLOUR"}}),
       "fields.json: field \"colour\": unknown kind \"tag\""},
      {"duplicate prefix", "fields.json",
       with_field({{"name", "colour"}, {"kind", "keyword"}, {"prefix", first_prefix}, {"slot", 90}}),
       "fields.json: field \"colour\": duplicate prefix \"" + first_prefix + "\" (also used by \"" + first_name +
           "\")"},
      {"duplicate slot", "fields.json",
       with_field({{"name", "colour"}, {"kind", "keyword"}, {"prefix", "XCOLOUR"}, {"slot", first_slot}}),
       "fields.json: field \"colour\": duplicate slot " + std::to_string(first_slot) + " (also used by \"" +
           first_name + "\")"},
      {"broken organisations", "organisations.json", "{\"version\": 1, \"organisations\": [",
       "organisations.json: line 1"},
      {"broken areas", "priority_areas.json", "[]", "priority_areas.json: top level must be an object"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const fs::path schemas = dir_ / "schemas";
    fs::remove_all(schemas);
    fs::copy(testing::source_path("schemas"), schemas, fs::copy_options::recursive);
    testing::write_file(schemas / c.file, c.content);
    const CommandResult r = index_into(index, dir_ / "corpus", {"--schema-dir", schemas.string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("policy-index: error: "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(testing::snapshot_files(index), files_before);
  }
  EXPECT_EQ(testing::read_index(index).ids.size(), 10u);
}

}  // namespace
}  // namespace policy
