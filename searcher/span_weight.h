// Phrases and NEARs weighed by their own occurrences.
//
// Xapian 1.4 weighs OP_PHRASE and OP_NEAR as the sum of their terms'
// weights, each term by its own occurrences: a document holding "national
// debt" once among fifty "national"s outranks one holding the phrase five
// times. Here a phrase or NEAR weighs as its words would (IneB2, ranking.h)
// if each occurred f times, f the number of its matches in the document
// (as Lucene's PhraseQuery sums its words' IDFs, this sums their
// saturation weights, idf * (F + 1) / n in ranking.h):
//
//   weight = sum over words of saturation(word) * tfn / (tfn + 1),
//   tfn = f * log2(1 + c * average_length / length)
//
// with ranking.h's c and per-word statistics; an inflected word's counts
// are its terms' together. f is:
//   a phrase (one operand)      its occurrences: each start of one of its
//                               sequences, overlapping ones included
//   a NEAR (several operands)   its matches found left to right: each a
//                               stretch that qualifies (near_match.h), ending
//                               as early as one can among the occurrences
//                               after the previous match
//
// span_weighted() returns OP_FILTER(source, match): `match` decides which
// documents match, and the source, a posting source over every document,
// gives each the weight of its matches, read from its positions (0 for a
// document `match` lets through without one). Those are read through the public PositionIterator, a
// lookup per list and document, several times what the matcher's own
// check costs: Searcher weighs so only the first results of a search
// (ranking.h, kRescoreWindow), ranked first by Xapian's weights.
//
// The statistics (document count, average length, term frequencies) are
// those of the database the query was bound on, fixed in the source, so a
// stub's local shards weigh each match as the whole index does. A remote
// shard cannot run the source (xapian-tcpsrv knows only Xapian's own).
#pragma once

#include <vector>

#include <xapian.h>

#include "searcher/near_match.h"

namespace policy {

// The number of matches in one document, from each operand's spans (sorted
// by first position, as spans_of() gives them): one operand, its spans; several,
// the NEAR matches within `distance` found left to right.
std::size_t span_frequency(const std::vector<std::vector<NearSpan>>& spans_per_operand, unsigned distance);

// `match` weighed by the matches of `operands` within `distance` (one
// operand: a phrase), statistics read from `db`. `match` must match at
// least the documents holding one such match.
Xapian::Query span_weighted(const Xapian::Query& match, std::vector<NearOperand> operands, unsigned distance,
                            const Xapian::Database& db);

}  // namespace policy
