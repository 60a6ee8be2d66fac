#include "searcher/reports/report_text.h"

#include <charconv>
#include <string_view>
#include <system_error>

#include "core/csv.h"
#include "core/utf8.h"

namespace policy {

std::string format_number(double value, int decimals) {
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, decimals);
  return ec == std::errc() ? std::string(buffer, end) : "0";
}

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += separator;
    out += parts[i];
  }
  return out;
}

std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return text;
}

std::string truncate_utf8(const std::string& text, std::size_t max_chars) {
  const std::string_view kept = first_code_points(text, max_chars);
  return kept.size() == text.size() ? text : std::string(kept) + "…";
}

std::string plural(std::uint64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string highlighted(const Snippet& snippet, std::string (*escape)(const std::string&), const std::string& open,
                        const std::string& close) {
  std::string out;
  std::size_t at = 0;
  for (const Highlight& h : snippet.highlights) {
    if (h.begin < at || h.end > snippet.text.size() || h.begin >= h.end) continue;
    out += escape(snippet.text.substr(at, h.begin - at));
    out += open + escape(snippet.text.substr(h.begin, h.end - h.begin)) + close;
    at = h.end;
  }
  return out + escape(snippet.text.substr(at));
}

std::string warning_messages(const std::vector<QueryWarning>& warnings) {
  std::vector<std::string> messages;
  for (const QueryWarning& w : warnings) messages.push_back(w.message);
  return join(messages, " | ");
}

void write_csv_row(std::ostream& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out << ',';
    out << csv_field(fields[i]);
  }
  out << "\r\n";
}

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

}  // namespace policy
