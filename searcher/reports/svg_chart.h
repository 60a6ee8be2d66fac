// The HTML report's charts, as inline SVG: trend lines over the years and
// horizontal bars of a field's top values.
//
// A trend chart's x axis is the year, linear, so a gap in the years is a gap
// on the axis; its ticks are at round years (a step of 1, 2, 5, 10, 20, 50,
// 100... years), at most kMaxYearLabels labels, each apart from the next by
// more than its width (kLabelCharWidth per character). When the index's
// years span more than kDecadeSpan, a point is a decade, drawn at its middle.
// The y axis has 1, 2 or 5 times a power of ten as its step.
//
// Every point and bar of the documents charts carries data-query,
// data-facet, data-value, data-key, data-documents and data-occurrences
// attributes and a <title> with its numbers, so the chart can be checked
// against counts.csv; the points of the normalised charts (class "rate")
// carry the same with data-index-documents, data-index-words and
// data-rate, to be checked against trends.csv.
//
// Thread-safe: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "searcher/batch.h"
#include "searcher/trends.h"

namespace policy {

// What a trend chart draws per point.
enum class TrendMetric {
  kDocuments,    // matching documents
  kShare,        // matching documents / documents in the index, in percent
  kPer10kWords,  // occurrences per 10,000 words of the index
};

inline constexpr std::size_t kMaxYearLabels = 10;
// The widest a character of an axis label may be (12px type), in px: the
// room a label is given.
inline constexpr double kLabelCharWidth = 7.5;

// Round years from `first` to `last` (inclusive) for an axis `width_px`
// wide: the multiples of the smallest step of 1, 2, 5, 10, 20, 50, ...
// (at least `min_step`) that gives at most kMaxYearLabels of them, apart by
// at least a label of `label_chars` characters and a gap.
std::vector<long> year_ticks(long first, long last, double width_px, std::size_t label_chars, long min_step = 1);

// Line chart of `metric` over the trend's points (chart_points: the
// decades when there are any). Documents: one <circle class="point"> per
// point, the years between the first and the last filled with zeros when
// they are years, with the numbers. Normalised: one <circle class="rate">
// per point with documents in the index, joined by a line, and, when the
// points are sparse (smoothing_window), a <polyline class="smoothed"> of
// the centred moving ratio, said in the chart's note. A "No dated
// documents." paragraph when there are no points.
std::string trend_chart(const std::string& query_id, const Trend& trend, TrendMetric metric);

// The documents chart of per-year counts alone, for results without a
// baseline: the points are the counted years (decades over more than
// kDecadeSpan years).
std::string trend_chart(const std::string& query_id, const FieldCounts& years);

// Horizontal bars (<rect class="bar">) of the top values of a field by
// documents, in an <svg> of class "chart bars `colour_class`"; a paragraph
// below says how many values were left out.
std::string bar_chart(const std::string& query_id, const FieldCounts& counts, const std::string& colour_class);

}  // namespace policy
