// How matches are ranked: DFR IneB2 (Xapian::IneB2Weight) over the query's
// terms, a title word counting as kTitleWordOccurrences body occurrences of
// its term (core/index_layout.h), so that one term's statistics weigh a
// word wherever it stands.
//
// IneB2 (Amati and van Rijsbergen's divergence from randomness): a term's
// informativeness is the IDF of its expected document count under a
// Poisson spread of its collection frequency F, damped by the Bernoulli
// after-effect (F + 1) / (n * (tfn + 1)), where n is its document count and
// tfn its occurrences normalised to the average length:
//   tfn = tf * log2(1 + c * average_length / length).
//
// The scheme and c were chosen on one judged collection (NPL) and are
// reported on the others (RELEVANCE.md); the title's occurrences were
// chosen on CACM, the only one with titles.
#pragma once

#include <xapian.h>

namespace policy {

// IneB2's length normalisation: larger c discounts long documents less.
inline constexpr double kDfrC = 1.0;

// How many of the first results by relevance are ranked again with their
// phrases and NEARs weighed by their own matches (span_weight.h). A page
// beyond them keeps the first pass's order and scores.
inline constexpr Xapian::doccount kRescoreWindow = 100;

// The weighting scheme of every ranked match.
inline Xapian::IneB2Weight ranking_weight() { return Xapian::IneB2Weight(kDfrC); }

}  // namespace policy
