// Hostile files end to end: policy-index on one folder holding every kind of
// bad input (tests/hostile/ plus large, special and unreadable files made
// here), checking each file's outcome in the JSON --report, on stderr and in
// search results, and that the good documents are all indexed.

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/index_check.h"
#include "tests/support/test_support.h"

namespace policy {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::run_command;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

// The document limit of this run: well under the huge files, so that both
// are cut. Only the huge files' sizes shrink under sanitizers (which slow
// reading and analysis several times); every correctness case is the same.
constexpr std::uint64_t kLimit = 4 << 20;
constexpr std::uint64_t kHugeFileBytes = (kSanitized ? 40ull : 200ull) << 20;
constexpr std::uint64_t kLongLineBytes = (kSanitized ? 10ull : 50ull) << 20;
// Peak memory stays bounded by the limit, not the file: analysis of a 4 MiB
// text needs about 20 times that (tokens, stems, offsets, postings).
// AddressSanitizer adds shadow memory and a quarantine of up to 256 MB of
// freed blocks, so the sanitized bound measures ASan more than the indexer.
constexpr long kMaxRssKb = (kSanitized ? 1500 : 400) * 1024;

// One expected diagnostic: file (relative to the folder) with ":LINE" where
// it applies, severity, effect, and a part of the message.
struct Expected {
  std::string location;
  std::string severity;
  std::string effect;
  std::string message;
};

// One expected document: its id, a word only it holds, and its title.
struct ExpectedDocument {
  std::string id;
  std::string word;
  std::string title;
};

void write_repeated(const fs::path& path, const std::string& unit, std::uint64_t bytes, const std::string& tail) {
  std::ofstream out(path, std::ios::binary);
  for (std::uint64_t written = 0; written < bytes; written += unit.size()) out << unit;
  out << tail;
}

class HostileInputTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(testing::make_temp_dir("hostile"));
    const fs::path in = inputs();
    fs::copy(testing::source_path("tests/hostile"), in, fs::copy_options::recursive);
    // Generated: too large, or not files git can hold.
    write_repeated(in / "huge.txt", "air quality monitoring of the river basin\n", kHugeFileBytes,
                   "a closing line about marshlands\n");
    write_repeated(in / "one-line.txt", "one very long line about dunes ", kLongLineBytes, "");
    write_repeated(
        in / "long-line.jsonl", "", 0,
        "{\"id\": \"long\", \"text\": \"" + std::string(kLongLineBytes, 'x') + "\"}\n" +
            nlohmann::json{{"id", "after-long"}, {"text", "The line after a long one, about cenotes."}}.dump() + "\n");
    write_repeated(
        in / "deep.jsonl", "", 0,
        std::string(100000, '[') + std::string(100000, ']') + "\n" +
            nlohmann::json{{"id", "after-deep"}, {"text", "The line after a deep one, about oxbows."}}.dump() + "\n");
    std::string nested;
    for (int i = 0; i < 100000; ++i) nested += "<div>";
    testing::write_file(in / "deep.html", "<title>Deep page</title><p>Before the nesting, about karst.</p>" + nested);
    testing::write_file(in / "binary.html", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
    testing::write_file(in / "scripts-only.htm", "<html><body><script>app()</script><nav>Home</nav></body></html>");
    testing::write_file(in / "unreadable.txt", "Nobody may read this.");
    chmod((in / "unreadable.txt").c_str(), 0);
    mkfifo((in / "fifo.txt").c_str(), 0644);
    fs::create_symlink("loop.txt", in / "loop.txt");
    fs::create_symlink("missing.txt", in / "dangling.txt");
    fs::create_directory_symlink(".", in / "loop-dir");

    // Root reads a chmod-000 file regardless, so as root the indexer runs as
    // "nobody", for whom the file really is unreadable.
    testing::SpawnOptions as;
    const fs::path out = *dir_ / "out";
    fs::create_directories(out);
    if (geteuid() == 0) {
      as.uid = testing::nobody_uid();
      as.gid = testing::nobody_gid();
      chown(out.c_str(), *as.uid, *as.gid);
    }
    run_ =
        new CommandResult(run_command({POLICY_INDEX_BIN, "--index", (out / "idx").string(), "--max-doc-bytes",
                                       std::to_string(kLimit), "--report", (out / "report.json").string(), in.string()},
                                      as));
    std::printf("[ hostile  ] exit %d in %.2f s, peak RSS %ld MB (%llu MB file, %llu MB line)\n", run_->exit_code,
                run_->seconds, run_->max_rss_kb / 1024, static_cast<unsigned long long>(kHugeFileBytes >> 20),
                static_cast<unsigned long long>(kLongLineBytes >> 20));
    report_ = new nlohmann::json(nlohmann::json::parse(testing::read_file(out / "report.json"), nullptr, false));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    delete run_;
    delete report_;
  }

  static fs::path inputs() { return *dir_ / "in"; }
  static std::string index() { return (*dir_ / "out" / "idx").string(); }

  static fs::path* dir_;
  static CommandResult* run_;
  static nlohmann::json* report_;
};

fs::path* HostileInputTest::dir_ = nullptr;
CommandResult* HostileInputTest::run_ = nullptr;
nlohmann::json* HostileInputTest::report_ = nullptr;

const std::vector<Expected>& expected_diagnostics() {
  static const std::vector<Expected> table = {
      {"invalid-utf8.txt", "warning", "indexed", "invalid UTF-8 at line 2, byte 42 (1 sequence replaced with U+FFFD)"},
      {"bom-utf16le.txt", "warning", "indexed", "converted from UTF-16LE"},
      {"bom-utf16be.txt", "warning", "indexed", "converted from UTF-16BE"},
      {"binary.txt", "warning", "skipped", "binary file (NUL byte at offset 8); skipped"},
      {"empty.txt", "note", "skipped", "empty file; skipped"},
      {"whitespace.txt", "note", "skipped", "file holds only whitespace; skipped"},
      {"huge.txt", "warning", "indexed", "larger than the document limit of 4194304 bytes; indexed the first"},
      {"one-line.txt", "warning", "indexed", "larger than the document limit of 4194304 bytes; indexed the first"},
      {"long-line.jsonl:1", "error", "failed", "line longer than 5242880 bytes"},
      {"deep.jsonl:1", "error", "failed", "JSON nested deeper than 64 levels; line skipped"},
      {"mixed.jsonl:2", "error", "failed", "malformed JSON at column"},
      {"mixed.jsonl:4", "error", "failed", "expected a JSON object, found array; line skipped"},
      {"mixed.jsonl:5", "error", "failed", "field \"text\" is missing or not a string; line skipped"},
      {"mixed.jsonl:6", "warning", "indexed", "field \"year\": \"soon\" is not a year (an integer 1000-2999); ignored"},
      {"mixed.jsonl:8", "error", "failed", "duplicate id 'first-wins' (first read from "},
      {"wrong-types.meta.json", "warning", "indexed", "field \"year\": \"soon\" is not a year"},
      {"wrong-types.meta.json", "warning", "indexed", "field \"organisation\": expected a string or an array"},
      {"unreadable.txt", "error", "failed", "cannot open: Permission denied"},
      {"fifo.txt", "warning", "skipped", "not a regular file (FIFO); skipped"},
      {"loop.txt", "warning", "failed", "broken symbolic link (Too many levels of symbolic links)"},
      {"dangling.txt", "warning", "failed", "broken symbolic link (No such file or directory)"},
      {"loop-dir", "note", "ignored", "symbolic link to a directory; not followed"},
      {"image.png", "warning", "skipped", "not a supported file type"},
      {"deep.html", "warning", "indexed", "the HTML parser stopped (Excessive depth in document: 256"},
      {"binary.html", "warning", "skipped", "binary file (NUL byte at offset 8); skipped"},
      {"scripts-only.htm", "warning", "skipped", "page holds no text outside scripts, navigation"},
  };
  return table;
}

const std::vector<ExpectedDocument>& expected_documents() {
  static const std::vector<ExpectedDocument> table = {
      {"invalid-utf8.txt", "wetlands", "Line one is fine."},
      {"bom-utf8.txt", "glaciers", "Byte order mark then glaciers."},  // no BOM in the title
      {"bom-utf16le.txt", "mangroves", "Sixteen bit text about mangroves."},
      {"bom-utf16be.txt", "tundra", "Big endian text about tundra."},
      {"crlf.txt", "reefs", "Windows line ends"},  // the line end is no part of the title
      {"cr.txt", "peatlands", "Old Mac line ends"},
      {"name with spaces.txt", "savanna", "A file name with spaces about savanna."},
      {"résumé-北京.txt", "steppe", "A non-ASCII file name about steppe."},
      {"wrong-types.txt", "estuaries", "Metadata of the wrong types about estuaries."},
      {"huge.txt", "basin", "air quality monitoring of the river basin"},
      {"one-line.txt", "dunes", "one-line.txt"},  // a first line too long to be a title
      {"after-long", "cenotes", "The line after a long one, about cenotes."},
      {"after-deep", "oxbows", "The line after a deep one, about oxbows."},
      {"first-wins", "lagoons", "The first record with this id, about lagoons."},
      {"good-after-bad", "moorland", "A good line after a bad one, about moorland."},
      {"year-soon", "fjords", "A year that is not one, about fjords."},
      {"unknown-field", "wadis", "An unknown field, about wadis."},
      {"crlf-line", "atolls", "A JSONL line ending in CRLF, about atolls."},
      {"deep.html", "karst", "Deep page"},
  };
  return table;
}

// CTest runs each test in its own process, which repeats the suite's set-up
// (the 200 MB file): hence two tests, each checking several things.
TEST_F(HostileInputTest, EveryBadFileHasItsDiagnosticAndTheRunExitsOneInBoundedMemory) {
  EXPECT_EQ(run_->exit_code, 1) << run_->out << run_->err;
  ASSERT_TRUE(report_->is_object()) << run_->err;
  EXPECT_LT(run_->max_rss_kb, kMaxRssKb);
  std::vector<bool> matched((*report_)["diagnostics"].size(), false);
  for (const Expected& e : expected_diagnostics()) {
    SCOPED_TRACE(e.location + ": " + e.message);
    const std::string location = (inputs() / e.location).string();
    bool found = false;
    for (std::size_t i = 0; i < matched.size(); ++i) {
      const nlohmann::json& d = (*report_)["diagnostics"][i];
      if (matched[i] || d["location"] != location ||
          d["message"].get<std::string>().find(e.message) == std::string::npos) {
        continue;
      }
      EXPECT_EQ(d["severity"], e.severity);
      EXPECT_EQ(d["effect"], e.effect);
      matched[i] = found = true;
      break;
    }
    EXPECT_TRUE(found) << report_->dump(1);
    // The same message on stderr, in the one format.
    EXPECT_NE(run_->err.find("policy-index: " + location + ": " + e.severity + ": "), std::string::npos) << run_->err;
  }
  for (std::size_t i = 0; i < matched.size(); ++i) {
    EXPECT_TRUE(matched[i]) << "unexpected diagnostic " << (*report_)["diagnostics"][i].dump();
  }
}

TEST_F(HostileInputTest, EveryGoodDocumentIsIndexedWholeAndFound) {
  ASSERT_TRUE(report_->is_object()) << run_->err;
  EXPECT_EQ((*report_)["added"], expected_documents().size());
  const testing::IndexContents contents = testing::read_index(index());
  ASSERT_TRUE(contents.opens) << contents.open_error;
  EXPECT_TRUE(contents.broken.empty());
  std::set<std::string> expected_ids;
  for (const ExpectedDocument& d : expected_documents()) expected_ids.insert(d.id);
  EXPECT_EQ(std::set<std::string>(contents.ids.begin(), contents.ids.end()), expected_ids);
  for (const ExpectedDocument& d : expected_documents()) {
    SCOPED_TRACE(d.id);
    const CommandResult r = run_command({POLICY_SEARCH_BIN, "--index", index(), "--json", d.word});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const nlohmann::json j = nlohmann::json::parse(r.out);
    ASSERT_EQ(j["total"], 1);
    EXPECT_EQ(j["results"][0]["id"], d.id);
    EXPECT_EQ(j["results"][0]["title"], d.title);
  }
  // First wins: the duplicate's text is not in the index.
  EXPECT_EQ(run_command({POLICY_SEARCH_BIN, "--index", index(), "quagmires"}).exit_code, 1);
  // The cut huge file lost its closing line.
  EXPECT_EQ(run_command({POLICY_SEARCH_BIN, "--index", index(), "marshlands"}).exit_code, 1);
  // Unknown metadata fields are kept.
  const CommandResult explain = run_command({POLICY_INDEX_BIN, "--index", index(), "--explain", "unknown-field"});
  ASSERT_EQ(explain.exit_code, 0) << explain.err;
  EXPECT_EQ(nlohmann::json::parse(explain.out)["metadata"]["colour"], "green");
}

}  // namespace
}  // namespace policy
