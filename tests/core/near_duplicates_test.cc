#include "core/near_duplicates.h"

#include <random>
#include <set>

#include <gtest/gtest.h>

namespace policy {
namespace {

std::vector<std::string> random_words(std::mt19937& random, std::size_t n, std::size_t vocabulary = 5000) {
  std::vector<std::string> words;
  std::uniform_int_distribution<std::size_t> pick(0, vocabulary - 1);
  for (std::size_t i = 0; i < n; ++i) words.push_back("w" + std::to_string(pick(random)));
  return words;
}

double exact_resemblance(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  const auto shingles = [](const std::vector<std::string>& terms) {
    std::set<std::string> out;
    const std::size_t width = std::min(kShingleWords, terms.size());
    for (std::size_t i = 0; i + width <= terms.size(); ++i) {
      std::string s;
      for (std::size_t k = i; k < i + width; ++k) s += terms[k] + " ";
      out.insert(s);
    }
    return out;
  };
  const std::set<std::string> sa = shingles(a), sb = shingles(b);
  std::size_t common = 0;
  for (const std::string& s : sa) common += sb.count(s);
  return static_cast<double>(common) / static_cast<double>(sa.size() + sb.size() - common);
}

TEST(NearDuplicatesTest, IdenticalTextsResembleFullyAndUnrelatedOnesHardlyAtAll) {
  std::mt19937 random(1);
  const std::vector<std::string> a = random_words(random, 800), b = random_words(random, 800);
  EXPECT_EQ(estimated_resemblance(minhash_signature(a), minhash_signature(a)), 1.0);
  EXPECT_LT(estimated_resemblance(minhash_signature(a), minhash_signature(b)), 0.05);
}

TEST(NearDuplicatesTest, ShortAndEmptyTexts) {
  const std::vector<std::string> short_text = {"green", "envoys"};
  EXPECT_EQ(estimated_resemblance(minhash_signature(short_text), minhash_signature(short_text)), 1.0);
  EXPECT_LT(estimated_resemblance(minhash_signature(short_text), minhash_signature({"green", "envoy"})), 0.1);
  const MinHashSignature empty = minhash_signature({});
  EXPECT_TRUE(empty.empty);
  EXPECT_EQ(estimated_resemblance(empty, empty), 0.0);
  EXPECT_TRUE(band_hashes(empty).empty());
  EXPECT_EQ(group_near_duplicates({empty, empty}, 0.5), (std::vector<std::size_t>{0, 1}));
}

// The estimate stays near the exact resemblance of the shingle sets, for
// copies with a growing share of words replaced.
TEST(NearDuplicatesTest, EstimateFollowsTheExactResemblance) {
  std::mt19937 random(7);
  double worst = 0;
  for (int trial = 0; trial < 200; ++trial) {
    const std::vector<std::string> original = random_words(random, 300 + trial * 10);
    std::vector<std::string> copy = original;
    const double replaced = (trial % 20) / 100.0;
    std::bernoulli_distribution change(replaced);
    for (std::string& w : copy) {
      if (change(random)) w = "x" + std::to_string(random() % 100000);
    }
    const double exact = exact_resemblance(original, copy);
    const double estimate = estimated_resemblance(minhash_signature(original), minhash_signature(copy));
    worst = std::max(worst, std::abs(exact - estimate));
  }
  // Four standard deviations of a binomial over 128 bins at p = 0.5: 0.177.
  EXPECT_LT(worst, 0.18);
}

TEST(NearDuplicatesTest, SignatureSurvivesSerialisation) {
  std::mt19937 random(3);
  const MinHashSignature signature = minhash_signature(random_words(random, 100));
  const std::string bytes = signature.serialise();
  EXPECT_EQ(bytes.size(), 4 * kSignatureSize);
  const MinHashSignature back = MinHashSignature::unserialise(bytes);
  EXPECT_FALSE(back.empty);
  EXPECT_EQ(back.bins, signature.bins);
  EXPECT_TRUE(MinHashSignature::unserialise(bytes.substr(1)).empty);
  EXPECT_TRUE(MinHashSignature::unserialise("").empty);
}

// Signatures are stored in indexes: the hashing must not change between
// builds or machines without a schema version change.
TEST(NearDuplicatesTest, SignaturesAreStable) {
  const MinHashSignature signature =
      minhash_signature({"the", "asean", "china", "strategy", "on", "environmental", "cooperation"});
  EXPECT_EQ(band_hashes(signature).size(), kBands);
  EXPECT_EQ(signature.bins[0], 3764930632u);
}

TEST(NearDuplicatesTest, GroupsJoinChainsOfNearDuplicatesUnderTheirFirstMember) {
  std::mt19937 random(11);
  std::vector<std::vector<std::string>> parts;
  for (int i = 0; i < 6; ++i) parts.push_back(random_words(random, 250));
  const auto joined = [&](std::initializer_list<int> which) {
    std::vector<std::string> out;
    for (int i : which) out.insert(out.end(), parts[i].begin(), parts[i].end());
    return out;
  };
  // A chain: the first and second texts share three of four parts (0.6),
  // the second and third too, the first and third only two (0.33).
  const std::vector<MinHashSignature> signatures = {
      minhash_signature(random_words(random, 1000)), minhash_signature(joined({0, 1, 2, 3})),
      minhash_signature(joined({1, 2, 3, 4})), minhash_signature(random_words(random, 1000)),
      minhash_signature(joined({2, 3, 4, 5}))};
  EXPECT_LT(estimated_resemblance(signatures[1], signatures[4]), 0.45);
  EXPECT_GT(estimated_resemblance(signatures[1], signatures[2]), 0.45);
  EXPECT_GT(estimated_resemblance(signatures[2], signatures[4]), 0.45);
  EXPECT_EQ(group_near_duplicates(signatures, 0.45), (std::vector<std::size_t>{0, 1, 1, 3, 1}));
  // Above every pair's resemblance: no group.
  EXPECT_EQ(group_near_duplicates(signatures, 0.9), (std::vector<std::size_t>{0, 1, 2, 3, 4}));
}

}  // namespace
}  // namespace policy
