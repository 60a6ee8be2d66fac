// html: report.html, one self-contained file (no network, no JavaScript
// needed): the run's facts, a summary table with a row per query, then per
// query trend charts (matching documents per year; with the index's
// baseline, the share of each year's documents that match and the
// occurrences per 10,000 words, trends.h), bar charts of
// organisations and areas (svg_chart.h), tables of the other counted fields
// and the top documents.
#include <string>
#include <vector>

#include "searcher/reports/formats.h"
#include "searcher/reports/html_escape.h"
#include "searcher/reports/report_file.h"
#include "searcher/reports/report_text.h"
#include "searcher/reports/report_values.h"
#include "searcher/reports/svg_chart.h"

namespace policy {
namespace fs = std::filesystem;
namespace {

// The report's style sheet, inline so that the file stands alone; the chart
// classes are those svg_chart.cc writes.
const char* const kHtmlStyle = R"css(
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: #1a202c;
       background: #fff; margin: 0 auto; max-width: 1180px; padding: 16px 24px 48px; }
h1 { font-size: 26px; margin: 8px 0 16px; }
h2 { font-size: 21px; margin: 32px 0 12px; border-bottom: 2px solid #cbd5e0; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 6px; color: #2d3748; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid #cbd5e0; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #edf2f7; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
table.run th { width: 190px; }
table.run td, code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13px; word-break: break-all; }
tr.failed td { background: #fff5f5; }
tr.warned td { background: #fffbeb; }
td.warning { color: #92400e; }
p.warning { background: #fffbeb; border: 1px solid #d97706; color: #78350f; padding: 8px 12px; border-radius: 4px; }
td.error { color: #9b2c2c; }
section.query { border-top: 1px solid #e2e8f0; margin-top: 28px; }
section.query h2 { border: none; }
.qid { font-family: ui-monospace, "DejaVu Sans Mono", monospace; background: #edf2f7; padding: 1px 6px;
       border-radius: 4px; margin-right: 6px; }
.totals { font-size: 16px; }
pre.error { background: #fff5f5; border: 1px solid #c53030; color: #742a2a; padding: 10px 12px; border-radius: 4px;
            white-space: pre-wrap; font-size: 13px; }
.charts { display: flex; flex-wrap: wrap; gap: 8px 32px; }
figure { margin: 0; }
figcaption { font-weight: 600; margin: 12px 0 4px; }
svg.chart { display: block; max-width: 100%; height: auto; }
svg.chart text { font-size: 12px; fill: #1a202c; }
svg.chart text.tick { fill: #4a5568; }
svg.chart text.num { font-weight: 600; }
svg.chart text.axis-title { fill: #4a5568; font-style: italic; }
svg.chart line.grid { stroke: #e2e8f0; }
svg.chart line.axis { stroke: #4a5568; }
svg.trend polyline.line { fill: none; stroke: #2b6cb0; stroke-width: 2; }
svg.trend circle.point { fill: #2b6cb0; stroke: #fff; stroke-width: 1.5; }
svg.trend circle.point[data-documents="0"] { fill: #a0aec0; }
svg.trend polyline.line.raw { stroke: #90cdf4; stroke-width: 1; }
svg.trend circle.rate { fill: #2b6cb0; stroke: #fff; stroke-width: 1; }
svg.trend polyline.smoothed { fill: none; stroke: #c05621; stroke-width: 2.5; }
svg.organisations rect.bar { fill: #2b6cb0; }
svg.areas rect.bar { fill: #2f855a; }
p.empty, p.more { color: #4a5568; font-style: italic; margin: 4px 0; }
table.top { width: 100%; }
table.top td.doc { width: 28%; }
table.top .id { display: block; color: #4a5568; font-size: 12px; }
table.top p { margin: 0 0 6px; }
mark { background: #fde68a; color: inherit; padding: 0 1px; }
footer { margin-top: 40px; color: #4a5568; font-size: 13px; }
)css";

// The counts of `field` in `result`, or null.
const FieldCounts* find_counts(const BatchResult& result, const std::string& field) {
  for (const FieldCounts& f : result.counts) {
    if (f.field == field) return &f;
  }
  return nullptr;
}

// A table of a field's top values, for the counted fields without a chart.
std::string value_table(const FieldCounts& f) {
  if (f.values.empty()) return "<p class=\"empty\">No values.</p>\n";
  std::string html = "<table class=\"counts\"><thead><tr><th>" + html_escape(f.field) +
                     "</th><th class=\"n\">Documents</th><th class=\"n\">Occurrences</th></tr></thead><tbody>\n";
  const std::vector<const ValueCount*> values = top_values(f, kTopValues);
  for (const ValueCount* v : values) {
    html += "<tr><td>" + html_escape(v->value) + "</td><td class=\"n\">" + std::to_string(v->documents) +
            "</td><td class=\"n\">" + std::to_string(v->occurrences) + "</td></tr>\n";
  }
  html += "</tbody></table>\n";
  if (f.values.size() > values.size()) {
    html += "<p class=\"more\">" + std::to_string(f.values.size() - values.size()) + " more values not shown.</p>\n";
  }
  return html;
}

class HtmlWriter : public ReportWriter {
 public:
  explicit HtmlWriter(const fs::path& out_dir)
      : file_(out_dir / "report.html"), sections_(out_dir / ".report.html.sections.tmp") {}

  void begin(const RunInfo& run) override {
    run_ = run;
    std::ostream& out = file_.out();
    out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        << "<title>policy-search batch report: " << html_escape(run.queries_file) << "</title>\n"
        << "<style>" << kHtmlStyle << "</style>\n</head>\n<body>\n"
        << "<h1>policy-search batch report</h1>\n<table class=\"run\">\n";
    for (const auto& [name, value] : run_facts(run)) {
      out << "<tr><th>" << name << "</th><td>" << html_escape(value) << "</td></tr>\n";
    }
    out << "</table>\n<h2>Summary</h2>\n<table class=\"summary\">\n<thead><tr><th>Query</th><th>Text</th>"
        << "<th>Filters</th><th class=\"n\">Documents</th><th "
           "class=\"n\">Occurrences</th><th>Error</th><th>Warnings</th></tr>"
        << "</thead>\n<tbody>\n";
    file_.check();
  }

  void add(const BatchResult& r) override {
    const bool failed = !r.error.empty();
    const std::string anchor = "q" + std::to_string(r.query.index);
    const char* row_class = failed ? " class=\"failed\"" : r.warnings.empty() ? "" : " class=\"warned\"";
    file_.out() << "<tr" << row_class << "><td><a href=\"#" << anchor << "\">" << html_escape(r.query.id)
                << "</a></td><td>" << html_escape(r.query.query) << "</td><td>"
                << html_escape(join(r.query.filters, " ")) << "</td><td class=\"n\">" << (failed ? 0 : r.documents)
                << "</td><td class=\"n\">" << (failed ? 0 : r.occurrences) << "</td><td class=\"error\">"
                << html_escape(truncate_utf8(one_line(r.error), 120)) << "</td><td class=\"warning\">"
                << html_escape(warning_messages(r.warnings)) << "</td></tr>\n";
    file_.check();

    std::ostream& out = sections_.out();
    out << "<section class=\"query\" id=\"" << anchor << "\" data-query=\"" << html_escape(r.query.id) << "\">\n"
        << "<h2><span class=\"qid\">" << html_escape(r.query.id) << "</span>" << html_escape(r.query.query)
        << "</h2>\n";
    if (!r.query.filters.empty()) {
      out << "<p>Filters: <code>" << html_escape(join(r.query.filters, " ")) << "</code></p>\n";
    }
    for (const QueryWarning& w : r.warnings) {
      out << "<p class=\"warning\" role=\"note\"><strong>Warning:</strong> " << html_escape(w.message) << "</p>\n";
    }
    if (failed) {
      out << "<pre class=\"error\" role=\"alert\">Query failed: " << html_escape(r.error) << "</pre>\n</section>\n";
      sections_.check();
      return;
    }
    out << "<p class=\"totals\"><strong>" << plural(r.documents, "document", "documents") << "</strong>, <strong>"
        << plural(r.occurrences, "occurrence", "occurrences") << "</strong></p>\n";
    if (r.documents > 0) {
      out << "<div class=\"charts\">\n";
      const char* per = r.trend.decades.empty() ? "year" : "decade";
      if (!r.trend.empty()) {
        out << "<figure><figcaption>Matching documents per " << per << "</figcaption>\n"
            << trend_chart(r.query.id, r.trend, TrendMetric::kDocuments) << "</figure>\n"
            << "<figure><figcaption>Share of each " << per << "'s documents that match</figcaption>\n"
            << trend_chart(r.query.id, r.trend, TrendMetric::kShare) << "</figure>\n"
            << "<figure><figcaption>Occurrences per 10,000 words</figcaption>\n"
            << trend_chart(r.query.id, r.trend, TrendMetric::kPer10kWords) << "</figure>\n";
      } else if (const FieldCounts* years = find_counts(r, "year")) {
        out << "<figure><figcaption>Matching documents per year</figcaption>\n"
            << trend_chart(r.query.id, *years) << "</figure>\n";
      }
      if (const FieldCounts* orgs = find_counts(r, "organisation")) {
        out << "<figure><figcaption>Top organisations by matching documents</figcaption>\n"
            << bar_chart(r.query.id, *orgs, "organisations") << "</figure>\n";
      }
      if (const FieldCounts* areas = find_counts(r, "area")) {
        out << "<figure><figcaption>Top priority areas by matching documents</figcaption>\n"
            << bar_chart(r.query.id, *areas, "areas") << "</figure>\n";
      }
      for (const FieldCounts& f : r.counts) {
        if (f.field == "year" || f.field == "organisation" || f.field == "area") continue;
        out << "<figure><figcaption>" << html_escape(f.field) << "</figcaption>\n" << value_table(f) << "</figure>\n";
      }
      out << "</div>\n";
    }
    if (!r.top.empty()) {
      out << "<h3>Top documents</h3>\n<table class=\"top\"><thead><tr><th class=\"n\">#</th><th>Document</th>"
          << "<th>Year</th><th>Organisations</th><th class=\"n\">Score</th><th>Snippets</th></tr></thead><tbody>\n";
      for (const SearchHit& hit : r.top) {
        std::vector<std::string> orgs = hit_values(hit, "organisation");
        const std::size_t more = orgs.size() > 3 ? orgs.size() - 3 : 0;
        if (more) orgs.resize(3);
        out << "<tr><td class=\"n\">" << hit.rank << "</td><td class=\"doc\"><strong>"
            << html_escape(hit.title.empty() ? hit.id : hit.title) << "</strong><code class=\"id\">"
            << html_escape(hit.id) << "</code></td><td>" << html_escape(hit_year(hit)) << "</td><td>"
            << html_escape(join(orgs, "; ")) << (more ? " +" + std::to_string(more) : "") << "</td><td class=\"n\">"
            << format_number(hit.score, 3) << "</td><td>";
        for (const Snippet& s : hit.snippets) {
          out << "<p>" << (s.page ? "<span class=\"page\">p. " + std::to_string(s.page) + "</span> " : std::string())
              << highlighted(s, html_escape, "<mark>", "</mark>") << "</p>";
        }
        out << "</td></tr>\n";
      }
      out << "</tbody></table>\n";
    }
    out << "</section>\n";
    sections_.check();
  }

  void finish(const RunSummary& summary) override {
    std::ostream& out = file_.out();
    out << "</tbody>\n</table>\n<p class=\"totals\">" << plural(summary.queries, "query", "queries") << ", "
        << summary.failed << " failed"
        << (summary.warned ? ", " + std::to_string(summary.warned) + " with warnings" : std::string()) << ".</p>\n";
    sections_.append_to(out);
    out << "<footer>Written by policy-search " << html_escape(run_.program_version) << " from "
        << html_escape(run_.queries_file) << ", started " << html_escape(run_.started_at) << ".</footer>\n"
        << "</body>\n</html>\n";
    file_.close();
  }

 private:
  RunInfo run_;
  OutputFile file_;
  SpoolFile sections_;
};

}  // namespace

std::unique_ptr<ReportWriter> make_html_report(const fs::path& out_dir) {
  return std::make_unique<HtmlWriter>(out_dir);
}

}  // namespace policy
