// policy-index, the program: what its runs leave in the index and say,
// whatever happens to them.
//
// Crash safety and the single writer: policy-index killed with SIGKILL at
// spread moments leaves an index that opens, holds whole documents and a
// committed prefix of the input; re-running finishes it to the same
// documents and results as an uninterrupted run. SIGINT and SIGTERM stop it
// cleanly after a commit. A second writer is refused at once.
//
// Disk, permission and schema faults end to end: a full disk, a read-only
// index and broken schema files stop policy-index with exit 2 and a message
// saying why, and leave the index as its last commit made it.

#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <xapian.h>

#include "core/body_compression.h"
#include "core/index_layout.h"

#include "tests/support/index_check.h"
#include "tests/support/temp_dir_test.h"
#include "tests/support/test_support.h"

namespace policy {
namespace {

namespace fs = std::filesystem;
using testing::ChildProcess;
using testing::CommandResult;
using testing::run_command;

// ---------------------------------------------------------------------------
// Crash safety, interruption and the single writer.

constexpr int kJsonlFiles = 4;
constexpr int kLinesPerJsonl = 500;
constexpr int kTextFiles = 1000;
constexpr int kDocuments = kJsonlFiles * kLinesPerJsonl + kTextFiles;
constexpr std::size_t kCommitEvery = 100;

const std::vector<std::string> kQueries = {"water", "\"air quality\" OR biodiversity", "energy -coal",
                                           "forest NEAR/3 river", "climate org:MEP"};

class CrashSafetyTest : public ::testing::Test {
 protected:
  // A generated corpus of small documents (JSONL and .txt) and its
  // uninterrupted build: the reference every interrupted build must reach.
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(testing::make_temp_dir("crash"));
    std::mt19937 random(20261201);
    const std::vector<std::string> words = {"water",
                                            "air",
                                            "quality",
                                            "biodiversity",
                                            "energy",
                                            "coal",
                                            "forest",
                                            "river",
                                            "climate",
                                            "policy",
                                            "Ministry of Environmental Protection",
                                            "cooperation",
                                            "pollution",
                                            "soil",
                                            "waste",
                                            "monitoring"};
    const auto text = [&](int n) {
      std::string t;
      const int length = 20 + static_cast<int>(random() % 60);
      for (int w = 0; w < length; ++w) t += words[random() % words.size()] + (w % 12 == 11 ? ".\n" : " ");
      return t + "Document number " + std::to_string(n) + ".";
    };
    int n = 0;
    for (int f = 0; f < kJsonlFiles; ++f) {
      std::string lines;
      for (int l = 0; l < kLinesPerJsonl; ++l, ++n) {
        lines += nlohmann::json{{"id", "j" + std::to_string(n)},
                                {"title", "Record " + std::to_string(n)},
                                {"year", 2000 + n % 20},
                                {"text", text(n)}}
                     .dump() +
                 "\n";
      }
      testing::write_file(corpus() / ("part-" + std::to_string(f) + ".jsonl"), lines);
    }
    for (int t = 0; t < kTextFiles; ++t, ++n) {
      testing::write_file(corpus() / "texts" / ("t" + std::to_string(10000 + t) + ".txt"), text(n));
    }
    const CommandResult r = index_command(*dir_ / "reference")->wait();
    reference_seconds_ = r.seconds;
    ASSERT_EQ(r.exit_code, 0) << r.err;
    reference_ = new testing::IndexContents(testing::read_index(*dir_ / "reference"));
    reference_results_ = new std::vector<std::vector<std::string>>(results(*dir_ / "reference"));
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete reference_;
    delete reference_results_;
  }

  static std::filesystem::path corpus() { return *dir_ / "corpus"; }

  // The one command every run uses, so that a re-run is "the same command".
  static std::unique_ptr<ChildProcess> index_command(const std::filesystem::path& index) {
    return std::make_unique<ChildProcess>(std::vector<std::string>{POLICY_INDEX_BIN, "--index", index.string(),
                                                                   "--commit-every", std::to_string(kCommitEvery),
                                                                   "--quiet", corpus().string()});
  }

  // Ids and order of the first 20 results of each query.
  static std::vector<std::vector<std::string>> results(const std::filesystem::path& index) {
    std::vector<std::vector<std::string>> all;
    for (const std::string& query : kQueries) {
      const CommandResult r = run_command(
          {POLICY_SEARCH_BIN, "--index", index.string(), "--json", "--no-snippets", "--limit", "20", query});
      EXPECT_EQ(r.exit_code, 0) << query << ": " << r.err;
      const nlohmann::json j = nlohmann::json::parse(r.out);
      std::vector<std::string> ids;
      for (const auto& hit : j["results"]) ids.push_back(hit["id"]);
      all.push_back(std::move(ids));
    }
    return all;
  }

  // What any interruption must leave: an index that opens (or none at all,
  // when the process died before creating it), whole documents only, and a
  // committed prefix of the input; after a crash, whole batches of it.
  static void expect_consistent(const std::filesystem::path& index, bool whole_batches) {
    const testing::IndexContents contents = testing::read_index(index);
    if (!contents.opens) {
      // The index is created whole (versions committed) and renamed into place.
      EXPECT_FALSE(std::filesystem::exists(index)) << contents.open_error;
      return;
    }
    EXPECT_TRUE(contents.broken.empty()) << contents.broken.size() << " broken, first " << contents.broken[0];
    if (whole_batches) {
      EXPECT_TRUE(contents.ids.size() % kCommitEvery == 0 || contents.ids.size() == kDocuments)
          << contents.ids.size() << " documents";
    }
    ASSERT_LE(contents.ids.size(), reference_->ids.size());
    EXPECT_TRUE(std::equal(contents.ids.begin(), contents.ids.end(), reference_->ids.begin()))
        << "not a prefix of the input order";
    const CommandResult search = run_command({POLICY_SEARCH_BIN, "--index", index.string(), "--json", "water"});
    EXPECT_LE(search.exit_code, 1) << search.err;
  }

  // Re-running the same command finishes the index to the reference.
  static void expect_finishes_to_reference(const std::filesystem::path& index) {
    const CommandResult r = index_command(index)->wait();
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    const testing::IndexContents contents = testing::read_index(index);
    EXPECT_EQ(contents.ids, reference_->ids);
    EXPECT_TRUE(contents.broken.empty());
    EXPECT_EQ(results(index), *reference_results_);
  }

  static std::size_t document_count(const std::filesystem::path& index) {
    return testing::read_index(index).ids.size();
  }

  // Segments a new build has committed in INDEX.building/ (a re-run reuses them).
  static std::size_t finished_segments(const std::filesystem::path& index) {
    std::size_t finished = 0;
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator(index.string() + ".building", ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
      const std::string name = it->path().filename().string();
      finished += name.starts_with("seg-") && !name.ends_with(".tmp");
    }
    return finished;
  }

  // Waits until the run has committed a batch (it is under way, its signal
  // handlers installed): in the index, or as a finished segment in
  // INDEX.building/ when it builds a new index.
  static void wait_for_batch(const std::filesystem::path& index) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    const std::filesystem::path segments = index.string() + ".building";
    while (finished_segments(index) == 0 && document_count(index) < kCommitEvery &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  // The documents of the first JSONL file, indexed alone: an index that
  // differs from the reference.
  static void build_first_part(const std::filesystem::path& index) {
    const CommandResult r =
        run_command({POLICY_INDEX_BIN, "--index", index.string(), "--quiet", (corpus() / "part-0.jsonl").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_EQ(document_count(index), static_cast<std::size_t>(kLinesPerJsonl));
  }

  static std::filesystem::path* dir_;
  static testing::IndexContents* reference_;
  static std::vector<std::vector<std::string>>* reference_results_;
  static double reference_seconds_;
};

std::filesystem::path* CrashSafetyTest::dir_ = nullptr;
testing::IndexContents* CrashSafetyTest::reference_ = nullptr;
std::vector<std::vector<std::string>>* CrashSafetyTest::reference_results_ = nullptr;
double CrashSafetyTest::reference_seconds_ = 0;

// SIGKILL at eight spread moments (four under the sanitizers), each on a
// fresh build: as soon as the index exists (inside the first batch), then
// at jittered fractions of the reference build's time. Each killed index is checked, then finished by
// re-running the same command, which reuses the segments already written.
TEST_F(CrashSafetyTest, SigkillAtAnyMomentLeavesACommittedPrefixAndRerunFinishes) {
  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed) + ", reference build " + std::to_string(reference_seconds_) + " s");
  std::mt19937 random(seed);
  ASSERT_EQ(reference_->ids.size(), static_cast<std::size_t>(kDocuments));
  EXPECT_TRUE(reference_->broken.empty());
  for (const auto& ids : *reference_results_) EXPECT_FALSE(ids.empty());
  const std::vector<double> fractions = testing::kSanitized
                                            ? std::vector<double>{0.0, 0.15, 0.4, 0.6}
                                            : std::vector<double>{0.0, 0.05, 0.15, 0.3, 0.4, 0.5, 0.6, 0.7};
  int killed = 0;
  for (std::size_t k = 0; k < fractions.size(); ++k) {
    const std::filesystem::path index = *dir_ / ("killed-" + std::to_string(k));
    const double delay = reference_seconds_ * fractions[k] * std::uniform_real_distribution<double>(0.9, 1.1)(random);
    SCOPED_TRACE("kill " + std::to_string(k) + " after " + std::to_string(delay) + " s");
    std::unique_ptr<ChildProcess> child = index_command(index);
    if (k == 0) {
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
      while (!std::filesystem::exists(index) && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::microseconds(200));
      }
    } else {
      std::this_thread::sleep_for(std::chrono::duration<double>(delay));
    }
    child->send_signal(SIGKILL);
    const CommandResult r = child->wait();
    // A loaded machine may run faster than the reference did: then there
    // was nothing to interrupt, which is no failure, but is counted.
    EXPECT_TRUE(r.exit_code == 128 + SIGKILL || r.exit_code == 0) << r.exit_code << r.err;
    killed += r.exit_code == 128 + SIGKILL;
    expect_consistent(index, /*whole_batches=*/true);
    std::printf("[ kill     ] after %.3f s: %zu of %d documents in the index, %zu segments of %zu kept%s\n", delay,
                document_count(index), kDocuments, finished_segments(index), kCommitEvery,
                r.exit_code == 0 ? " (finished before the kill)" : "");
    expect_finishes_to_reference(index);
    std::filesystem::remove_all(index);
  }
  // All but the two latest moments at most may finish before their kill.
  EXPECT_GE(killed, static_cast<int>(fractions.size()) - 2);
}

TEST_F(CrashSafetyTest, SigtermAndSigintCommitWhatIsDoneAndSaySo) {
  struct Case {
    int signal;
    const char* name;
  };
  for (const Case& c : {Case{SIGTERM, "SIGTERM"}, Case{SIGINT, "SIGINT"}}) {
    SCOPED_TRACE(c.name);
    const std::filesystem::path index = *dir_ / (std::string("stopped-") + c.name);
    const std::filesystem::path report = *dir_ / (std::string("report-") + c.name + ".json");
    // The smallest dictionary sample, so that segments are written (and the
    // wait below ends) well before the end of this small corpus.
    ChildProcess child({POLICY_INDEX_BIN, "--index", index.string(), "--commit-every", std::to_string(kCommitEvery),
                        "--dictionary-sample", std::to_string(BodyDictionary::kMinSampleBytes), "--quiet", "--report",
                        report.string(), corpus().string()});
    wait_for_batch(index);
    child.send_signal(c.signal);
    const CommandResult r = child.wait();
    EXPECT_EQ(r.exit_code, 128 + c.signal) << r.out << r.err;
    EXPECT_NE(r.err.find(std::string("interrupted by ") + c.name), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("run the same command again to finish"), std::string::npos) << r.err;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(r.out, m, std::regex(R"((\d+) added, .* (\d+) committed; index .* holds (\d+) doc)")))
        << r.out;
    // Everything read was committed: added = committed = held, and short of the whole.
    EXPECT_EQ(m[1], m[2]);
    EXPECT_EQ(m[2], m[3]);
    EXPECT_LT(std::stoul(m[3]), static_cast<std::size_t>(kDocuments));
    const nlohmann::json j = nlohmann::json::parse(testing::read_file(report));
    EXPECT_EQ(j["interrupted"], c.name);
    EXPECT_EQ(j["committed"], std::stoul(m[2]));
    expect_consistent(index, /*whole_batches=*/false);  // a clean stop commits a part batch too
    EXPECT_EQ(document_count(index), std::stoul(m[3]));
    expect_finishes_to_reference(index);
  }
}

TEST_F(CrashSafetyTest, SecondWriterExitsTwoAtOnceNamingTheLockAndItsHolder) {
  const std::filesystem::path index = *dir_ / "locked";
  std::unique_ptr<ChildProcess> first = index_command(index);
  wait_for_batch(index);
  const CommandResult second = run_command({POLICY_INDEX_BIN, "--index", index.string(), corpus().string()});
  std::printf("[ lock     ] second writer exited %d after %.3f s\n", second.exit_code, second.seconds);
  EXPECT_EQ(second.exit_code, 2) << second.err;
  // At once: the second writer did not wait for the lock, so the holder is
  // still running (not a time bound, which sanitizers and load would break).
  siginfo_t info{};
  ASSERT_EQ(waitid(P_PID, static_cast<id_t>(first->pid()), &info, WEXITED | WNOHANG | WNOWAIT), 0);
  EXPECT_EQ(info.si_pid, 0) << "the lock holder had already exited";
  EXPECT_NE(second.err.find("is locked by another writer (policy-index pid " + std::to_string(first->pid()) +
                            ", lock file " + index.string() + "/flintlock)"),
            std::string::npos)
      << second.err;
  EXPECT_EQ(second.out, "");
  // Searching while the writer commits is fine (see also
  // HttpServerReopenTest.CommitsAreSeenAndConcurrentSearchesNeverFail).
  EXPECT_LE(run_command({POLICY_SEARCH_BIN, "--index", index.string(), "water"}).exit_code, 1);
  EXPECT_EQ(first->wait().exit_code, 0);
  EXPECT_FALSE(std::filesystem::exists(index / "policy-index.pid"));  // removed by a clean exit
}

// --rebuild writes beside the index and swaps at the end: killed at any
// moment, the index holds either all of its old documents or all of the
// new ones, and the same command finishes it.
TEST_F(CrashSafetyTest, SigkillDuringRebuildLeavesTheOldIndexOrTheNewOne) {
  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 random(seed);
  const std::filesystem::path index = *dir_ / "rebuilt";
  build_first_part(index);
  const std::vector<std::string> old_ids = testing::read_index(index).ids;
  const std::vector<std::string> rebuild = {POLICY_INDEX_BIN, "--index",        index.string(),
                                            "--rebuild",      "--commit-every", std::to_string(kCommitEvery),
                                            "--quiet",        corpus().string()};
  int killed = 0;
  for (const double fraction : {0.1, 0.3, 0.5, 0.7, 0.9}) {
    const double delay = reference_seconds_ * fraction * std::uniform_real_distribution<double>(0.9, 1.1)(random);
    SCOPED_TRACE("kill after " + std::to_string(delay) + " s");
    ChildProcess child(rebuild);
    std::this_thread::sleep_for(std::chrono::duration<double>(delay));
    child.send_signal(SIGKILL);
    const CommandResult r = child.wait();
    killed += r.exit_code == 128 + SIGKILL;
    const testing::IndexContents contents = testing::read_index(index);
    ASSERT_TRUE(contents.opens) << contents.open_error;
    EXPECT_TRUE(contents.broken.empty());
    EXPECT_TRUE(contents.ids == old_ids || contents.ids == reference_->ids) << contents.ids.size() << " documents";
    EXPECT_LE(run_command({POLICY_SEARCH_BIN, "--index", index.string(), "--json", "water"}).exit_code, 1);
    std::printf("[ kill     ] rebuild after %.3f s: index holds %zu documents%s\n", delay, contents.ids.size(),
                r.exit_code == 0 ? " (finished before the kill)" : "");
    if (contents.ids == reference_->ids) {  // finished: start again from the old index
      std::filesystem::remove_all(index);
      build_first_part(index);
    }
  }
  EXPECT_GE(killed, 3);
  const CommandResult r = run_command(rebuild);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(testing::read_index(index).ids, reference_->ids);
  EXPECT_EQ(results(index), *reference_results_);
  EXPECT_FALSE(std::filesystem::exists(index.string() + ".building")) << "segments left behind";
}

// The index is the same whatever the number of jobs, built anew (segments)
// or updated in place.
TEST_F(CrashSafetyTest, SameDocumentsAndResultsWhateverTheNumberOfJobs) {
  for (const std::string jobs : {"1", "3"}) {
    SCOPED_TRACE("--jobs " + jobs);
    const std::filesystem::path built = *dir_ / ("jobs-" + jobs);
    const CommandResult r = run_command({POLICY_INDEX_BIN, "--index", built.string(), "--jobs", jobs, "--commit-every",
                                         "70", "--quiet", corpus().string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(testing::read_index(built).ids, reference_->ids);
    EXPECT_EQ(results(built), *reference_results_);

    const std::filesystem::path updated = *dir_ / ("updated-jobs-" + jobs);
    build_first_part(updated);
    const CommandResult update =
        run_command({POLICY_INDEX_BIN, "--index", updated.string(), "--jobs", jobs, "--quiet", corpus().string()});
    ASSERT_EQ(update.exit_code, 0) << update.err;
    EXPECT_NE(update.out.find(std::to_string(kDocuments - kLinesPerJsonl) + " added, 0 updated, " +
                              std::to_string(kLinesPerJsonl) + " unchanged"),
              std::string::npos)
        << update.out;
    EXPECT_EQ(testing::read_index(updated).ids, reference_->ids);
    EXPECT_EQ(results(updated), *reference_results_);
    std::filesystem::remove_all(built);
    std::filesystem::remove_all(updated);
  }
}

TEST(InterruptExitCodesTest, HelpDocumentsThem) {
  const CommandResult help = run_command({POLICY_INDEX_BIN, "--help"});
  EXPECT_NE(help.out.find("130, 143  interrupted by SIGINT or SIGTERM"), std::string::npos) << help.out;
}

// An index reached through a symbolic link: a new index is created in the
// link's empty target (was a fault: exit 2, "Failed to open glass revision
// file", as the new index was renamed onto the link and failed), and a
// rebuilt one replaces the target, the link staying a link.
TEST(RebuildTest, ThroughASymbolicLinkKeepsTheLink) {
  const std::filesystem::path dir = testing::make_temp_dir("rebuild-link");
  testing::write_file(dir / "old" / "a.txt", "Water quality monitoring.");
  testing::write_file(dir / "new" / "b.txt", "Air quality monitoring.");
  testing::write_file(dir / "new" / "c.txt", "Soil quality monitoring.");
  std::filesystem::create_directories(dir / "real");
  std::filesystem::create_directory_symlink("real", dir / "link");
  const std::string link = (dir / "link").string();
  ASSERT_EQ(run_command({POLICY_INDEX_BIN, "--quiet", "--index", link, (dir / "old").string()}).exit_code, 0);
  const CommandResult r =
      run_command({POLICY_INDEX_BIN, "--quiet", "--rebuild", "--index", link, (dir / "new").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::is_symlink(dir / "link"));
  EXPECT_EQ(testing::read_index(dir / "real").ids, (std::vector<std::string>{"b.txt", "c.txt"}));
  EXPECT_FALSE(std::filesystem::exists(dir / "real.building"));
  EXPECT_FALSE(std::filesystem::exists(dir / "link.building"));
  std::filesystem::remove_all(dir);
}

// The stored bodies of a new index are compressed. (A regression once stored
// them raw: an index created and committed empty before its first document
// got a document-data table that Xapian did not compress. Bodies are now in
// a value slot, compressed by us.)
TEST(NewIndexTest, StoredTextIsCompressed) {
  const std::filesystem::path dir = testing::make_temp_dir("new-index-compressed");
  std::string text;
  while (text.size() < 20000) text += "The parties shall cooperate on air quality and water management. ";
  std::string jsonl;
  for (int i = 0; i < 100; ++i) jsonl += nlohmann::json{{"id", "d" + std::to_string(i)}, {"text", text}}.dump() + "\n";
  testing::write_file(dir / "corpus.jsonl", jsonl);
  const CommandResult r =
      run_command({POLICY_INDEX_BIN, "--quiet", "--index", (dir / "idx").string(), (dir / "corpus.jsonl").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Xapian::Database db((dir / "idx").string());
  ASSERT_EQ(db.get_doccount(), 100u);
  std::uintmax_t bodies = 0;
  for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
    bodies += db.get_document(*it).get_value(slot::kBody).size();
  }
  // 2 MB of repetitive text (plus its token offsets) compresses far below
  // half its size; stored raw it would take more than all of it.
  EXPECT_GT(bodies, 0u);
  EXPECT_LT(bodies, jsonl.size() / 2) << "the bodies take " << bodies << " bytes for " << jsonl.size()
                                      << " bytes of JSONL";
  // And the index as a whole stays below the JSONL.
  std::uintmax_t index_bytes = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir / "idx")) index_bytes += entry.file_size();
  EXPECT_LT(index_bytes, jsonl.size()) << "the index takes " << index_bytes << " bytes";
  std::filesystem::remove_all(dir);
}

// ---------------------------------------------------------------------------
// Disk, permission and schema faults.

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

class DiskFaultTest : public testing::TempDirTest {};

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

// A corpus that is not about the environment chooses its own schema: no
// gazetteer, no taxonomy, its own metadata facet. Nothing of the shipped
// schema's areas or organisations is tagged, and its fields are unknown.
class SchemaChoiceTest : public testing::TempDirTest {};

TEST_F(SchemaChoiceTest, ACorpusChoosesItsOwnSchema) {
  const fs::path corpus = dir_ / "speeches";
  fs::create_directories(corpus);
  const std::vector<std::pair<std::string, int>> speakers = {
      {"Abraham Lincoln", 1861}, {"Abraham Lincoln", 1862}, {"Ulysses S. Grant", 1870}};
  for (std::size_t i = 0; i < speakers.size(); ++i) {
    const std::string name = "speech-" + std::to_string(i);
    testing::write_file(corpus / (name + ".txt"),
                        "Annual message\nThe ocean trade and the ocean fisheries grew; the EPA was not yet born.\n");
    testing::write_file(corpus / (name + ".meta.json"),
                        nlohmann::json{{"author", speakers[i].first}, {"year", speakers[i].second}}.dump());
  }
  const fs::path schema = dir_ / "speech-schema";
  fs::create_directories(schema);
  testing::write_file(schema / "fields.json", R"({"version": 1, "fields": [
      {"name": "year", "kind": "year", "prefix": "XY", "slot": 11, "sources": ["metadata", "text"]},
      {"name": "speaker", "aliases": ["author"], "kind": "facet", "prefix": "XS", "slot": 12,
       "multi_valued": true, "metadata_key": "author"}]})");

  const fs::path index = dir_ / "idx";
  const CommandResult indexed = index_into(index, corpus, {"--schema", schema.string()});
  ASSERT_EQ(indexed.exit_code, 0) << indexed.err;
  const CommandResult found =
      run_command({POLICY_SEARCH_BIN, "--index", index.string(), "--json", "--limit", "0", "ocean"});
  ASSERT_EQ(found.exit_code, 0) << found.err;
  const nlohmann::json results = nlohmann::json::parse(found.out);
  EXPECT_EQ(results["total"], 3);
  std::set<std::string> facets;
  for (const auto& [name, facet] : results["facets"].items()) facets.insert(name);
  EXPECT_EQ(facets, (std::set<std::string>{"speaker", "year"}));
  std::map<std::string, int> speaker_counts;
  for (const auto& v : results["facets"]["speaker"]["values"]) speaker_counts[v["value"]] = v["count"];
  EXPECT_EQ(speaker_counts, (std::map<std::string, int>{{"Abraham Lincoln", 2}, {"Ulysses S. Grant", 1}}));

  // The environmental fields are not this index's: an error, not a quiet zero.
  const CommandResult area = run_command({POLICY_SEARCH_BIN, "--index", index.string(), "area:marine"});
  EXPECT_EQ(area.exit_code, 2);
  EXPECT_NE(area.err.find("unknown field 'area'"), std::string::npos) << area.err;

  // The same texts under the shipped schema are tagged by its taxonomy and
  // gazetteer, and its publisher field finds no publisher in "author".
  const fs::path default_index = dir_ / "default-idx";
  ASSERT_EQ(index_into(default_index, corpus).exit_code, 0);
  const nlohmann::json tagged = nlohmann::json::parse(
      run_command({POLICY_SEARCH_BIN, "--index", default_index.string(), "--json", "--limit", "0", "ocean"}).out);
  EXPECT_TRUE(tagged["facets"].contains("mentions"));
  EXPECT_TRUE(tagged["facets"]["publisher"]["values"].empty());
}

// ---------------------------------------------------------------------------
// Shards (policy-index --shards N).

class ShardedIndexTest : public testing::TempDirTest {
 protected:
  // Documents a..b-1 as .txt files in docs/.
  void write_documents(int first, int last, const std::string& extra = "") {
    fs::create_directories(dir_ / "docs");
    for (int i = first; i < last; ++i) {
      testing::write_file(dir_ / "docs" / ("doc" + std::to_string(i) + ".txt"),
                          "Wetland survey " + std::to_string(i) + " of the river basin." + extra + "\n");
    }
  }
  CommandResult index(const std::vector<std::string>& options) {
    std::vector<std::string> argv{POLICY_INDEX_BIN, "--quiet", "--index", (dir_ / "idx").string()};
    argv.insert(argv.end(), options.begin(), options.end());
    argv.push_back((dir_ / "docs").string());
    return run_command(argv);
  }
  // Documents per shard directory, as the stub lists them.
  std::vector<Xapian::doccount> shard_sizes() {
    std::vector<Xapian::doccount> sizes;
    for (int k = 0; fs::exists(dir_ / "idx" / ("shard-" + std::to_string(k))); ++k) {
      sizes.push_back(Xapian::Database((dir_ / "idx" / ("shard-" + std::to_string(k))).string()).get_doccount());
    }
    return sizes;
  }
};

TEST_F(ShardedIndexTest, UpdatesReachTheirShardAndRebuildReBalances) {
  write_documents(0, 30);
  CommandResult run = index({"--shards", "3"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("holds 30 documents ("), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("in 3 shards"), std::string::npos) << run.out;
  const std::vector<Xapian::doccount> sizes = shard_sizes();
  ASSERT_EQ(sizes.size(), 3u);
  for (const Xapian::doccount n : sizes) EXPECT_GT(n, 0u);

  // Later runs keep the shards; a changed document is replaced in its own.
  write_documents(5, 6, " Revised.");
  run = index({});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("0 added, 1 updated, 29 unchanged"), std::string::npos) << run.out;
  EXPECT_EQ(shard_sizes(), sizes);
  const CommandResult found =
      run_command({POLICY_SEARCH_BIN, "--index", (dir_ / "idx").string(), "revised", "--limit", "0"});
  EXPECT_EQ(found.exit_code, 0) << found.err;
  EXPECT_NE(found.out.find("1 match"), std::string::npos) << found.out;

  // Pruning reaches every shard.
  fs::remove(dir_ / "docs" / "doc7.txt");
  run = index({"--prune"});
  EXPECT_NE(run.out.find("1 pruned"), std::string::npos) << run.out;
  Xapian::doccount total = 0;
  for (const Xapian::doccount n : shard_sizes()) total += n;
  EXPECT_EQ(total, 29u);

  // Another number of shards needs --rebuild, which re-balances.
  run = index({"--shards", "2"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("has 3 shards; to re-balance it into 2, run again with --rebuild --shards 2"),
            std::string::npos)
      << run.err;
  run = index({"--rebuild", "--shards", "2"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(shard_sizes().size(), 2u);
  EXPECT_FALSE(fs::exists(dir_ / "idx" / "shard-2"));
  const CommandResult all =
      run_command({POLICY_SEARCH_BIN, "--index", (dir_ / "idx").string(), "wetland", "--limit", "0"});
  EXPECT_NE(all.out.find("29 matches"), std::string::npos) << all.out;
}

TEST_F(ShardedIndexTest, ASingleDatabaseIsNotShardedInPlace) {
  write_documents(0, 3);
  ASSERT_EQ(index({}).exit_code, 0);
  const CommandResult run = index({"--shards", "2"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("is a single database; a sharded index is built in a new directory"), std::string::npos)
      << run.err;
}

}  // namespace
}  // namespace policy
