// Source readers: turn the paths a user gives into SourceDocuments.
//
// Supported inputs:
//   - directories, walked recursively in sorted order; hidden entries
//     (".name") are not entered, symlinked directories are not followed (no
//     loops), a ".policyignore" file lists glob patterns of files to leave
//     out, matched against the path relative to its directory or the file
//     name; files of other types are skipped with a warning;
//   - .txt and .md files, each with an optional sidecar NAME.meta.json next
//     to NAME.txt holding an object (title, organisation, year, url, any
//     other field; "id" overrides the document id);
//   - .jsonl files: one JSON object per line with "text" (required), "id",
//     "title" and any metadata fields;
//   - .html, .htm and .xhtml files (web pages, html_reader.h), .pdf files
//     (pdf_reader.h, read page by page: the document keeps its page starts)
//     and .docx and .odt files (office_reader.h), parsed in a child process
//     with a time and memory limit (file_extraction.h): the title, the
//     text, and the format's metadata ("language", "date", "year",
//     "author", ...); a sidecar NAME.meta.json overrides them as for .txt
//     files. A file that cannot be parsed, or breaks a limit, fails; one
//     that holds no text (a page that is all navigation, a scanned PDF) is
//     skipped. A page may be 4 times --max-doc-bytes (a longer one is read
//     in its first part, with a warning); a PDF, Word or OpenDocument file
//     16 times (a longer one is skipped: cut, it cannot be read).
//
// Document ids are stable: the "id" given, else the path relative to the
// directory being indexed ("strategies/asean-2016.txt"), or the file name
// for a file named directly; a JSONL line without an id gets
// "<file id>#<line number>".
//
// Every problem is reported to the DiagnosticSink with its location and the
// run goes on: invalid UTF-8 is replaced by U+FFFD (warning), UTF-16 with a
// byte-order mark is converted, binary files and empty files are skipped,
// a malformed JSONL line fails alone (as does one longer than the document
// limit plus 1 MiB, which is never held in memory whole), a document whose id
// is longer than kMaxIdBytes fails alone, FIFOs, sockets and devices are
// skipped without being opened, a broken or looping symbolic link fails.
//
// Not thread-safe; one reader per thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "indexer/file_extraction.h"

namespace policy {

struct SourceDocument {
  std::string id;
  std::string title;  // may be empty; the index writer derives one
  std::string text;   // valid UTF-8 with "\n" line ends; not yet cleaned
  // For a document read page by page (PDF): page_starts[i] is the byte
  // offset in `text` where page i + 1 begins (page_starts[0] is 0; offsets
  // never decrease). Each page is cleaned on its own, so that every word
  // keeps its page. Empty for a document without pages.
  std::vector<std::size_t> page_starts;
  nlohmann::json metadata = nlohmann::json::object();
  std::string source;  // "corpus/x.txt" or "data/docs.jsonl:12", for messages and display
};

struct Diagnostic {
  enum class Severity { kNote, kWarning, kError };
  // What happened to the input the diagnostic is about.
  enum class Effect {
    kNone,     // indexed (perhaps repaired)
    kIgnored,  // not a document type; left out by design
    kSkipped,  // a document-like input that holds nothing indexable (binary, empty)
    kFailed,   // could not be read or parsed
  };
  Severity severity = Severity::kWarning;
  Effect effect = Effect::kNone;
  std::string location;  // "corpus/x.txt:12" or "corpus/x.txt"
  std::string message;

  // "corpus/x.txt:12: warning: invalid UTF-8 ...": the one message format.
  std::string to_string() const;
};

// Longest document id the index can hold: it becomes the "Q" term, and
// Xapian refuses terms over 245 bytes. A longer id fails its document.
inline constexpr std::size_t kMaxIdBytes = 240;

struct ReaderOptions {
  // A document larger than this is cut at the last line end before the limit,
  // with a warning. Applies to a .txt/.md file or a JSONL line's text.
  // Indexing holds a document's tokens, stems, offsets and postings at once,
  // many times its size, so this limit also bounds the indexer's memory,
  // whatever the file's size.
  std::uint64_t max_document_bytes = 16ull << 20;
  // Web pages, PDF, Word and OpenDocument files are parsed in a child
  // process within these limits (file_extraction.h).
  ExtractionLimits extraction;
  // Whether the run is stopping (a SIGINT or SIGTERM arrived). A file whose
  // extraction a signal ended is then not read, without a diagnostic: the
  // signal that stops the run reached the child too (Ctrl-C reaches the
  // whole process group), and the next run reads the file. While the run
  // goes on (or without this function), such a file fails as any other.
  std::function<bool()> stop_requested;
};

// One input file found by list_inputs().
struct InputFile {
  enum class Kind { kText, kJsonl, kHtml, kPdf, kDocx, kOdt };
  std::filesystem::path path;
  std::string id;  // document id (text) or id stem (JSONL lines)
  Kind kind = Kind::kText;
  std::uintmax_t size = 0;
};

class DocumentReader {
 public:
  using DocumentSink = std::function<void(SourceDocument&&)>;
  using DiagnosticSink = std::function<void(Diagnostic&&)>;

  // Web pages, PDF, Word and OpenDocument files go through `extractor`
  // (file_extraction.h), which the caller makes before it starts threads;
  // without one the reader makes its own with options.extraction.
  DocumentReader(ReaderOptions options, DiagnosticSink diagnostics, FileExtractor* extractor = nullptr);

  // The files to read under `paths`, in a stable order. Missing paths and
  // unreadable directories are reported as failed.
  std::vector<InputFile> list_inputs(const std::vector<std::filesystem::path>& paths);

  // Reads one input, passing each document to `sink`. Never throws for bad
  // content: problems go to the DiagnosticSink. Returns false when the
  // input was left unread because the run is stopping
  // (ReaderOptions::stop_requested), else true.
  bool read(const InputFile& input, const DocumentSink& sink);

 private:
  void walk_directory(const std::filesystem::path& root, const std::filesystem::path& dir,
                      std::vector<std::string> ignore_patterns, int depth, std::vector<InputFile>& out);
  void read_text_file(const InputFile& input, const DocumentSink& sink);
  void read_jsonl_file(const InputFile& input, const DocumentSink& sink);
  // Web pages, PDF, Word and OpenDocument files, through extract_isolated().
  // False when left unread because the run is stopping.
  bool read_extracted_file(const InputFile& input, const DocumentSink& sink);
  // Cuts a text over the document limit at a line end, with a warning.
  void cut_text_to_limit(std::string& text, const std::string& location);
  // Applies the sidecar NAME.meta.json (its fields override the document's),
  // takes the id and title out of the metadata, checks the id, and passes the
  // document to `sink`.
  void finish_document(const InputFile& input, SourceDocument doc, const DocumentSink& sink);
  // `name` as a document id: itself when valid UTF-8, else with each
  // invalid byte escaped (escape_invalid_utf8) and a warning.
  std::string text_id(const std::filesystem::path& path, const std::string& name);
  void report(Diagnostic::Severity severity, Diagnostic::Effect effect, std::string location, std::string message);

  ReaderOptions options_;
  DiagnosticSink diagnostics_;
  std::unique_ptr<FileExtractor> own_extractor_;  // when none is given
  FileExtractor* extractor_;
};

// What decode_text() made of a file's bytes.
struct DecodedText {
  std::string text;     // valid UTF-8 with "\n" line ends; empty when refused
  std::string refused;  // why the bytes are not text ("binary file (NUL byte ...)"), or ""
  std::string warning;  // what was repaired or converted, or ""

  bool ok() const { return refused.empty(); }
};

// Decodes file bytes to valid UTF-8 with "\n" line ends: strips a UTF-8 BOM,
// converts UTF-16 with a BOM, repairs invalid UTF-8. Refuses binary content
// (a NUL byte in the first 8 KiB).
DecodedText decode_text(std::string bytes);

// Checks and normalises known metadata fields in place: "year" must be an
// integer 1000..2999 (or a string of one), "organisation" a string or array
// of strings, "title" and "url" strings. Bad values are removed and a
// message is appended to `problems`; unknown fields are kept as they are.
void normalize_metadata(nlohmann::json& metadata, std::vector<std::string>& problems);

}  // namespace policy
