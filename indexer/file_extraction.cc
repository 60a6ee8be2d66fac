#include "indexer/file_extraction.h"

#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <utility>

#include "core/errors.h"

#include "indexer/extraction_sandbox.h"
#include "indexer/html_reader.h"
#include "indexer/office_reader.h"
#include "indexer/pdf_reader.h"

namespace policy {
namespace {

// Sets metadata[key] = value when value says something.
void put(nlohmann::json& metadata, const char* key, const std::string& value) {
  if (!value.empty()) metadata[key] = value;
}

ExtractedFile from_html(std::string_view bytes) {
  HtmlPage page = read_html(bytes);
  ExtractedFile file;
  file.refused = std::move(page.refused);
  file.title = std::move(page.title);
  put(file.metadata, "language", page.language);
  put(file.metadata, "date", page.date);
  if (page.year != 0) file.metadata["year"] = page.year;
  const std::string stopped =
      page.stopped.empty() ? "" : "the HTML parser stopped (" + page.stopped + "); the rest of the page is not read";
  if (page.text.find_first_not_of(" \t\n\r\f\v") == std::string::npos) {
    file.no_text = stopped.empty() ? "page holds no text outside scripts, navigation and other boilerplate"
                                   : stopped + "; no text before that";
  } else if (!stopped.empty()) {
    file.warnings.push_back(stopped);
  }
  file.pages.push_back(std::move(page.text));
  return file;
}

ExtractedFile from_pdf(std::string_view bytes) {
  PdfDocument pdf = read_pdf(bytes);
  ExtractedFile file;
  file.refused = std::move(pdf.refused);
  file.title = std::move(pdf.title);
  put(file.metadata, "author", pdf.author);
  put(file.metadata, "subject", pdf.subject);
  put(file.metadata, "keywords", pdf.keywords);
  put(file.metadata, "created", pdf.creation_date);
  put(file.metadata, "modified", pdf.modification_date);
  put(file.metadata, "language", pdf.language);
  if (pdf.no_text_layer) {
    file.no_text =
        (pdf.pages.size() == 1 ? std::string("no text layer on its one page")
                               : "no text layer on any of its " + std::to_string(pdf.pages.size()) + " pages") +
        " (a scan? OCR it first, e.g. with ocrmypdf)";
  } else if (pdf.pages_without_text > 0) {
    // A blank page or two is layout; half the pages without text is a
    // partly scanned document.
    (pdf.pages_without_text * 2 >= pdf.pages.size() ? file.warnings : file.notes)
        .push_back(std::to_string(pdf.pages_without_text) + " of " + std::to_string(pdf.pages.size()) +
                   (pdf.pages_without_text == 1 ? " pages holds" : " pages hold") +
                   " no text (blank or scanned); indexed the others");
  }
  // poppler's own messages ("Invalid Font Weight") are about the file's
  // construction, rarely about its text.
  for (std::string& warning : pdf.warnings) {
    (warning.starts_with("poppler: ") ? file.notes : file.warnings).push_back(std::move(warning));
  }
  file.pages = std::move(pdf.pages);
  file.paged = true;
  return file;
}

ExtractedFile from_office(std::string_view bytes, OfficeFormat format) {
  OfficeDocument office = read_office(bytes, format);
  ExtractedFile file;
  file.refused = std::move(office.refused);
  file.title = std::move(office.title);
  put(file.metadata, "author", office.author);
  put(file.metadata, "subject", office.subject);
  put(file.metadata, "keywords", office.keywords);
  put(file.metadata, "description", office.description);
  put(file.metadata, "created", office.created);
  put(file.metadata, "modified", office.modified);
  put(file.metadata, "language", office.language);
  file.warnings = std::move(office.warnings);
  file.pages.push_back(std::move(office.text));
  return file;
}

// Frames on the helper's socket: a request is the format (1 byte) and the
// file's bytes; a reply is a serialised ExtractedFile. Each is preceded by
// its length, 8 bytes in host order.
bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

bool write_frame(int fd, std::string_view head, std::string_view body) {
  const std::uint64_t size = head.size() + body.size();
  return write_all(fd, reinterpret_cast<const char*>(&size), sizeof size) && write_all(fd, head.data(), head.size()) &&
         write_all(fd, body.data(), body.size());
}

// Reads exactly `size` bytes, waiting at most until `deadline` (none when
// it is max()). False at the end of input, on an error or at the deadline.
bool read_all(int fd, char* data, std::size_t size, std::chrono::steady_clock::time_point deadline) {
  while (size > 0) {
    if (deadline != std::chrono::steady_clock::time_point::max()) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{fd, POLLIN, 0};
      const int ready = ::poll(&p, 1, static_cast<int>(std::min<std::int64_t>(left.count(), 1 << 30)));
      if (ready < 0 && errno == EINTR) continue;
      if (ready <= 0) return false;
    }
    const ssize_t n = ::read(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

bool read_frame(int fd, std::string& out, std::chrono::steady_clock::time_point deadline) {
  std::uint64_t size = 0;
  if (!read_all(fd, reinterpret_cast<char*>(&size), sizeof size, deadline)) return false;
  out.resize(size);
  return read_all(fd, out.data(), out.size(), deadline);
}

// The helper's loop: a request in, extract_isolated(), the reply out, until
// the end of its input. Never returns.
[[noreturn]] void serve_extractions(int fd, const ExtractionLimits& limits) {
  std::string request;
  while (read_frame(fd, request, std::chrono::steady_clock::time_point::max()) && !request.empty()) {
    const auto format = static_cast<ExtractableFormat>(request[0]);
    const std::string reply = extract_isolated(std::string_view(request).substr(1), format, limits).serialise();
    if (!write_frame(fd, "", reply)) break;
    std::string().swap(request);  // a large file's bytes are not kept between files
  }
  ::_exit(0);
}

ExtractedFile failed_extraction(std::string reason) {
  ExtractedFile failed;
  failed.refused = std::move(reason);
  return failed;
}

}  // namespace

FileExtractor::FileExtractor(ExtractionLimits limits) : limits_(limits) {
  if (limits_.isolate) start_helper();
}

FileExtractor::~FileExtractor() { stop_helper(); }

void FileExtractor::start_helper() {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) return;  // extract() falls back
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return;
  }
  if (pid == 0) {
    ::close(fds[0]);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(0);
    // Ctrl-C and kill end the helper, whatever handlers the indexer installed.
    for (int signal : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) std::signal(signal, SIG_DFL);
    serve_extractions(fds[1], limits_);
  }
  ::close(fds[1]);
  socket_ = fds[0];
  helper_pid_ = pid;
}

void FileExtractor::stop_helper() {
  if (socket_ >= 0) ::close(socket_);  // the helper reads the end of its input and exits
  socket_ = -1;
  if (helper_pid_ > 0) {
    int status = 0;
    while (::waitpid(helper_pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  helper_pid_ = -1;
}

ExtractedFile FileExtractor::extract(std::string_view bytes, ExtractableFormat format) {
  if (!limits_.isolate) return extract_file(bytes, format);
  if (helper_pid_ <= 0) start_helper();
  if (helper_pid_ <= 0) return extract_isolated(bytes, format, limits_);
  const char head = static_cast<char>(format);
  std::string reply;
  // The helper enforces the time limit on each child; this deadline only
  // catches a helper that stopped answering.
  const auto deadline = std::chrono::steady_clock::now() + limits_.time + std::chrono::seconds(30);
  if (write_frame(socket_, std::string_view(&head, 1), bytes) && read_frame(socket_, reply, deadline)) {
    try {
      return ExtractedFile::unserialise(reply);
    } catch (const CorruptDataError& e) {
      stop_helper();
      return failed_extraction(std::string("extraction failed: ") + e.what());
    }
  }
  ::kill(helper_pid_, SIGKILL);
  stop_helper();
  // The helper ends by a signal: Ctrl-C reaches the whole process group.
  ExtractedFile failed = failed_extraction("extraction interrupted: the extraction process ended before it answered");
  failed.interrupted = true;
  return failed;
}

std::string ExtractedFile::serialise() const {
  const nlohmann::json record = {{"title", title},       {"pages", pages},     {"paged", paged},
                                 {"metadata", metadata}, {"refused", refused}, {"no_text", no_text},
                                 {"warnings", warnings}, {"notes", notes},     {"interrupted", interrupted}};
  const std::vector<std::uint8_t> bytes = nlohmann::json::to_msgpack(record);
  return std::string(bytes.begin(), bytes.end());
}

ExtractedFile ExtractedFile::unserialise(std::string_view bytes) {
  try {
    const nlohmann::json record = nlohmann::json::from_msgpack(bytes);
    ExtractedFile file;
    file.title = record.at("title").get<std::string>();
    file.pages = record.at("pages").get<std::vector<std::string>>();
    file.paged = record.at("paged").get<bool>();
    file.metadata = record.at("metadata");
    file.refused = record.at("refused").get<std::string>();
    file.no_text = record.at("no_text").get<std::string>();
    file.warnings = record.at("warnings").get<std::vector<std::string>>();
    file.notes = record.at("notes").get<std::vector<std::string>>();
    file.interrupted = record.at("interrupted").get<bool>();
    if (!file.metadata.is_object()) throw CorruptDataError("extraction result: metadata is not an object");
    return file;
  } catch (const nlohmann::json::exception& e) {
    throw CorruptDataError(std::string("extraction result: ") + e.what());
  }
}

ExtractedFile extract_file(std::string_view bytes, ExtractableFormat format) {
  switch (format) {
    case ExtractableFormat::kHtml:
      return from_html(bytes);
    case ExtractableFormat::kPdf:
      return from_pdf(bytes);
    case ExtractableFormat::kDocx:
      return from_office(bytes, OfficeFormat::kDocx);
    case ExtractableFormat::kOdt:
      return from_office(bytes, OfficeFormat::kOdt);
  }
  return {};
}

ExtractedFile extract_isolated(std::string_view bytes, ExtractableFormat format, const ExtractionLimits& limits) {
  if (!limits.isolate) return extract_file(bytes, format);
  const SandboxResult result = run_sandboxed([&] { return extract_file(bytes, format).serialise(); },
                                             SandboxLimits{limits.time, limits.memory_bytes});
  if (result.ok()) {
    try {
      return ExtractedFile::unserialise(result.output);
    } catch (const CorruptDataError& e) {
      return failed_extraction(std::string("extraction failed: ") + e.what());
    }
  }
  ExtractedFile failed = failed_extraction("extraction " + result.message);
  failed.interrupted = result.status == SandboxResult::Status::kInterrupted;
  return failed;
}

}  // namespace policy
