// NEAR over phrases: the exact check that Xapian 1.4 cannot make.
//
// Xapian's OP_NEAR and OP_PHRASE take only terms and ORs of terms as
// subqueries (1.4.22 throws UnimplementedError for a phrase under NEAR), so
// `slavery NEAR/5 "slave trade"` is matched here: each side of the NEAR is
// an operand, a set of alternative sequences of positions (a word is a
// sequence of one slot; a phrase, one slot per word; an OR group, one
// sequence per alternative), and a document matches when it holds one
// occurrence of every operand, none overlapping another, all within a
// stretch of text holding at most `distance` other words, in any order:
// the meaning NEAR/n has for single words.
//
// near_match_query() wraps the check as a Xapian::PostingSource leaf, to be
// used as the unweighted side of an OP_FILTER. match_set.h does not evaluate
// posting sources, so sets and counts come from Xapian's matcher.
//
// Thread-safe: the data is immutable and shared; Xapian clones the source
// for each match (each thread, each database).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <xapian.h>

namespace policy {

// The exact terms that may stand at one position.
using NearSlot = std::vector<std::string>;
// Consecutive positions, slot by slot.
using NearSequence = std::vector<NearSlot>;
// One side of a NEAR: any of its sequences.
using NearOperand = std::vector<NearSequence>;

// An occurrence of an operand: positions first..last inclusive.
struct NearSpan {
  Xapian::termpos first = 0;
  Xapian::termpos last = 0;
};

// True when one span of each list (one list per operand) can be chosen so
// that no two overlap and they lie within a stretch holding at most
// `distance` positions that belong to none of them.
bool spans_within(const std::vector<std::vector<NearSpan>>& spans_per_operand, unsigned distance);

// The occurrences of `operand` in document `did` of `db`, sorted by first
// position, then last; each distinct span once.
std::vector<NearSpan> spans_of(const Xapian::Database& db, Xapian::docid did, const NearOperand& operand);

// The documents matching `operands` within `distance`, as a weightless
// query leaf.
Xapian::Query near_match_query(std::vector<NearOperand> operands, unsigned distance);

}  // namespace policy
