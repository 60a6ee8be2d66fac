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

// The weighting scheme of every ranked match.
inline Xapian::BM25Weight ranking_weight() {
  return Xapian::BM25Weight(kBm25K1, /*k2=*/0, /*k3=*/1, kBm25B, /*min_normlen=*/0.5);
}

}  // namespace policy
