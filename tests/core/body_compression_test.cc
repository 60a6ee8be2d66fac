// BodyDictionary: document bodies compressed with and without a trained
// dictionary come back byte for byte; a frame that is corrupt, too large or
// from another dictionary is refused with a message, never misread.

#include "core/body_compression.h"

#include <random>

#include <gtest/gtest.h>

namespace policy {
namespace {

// Policy-like sentences from a small vocabulary: text that shares words and
// phrases across documents, as a corpus does.
std::string sentences(std::mt19937& random, std::size_t bytes) {
  static const std::vector<std::string> words = {
      "environmental", "cooperation", "ministry",     "ecology",      "the",     "of",     "and",
      "water",         "quality",     "biodiversity", "conservation", "climate", "change", "capacity",
      "building",      "joint",       "research",     "strategy",     "action",  "plan",   "pollution",
      "prevention",    "sustainable", "development",  "ASEAN",        "China"};
  std::string text;
  while (text.size() < bytes) {
    text += words[random() % words.size()];
    text += random() % 11 == 0 ? ".\n" : " ";
  }
  return text;
}

std::vector<std::string> corpus(std::uint32_t seed, std::size_t documents, std::size_t bytes_each) {
  std::mt19937 random(seed);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < documents; ++i) out.push_back(sentences(random, bytes_each));
  return out;
}

TEST(BodyDictionaryTest, TooLittleSampleTextTrainsNone) {
  EXPECT_TRUE(BodyDictionary::train({}).empty());
  EXPECT_TRUE(BodyDictionary::train(corpus(1, 10, 1000)).empty());  // 10 KB < kMinSampleBytes
  const BodyDictionary none;
  EXPECT_EQ(none.id(), 0u);
}

// train(texts, sample_bytes) learns from the first sample_bytes of the
// texts in order, as if given those bytes cut by hand: the same dictionary,
// whatever lies beyond; a sample size under kMinSampleBytes trains none.
TEST(BodyDictionaryTest, TrainsOnTheFirstSampleBytesOnly) {
  const std::vector<std::string> texts = corpus(1, 400, 2000);  // about 800 KB
  const std::vector<std::string_view> views(texts.begin(), texts.end());
  for (const std::size_t sample_bytes :
       {std::size_t{300000}, std::size_t{300500}, BodyDictionary::kMinSampleBytes - 1}) {
    SCOPED_TRACE(sample_bytes);
    std::vector<std::string> by_hand;
    std::size_t taken = 0;
    for (const std::string& t : texts) {
      if (taken >= sample_bytes) break;
      by_hand.push_back(t.substr(0, sample_bytes - taken));
      taken += by_hand.back().size();
    }
    ASSERT_EQ(taken, sample_bytes);
    const BodyDictionary got = BodyDictionary::train(views, sample_bytes);
    EXPECT_EQ(got.bytes(), BodyDictionary::train(by_hand).bytes());
    EXPECT_EQ(got.empty(), sample_bytes < BodyDictionary::kMinSampleBytes);
    // Not the dictionary of all the texts: the cut mattered.
    if (!got.empty()) {
      EXPECT_NE(got.bytes(), BodyDictionary::train(texts).bytes());
    }
  }
}

TEST(BodyDictionaryTest, RoundTripsWithAndWithoutDictionary) {
  const BodyDictionary trained = BodyDictionary::train(corpus(1, 200, 2000));
  ASSERT_FALSE(trained.empty());
  EXPECT_NE(trained.id(), 0u);
  // As stored in and read back from an index.
  const BodyDictionary reloaded(trained.bytes());
  EXPECT_EQ(reloaded.id(), trained.id());
  std::mt19937 random(7);
  std::string binary(5000, '\0');
  for (char& c : binary) c = static_cast<char>(random());
  const std::vector<std::string> bodies = {"", "a", sentences(random, 3000), sentences(random, 200000), binary};
  for (const BodyDictionary* dictionary : {&trained, &reloaded}) {
    for (const BodyDictionary& codec : {*dictionary, BodyDictionary()}) {
      for (const std::string& body : bodies) {
        SCOPED_TRACE(std::to_string(body.size()) + " bytes, dictionary " + std::to_string(codec.id()));
        const std::string frame = codec.compress(body);
        EXPECT_EQ(codec.decompress(frame, body.size()), body);
      }
    }
  }
  // A frame made by the trained dictionary reads back through its reloaded copy.
  const std::string body = sentences(random, 4000);
  EXPECT_EQ(reloaded.decompress(trained.compress(body), body.size()), body);
}

// What the dictionary is for: short documents of a shared vocabulary
// compress to less with it than alone.
TEST(BodyDictionaryTest, DictionaryShrinksShortDocuments) {
  const BodyDictionary trained = BodyDictionary::train(corpus(1, 200, 2000));
  ASSERT_FALSE(trained.empty());
  std::size_t with = 0, without = 0;
  for (const std::string& body : corpus(2, 50, 2000)) {  // documents not in the sample
    with += trained.compress(body).size();
    without += BodyDictionary().compress(body).size();
  }
  EXPECT_LT(with, without * 9 / 10) << with << " vs " << without;
}

TEST(BodyDictionaryTest, RefusesCorruptOversizedAndForeignFrames) {
  const BodyDictionary trained = BodyDictionary::train(corpus(1, 200, 2000));
  const BodyDictionary other = BodyDictionary::train(corpus(3, 200, 2000));
  ASSERT_FALSE(trained.empty());
  ASSERT_FALSE(other.empty());
  ASSERT_NE(trained.id(), other.id());
  std::mt19937 random(9);
  const std::string body = sentences(random, 5000);
  const std::string frame = trained.compress(body);
  std::string flipped = frame;
  flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x5A);
  struct Case {
    const char* what;
    BodyDictionary codec;  // a copy: one case passes a temporary
    std::string frame;
    std::size_t max_bytes;
    std::string message;  // part of the error
  };
  const std::vector<Case> cases = {
      {"not a frame", trained, "not zstd at all", 1 << 20, "not a compressed frame"},
      {"empty", trained, "", 1 << 20, "not a compressed frame"},
      {"truncated", trained, frame.substr(0, frame.size() / 2), 1 << 20, "corrupt"},
      {"flipped byte", trained, flipped, 1 << 20, "corrupt"},
      {"larger than allowed", trained, frame, body.size() - 1, "claims " + std::to_string(body.size()) + " bytes"},
      {"another dictionary", other, frame, 1 << 20, "compressed with dictionary " + std::to_string(trained.id())},
      {"no dictionary", BodyDictionary(), frame, 1 << 20, "the index holds none"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    try {
      const std::string got = c.codec.decompress(c.frame, c.max_bytes);
      ADD_FAILURE() << "decompressed " << got.size() << " bytes";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos) << e.what();
    }
  }
}

TEST(BodyDictionaryTest, UnloadableDictionaryIsAnError) {
  // Zstandard takes any bytes as a raw-content dictionary, except a header
  // that claims to be a trained one and is not.
  std::string fake = BodyDictionary::train(corpus(1, 200, 2000)).bytes().substr(0, 16);
  EXPECT_THROW(BodyDictionary{fake}, std::runtime_error);
}

}  // namespace
}  // namespace policy
