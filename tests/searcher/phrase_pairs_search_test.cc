// Phrases through pair terms (core/phrase_pairs.h, QueryBinder): for
// hundreds of generated phrases over an index whose frequent words have
// pairs, binding with the index's common words must match exactly the
// documents an independent scan of the texts finds, with the same ranking
// and weights as binding without them, and the same exact set
// (evaluate_match_set). Most phrases must read at least one pair term, or
// the comparison would prove nothing.

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <xapian.h>

#include "core/analyzer.h"
#include "core/field_extractor.h"
#include "core/field_schema.h"
#include "core/index_layout.h"
#include "core/phrase_pairs.h"

#include "indexer/index_writer.h"

#include "searcher/match_set.h"
#include "searcher/query_binder.h"
#include "searcher/query_syntax.h"

#include "tests/support/test_support.h"

namespace policy {
namespace {

// Consonant-vowel words: the analyzer keeps them as they are, and their
// stems differ from each other.
std::vector<std::string> make_vocabulary(std::size_t size) {
  const std::string consonants = "bdfgklmnprstvz";
  const std::string vowels = "aeiou";
  std::vector<std::string> words;
  for (std::size_t i = 0; words.size() < size; ++i) {
    std::string word;
    for (std::size_t k = i + 1; k > 0; k /= 70) {
      word += consonants[k % 14];
      word += vowels[k / 14 % 5];
    }
    word += "x";
    words.push_back(word);
  }
  return words;
}

class PhrasePairsSearchTest : public ::testing::Test {
 protected:
  static constexpr std::size_t kDocuments = 300;

  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(testing::make_temp_dir("phrase-pairs"));
    schema_ = new Schema(Schema::load(testing::source_path("schemas")));
    analyzer_ = new Analyzer();
    texts_ = new std::vector<std::vector<std::string>>();
    // More words than CommonWords::kCommonWords, drawn by a Zipf law, so
    // that phrases mix common and rarer words.
    const std::vector<std::string> vocabulary = make_vocabulary(3 * CommonWords::kCommonWords);
    std::vector<double> weights;
    for (std::size_t r = 0; r < vocabulary.size(); ++r) weights.push_back(1.0 / (static_cast<double>(r) + 2.0));
    std::discrete_distribution<std::size_t> draw(weights.begin(), weights.end());
    std::mt19937 random(20261206);
    IndexWriter writer((*dir_ / "idx").string(), *analyzer_, *schema_, {});
    for (std::size_t d = 0; d < kDocuments; ++d) {
      std::vector<std::string> words(20 + random() % 80);
      for (std::string& word : words) word = vocabulary[draw(random)];
      SourceDocument doc;
      doc.id = "d" + std::to_string(d);
      doc.source = doc.id;
      doc.title = "report";
      for (const std::string& word : words) doc.text += word + " ";
      writer.add(doc);
      texts_->push_back(std::move(words));
    }
    writer.commit();
    db_ = new Xapian::Database((*dir_ / "idx").string());
    common_ = new CommonWords(CommonWords::parse(db_->get_metadata(metadata_key::kCommonWords)));
    extractor_ = new FieldExtractor(*schema_, *analyzer_);
  }
  static void TearDownTestSuite() {
    delete extractor_;
    delete common_;
    delete db_;
    delete texts_;
    delete analyzer_;
    delete schema_;
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }

  static Xapian::Query bind(const std::string& query, const CommonWords* common) {
    BindOptions options;
    options.schema = schema_;
    options.extractor = extractor_;
    options.common_words = common;
    return bind_query(parse_query_syntax(query), *analyzer_, *db_, options).query;
  }

  // Documents (docid = index + 1) whose text holds `phrase` at consecutive
  // positions.
  static std::set<Xapian::docid> scanned(const std::vector<std::string>& phrase) {
    std::set<Xapian::docid> found;
    for (std::size_t d = 0; d < texts_->size(); ++d) {
      const std::vector<std::string>& words = (*texts_)[d];
      if (std::search(words.begin(), words.end(), phrase.begin(), phrase.end()) != words.end()) {
        found.insert(static_cast<Xapian::docid>(d + 1));
      }
    }
    return found;
  }

  static std::vector<std::pair<Xapian::docid, double>> ranked(const Xapian::Query& query) {
    Xapian::Enquire enquire(*db_);
    enquire.set_query(query);
    enquire.set_weighting_scheme(Xapian::BM25Weight());
    const Xapian::MSet mset = enquire.get_mset(0, db_->get_doccount(), db_->get_doccount());
    std::vector<std::pair<Xapian::docid, double>> out;
    for (auto it = mset.begin(); it != mset.end(); ++it) out.emplace_back(*it, it.get_weight());
    return out;
  }

  static std::filesystem::path* dir_;
  static Schema* schema_;
  static Analyzer* analyzer_;
  static std::vector<std::vector<std::string>>* texts_;
  static Xapian::Database* db_;
  static CommonWords* common_;
  static FieldExtractor* extractor_;
};

std::filesystem::path* PhrasePairsSearchTest::dir_ = nullptr;
Schema* PhrasePairsSearchTest::schema_ = nullptr;
Analyzer* PhrasePairsSearchTest::analyzer_ = nullptr;
std::vector<std::vector<std::string>>* PhrasePairsSearchTest::texts_ = nullptr;
Xapian::Database* PhrasePairsSearchTest::db_ = nullptr;
CommonWords* PhrasePairsSearchTest::common_ = nullptr;
FieldExtractor* PhrasePairsSearchTest::extractor_ = nullptr;

TEST_F(PhrasePairsSearchTest, TheBuildChoseCommonWordsAndIndexedTheirPairs) {
  EXPECT_GE(common_->size(), 5u);
  EXPECT_LE(common_->size(), CommonWords::kCommonWords);
  EXPECT_NE(db_->allterms_begin(std::string(prefix::kPair)), db_->allterms_end(std::string(prefix::kPair)));
}

TEST_F(PhrasePairsSearchTest, PhrasesMatchAsScannedAndRankAsWithoutPairs) {
  std::mt19937 random(6);
  std::size_t with_pairs = 0;
  std::size_t matching = 0;
  constexpr std::size_t kPhrases = 400;
  for (std::size_t n = 0; n < kPhrases; ++n) {
    // Mostly a stretch of a document (it matches), sometimes words of
    // different documents (it mostly does not).
    const std::size_t length = 2 + random() % 4;
    std::vector<std::string> phrase;
    const std::vector<std::string>& source = (*texts_)[random() % texts_->size()];
    const std::size_t start = random() % (source.size() - length);
    for (std::size_t i = 0; i < length; ++i) {
      phrase.push_back(n % 4 == 3 ? (*texts_)[random() % texts_->size()][i] : source[start + i]);
    }
    std::string text = "\"";
    for (const std::string& word : phrase) text += word + " ";
    text.back() = '"';

    const Xapian::Query paired = bind(text, common_);
    const Xapian::Query plain = bind(text, nullptr);
    const std::set<std::string> terms(paired.get_terms_begin(), paired.get_terms_end());
    if (std::any_of(terms.begin(), terms.end(), [](const std::string& t) { return t.starts_with(prefix::kPair); })) {
      ++with_pairs;
    }
    const std::set<Xapian::docid> expected = scanned(phrase);
    if (!expected.empty()) ++matching;

    const auto paired_ranking = ranked(paired);
    const auto plain_ranking = ranked(plain);
    std::set<Xapian::docid> paired_docs;
    for (const auto& [did, weight] : paired_ranking) paired_docs.insert(did);
    // The title ("report") never holds a phrase of body words.
    EXPECT_EQ(paired_docs, expected) << text;
    ASSERT_EQ(paired_ranking.size(), plain_ranking.size()) << text;
    for (std::size_t i = 0; i < paired_ranking.size(); ++i) {
      EXPECT_EQ(paired_ranking[i].first, plain_ranking[i].first) << text << " rank " << i;
      EXPECT_NEAR(paired_ranking[i].second, plain_ranking[i].second, 1e-9) << text << " rank " << i;
    }
    const std::optional<DocSet> set = evaluate_match_set(*db_, paired);
    ASSERT_TRUE(set.has_value()) << text;
    std::set<Xapian::docid> set_docs;
    set->for_each([&](Xapian::docid did) { set_docs.insert(did); });
    EXPECT_EQ(set_docs, expected) << text;
  }
  // The comparison means something only if pairs were read and phrases matched.
  EXPECT_GT(with_pairs, kPhrases / 8);
  EXPECT_GT(matching, kPhrases / 2);
}

}  // namespace
}  // namespace policy
