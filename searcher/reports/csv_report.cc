// csv: summary.csv (a row per query; "warnings" holds the messages of
// filter values that name nothing), counts.csv (a row per counted value),
// trends.csv (a row per year, and per decade, of the index's year field:
// the query's documents and occurrences against the index's documents and
// words that period, trends.h) and top.csv (a row per top document), with
// run.json. UTF-8, RFC 4180 quoting, CRLF line ends, a header row.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "searcher/reports/formats.h"
#include "searcher/reports/report_file.h"
#include "searcher/reports/report_text.h"
#include "searcher/reports/report_values.h"

namespace policy {
namespace fs = std::filesystem;
namespace {

// Plain snippet text of a hit, passages joined with " … " (or a space when a
// passage already shows its cut).
std::string plain_snippets(const SearchHit& hit) {
  std::string out;
  for (const Snippet& s : hit.snippets) {
    if (!out.empty()) {
      out += (out.ends_with("…") || s.text.starts_with("…")) ? " " : " … ";
    }
    out += s.text;
  }
  return out;
}

// A ratio with enough digits for a share of one document in a million, or
// "" when it has no denominator.
std::string ratio_text(const std::optional<double>& ratio) { return ratio ? format_number(*ratio, 6) : ""; }

class CsvWriter : public ReportWriter {
 public:
  explicit CsvWriter(const fs::path& out_dir)
      : run_json_(out_dir),
        summary_(out_dir / "summary.csv"),
        counts_(out_dir / "counts.csv"),
        trends_(out_dir / "trends.csv"),
        top_(out_dir / "top.csv") {}

  void begin(const RunInfo& run) override {
    write_csv_row(summary_.out(), {"query_id", "query", "filters", "error", "documents", "occurrences", "warnings"});
    write_csv_row(counts_.out(), {"query_id", "facet", "value", "key", "documents", "occurrences"});
    write_csv_row(trends_.out(), {"query_id", "bin", "period", "first_year", "last_year", "index_documents",
                                  "documents", "share", "index_words", "occurrences", "occurrences_per_10k_words"});
    write_csv_row(top_.out(), {"query_id", "rank", "doc_id", "title", "score", "year", "page", "snippet"});
    run_json_.begin(run);
  }

  void add(const BatchResult& r) override {
    const std::string& id = r.query.id;
    const bool failed = !r.error.empty();
    write_csv_row(summary_.out(),
                  {id, r.query.query, join(r.query.filters, " "), r.error, failed ? "0" : std::to_string(r.documents),
                   failed ? "0" : std::to_string(r.occurrences), warning_messages(r.warnings)});
    if (!failed) {
      for (const FieldCounts& f : r.counts) {
        for (const ValueCount& v : f.values) {
          write_csv_row(counts_.out(),
                        {id, f.field, v.value, v.key, std::to_string(v.documents), std::to_string(v.occurrences)});
        }
      }
      for (const auto& [bin, points] : {std::pair{"year", &r.trend.years}, std::pair{"decade", &r.trend.decades}}) {
        for (const TrendPoint& p : *points) {
          write_csv_row(trends_.out(),
                        {id, bin, p.period, std::to_string(p.first_year), std::to_string(p.last_year),
                         std::to_string(p.index_documents), std::to_string(p.documents), ratio_text(p.share()),
                         std::to_string(p.index_words), std::to_string(p.occurrences), ratio_text(p.per_10k_words())});
        }
      }
      for (const SearchHit& hit : r.top) {
        write_csv_row(top_.out(), {id, std::to_string(hit.rank), hit.id, hit.title, format_number(hit.score, 4),
                                   hit_year(hit), page_text(hit.first_page()), plain_snippets(hit)});
      }
    }
    summary_.check();
    counts_.check();
    trends_.check();
    top_.check();
  }

  void finish(const RunSummary& summary) override {
    summary_.close();
    counts_.close();
    trends_.close();
    top_.close();
    run_json_.finish(summary);
  }

 private:
  RunJson run_json_;
  OutputFile summary_;
  OutputFile counts_;
  OutputFile trends_;
  OutputFile top_;
};

}  // namespace

std::unique_ptr<ReportWriter> make_csv_report(const fs::path& out_dir) { return std::make_unique<CsvWriter>(out_dir); }

}  // namespace policy
