// md: report.md, a readable report: the run's facts, a summary table with a
// row per query, then per query its counts tables and top documents.
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "searcher/reports/formats.h"
#include "searcher/reports/report_file.h"
#include "searcher/reports/report_text.h"
#include "searcher/reports/report_values.h"

namespace policy {
namespace fs = std::filesystem;
namespace {

// Text for Markdown: one line, with the characters that would start
// emphasis, code, links, HTML or a table cell break escaped.
std::string md_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : one_line(text)) {
    if (std::strchr("\\`*_[]<>|~", c) && c != '\0') out += '\\';
    out += c;
  }
  return out;
}

// `text` as a Markdown code span: backslashes are literal there, so the
// text is not escaped; a fence longer than any run of backticks inside.
std::string md_code(const std::string& text) {
  std::size_t run = 0, longest = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(longest + 1, '`');
  const std::string pad = longest ? " " : "";
  return fence + pad + one_line(text) + pad + fence;
}

// "id: query", escaped; the id alone for an empty query.
std::string md_query_heading(const BatchQuery& q) {
  return md_escape(q.id) + (q.query.empty() ? "" : ": " + md_escape(q.query));
}

class MarkdownWriter : public ReportWriter {
 public:
  explicit MarkdownWriter(const fs::path& out_dir)
      : file_(out_dir / "report.md"), sections_(out_dir / ".report.md.sections.tmp") {}

  void begin(const RunInfo& run) override {
    std::ostream& out = file_.out();
    out << "# policy-search batch report\n\n";
    out << "| Run | |\n|---|---|\n";
    for (const auto& [name, value] : run_facts(run)) out << "| " << name << " | " << md_escape(value) << " |\n";
    out << "\n## Summary\n\n";
    out << "| Query | Text | Filters | Documents | Occurrences | Error | Warnings |\n";
    out << "|---|---|---|--:|--:|---|---|\n";
    file_.check();
  }

  void add(const BatchResult& r) override {
    const bool failed = !r.error.empty();
    file_.out() << "| " << md_escape(r.query.id) << " | " << md_escape(r.query.query) << " | "
                << md_escape(join(r.query.filters, " ")) << " | " << (failed ? 0 : r.documents) << " | "
                << (failed ? 0 : r.occurrences) << " | " << md_escape(r.error) << " | "
                << md_escape(warning_messages(r.warnings)) << " |\n";
    file_.check();

    std::ostream& out = sections_.out();
    out << "### " << md_query_heading(r.query) << "\n\n";
    if (!r.query.filters.empty()) out << "Filters: " << md_escape(join(r.query.filters, " ")) << "\n\n";
    for (const QueryWarning& w : r.warnings) out << "> **Warning:** " << md_escape(w.message) << "\n\n";
    if (failed) {
      out << "> **Error:** " << md_escape(r.error) << "\n\n";
      sections_.check();
      return;
    }
    out << "**" << r.documents << "** documents, **" << r.occurrences << "** occurrences.\n\n";
    for (const FieldCounts& f : r.counts) write_counts(out, f);
    if (!r.top.empty()) {
      out << "#### Top documents\n\n";
      for (const SearchHit& hit : r.top) {
        out << hit.rank << ". **" << md_escape(hit.title.empty() ? hit.id : hit.title) << "**  \n   "
            << md_code(hit.id);
        const std::string year = hit_year(hit);
        if (!year.empty()) out << " · " << md_escape(year);
        const std::vector<std::string> orgs = hit_values(hit, "organisation");
        if (!orgs.empty()) out << " · " << md_escape(join(orgs, "; "));
        out << " · score " << format_number(hit.score, 3) << "\n";
        // One quote paragraph per passage (an empty quote line between them).
        for (std::size_t i = 0; i < hit.snippets.size(); ++i) {
          out << (i ? "   >\n" : "") << "   > "
              << (hit.snippets[i].page ? "p. " + std::to_string(hit.snippets[i].page) + ": " : std::string())
              << highlighted(hit.snippets[i], md_escape, "**", "**") << "\n";
        }
        out << "\n";
      }
    }
    sections_.check();
  }

  void finish(const RunSummary& summary) override {
    std::ostream& out = file_.out();
    out << "\n" << plural(summary.queries, "query", "queries") << ", " << summary.failed << " failed";
    if (summary.warned) out << ", " << summary.warned << " with warnings";
    out << ".\n\n## Queries\n\n";
    sections_.append_to(out);
    file_.close();
  }

 private:
  // Years in ascending order, all of them; other fields their top values.
  static void write_counts(std::ostream& out, const FieldCounts& f) {
    out << "#### " << md_escape(f.field) << "\n\n";
    if (f.values.empty()) {
      out << "No values.\n\n";
      return;
    }
    out << "| " << md_escape(f.field) << " | Documents | Occurrences |\n|---|--:|--:|\n";
    std::vector<const ValueCount*> shown;
    if (f.field == "year") {
      for (const YearCount& y : year_series(f)) {
        if (y.counted) shown.push_back(y.counted);
      }
      if (shown.size() != f.values.size()) shown = top_values(f, f.values.size());
    } else {
      shown = top_values(f, kTopValues);
    }
    for (const ValueCount* v : shown) {
      out << "| " << md_escape(v->value) << " | " << v->documents << " | " << v->occurrences << " |\n";
    }
    if (shown.size() < f.values.size()) out << "\n" << f.values.size() - shown.size() << " more values not shown.\n";
    out << "\n";
  }

  OutputFile file_;
  SpoolFile sections_;
};

}  // namespace

std::unique_ptr<ReportWriter> make_markdown_report(const fs::path& out_dir) {
  return std::make_unique<MarkdownWriter>(out_dir);
}

}  // namespace policy
