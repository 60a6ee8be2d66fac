// Hostile files end to end: policy-index on one folder holding every kind of
// bad input (tests/hostile/ plus large, special, unreadable, broken PDF and
// Word/OpenDocument files made here), checking each file's outcome in the
// JSON --report, on stderr and in search results, and that the good
// documents are all indexed. The extraction limits (--extract-timeout,
// --extract-memory) and Ctrl-C during an extraction have small runs of
// their own, so that the main run keeps the defaults.

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "indexer/extraction_sandbox.h"

#include "tests/support/index_check.h"
#include "tests/support/office_fixture.h"
#include "tests/support/pdf_fixture.h"
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

// A PDF of `pages` pages, each holding `lines` (a page without lines has
// no text), with `title` in its Info dictionary when not empty.
std::string pdf_of(const std::vector<std::vector<std::string>>& pages, const std::string& title = "") {
  testing::PdfFixture fixture;
  for (const auto& lines : pages) fixture.pages.push_back(testing::page_of_lines(lines));
  if (!title.empty()) fixture.info = {{"Title", title}};
  return testing::make_pdf(fixture);
}

// A valid PDF that takes poppler about a second to read, only by its
// length: 3,000 pages of 20 lines (6.5 MB).
std::string long_pdf() {
  std::vector<std::string> lines;
  for (int i = 0; i < 20; ++i)
    lines.push_back("Line " + std::to_string(i) + " of a long report about tides and shoals.");
  return pdf_of(std::vector<std::vector<std::string>>(3000, lines), "A long report");
}

std::string docx_paragraph(const std::string& text) { return "<w:p><w:r><w:t>" + text + "</w:t></w:r></w:p>"; }

std::string docx_with_title(const std::string& body, const std::string& title) {
  return testing::make_docx(body,
                            {{"docProps/core.xml", testing::docx_core_xml("<dc:title>" + title + "</dc:title>")}});
}

// XML entities that expand to 3 GB if substituted, declared in the DOCTYPE
// of content.xml, used in its first paragraph.
std::string billion_laughs_odt() {
  std::string doctype = "<!DOCTYPE lolz [<!ENTITY lol0 \"lollollollollollollollollollol\">";
  for (int i = 1; i <= 9; ++i) {
    doctype += "<!ENTITY lol" + std::to_string(i) + " \"";
    for (int j = 0; j < 10; ++j) doctype += "&lol" + std::to_string(i - 1) + ";";
    doctype += "\">";
  }
  doctype += "]>\n";
  std::string content = testing::odt_content_xml("<text:p>&lol9;</text:p>");
  content.insert(content.find("?>\n") + 3, doctype);
  return testing::make_odt("", {{"content.xml", content}});
}

// The broken PDF, Word and OpenDocument files of the main run, and the good
// ones read beside them.
void write_hostile_documents(const fs::path& in) {
  const std::string good_pdf =
      pdf_of({{"A report on volcanic fumaroles.", "Its second line."}, {"The second page, about calderas."}},
             "Volcanic report");
  testing::write_file(in / "good.pdf", good_pdf);
  testing::write_file(in / "truncated.pdf", good_pdf.substr(0, good_pdf.size() / 2));
  std::mt19937 random(20240607);
  std::string noise(4096, '\0');
  for (char& c : noise) c = static_cast<char>(random());
  testing::write_file(in / "random.pdf", noise);
  testing::PdfFixture locked;
  locked.pages = {testing::page_of_lines({"A secret about geysers."})};
  locked.encrypt = true;
  locked.encryption.user_password = "secret";
  testing::write_file(in / "locked.pdf", testing::make_pdf(locked));
  testing::write_file(in / "scanned.pdf", pdf_of({{}, {}, {}}));
  testing::write_file(
      in / "partly-blank.pdf",
      pdf_of({{"A partly blank report on escarpments."}, {}, {"Its last page, about scarps."}}, "Partly blank report"));
  testing::write_file(in / "empty.pdf", "");

  const std::string good_docx = docx_with_title(
      docx_paragraph("A survey of glacial moraines.") + docx_paragraph("Its second paragraph."), "Glacial survey");
  testing::write_file(in / "good.docx", good_docx);
  testing::write_file(in / "truncated.docx", good_docx.substr(0, good_docx.size() / 2));
  // 100 MiB of spaces deflate to about 100 KB. An honest archive is refused
  // by its declared size; one that understates it, by what inflating gives.
  const std::string bomb = testing::make_zip(
      {{"word/document.xml", testing::docx_document_xml(docx_paragraph("x") + std::string(100 << 20, ' '))}});
  testing::write_file(in / "bomb.docx", bomb);
  testing::write_file(in / "bomb-understated.docx", testing::with_declared_size(bomb, "word/document.xml", 1000));
  testing::write_file(in / "ole.docx", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + std::string(504, '\0'));
  std::string deep = docx_paragraph("The start of a deep document about drumlins.");
  for (int i = 0; i < 10000; ++i) deep += "<w:sdt><w:sdtContent>";
  deep += docx_paragraph("Too deep to be read: eskers.");
  for (int i = 0; i < 10000; ++i) deep += "</w:sdtContent></w:sdt>";
  testing::write_file(in / "deep.docx", testing::make_docx(deep));

  testing::write_file(in / "good.odt",
                      testing::make_odt("<text:p>A survey of archipelagos.</text:p>",
                                        {{"meta.xml", testing::odt_meta_xml("<dc:title>Island survey</dc:title>")}}));
  testing::write_file(in / "laughs.odt", billion_laughs_odt());
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
    write_hostile_documents(in);

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
      {"truncated.pdf", "error", "failed", "damaged PDF: Couldn't find trailer dictionary"},
      {"random.pdf", "error", "failed", "not a PDF"},
      {"locked.pdf", "error", "failed", "encrypted PDF (needs a password)"},
      {"scanned.pdf", "warning", "skipped", "no text layer on any of its 3 pages (a scan? OCR it first"},
      {"partly-blank.pdf", "note", "indexed", "1 of 3 pages holds no text (blank or scanned); indexed the others"},
      {"empty.pdf", "warning", "skipped", "empty file; skipped"},
      {"truncated.docx", "error", "failed", "truncated zip archive (no central directory)"},
      {"bomb.docx", "error", "failed", "zip bomb: word/document.xml inflates past 64 MiB"},
      {"bomb-understated.docx", "error", "failed",
       "zip bomb: word/document.xml inflates more than 200 times its compressed size"},
      {"ole.docx", "error", "failed", "an OLE compound file (a Word 97-2003 document?), not a zip archive"},
      {"deep.docx", "warning", "indexed",
       "word/document.xml: XML error at line 2: Excessive depth in document: 256; the rest of the part is not read"},
      {"laughs.odt", "error", "failed", "content.xml: XML error at line 1: Detected an entity reference loop"},
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
      {"good.pdf", "fumaroles", "Volcanic report"},
      {"partly-blank.pdf", "escarpments", "Partly blank report"},
      {"good.docx", "moraines", "Glacial survey"},
      {"deep.docx", "drumlins", "The start of a deep document about drumlins."},
      {"good.odt", "archipelagos", "Island survey"},
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
  // Nothing past the nesting limit, nor of a refused file, is indexed.
  EXPECT_EQ(run_command({POLICY_SEARCH_BIN, "--index", index(), "eskers"}).exit_code, 1);
  EXPECT_EQ(run_command({POLICY_SEARCH_BIN, "--index", index(), "geysers"}).exit_code, 1);
  // Unknown metadata fields are kept.
  const CommandResult explain = run_command({POLICY_INDEX_BIN, "--index", index(), "--explain", "unknown-field"});
  ASSERT_EQ(explain.exit_code, 0) << explain.err;
  EXPECT_EQ(nlohmann::json::parse(explain.out)["metadata"]["colour"], "green");
}

// The extraction limits, each in a small run of its own over a folder
// holding the file that breaks the limit and good files read after it.
class ExtractionLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::make_temp_dir("extraction-limits");
    fs::create_directories(in());
    testing::write_file(in() / "notes.txt", "Notes about lagoons.\n");
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(dir_);
  }

  fs::path in() const { return dir_ / "in"; }
  std::string index() const { return (dir_ / "idx").string(); }
  std::string report_path() const { return (dir_ / "report.json").string(); }
  std::vector<std::string> index_command(const std::vector<std::string>& options) const {
    std::vector<std::string> argv = {POLICY_INDEX_BIN, "--index", index(), "--report", report_path()};
    argv.insert(argv.end(), options.begin(), options.end());
    argv.push_back(in().string());
    return argv;
  }
  nlohmann::json report() const { return nlohmann::json::parse(testing::read_file(report_path()), nullptr, false); }
  // The ids `word` finds, or the error output.
  std::vector<std::string> found(const std::string& word) const {
    const CommandResult r = run_command({POLICY_SEARCH_BIN, "--index", index(), "--json", word});
    if (r.exit_code != 0) return {"exit " + std::to_string(r.exit_code) + ": " + r.err};
    const nlohmann::json j = nlohmann::json::parse(r.out);
    std::vector<std::string> ids;
    for (const nlohmann::json& result : j["results"]) ids.push_back(result["id"]);
    return ids;
  }

  fs::path dir_;
};

// The diagnostics of a report, each as "FILE: severity effect: message".
std::vector<std::string> diagnostics_of(const nlohmann::json& report) {
  std::vector<std::string> lines;
  for (const nlohmann::json& d : report["diagnostics"]) {
    lines.push_back(fs::path(d["location"].get<std::string>()).filename().string() + ": " +
                    d["severity"].get<std::string>() + " " + d["effect"].get<std::string>() + ": " +
                    d["message"].get<std::string>());
  }
  return lines;
}

// A file that takes longer to parse than --extract-timeout (a long valid
// PDF stands in for a parser caught in a loop) fails; the run goes on. The
// limit lies well between a short PDF (about 30 ms, with the fork) and the
// long one (over 1 s).
TEST_F(ExtractionLimitsTest, FileOverTheTimeLimitFailsAndTheRestIsIndexed) {
  testing::write_file(in() / "long.pdf", long_pdf());
  testing::write_file(in() / "short.pdf", pdf_of({{"A short report about fumaroles."}}));
  const std::string limit = kSanitized ? "1" : "0.25";
  const CommandResult r = run_command(index_command({"--extract-timeout", limit}));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const nlohmann::json j = report();
  EXPECT_EQ(diagnostics_of(j),
            std::vector<std::string>{"long.pdf: error failed: extraction took longer than " + limit + " s (killed)"});
  EXPECT_EQ(j["added"], 2);
  EXPECT_EQ(found("fumaroles"), std::vector<std::string>{"short.pdf"});
  EXPECT_EQ(found("lagoons"), std::vector<std::string>{"notes.txt"});
}

// --extract-memory 1: the parser may add 1 MiB to the address space the
// child inherits. A small PDF fits in that; the long one does not.
TEST_F(ExtractionLimitsTest, FileOverTheMemoryLimitFailsAndTheRestIsIndexed) {
  if (!sandbox_limits_memory()) GTEST_SKIP() << "the sandbox applies no memory limit under AddressSanitizer";
  testing::write_file(in() / "long.pdf", long_pdf());
  const CommandResult r = run_command(index_command({"--extract-memory", "1"}));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const nlohmann::json j = report();
  EXPECT_EQ(diagnostics_of(j),
            std::vector<std::string>{"long.pdf: error failed: extraction needed more than 1 MiB of memory"});
  EXPECT_EQ(j["added"], 1);
  EXPECT_EQ(found("lagoons"), std::vector<std::string>{"notes.txt"});
}

// The pids of the running children of `parent`, from /proc.
std::vector<pid_t> children_of(pid_t parent) {
  std::vector<pid_t> children;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    // "PID (COMMAND) STATE PPID ...": the command may hold spaces and ')'.
    std::istringstream fields(line.substr(line.rfind(')') + 1));
    std::string state;
    pid_t ppid = 0;
    if (fields >> state >> ppid && ppid == parent && state != "Z") children.push_back(std::stoi(name));
  }
  return children;
}

// Whether process `pid` has a handler for SIGINT (SigCgt in its status).
bool catches_sigint(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("SigCgt:")) return (std::stoull(line.substr(7), nullptr, 16) >> (SIGINT - 1)) & 1;
  }
  return false;
}

// Ctrl-C reaches the whole process group, so the child parsing a file dies
// of it too: no fault of that file (was a fault: it was reported as failed,
// "extraction interrupted: Interrupt (signal 2)").
TEST_F(ExtractionLimitsTest, CtrlCDuringAnExtractionStopsTheRunWithoutBlamingTheFile) {
  testing::write_file(in() / "long.pdf", long_pdf());
  testing::ChildProcess run(index_command({}));
  std::vector<pid_t> extracting;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while ((extracting = children_of(run.pid())).empty() && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ASSERT_EQ(extracting.size(), 1u) << "policy-index started no extraction";
  // The child handles SIGINT as its parent does until its set-up gives it
  // the default action back; only then is it parsing (for a second or more).
  while (catches_sigint(extracting[0]) && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  run.send_signal(SIGINT);
  kill(extracting[0], SIGINT);
  const CommandResult r = run.wait();
  EXPECT_EQ(r.exit_code, 130) << r.err;
  const nlohmann::json j = report();
  EXPECT_EQ(j["interrupted"], "SIGINT");
  EXPECT_EQ(diagnostics_of(j), std::vector<std::string>{});
  EXPECT_EQ(j["failed"], 0);
  EXPECT_NE(r.err.find("interrupted by SIGINT after 0 of 2 files"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace policy
