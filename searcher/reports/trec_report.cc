// trec: run.trec, a TREC run (qid Q0 docid rank score tag), with run.json.
#include <string>

#include "searcher/reports/formats.h"
#include "searcher/reports/report_file.h"
#include "searcher/reports/report_text.h"

namespace policy {
namespace fs = std::filesystem;
namespace {

// TREC run files split on whitespace, so ids must not contain any: every
// whitespace byte of a query or document id becomes '_' (an empty id "_").
std::string trec_token(const std::string& id) {
  std::string out = id;
  for (char& c : out) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') c = '_';
  }
  return out.empty() ? "_" : out;
}

class TrecWriter : public OneFileReport {
 public:
  explicit TrecWriter(const fs::path& out_dir) : OneFileReport(out_dir, "run.trec") {}

  // Failed queries have no lines: they retrieved nothing.
  void add(const BatchResult& r) override {
    if (!r.error.empty()) return;
    const std::string qid = trec_token(r.query.id);
    for (const SearchHit& hit : r.top) {
      file().out() << qid << " Q0 " << trec_token(hit.id) << ' ' << hit.rank << ' ' << format_number(hit.score, 6)
                   << " policy-search\n";
    }
    file().check();
  }
};

}  // namespace

std::unique_ptr<ReportWriter> make_trec_report(const fs::path& out_dir) {
  return std::make_unique<TrecWriter>(out_dir);
}

}  // namespace policy
