// Extraction of the formats whose parsers are third-party code working on
// untrusted bytes: web pages (html_reader.h), PDF (pdf_reader.h), Word and
// OpenDocument text (office_reader.h).
//
// extract_file() turns a file's bytes into an ExtractedFile, the one form
// all of them share: a title, the text (page by page for PDF), metadata and
// what went wrong. extract_isolated() runs it in a child process with a time
// and a memory limit (extraction_sandbox.h), so that a parser that loops,
// crashes or swallows memory costs one file, not the run; the result comes
// back serialised.
//
// Metadata keys set here: "language" (primary subtag), "date" (as given)
// and "year" (a web page's meta tags), "author", "subject", "keywords",
// "description", "created", "modified" (ISO 8601) where the format has
// them; a sidecar NAME.meta.json overrides them (document_reader.h). A
// file's creation date is not its "year": the field extractor falls back
// on it only when the text names none (core/field_extractor.h).
//
// Thread-safety: extract_file() and extract_isolated() are pure functions
// (each reader is); a FileExtractor serves one caller thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace policy {

enum class ExtractableFormat { kHtml, kPdf, kDocx, kOdt };

struct ExtractedFile {
  std::string title;               // "" when the file names none
  std::vector<std::string> pages;  // the text, valid UTF-8, not yet cleaned; one entry unless `paged`
  bool paged = false;              // `pages` are the file's pages (PDF), in order from page 1
  nlohmann::json metadata = nlohmann::json::object();
  std::string refused;  // why the bytes could not be read as their format, or ""
  std::string no_text;  // why a readable file gives no text ("no text layer ..."), or ""
  std::vector<std::string> warnings;
  std::vector<std::string> notes;  // worth knowing, not a problem ("1 of 193 pages holds no text")
  // Set by extract_isolated() when SIGINT, SIGTERM, SIGHUP or SIGQUIT from
  // outside ended the child, and by FileExtractor when its helper ended
  // (Ctrl-C reaches both with the whole process group): no fault of the
  // file. `refused` says so.
  bool interrupted = false;

  // MessagePack of the fields above. unserialise() throws CorruptDataError
  // on bytes serialise() did not write.
  std::string serialise() const;
  static ExtractedFile unserialise(std::string_view bytes);
};

// Reads `bytes` as `format`. Never throws for bad content.
ExtractedFile extract_file(std::string_view bytes, ExtractableFormat format);

struct ExtractionLimits {
  std::chrono::milliseconds time{60'000};   // per file
  std::uint64_t memory_bytes = 2ull << 30;  // address space of the extracting process; 0: no limit
  bool isolate = true;                      // false: in this process, without limits (for measurements)
};

// extract_file() in a child process within `limits`. A file that breaks a
// limit or crashes the parser comes back with `refused` saying so
// ("extraction took longer than 60 s (killed)"), as does one whose child a
// signal ended (`interrupted`).
ExtractedFile extract_isolated(std::string_view bytes, ExtractableFormat format, const ExtractionLimits& limits);

// Extraction of many files, each in its own child process, without the
// cost of forking the indexer for each: fork() copies the page tables of
// the whole caller, tens of milliseconds for an indexer of a few hundred
// MB, more than parsing a web page takes. The constructor forks one small
// helper process at once (with `limits.isolate`), before the indexer starts
// its threads, so that it inherits no lock another thread holds; extract()
// sends it the file's bytes, and it runs extract_isolated() on them (one
// fork of a small, single-threaded process per file) and sends back the
// result. When the helper is gone (killed, or a signal from the terminal)
// the file is reported as failed and a new helper is forked on the next
// call, from the caller as it then is.
//
// Not thread-safe: one caller thread. The helper ends with this object
// (it reads the end of its input) or with the thread that made it.
class FileExtractor {
 public:
  explicit FileExtractor(ExtractionLimits limits);
  ~FileExtractor();
  FileExtractor(const FileExtractor&) = delete;
  FileExtractor& operator=(const FileExtractor&) = delete;

  ExtractedFile extract(std::string_view bytes, ExtractableFormat format);

 private:
  void start_helper();
  void stop_helper();

  ExtractionLimits limits_;
  int socket_ = -1;  // to the helper; -1 when none runs
  int helper_pid_ = -1;
};

}  // namespace policy
