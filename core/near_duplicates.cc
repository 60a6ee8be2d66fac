#include "core/near_duplicates.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <unordered_map>

#include "core/hashing.h"

namespace policy {
namespace {

// splitmix64's finaliser: spreads FNV's weak low bits over the whole word.
std::uint64_t mix64(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  x ^= x >> 31;
  return x;
}

std::uint64_t shingle_hash(const std::vector<std::string>& terms, std::size_t first, std::size_t count) {
  Fnv1a64 hash;
  for (std::size_t i = first; i < first + count; ++i) {
    hash.add(terms[i]);
    hash.add_byte(0x1f);  // a unit separator: "a b" and "ab" differ
  }
  return mix64(hash.value());
}

constexpr std::uint32_t kEmptyBin = std::numeric_limits<std::uint32_t>::max();
// Added once per bin of distance when an empty bin borrows a neighbour's
// value, so that borrowed values differ from the neighbour's own.
constexpr std::uint32_t kRotation = 0x9e3779b9u;

class UnionFind {
 public:
  explicit UnionFind(std::size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  std::size_t find(std::size_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }
  // The smaller index becomes the root, so a group is named by its first member.
  void join(std::size_t a, std::size_t b) {
    a = find(a);
    b = find(b);
    if (a == b) return;
    if (b < a) std::swap(a, b);
    parent_[b] = a;
  }

 private:
  std::vector<std::size_t> parent_;
};

}  // namespace

std::string MinHashSignature::serialise() const {
  std::string out;
  out.reserve(4 * kSignatureSize);
  for (const std::uint32_t v : bins) {
    for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
  }
  return out;
}

MinHashSignature MinHashSignature::unserialise(std::string_view bytes) {
  MinHashSignature signature;
  if (bytes.size() != 4 * kSignatureSize) return signature;
  for (std::size_t i = 0; i < kSignatureSize; ++i) {
    std::uint32_t v = 0;
    for (int b = 3; b >= 0; --b) v = (v << 8) | static_cast<unsigned char>(bytes[4 * i + b]);
    signature.bins[i] = v;
  }
  signature.empty = false;
  return signature;
}

MinHashSignature minhash_signature(const std::vector<std::string>& terms) {
  MinHashSignature signature;
  if (terms.empty()) return signature;
  signature.bins.fill(kEmptyBin);
  std::vector<bool> filled(kSignatureSize, false);
  const std::size_t width = std::min(kShingleWords, terms.size());
  for (std::size_t first = 0; first + width <= terms.size(); ++first) {
    const std::uint64_t h = shingle_hash(terms, first, width);
    const std::size_t bin = static_cast<std::size_t>(h >> 57);  // top 7 bits: one of 128 bins
    static_assert(kSignatureSize == 128);
    const auto value = static_cast<std::uint32_t>(h);
    if (!filled[bin] || value < signature.bins[bin]) signature.bins[bin] = value;
    filled[bin] = true;
  }
  // Rotation: an empty bin takes the value of the next filled bin to its
  // right (circularly), plus kRotation per bin of distance.
  for (std::size_t bin = 0; bin < kSignatureSize; ++bin) {
    if (filled[bin]) continue;
    for (std::size_t distance = 1; distance < kSignatureSize; ++distance) {
      const std::size_t from = (bin + distance) % kSignatureSize;
      if (filled[from]) {
        signature.bins[bin] = signature.bins[from] + static_cast<std::uint32_t>(distance) * kRotation;
        break;
      }
    }
  }
  signature.empty = false;
  return signature;
}

double estimated_resemblance(const MinHashSignature& a, const MinHashSignature& b) {
  if (a.empty || b.empty) return 0.0;
  std::size_t equal = 0;
  for (std::size_t i = 0; i < kSignatureSize; ++i) equal += a.bins[i] == b.bins[i];
  return static_cast<double>(equal) / kSignatureSize;
}

std::vector<std::uint64_t> band_hashes(const MinHashSignature& signature) {
  std::vector<std::uint64_t> hashes;
  if (signature.empty) return hashes;
  hashes.reserve(kBands);
  for (std::size_t band = 0; band < kBands; ++band) {
    Fnv1a64 hash;
    hash.add_byte(static_cast<unsigned char>(band));
    for (std::size_t row = 0; row < kRowsPerBand; ++row) {
      const std::uint32_t v = signature.bins[band * kRowsPerBand + row];
      for (int shift = 0; shift < 32; shift += 8) hash.add_byte(static_cast<unsigned char>((v >> shift) & 0xff));
    }
    hashes.push_back(mix64(hash.value()));
  }
  return hashes;
}

std::vector<std::size_t> group_near_duplicates(const std::vector<MinHashSignature>& signatures, double threshold) {
  UnionFind groups(signatures.size());
  std::unordered_map<std::uint64_t, std::vector<std::size_t>> buckets;
  for (std::size_t i = 0; i < signatures.size(); ++i) {
    for (const std::uint64_t band : band_hashes(signatures[i])) buckets[band].push_back(i);
  }
  for (const auto& [band, members] : buckets) {
    for (std::size_t x = 0; x < members.size(); ++x) {
      for (std::size_t y = x + 1; y < members.size(); ++y) {
        const std::size_t a = members[x], b = members[y];
        if (groups.find(a) == groups.find(b)) continue;
        if (estimated_resemblance(signatures[a], signatures[b]) >= threshold) groups.join(a, b);
      }
    }
  }
  std::vector<std::size_t> first_member(signatures.size());
  for (std::size_t i = 0; i < signatures.size(); ++i) first_member[i] = groups.find(i);
  return first_member;
}

}  // namespace policy
