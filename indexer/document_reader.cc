#include "indexer/document_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>

#include <fnmatch.h>
#include <unicode/unistr.h>

#include "core/utf8.h"

#include "indexer/file_extraction.h"

namespace policy {
namespace fs = std::filesystem;
namespace {

// Deeper JSON than this in one JSONL line is refused rather than parsed:
// no policy document needs it, and it bounds memory and recursion.
constexpr int kMaxJsonDepth = 64;
// Directory recursion limit: a guard against pathological trees.
constexpr int kMaxDirectoryDepth = 64;
// Bytes inspected for NUL when deciding whether a file is binary.
constexpr std::size_t kBinarySniffBytes = 8192;
// A JSONL line may exceed the document limit by this much (the JSON around
// the text, escapes); a longer line is skipped without being held in memory.
constexpr std::uint64_t kJsonlLineSlackBytes = 1 << 20;
// A web page may be this many times --max-doc-bytes before it is cut: its
// markup is not indexed.
constexpr std::uint64_t kHtmlBytesPerTextByte = 4;
// A PDF, Word or OpenDocument file may be this many times --max-doc-bytes:
// fonts and images take most of a PDF.
constexpr std::uint64_t kBinaryBytesPerTextByte = 16;

bool is_sidecar(const fs::path& p) {
  const std::string name = p.filename().string();
  return name.size() > 10 && ascii_lower(name).ends_with(".meta.json");
}

// The types of file a user may name or a directory may hold, for messages.
constexpr const char* kSupportedTypes = ".txt, .md, .jsonl, .html, .htm, .xhtml, .pdf, .docx, .odt";

// The kind of input a file extension (lower case, with its dot) names.
std::optional<InputFile::Kind> kind_of_extension(const std::string& ext) {
  if (ext == ".txt" || ext == ".md") return InputFile::Kind::kText;
  if (ext == ".jsonl") return InputFile::Kind::kJsonl;
  if (ext == ".html" || ext == ".htm" || ext == ".xhtml") return InputFile::Kind::kHtml;
  if (ext == ".pdf") return InputFile::Kind::kPdf;
  if (ext == ".docx") return InputFile::Kind::kDocx;
  if (ext == ".odt") return InputFile::Kind::kOdt;
  return std::nullopt;
}

ExtractableFormat format_of(InputFile::Kind kind) {
  switch (kind) {
    case InputFile::Kind::kPdf:
      return ExtractableFormat::kPdf;
    case InputFile::Kind::kDocx:
      return ExtractableFormat::kDocx;
    case InputFile::Kind::kOdt:
      return ExtractableFormat::kOdt;
    default:
      return ExtractableFormat::kHtml;
  }
}

// NAME.txt -> NAME.meta.json
fs::path sidecar_for(const fs::path& p) {
  fs::path sidecar = p;
  sidecar.replace_extension(".meta.json");
  return sidecar;
}

// A file's bytes, read by read_file().
struct FileBytes {
  std::string bytes;
  bool truncated = false;  // the file holds more than the limit; `bytes` holds the start
  std::string error;       // why it could not be read ("cannot open: ..."), or ""
};

// Reads the file at `path`, stopping once more than `max_bytes` are read.
FileBytes read_file(const fs::path& path, std::uint64_t max_bytes) {
  FileBytes file;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    file.error = std::string("cannot open: ") + std::strerror(errno);
    return file;
  }
  char buffer[1 << 16];
  while (in) {
    in.read(buffer, sizeof buffer);
    file.bytes.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (file.bytes.size() > max_bytes) {
      file.truncated = true;
      break;
    }
  }
  if (in.bad()) file.error = std::string("read error: ") + std::strerror(errno);
  return file;
}

// One line read by read_bounded_line().
struct BoundedLine {
  std::string text;       // without its '\n', at most the limit
  bool too_long = false;  // the rest was read and dropped
};

// Reads one '\n'-terminated line, keeping at most `max_bytes` of it.
// Returns nothing at the end of input or on a read error (the caller
// reports it). Memory stays bounded however long the line is.
std::optional<BoundedLine> read_bounded_line(std::istream& in, std::uint64_t max_bytes) {
  BoundedLine line;
  bool any = false;
  char buffer[1 << 16];
  for (;;) {
    in.getline(buffer, sizeof buffer);
    const auto got = static_cast<std::size_t>(in.gcount());
    any = any || got > 0;
    if (in.bad()) return std::nullopt;
    const bool at_end = in.eof();
    const bool buffer_full = !at_end && in.fail();
    const std::size_t stored = at_end || buffer_full ? got : got - 1;  // gcount() counts the '\n'
    const std::size_t room = line.text.size() < max_bytes ? static_cast<std::size_t>(max_bytes - line.text.size()) : 0;
    line.text.append(buffer, std::min(stored, room));
    line.too_long = line.too_long || stored > room;
    if (!buffer_full) {
      if (!any) return std::nullopt;
      return line;
    }
    in.clear();
  }
}

// Cuts `text` to at most `max_bytes`, at the last line end when there is one.
void truncate_text(std::string& text, std::uint64_t max_bytes) {
  if (text.size() <= max_bytes) return;
  std::string_view kept = utf8_prefix(text, max_bytes);
  const std::size_t line_end = kept.rfind('\n');
  if (line_end != std::string_view::npos && line_end > kept.size() / 2) kept = kept.substr(0, line_end);
  text.resize(kept.size());
}

bool is_blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; });
}

std::string markdown_title(std::string_view text) {
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (line.starts_with("# ")) {
      line.remove_prefix(2);
      return std::string(utf8_prefix(line, 200));  // never cut inside a character
    }
    if (!is_blank(line)) return {};
    start = end + 1;
  }
  return {};
}

std::vector<std::string> read_ignore_file(const fs::path& file) {
  std::vector<std::string> patterns;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    patterns.push_back(line);
  }
  return patterns;
}

bool ignored(const std::vector<std::string>& patterns, const std::string& relative, const std::string& name) {
  for (const std::string& p : patterns) {
    if (fnmatch(p.c_str(), relative.c_str(), FNM_PATHNAME) == 0 || fnmatch(p.c_str(), name.c_str(), 0) == 0) {
      return true;
    }
  }
  return false;
}

// Numbers beyond double's range read as null in one JSON text, at most.
constexpr std::size_t kMaxNumbersOutOfRange = 16;

// Finds where a JSON text's first error is: a SAX pass that builds nothing.
class FirstErrorLocator : public nlohmann::json_sax<nlohmann::json> {
 public:
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t position, const std::string& token, const nlohmann::detail::exception&) override {
    end = position;
    this->token = token;
    return false;
  }

  std::size_t end = 0;  // bytes read when the error was found: the token ends there
  std::string token;
};

// Parses JSON, refusing nesting deeper than kMaxJsonDepth (std::length_error)
// before it is built: deep values would overflow the stack when dumped or
// serialised. A number beyond double's range (1e400), which nlohmann::json
// refuses, is read as null and described in `out_of_range` (its text and
// byte offset), so that one such value costs that value only. Throws
// nlohmann::json::parse_error for malformed JSON.
nlohmann::json parse_bounded_json(std::string_view bytes, std::vector<std::string>* out_of_range = nullptr) {
  const auto depth_guard = [](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
    if (depth > kMaxJsonDepth)
      throw std::length_error("nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    return true;
  };
  std::string text(bytes);
  std::size_t shrunk = 0;  // bytes the replacements so far took out, all before the next error
  for (;;) {
    try {
      return nlohmann::json::parse(text, depth_guard);
    } catch (const nlohmann::json::out_of_range& e) {
      if (e.id != 406 || out_of_range == nullptr) throw;  // 406: number overflow
      // Each costs a parse of the whole text: a bound keeps a line of
      // overflowing numbers from taking quadratic time.
      if (out_of_range->size() >= kMaxNumbersOutOfRange) {
        throw std::length_error("has more than " + std::to_string(kMaxNumbersOutOfRange) + " numbers out of range");
      }
      FirstErrorLocator locator;
      nlohmann::json::sax_parse(text, &locator);
      const std::size_t begin = text.rfind(locator.token, locator.end);
      if (locator.token.empty() || begin == std::string::npos) throw;
      if (locator.token.size() < 4) throw;  // "null" must not be longer, for the offsets below
      out_of_range->push_back("number " + locator.token + " at byte " + std::to_string(begin + shrunk + 1) +
                              " is out of range; read as null");
      shrunk += locator.token.size() - 4;
      // "null" is no longer than any number that overflows ("1e400"), so
      // the texts shrink and the loop ends.
      text.replace(begin, locator.token.size(), "null");
    }
  }
}

// Glob metacharacters in `text` escaped for fnmatch().
std::string escape_glob(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '*' || c == '?' || c == '[' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

// The message for an id the index cannot hold, or "" when it fits.
std::string id_problem(const std::string& id) {
  if (id.size() <= kMaxIdBytes) return {};
  return "document id is " + std::to_string(id.size()) + " bytes long; the limit is " + std::to_string(kMaxIdBytes) +
         " (give a shorter \"id\"); skipped";
}

std::string json_id(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return std::to_string(value.get<long long>());
  if (value.is_number_unsigned()) return std::to_string(value.get<unsigned long long>());
  return {};
}

}  // namespace

std::string Diagnostic::to_string() const {
  const char* level = severity == Severity::kError ? "error" : severity == Severity::kWarning ? "warning" : "note";
  return location + ": " + level + ": " + message;
}

DecodedText decode_text(std::string bytes) {
  DecodedText decoded;
  std::string& warning = decoded.warning;
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
  if (bytes.size() >= 2 && ((byte(0) == 0xFF && byte(1) == 0xFE) || (byte(0) == 0xFE && byte(1) == 0xFF))) {
    const bool little_endian = byte(0) == 0xFF;
    std::u16string units;
    units.reserve(bytes.size() / 2);
    for (std::size_t i = 2; i + 1 < bytes.size(); i += 2) {
      units.push_back(little_endian ? static_cast<char16_t>(byte(i) | (byte(i + 1) << 8))
                                    : static_cast<char16_t>((byte(i) << 8) | byte(i + 1)));
    }
    std::string utf8;
    icu::UnicodeString(units.data(), static_cast<int32_t>(units.size())).toUTF8String(utf8);
    bytes = std::move(utf8);
    warning = std::string("converted from UTF-16") + (little_endian ? "LE" : "BE");
  } else if (bytes.size() >= 3 && byte(0) == 0xEF && byte(1) == 0xBB && byte(2) == 0xBF) {
    bytes.erase(0, 3);
  }
  const std::size_t nul = std::string_view(bytes).substr(0, kBinarySniffBytes).find('\0');
  if (nul != std::string::npos) {
    DecodedText binary;
    binary.refused = "binary file (NUL byte at offset " + std::to_string(nul) + ")";
    return binary;
  }
  Utf8Problem problem;
  std::string repaired = repair_utf8(bytes, &problem);
  if (problem.invalid_sequences > 0) {
    if (!warning.empty()) warning += "; ";
    warning += "invalid UTF-8 at line " + std::to_string(problem.first_line) + ", byte " +
               std::to_string(problem.first_offset) + " (" + std::to_string(problem.invalid_sequences) + " sequence" +
               (problem.invalid_sequences == 1 ? "" : "s") + " replaced with U+FFFD)";
  }
  decoded.text = normalize_line_ends(repaired);
  return decoded;
}

void normalize_metadata(nlohmann::json& metadata, std::vector<std::string>& problems) {
  if (!metadata.is_object()) {
    problems.push_back("metadata is not a JSON object; ignored");
    metadata = nlohmann::json::object();
    return;
  }
  if (auto it = metadata.find("year"); it != metadata.end()) {
    long long year = 0;
    bool ok = false;
    if (it->is_number_integer() || it->is_number_unsigned()) {
      year = it->get<long long>();
      ok = true;
    } else if (it->is_string()) {
      const std::string s = it->get<std::string>();
      // Not ::isdigit: a negative char (a UTF-8 byte) is undefined behaviour there.
      ok = s.size() == 4 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (ok) year = std::stoll(s);
    }
    if (ok && year >= 1000 && year <= 2999) {
      *it = year;
    } else {
      problems.push_back("field \"year\": " + it->dump() + " is not a year (an integer 1000-2999); ignored");
      metadata.erase(it);
    }
  }
  if (auto it = metadata.find("organisation"); it != metadata.end()) {
    bool ok = it->is_string();
    if (it->is_array()) {
      ok = std::all_of(it->begin(), it->end(), [](const nlohmann::json& v) { return v.is_string(); });
    }
    if (!ok) {
      problems.push_back("field \"organisation\": expected a string or an array of strings; ignored");
      metadata.erase(it);
    }
  }
  for (const char* key : {"title", "url"}) {
    if (auto it = metadata.find(key); it != metadata.end() && !it->is_string()) {
      problems.push_back(std::string("field \"") + key + "\": expected a string; ignored");
      metadata.erase(it);
    }
  }
}

DocumentReader::DocumentReader(ReaderOptions options, DiagnosticSink diagnostics, FileExtractor* extractor)
    : options_(options),
      diagnostics_(std::move(diagnostics)),
      own_extractor_(extractor ? nullptr : std::make_unique<FileExtractor>(options.extraction)),
      extractor_(extractor ? extractor : own_extractor_.get()) {}

void DocumentReader::report(Diagnostic::Severity severity, Diagnostic::Effect effect, std::string location,
                            std::string message) {
  // A file name need not be UTF-8; what is reported is text.
  if (diagnostics_) diagnostics_(Diagnostic{severity, effect, escape_invalid_utf8(location), std::move(message)});
}

std::string DocumentReader::text_id(const fs::path& path, const std::string& name) {
  if (is_valid_utf8(name)) return name;
  std::string id = escape_invalid_utf8(name);
  report(Diagnostic::Severity::kWarning, Diagnostic::Effect::kNone, path.string(),
         "file name is not valid UTF-8; indexed with the id '" + id + "' (each such byte written as %XX)");
  return id;
}

std::vector<InputFile> DocumentReader::list_inputs(const std::vector<fs::path>& paths) {
  std::vector<InputFile> inputs;
  for (const fs::path& path : paths) {
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      report(Diagnostic::Severity::kError, Diagnostic::Effect::kFailed, path.string(), "no such file or directory");
      continue;
    }
    if (fs::is_directory(status)) {
      walk_directory(path, path, {}, 0, inputs);
      continue;
    }
    const std::string ext = ascii_lower(path.extension().string());
    const std::optional<InputFile::Kind> kind = kind_of_extension(ext);
    if (!kind) {
      report(Diagnostic::Severity::kError, Diagnostic::Effect::kSkipped, path.string(),
             "unsupported file type '" + ext + "' (supported: " + kSupportedTypes + ")");
      continue;
    }
    inputs.push_back(InputFile{path, text_id(path, path.filename().string()), *kind, fs::file_size(path, ec)});
  }
  return inputs;
}

void DocumentReader::walk_directory(const fs::path& root, const fs::path& dir, std::vector<std::string> ignore_patterns,
                                    int depth, std::vector<InputFile>& out) {
  if (depth > kMaxDirectoryDepth) {
    report(Diagnostic::Severity::kError, Diagnostic::Effect::kFailed, dir.string(),
           "directory nesting deeper than " + std::to_string(kMaxDirectoryDepth) + "; not entered");
    return;
  }
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) {
    report(Diagnostic::Severity::kError, Diagnostic::Effect::kFailed, dir.string(),
           "cannot read directory: " + ec.message());
    return;
  }
  // Patterns of this directory's .policyignore apply here and below.
  const fs::path ignore_file = dir / ".policyignore";
  std::vector<std::string> local_patterns;
  if (fs::exists(ignore_file, ec)) local_patterns = read_ignore_file(ignore_file);

  std::vector<fs::directory_entry> entries;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) break;
    entries.push_back(*it);
  }
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.path().filename() < b.path().filename(); });
  for (const fs::directory_entry& entry : entries) {
    const fs::path& path = entry.path();
    const std::string name = path.filename().string();
    if (name.starts_with(".")) continue;
    const std::string relative = path.lexically_relative(root).generic_string();
    const std::string local = path.lexically_relative(dir).generic_string();
    if (ignored(local_patterns, local, name) || ignored(ignore_patterns, relative, name)) continue;
    const bool is_symlink = entry.is_symlink(ec);
    if (entry.is_directory(ec)) {
      if (is_symlink) {
        report(Diagnostic::Severity::kNote, Diagnostic::Effect::kIgnored, path.string(),
               "symbolic link to a directory; not followed");
        continue;
      }
      std::vector<std::string> inherited = ignore_patterns;
      // Inherited patterns are matched against paths relative to the root:
      // one with a '/' is re-anchored at this directory; one without matches
      // names at any depth, which ignored() does.
      const std::string dir_relative = dir == root ? "" : dir.lexically_relative(root).generic_string();
      for (const std::string& p : local_patterns) {
        const bool anchored = p.find('/') != std::string::npos && !dir_relative.empty();
        inherited.push_back(anchored ? escape_glob(dir_relative) + "/" + p : p);
      }
      walk_directory(root, path, std::move(inherited), depth + 1, out);
      continue;
    }
    if (!entry.is_regular_file(ec)) {
      std::error_code target_error;
      const fs::file_status target = fs::status(path, target_error);
      if (is_symlink && target_error) {
        // A loop gives "Too many levels of symbolic links".
        report(Diagnostic::Severity::kWarning, Diagnostic::Effect::kFailed, path.string(),
               "broken symbolic link (" + target_error.message() + ")");
      } else if (fs::is_fifo(target) || fs::is_socket(target) || fs::is_block_file(target) ||
                 fs::is_character_file(target)) {
        // Never opened: reading a FIFO or a device could block for ever.
        report(Diagnostic::Severity::kWarning, Diagnostic::Effect::kSkipped, path.string(),
               std::string("not a regular file (") +
                   (fs::is_fifo(target)     ? "FIFO"
                    : fs::is_socket(target) ? "socket"
                                            : "device") +
                   "); skipped");
      }
      continue;
    }
    if (is_sidecar(path)) continue;
    const std::string ext = ascii_lower(path.extension().string());
    const std::optional<InputFile::Kind> kind = kind_of_extension(ext);
    if (!kind) {
      report(Diagnostic::Severity::kWarning, Diagnostic::Effect::kSkipped, path.string(),
             std::string("not a supported file type (") + kSupportedTypes + "); skipped");
      continue;
    }
    out.push_back(InputFile{path, text_id(path, relative), *kind, entry.file_size(ec)});
  }
}

bool DocumentReader::read(const InputFile& input, const DocumentSink& sink) {
  if (input.kind == InputFile::Kind::kJsonl) {
    read_jsonl_file(input, sink);
  } else if (input.kind == InputFile::Kind::kText) {
    read_text_file(input, sink);
  } else {
    return read_extracted_file(input, sink);
  }
  return true;
}

void DocumentReader::read_text_file(const InputFile& input, const DocumentSink& sink) {
  const std::string location = escape_invalid_utf8(input.path.string());
  FileBytes file = read_file(input.path, options_.max_document_bytes);
  if (!file.error.empty()) {
    report(Diagnostic::Severity::kError, Diagnostic::Effect::kFailed, location, file.error);
    return;
  }
  DecodedText decoded = decode_text(std::move(file.bytes));
  if (!decoded.ok()) {
    report(Diagnostic::Severity::kWarning, Diagnostic::Effect::kSkipped, location, decoded.refused + "; skipped");
    return;
  }
  if (!decoded.warning.empty()) {
    report(Diagnostic::Severity::kWarning, Diagnostic::Effect::kNone, location, decoded.warning);
  }
  SourceDocument doc;
  doc.text = std::move(decoded.text);
  if (file.truncated) {
    truncate_text(doc.text, options_.max_document_bytes);
    report(Diagnostic::Severity::kWarning, Diagnostic::Effect::kNone, location,
           "larger than the document limit of " + std::to_string(options_.max_document_bytes) +
               " bytes; indexed the first " + std::to_string(doc.text.size()) + " bytes (--max-doc-bytes)");
  }
  if (is_blank(doc.text)) {
    report(Diagnostic::Severity::kNote, Diagnostic::Effect::kSkipped, location,
           doc.text.empty() ? "empty file; skipped" : "file holds only whitespace; skipped");
    return;
  }
  doc.id = input.id;
  doc.source = location;
  if (ascii_lower(input.path.extension().string()) == ".md") doc.title = markdown_title(doc.text);
  finish_document(input, std::move(doc), sink);
}

bool DocumentReader::read_extracted_file(const InputFile& input, const DocumentSink& sink) {
  const std::string location = escape_invalid_utf8(input.path.string());
  const bool is_html = input.kind == InputFile::Kind::kHtml;
  // Markup and the layout of binary formats take room: a web page may hold
  // kHtmlBytesPerTextByte times the document limit before it is cut; a PDF,
  // Word or OpenDocument file, cut, is unreadable, so one over its limit is
  // not read.
  const std::uint64_t max_bytes =
      options_.max_document_bytes * (is_html ? kHtmlBytesPerTextByte : kBinaryBytesPerTextByte);
  FileBytes file = read_file(input.path, max_bytes);
  if (!file.error.empty()) {
    report(Diagnostic::Severity::kError, Diagnostic::Effect::kFailed, location, file.error);
    return true;
  }
  if (file.truncated && !is_html) {
    report(Diagnostic::Severity::kWarning, Diagnostic::Effect::kSkipped, location,
           "larger than " + std::to_string(max_bytes) + " bytes (" + std::to_string(kBinaryBytesPerTextByte) +
               " times --max-doc-bytes); skipped");
    return true;
  }
  if (file.truncated) {
    file.bytes.resize(max_bytes);
    report(Diagnostic::Severity::kWarning, Diagnostic::Effect::kNone, location,
           "larger than " + std::to_string(max_bytes) + " bytes (" + std::to_string(kHtmlBytesPerTextByte) +
               " times --max-doc-bytes); read the first " + std::to_string(max_bytes) + " bytes");
  }
  if (is_blank(file.bytes)) {
    report(Diagnostic::Severity::kWarning, Diagnostic::Effect::kSkipped, location, "empty file; skipped");
    return true;
  }
  ExtractedFile extracted = extractor_->extract(file.bytes, format_of(input.kind));
  if (extracted.interrupted && options_.stop_requested && options_.stop_requested()) return false;
  if (!extracted.refused.empty()) {
    // A page that is not HTML is content of another kind (skipped); a PDF or
    // Word file that cannot be read is a broken input (failed).
    report(is_html ? Diagnostic::Severity::kWarning : Diagnostic::Severity::kError,
           is_html ? Diagnostic::Effect::kSkipped : Diagnostic::Effect::kFailed, location,
           extracted.refused + (is_html ? "; skipped" : ""));
    return true;
  }
  for (const std::string& warning : extracted.warnings) {
    report(Diagnostic::Severity::kWarning, Diagnostic::Effect::kNone, location, warning);
  }
  for (const std::string& note : extracted.notes) {
    report(Diagnostic::Severity::kNote, Diagnostic::Effect::kNone, location, note);
  }
  SourceDocument doc;
  for (std::string& page : extracted.pages) {
    if (extracted.paged) {
      doc.page_starts.push_back(doc.text.size());
      if (!page.empty() && page.back() != '\n') page += '\n';
    }
    doc.text += page;
  }
  if (extracted.no_text.empty() && is_blank(doc.text)) {
    extracted.no_text =
        is_html ? "page holds no text outside scripts, navigation and other boilerplate" : "file holds no text";
  }
  if (!extracted.no_text.empty()) {
    report(Diagnostic::Severity::kWarning, Diagnostic::Effect::kSkipped, location, extracted.no_text + "; skipped");
    return true;
  }
  cut_text_to_limit(doc.text, location);
  while (!doc.page_starts.empty() && doc.page_starts.back() > doc.text.size()) doc.page_starts.pop_back();
  doc.id = input.id;
  doc.source = location;
  doc.title = std::move(extracted.title);
  doc.metadata = std::move(extracted.metadata);
  finish_document(input, std::move(doc), sink);
  return true;
}

void DocumentReader::cut_text_to_limit(std::string& text, const std::string& location) {
  if (text.size() <= options_.max_document_bytes) return;
  truncate_text(text, options_.max_document_bytes);
  report(Diagnostic::Severity::kWarning, Diagnostic::Effect::kNone, location,
         "text larger than the document limit; indexed the first " + std::to_string(text.size()) +
             " bytes (--max-doc-bytes)");
}

void DocumentReader::finish_document(const InputFile& input, SourceDocument doc, const DocumentSink& sink) {
  const std::string location = escape_invalid_utf8(input.path.string());
  const fs::path sidecar = sidecar_for(input.path);
  std::error_code ec;
  if (fs::exists(sidecar, ec)) {
    const FileBytes sidecar_file = read_file(sidecar, 1 << 20);
    if (!sidecar_file.error.empty() || sidecar_file.truncated) {
      report(Diagnostic::Severity::kWarning, Diagnostic::Effect::kNone, sidecar.string(),
             (sidecar_file.truncated ? std::string("larger than 1 MiB") : sidecar_file.error) + "; metadata ignored");
    } else {
      // The sidecar's fields override those the file itself gave.
      try {
        std::vector<std::string> problems;
        nlohmann::json metadata = parse_bounded_json(sidecar_file.bytes, &problems);
        normalize_metadata(metadata, problems);
        for (const std::string& p : problems) {
          report(Diagnostic::Severity::kWarning, Diagnostic::Effect::kNone, sidecar.string(), p);
        }
        doc.metadata.update(metadata);
      } catch (const nlohmann::json::exception& e) {  // any: a sidecar never stops the run
        report(Diagnostic::Severity::kWarning, Diagnostic::Effect::kNone, sidecar.string(),
               std::string("malformed JSON (") + e.what() + "); metadata ignored");
      } catch (const std::length_error& e) {
        report(Diagnostic::Severity::kWarning, Diagnostic::Effect::kNone, sidecar.string(),
               std::string("JSON ") + e.what() + "; metadata ignored");
      }
    }
  }
  if (auto it = doc.metadata.find("id"); it != doc.metadata.end()) {
    if (std::string id = json_id(*it); !id.empty()) doc.id = id;
    doc.metadata.erase("id");
  }
  if (auto it = doc.metadata.find("title"); it != doc.metadata.end()) {
    doc.title = it->get<std::string>();
    doc.metadata.erase(it);
  }
  if (std::string problem = id_problem(doc.id); !problem.empty()) {
    report(Diagnostic::Severity::kError, Diagnostic::Effect::kFailed, location, problem);
    return;
  }
  sink(std::move(doc));
}

void DocumentReader::read_jsonl_file(const InputFile& input, const DocumentSink& sink) {
  const std::string file = escape_invalid_utf8(input.path.string());
  std::ifstream file_in(input.path, std::ios::binary);
  if (!file_in) {
    report(Diagnostic::Severity::kError, Diagnostic::Effect::kFailed, file,
           std::string("cannot open: ") + std::strerror(errno));
    return;
  }
  // UTF-16 with a byte-order mark (as Windows tools write it) is converted
  // as a whole, then read line by line like UTF-8.
  std::istringstream converted;
  char bom[2] = {};
  file_in.read(bom, 2);
  const bool utf16 =
      file_in.gcount() == 2 && ((bom[0] == '\xFF' && bom[1] == '\xFE') || (bom[0] == '\xFE' && bom[1] == '\xFF'));
  file_in.clear();
  file_in.seekg(0);
  if (utf16) {
    FileBytes whole = read_file(input.path, std::numeric_limits<std::uint64_t>::max());
    if (!whole.error.empty()) {
      report(Diagnostic::Severity::kError, Diagnostic::Effect::kFailed, file, whole.error);
      return;
    }
    DecodedText decoded = decode_text(std::move(whole.bytes));
    if (!decoded.ok()) {
      report(Diagnostic::Severity::kWarning, Diagnostic::Effect::kSkipped, file, decoded.refused + "; skipped");
      return;
    }
    report(Diagnostic::Severity::kWarning, Diagnostic::Effect::kNone, file, decoded.warning);
    converted.str(std::move(decoded.text));
  }
  std::istream& in = utf16 ? static_cast<std::istream&>(converted) : file_in;
  std::size_t line_number = 0;
  const std::uint64_t max_line_bytes = options_.max_document_bytes + kJsonlLineSlackBytes;
  while (std::optional<BoundedLine> next = read_bounded_line(in, max_line_bytes)) {
    ++line_number;
    std::string& line = next->text;
    const std::string location = file + ":" + std::to_string(line_number);
    if (next->too_long) {
      report(Diagnostic::Severity::kError, Diagnostic::Effect::kFailed, location,
             "line longer than " + std::to_string(max_line_bytes) +
                 " bytes (--max-doc-bytes plus 1 MiB for the JSON around the text); line skipped");
      continue;
    }
    if (line_number == 1 && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (is_blank(line)) continue;
    // Repaired first: one bad byte in a text must not lose the whole line.
    Utf8Problem problem;
    line = repair_utf8(line, &problem);
    if (problem.invalid_sequences > 0) {
      report(Diagnostic::Severity::kWarning, Diagnostic::Effect::kNone, location,
             "invalid UTF-8 at byte " + std::to_string(problem.first_offset + 1) + " of the line (" +
                 std::to_string(problem.invalid_sequences) + " sequence" + (problem.invalid_sequences == 1 ? "" : "s") +
                 " replaced with U+FFFD)");
    }
    nlohmann::json record;
    std::vector<std::string> out_of_range;
    try {
      record = parse_bounded_json(line, &out_of_range);
    } catch (const nlohmann::json::parse_error& e) {
      // e.byte is 1-based; report the column the user can find.
      report(Diagnostic::Severity::kError, Diagnostic::Effect::kFailed, location,
             "malformed JSON at column " + std::to_string(e.byte) + ": " + e.what() + "; line skipped");
      continue;
    } catch (const std::exception& e) {
      report(Diagnostic::Severity::kError, Diagnostic::Effect::kFailed, location,
             std::string("JSON ") + e.what() + "; line skipped");
      continue;
    }
    for (const std::string& problem : out_of_range) {
      report(Diagnostic::Severity::kWarning, Diagnostic::Effect::kNone, location, problem);
    }
    if (!record.is_object()) {
      report(Diagnostic::Severity::kError, Diagnostic::Effect::kFailed, location,
             "expected a JSON object, found " + std::string(record.type_name()) + "; line skipped");
      continue;
    }
    auto text_it = record.find("text");
    if (text_it == record.end() || !text_it->is_string()) {
      report(Diagnostic::Severity::kError, Diagnostic::Effect::kFailed, location,
             "field \"text\" is missing or not a string; line skipped");
      continue;
    }
    std::string text = text_it->get<std::string>();
    // A NUL here was written "\u0000" (a raw one is not JSON): a stray
    // character of a valid text, not the mark of a binary file.
    if (const auto nuls = std::count(text.begin(), text.end(), '\0'); nuls > 0) {
      std::replace(text.begin(), text.end(), '\0', ' ');
      report(Diagnostic::Severity::kWarning, Diagnostic::Effect::kNone, location,
             "field \"text\" holds " + std::to_string(nuls) + " U+0000 character" + (nuls == 1 ? "" : "s") +
                 " (\\u0000); replaced with spaces");
    }
    DecodedText decoded = decode_text(std::move(text));
    if (!decoded.ok()) {
      report(Diagnostic::Severity::kWarning, Diagnostic::Effect::kSkipped, location, decoded.refused + "; skipped");
      continue;
    }
    if (!decoded.warning.empty()) {
      report(Diagnostic::Severity::kWarning, Diagnostic::Effect::kNone, location, decoded.warning);
    }
    SourceDocument doc;
    doc.text = std::move(decoded.text);
    cut_text_to_limit(doc.text, location);
    if (is_blank(doc.text)) {
      report(Diagnostic::Severity::kNote, Diagnostic::Effect::kSkipped, location, "empty text; skipped");
      continue;
    }
    record.erase(text_it);
    doc.id = input.id + "#" + std::to_string(line_number);
    if (auto it = record.find("id"); it != record.end()) {
      if (std::string id = json_id(*it); !id.empty()) {
        doc.id = id;
      } else {
        report(Diagnostic::Severity::kWarning, Diagnostic::Effect::kNone, location,
               "field \"id\" is not a non-empty string or integer; using " + doc.id);
      }
      record.erase(it);
    }
    if (std::string problem = id_problem(doc.id); !problem.empty()) {
      report(Diagnostic::Severity::kError, Diagnostic::Effect::kFailed, location, problem);
      continue;
    }
    if (auto it = record.find("title"); it != record.end()) {
      if (it->is_string()) {
        doc.title = it->get<std::string>();
      } else {
        report(Diagnostic::Severity::kWarning, Diagnostic::Effect::kNone, location,
               "field \"title\": expected a string; ignored");
      }
      record.erase(it);
    }
    std::vector<std::string> problems;
    normalize_metadata(record, problems);
    for (const std::string& p : problems) {
      report(Diagnostic::Severity::kWarning, Diagnostic::Effect::kNone, location, p);
    }
    doc.metadata = std::move(record);
    doc.source = location;
    sink(std::move(doc));
  }
  if (in.bad()) {
    report(Diagnostic::Severity::kError, Diagnostic::Effect::kFailed, file,
           "read error after line " + std::to_string(line_number));
  }
}

}  // namespace policy
