// Hashing shared by both sides: FNV-1a for content hashes and fingerprints
// that must stay the same across runs, builds and machines, and a hash for
// unordered containers of strings that also finds by std::string_view.
//
// Thread-safe: a value type and a stateless functor.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>

namespace policy {

// FNV-1a, 64 bits, fed byte by byte. Stable, fast, not for security.
class Fnv1a64 {
 public:
  Fnv1a64& add(std::string_view bytes) {
    for (const char c : bytes) add_byte(static_cast<unsigned char>(c));
    return *this;
  }
  Fnv1a64& add_byte(unsigned char byte) {
    hash_ ^= byte;
    hash_ *= kPrime;
    return *this;
  }
  std::uint64_t value() const { return hash_; }
  // 16 lower-case hex digits.
  std::string hex() const {
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(hash_));
    return buffer;
  }

 private:
  static constexpr std::uint64_t kOffsetBasis = 14695981039346656037ull;
  static constexpr std::uint64_t kPrime = 1099511628211ull;
  std::uint64_t hash_ = kOffsetBasis;
};

// For std::unordered_map<std::string, T, TransparentStringHash,
// std::equal_to<>>: find() takes a std::string_view without building a
// string per lookup.
struct TransparentStringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

}  // namespace policy
