// The HTML report's charts, as inline SVG: a trend line of matching
// documents per year and horizontal bars of a field's top values. Every
// point and bar carries data-query, data-facet, data-value, data-key,
// data-documents and data-occurrences attributes and a <title> with its
// numbers, so the chart can be checked against counts.csv.
//
// Thread-safe: pure functions.
#pragma once

#include <string>

#include "searcher/batch.h"

namespace policy {

// Line chart of matching documents per year: one <circle class="point"> per
// year from the first to the last (zeros filled in, see year_series), with
// the numbers; a "No dated documents." paragraph when there are no years.
std::string trend_chart(const std::string& query_id, const FieldCounts& years);

// Horizontal bars (<rect class="bar">) of the top values of a field by
// documents, in an <svg> of class "chart bars `colour_class`"; a paragraph
// below says how many values were left out.
std::string bar_chart(const std::string& query_id, const FieldCounts& counts, const std::string& colour_class);

}  // namespace policy
