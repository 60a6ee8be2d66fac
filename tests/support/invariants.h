// Promises of the core's pure functions, checked for any input: shared by the
// GoogleTest suite and the libFuzzer targets in tests/fuzz/. Each check
// returns "" when the promise holds, else what is broken.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "searcher/query_syntax.h"

namespace policy::testing {

// Renders a tree as a query that parses back to the same tree: compound
// nodes in parentheses with explicit operators, NOT as a '-' prefix (so a
// negated "OR" stays a word), a word spelled like an operator after '+'.
inline std::string query_text_of_unboosted(const QueryNode& node);

inline std::string query_text_of(const QueryNode& node) {
  std::string text = query_text_of_unboosted(node);
  if (node.boost == 1.0) return text;
  // A boosted compound node is rendered in parentheses already; a NOT is not.
  if (node.kind == QueryNode::Kind::kNot) text = "(" + text + ")";
  return text + "^" + format_boost(node.boost);
}

inline std::string query_text_of_unboosted(const QueryNode& node) {
  using Kind = QueryNode::Kind;
  const std::string field = node.field.empty() ? "" : node.field + ":";
  // A word, wildcard, pattern or fuzzy word spelled like an operator is
  // written after '+', where operators are not recognised.
  const std::string_view text = node.text;
  const bool operator_spelling = text == "AND" || text == "OR" || text == "NOT" || text == "&&" || text == "||" ||
                                 text == "NEAR" || text.starts_with("NEAR/");
  const std::string word = field + (operator_spelling && field.empty() ? "+" : "") + node.text;
  switch (node.kind) {
    case Kind::kWord:
      return word;
    case Kind::kPhrase:
      return field + "\"" + node.text + "\"";
    case Kind::kWildcard:
      return word + "*";
    case Kind::kPattern:
      return word;
    case Kind::kFuzzy:
      return word + "~" + std::to_string(node.edit_distance);
    case Kind::kProximity:
      return field + "\"" + node.text + "\"~" + std::to_string(node.near_distance);
    case Kind::kNot:
      return "-" + query_text_of(node.children.at(0));
    case Kind::kAnd:
    case Kind::kOr:
    case Kind::kNear: {
      std::string op = " NEAR/" + std::to_string(node.near_distance) + " ";
      if (node.kind == Kind::kAnd) op = " AND ";
      if (node.kind == Kind::kOr) op = " OR ";
      std::string out = "(";
      for (std::size_t i = 0; i < node.children.size(); ++i) {
        if (i > 0) out += op;
        out += query_text_of(node.children[i]);
      }
      return out + ")";
    }
  }
  return "";
}

// A field as the parser stores it: lower case, [a-z_][a-z0-9_]*, or "".
inline bool is_stored_field_name(const std::string& field) {
  for (std::size_t i = 0; i < field.size(); ++i) {
    const char c = field[i];
    const bool ok = (c >= 'a' && c <= 'z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

// Structural promises of parse_query_syntax() for a tree parsed from a
// query of `query_size` bytes.
inline std::string query_tree_problem(const QueryNode& node, std::size_t query_size) {
  using Kind = QueryNode::Kind;
  if (node.position >= query_size) return "position out of range";
  switch (node.kind) {
    case Kind::kWord:
    case Kind::kPhrase:
    case Kind::kWildcard:
    case Kind::kPattern:
    case Kind::kFuzzy:
    case Kind::kProximity:
      if (!node.children.empty()) return "leaf with children";
      if (node.text.empty()) return "empty leaf text";
      if ((node.kind == Kind::kWord || node.kind == Kind::kWildcard || node.kind == Kind::kFuzzy) &&
          node.text.find('*') != std::string::npos) {
        return "'*' inside a word";
      }
      if (node.kind == Kind::kFuzzy && node.edit_distance > 2) return "edit distance above 2";
      if (!is_stored_field_name(node.field)) return "bad field name";
      return "";
    case Kind::kNot:
      if (node.children.size() != 1) return "NOT without exactly one child";
      break;
    case Kind::kAnd:
    case Kind::kOr:
    case Kind::kNear:
      if (node.children.size() < 2) return "operator with fewer than two children";
      for (const QueryNode& child : node.children) {
        if (node.kind != Kind::kNear && child.kind == node.kind) return "not flattened";
      }
      break;
  }
  if (!node.field.empty()) return "field on an operator";
  if (!(node.boost >= 0 && node.boost <= 1000)) return "boost out of range";
  for (const QueryNode& child : node.children) {
    if (child.position < node.position) return "child before its parent";
    std::string broken = query_tree_problem(child, query_size);
    if (!broken.empty()) return broken;
  }
  return "";
}

// The shape query_syntax.h promises for an error about a query of
// `query_size` bytes (binding errors share it).
inline std::string query_error_problem(const QuerySyntaxError& error, std::size_t query_size) {
  if (error.position() > query_size) return "position past the end of the query";
  if (error.message().empty()) return "empty message";
  if (error.hint().empty()) return "empty hint";
  if (error.message().find("(at position") != std::string::npos) return "position inside message()";
  const std::string expected =
      error.message() + " (at position " + std::to_string(error.position()) + "); hint: " + error.hint();
  if (error.what() != expected) return "what() is not message + position + hint";
  return "";
}

// The shape text_cleaner.h promises for every output of clean_extracted_text().
inline std::string cleaned_text_problem(std::string_view text) {
  if (text.empty()) return "";
  if (text.front() == '\n') return "leading blank line";
  if (text.back() == '\n') return "trailing newline";
  if (text.front() == ' ') return "leading space";
  if (text.back() == ' ') return "trailing space";
  if (text.find("\n\n\n") != std::string_view::npos) return "more than one blank line";
  if (text.find(" \n") != std::string_view::npos) return "trailing space on a line";
  if (text.find("\n ") != std::string_view::npos) return "leading space on a line";
  if (text.find("  ") != std::string_view::npos) return "run of spaces";
  if (text.find('\t') != std::string_view::npos) return "tab";
  if (text.find('\r') != std::string_view::npos) return "carriage return";
  return "";
}

}  // namespace policy::testing
