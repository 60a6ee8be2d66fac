#include "searcher/query_binder.h"

#include <algorithm>
#include <iterator>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_set>

#include "core/index_layout.h"
#include "core/stopwords.h"
#include "core/utf8.h"

#include "searcher/filter_values.h"
#include "searcher/near_match.h"
#include "searcher/span_weight.h"

namespace policy {
namespace {

// Every document. Not a copy of the static Xapian::Query::MatchAll: its
// reference count is not safe to change from several threads (xapian/query.h),
// and the HTTP server binds queries on several.
Xapian::Query match_all() { return Xapian::Query(std::string()); }

class Binder {
 public:
  Binder(const Analyzer& analyzer, const Xapian::Database& db, const BindOptions& options)
      : analyzer_(analyzer),
        db_(db),
        options_(options),
        languages_(stem_languages()),
        known_acronyms_(std::begin(kEverydayWordAcronyms), std::end(kEverydayWordAcronyms)) {
    if (options_.schema) {
      for (const Organisation& organisation : options_.schema->organisations()) {
        known_acronyms_.insert(organisation.acronyms.begin(), organisation.acronyms.end());
      }
    }
  }

  // nullopt: the node holds nothing searchable (e.g. a lone "&").
  std::optional<Xapian::Query> bind(const QueryNode& node, bool positive) {
    const double outer_boost = boost_;
    boost_ *= node.boost;
    std::optional<Xapian::Query> query = bind_unboosted(node, positive);
    boost_ = outer_boost;
    if (query && node.boost != 1.0) query = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, *query, node.boost);
    return query;
  }

  BoundQuery take(Xapian::Query query) {
    std::sort(expansions_.begin(), expansions_.end(), [](const QueryExpansion& a, const QueryExpansion& b) {
      return std::tie(a.typed, a.kind) < std::tie(b.typed, b.kind);
    });
    expansions_.erase(std::unique(expansions_.begin(), expansions_.end(),
                                  [](const QueryExpansion& a, const QueryExpansion& b) {
                                    return a.typed == b.typed && a.kind == b.kind;
                                  }),
                      expansions_.end());
    // A unit the same as an earlier one (a word in several ORed NEARs) would
    // only find the same spans again, in every document highlighted.
    std::vector<HighlightUnit> highlights;
    std::set<std::vector<std::vector<std::string>>> seen;
    for (HighlightUnit& unit : highlights_) {
      if (seen.insert(unit.slots).second) highlights.push_back(std::move(unit));
    }
    return BoundQuery{std::move(query), std::move(highlights), std::move(expansions_), std::move(parts_)};
  }

 private:
  using Slot = std::vector<std::string>;  // the exact terms that may stand at one position

  std::optional<Xapian::Query> bind_unboosted(const QueryNode& node, bool positive) {
    switch (node.kind) {
      case QueryNode::Kind::kWord:
      case QueryNode::Kind::kPhrase: {
        const std::vector<QueryNode> equivalents = synonyms_of(node);
        if (!equivalents.empty()) return bind_with_synonyms(node, equivalents, positive);
        return scored(node, positive, bind_leaf(node, positive));
      }
      case QueryNode::Kind::kWildcard:
      case QueryNode::Kind::kPattern:
      case QueryNode::Kind::kFuzzy:
      case QueryNode::Kind::kProximity:
        return scored(node, positive, bind_leaf(node, positive));
      case QueryNode::Kind::kAnd:
        return bind_and(node, positive);
      case QueryNode::Kind::kOr: {
        std::vector<Xapian::Query> parts;
        for (const QueryNode& child : node.children) {
          if (auto q = bind(child, positive)) parts.push_back(std::move(*q));
        }
        if (parts.empty()) return std::nullopt;
        return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
      }
      case QueryNode::Kind::kNot: {
        auto negated = bind(node.children.at(0), !positive);
        if (!negated) return std::nullopt;
        return Xapian::Query(Xapian::Query::OP_AND_NOT, match_all(), *negated);
      }
      case QueryNode::Kind::kNear:
        return scored(node, positive, bind_near(node, positive));
    }
    return std::nullopt;
  }

  // The equivalents of a word or phrase (synonyms.h); none for a filter.
  std::vector<QueryNode> synonyms_of(const QueryNode& node) {
    if (options_.synonyms == nullptr || filter_field(node) != nullptr) return {};
    return options_.synonyms->equivalents(node);
  }

  // OR of a leaf and its equivalents, each a leaf of its own for scores
  // and highlights.
  std::optional<Xapian::Query> bind_with_synonyms(const QueryNode& node, const std::vector<QueryNode>& equivalents,
                                                  bool positive) {
    QueryExpansion widened{"synonym", node.text, {}, {}};
    std::vector<Xapian::Query> parts;
    if (auto own = scored(node, positive, bind_leaf(node, positive))) parts.push_back(std::move(*own));
    for (const QueryNode& equivalent : equivalents) {
      const bool phrase = equivalent.kind == QueryNode::Kind::kPhrase;
      widened.terms.push_back(phrase ? "\"" + equivalent.text + "\"" : equivalent.text);
      auto part = scored(equivalent, positive, bind_leaf(equivalent, positive));
      widened.term_queries.push_back(part ? *part : Xapian::Query());
      if (part) parts.push_back(std::move(*part));
    }
    expansions_.push_back(std::move(widened));
    if (parts.empty()) return std::nullopt;
    return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
  }

  // The body terms of a leaf's words: each word's term, or its acronym
  // term (index_layout.h) for a word that searches the acronym only (see
  // query_binder.h); `acronyms` false: always the word's term.
  std::vector<std::string> terms_of(const QueryNode& node, bool acronyms = true) {
    std::vector<std::string> terms;
    for (Token& t : analyzer_.analyze(node.text)) {
      if (acronyms && searches_acronym_only(node.text, t)) {
        std::string acronym = acronym_term(t.term);
        // The terms searched: the title's alone under title:, else the
        // body's, which count the title's words too (index_layout.h).
        expansions_.push_back(QueryExpansion{"acronym",
                                             node.text.substr(t.begin, t.end - t.begin),
                                             {node.field == "title" ? std::string(prefix::kTitle) + acronym : acronym},
                                             {}});
        terms.push_back(std::move(acronym));
      } else {
        terms.push_back(std::move(t.term));
      }
    }
    return terms;
  }

  bool searches_acronym_only(std::string_view text, const Token& token) const {
    if (!token.acronym) return false;
    std::string_view written = text.substr(token.begin, token.end - token.begin);
    if (written.find('.') != std::string_view::npos) return true;  // dotted capitals
    for (std::string_view possessive : {"'s", "\u2019s"}) {
      if (written.ends_with(possessive)) written.remove_suffix(possessive.size());
    }
    return known_acronyms_.contains(std::string(written));
  }

  static bool is_acronym_term(const std::string& term) { return term.starts_with(prefix::kAcronym); }

 public:
  // Stopwords weigh nothing when the option is on, the index's default
  // language is English and the query has a positive leaf that weighs (a
  // query of stopwords alone, "to be or not to be", is ranked by them).
  void decide_stopwords(const QueryNode& root) {
    weightless_stopwords_ = options_.weightless_stopwords && analyzer_.default_language() == "en" && weighs(root);
  }

 private:
  // Whether `node` is an unquoted word of the body that is an English
  // stopword (written in capitals as an acronym, it is not).
  bool is_stopword_word(const QueryNode& node) const {
    if (node.kind != QueryNode::Kind::kWord || !node.field.empty()) return false;
    const std::vector<Token> tokens = analyzer_.analyze(node.text);
    return tokens.size() == 1 && !tokens[0].acronym && is_english_stopword(tokens[0].term);
  }

  // Whether `node` weighs nothing (decide_stopwords).
  bool weightless_word(const QueryNode& node) const { return weightless_stopwords_ && is_stopword_word(node); }

  // Whether some positive leaf under `node` would weigh if stopwords did not.
  bool weighs(const QueryNode& node) const {
    switch (node.kind) {
      case QueryNode::Kind::kNot:
        return false;
      case QueryNode::Kind::kAnd:
      case QueryNode::Kind::kOr:
        return std::any_of(node.children.begin(), node.children.end(), [&](const QueryNode& c) { return weighs(c); });
      case QueryNode::Kind::kWord:
        return node.field == "title" || (node.field.empty() && !is_stopword_word(node));
      default:  // phrases, NEAR, wildcards, ...: every word weighs
        return node.field.empty() || node.field == "title";
    }
  }

  // Records a positive leaf's body and title parts for explaining scores:
  // a word's or wildcard's OR(body, scaled title) is split in two.
  std::optional<Xapian::Query> scored(const QueryNode& node, bool positive, std::optional<Xapian::Query> query) {
    const bool filter = !node.field.empty() && node.field != "title";
    if (!query || !positive || filter) return query;
    ScoredPart part{describe(node), *query, Xapian::Query()};
    if (weightless_word(node)) part.label += " (stopword: weighs nothing)";
    if (node.field == "title") {
      std::swap(part.body, part.title);
    } else if (query->get_type() == Xapian::Query::OP_OR && query->get_num_subqueries() == 2 &&
               query->get_subquery(1).get_type() == Xapian::Query::OP_SCALE_WEIGHT) {
      part.body = query->get_subquery(0);
      part.title = query->get_subquery(1);
    }
    // A boost on the part or on a group around it scales both halves.
    if (boost_ != 1.0) {
      for (Xapian::Query* half : {&part.body, &part.title}) {
        if (!half->empty()) *half = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, *half, boost_);
      }
    }
    parts_.push_back(std::move(part));
    return query;
  }

  // The schema field a leaf filters on, nullptr for the text fields
  // ("" and "title"); throws for an unknown field.
  const FieldSpec* filter_field(const QueryNode& node) {
    if (node.field.empty() || node.field == "title") return nullptr;
    if (options_.schema) {
      if (const FieldSpec* field = options_.schema->field(node.field)) return field;
    }
    std::string known = "title";
    if (options_.schema) {
      for (const FieldSpec& f : options_.schema->fields()) known += ", " + f.name;
    }
    throw QueryError("unknown field '" + node.field + "'", node.position,
                     "known fields: " + known + "; to search for the text itself, put it in quotes: \"" + node.field +
                         ":" + node.text + "\"");
  }

  Xapian::Query title_scaled(Xapian::Query q) const {
    return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q, options_.title_weight);
  }

  // The languages a word is stemmed in: BindOptions::languages, the
  // default one as "" (stem_synonym_key's name for it); the default alone
  // when none are given.
  std::vector<std::string> stem_languages() const {
    std::vector<std::string> languages;
    for (const std::string& language : options_.languages) {
      languages.push_back(language == analyzer_.default_language() ? std::string() : language);
    }
    if (languages.empty()) languages.emplace_back();
    std::sort(languages.begin(), languages.end());
    languages.erase(std::unique(languages.begin(), languages.end()), languages.end());
    return languages;
  }

  // The distinct stems of `word` in the languages it is searched in.
  std::vector<std::string> stems_of(const std::string& word) const {
    std::vector<std::string> stems;
    for (const std::string& language : languages_) stems.push_back(analyzer_.stem(word, language));
    std::sort(stems.begin(), stems.end());
    stems.erase(std::unique(stems.begin(), stems.end()), stems.end());
    return stems;
  }

  // Exact body words that share a stem with `typed` in a language it is
  // searched in: the union of each language's synonym-table entries for
  // its stem (which hold the words that differ from it), and the stem
  // itself when it is a word of that stem ("computerized" stems to
  // "computer", a word of another stem, "comput"). `record`: list the
  // expansion for --explain.
  std::vector<std::string> variants_of(const std::string& typed, bool record = true) {
    std::vector<std::string> variants{typed};
    for (const std::string& language : languages_) {
      const std::string stem = analyzer_.stem(typed, language);
      if (analyzer_.stem(stem, language) == stem) variants.push_back(stem);
      const std::string key = stem_synonym_key(language, stem);
      for (auto it = db_.synonyms_begin(key); it != db_.synonyms_end(key); ++it) variants.push_back(*it);
    }
    std::sort(variants.begin(), variants.end());
    variants.erase(std::unique(variants.begin(), variants.end()), variants.end());
    if (record) expansions_.push_back(QueryExpansion{"stem", typed, variants, {}});
    return variants;
  }

  // Title words with a stem of `typed` (ZS terms, each document's stemmed
  // in its language), weighted as one term.
  Xapian::Query stemmed_title(const std::string& typed) const {
    std::vector<Xapian::Query> terms;
    for (const std::string& stem : stems_of(typed)) terms.emplace_back(std::string(prefix::kStemmedTitle) + stem);
    if (terms.size() == 1) return terms[0];
    return Xapian::Query(Xapian::Query::OP_SYNONYM, terms.begin(), terms.end());
  }

  std::vector<std::string> expand_wildcard(const std::string& prefix, const QueryNode& node) {
    std::vector<std::string> expansion;
    for (auto it = db_.allterms_begin(prefix); it != db_.allterms_end(prefix); ++it) {
      if (expansion.size() == options_.max_wildcard_terms) {
        throw QueryError(
            "wildcard '" + node.text + "*' matches more than " + std::to_string(options_.max_wildcard_terms) + " words",
            node.position, "make the prefix longer");
      }
      expansion.push_back(*it);
    }
    return expansion;
  }

  // The code points of `text`, each as its UTF-8 bytes (terms are valid UTF-8).
  static std::vector<std::string_view> code_points(std::string_view text) {
    std::vector<std::string_view> points;
    for (std::size_t i = 0; i < text.size();) {
      const std::size_t length = std::max<std::size_t>(1, utf8_sequence_length(text, i));
      points.push_back(text.substr(i, length));
      i += length;
    }
    return points;
  }

  // Whether `word` matches `pattern`, code point by code point: "?" one,
  // "*" any number.
  static bool glob_matches(const std::vector<std::string_view>& pattern, const std::vector<std::string_view>& word) {
    std::size_t p = 0, w = 0, star = std::string::npos, resume = 0;
    while (w < word.size()) {
      if (p < pattern.size() && (pattern[p] == "?" || pattern[p] == word[w])) {
        ++p;
        ++w;
      } else if (p < pattern.size() && pattern[p] == "*") {
        star = p++;
        resume = w;
      } else if (star != std::string::npos) {
        p = star + 1;
        w = ++resume;
      } else {
        return false;
      }
    }
    while (p < pattern.size() && pattern[p] == "*") ++p;
    return p == pattern.size();
  }

  // The exact words (with `term_prefix`) that a PATTERN leaf matches, in
  // index order. Each stretch between wildcards is normalised by the
  // analyzer, as a word is.
  std::vector<std::string> expand_pattern(const QueryNode& node, std::string_view term_prefix) {
    std::string literal_prefix;
    std::vector<std::string_view> pattern;
    std::vector<std::string> pieces;  // owns the normalised stretches
    pieces.reserve(node.text.size());
    std::size_t start = 0;
    for (std::size_t i = 0; i <= node.text.size(); ++i) {
      if (i < node.text.size() && node.text[i] != '?' && node.text[i] != '*') continue;
      std::vector<Token> tokens = analyzer_.analyze(std::string_view(node.text).substr(start, i - start));
      if (tokens.size() > 1) {
        throw QueryError("wildcard pattern '" + node.text + "' is more than one word", node.position,
                         "use letters and digits around ? and *, e.g. te?ror or envi*ment");
      }
      if (!tokens.empty()) {
        pieces.push_back(std::move(tokens[0].term));
        if (pattern.empty()) literal_prefix = pieces.back();
        for (std::string_view point : code_points(pieces.back())) pattern.push_back(point);
      }
      if (pattern.empty()) {
        throw QueryError("wildcard pattern '" + node.text + "' has no letters before its first wildcard", node.position,
                         "start with at least one letter or digit, e.g. te?ror");
      }
      if (i < node.text.size()) pattern.push_back(node.text[i] == '?' ? "?" : "*");
      start = i + 1;
    }
    std::vector<std::string> expansion;
    const std::string scan = std::string(term_prefix) + literal_prefix;
    for (auto it = db_.allterms_begin(scan); it != db_.allterms_end(scan); ++it) {
      const std::string term = *it;
      if (!glob_matches(pattern, code_points(std::string_view(term).substr(term_prefix.size())))) continue;
      if (expansion.size() == options_.max_wildcard_terms) {
        throw QueryError("wildcard pattern '" + node.text + "' matches more than " +
                             std::to_string(options_.max_wildcard_terms) + " words",
                         node.position, "make the part before the first wildcard longer");
      }
      expansion.push_back(term);
    }
    return expansion;
  }

  // Edit distance with transpositions (optimal string alignment) between
  // code point sequences, or limit + 1 when it exceeds `limit`.
  static unsigned edit_distance(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b,
                                unsigned limit) {
    const std::size_t n = a.size(), m = b.size();
    if ((n > m ? n - m : m - n) > limit) return limit + 1;
    std::vector<std::vector<unsigned>> d(n + 1, std::vector<unsigned>(m + 1));
    for (std::size_t i = 0; i <= n; ++i) d[i][0] = static_cast<unsigned>(i);
    for (std::size_t j = 0; j <= m; ++j) d[0][j] = static_cast<unsigned>(j);
    for (std::size_t i = 1; i <= n; ++i) {
      unsigned row_min = limit + 1;
      for (std::size_t j = 1; j <= m; ++j) {
        const unsigned cost = a[i - 1] == b[j - 1] ? 0 : 1;
        d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
          d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
        row_min = std::min(row_min, d[i][j]);
      }
      if (row_min > limit) return limit + 1;
    }
    return std::min(d[n][m], limit + 1);
  }

  // The body words of a FUZZY leaf: the index's words within its edit
  // distance that start with the same character (which bounds the scan to
  // one letter's words), each with its inflections, in index order.
  std::vector<std::string> fuzzy_words(const QueryNode& node) {
    const std::vector<std::string> terms = terms_of(node, /*acronyms=*/false);
    if (terms.size() != 1) {
      throw QueryError("'" + node.text + "~' is not one word", node.position,
                       "put ~N after a single word, e.g. enviroment~1");
    }
    const std::vector<std::string_view> typed = code_points(terms[0]);
    std::vector<std::string> words;
    const std::string first(typed.front());
    for (auto it = db_.allterms_begin(first); it != db_.allterms_end(first); ++it) {
      const std::string term = *it;
      if (edit_distance(typed, code_points(term), node.edit_distance) > node.edit_distance) continue;
      if (words.size() == options_.max_wildcard_terms) {
        throw QueryError("'" + node.text + "~" + std::to_string(node.edit_distance) + "' matches more than " +
                             std::to_string(options_.max_wildcard_terms) + " words",
                         node.position, "use a smaller distance (~1) or a longer word");
      }
      words.push_back(term);
    }
    std::vector<std::string> with_inflections = words;
    for (const std::string& word : words) {
      for (std::string& variant : variants_of(word, /*record=*/false)) {
        if (db_.term_exists(variant)) with_inflections.push_back(std::move(variant));
      }
    }
    std::sort(with_inflections.begin(), with_inflections.end());
    with_inflections.erase(std::unique(with_inflections.begin(), with_inflections.end()), with_inflections.end());
    expansions_.push_back(
        QueryExpansion{"fuzzy", node.text + "~" + std::to_string(node.edit_distance), with_inflections, {}});
    return with_inflections;
  }

  // The slots of a phrase (or a split word) with `term_prefix` (body: "",
  // title: kTitle): exact words; a word directly followed by '*' in the
  // text is a prefix; with `inflected`, every inflection in the index.
  std::vector<Slot> phrase_slots(const QueryNode& node, bool inflected, std::string_view term_prefix) {
    std::vector<Slot> slots;
    for (Token& token : analyzer_.analyze(node.text)) {
      const bool prefix = token.end < node.text.size() && node.text[token.end] == '*';
      const bool acronym = !prefix && !inflected && searches_acronym_only(node.text, token);
      const std::string term = std::string(term_prefix) + (acronym ? acronym_term(token.term) : token.term);
      if (prefix) {
        QueryNode as_wildcard = node;
        as_wildcard.text = token.term;
        slots.push_back(expand_wildcard(term, as_wildcard));
      } else if (inflected) {
        Slot present;
        for (const std::string& variant : variants_of(token.term)) {
          if (db_.term_exists(std::string(term_prefix) + variant))
            present.push_back(std::string(term_prefix) + variant);
        }
        slots.push_back(std::move(present));
      } else {
        slots.push_back({term});
      }
    }
    return slots;
  }

  // Slots in sequence (OP_PHRASE, window = their number) or within a
  // window in any order (OP_NEAR); one slot is the OR of its terms,
  // weighted as one term. Nothing matches when a slot has no term.
  static Xapian::Query positional(const std::vector<Slot>& slots, Xapian::Query::op op, Xapian::termcount window) {
    std::vector<Xapian::Query> parts;
    for (const Slot& slot : slots) {
      if (slot.empty()) return Xapian::Query::MatchNothing;
      if (slot.size() == 1) {
        parts.emplace_back(slot[0]);
      } else {
        parts.emplace_back(slots.size() == 1 ? Xapian::Query::OP_SYNONYM : Xapian::Query::OP_OR, slot.begin(),
                           slot.end());
      }
    }
    if (parts.size() == 1) return parts[0];
    return Xapian::Query(op, parts.begin(), parts.end(), window);
  }

  // Body slots in sequence: what positional(slots, OP_PHRASE, their number)
  // matches, with the same weight. Where two adjacent slots are each one
  // common word (BindOptions::common_words), the document must also hold
  // their pair term (core/phrase_pairs.h): two words that are a pair need
  // nothing else; a longer phrase checks positions only in the documents
  // that hold all of its pairs, which are far fewer than those holding all
  // of its words. The words, under OP_FILTER, give the weight.
  Xapian::Query exact_phrase(const std::vector<Slot>& slots) const {
    Xapian::Query phrase = positional(slots, Xapian::Query::OP_PHRASE, static_cast<Xapian::termcount>(slots.size()));
    if (!options_.common_words || slots.size() < 2 || phrase.get_type() != Xapian::Query::OP_PHRASE) return phrase;
    // An acronym term has no pairs.
    const auto common_word = [&](const Slot& slot) {
      return slot.size() == 1 && !is_acronym_term(slot[0]) && options_.common_words->contains(slot[0]);
    };
    std::vector<Xapian::Query> required;
    for (std::size_t i = 0; i + 1 < slots.size(); ++i) {
      if (common_word(slots[i]) && common_word(slots[i + 1]))
        required.emplace_back(pair_term(slots[i][0], slots[i + 1][0]));
    }
    if (required.empty()) return phrase;
    if (slots.size() > 2) required.push_back(phrase);
    std::vector<Xapian::Query> words;
    for (std::size_t i = 0; i < phrase.get_num_subqueries(); ++i) words.push_back(phrase.get_subquery(i));
    return Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(Xapian::Query::OP_AND, words.begin(), words.end()),
                         Xapian::Query(Xapian::Query::OP_AND, required.begin(), required.end()));
  }

  // `match` weighed by the matches of `operands` within `distance`
  // (span_weight.h), or as it is when BindOptions::span_weights is off. The
  // weighed query is asked only of documents that match the query as bound
  // without it (BindOptions::span_weights), so the positions are checked
  // once, by the weighing: it matches the documents holding every operand's
  // words, and weighs those without a match 0.
  Xapian::Query weighed_by_matches(const Xapian::Query& match, std::vector<NearOperand> operands,
                                   unsigned distance) const {
    if (!options_.span_weights) return match;
    std::vector<Xapian::Query> every_operand;
    for (const NearOperand& operand : operands) {
      std::vector<Xapian::Query> any_sequence;
      for (const NearSequence& sequence : operand) {
        std::vector<Xapian::Query> every_slot;
        for (const NearSlot& slot : sequence) every_slot.emplace_back(Xapian::Query::OP_OR, slot.begin(), slot.end());
        any_sequence.emplace_back(Xapian::Query::OP_AND, every_slot.begin(), every_slot.end());
      }
      every_operand.emplace_back(Xapian::Query::OP_OR, any_sequence.begin(), any_sequence.end());
    }
    const Xapian::Query words(Xapian::Query::OP_AND, every_operand.begin(), every_operand.end());
    return span_weighted(words, std::move(operands), distance, db_);
  }

  void highlight(std::vector<Slot> slots) {
    if (!slots.empty() && std::none_of(slots.begin(), slots.end(), [](const Slot& s) { return s.empty(); })) {
      highlights_.push_back(HighlightUnit{std::move(slots)});
    }
  }

  std::optional<Xapian::Query> bind_leaf(const QueryNode& node, bool positive) {
    if (const FieldSpec* field = filter_field(node)) {
      const bool value_kind = node.kind == QueryNode::Kind::kWord || node.kind == QueryNode::Kind::kPhrase ||
                              node.kind == QueryNode::Kind::kWildcard;
      if (!value_kind) {
        throw QueryError("wildcards, fuzzy words and proximity do not apply to the field '" + field->name + "'",
                         node.position, "give a whole value, e.g. " + field->name + ":\"...\"");
      }
      if (node.boost != 1.0) {
        throw QueryError("a filter carries no weight to boost", node.position, "remove the ^ after the filter");
      }
      return bind_filter(node, *field, *options_.extractor, db_);
    }
    const bool title_only = node.field == "title";

    if (node.kind == QueryNode::Kind::kPattern) {
      const std::vector<std::string> expansion = expand_pattern(node, "");
      const std::vector<std::string> title_expansion = expand_pattern(node, prefix::kTitle);
      expansions_.push_back(QueryExpansion{"wildcard", node.text, title_only ? title_expansion : expansion, {}});
      Xapian::Query body_q(Xapian::Query::OP_SYNONYM, expansion.begin(), expansion.end());
      Xapian::Query title_q(Xapian::Query::OP_SYNONYM, title_expansion.begin(), title_expansion.end());
      if (positive && !title_only) highlight({expansion});
      if (title_only) return title_q;
      return body_q;  // title words count among the body's (index_layout.h)
    }

    if (node.kind == QueryNode::Kind::kFuzzy) {
      const std::vector<std::string> words = fuzzy_words(node);
      std::vector<std::string> title_words;
      for (const std::string& word : words) {
        const std::string title_term = std::string(prefix::kTitle) + word;
        if (db_.term_exists(title_term)) title_words.push_back(title_term);
      }
      Xapian::Query body_q(Xapian::Query::OP_SYNONYM, words.begin(), words.end());
      Xapian::Query title_q(Xapian::Query::OP_SYNONYM, title_words.begin(), title_words.end());
      if (positive && !title_only) highlight({words});
      if (title_only) return title_q;
      return body_q;
    }

    if (node.kind == QueryNode::Kind::kProximity) {
      // "a b"~0: the phrase in any inflection; "a b"~N: its words, any
      // inflection, within N other words in any order (NEAR/N).
      std::vector<Slot> body = phrase_slots(node, /*inflected=*/true, "");
      std::vector<Slot> title = phrase_slots(node, /*inflected=*/true, prefix::kTitle);
      if (body.empty()) return std::nullopt;
      const bool in_order = node.near_distance == 0;
      const Xapian::Query::op op = in_order ? Xapian::Query::OP_PHRASE : Xapian::Query::OP_NEAR;
      const auto window = static_cast<Xapian::termcount>(node.near_distance + body.size());
      Xapian::Query title_q = positional(title, op, window);
      if (title_only) return title_q;
      Xapian::Query body_q = positional(body, op, window);
      if (positive && body.size() >= 2) {
        std::vector<NearOperand> operands;
        if (in_order) {
          operands.push_back({body});
        } else {
          for (const Slot& slot : body) operands.push_back({{slot}});
        }
        body_q = weighed_by_matches(body_q, std::move(operands), node.near_distance);
      }
      if (positive && in_order) highlight(body);
      if (positive && !in_order) {
        for (Slot& slot : body) highlight({std::move(slot)});
      }
      return Xapian::Query(Xapian::Query::OP_OR, body_q, title_scaled(title_q));
    }

    // A wildcard's prefix is matched in any case: acronym terms hold whole words.
    std::vector<std::string> terms = terms_of(node, node.kind != QueryNode::Kind::kWildcard);
    if (terms.empty()) return std::nullopt;

    if (node.kind == QueryNode::Kind::kWildcard) {
      if (terms.size() != 1) {
        throw QueryError("wildcard prefix '" + node.text + "' is more than one word", node.position,
                         "use a single word before '*', e.g. envir*");
      }
      std::vector<std::string> expansion = expand_wildcard(terms[0], node);
      std::vector<std::string> title_expansion;
      for (const std::string& t : expand_wildcard(std::string(prefix::kTitle) + terms[0], node)) {
        title_expansion.push_back(t);
      }
      expansions_.push_back(QueryExpansion{"wildcard", node.text + "*", title_only ? title_expansion : expansion, {}});
      std::vector<Xapian::Query> body(expansion.begin(), expansion.end());
      std::vector<Xapian::Query> title(title_expansion.begin(), title_expansion.end());
      Xapian::Query body_q(Xapian::Query::OP_SYNONYM, body.begin(), body.end());
      Xapian::Query title_q(Xapian::Query::OP_SYNONYM, title.begin(), title.end());
      if (positive && !title_only && !expansion.empty()) highlights_.push_back(HighlightUnit{{expansion}});
      if (title_only) return title_q;
      return body_q;
    }

    if (node.kind == QueryNode::Kind::kWord && terms.size() == 1 && is_acronym_term(terms[0])) {
      // An acronym is exact: no inflections.
      Xapian::Query title_q(std::string(prefix::kTitle) + terms[0]);
      if (title_only) return title_q;
      if (positive) highlights_.push_back(HighlightUnit{{{terms[0]}}});
      return Xapian::Query(terms[0]);
    }

    if (node.kind == QueryNode::Kind::kWord && terms.size() == 1) {
      if (title_only) return stemmed_title(terms[0]);
      std::vector<std::string> variants = variants_of(terms[0]);
      // Weighted as one term: wdf summed over the variants.
      const std::vector<Xapian::Query> body(variants.begin(), variants.end());
      Xapian::Query body_q(Xapian::Query::OP_SYNONYM, body.begin(), body.end());
      // Still matched, so the set of matches is the query as typed.
      if (weightless_word(node)) body_q = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, body_q, 0.0);
      if (positive) highlights_.push_back(HighlightUnit{{std::move(variants)}});
      return body_q;
    }

    // A phrase, or a word the analyzer split into several.
    std::vector<Slot> body = phrase_slots(node, /*inflected=*/false, "");
    const auto window = static_cast<Xapian::termcount>(body.size());
    Xapian::Query title_q =
        positional(phrase_slots(node, /*inflected=*/false, prefix::kTitle), Xapian::Query::OP_PHRASE, window);
    if (title_only) return title_q;
    Xapian::Query body_q = exact_phrase(body);
    if (positive && body.size() >= 2) body_q = weighed_by_matches(body_q, {{body}}, 0);
    if (positive) highlight(std::move(body));
    return Xapian::Query(Xapian::Query::OP_OR, body_q, title_scaled(title_q));
  }

  std::optional<Xapian::Query> bind_and(const QueryNode& node, bool positive) {
    std::vector<Xapian::Query> required;
    std::vector<Xapian::Query> excluded;
    for (const QueryNode& child : node.children) {
      if (child.kind == QueryNode::Kind::kNot) {
        if (auto q = bind(child.children.at(0), !positive)) excluded.push_back(std::move(*q));
      } else if (auto q = bind(child, positive)) {
        required.push_back(std::move(*q));
      }
    }
    if (required.empty() && excluded.empty()) return std::nullopt;
    Xapian::Query base =
        required.empty() ? match_all() : Xapian::Query(Xapian::Query::OP_AND, required.begin(), required.end());
    if (excluded.empty()) return base;
    return Xapian::Query(Xapian::Query::OP_AND_NOT, base,
                         Xapian::Query(Xapian::Query::OP_OR, excluded.begin(), excluded.end()));
  }

  // One side of a NEAR: its alternative sequences of slots (a word, a
  // quoted word, a wildcard, a pattern or a fuzzy word is one slot; a phrase
  // one slot per word; an OR group one sequence per alternative).
  NearOperand near_operand(const QueryNode& node) {
    const auto reject = [&node](const std::string& what) -> NearOperand {
      throw QueryError("NEAR does not take " + what, node.position,
                       "each side of NEAR is a word, a phrase, a wildcard or an OR group of them, e.g. "
                       "oil NEAR/3 (import OR imports) or slavery NEAR/5 \"slave trade\"");
    };
    if (node.boost != 1.0) reject("a boost inside it; boost the whole group: (a NEAR/3 b)^2");
    if (!node.field.empty()) reject("a field (" + node.field + ":)");
    switch (node.kind) {
      case QueryNode::Kind::kWord: {
        const std::vector<std::string> terms = terms_of(node);
        if (terms.size() != 1) return {phrase_slots(node, /*inflected=*/false, "")};
        if (is_acronym_term(terms[0])) return {{{terms[0]}}};  // an acronym: exactly this word
        Slot present;
        for (std::string& v : variants_of(terms[0])) {
          if (db_.term_exists(v)) present.push_back(std::move(v));
        }
        return {{present}};
      }
      case QueryNode::Kind::kPhrase:
        return {phrase_slots(node, /*inflected=*/false, "")};
      case QueryNode::Kind::kProximity:
        if (node.near_distance != 0) reject("a proximity phrase (\"...\"~N); chain NEARs instead: a NEAR/3 b NEAR/3 c");
        return {phrase_slots(node, /*inflected=*/true, "")};
      case QueryNode::Kind::kWildcard: {
        const std::vector<std::string> terms = terms_of(node, /*acronyms=*/false);
        if (terms.size() != 1) reject("a wildcard of more than one word");
        return {{expand_wildcard(terms[0], node)}};
      }
      case QueryNode::Kind::kPattern:
        return {{expand_pattern(node, "")}};
      case QueryNode::Kind::kFuzzy:
        return {{fuzzy_words(node)}};
      case QueryNode::Kind::kOr: {
        NearOperand alternatives;
        for (const QueryNode& child : node.children) {
          for (NearSequence& sequence : near_operand(child)) alternatives.push_back(std::move(sequence));
        }
        return alternatives;
      }
      case QueryNode::Kind::kAnd:
        return reject("an AND group");
      case QueryNode::Kind::kNot:
        return reject("a NOT");
      case QueryNode::Kind::kNear:
        return reject("another NEAR; chain them with one distance: a NEAR/3 b NEAR/3 c");
    }
    return reject("this part");
  }

  // Each side of NEAR is an operand (near_operand). When every operand is a
  // single slot, Xapian's OP_NEAR matches it: a slot is the OR of its terms
  // (OP_NEAR takes terms or ORs of terms, not SYNONYM), so any inflection
  // of each word counts. Otherwise (a phrase on a side) near_match.h
  // checks the positions, and the sides' own queries give the weight.
  std::optional<Xapian::Query> bind_near(const QueryNode& node, bool positive) {
    std::vector<NearOperand> operands;
    for (const QueryNode& child : node.children) operands.push_back(near_operand(child));
    // Sequences with an empty slot match nothing; an operand without any
    // sequence left makes the whole NEAR match nothing.
    for (NearOperand& operand : operands) {
      std::erase_if(operand, [](const NearSequence& sequence) {
        return sequence.empty() ||
               std::any_of(sequence.begin(), sequence.end(), [](const Slot& slot) { return slot.empty(); });
      });
    }
    if (positive) {
      for (const NearOperand& operand : operands) {
        for (const NearSequence& sequence : operand) highlight(sequence);
      }
    }
    if (std::any_of(operands.begin(), operands.end(), [](const NearOperand& o) { return o.empty(); })) {
      return Xapian::Query::MatchNothing;
    }
    const bool single_slots = std::all_of(operands.begin(), operands.end(), [](const NearOperand& operand) {
      return std::all_of(operand.begin(), operand.end(), [](const NearSequence& s) { return s.size() == 1; });
    });
    if (single_slots) {
      std::vector<Xapian::Query> slots;
      for (const NearOperand& operand : operands) {
        Slot terms;
        for (const NearSequence& sequence : operand) terms.insert(terms.end(), sequence[0].begin(), sequence[0].end());
        std::sort(terms.begin(), terms.end());
        terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
        slots.emplace_back(Xapian::Query::OP_OR, terms.begin(), terms.end());
      }
      // All k words within a stretch holding at most n other words: a window of n + k positions.
      const auto window = static_cast<Xapian::termcount>(node.near_distance + operands.size());
      Xapian::Query near(Xapian::Query::OP_NEAR, slots.begin(), slots.end(), window);
      return positive ? weighed_by_matches(near, std::move(operands), node.near_distance) : near;
    }
    std::vector<Xapian::Query> weighted;
    for (const NearOperand& operand : operands) {
      std::vector<Xapian::Query> alternatives;
      for (const NearSequence& sequence : operand) {
        alternatives.push_back(exact_phrase(sequence));
      }
      weighted.emplace_back(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
    }
    Xapian::Query all(Xapian::Query::OP_AND, weighted.begin(), weighted.end());
    std::vector<NearOperand> weighed = positive ? operands : std::vector<NearOperand>();
    Xapian::Query near(Xapian::Query::OP_FILTER, all, near_match_query(std::move(operands), node.near_distance));
    return positive ? weighed_by_matches(near, std::move(weighed), node.near_distance) : near;
  }

  const Analyzer& analyzer_;
  const Xapian::Database& db_;
  const BindOptions& options_;
  const std::vector<std::string> languages_;  // stem_languages()
  // As written: kEverydayWordAcronyms and the gazetteer's.
  std::unordered_set<std::string> known_acronyms_;
  double boost_ = 1.0;                 // the product of the boosts around the node being bound
  bool weightless_stopwords_ = false;  // decide_stopwords()
  std::vector<HighlightUnit> highlights_;
  std::vector<QueryExpansion> expansions_;
  std::vector<ScoredPart> parts_;
};

}  // namespace

Xapian::Query bind_filter(const QueryNode& leaf, const FieldSpec& field, const FieldExtractor& extractor,
                          const Xapian::Database& db) {
  check_filter_form(leaf, field, extractor);
  std::vector<Xapian::Query> terms;
  if (field.kind == FieldKind::kYear) {
    const YearRange range = *parse_year_range(leaf.text);
    // The index's own year terms in range: exact, and no span limit needed.
    for (auto it = db.allterms_begin(field.prefix); it != db.allterms_end(field.prefix); ++it) {
      const std::string year = (*it).substr(field.prefix.size());
      if (year.size() != 4) continue;
      const int value = std::atoi(year.c_str());
      if (value >= range.from && value <= range.to) terms.emplace_back(*it);
    }
  } else {
    for (const std::string& key : extractor.resolve(field, leaf.text)) terms.emplace_back(field.prefix + key);
  }
  Xapian::Query any(Xapian::Query::OP_OR, terms.begin(), terms.end());
  return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, any, 0.0);
}

SplitQuery split_filters(const QueryNode& root, const Schema& schema) {
  SplitQuery split;
  const auto filter_of = [&](const QueryNode& node) -> const FieldSpec* {
    const bool leaf = node.kind == QueryNode::Kind::kWord || node.kind == QueryNode::Kind::kPhrase ||
                      node.kind == QueryNode::Kind::kWildcard;
    return leaf && !node.field.empty() ? schema.field(node.field) : nullptr;
  };
  // A filter leaf, or an OR of filter leaves on one field: its field.
  const auto group_of = [&](const QueryNode& node) -> const FieldSpec* {
    if (const FieldSpec* field = filter_of(node)) return field;
    if (node.kind != QueryNode::Kind::kOr) return nullptr;
    const FieldSpec* field = filter_of(node.children.front());
    for (const QueryNode& child : node.children) {
      if (!field || filter_of(child) != field) return nullptr;
    }
    return field;
  };
  const auto take = [&](const QueryNode& node, const FieldSpec& field) {
    const auto boosted = [](const QueryNode& n) { return n.boost != 1.0; };
    if (boosted(node) || std::any_of(node.children.begin(), node.children.end(), boosted)) {
      throw QueryError("a filter carries no weight to boost", node.position, "remove the ^ after the filter");
    }
    auto& group = split.filters[field.name];
    if (node.kind == QueryNode::Kind::kOr) {
      group.insert(group.end(), node.children.begin(), node.children.end());
    } else {
      group.push_back(node);
    }
  };
  if (const FieldSpec* field = group_of(root)) {
    take(root, *field);
    return split;
  }
  if (root.kind != QueryNode::Kind::kAnd) {
    split.text = root;
    return split;
  }
  QueryNode rest = root;
  rest.children.clear();
  for (const QueryNode& child : root.children) {
    if (const FieldSpec* field = group_of(child)) {
      take(child, *field);
    } else {
      rest.children.push_back(child);
    }
  }
  if (rest.children.size() == 1) {
    split.text = rest.children.front();
  } else if (!rest.children.empty()) {
    split.text = std::move(rest);
  }
  return split;
}

BoundQuery bind_query(const QueryNode& root, const Analyzer& analyzer, const Xapian::Database& db,
                      const BindOptions& options) {
  Binder binder(analyzer, db, options);
  binder.decide_stopwords(root);
  std::optional<Xapian::Query> query = binder.bind(root, true);
  if (!query) {
    throw QueryError("the query has no searchable words", root.position,
                     "punctuation and symbols alone are not indexed; search for words or numbers");
  }
  return binder.take(std::move(*query));
}

}  // namespace policy
