#include "searcher/reports/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "searcher/reports/html_escape.h"
#include "searcher/reports/report_text.h"
#include "searcher/reports/report_values.h"

namespace policy {
namespace {

// Characters of a bar label before it is cut with "…" (full text in <title>).
constexpr std::size_t kMaxBarLabelChars = 28;

// One decimal for SVG coordinates: small files.
std::string coord(double value) { return format_number(value, 1); }

// 1, 2 or 5 times a power of ten: at most about `ticks` steps up to `max`;
// at least 1 for whole numbers.
double nice_step(double max, int ticks, bool whole) {
  if (max <= 0) return 1;
  const double raw = max / ticks;
  if (whole && raw <= 1) return 1;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0}) {
    if (m * magnitude >= raw * (1 - 1e-9)) return m * magnitude;
  }
  return 10 * magnitude;
}

// The digits after the point that a multiple of `step` needs.
int decimals_for(double step) { return step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9)); }

// The attributes that tie a point or bar to its row of counts.csv.
std::string data_attributes(const std::string& query_id, const std::string& facet, const std::string& value,
                            const std::string& key, std::uint64_t documents, std::uint64_t occurrences) {
  return " data-query=\"" + html_escape(query_id) + "\" data-facet=\"" + html_escape(facet) + "\" data-value=\"" +
         html_escape(value) + "\" data-key=\"" + html_escape(key) + "\" data-documents=\"" + std::to_string(documents) +
         "\" data-occurrences=\"" + std::to_string(occurrences) + "\"";
}

bool is_decade(const TrendPoint& p) { return p.last_year != p.first_year; }

// What a filter on the point matches: the year, or the decade's range.
std::string point_key(const TrendPoint& p) {
  return is_decade(p) ? std::to_string(p.first_year) + ".." + std::to_string(p.last_year) : p.period;
}

// The metric of a point, in the chart's unit (percent for a share).
std::optional<double> metric_value(const TrendPoint& p, TrendMetric metric) {
  switch (metric) {
    case TrendMetric::kDocuments:
      return static_cast<double>(p.documents);
    case TrendMetric::kShare:
      if (const std::optional<double> share = p.share()) return 100 * *share;
      return std::nullopt;
    case TrendMetric::kPer10kWords:
      return p.per_10k_words();
  }
  return std::nullopt;
}

std::string metric_title(TrendMetric metric) {
  switch (metric) {
    case TrendMetric::kDocuments:
      return "documents";
    case TrendMetric::kShare:
      return "% of documents";
    case TrendMetric::kPer10kWords:
      return "per 10,000 words";
  }
  return "";
}

std::string point_title(const TrendPoint& p) {
  std::string title = p.period + ": " + plural(p.documents, "document", "documents") + ", " +
                      plural(p.occurrences, "occurrence", "occurrences");
  if (p.index_documents) {
    title += "; the index has " + plural(p.index_documents, "document", "documents") + " and " +
             plural(p.index_words, "word", "words");
    if (const std::optional<double> share = p.share()) title += "; share " + format_number(100 * *share, 1) + "%";
    if (const std::optional<double> rate = p.per_10k_words()) {
      title += "; " + format_number(*rate, 2) + " per 10,000 words";
    }
  }
  return title;
}

// Decades of `years` (ascending years), the empty ones between filled in
// when `fill` is set.
std::vector<TrendPoint> decades_of(const std::vector<TrendPoint>& years, bool fill) {
  std::vector<TrendPoint> decades;
  for (const TrendPoint& y : years) {
    const long decade = (y.first_year >= 0 ? y.first_year : y.first_year - 9) / 10 * 10;
    while (fill && !decades.empty() && decades.back().first_year + 10 < decade) {
      const long next = decades.back().first_year + 10;
      decades.push_back(TrendPoint{std::to_string(next) + "s", next, next + 9});
    }
    if (decades.empty() || decades.back().first_year != decade) {
      decades.push_back(TrendPoint{std::to_string(decade) + "s", decade, decade + 9});
    }
    TrendPoint& d = decades.back();
    d.index_documents += y.index_documents;
    d.index_words += y.index_words;
    d.documents += y.documents;
    d.occurrences += y.occurrences;
  }
  return decades;
}

// Draws the chart: `points` (ascending, years or decades) of `facet`.
std::string line_chart(const std::string& query_id, const std::string& facet, std::span<const TrendPoint> points,
                       TrendMetric metric, std::size_t window) {
  const bool documents_chart = metric == TrendMetric::kDocuments;
  std::vector<const TrendPoint*> drawn;
  std::vector<double> values;
  for (const TrendPoint& p : points) {
    const std::optional<double> v = metric_value(p, metric);
    if (!v) continue;
    drawn.push_back(&p);
    values.push_back(*v);
  }
  if (drawn.empty()) return "<p class=\"empty\">No dated documents.</p>\n";
  const bool decades = is_decade(*drawn.front());
  std::vector<std::optional<double>> smoothed;
  if (!documents_chart && window > 1) {
    smoothed = moving_ratio(points, window, metric == TrendMetric::kPer10kWords);
    if (metric == TrendMetric::kShare) {
      for (std::optional<double>& s : smoothed) {
        if (s) *s *= 100;
      }
    }
  }

  const double width = 560, height = 240;
  const double left = 56, right = 20, top = 24, bottom = 48;
  const double plot_w = width - left - right, plot_h = height - top - bottom;
  double max_value = 0;
  for (double v : values) max_value = std::max(max_value, v);
  for (const std::optional<double>& s : smoothed) max_value = std::max(max_value, s.value_or(0));
  const double step = nice_step(max_value, 4, documents_chart);
  const double y_max = std::max(std::ceil(max_value / step - 1e-9) * step, step);
  const int decimals = decimals_for(step);

  // A year is its whole width on the axis, a decade its ten years.
  const double x_first = static_cast<double>(drawn.front()->first_year) - (decades ? 0 : 0.5);
  const double x_last = static_cast<double>(drawn.back()->last_year) + (decades ? 1 : 0.5);
  const double per_year = plot_w / (x_last - x_first);
  const auto x_of_year = [&](double year) { return left + (year - x_first) * per_year; };
  const auto x_of = [&](const TrendPoint& p) {
    return x_of_year(decades ? p.first_year + 5.0 : static_cast<double>(p.first_year));
  };
  const auto y_of = [&](double v) { return top + plot_h - plot_h * v / y_max; };

  const std::string label =
      documents_chart ? "Matching documents per " + std::string(decades ? "decade" : "year")
      : metric == TrendMetric::kShare
          ? "Share of the documents of each " + std::string(decades ? "decade" : "year") + " that match"
          : "Occurrences per 10,000 words of the index, per " + std::string(decades ? "decade" : "year");
  std::string svg = "<svg class=\"chart trend" + std::string(documents_chart ? "" : " normalised") + "\" width=\"" +
                    coord(width) + "\" height=\"" + coord(height) + "\" viewBox=\"0 0 " + coord(width) + " " +
                    coord(height) + "\" role=\"img\" aria-label=\"" + label + "\">\n";
  // Grid and y axis.
  const int y_steps = static_cast<int>(std::lround(y_max / step));
  for (int i = 0; i <= y_steps; ++i) {
    const double v = step * i;
    const std::string y = coord(y_of(v));
    svg += "<line class=\"grid\" x1=\"" + coord(left) + "\" y1=\"" + y + "\" x2=\"" + coord(width - right) +
           "\" y2=\"" + y + "\"/><text class=\"tick y\" x=\"" + coord(left - 6) + "\" y=\"" + y +
           "\" text-anchor=\"end\" dominant-baseline=\"middle\">" + format_number(v, decimals) +
           (metric == TrendMetric::kShare ? "%" : "") + "</text>\n";
  }
  const double axis_y = top + plot_h;
  svg += "<line class=\"axis\" x1=\"" + coord(left) + "\" y1=\"" + coord(axis_y) + "\" x2=\"" + coord(width - right) +
         "\" y2=\"" + coord(axis_y) + "\"/>\n";
  svg += "<text class=\"axis-title\" transform=\"translate(14 " + coord(top + plot_h / 2) +
         ") rotate(-90)\" text-anchor=\"middle\">" + metric_title(metric) + "</text>\n";
  std::string x_title = decades ? "decade" : "year";
  if (!smoothed.empty()) {
    x_title += "; line: " + std::to_string(window) + "-" + (decades ? "decade" : "year") + " centred moving average";
  }
  svg += "<text class=\"axis-title\" x=\"" + coord(left + plot_w / 2) + "\" y=\"" + coord(height - 6) +
         "\" text-anchor=\"middle\">" + x_title + "</text>\n";
  // Round years along the x axis.
  const long tick_first = static_cast<long>(std::ceil(x_first));
  const long tick_last = static_cast<long>(std::floor(x_last));
  const double tick_span = per_year * static_cast<double>(tick_last - tick_first);
  for (const long year : year_ticks(tick_first, tick_last, tick_span, 4, decades ? 10 : 1)) {
    const std::string x = coord(x_of_year(static_cast<double>(year)));
    svg += "<line class=\"axis\" x1=\"" + x + "\" y1=\"" + coord(axis_y) + "\" x2=\"" + x + "\" y2=\"" +
           coord(axis_y + 5) + "\"/><text class=\"tick x\" x=\"" + x + "\" y=\"" + coord(axis_y + 18) +
           "\" text-anchor=\"middle\">" + std::to_string(year) + "</text>\n";
  }
  // The line (or the smoothed line), then the points on top of it.
  const char* line_class = smoothed.empty() ? "line" : "line raw";
  svg += std::string("<polyline class=\"") + line_class + "\" points=\"";
  for (std::size_t i = 0; i < drawn.size(); ++i) {
    svg += (i ? " " : "") + coord(x_of(*drawn[i])) + "," + coord(y_of(values[i]));
  }
  svg += "\"/>\n";
  if (!smoothed.empty()) {
    svg += "<polyline class=\"smoothed\" data-window=\"" + std::to_string(window) + "\" points=\"";
    bool first = true;
    for (std::size_t i = 0; i < points.size(); ++i) {
      if (!smoothed[i]) continue;
      svg += (first ? "" : " ") + coord(x_of(points[i])) + "," + coord(y_of(*smoothed[i]));
      first = false;
    }
    svg += "\"/>\n";
  }
  // Numbers over the points when each has room for its own.
  std::size_t widest = 1;
  for (double v : values) widest = std::max(widest, format_number(v, documents_chart ? 0 : 1).size());
  double closest = plot_w;
  for (std::size_t i = 1; i < drawn.size(); ++i) closest = std::min(closest, x_of(*drawn[i]) - x_of(*drawn[i - 1]));
  const bool label_all = closest >= kLabelCharWidth * widest + 4;
  for (std::size_t i = 0; i < drawn.size(); ++i) {
    const TrendPoint& p = *drawn[i];
    std::string attributes = data_attributes(query_id, facet, p.period, point_key(p), p.documents, p.occurrences);
    if (!documents_chart) {
      attributes += " data-index-documents=\"" + std::to_string(p.index_documents) + "\" data-index-words=\"" +
                    std::to_string(p.index_words) + "\" data-rate=\"" + format_number(values[i], 6) + "\"";
    }
    svg += std::string("<circle class=\"") + (documents_chart ? "point" : "rate") + "\"" + attributes + " cx=\"" +
           coord(x_of(p)) + "\" cy=\"" + coord(y_of(values[i])) + "\" r=\"" + (smoothed.empty() ? "4" : "3") +
           "\"><title>" + html_escape(point_title(p)) + "</title></circle>\n";
    if (documents_chart && (label_all || values[i] == max_value)) {
      svg += "<text class=\"num\" x=\"" + coord(x_of(p)) + "\" y=\"" + coord(y_of(values[i]) - 9) +
             "\" text-anchor=\"middle\">" + format_number(values[i], 0) + "</text>\n";
    }
  }
  return svg + "</svg>\n";
}

}  // namespace

std::vector<long> year_ticks(long first, long last, double width_px, std::size_t label_chars, long min_step) {
  std::vector<long> ticks;
  if (last < first) return ticks;
  if (last == first || width_px <= 0) return {first};
  const double per_year = width_px / std::max<double>(static_cast<double>(last - first), 1);
  const double room = kLabelCharWidth * static_cast<double>(label_chars) + 8;
  const auto first_multiple = [&](long step) {
    const long r = ((first % step) + step) % step;
    return r == 0 ? first : first + (step - r);
  };
  for (long magnitude = 1;; magnitude *= 10) {
    for (const long m : {1L, 2L, 5L}) {
      const long step = m * magnitude;
      if (step < min_step) continue;
      const long start = first_multiple(step);
      const long count = start > last ? 0 : (last - start) / step + 1;
      if (static_cast<std::size_t>(count) <= kMaxYearLabels && static_cast<double>(step) * per_year >= room) {
        for (long year = start; year <= last; year += step) ticks.push_back(year);
        return ticks;
      }
    }
  }
}

std::string trend_chart(const std::string& query_id, const Trend& trend, TrendMetric metric) {
  const std::span<const TrendPoint> points = chart_points(trend);
  const std::size_t window = metric == TrendMetric::kDocuments ? 1 : smoothing_window(points, !trend.decades.empty());
  return line_chart(query_id, trend.field, points, metric, window);
}

std::string trend_chart(const std::string& query_id, const FieldCounts& years) {
  std::vector<TrendPoint> points;
  for (const YearCount& y : year_series(years)) {
    TrendPoint p{std::to_string(y.year), y.year, y.year};
    if (y.counted) {
      p.period = y.counted->value;
      p.documents = y.counted->documents;
      p.occurrences = y.counted->occurrences;
    }
    points.push_back(std::move(p));
  }
  if (!points.empty() && points.back().first_year - points.front().first_year > kDecadeSpan) {
    points = decades_of(points, /*fill=*/true);
  }
  return line_chart(query_id, years.field, points, TrendMetric::kDocuments, 1);
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
