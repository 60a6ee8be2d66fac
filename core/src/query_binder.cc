#include "policy/query_binder.h"

#include <algorithm>
#include <optional>

#include "policy/index_schema.h"

namespace policy {
namespace {

constexpr const char* kKnownFields = "title";
constexpr std::size_t kMaxNearCombinations = 256;

class Binder {
 public:
  Binder(const Analyzer& analyzer, const Xapian::Database& db, const BindOptions& options)
      : analyzer_(analyzer), db_(db), options_(options) {}

  // nullopt: the node holds nothing searchable (e.g. a lone "&").
  std::optional<Xapian::Query> bind(const QueryNode& node, bool positive) {
    switch (node.kind) {
      case QueryNode::Kind::kWord:
      case QueryNode::Kind::kPhrase:
      case QueryNode::Kind::kWildcard:
        return bind_leaf(node, positive);
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
        return Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query::MatchAll, *negated);
      }
      case QueryNode::Kind::kNear:
        return bind_near(node, positive);
    }
    return std::nullopt;
  }

  std::vector<HighlightUnit> take_highlights() { return std::move(highlights_); }

 private:
  std::vector<std::string> terms_of(const QueryNode& node) {
    std::vector<std::string> terms;
    for (Token& t : analyzer_.analyze(node.text)) terms.push_back(std::move(t.term));
    return terms;
  }

  void check_field(const QueryNode& node) {
    if (node.field.empty() || node.field == "title") return;
    throw QueryError("unknown field '" + node.field + "'", node.position,
                     std::string("known fields: ") + kKnownFields +
                         "; to search for the text itself, put it in quotes: \"" + node.field + ":" +
                         node.text + "\"");
  }

  Xapian::Query title_scaled(Xapian::Query q) const {
    return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q, options_.title_weight);
  }

  static Xapian::Query phrase_of(const std::vector<std::string>& terms, std::string_view prefix) {
    std::vector<Xapian::Query> parts;
    for (const std::string& t : terms) parts.emplace_back(std::string(prefix) + t);
    if (parts.size() == 1) return parts[0];
    return Xapian::Query(Xapian::Query::OP_PHRASE, parts.begin(), parts.end(),
                         static_cast<Xapian::termcount>(parts.size()));
  }

  // Exact body words that share `stem`: the synonym table holds those that
  // differ from it; the stem itself may be a word too.
  std::vector<std::string> variants_of(const std::string& stem, const std::string& typed) {
    std::vector<std::string> variants{typed, stem};
    const std::string key = std::string(prefix::kStemmed) + stem;
    for (auto it = db_.synonyms_begin(key); it != db_.synonyms_end(key); ++it) variants.push_back(*it);
    std::sort(variants.begin(), variants.end());
    variants.erase(std::unique(variants.begin(), variants.end()), variants.end());
    return variants;
  }

  std::vector<std::string> expand_wildcard(const std::string& prefix, const QueryNode& node) {
    std::vector<std::string> expansion;
    for (auto it = db_.allterms_begin(prefix); it != db_.allterms_end(prefix); ++it) {
      if (expansion.size() == options_.max_wildcard_terms) {
        throw QueryError("wildcard '" + node.text + "*' matches more than " +
                             std::to_string(options_.max_wildcard_terms) + " words",
                         node.position, "make the prefix longer");
      }
      expansion.push_back(*it);
    }
    return expansion;
  }

  std::optional<Xapian::Query> bind_leaf(const QueryNode& node, bool positive) {
    check_field(node);
    const bool title_only = node.field == "title";
    std::vector<std::string> terms = terms_of(node);
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
      std::vector<Xapian::Query> body(expansion.begin(), expansion.end());
      std::vector<Xapian::Query> title(title_expansion.begin(), title_expansion.end());
      Xapian::Query body_q(Xapian::Query::OP_SYNONYM, body.begin(), body.end());
      Xapian::Query title_q(Xapian::Query::OP_SYNONYM, title.begin(), title.end());
      if (positive && !title_only && !expansion.empty()) highlights_.push_back(HighlightUnit{{expansion}});
      if (title_only) return title_q;
      return Xapian::Query(Xapian::Query::OP_OR, body_q, title_scaled(title_q));
    }

    if (node.kind == QueryNode::Kind::kWord && terms.size() == 1) {
      const std::string stem = analyzer_.stem(terms[0]);
      Xapian::Query title_q(std::string(prefix::kStemmedTitle) + stem);
      if (title_only) return title_q;
      if (positive) highlights_.push_back(HighlightUnit{{variants_of(stem, terms[0])}});
      return Xapian::Query(Xapian::Query::OP_OR, Xapian::Query(std::string(prefix::kStemmed) + stem),
                           title_scaled(title_q));
    }

    // A phrase, or a word the analyzer split into several.
    Xapian::Query title_q = phrase_of(terms, prefix::kTitle);
    if (title_only) return title_q;
    if (positive) {
      HighlightUnit unit;
      for (const std::string& t : terms) unit.slots.push_back({t});
      highlights_.push_back(std::move(unit));
    }
    return Xapian::Query(Xapian::Query::OP_OR, phrase_of(terms, ""), title_scaled(title_q));
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
    Xapian::Query base = required.empty()
                             ? Xapian::Query::MatchAll
                             : Xapian::Query(Xapian::Query::OP_AND, required.begin(), required.end());
    if (excluded.empty()) return base;
    return Xapian::Query(Xapian::Query::OP_AND_NOT, base,
                         Xapian::Query(Xapian::Query::OP_OR, excluded.begin(), excluded.end()));
  }

  // Xapian 1.4's OP_NEAR takes only single terms, so a stemmed word under
  // NEAR becomes the OR of one NEAR per combination of its inflections found
  // in the index (bounded by kMaxNearCombinations).
  std::optional<Xapian::Query> bind_near(const QueryNode& node, bool positive) {
    std::vector<std::vector<std::string>> alternatives;
    for (const QueryNode& child : node.children) {
      const bool word_or_quoted_word = child.kind == QueryNode::Kind::kWord || child.kind == QueryNode::Kind::kPhrase;
      std::vector<std::string> terms = word_or_quoted_word ? terms_of(child) : std::vector<std::string>{};
      if (terms.size() != 1 || !child.field.empty()) {
        throw QueryError("NEAR takes single words", child.position,
                         "write each side as one word, e.g. pollution NEAR/5 China; "
                         "put an exact sequence of words in quotes as a phrase instead");
      }
      std::vector<std::string> present;
      if (child.kind == QueryNode::Kind::kPhrase) {
        present.push_back(terms[0]);  // quoted: exactly this word
      } else {
        for (std::string& v : variants_of(analyzer_.stem(terms[0]), terms[0])) {
          if (db_.term_exists(v)) present.push_back(std::move(v));
        }
      }
      alternatives.push_back(std::move(present));
    }
    std::size_t combinations = 1;
    for (const auto& a : alternatives) combinations *= std::max<std::size_t>(a.size(), 1);
    if (combinations > kMaxNearCombinations) {
      throw QueryError("the words under NEAR have too many inflections in this index (" +
                           std::to_string(combinations) + " combinations)",
                       node.position, "quote a word to match it exactly, e.g. \"pollution\" NEAR/5 China");
    }
    if (positive) {
      for (const auto& a : alternatives) highlights_.push_back(HighlightUnit{{a}});
    }
    for (const auto& a : alternatives) {
      if (a.empty()) return Xapian::Query::MatchNothing;
    }
    // All k words within a stretch holding at most n other words: a window of n + k positions.
    const auto window = static_cast<Xapian::termcount>(node.near_distance + alternatives.size());
    std::vector<Xapian::Query> nears;
    std::vector<std::size_t> pick(alternatives.size(), 0);
    while (true) {
      std::vector<Xapian::Query> words;
      for (std::size_t i = 0; i < alternatives.size(); ++i) words.emplace_back(alternatives[i][pick[i]]);
      nears.emplace_back(Xapian::Query::OP_NEAR, words.begin(), words.end(), window);
      std::size_t i = 0;
      while (i < pick.size() && ++pick[i] == alternatives[i].size()) pick[i++] = 0;
      if (i == pick.size()) break;
    }
    return Xapian::Query(Xapian::Query::OP_OR, nears.begin(), nears.end());
  }

  const Analyzer& analyzer_;
  const Xapian::Database& db_;
  const BindOptions& options_;
  std::vector<HighlightUnit> highlights_;
};

}  // namespace

BoundQuery bind_query(const QueryNode& root, const Analyzer& analyzer, const Xapian::Database& db,
                      const BindOptions& options) {
  Binder binder(analyzer, db, options);
  std::optional<Xapian::Query> query = binder.bind(root, true);
  if (!query) {
    throw QueryError("the query has no searchable words", root.position,
                     "punctuation and symbols alone are not indexed; search for words or numbers");
  }
  return BoundQuery{std::move(*query), binder.take_highlights()};
}

}  // namespace policy
