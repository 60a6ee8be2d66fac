// How matches are ranked: BM25 (Xapian::BM25Weight) over the query's terms,
// a title word counting as kTitleWordOccurrences body occurrences of its
// term (core/index_layout.h), so that one term's statistics weigh a word
// wherever it stands.
//
// The parameters were chosen on one judged collection (CACM) and are
// reported on the others (RELEVANCE.md), never judged where tuned.
#pragma once

#include <xapian.h>

namespace policy {

// Saturation of a term's occurrences, and how much a document's length
// discounts them (Robertson and Zaragoza's k1 and b).
inline constexpr double kBm25K1 = 1.2;
inline constexpr double kBm25B = 0.75;
// A document shorter than this fraction of the average length is normalised
// as if it had it.
inline constexpr double kBm25MinNormalLength = 0.5;

// How many of the first results by relevance are ranked again with their
// phrases and NEARs weighed by their own matches (span_weight.h). A page
// beyond them keeps the first pass's order and scores.
inline constexpr Xapian::doccount kRescoreWindow = 100;

// The weighting scheme of every ranked match.
inline Xapian::BM25Weight ranking_weight() {
  return Xapian::BM25Weight(kBm25K1, /*k2=*/0, /*k3=*/1, kBm25B, kBm25MinNormalLength);
}

}  // namespace policy
