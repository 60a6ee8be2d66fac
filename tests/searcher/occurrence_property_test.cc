// Occurrences and KWIC lines against an independent count (issue 22): for
// hundreds of generated queries whose parts overlap (a word OR its prefix,
// repeated words, a phrase and one of its words, NEAR over words also in
// the query), Searcher::count must report the documents, occurrences, KWIC
// lines and per-year tallies that a direct evaluation over the cleaned
// texts gives.
//
// The model below evaluates the query tree itself, on tokens of the stored
// text, without Xapian's posting or position lists and without the
// binder's highlight units:
//   word w      tokens whose stem is w's stem
//   p*          tokens whose exact form starts with p
//   te?m, t*m   tokens whose exact form matches the pattern (? one
//               character, * any run)
//   "a b"       consecutive tokens with exactly these forms
//   "a b"~0     consecutive tokens with these stems
//   a NEAR/n b  matches a document where one of each word lies within a
//               stretch of n + 2 positions; its occurrences are each word's
//               (README: "hits of the query's words")
//   AND/OR/NOT  on documents; occurrences are those of every positive leaf
// and an occurrence is a maximal run of overlapping spans.

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "indexer/document_reader.h"
#include "indexer/index_writer.h"

#include "searcher/searcher.h"

#include "tests/support/test_support.h"

namespace policy {
namespace {

// Words with inflections that share an English stem, and fillers.
const std::vector<std::vector<std::string>> kFamilies = {
    {"debt", "debts"},
    {"tax", "taxes"},
    {"slave", "slaves"},
    {"slavery"},
    {"trade", "trades", "trading"},
    {"war", "wars"},
    {"envoy", "envoys"},
    {"nation", "national", "nations"},
    {"green", "greener"},
    {"energy", "energies"},
    {"the"},
    {"of"},
    {"and"},
    {"policy"},
};

struct ModelQuery {
  enum class Kind { kWord, kPrefix, kPattern, kPhrase, kInflectedPhrase, kNear, kAnd, kOr, kNot };
  Kind kind = Kind::kWord;
  std::vector<std::string> words;  // kWord: 1; kPrefix: the prefix; kPhrase, kNear: 2+
  unsigned distance = 0;           // kNear
  std::vector<ModelQuery> children;

  std::string text() const {
    switch (kind) {
      case Kind::kWord:
        return words[0];
      case Kind::kPrefix:
        return words[0] + "*";
      case Kind::kPattern:
        return words[0];
      case Kind::kPhrase:
      case Kind::kInflectedPhrase: {
        std::string out = "\"";
        for (std::size_t i = 0; i < words.size(); ++i) out += (i ? " " : "") + words[i];
        return out + (kind == Kind::kPhrase ? "\"" : "\"~0");
      }
      case Kind::kNear:
        return words[0] + " NEAR/" + std::to_string(distance) + " " + words[1];
      case Kind::kNot:
        return "-(" + children[0].text() + ")";
      case Kind::kAnd:
      case Kind::kOr: {
        std::string out = "(";
        for (std::size_t i = 0; i < children.size(); ++i) {
          if (i) out += kind == Kind::kAnd ? " AND " : " OR ";
          out += children[i].text();
        }
        return out + ")";
      }
    }
    return "";
  }
};

struct Span {
  std::uint32_t first, last;
};

struct ModelDocument {
  std::string id;
  int year = 0;
  std::vector<Token> tokens;
  std::vector<std::string> stems;
};

class OccurrenceModel {
 public:
  explicit OccurrenceModel(const Analyzer& analyzer) : analyzer_(analyzer) {}

  bool matches(const ModelQuery& q, const ModelDocument& d) const {
    switch (q.kind) {
      case ModelQuery::Kind::kWord:
      case ModelQuery::Kind::kPrefix:
      case ModelQuery::Kind::kPattern:
      case ModelQuery::Kind::kPhrase:
      case ModelQuery::Kind::kInflectedPhrase:
        return !leaf_spans(q, d).empty();
      case ModelQuery::Kind::kNear: {
        const std::vector<Span> a = word_spans(q.words[0], d), b = word_spans(q.words[1], d);
        for (const Span& x : a) {
          for (const Span& y : b) {
            const std::uint32_t lo = std::min(x.first, y.first), hi = std::max(x.first, y.first);
            if (x.first != y.first && hi - lo < q.distance + 2) return true;
          }
        }
        return false;
      }
      case ModelQuery::Kind::kNot:
        return !matches(q.children[0], d);
      case ModelQuery::Kind::kAnd:
        return std::all_of(q.children.begin(), q.children.end(), [&](const ModelQuery& c) { return matches(c, d); });
      case ModelQuery::Kind::kOr:
        return std::any_of(q.children.begin(), q.children.end(), [&](const ModelQuery& c) { return matches(c, d); });
    }
    return false;
  }

  // Every span of every positive leaf, as found.
  std::vector<Span> spans(const ModelQuery& q, const ModelDocument& d) const {
    std::vector<Span> spans;
    collect(q, d, spans);
    return spans;
  }

  // The same, merged where spans overlap.
  std::vector<Span> occurrences(const ModelQuery& q, const ModelDocument& d) const {
    std::vector<Span> spans = this->spans(q, d);
    std::sort(spans.begin(), spans.end(),
              [](const Span& a, const Span& b) { return std::tie(a.first, a.last) < std::tie(b.first, b.last); });
    std::vector<Span> merged;
    for (const Span& s : spans) {
      if (!merged.empty() && s.first <= merged.back().last) {
        merged.back().last = std::max(merged.back().last, s.last);
      } else {
        merged.push_back(s);
      }
    }
    return merged;
  }

 private:
  void collect(const ModelQuery& q, const ModelDocument& d, std::vector<Span>& out) const {
    switch (q.kind) {
      case ModelQuery::Kind::kNot:
        return;
      case ModelQuery::Kind::kNear:
        for (const std::string& w : q.words) {
          for (const Span& s : word_spans(w, d)) out.push_back(s);
        }
        return;
      case ModelQuery::Kind::kAnd:
      case ModelQuery::Kind::kOr:
        for (const ModelQuery& c : q.children) collect(c, d, out);
        return;
      default:
        for (const Span& s : leaf_spans(q, d)) out.push_back(s);
    }
  }

  std::vector<Span> word_spans(const std::string& word, const ModelDocument& d) const {
    const std::string stem = analyzer_.stem(word);
    std::vector<Span> spans;
    for (std::uint32_t i = 0; i < d.tokens.size(); ++i) {
      if (d.stems[i] == stem) spans.push_back({i, i});
    }
    return spans;
  }

  std::vector<Span> leaf_spans(const ModelQuery& q, const ModelDocument& d) const {
    if (q.kind == ModelQuery::Kind::kWord) return word_spans(q.words[0], d);
    std::vector<Span> spans;
    if (q.kind == ModelQuery::Kind::kPrefix || q.kind == ModelQuery::Kind::kPattern) {
      for (std::uint32_t i = 0; i < d.tokens.size(); ++i) {
        const bool match = q.kind == ModelQuery::Kind::kPrefix ? d.tokens[i].term.starts_with(q.words[0])
                                                               : glob(q.words[0], d.tokens[i].term);
        if (match) spans.push_back({i, i});
      }
      return spans;
    }
    const bool inflected = q.kind == ModelQuery::Kind::kInflectedPhrase;
    const std::size_t n = q.words.size();
    for (std::uint32_t i = 0; i + n <= d.tokens.size(); ++i) {
      bool whole = true;
      for (std::size_t k = 0; k < n && whole; ++k) {
        whole = inflected ? d.stems[i + k] == analyzer_.stem(q.words[k]) : d.tokens[i + k].term == q.words[k];
      }
      if (whole) spans.push_back({i, static_cast<std::uint32_t>(i + n - 1)});
    }
    return spans;
  }

  // ASCII patterns: '?' one character, '*' any run.
  static bool glob(std::string_view pattern, std::string_view word) {
    if (pattern.empty()) return word.empty();
    if (pattern[0] == '*') {
      for (std::size_t skip = 0; skip <= word.size(); ++skip) {
        if (glob(pattern.substr(1), word.substr(skip))) return true;
      }
      return false;
    }
    return !word.empty() && (pattern[0] == '?' || pattern[0] == word[0]) && glob(pattern.substr(1), word.substr(1));
  }

  const Analyzer& analyzer_;
};

class QueryGenerator {
 public:
  QueryGenerator(std::mt19937& random, const std::vector<ModelDocument>& documents)
      : random_(random), documents_(documents) {}

  // One query of a shape whose parts overlap, or a random mix.
  ModelQuery next() {
    const std::string w = any_word(), v = any_word();
    switch (pick(9)) {
      case 0:  // a word OR its prefix
        return any_of({word(w), prefix_of(w)});
      case 1:  // repeated words, joined by AND or OR
        return pick(2) ? all_of({word(w), word(w)}) : any_of({word(w), word(inflection_of(w)), word(w)});
      case 2: {  // a phrase and one of its words
        ModelQuery phrase = phrase_from_text();
        const std::string part = phrase.words[pick(phrase.words.size())];
        return pick(2) ? any_of({phrase, word(part)}) : all_of({word(part), phrase});
      }
      case 3: {  // NEAR over words also in the query
        ModelQuery near{ModelQuery::Kind::kNear, {w, v}, static_cast<unsigned>(pick(6)), {}};
        if (w == v) near.words[1] = w == "debt" ? "tax" : "debt";
        return pick(2) ? any_of({near, word(w)}) : all_of({near, prefix_of(near.words[1])});
      }
      case 4: {  // a phrase and a prefix of its first word
        ModelQuery phrase = phrase_from_text();
        return any_of({prefix_of(phrase.words[0]), phrase});
      }
      case 7: {  // a phrase in any inflection and one of its words, or the exact phrase
        ModelQuery phrase = phrase_from_text();
        ModelQuery inflected = phrase;
        inflected.kind = ModelQuery::Kind::kInflectedPhrase;
        for (std::string& word : inflected.words) word = inflection_of(word);
        return pick(2) ? any_of({inflected, word(phrase.words[pick(phrase.words.size())])})
                       : any_of({inflected, phrase});
      }
      case 8:  // a pattern and the word it comes from, or its prefix
        return pick(2) ? any_of({pattern_of(w), word(w)}) : all_of({pattern_of(w), prefix_of(w)});
      case 5:  // with a negated part
        return all_of({any_of({word(w), prefix_of(w)}), ModelQuery{ModelQuery::Kind::kNot, {}, 0, {word(v)}}});
      default: {  // a random OR/AND of two to four leaves
        std::vector<ModelQuery> leaves;
        const std::size_t n = 2 + pick(3);
        for (std::size_t i = 0; i < n; ++i) {
          switch (pick(3)) {
            case 0:
              leaves.push_back(word(any_word()));
              break;
            case 1:
              leaves.push_back(prefix_of(any_word()));
              break;
            default:
              leaves.push_back(phrase_from_text());
          }
        }
        return pick(3) ? any_of(std::move(leaves)) : all_of(std::move(leaves));
      }
    }
  }

 private:
  std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(random_); }

  std::string any_word() {
    const auto& family = kFamilies[pick(kFamilies.size() - 4)];  // not a filler
    return family[pick(family.size())];
  }
  std::string inflection_of(const std::string& w) {
    for (const auto& family : kFamilies) {
      if (std::find(family.begin(), family.end(), w) != family.end()) return family[pick(family.size())];
    }
    return w;
  }
  static ModelQuery word(const std::string& w) { return {ModelQuery::Kind::kWord, {w}, 0, {}}; }
  ModelQuery prefix_of(const std::string& w) {
    const std::size_t length = std::min(w.size(), 2 + pick(w.size() - 1));
    return {ModelQuery::Kind::kPrefix, {w.substr(0, length)}, 0, {}};
  }
  // The word with a letter between its first and last turned into '?', or
  // a stretch after the first letter into '*'.
  ModelQuery pattern_of(const std::string& w) {
    std::string pattern = w;
    if (w.size() < 3) return word(w);
    if (pick(2)) {
      pattern[1 + pick(w.size() - 2)] = '?';  // never last: a final '?' is a question mark
    } else {
      const std::size_t at = 1 + pick(w.size() - 1);
      const std::size_t length = 1 + pick(w.size() - at);
      pattern.replace(at, length, "*");
    }
    return {ModelQuery::Kind::kPattern, {pattern}, 0, {}};
  }
  static ModelQuery any_of(std::vector<ModelQuery> children) { return {ModelQuery::Kind::kOr, {}, 0, children}; }
  static ModelQuery all_of(std::vector<ModelQuery> children) { return {ModelQuery::Kind::kAnd, {}, 0, children}; }

  // Two or three consecutive words of some document, so that most phrases match.
  ModelQuery phrase_from_text() {
    const ModelDocument& d = documents_[pick(documents_.size())];
    const std::size_t n = 2 + pick(2);
    const std::size_t start = pick(d.tokens.size() - n);
    ModelQuery phrase{ModelQuery::Kind::kPhrase, {}, 0, {}};
    for (std::size_t k = 0; k < n; ++k) phrase.words.push_back(d.tokens[start + k].term);
    return phrase;
  }

  std::mt19937& random_;
  const std::vector<ModelDocument>& documents_;
};

class OccurrencePropertyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(testing::make_temp_dir("occurrence-property"));
    const Schema schema = Schema::load(testing::source_path("schemas"));
    Analyzer analyzer;
    IndexWriter writer(index(), analyzer, schema, {});
    std::mt19937 random(20261205);
    for (int i = 0; i < 120; ++i) {
      SourceDocument doc;
      doc.id = "doc" + std::to_string(i);
      doc.title = "Record " + std::to_string(i);
      doc.metadata["year"] = 2001 + i % 4;
      const int words = std::uniform_int_distribution<int>(15, 90)(random);
      for (int w = 0; w < words; ++w) {
        const auto& family = kFamilies[std::uniform_int_distribution<std::size_t>(0, kFamilies.size() - 1)(random)];
        doc.text += family[std::uniform_int_distribution<std::size_t>(0, family.size() - 1)(random)];
        // Lines of ten words, each its own sentence, so no line repeats
        // another (the cleaner drops repeated lines) and no word is split.
        doc.text += w % 10 == 9 ? ".\n" : " ";
      }
      doc.text += "\n";
      doc.source = doc.id;
      writer.add(doc);
    }
    writer.commit();
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }
  static std::string index() { return (*dir_ / "idx").string(); }
  static std::filesystem::path* dir_;
};

std::filesystem::path* OccurrencePropertyTest::dir_ = nullptr;

TEST_F(OccurrencePropertyTest, CountsEqualAnIndependentSpanCount) {
  Searcher searcher(index());
  const Analyzer& analyzer = searcher.analyzer();
  // The model's word rule is "same stem": no word of the vocabulary may be
  // another's stem while having a stem of its own (the binder also matches
  // the stem as a word).
  for (const auto& family : kFamilies) {
    for (const std::string& w : family) {
      ASSERT_EQ(analyzer.stem(analyzer.stem(w)), analyzer.stem(w)) << w;
    }
  }

  std::vector<ModelDocument> documents;
  for (int i = 0; i < 120; ++i) {
    const std::string id = "doc" + std::to_string(i);
    const std::optional<DocumentView> view = searcher.document(id, "");
    ASSERT_TRUE(view) << id;
    ModelDocument d{id, 2001 + i % 4, analyzer.analyze(view->document.text), {}};
    for (const Token& t : d.tokens) d.stems.push_back(analyzer.stem(t.term));
    documents.push_back(std::move(d));
  }

  const OccurrenceModel model(analyzer);
  std::mt19937 random(22);
  QueryGenerator generator(random, documents);
  std::size_t with_overlap = 0;
  for (int i = 0; i < 400; ++i) {
    const ModelQuery query = generator.next();
    SCOPED_TRACE(query.text());

    std::uint64_t documents_expected = 0, occurrences_expected = 0, spans_before_merging = 0;
    std::map<std::string, std::uint64_t> per_year;
    std::set<std::pair<std::string, std::uint32_t>> lines_expected;
    for (const ModelDocument& d : documents) {
      if (!model.matches(query, d)) continue;
      ++documents_expected;
      const std::vector<Span> spans = model.occurrences(query, d);
      occurrences_expected += spans.size();
      per_year[std::to_string(d.year)] += spans.size();
      for (const Span& s : spans) lines_expected.emplace(d.id, d.tokens[s.first].begin);
      spans_before_merging += model.spans(query, d).size();
    }

    CountRequest request;
    request.query = query.text();
    request.kwic = true;
    const MatchCounts counted = searcher.count(request);
    ASSERT_EQ(counted.documents, documents_expected);
    ASSERT_EQ(counted.occurrences, occurrences_expected);
    std::set<std::pair<std::string, std::uint32_t>> lines;
    for (const KwicLine& line : counted.kwic) lines.emplace(line.doc_id, line.begin);
    ASSERT_EQ(counted.kwic.size(), occurrences_expected) << "a KWIC line twice";
    ASSERT_EQ(lines, lines_expected);
    std::erase_if(per_year, [](const auto& kv) { return kv.second == 0; });
    const auto occurrences_per_year = [](const MatchCounts& counts) {
      std::map<std::string, std::uint64_t> tallied;
      for (const FieldCounts& field : counts.counts) {
        if (field.field != "year") continue;
        for (const ValueCount& v : field.values) {
          if (v.occurrences) tallied[v.key] = v.occurrences;
        }
      }
      return tallied;
    };
    ASSERT_EQ(occurrences_per_year(counted), per_year);
    // Without concordance lines, the count may add up term frequencies
    // instead of reading positions (Searcher::count): the same numbers.
    request.kwic = false;
    const MatchCounts summed = searcher.count(request);
    ASSERT_EQ(summed.documents, documents_expected);
    ASSERT_EQ(summed.occurrences, occurrences_expected);
    ASSERT_EQ(occurrences_per_year(summed), per_year);
    if (spans_before_merging > occurrences_expected) ++with_overlap;
  }
  // The generator is meant to produce overlapping parts; most queries must.
  EXPECT_GT(with_overlap, 200u);
}

}  // namespace
}  // namespace policy
