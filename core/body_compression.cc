#include "core/body_compression.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include <zdict.h>
#include <zstd.h>

#include "core/errors.h"

namespace policy {
namespace {

// Level 3, Zstandard's default: with the dictionary it already gives most of
// the gain (policy-bench-baselines body-dictionary prints the bodies' size).
constexpr int kLevel = 3;
constexpr std::size_t kDictionaryBytes = 112640;  // ZDICT's recommended size
constexpr std::size_t kSamplePieceBytes = 32u << 10;

struct CCtxFree {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct DCtxFree {
  void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};

ZSTD_CCtx* thread_cctx() {
  thread_local std::unique_ptr<ZSTD_CCtx, CCtxFree> cctx(ZSTD_createCCtx());
  if (!cctx) throw std::bad_alloc();
  return cctx.get();
}

ZSTD_DCtx* thread_dctx() {
  thread_local std::unique_ptr<ZSTD_DCtx, DCtxFree> dctx(ZSTD_createDCtx());
  if (!dctx) throw std::bad_alloc();
  return dctx.get();
}

}  // namespace

struct BodyDictionary::Dictionaries {
  ZSTD_CDict* compress = nullptr;
  ZSTD_DDict* decompress = nullptr;
  ~Dictionaries() {
    ZSTD_freeCDict(compress);
    ZSTD_freeDDict(decompress);
  }
};

BodyDictionary::BodyDictionary() = default;

BodyDictionary::BodyDictionary(std::string bytes) : bytes_(std::move(bytes)) {
  if (bytes_.empty()) return;
  auto prepared = std::make_shared<Dictionaries>();
  prepared->compress = ZSTD_createCDict(bytes_.data(), bytes_.size(), kLevel);
  prepared->decompress = ZSTD_createDDict(bytes_.data(), bytes_.size());
  if (!prepared->compress || !prepared->decompress)
    throw CorruptDataError("unreadable body dictionary (" + std::to_string(bytes_.size()) + " bytes)");
  id_ = ZSTD_getDictID_fromDDict(prepared->decompress);
  prepared_ = std::move(prepared);
}

BodyDictionary BodyDictionary::train(std::span<const std::string_view> texts, std::size_t sample_bytes) {
  std::string joined;
  std::vector<std::size_t> sizes;
  for (std::string_view text : texts) {
    if (joined.size() >= sample_bytes) break;
    text = text.substr(0, sample_bytes - joined.size());
    // Long documents are cut into pieces: the trainer learns from many
    // samples, not from a few long ones.
    for (std::size_t at = 0; at < text.size(); at += kSamplePieceBytes) {
      sizes.push_back(std::min(kSamplePieceBytes, text.size() - at));
      joined.append(text.substr(at, sizes.back()));
    }
  }
  if (joined.size() < kMinSampleBytes) return BodyDictionary();
  std::string dictionary(kDictionaryBytes, '\0');
  const std::size_t size = ZDICT_trainFromBuffer(dictionary.data(), dictionary.size(), joined.data(), sizes.data(),
                                                 static_cast<unsigned>(sizes.size()));
  if (ZDICT_isError(size)) return BodyDictionary();
  dictionary.resize(size);
  return BodyDictionary(std::move(dictionary));
}

BodyDictionary BodyDictionary::train(const std::vector<std::string>& samples) {
  const std::vector<std::string_view> texts(samples.begin(), samples.end());
  return train(texts, std::numeric_limits<std::size_t>::max());
}

BodyDictionary BodyDictionary::with_others(BodyDictionary primary, const std::vector<BodyDictionary>& others) {
  for (const BodyDictionary& other : others) {
    if (other.empty() || other.id_ == primary.id_) continue;
    const bool known = std::any_of(primary.others_.begin(), primary.others_.end(),
                                   [&](const BodyDictionary& o) { return o.id_ == other.id_; });
    if (!known) primary.others_.push_back(other);
  }
  return primary;
}

std::string BodyDictionary::compress(std::string_view raw) const {
  std::string frame(ZSTD_compressBound(raw.size()), '\0');
  ZSTD_CCtx* cctx = thread_cctx();
  // Every frame carries a checksum of its content: without one, a flipped
  // byte in a stored body can decompress to different text.
  std::size_t size = ZSTD_CCtx_reset(cctx, ZSTD_reset_session_and_parameters);
  if (!ZSTD_isError(size)) size = ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, kLevel);
  if (!ZSTD_isError(size)) size = ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
  if (!ZSTD_isError(size) && prepared_) size = ZSTD_CCtx_refCDict(cctx, prepared_->compress);
  if (!ZSTD_isError(size)) size = ZSTD_compress2(cctx, frame.data(), frame.size(), raw.data(), raw.size());
  if (ZSTD_isError(size)) throw Error(std::string("cannot compress a body: ") + ZSTD_getErrorName(size));
  frame.resize(size);
  return frame;
}

std::string BodyDictionary::decompress(std::string_view frame, std::size_t max_bytes) const {
  const unsigned long long size = ZSTD_getFrameContentSize(frame.data(), frame.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN) {
    throw CorruptDataError("stored body is not a compressed frame");
  }
  if (size > max_bytes) throw CorruptDataError("stored body claims " + std::to_string(size) + " bytes");
  const unsigned frame_dictionary = ZSTD_getDictID_fromFrame(frame.data(), frame.size());
  if (frame_dictionary != 0 && frame_dictionary != id_) {
    for (const BodyDictionary& other : others_) {
      if (other.id_ == frame_dictionary) return other.decompress(frame, max_bytes);
    }
    throw CorruptDataError("stored body was compressed with dictionary " + std::to_string(frame_dictionary) +
                           ", the index holds " + (id_ == 0 ? std::string("none") : std::to_string(id_)));
  }
  std::string raw(static_cast<std::size_t>(size), '\0');
  ZSTD_DCtx* dctx = thread_dctx();
  const std::size_t got = prepared_ ? ZSTD_decompress_usingDDict(dctx, raw.data(), raw.size(), frame.data(),
                                                                 frame.size(), prepared_->decompress)
                                    : ZSTD_decompressDCtx(dctx, raw.data(), raw.size(), frame.data(), frame.size());
  if (ZSTD_isError(got) || got != raw.size()) {
    throw CorruptDataError(std::string("stored body is corrupt: ") +
                           (ZSTD_isError(got) ? ZSTD_getErrorName(got) : "short frame"));
  }
  return raw;
}

}  // namespace policy
