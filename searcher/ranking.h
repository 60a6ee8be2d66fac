// How matches are ranked: DFR IneB2 (Xapian::IneB2Weight) over the query's
// terms, a title word counting as kTitleWordOccurrences body occurrences of
// its term (core/index_layout.h), so that one term's statistics weigh a
// word wherever it stands.
//
// IneB2 (Amati and van Rijsbergen's divergence from randomness) weighs a
// term in a document as
//   idf * tfn * (F + 1) / (n * (tfn + 1)),
//   idf = log2((N + 1) / (n_e + 0.5)),  n_e = N * (1 - exp(-F / N)),
//   tfn = tf * log2(1 + c * average_length / length),
// N documents, the term's collection frequency F, document count n and
// expected document count n_e under a Poisson spread of F; tfn is its
// occurrences normalised to the average length. The weight grows with tf
// and saturates at idf * (F + 1) / n.
//
// The scheme is Xapian's default c's, picked among Xapian's schemes by
// leave-one-collection-out on three judged collections, and the title's
// occurrences on CACM, the only one with titles (RELEVANCE.md, which says
// what was seen before the choice).
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
