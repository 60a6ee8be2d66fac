// The report writers, one per format, for make_report_writer
// (report_writer.h), which checks the format and creates `out_dir` first.
// Each opens its files in `out_dir` when made and throws FileError naming
// the one it cannot open.
//
// Not thread-safe: as ReportWriter.
#pragma once

#include <filesystem>
#include <memory>

#include "searcher/reports/report_writer.h"

namespace policy {

std::unique_ptr<ReportWriter> make_csv_report(const std::filesystem::path& out_dir);
std::unique_ptr<ReportWriter> make_jsonl_report(const std::filesystem::path& out_dir);
std::unique_ptr<ReportWriter> make_markdown_report(const std::filesystem::path& out_dir);
std::unique_ptr<ReportWriter> make_html_report(const std::filesystem::path& out_dir);
std::unique_ptr<ReportWriter> make_trec_report(const std::filesystem::path& out_dir);
std::unique_ptr<ReportWriter> make_kwic_report(const std::filesystem::path& out_dir);

}  // namespace policy
