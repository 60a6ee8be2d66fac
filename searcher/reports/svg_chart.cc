#include "searcher/reports/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "searcher/reports/html_escape.h"
#include "searcher/reports/report_text.h"
#include "searcher/reports/report_values.h"

namespace policy {
namespace {

// Per-point number labels on the trend chart up to this many points; beyond,
// only the highest point is labelled (every point keeps a <title>).
constexpr std::size_t kMaxLabelledPoints = 30;
// Characters of a bar label before it is cut with "…" (full text in <title>).
constexpr std::size_t kMaxBarLabelChars = 28;

// One decimal for SVG coordinates: small files.
std::string coord(double value) { return format_number(value, 1); }

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

// The attributes that tie a point or bar to its row of counts.csv.
std::string data_attributes(const std::string& query_id, const std::string& facet, const std::string& value,
                            const std::string& key, std::uint64_t documents, std::uint64_t occurrences) {
  return " data-query=\"" + html_escape(query_id) + "\" data-facet=\"" + html_escape(facet) + "\" data-value=\"" +
         html_escape(value) + "\" data-key=\"" + html_escape(key) + "\" data-documents=\"" + std::to_string(documents) +
         "\" data-occurrences=\"" + std::to_string(occurrences) + "\"";
}

}  // namespace

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

}  // namespace policy
