// Compression of document bodies (the cleaned text and its token offsets)
// with Zstandard and a dictionary trained on the index's own documents.
//
// Documents are compressed one by one, so that a snippet decompresses one
// body; a body of a few kilobytes compresses poorly on its own (zlib, which
// Xapian would apply to document data, finds little to share inside one
// document). A dictionary trained once per index build on a sample of its
// first documents carries the vocabulary and phrasing they share, and each
// body is compressed against it. The dictionary is stored in the index
// (metadata_key::kBodyDictionary); every frame records the dictionary's id,
// which decompression checks.
//
// Thread-safe: immutable after construction; compression and decompression
// contexts are per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace policy {

class BodyDictionary {
 public:
  // No dictionary: plain Zstandard frames.
  BodyDictionary();
  // A dictionary as stored in an index (empty: none). Throws
  // CorruptDataError when Zstandard cannot load it.
  explicit BodyDictionary(std::string bytes);

  // Trains a dictionary on the first `sample_bytes` of `texts`, taken in
  // order (document texts as stored, the bulk of what compress() is
  // given). Too little sample text for a useful dictionary (under
  // kMinSampleBytes, or training fails) gives none.
  static BodyDictionary train(std::span<const std::string_view> texts, std::size_t sample_bytes);
  // All of `samples`.
  static BodyDictionary train(const std::vector<std::string>& samples);
  // `primary` (which compresses) that also decompresses frames made with
  // any of `others`: the shards of one index each train their own.
  static BodyDictionary with_others(BodyDictionary primary, const std::vector<BodyDictionary>& others);
  // How much sample text an index build collects before training: its
  // first documents up to this many bytes (fewer when the input is smaller).
  // Larger samples gain little at several times the training time, which
  // delays the first segments (policy-bench-baselines body-dictionary,
  // BENCHMARKS.md).
  static constexpr std::size_t kSampleBytes = 1u << 20;
  static constexpr std::size_t kMinSampleBytes = 256u << 10;
  // The most an index build holds back to train on (it waits in memory).
  static constexpr std::size_t kMaxSampleBytes = 64u << 20;

  bool empty() const { return bytes_.empty(); }
  const std::string& bytes() const { return bytes_; }
  // Zstandard's dictionary id (0 without one); frames record it.
  std::uint32_t id() const { return id_; }

  // One Zstandard frame holding `raw`, with its size and a checksum.
  std::string compress(std::string_view raw) const;
  // The bytes of a frame from compress() with this dictionary (or one of
  // its others). Throws CorruptDataError on a corrupt frame, one larger
  // than `max_bytes`, or one compressed with another dictionary.
  std::string decompress(std::string_view frame, std::size_t max_bytes) const;

 private:
  struct Dictionaries;  // Zstandard's prepared forms, shared by copies
  std::string bytes_;
  std::uint32_t id_ = 0;
  std::shared_ptr<const Dictionaries> prepared_;
  std::vector<BodyDictionary> others_;  // with_others(), for decompression
};

}  // namespace policy
