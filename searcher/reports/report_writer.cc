#include "searcher/reports/report_writer.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <system_error>

#include <nlohmann/json.hpp>

#include "core/csv.h"
#include "core/utf8.h"

#include "searcher/result_rendering.h"

namespace policy {
namespace fs = std::filesystem;
namespace {

// Values shown per field in the readable reports; the CSV and JSONL carry all.
constexpr std::size_t kTopValues = 10;
// A trend chart fills the years between the first and the last with zeros
// unless that would mean more points than this (a stray year 1066 in the
// metadata): then only the counted years are drawn.
constexpr long kMaxFilledYears = 400;
// Per-point number labels on the trend chart up to this many points; beyond,
// only the highest point is labelled (every point keeps a <title>).
constexpr std::size_t kMaxLabelledPoints = 30;
// Characters of a bar label before it is cut with "…" (full text in <title>).
constexpr std::size_t kMaxBarLabelChars = 28;

const char* const kCrlf = "\r\n";

std::string errno_text() { return std::strerror(errno); }

// A file of the report, opened (truncated) at construction so that an
// unwritable file fails when the writer is made, not after a long run.
class OutputFile {
 public:
  explicit OutputFile(fs::path path, bool read_back = false) : path_(std::move(path)) {
    auto mode = std::ios::out | std::ios::trunc | std::ios::binary;
    if (read_back) mode |= std::ios::in;
    stream_.open(path_, mode);
    if (!stream_) throw std::runtime_error("cannot write " + path_.string() + ": " + errno_text());
  }

  std::fstream& out() { return stream_; }
  const fs::path& path() const { return path_; }

  // Throws when an earlier write failed (disk full, I/O error).
  void check() {
    if (!stream_) throw std::runtime_error("cannot write " + path_.string() + ": write failed");
  }

  void close() {
    stream_.flush();
    check();
    stream_.close();
    if (stream_.fail()) throw std::runtime_error("cannot write " + path_.string() + ": close failed");
  }

 private:
  fs::path path_;
  std::fstream stream_;
};

// A spool for the per-query sections of md and html while the summary table
// above them is still growing: kept in the output directory (it grows with
// the report, so it belongs on the same disk), appended at finish, removed.
class SpoolFile {
 public:
  explicit SpoolFile(fs::path path) : file_(std::move(path), /*read_back=*/true) {}
  ~SpoolFile() {
    std::error_code ignored;
    fs::remove(file_.path(), ignored);
  }
  std::fstream& out() { return file_.out(); }
  void check() { file_.check(); }

  // Copies everything written so far to `target`.
  void append_to(std::ostream& target) {
    file_.out().flush();
    file_.check();
    file_.out().seekg(0);
    if (file_.out().peek() != std::char_traits<char>::eof()) target << file_.out().rdbuf();
    if (!file_.out()) throw std::runtime_error("cannot read back " + file_.path().string());
  }

 private:
  OutputFile file_;
};

// Fixed-point with `decimals` digits, whatever the C locale (a decimal comma
// would break CSV and SVG).
std::string format_number(double value, int decimals) {
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, decimals);
  return ec == std::errc() ? std::string(buffer, end) : "0";
}

// One decimal for SVG coordinates: small files.
std::string coord(double value) { return format_number(value, 1); }

std::string join(const std::vector<std::string>& parts, const std::string& separator);

// What the Markdown and HTML reports show about the run, in order.
std::vector<std::pair<std::string, std::string>> run_facts(const RunInfo& run) {
  return {{"Index", run.index.path},
          {"Documents in index", std::to_string(run.index.documents)},
          {"Index build id", run.index.build_id},
          {"Indexed at", run.index.indexed_at},
          {"Analyzer", run.index.analyzer},
          {"Schema", run.index.schema},
          {"Schema fingerprint", run.schema_fingerprint},
          {"ICU", run.index.icu},
          {"Counted fields", join(run.counted_fields, ", ")},
          {"Program version", run.program_version},
          {"Queries file", run.queries_file},
          {"Started at", run.started_at}};
}

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += separator;
    out += parts[i];
  }
  return out;
}

// The first `max_chars` code points of UTF-8 `text`, with "…" when cut.
std::string truncate_utf8(const std::string& text, std::size_t max_chars) {
  const std::string_view kept = first_code_points(text, max_chars);
  return kept.size() == text.size() ? text : std::string(kept) + "…";
}

std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return text;
}

// Display values of a field of a hit: the extracted fields first, else the
// metadata (a number, a string or a list of strings).
std::vector<std::string> hit_values(const SearchHit& hit, const std::string& name) {
  std::vector<std::string> values;
  const auto collect = [&values](const nlohmann::json& v) {
    if (v.is_string()) values.push_back(v.get<std::string>());
    if (v.is_number_integer()) values.push_back(std::to_string(v.get<long long>()));
  };
  if (hit.fields.is_object()) {
    if (auto it = hit.fields.find(name); it != hit.fields.end() && it->is_array()) {
      for (const auto& v : *it) collect(v);
    }
  }
  if (values.empty() && hit.metadata.is_object()) {
    if (auto it = hit.metadata.find(name); it != hit.metadata.end()) {
      if (it->is_array()) {
        for (const auto& v : *it) collect(v);
      } else {
        collect(*it);
      }
    }
  }
  return values;
}

std::string hit_year(const SearchHit& hit) {
  std::vector<std::string> years = hit_values(hit, "year");
  return years.empty() ? "" : years.front();
}

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

const FieldCounts* find_counts(const BatchResult& result, const std::string& field) {
  for (const FieldCounts& f : result.counts) {
    if (f.field == field) return &f;
  }
  return nullptr;
}

// The values with most documents first (then occurrences, then value: the
// order batch.h promises, re-established here so a writer never depends on it).
std::vector<const ValueCount*> top_values(const FieldCounts& counts, std::size_t limit) {
  std::vector<const ValueCount*> values;
  for (const ValueCount& v : counts.values) values.push_back(&v);
  std::stable_sort(values.begin(), values.end(), [](const ValueCount* a, const ValueCount* b) {
    if (a->documents != b->documents) return a->documents > b->documents;
    if (a->occurrences != b->occurrences) return a->occurrences > b->occurrences;
    return a->value < b->value;
  });
  if (values.size() > limit) values.resize(limit);
  return values;
}

std::optional<long> parse_year(const std::string& text) {
  long year = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, year);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return year;
}

struct YearCount {
  long year = 0;
  const ValueCount* counted = nullptr;  // null: a year filled in with zero
};

// The year values in ascending order, gaps filled with zeros (see
// kMaxFilledYears). Values that are not a year number are left out.
std::vector<YearCount> year_series(const FieldCounts& counts) {
  std::map<long, const ValueCount*> by_year;
  for (const ValueCount& v : counts.values) {
    std::optional<long> year = parse_year(v.value);
    if (!year) year = parse_year(v.key);
    if (year) by_year.try_emplace(*year, &v);
  }
  std::vector<YearCount> series;
  if (by_year.empty()) return series;
  const long first = by_year.begin()->first;
  const long last = by_year.rbegin()->first;
  // Unsigned: no overflow whatever numbers the metadata holds.
  const unsigned long span = static_cast<unsigned long>(last) - static_cast<unsigned long>(first);
  if (span < static_cast<unsigned long>(kMaxFilledYears)) {
    for (unsigned long i = 0; i <= span; ++i) {
      const long y = first + static_cast<long>(i);
      auto it = by_year.find(y);
      series.push_back(YearCount{y, it == by_year.end() ? nullptr : it->second});
    }
  } else {
    for (const auto& [year, v] : by_year) series.push_back(YearCount{year, v});
  }
  return series;
}

nlohmann::json run_to_json(const RunInfo& run, const RunSummary* summary) {
  nlohmann::json j = {
      {"program_version", run.program_version},
      {"started_at", run.started_at},
      {"queries_file", run.queries_file},
      {"index",
       {{"path", run.index.path},
        {"documents", run.index.documents},
        {"build_id", run.index.build_id},
        {"analyzer", run.index.analyzer},
        {"schema", run.index.schema},
        {"schema_fingerprint", run.schema_fingerprint},
        {"icu", run.index.icu},
        {"indexed_at", run.index.indexed_at}}},
      {"counted_fields", run.counted_fields},
  };
  j["summary"] =
      summary ? nlohmann::json{{"queries", summary->queries}, {"failed", summary->failed}} : nlohmann::json(nullptr);
  return j;
}

// run.json: what the run was made from, for the formats whose files have no
// room for it (csv, jsonl, trec, kwic). Written at begin (summary null, so
// an interrupted run still says what it ran on) and again at finish; every
// writer writes the same bytes. Written to a temporary name and renamed.
void write_run_json(const fs::path& out_dir, const RunInfo& run, const RunSummary* summary) {
  const fs::path path = out_dir / "run.json";
  const fs::path temporary = out_dir / ".run.json.tmp";
  {
    OutputFile file(temporary);
    file.out() << run_to_json(run, summary).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    file.close();
  }
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) throw std::runtime_error("cannot write " + path.string() + ": " + ec.message());
}

void write_csv_row(std::ostream& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out << ',';
    out << csv_field(fields[i]);
  }
  out << kCrlf;
}

// ---------------------------------------------------------------- csv

class CsvWriter : public ReportWriter {
 public:
  explicit CsvWriter(const fs::path& out_dir)
      : out_dir_(out_dir),
        summary_(out_dir / "summary.csv"),
        counts_(out_dir / "counts.csv"),
        top_(out_dir / "top.csv") {}

  void begin(const RunInfo& run) override {
    run_ = run;
    write_csv_row(summary_.out(), {"query_id", "query", "filters", "error", "documents", "occurrences"});
    write_csv_row(counts_.out(), {"query_id", "facet", "value", "key", "documents", "occurrences"});
    write_csv_row(top_.out(), {"query_id", "rank", "doc_id", "title", "score", "year", "snippet"});
    write_run_json(out_dir_, run_, nullptr);
  }

  void add(const BatchResult& r) override {
    const std::string& id = r.query.id;
    const bool failed = !r.error.empty();
    write_csv_row(summary_.out(),
                  {id, r.query.query, join(r.query.filters, " "), r.error, failed ? "0" : std::to_string(r.documents),
                   failed ? "0" : std::to_string(r.occurrences)});
    if (!failed) {
      for (const FieldCounts& f : r.counts) {
        for (const ValueCount& v : f.values) {
          write_csv_row(counts_.out(),
                        {id, f.field, v.value, v.key, std::to_string(v.documents), std::to_string(v.occurrences)});
        }
      }
      for (const SearchHit& hit : r.top) {
        write_csv_row(top_.out(), {id, std::to_string(hit.rank), hit.id, hit.title, format_number(hit.score, 4),
                                   hit_year(hit), plain_snippets(hit)});
      }
    }
    summary_.check();
    counts_.check();
    top_.check();
  }

  void finish(const RunSummary& summary) override {
    summary_.close();
    counts_.close();
    top_.close();
    write_run_json(out_dir_, run_, &summary);
  }

 private:
  fs::path out_dir_;
  RunInfo run_;
  OutputFile summary_;
  OutputFile counts_;
  OutputFile top_;
};

// ---------------------------------------------------------------- jsonl

// The filters as the --json "filters" object: name as typed -> values. The
// names are not resolved to fields here (aliases stay as typed); the exact
// strings are in "query_filters".
nlohmann::json filters_object(const std::vector<std::string>& filters) {
  nlohmann::json object = nlohmann::json::object();
  for (const std::string& filter : filters) {
    const std::size_t colon = filter.find(':');
    const std::string name = colon == std::string::npos ? "" : filter.substr(0, colon);
    const std::string value = colon == std::string::npos ? filter : filter.substr(colon + 1);
    object[name].push_back(value);
  }
  return object;
}

class JsonlWriter : public ReportWriter {
 public:
  explicit JsonlWriter(const fs::path& out_dir) : out_dir_(out_dir), file_(out_dir / "results.jsonl") {}

  void begin(const RunInfo& run) override {
    run_ = run;
    write_run_json(out_dir_, run_, nullptr);
  }

  // A line holds what policy-search --json prints for the query (rendered by
  // the same results_to_json; facets hold every counted value) plus id,
  // error, occurrences and counts.
  void add(const BatchResult& r) override {
    SearchResults results;
    results.query = r.query.query;
    results.total = r.error.empty() ? r.documents : 0;
    results.total_exact = true;
    results.limit = r.top.size();
    if (r.error.empty()) results.hits = r.top;
    nlohmann::json counts = nlohmann::json::object();
    for (const FieldCounts& f : r.counts) {
      FacetResult facet;
      facet.field = f.field;
      nlohmann::json values = nlohmann::json::array();
      for (const ValueCount& v : f.values) {
        facet.values.push_back(FacetValue{v.value, v.key, v.documents});
        values.push_back(
            {{"value", v.value}, {"key", v.key}, {"documents", v.documents}, {"occurrences", v.occurrences}});
      }
      if (f.field == "year") {
        for (const YearCount& y : year_series(f)) {
          if (y.counted) facet.histogram.push_back(FacetValue{y.counted->value, y.counted->key, y.counted->documents});
        }
      }
      results.facets.push_back(std::move(facet));
      counts[f.field] = std::move(values);
    }
    // elapsed_ms stays 0: the output must not depend on timing or jobs.
    nlohmann::json line = results_to_json(results, run_.index);
    line["filters"] = filters_object(r.query.filters);
    line["query_filters"] = r.query.filters;
    line["id"] = r.query.id;
    line["error"] = r.error;
    line["occurrences"] = r.error.empty() ? r.occurrences : 0;
    line["counts"] = std::move(counts);
    file_.out() << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    file_.check();
  }

  void finish(const RunSummary& summary) override {
    file_.close();
    write_run_json(out_dir_, run_, &summary);
  }

 private:
  fs::path out_dir_;
  RunInfo run_;
  OutputFile file_;
};

// ---------------------------------------------------------------- md

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

std::string md_highlighted(const Snippet& snippet) {
  std::string out;
  std::size_t at = 0;
  for (const Highlight& h : snippet.highlights) {
    if (h.begin < at || h.end > snippet.text.size() || h.begin >= h.end) continue;
    out += md_escape(snippet.text.substr(at, h.begin - at));
    out += "**" + md_escape(snippet.text.substr(h.begin, h.end - h.begin)) + "**";
    at = h.end;
  }
  return out + md_escape(snippet.text.substr(at));
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
    out << "| Query | Text | Filters | Documents | Occurrences | Error |\n";
    out << "|---|---|---|--:|--:|---|\n";
    file_.check();
  }

  void add(const BatchResult& r) override {
    const bool failed = !r.error.empty();
    file_.out() << "| " << md_escape(r.query.id) << " | " << md_escape(r.query.query) << " | "
                << md_escape(join(r.query.filters, " ")) << " | " << (failed ? 0 : r.documents) << " | "
                << (failed ? 0 : r.occurrences) << " | " << md_escape(r.error) << " |\n";
    file_.check();

    std::ostream& out = sections_.out();
    out << "### " << md_query_heading(r.query) << "\n\n";
    if (!r.query.filters.empty()) out << "Filters: " << md_escape(join(r.query.filters, " ")) << "\n\n";
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
          out << (i ? "   >\n" : "") << "   > " << md_highlighted(hit.snippets[i]) << "\n";
        }
        out << "\n";
      }
    }
    sections_.check();
  }

  void finish(const RunSummary& summary) override {
    std::ostream& out = file_.out();
    out << "\n" << summary.queries << " queries, " << summary.failed << " failed.\n\n## Queries\n\n";
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

// ---------------------------------------------------------------- html

std::string html_highlighted(const Snippet& snippet) {
  std::string out;
  std::size_t at = 0;
  for (const Highlight& h : snippet.highlights) {
    if (h.begin < at || h.end > snippet.text.size() || h.begin >= h.end) continue;
    out += html_escape(snippet.text.substr(at, h.begin - at));
    out += "<mark>" + html_escape(snippet.text.substr(h.begin, h.end - h.begin)) + "</mark>";
    at = h.end;
  }
  return out + html_escape(snippet.text.substr(at));
}

// 1, 2 or 5 times a power of ten: at most about `ticks` steps up to `max`.
std::uint64_t nice_step(std::uint64_t max, int ticks) {
  if (max <= static_cast<std::uint64_t>(ticks)) return 1;
  const double raw = static_cast<double>(max) / ticks;
  double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * magnitude >= raw) return static_cast<std::uint64_t>(m * magnitude);
  }
  return static_cast<std::uint64_t>(10 * magnitude);
}

std::string data_attributes(const std::string& query_id, const std::string& facet, const std::string& value,
                            const std::string& key, std::uint64_t documents, std::uint64_t occurrences) {
  return " data-query=\"" + html_escape(query_id) + "\" data-facet=\"" + html_escape(facet) + "\" data-value=\"" +
         html_escape(value) + "\" data-key=\"" + html_escape(key) + "\" data-documents=\"" + std::to_string(documents) +
         "\" data-occurrences=\"" + std::to_string(occurrences) + "\"";
}

std::string plural(std::uint64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// Line chart of matching documents per year: one <circle class="point"> per
// year from the first to the last (zeros filled in), with the numbers.
std::string trend_chart(const std::string& query_id, const FieldCounts& years) {
  const std::vector<YearCount> series = year_series(years);
  if (series.empty()) return "<p class=\"empty\">No dated documents.</p>\n";
  const double width = 560, height = 240;
  const double left = 56, right = 20, top = 24, bottom = 48;
  const double plot_w = width - left - right, plot_h = height - top - bottom;
  std::uint64_t max_docs = 0;
  for (const YearCount& y : series) max_docs = std::max(max_docs, y.counted ? y.counted->documents : 0);
  const std::uint64_t step = nice_step(std::max<std::uint64_t>(max_docs, 1), 4);
  const std::uint64_t y_max = std::max<std::uint64_t>((max_docs + step - 1) / step * step, step);
  const std::size_t n = series.size();
  const double pad = 16;
  const auto x_of = [&](std::size_t i) {
    return n == 1 ? left + plot_w / 2 : left + pad + (plot_w - 2 * pad) * static_cast<double>(i) / (n - 1);
  };
  const auto y_of = [&](std::uint64_t v) { return top + plot_h - plot_h * static_cast<double>(v) / y_max; };

  std::string svg = "<svg class=\"chart trend\" width=\"" + coord(width) + "\" height=\"" + coord(height) +
                    "\" viewBox=\"0 0 " + coord(width) + " " + coord(height) +
                    "\" role=\"img\" aria-label=\"Matching documents per year\">\n";
  // Grid and y axis.
  for (std::uint64_t v = 0; v <= y_max; v += step) {
    const std::string y = coord(y_of(v));
    svg += "<line class=\"grid\" x1=\"" + coord(left) + "\" y1=\"" + y + "\" x2=\"" + coord(width - right) +
           "\" y2=\"" + y + "\"/><text class=\"tick\" x=\"" + coord(left - 6) + "\" y=\"" + y +
           "\" text-anchor=\"end\" dominant-baseline=\"middle\">" + std::to_string(v) + "</text>\n";
  }
  svg += "<line class=\"axis\" x1=\"" + coord(left) + "\" y1=\"" + coord(top + plot_h) + "\" x2=\"" +
         coord(width - right) + "\" y2=\"" + coord(top + plot_h) + "\"/>\n";
  svg += "<text class=\"axis-title\" transform=\"translate(14 " + coord(top + plot_h / 2) +
         ") rotate(-90)\" text-anchor=\"middle\">documents</text>\n";
  svg += "<text class=\"axis-title\" x=\"" + coord(left + plot_w / 2) + "\" y=\"" + coord(height - 6) +
         "\" text-anchor=\"middle\">year</text>\n";
  // Year labels: all when they fit, else every k-th and the last.
  const std::size_t every = std::max<std::size_t>(1, (n + 11) / 12);
  for (std::size_t i = 0; i < n; ++i) {
    // The last year too, unless it would crowd the label before it.
    if (i % every != 0 && !(i + 1 == n && i % every > every / 2)) continue;
    svg += "<text class=\"tick\" x=\"" + coord(x_of(i)) + "\" y=\"" + coord(top + plot_h + 18) +
           "\" text-anchor=\"middle\">" + std::to_string(series[i].year) + "</text>\n";
  }
  // The line, then the points on top of it.
  svg += "<polyline class=\"line\" points=\"";
  for (std::size_t i = 0; i < n; ++i) {
    svg += (i ? " " : "") + coord(x_of(i)) + "," + coord(y_of(series[i].counted ? series[i].counted->documents : 0));
  }
  svg += "\"/>\n";
  for (std::size_t i = 0; i < n; ++i) {
    const YearCount& y = series[i];
    const std::uint64_t docs = y.counted ? y.counted->documents : 0;
    const std::uint64_t occ = y.counted ? y.counted->occurrences : 0;
    const std::string value = y.counted ? y.counted->value : std::to_string(y.year);
    const std::string key = y.counted ? y.counted->key : std::to_string(y.year);
    svg += "<circle class=\"point\"" + data_attributes(query_id, years.field, value, key, docs, occ) + " cx=\"" +
           coord(x_of(i)) + "\" cy=\"" + coord(y_of(docs)) + "\" r=\"4\"><title>" + std::to_string(y.year) + ": " +
           plural(docs, "document", "documents") + ", " + plural(occ, "occurrence", "occurrences") +
           "</title></circle>\n";
    if (n <= kMaxLabelledPoints || docs == max_docs) {
      svg += "<text class=\"num\" x=\"" + coord(x_of(i)) + "\" y=\"" + coord(y_of(docs) - 9) +
             "\" text-anchor=\"middle\">" + std::to_string(docs) + "</text>\n";
    }
  }
  return svg + "</svg>\n";
}

// Horizontal bars of the top values of a field by documents.
std::string bar_chart(const std::string& query_id, const FieldCounts& counts, const std::string& colour_class) {
  if (counts.values.empty()) return "<p class=\"empty\">No values.</p>\n";
  const std::vector<const ValueCount*> values = top_values(counts, kTopValues);
  const double width = 540, label_w = 200, number_w = 48, row_h = 24, bar_h = 16, top = 6, bottom = 30;
  const double bar_x = label_w + 8, bar_max = width - bar_x - number_w;
  const double height = top + row_h * values.size() + bottom;
  const std::uint64_t max_docs = std::max<std::uint64_t>(values.front()->documents, 1);
  std::string svg = "<svg class=\"chart bars " + colour_class + "\" width=\"" + coord(width) + "\" height=\"" +
                    coord(height) + "\" viewBox=\"0 0 " + coord(width) + " " + coord(height) +
                    "\" role=\"img\" aria-label=\"Matching documents per " + html_escape(counts.field) + "\">\n";
  for (std::size_t i = 0; i < values.size(); ++i) {
    const ValueCount& v = *values[i];
    const double y = top + row_h * i;
    const double w = v.documents ? std::max(1.0, bar_max * static_cast<double>(v.documents) / max_docs) : 0;
    svg += "<text class=\"label\" x=\"" + coord(label_w) + "\" y=\"" + coord(y + row_h / 2) +
           "\" text-anchor=\"end\" dominant-baseline=\"middle\"><title>" + html_escape(v.value) + "</title>" +
           html_escape(truncate_utf8(one_line(v.value), kMaxBarLabelChars)) + "</text>\n";
    svg += "<rect class=\"bar\"" + data_attributes(query_id, counts.field, v.value, v.key, v.documents, v.occurrences) +
           " x=\"" + coord(bar_x) + "\" y=\"" + coord(y + (row_h - bar_h) / 2) + "\" width=\"" + coord(w) +
           "\" height=\"" + coord(bar_h) + "\"><title>" + html_escape(v.value) + ": " +
           plural(v.documents, "document", "documents") + ", " + plural(v.occurrences, "occurrence", "occurrences") +
           "</title></rect>\n";
    svg += "<text class=\"num\" x=\"" + coord(bar_x + w + 6) + "\" y=\"" + coord(y + row_h / 2) +
           "\" dominant-baseline=\"middle\">" + std::to_string(v.documents) + "</text>\n";
  }
  const double axis_y = top + row_h * values.size();
  svg += "<line class=\"axis\" x1=\"" + coord(bar_x) + "\" y1=\"" + coord(top) + "\" x2=\"" + coord(bar_x) +
         "\" y2=\"" + coord(axis_y) + "\"/>\n";
  svg += "<text class=\"axis-title\" x=\"" + coord(bar_x) + "\" y=\"" + coord(axis_y + 20) +
         "\">matching documents (longest bar: " + std::to_string(max_docs) + ")</text>\n";
  svg += "</svg>\n";
  if (counts.values.size() > values.size()) {
    svg +=
        "<p class=\"more\">" + std::to_string(counts.values.size() - values.size()) + " more values not shown.</p>\n";
  }
  return svg;
}

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
        << "<th>Filters</th><th class=\"n\">Documents</th><th class=\"n\">Occurrences</th><th>Error</th></tr>"
        << "</thead>\n<tbody>\n";
    file_.check();
  }

  void add(const BatchResult& r) override {
    const bool failed = !r.error.empty();
    const std::string anchor = "q" + std::to_string(r.query.index);
    file_.out() << "<tr" << (failed ? " class=\"failed\"" : "") << "><td><a href=\"#" << anchor << "\">"
                << html_escape(r.query.id) << "</a></td><td>" << html_escape(r.query.query) << "</td><td>"
                << html_escape(join(r.query.filters, " ")) << "</td><td class=\"n\">" << (failed ? 0 : r.documents)
                << "</td><td class=\"n\">" << (failed ? 0 : r.occurrences) << "</td><td class=\"error\">"
                << html_escape(truncate_utf8(one_line(r.error), 120)) << "</td></tr>\n";
    file_.check();

    std::ostream& out = sections_.out();
    out << "<section class=\"query\" id=\"" << anchor << "\" data-query=\"" << html_escape(r.query.id) << "\">\n"
        << "<h2><span class=\"qid\">" << html_escape(r.query.id) << "</span>" << html_escape(r.query.query)
        << "</h2>\n";
    if (!r.query.filters.empty()) {
      out << "<p>Filters: <code>" << html_escape(join(r.query.filters, " ")) << "</code></p>\n";
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
      if (const FieldCounts* years = find_counts(r, "year")) {
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
        for (const Snippet& s : hit.snippets) out << "<p>" << html_highlighted(s) << "</p>";
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
        << summary.failed << " failed.</p>\n";
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

// ---------------------------------------------------------------- trec

// TREC run files split on whitespace, so ids must not contain any: every
// whitespace byte of a query or document id becomes '_' (an empty id "_").
std::string trec_token(const std::string& id) {
  std::string out = id;
  for (char& c : out) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') c = '_';
  }
  return out.empty() ? "_" : out;
}

class TrecWriter : public ReportWriter {
 public:
  explicit TrecWriter(const fs::path& out_dir) : out_dir_(out_dir), file_(out_dir / "run.trec") {}

  void begin(const RunInfo& run) override {
    run_ = run;
    write_run_json(out_dir_, run_, nullptr);
  }

  // Failed queries have no lines: they retrieved nothing.
  void add(const BatchResult& r) override {
    if (!r.error.empty()) return;
    const std::string qid = trec_token(r.query.id);
    for (const SearchHit& hit : r.top) {
      file_.out() << qid << " Q0 " << trec_token(hit.id) << ' ' << hit.rank << ' ' << format_number(hit.score, 6)
                  << " policy-search\n";
    }
    file_.check();
  }

  void finish(const RunSummary& summary) override {
    file_.close();
    write_run_json(out_dir_, run_, &summary);
  }

 private:
  fs::path out_dir_;
  RunInfo run_;
  OutputFile file_;
};

// ---------------------------------------------------------------- kwic

class KwicWriter : public ReportWriter {
 public:
  explicit KwicWriter(const fs::path& out_dir) : out_dir_(out_dir), file_(out_dir / "kwic.csv") {}

  void begin(const RunInfo& run) override {
    run_ = run;
    write_csv_row(file_.out(), {"query_id", "doc_id", "year", "organisations", "left", "match", "right"});
    write_run_json(out_dir_, run_, nullptr);
  }

  void add(const BatchResult& r) override {
    if (!r.error.empty()) return;
    for (const KwicLine& line : r.kwic) {
      write_csv_row(file_.out(), {r.query.id, line.doc_id, line.year, join(line.organisations, "; "), line.left,
                                  line.match, line.right});
    }
    file_.check();
  }

  void finish(const RunSummary& summary) override {
    file_.close();
    write_run_json(out_dir_, run_, &summary);
  }

 private:
  fs::path out_dir_;
  RunInfo run_;
  OutputFile file_;
};

}  // namespace

const std::vector<std::string>& report_formats() {
  static const std::vector<std::string> formats = {"csv", "jsonl", "md", "html", "trec", "kwic"};
  return formats;
}

std::unique_ptr<ReportWriter> make_report_writer(const std::string& format, const fs::path& out_dir) {
  const std::vector<std::string>& known = report_formats();
  if (std::find(known.begin(), known.end(), format) == known.end()) {
    throw std::invalid_argument("unknown report format '" + format + "' (known: " + join(known, ", ") + ")");
  }
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec || !fs::is_directory(out_dir)) {
    throw std::runtime_error("cannot create output directory " + out_dir.string() + ": " +
                             (ec ? ec.message() : "not a directory"));
  }
  if (format == "csv") return std::make_unique<CsvWriter>(out_dir);
  if (format == "jsonl") return std::make_unique<JsonlWriter>(out_dir);
  if (format == "md") return std::make_unique<MarkdownWriter>(out_dir);
  if (format == "html") return std::make_unique<HtmlWriter>(out_dir);
  if (format == "trec") return std::make_unique<TrecWriter>(out_dir);
  return std::make_unique<KwicWriter>(out_dir);
}

std::string html_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        // Control characters other than whitespace are not allowed in HTML.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') {
          out += ' ';
        } else if (c == 0x7F) {
          out += ' ';
        } else {
          out += c;
        }
    }
  }
  return out;
}

}  // namespace policy
