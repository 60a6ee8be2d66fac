// kwic: kwic.csv, the concordance lines of every query (query_id, doc_id,
// page, year, organisations, left, match, right), with run.json.
#include <string>

#include "searcher/reports/formats.h"
#include "searcher/reports/report_file.h"
#include "searcher/reports/report_text.h"
#include "searcher/reports/report_values.h"

namespace policy {
namespace fs = std::filesystem;
namespace {

class KwicWriter : public OneFileReport {
 public:
  explicit KwicWriter(const fs::path& out_dir)
      : OneFileReport(out_dir, "kwic.csv",
                      {"query_id", "doc_id", "page", "year", "organisations", "left", "match", "right"}) {}

  // Failed queries have no lines.
  void add(const BatchResult& r) override {
    if (!r.error.empty()) return;
    for (const KwicLine& line : r.kwic) {
      write_csv_row(file().out(), {r.query.id, line.doc_id, page_text(line.page), line.year,
                                   join(line.organisations, "; "), line.left, line.match, line.right});
    }
    file().check();
  }
};

}  // namespace

std::unique_ptr<ReportWriter> make_kwic_report(const fs::path& out_dir) {
  return std::make_unique<KwicWriter>(out_dir);
}

}  // namespace policy
