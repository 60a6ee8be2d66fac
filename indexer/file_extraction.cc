#include "indexer/file_extraction.h"

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
  if (pdf.year != 0) file.metadata["year"] = pdf.year;
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
  if (office.year != 0) file.metadata["year"] = office.year;
  file.warnings = std::move(office.warnings);
  file.pages.push_back(std::move(office.text));
  return file;
}

}  // namespace

std::string ExtractedFile::serialise() const {
  const nlohmann::json record = {{"title", title},       {"pages", pages},     {"paged", paged},
                                 {"metadata", metadata}, {"refused", refused}, {"no_text", no_text},
                                 {"warnings", warnings}, {"notes", notes}};
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
      ExtractedFile failed;
      failed.refused = std::string("extraction failed: ") + e.what();
      return failed;
    }
  }
  ExtractedFile failed;
  failed.refused = "extraction " + result.message;
  failed.interrupted = result.status == SandboxResult::Status::kInterrupted;
  return failed;
}

}  // namespace policy
