#include "searcher/reports/report_writer.h"

#include <system_error>

#include "core/errors.h"

#include "searcher/reports/formats.h"
#include "searcher/reports/report_text.h"

namespace policy {
namespace fs = std::filesystem;
namespace {

struct Format {
  const char* name;
  std::unique_ptr<ReportWriter> (*make)(const fs::path& out_dir);
};

// In the order report_formats() gives and report_writer.h documents.
constexpr Format kFormats[] = {
    {"csv", make_csv_report},   {"jsonl", make_jsonl_report}, {"md", make_markdown_report},
    {"html", make_html_report}, {"trec", make_trec_report},   {"kwic", make_kwic_report},
};

}  // namespace

const std::vector<std::string>& report_formats() {
  static const std::vector<std::string> formats = [] {
    std::vector<std::string> names;
    for (const Format& format : kFormats) names.push_back(format.name);
    return names;
  }();
  return formats;
}

std::unique_ptr<ReportWriter> make_report_writer(const std::string& format, const fs::path& out_dir) {
  const Format* found = nullptr;
  for (const Format& known : kFormats) {
    if (format == known.name) found = &known;
  }
  if (!found) {
    throw RequestError("unknown report format '" + format + "' (known: " + join(report_formats(), ", ") + ")");
  }
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec || !fs::is_directory(out_dir)) {
    throw FileError("cannot create output directory " + out_dir.string() + ": " +
                    (ec ? ec.message() : "not a directory"));
  }
  return found->make(out_dir);
}

}  // namespace policy
