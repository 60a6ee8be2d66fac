#include "searcher/query_binder.h"

#include <algorithm>
#include <optional>

#include "core/index_layout.h"

#include "searcher/filter_values.h"

namespace policy {
namespace {

// Every document. Not a copy of the static Xapian::Query::MatchAll: its
// reference count is not safe to change from several threads (xapian/query.h),
// and the HTTP server binds queries on several.
Xapian::Query match_all() { return Xapian::Query(std::string()); }

class Binder {
 public:
  Binder(const Analyzer& analyzer, const Xapian::Database& db, const BindOptions& options)
      : analyzer_(analyzer), db_(db), options_(options), languages_(stem_languages()) {}

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
        return Xapian::Query(Xapian::Query::OP_AND_NOT, match_all(), *negated);
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

  static Xapian::Query phrase_of(const std::vector<std::string>& terms, std::string_view prefix) {
    std::vector<Xapian::Query> parts;
    for (const std::string& t : terms) parts.emplace_back(std::string(prefix) + t);
    if (parts.size() == 1) return parts[0];
    return Xapian::Query(Xapian::Query::OP_PHRASE, parts.begin(), parts.end(),
                         static_cast<Xapian::termcount>(parts.size()));
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
  // its stem (which hold the words that differ from it); each stem may be
  // a word too.
  std::vector<std::string> variants_of(const std::string& typed) {
    std::vector<std::string> variants{typed};
    for (const std::string& language : languages_) {
      const std::string stem = analyzer_.stem(typed, language);
      variants.push_back(stem);
      const std::string key = stem_synonym_key(language, stem);
      for (auto it = db_.synonyms_begin(key); it != db_.synonyms_end(key); ++it) variants.push_back(*it);
    }
    std::sort(variants.begin(), variants.end());
    variants.erase(std::unique(variants.begin(), variants.end()), variants.end());
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

  std::optional<Xapian::Query> bind_leaf(const QueryNode& node, bool positive) {
    if (const FieldSpec* field = filter_field(node)) {
      return bind_filter(node, *field, *options_.extractor, db_);
    }
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
      Xapian::Query title_q = stemmed_title(terms[0]);
      if (title_only) return title_q;
      std::vector<std::string> variants = variants_of(terms[0]);
      // Weighted as one term: wdf summed over the variants.
      const std::vector<Xapian::Query> body(variants.begin(), variants.end());
      Xapian::Query body_q(Xapian::Query::OP_SYNONYM, body.begin(), body.end());
      if (positive) highlights_.push_back(HighlightUnit{{std::move(variants)}});
      return Xapian::Query(Xapian::Query::OP_OR, body_q, title_scaled(title_q));
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
    Xapian::Query base =
        required.empty() ? match_all() : Xapian::Query(Xapian::Query::OP_AND, required.begin(), required.end());
    if (excluded.empty()) return base;
    return Xapian::Query(Xapian::Query::OP_AND_NOT, base,
                         Xapian::Query(Xapian::Query::OP_OR, excluded.begin(), excluded.end()));
  }

  // Each word under NEAR is one position slot: the OR of its inflections
  // found in the index (OP_NEAR takes terms or ORs of terms, not SYNONYM), so
  // any inflection of each word counts and positions are read once per slot.
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
        for (std::string& v : variants_of(terms[0])) {
          if (db_.term_exists(v)) present.push_back(std::move(v));
        }
      }
      alternatives.push_back(std::move(present));
    }
    if (positive) {
      for (const auto& a : alternatives) highlights_.push_back(HighlightUnit{{a}});
    }
    std::vector<Xapian::Query> slots;
    for (const auto& a : alternatives) {
      if (a.empty()) return Xapian::Query::MatchNothing;
      slots.emplace_back(Xapian::Query::OP_OR, a.begin(), a.end());
    }
    // All k words within a stretch holding at most n other words: a window of n + k positions.
    const auto window = static_cast<Xapian::termcount>(node.near_distance + alternatives.size());
    return Xapian::Query(Xapian::Query::OP_NEAR, slots.begin(), slots.end(), window);
  }

  const Analyzer& analyzer_;
  const Xapian::Database& db_;
  const BindOptions& options_;
  const std::vector<std::string> languages_;  // stem_languages()
  std::vector<HighlightUnit> highlights_;
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
  std::optional<Xapian::Query> query = binder.bind(root, true);
  if (!query) {
    throw QueryError("the query has no searchable words", root.position,
                     "punctuation and symbols alone are not indexed; search for words or numbers");
  }
  return BoundQuery{std::move(*query), binder.take_highlights()};
}

}  // namespace policy
