// The query language, as pure syntax: text -> tree. No Xapian, no schema, no
// analysis happens here; query_binder.h binds the tree to the index.
//
// Grammar (operators are upper case; lower-case "or", "and", "not", "near"
// are ordinary words):
//
//   query    := or_expr
//   or_expr  := and_expr ( ( "OR" | "||" ) and_expr )*
//   and_expr := near_expr ( [ "AND" | "&&" ] near_expr )*    implicit AND
//   near_expr:= unary ( "NEAR/" N unary )*            N in 0..limits.max_near_distance
//   unary    := ( "NOT" | "-" | "!" ) unary | [ "+" ] primary
//   primary  := ( "(" or_expr ")" | FIELD ":" primary_value | value ) [ "^" BOOST ]
//   value    := PHRASE [ "~" N ] | PATTERN | FUZZY | WILDCARD | WORD
//   PHRASE   := '"' ... '"'   (straight or curly double quotes)
//   WILDCARD := WORD ending in "*" (its only wildcard)
//   PATTERN  := WORD holding "?" (one character) or "*" (any characters)
//               other than only at the end, not at its start: te?ror, envi*ment
//   FUZZY    := WORD "~" [ 0 | 1 | 2 ]   (no digit: 2)
//   BOOST    := digits [ "." digits ], at most 1000
//   FIELD    := [A-Za-z_][A-Za-z0-9_]*  directly followed by ":"
//
// "a NOT b", "a -b" and "a !b" all mean a AND NOT b; a query made only of
// negated parts is allowed (binder: everything except those). "+a" is a
// (every part is required already). "||" and "&&" are OR and AND.
//
// Foreign forms that would otherwise be read as something else are errors
// with a hint: lower-case "near/5", "a || b" written "a||b", a lone "|" or
// "&", "<->" and "<N>" (PostgreSQL), "@N" (MySQL), "AROUND(N)" (Google),
// "~word" (MySQL), "/regex/", "field:[a TO b]" and "field:{a TO b}", "^"
// or "~" anywhere but as the suffixes above, a wildcard at the start of a
// word, "*" inside a phrase anywhere but at the end of a word, and "?"
// between letters inside a phrase.
//
// Inside a phrase, a word directly followed by "*" is a prefix: "national
// debt*" (the '*' stays in the phrase's text). A phrase followed directly by
// "~N" is a kProximity node: its words in any inflection, N = 0 in order and
// adjacent, N > 0 within a stretch holding at most N other words.
//
// Lexical rules (the grammar above leaves these open):
//   - Whitespace separates tokens: ASCII space, \t \n \v \f \r, and the
//     Unicode spaces U+0085 U+00A0 U+1680 U+2000..U+200A U+2028 U+2029 U+202F
//     U+205F U+3000 (pasted text and CJK input produce them). Any other
//     control character (U+0000..U+001F, U+007F) is an error, as is invalid
//     UTF-8.
//   - A WORD runs until whitespace, '(', ')' or a double quote; a '-' or ':'
//     inside it belongs to it ("e-waste", "U.S.", "PM2.5", "S&ED"). Its
//     suffixes "^BOOST" and "~N" are read from its end, boost last
//     ("word~1^2"). A '?' at the end of a word is a question mark, not a
//     wildcard ("what?" is the word).
//   - Double quotes are '"', U+201C and U+201D; a phrase opened by any of
//     them ends at the next one of them (so "...", “...”, ”...” and mixed
//     pairs work). A blank phrase is an error.
//   - AND, OR, NOT and NEAR/n are operators only as whole tokens, upper
//     case, and not directly after '-' or "field:": "-OR" excludes the
//     word OR. "NEAR" without "/n", and "NEAR/" followed by anything but
//     digits ("NEAR/x", "NEAR/5x"), are errors.
//   - '-' at the start of a token negates what directly follows it (word,
//     phrase, field, '(' or another '-'); a '-' followed by whitespace, ')'
//     or the end is an error, so "a - b" is rejected, not guessed at.
//   - FIELD ':' must be directly followed by its value: a WORD (which may
//     contain ':', so "app:ds:information" is field "app", word
//     "ds:information"), a PHRASE, or a '(' group whose leaves all get the
//     field. A value starting with '-' is an error (write -title:x), and so
//     is a field inside a field group ("title:(body:x)").
//   - "^BOOST" directly after a phrase or a ')' boosts it; a boosted group
//     is never flattened into its parent, and nothing is boosted twice.
//   - '!' is '-'; '+' directly before a term is dropped (the term is
//     required already) and, like '-', makes a following AND/OR/NOT a word.
//   - A NEAR chain uses one distance: "a NEAR/3 b NEAR/3 c" is one kNear
//     node with three children; "a NEAR/3 b NEAR/5 c" is an error (write
//     "(a NEAR/3 b) NEAR/5 c", which nests; kNear is never flattened across
//     parentheses). kAnd and kOr are flattened, also across parentheses.
//   - Positions: a leaf starts at its first byte, including a field prefix
//     written directly before it ("title:x" -> the 't'); a kNot at its "NOT"
//     or '-'; kAnd, kOr and kNear at their first child. Parentheses, a '+'
//     and the "field:" of a field group belong to no node.
//
// Thread-safe: pure functions.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/errors.h"

namespace policy {

// max_depth above this is treated as this: the parser recurses once per
// level (about 250 bytes of stack in an optimised build, 1 KiB with
// sanitizers), and the stack of the calling thread must not be the limit.
inline constexpr std::size_t kQueryDepthCeiling = 256;

struct QueryLimits {
  std::size_t max_query_bytes = 4096;
  // Phrases, proximities, wildcards, patterns and fuzzy words in one query:
  // each reads positions or expands into many terms.
  std::size_t max_clauses = 256;
  // Plain words in one query, so that a pasted paragraph runs: each is one
  // term and its inflections. max_query_bytes bounds them too.
  std::size_t max_words = 1024;
  std::size_t max_depth = 32;  // nesting of parentheses and NOT; at most kQueryDepthCeiling
  unsigned max_near_distance = 1000;
};

struct QueryNode {
  enum class Kind {
    kWord,       // text: the word as typed (unanalysed)
    kPhrase,     // text: the phrase's content without quotes
    kWildcard,   // text: the prefix, without the trailing '*'
    kAnd,        // children: 2 or more
    kOr,         // children: 2 or more
    kNot,        // children: exactly 1 (the negated part)
    kNear,       // children: 2 or more; near_distance
    kPattern,    // text: the word as typed, with its '?' and '*' wildcards
    kFuzzy,      // text: the word as typed, without "~N"; edit_distance
    kProximity,  // text: the phrase's content; near_distance ("a b"~N)
  };
  Kind kind = Kind::kWord;
  std::string text;
  std::string field;           // "" for the default field; otherwise as typed, lower-cased
  unsigned near_distance = 0;  // kNear, kProximity: max other words in the stretch
  unsigned edit_distance = 0;  // kFuzzy only: 0..2
  double boost = 1.0;          // "^BOOST": the node's weight is multiplied by it
  std::size_t position = 0;    // byte offset of this node's first character in the query
  std::vector<QueryNode> children;
};

// A malformed query. what() is the whole human message; the parts are kept
// for JSON errors and for highlighting the position in a terminal:
//   what() == message() + " (at position " + position() + "); hint: " + hint()
// e.g. "unterminated phrase (at position 12); hint: close the quote or remove
// it". message() never contains the position; "; hint: ..." is left out when
// the hint is empty (the parser always gives one).
class QuerySyntaxError : public RequestError {
 public:
  QuerySyntaxError(std::string message, std::size_t position, std::string hint);
  const std::string& message() const { return message_; }
  std::size_t position() const { return position_; }  // byte offset in the query
  const std::string& hint() const { return hint_; }

 private:
  std::string message_;
  std::size_t position_;
  std::string hint_;
};

// Throws QuerySyntaxError when `query` is longer than the limit, not UTF-8,
// holds a control character other than whitespace, or is blank: what every
// query text must pass, in query syntax or not (any_words.h).
void check_query_text(std::string_view query, const QueryLimits& limits);

// The error of a query with more than `max_words` words, the first one
// beyond at byte `position`.
QuerySyntaxError too_many_words_error(std::size_t max_words, std::size_t position);

// Parses `query`. Throws QuerySyntaxError for any malformed input or exceeded
// limit; never crashes, never loops forever, recursion bounded by max_depth.
// An empty or blank query is an error ("empty query").
QueryNode parse_query_syntax(std::string_view query, const QueryLimits& limits = {});

// A canonical one-line description of the tree for tests and --explain, e.g.
//   (AND (WORD "biodiversity") (PHRASE "green envoys program"))
//   (NEAR/5 (WORD "pollution") (WORD "China"))
//   (NOT (WORD title:"water"))
//   (WILDCARD "environ")
//   (PATTERN "te?ror")  (FUZZY~1 "enviroment")  (PHRASE~3 "climate change")
//   (WORD "tariff")^2   (OR (WORD "a") (WORD "b"))^1.5
// A field applies to leaves: "title:(a OR b)" sets field "title" on both words.
// In the quoted text '"' and '\\' are escaped with '\\', and control bytes are
// written \t, \n, \r or \xNN; other bytes are copied. Recursion is as deep
// as the tree (bounded for trees from parse_query_syntax).
std::string describe(const QueryNode& node);

// A boost as describe() writes it: "2", "0.5", "1.25".
std::string format_boost(double boost);

}  // namespace policy
