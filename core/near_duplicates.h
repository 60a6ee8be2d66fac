// Near-duplicate documents: the same text published twice (a web page and
// the PDF of one strategy, a draft and its final version, a report with a
// new cover page). Two documents are near-duplicates when the resemblance of
// their texts (Broder, 1997) reaches a threshold:
//
//   resemblance(a, b) = |S(a) ∩ S(b)| / |S(a) ∪ S(b)|
//
// where S(x) is the set of shingles of x: every run of kShingleWords
// consecutive exact terms of the one Analyzer (so case, punctuation, line
// breaks and hyphenation at line ends do not matter). A text shorter than a
// shingle has one shingle, itself.
//
// Resemblance is estimated from a MinHash signature of kSignatureSize
// minima, made by one-permutation hashing (one hash per shingle, each
// landing in one of kSignatureSize bins; Li, Owen and Zhang, 2012) with
// empty bins filled by rotation (Shrivastava and Li, 2014): the fraction
// of equal bins of two signatures estimates their resemblance, within
// about ±0.09 at 0.5 (two standard deviations of a binomial over 128
// bins). Candidates are found without comparing every pair by locality-
// sensitive hashing: the first kBands * kRowsPerBand bins are cut into
// kBands bands of kRowsPerBand bins, and documents that share a band's hash
// are compared. A pair of resemblance s shares a band with probability
// 1 - (1 - s^3)^42: 0.29 at s = 0.2, 0.94 at 0.4, 0.996 at 0.5, so
// thresholds from 0.45 up find nearly every pair.
//
// Thread-safe: pure functions and value types.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace policy {

inline constexpr std::size_t kShingleWords = 5;
inline constexpr std::size_t kSignatureSize = 128;
inline constexpr std::size_t kBands = 42;
inline constexpr std::size_t kRowsPerBand = 3;
static_assert(kBands * kRowsPerBand <= kSignatureSize);
// The resemblance from which two documents are grouped as near-duplicates:
// the lowest with no wrong pair in the evaluation (BENCHMARKS.md,
// "Near-duplicate grouping", scripts/eval_near_duplicates.sh).
inline constexpr double kNearDuplicateThreshold = 0.45;

struct MinHashSignature {
  std::array<std::uint32_t, kSignatureSize> bins{};
  // No shingle (a text without a word): resembles nothing, not even another
  // empty text.
  bool empty = true;

  // 4 * kSignatureSize bytes, little-endian; unserialise() returns an empty
  // signature for any other size.
  std::string serialise() const;
  static MinHashSignature unserialise(std::string_view bytes);
};

// The signature of a text given as its exact terms, in order.
MinHashSignature minhash_signature(const std::vector<std::string>& terms);

// The estimated resemblance of two texts, in [0, 1]; 0 if either is empty.
double estimated_resemblance(const MinHashSignature& a, const MinHashSignature& b);

// One hash per band (kBands of them); two signatures that agree on every
// bin of a band have the same hash for it. Empty signature: no bands.
std::vector<std::uint64_t> band_hashes(const MinHashSignature& signature);

// Groups of near-duplicates among `signatures`: pairs whose estimated
// resemblance is at least `threshold`, found through shared bands, joined
// transitively (a draft, its revision and the final text are one group).
// Returns for each signature the index of its group's first member (its
// own index when it has no near-duplicate).
std::vector<std::size_t> group_near_duplicates(const std::vector<MinHashSignature>& signatures, double threshold);

}  // namespace policy
