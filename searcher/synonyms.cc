#include "searcher/synonyms.h"

#include <algorithm>
#include <string_view>
#include <utility>

namespace policy {

namespace {

// Separates exact terms in a key; the analyzer never puts it in a term.
constexpr char kTermSeparator = '\x1F';

std::string_view without_possessive(std::string_view written) {
  for (std::string_view possessive : {"'s", "\u2019s"}) {
    if (written.size() > possessive.size() && written.ends_with(possessive)) {
      written.remove_suffix(possessive.size());
    }
  }
  return written;
}

}  // namespace

SynonymTable::SynonymTable(const Schema& schema, const Analyzer& analyzer) : analyzer_(analyzer) {
  for (const Organisation& organisation : schema.organisations()) {
    std::vector<Variant> group;
    group.push_back(text_variant(organisation.name));
    for (const std::string& alias : organisation.aliases) group.push_back(text_variant(alias));
    for (const std::string& acronym : organisation.acronyms) group.push_back(acronym_variant(acronym));
    add_group(std::move(group));
  }
  for (const std::vector<std::string>& terms : schema.synonym_groups()) {
    std::vector<Variant> group;
    for (const std::string& term : terms) group.push_back(text_variant(term));
    add_group(std::move(group));
  }
}

void SynonymTable::add_group(std::vector<Variant> group) {
  // A variant with no word (punctuation only) could never match; one that
  // repeats another's key adds nothing.
  std::vector<Variant> kept;
  for (Variant& variant : group) {
    if (variant.key.size() <= 1) continue;
    const bool repeated =
        std::any_of(kept.begin(), kept.end(), [&](const Variant& other) { return other.key == variant.key; });
    if (!repeated) kept.push_back(std::move(variant));
  }
  if (kept.size() < 2) return;
  for (const Variant& variant : kept) groups_by_key_[variant.key].push_back(groups_.size());
  groups_.push_back(std::move(kept));
}

SynonymTable::Variant SynonymTable::acronym_variant(const std::string& acronym) const {
  QueryNode node;
  node.kind = QueryNode::Kind::kWord;
  node.text = acronym;
  return Variant{std::move(node), "A" + acronym};
}

SynonymTable::Variant SynonymTable::text_variant(const std::string& text) const {
  const std::vector<Token> tokens = analyzer_.analyze(text);
  QueryNode node;
  node.kind = tokens.size() == 1 ? QueryNode::Kind::kWord : QueryNode::Kind::kPhrase;
  node.text = text;
  return Variant{std::move(node), terms_key(tokens)};
}

std::string SynonymTable::terms_key(const std::vector<Token>& tokens) {
  std::string key = "T";
  for (const Token& token : tokens) {
    if (key.size() > 1) key += kTermSeparator;
    key += token.term;
  }
  return key;
}

std::vector<std::string> SynonymTable::keys_of(const QueryNode& leaf) const {
  std::vector<std::string> keys;
  if (leaf.kind == QueryNode::Kind::kWord) keys.push_back("A" + std::string(without_possessive(leaf.text)));
  keys.push_back(terms_key(analyzer_.analyze(leaf.text)));
  return keys;
}

std::vector<QueryNode> SynonymTable::equivalents(const QueryNode& leaf) const {
  if (groups_.empty()) return {};
  if (leaf.kind != QueryNode::Kind::kWord && leaf.kind != QueryNode::Kind::kPhrase) return {};
  const std::vector<std::string> own_keys = keys_of(leaf);
  std::vector<std::size_t> groups;
  for (const std::string& key : own_keys) {
    const auto found = groups_by_key_.find(key);
    if (found == groups_by_key_.end()) continue;
    for (std::size_t g : found->second) {
      if (std::find(groups.begin(), groups.end(), g) == groups.end()) groups.push_back(g);
    }
  }
  std::sort(groups.begin(), groups.end());

  std::vector<QueryNode> out;
  std::vector<std::string> seen = own_keys;
  for (std::size_t g : groups) {
    for (const Variant& variant : groups_[g]) {
      if (std::find(seen.begin(), seen.end(), variant.key) != seen.end()) continue;
      seen.push_back(variant.key);
      QueryNode node = variant.node;
      node.field = leaf.field;
      node.position = leaf.position;
      out.push_back(std::move(node));
    }
  }
  return out;
}

}  // namespace policy
