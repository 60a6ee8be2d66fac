// Query syntax: a lazy lexer with one token of lookahead and a recursive
// descent parser, one function per grammar rule (see query_syntax.h).
//
// Safety: the query is checked for length, UTF-8 and control characters
// before lexing, so the lexer may look at multi-byte characters without
// decoding errors; recursion only happens at '(' and is bounded by the depth
// limit (NOT chains are handled iteratively).

#include "searcher/query_syntax.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/utf8.h"

namespace policy {
namespace {

using Kind = QueryNode::Kind;

std::string format_what(const std::string& message, std::size_t position, const std::string& hint) {
  std::string what = message + " (at position " + std::to_string(position) + ")";
  if (!hint.empty()) what += "; hint: " + hint;
  return what;
}

std::string hex_byte(unsigned char byte) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "0x%02X", static_cast<unsigned>(byte));
  return buffer;
}

// ---------------------------------------------------------------------------
// Characters. All helpers take a byte index into a query that has passed
// check_encoding, and never read past its end.

bool is_ascii_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

unsigned char byte_at(std::string_view s, std::size_t i) { return i < s.size() ? static_cast<unsigned char>(s[i]) : 0; }

// Length in bytes of the whitespace character starting at `i`, or 0.
std::size_t space_length(std::string_view s, std::size_t i) {
  if (is_ascii_space(byte_at(s, i))) return 1;
  return i < s.size() ? unicode_space_length(s, i) : 0;
}

// Length in bytes of the double quote ('"', U+201C, U+201D) at `i`, or 0.
std::size_t quote_length(std::string_view s, std::size_t i) {
  const unsigned char c0 = byte_at(s, i);
  if (c0 == '"') return 1;
  if (c0 == 0xE2 && byte_at(s, i + 1) == 0x80 && (byte_at(s, i + 2) == 0x9C || byte_at(s, i + 2) == 0x9D)) {
    return 3;
  }
  return 0;
}

// True where a WORD ends. Scanning byte by byte is safe: every delimiter
// starts with an ASCII or lead byte, never with a continuation byte.
bool is_word_end(std::string_view s, std::size_t i) {
  return i >= s.size() || s[i] == '(' || s[i] == ')' || space_length(s, i) > 0 || quote_length(s, i) > 0;
}

bool is_identifier_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }

bool is_identifier_char(char c) { return is_identifier_start(c) || (c >= '0' && c <= '9'); }

// A letter, digit or any non-ASCII character: what a '?' sits between when
// it is a wildcard rather than a question mark.
bool is_word_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char d) { return d >= '0' && d <= '9'; });
}

inline constexpr double kMaxBoost = 1000;

// "2", "0.5", "1.25": digits with at most three decimals, up to kMaxBoost;
// nullopt otherwise.
std::optional<double> parse_boost(std::string_view text) {
  const std::size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  if (!is_digits(whole) || whole.size() > 4) return std::nullopt;
  if (dot != std::string_view::npos) {
    const std::string_view decimals = text.substr(dot + 1);
    if (!is_digits(decimals) || decimals.size() > 3) return std::nullopt;
  }
  const double value = std::stod(std::string(text));
  if (value > kMaxBoost) return std::nullopt;
  return value;
}

bool is_blank(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t space = space_length(s, i);
    if (space == 0) return false;
    i += space;
  }
  return true;
}

// Throws at the first byte that does not start well-formed UTF-8 (overlong
// forms, surrogates and code points above U+10FFFF included), or at a control
// character that is not whitespace.
void check_encoding(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if ((c < 0x20 && !is_ascii_space(c)) || c == 0x7F) {
        throw QuerySyntaxError("control character " + hex_byte(c) + " in the query", i,
                               "remove it; only spaces, tabs and line breaks may "
                               "separate words");
      }
      ++i;
      continue;
    }
    const std::size_t length = utf8_sequence_length(s, i);
    const bool valid = length > 0;
    if (!valid) {
      throw QuerySyntaxError("invalid UTF-8 (byte " + hex_byte(c) + ")", i,
                             "the query must be UTF-8 text; check the encoding "
                             "of the terminal or client");
    }
    i += length;
  }
}

// ---------------------------------------------------------------------------
// Lexer.

enum class TokenKind {
  // Before the first token; only ever the parser's "previous token".
  kStart,
  kEnd,
  kLeaf,        // a word, phrase or wildcard, possibly with its field
  kFieldGroup,  // "field:" directly before '('; the '(' is the next token
  kLParen,
  kRParen,
  kAnd,
  kOr,
  kNot,
  kMinus,
  kNear,
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::size_t position = 0;
  std::size_t length = 0;      // bytes of query text, for messages
  QueryNode leaf;              // kLeaf
  std::string field;           // kFieldGroup, lower-cased
  unsigned near_distance = 0;  // kNear
  double boost = 1.0;          // kRParen: the "^BOOST" after it
};

class Lexer {
 public:
  Lexer(std::string_view query, const QueryLimits& limits) : query_(query), limits_(limits) {}

  // Out of line: inlined, the Token built by lex() would sit in every
  // parser frame.
  [[gnu::noinline]] const Token& peek() {
    if (!lookahead_) lookahead_ = lex();
    return *lookahead_;
  }

  // Drops the peeked token.
  void Skip() {
    peek();
    lookahead_.reset();
  }

  // Moves the leaf of the peeked kLeaf token into `out`.
  [[gnu::noinline]] void take_leaf(QueryNode& out) {
    out = std::move(lookahead_->leaf);
    lookahead_.reset();
  }

 private:
  Token lex() {
    while (pos_ < query_.size()) {
      const std::size_t space = space_length(query_, pos_);
      if (space == 0) break;
      pos_ += space;
    }
    // Operators are not recognised right after '-': "-OR" is the word OR.
    const bool operators_allowed = !after_minus_;
    after_minus_ = false;

    Token token;
    token.position = pos_;
    if (pos_ >= query_.size()) {
      token.kind = TokenKind::kEnd;
      return token;
    }
    const char c = query_[pos_];
    if (c == '(' || c == ')') {
      token.kind = c == '(' ? TokenKind::kLParen : TokenKind::kRParen;
      token.length = 1;
      ++pos_;
      if (c == ')') token.boost = lex_boost_suffix(/*phrase=*/false);
      return token;
    }
    if (quote_length(query_, pos_) > 0) {
      return leaf_token(lex_phrase(pos_, pos_, ""));
    }
    if (c == '-' || c == '!') {
      const std::size_t next = pos_ + 1;
      if (next >= query_.size() || query_[next] == ')' || space_length(query_, next) > 0) {
        throw QuerySyntaxError(std::string("'") + c + "' is not directly followed by a term", pos_,
                               std::string("write ") + c +
                                   "word with no space to exclude a word, "
                                   "e.g. -coal, or remove the '" +
                                   c + "'");
      }
      token.kind = TokenKind::kMinus;
      token.length = 1;
      ++pos_;
      after_minus_ = true;
      return token;
    }
    if (c == '+') {
      // Lucene's "required": every part is required here already.
      const std::size_t next = pos_ + 1;
      if (next >= query_.size() || query_[next] == ')' || query_[next] == '+' || space_length(query_, next) > 0) {
        throw QuerySyntaxError("'+' is not directly followed by a term", pos_,
                               "every word is required already; remove the '+'");
      }
      ++pos_;
      after_minus_ = true;
      return lex();
    }
    if (is_identifier_start(c)) {
      std::size_t end = pos_ + 1;
      while (end < query_.size() && is_identifier_char(query_[end])) ++end;
      if (end < query_.size() && query_[end] == ':') return lex_field(end);
    }

    const std::size_t start = pos_;
    std::size_t end = start;
    while (!is_word_end(query_, end)) ++end;
    const std::string_view text = query_.substr(start, end - start);
    if (operators_allowed) {
      std::optional<TokenKind> op;
      if (text == "AND" || text == "&&") op = TokenKind::kAnd;
      if (text == "OR" || text == "||") op = TokenKind::kOr;
      if (text == "NOT") op = TokenKind::kNot;
      if (text == "NEAR" || text.starts_with("NEAR/")) {
        token.near_distance = near_distance(text, start);
        op = TokenKind::kNear;
      }
      if (op) {
        token.kind = *op;
        token.length = text.size();
        pos_ = end;
        return token;
      }
    }
    check_foreign_word(text, start, end);
    pos_ = end;
    return leaf_token(value_leaf(text, start, start, ""));
  }

  // Words that other search tools read as operators, which would otherwise
  // be searched as words here: errors, each with the form to write instead.
  void check_foreign_word(std::string_view text, std::size_t start, std::size_t end) const {
    std::string lower(text);
    for (char& ch : lower) {
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    }
    if (lower.starts_with("near/") || (lower == "near" && text != "near" && text != "Near")) {
      std::string upper(text);
      for (char& ch : upper) {
        if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
      }
      if (text != upper) {
        throw QuerySyntaxError("'" + std::string(text) + "' is not an operator", start,
                               "operators are upper case: " + upper + (lower == "near" ? "/5" : ""));
      }
    }
    if (text == "|" || text == "&") {
      throw QuerySyntaxError(
          "'" + std::string(text) + "' is not an operator", start,
          std::string("write ") + (text == "|" ? "OR" : "AND") + " (or " + std::string(text) + std::string(text) + ")");
    }
    if (text.find("||") != std::string_view::npos || text.find("&&") != std::string_view::npos) {
      throw QuerySyntaxError("'||' or '&&' inside a word", start, "put spaces around || and &&: a || b");
    }
    if (text == "<->" ||
        (text.size() > 2 && text.front() == '<' && text.back() == '>' && is_digits(text.substr(1, text.size() - 2)))) {
      throw QuerySyntaxError("'" + std::string(text) + "' is not an operator", start,
                             "for words in sequence write a phrase, \"a b\"; for words near each other, a NEAR/5 b");
    }
    if (text.size() > 1 && text.front() == '@' && is_digits(text.substr(1))) {
      throw QuerySyntaxError("'" + std::string(text) + "' is not an operator", start,
                             "for words near each other write a NEAR/" + std::string(text.substr(1)) + " b");
    }
    if (text == "AROUND" && end < query_.size() && query_[end] == '(') {
      throw QuerySyntaxError("AROUND(n) is not an operator", start, "write a NEAR/n b");
    }
    if (text.size() > 2 && text.front() == '/' && text.back() == '/') {
      throw QuerySyntaxError("regular expressions are not supported", start,
                             "use wildcards: ? for one character, * for any, e.g. te?ror or envir*");
    }
  }

  // The "^BOOST" (and, after a phrase, "~N") written directly at pos_; 1
  // when there is none.
  double lex_boost_suffix(bool phrase) {
    if (pos_ < query_.size() && query_[pos_] == '~' && !phrase) {
      throw QuerySyntaxError("'~' after ')'", pos_, "'~N' follows a phrase (\"a b\"~3) or a word (word~1)");
    }
    if (pos_ >= query_.size() || query_[pos_] != '^') return 1.0;
    const std::size_t caret = pos_;
    std::size_t end = caret + 1;
    while (!is_word_end(query_, end)) ++end;
    const std::optional<double> boost = parse_boost(query_.substr(caret + 1, end - caret - 1));
    if (!boost) throw_bad_boost(caret);
    pos_ = end;
    return *boost;
  }

  [[noreturn]] static void throw_bad_boost(std::size_t caret) {
    throw QuerySyntaxError("'^' must be followed by a boost", caret,
                           "write a number from 0 to 1000 with at most three decimals, e.g. tariff^2");
  }

  static Token leaf_token(QueryNode leaf) {
    Token token;
    token.kind = TokenKind::kLeaf;
    token.position = leaf.position;
    token.leaf = std::move(leaf);
    return token;
  }

  // `colon` is the index of the ':' after an identifier starting at pos_.
  Token lex_field(std::size_t colon) {
    const std::size_t start = pos_;
    const std::string_view typed_name = query_.substr(start, colon - start);
    std::string name(typed_name);
    for (char& ch : name) {
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    }
    const std::size_t value = colon + 1;
    if (value >= query_.size() || query_[value] == ')' || space_length(query_, value) > 0) {
      throw QuerySyntaxError("field \"" + std::string(typed_name) + "\" has no value", start,
                             "write the value right after the colon, e.g. " + std::string(typed_name) + ":water");
    }
    if (query_[value] == '(') {
      Token token;
      token.kind = TokenKind::kFieldGroup;
      token.position = start;
      token.length = value - start;
      token.field = std::move(name);
      pos_ = value;  // the '(' is lexed as the next token
      return token;
    }
    if (quote_length(query_, value) > 0) return leaf_token(lex_phrase(value, start, name));
    if (query_[value] == '[' || query_[value] == '{') {
      throw QuerySyntaxError("ranges are not written with brackets", value,
                             "write " + std::string(typed_name) + ":2000..2010 (a range of years)");
    }
    if (query_[value] == '-') {
      throw QuerySyntaxError("a field value cannot start with '-'", value,
                             "to exclude, put the '-' before the field: -" + std::string(typed_name) + ":word");
    }
    std::size_t end = value;
    while (!is_word_end(query_, end)) ++end;
    pos_ = end;
    return leaf_token(value_leaf(query_.substr(value, end - value), value, start, name));
  }

  // A phrase whose opening quote is at `open`; the node starts at `node_position`
  // (the field, if any).
  QueryNode lex_phrase(std::size_t open, std::size_t node_position, std::string field) {
    const std::size_t content_start = open + quote_length(query_, open);
    std::size_t close = content_start;
    while (close < query_.size() && quote_length(query_, close) == 0) ++close;
    if (close >= query_.size()) {
      throw QuerySyntaxError("unterminated phrase", open, "close the quote or remove it");
    }
    const std::string_view content = query_.substr(content_start, close - content_start);
    if (is_blank(content)) {
      throw QuerySyntaxError("empty phrase", open, "put words between the quotes, or remove them");
    }
    check_phrase_wildcards(content, content_start);
    pos_ = close + quote_length(query_, close);
    QueryNode phrase;
    phrase.kind = Kind::kPhrase;
    if (pos_ < query_.size() && query_[pos_] == '~') {
      const std::size_t tilde = pos_;
      std::size_t end = tilde + 1;
      while (end < query_.size() && query_[end] >= '0' && query_[end] <= '9') ++end;
      const std::string_view digits = query_.substr(tilde + 1, end - tilde - 1);
      if (digits.empty()) {
        throw QuerySyntaxError("'~' after a phrase without a distance", tilde,
                               "write \"...\"~N: N = 0 for the phrase in any inflection, N > 0 for its words "
                               "within N other words");
      }
      phrase.kind = Kind::kProximity;
      phrase.near_distance = checked_distance(digits, tilde, "~");
      pos_ = end;
    }
    phrase.boost = lex_boost_suffix(/*phrase=*/true);
    phrase.text = std::string(content);
    phrase.field = std::move(field);
    phrase.position = node_position;
    return phrase;
  }

  // Inside a phrase, '*' directly ends a word (a prefix) and a '?' between
  // letters would be a wildcard: the one is allowed, the other rejected.
  static void check_phrase_wildcards(std::string_view content, std::size_t content_start) {
    for (std::size_t i = 0; i < content.size(); ++i) {
      const unsigned char before = i > 0 ? static_cast<unsigned char>(content[i - 1]) : ' ';
      const unsigned char after = i + 1 < content.size() ? static_cast<unsigned char>(content[i + 1]) : ' ';
      if (content[i] == '*' &&
          (!is_word_char(before) || !(after == ' ' || space_length(content, i + 1) > 0 || i + 1 == content.size()))) {
        throw QuerySyntaxError("'*' inside a phrase must end a word", content_start + i,
                               "write a prefix as the end of a word, e.g. \"national debt*\"; "
                               "a '*' for a whole word is not supported");
      }
      if (content[i] == '?' && is_word_char(before) && is_word_char(after)) {
        throw QuerySyntaxError("'?' wildcard inside a phrase", content_start + i,
                               "'?' stands for one character only outside phrases: write te?ror without quotes");
      }
    }
  }

  // A WORD, WILDCARD, PATTERN or FUZZY, with its boost, whose text starts
  // at `text_position`.
  QueryNode value_leaf(std::string_view text, std::size_t text_position, std::size_t node_position,
                       std::string field) const {
    QueryNode leaf;
    leaf.kind = Kind::kWord;
    leaf.position = node_position;
    leaf.field = std::move(field);
    if (text.front() == '[' || text.front() == '{') {
      throw QuerySyntaxError("ranges are not written with brackets", text_position,
                             "write field:2000..2010 for a range of years; brackets are not searched");
    }
    const std::size_t caret = text.find('^');
    if (caret != std::string_view::npos) {
      const std::optional<double> boost = parse_boost(text.substr(caret + 1));
      if (caret == 0 || !boost) throw_bad_boost(text_position + caret);
      leaf.boost = *boost;
      text = text.substr(0, caret);
    }
    const std::size_t tilde = text.find('~');
    if (tilde == 0) {
      throw QuerySyntaxError("'~' before a word", text_position,
                             "to exclude a word write -word; for similar spellings write word~1");
    }
    if (tilde != std::string_view::npos) {
      const std::string_view distance = text.substr(tilde + 1);
      if (!(distance.empty() || distance == "0" || distance == "1" || distance == "2")) {
        throw QuerySyntaxError("'~' in a word must end it, with an edit distance of 0, 1 or 2", text_position + tilde,
                               "write word~1 or word~2 (word~ means word~2)");
      }
      leaf.kind = Kind::kFuzzy;
      leaf.edit_distance = distance.empty() ? 2 : static_cast<unsigned>(distance[0] - '0');
      text = text.substr(0, tilde);
    }
    // A '?' is a wildcard when something follows it; at the end of a word
    // it is a question mark ("what?"), as the analyzer reads it.
    std::size_t plain_end = text.size();
    while (plain_end > 0 && text[plain_end - 1] == '?') --plain_end;
    const std::size_t star = text.find('*');
    const std::size_t question = text.substr(0, plain_end).find('?');
    const std::size_t wildcard = std::min(star, question);
    if (wildcard != std::string_view::npos) {
      if (wildcard == 0) {
        throw QuerySyntaxError("'" + std::string(1, text[0]) + "' without a prefix", text_position,
                               "put at least one character before the wildcard, e.g. environ* or te?ror");
      }
      if (leaf.kind == Kind::kFuzzy) {
        throw QuerySyntaxError("a word cannot be both a wildcard and fuzzy", text_position + tilde,
                               "remove the '~N' or the wildcard");
      }
      text = text.substr(0, plain_end);  // trailing '?' are question marks
      if (text.find('?') == std::string_view::npos && text.find('*') == text.size() - 1) {
        leaf.kind = Kind::kWildcard;
        text.remove_suffix(1);
      } else {
        leaf.kind = Kind::kPattern;
      }
    }
    leaf.text = std::string(text);
    return leaf;
  }

  // A distance written after "NEAR/" or "~", checked against the limit.
  unsigned checked_distance(std::string_view digits, std::size_t position, std::string_view form) const {
    const std::string limit = std::to_string(limits_.max_near_distance);
    unsigned long long distance = 0;
    for (char d : digits) {
      distance = distance * 10 + static_cast<unsigned>(d - '0');
      if (distance > limits_.max_near_distance) {
        throw QuerySyntaxError(
            std::string(form == "~" ? "proximity" : "NEAR") + " distance above the limit of " + limit, position,
            "use a distance from 0 to " + limit + ", e.g. " +
                (form == "~" ? std::string("\"a b\"~5") : std::string("NEAR/5")));
      }
    }
    return static_cast<unsigned>(distance);
  }

  // The distance of a NEAR token ("NEAR", "NEAR/..."), checked.
  unsigned near_distance(std::string_view text, std::size_t position) const {
    const std::string limit = std::to_string(limits_.max_near_distance);
    if (text == "NEAR") {
      throw QuerySyntaxError("NEAR without a distance", position, "write NEAR/n, e.g. NEAR/5");
    }
    const std::string_view digits = text.substr(5);
    const bool all_digits =
        !digits.empty() && std::all_of(digits.begin(), digits.end(), [](char d) { return d >= '0' && d <= '9'; });
    if (!all_digits) {
      throw QuerySyntaxError("malformed NEAR operator", position,
                             "write NEAR/n with n a number from 0 to " + limit + ", e.g. NEAR/5");
    }
    return checked_distance(digits, position, "NEAR/");
  }

  std::string_view query_;
  const QueryLimits& limits_;
  std::size_t pos_ = 0;
  bool after_minus_ = false;  // after '-', '!' or '+'
  std::optional<Token> lookahead_;
};

// ---------------------------------------------------------------------------
// Parser.
//
// Stack use matters here: each level of parentheses costs one call of every
// Parse* function, so the recursive path keeps one node per frame, copies
// no tokens, and builds error messages in out-of-line cold functions
// ([[gnu::noinline]]: otherwise their string temporaries would be inlined
// into, and enlarge, every frame).

#define POLICY_COLD [[noreturn, gnu::noinline, gnu::cold]]

bool is_infix_operator(TokenKind kind) {
  return kind == TokenKind::kAnd || kind == TokenKind::kOr || kind == TokenKind::kNear;
}

bool is_prefix_operator(TokenKind kind) { return kind == TokenKind::kNot || kind == TokenKind::kMinus; }

// Tokens that can begin a near_expr, and so continue an implicit AND.
bool starts_operand(TokenKind kind) {
  return kind == TokenKind::kLeaf || kind == TokenKind::kFieldGroup || kind == TokenKind::kLParen ||
         is_prefix_operator(kind);
}

// Turns `node` into a `kind` node whose only child is the old `node`, at the
// same position.
[[gnu::noinline]] void Wrap(Kind kind, QueryNode& node) {
  QueryNode parent;
  parent.kind = kind;
  parent.position = node.position;
  parent.children.push_back(std::move(node));
  node = std::move(parent);
}

// If the last child of `parent` is of the same kind (kAnd, kOr), replaces it
// by its children.
[[gnu::noinline]] void flatten_last_child(QueryNode& parent) {
  if (parent.children.back().kind != parent.kind || parent.children.back().boost != 1.0) return;
  QueryNode last = std::move(parent.children.back());
  parent.children.pop_back();
  for (QueryNode& child : last.children) parent.children.push_back(std::move(child));
}

POLICY_COLD void throw_unmatched_close(std::size_t position) {
  throw QuerySyntaxError("unmatched ')'", position, "remove it or add a matching '('");
}

POLICY_COLD void throw_unclosed_open(std::size_t position) {
  throw QuerySyntaxError("unclosed '('", position, "add a matching ')' or remove the '('");
}

POLICY_COLD void throw_nested_field(const std::string& inner, std::size_t position) {
  throw QuerySyntaxError("field \"" + inner + "\" inside a field group", position,
                         "a field before '(' applies to everything inside; "
                         "remove one of the two fields");
}

POLICY_COLD void throw_boosted_twice(std::size_t position) {
  throw QuerySyntaxError("a boost of something boosted already", position, "boost it once: (a b)^2 or a^2 b");
}

POLICY_COLD void throw_mixed_near(std::size_t position) {
  throw QuerySyntaxError("different NEAR distances in one chain", position,
                         "use one distance, or group with parentheses, "
                         "e.g. (a NEAR/3 b) NEAR/5 c");
}

POLICY_COLD void throw_too_deep(std::size_t max_depth, std::size_t position) {
  throw QuerySyntaxError(
      "query nested too deeply (more than " + std::to_string(max_depth) + " levels of parentheses and NOT)", position,
      "remove unneeded parentheses or NOTs");
}

POLICY_COLD void throw_too_many_words(std::size_t max_words, std::size_t position) {
  throw too_many_words_error(max_words, position);
}

POLICY_COLD void throw_too_many_clauses(std::size_t max_clauses, std::size_t position) {
  const std::string limit = std::to_string(max_clauses);
  throw QuerySyntaxError("too many phrases, wildcards and fuzzy words (more than " + limit + ")", position,
                         "use at most " + limit + " of them");
}

// The operator or delimiter a token was lexed from, as typed.
struct TokenSpan {
  TokenKind kind = TokenKind::kStart;
  std::size_t position = 0;
  std::size_t length = 0;
};

// The error for `next` where a term was expected, worded after the token
// before it.
POLICY_COLD void throw_missing_term(std::string_view query, TokenSpan previous, TokenSpan next) {
  const auto text = [query](TokenSpan span) { return std::string(query.substr(span.position, span.length)); };
  const bool after_operator = is_infix_operator(previous.kind) || is_prefix_operator(previous.kind);
  if (after_operator && is_infix_operator(next.kind)) {
    throw QuerySyntaxError("missing term between " + text(previous) + " and " + text(next), previous.position,
                           "put a term between them, or remove one of them");
  }
  if (after_operator) {  // ')' or the end
    throw QuerySyntaxError(text(previous) + " has no term after it", previous.position,
                           "add a term after " + text(previous) + ", or remove it");
  }
  // After the start of the query or a '('.
  const bool after_open = previous.kind == TokenKind::kLParen;
  if (is_infix_operator(next.kind)) {
    throw QuerySyntaxError(text(next) + " has no term before it", next.position,
                           "add a term before " + text(next) + ", or remove it");
  }
  if (next.kind == TokenKind::kRParen) {
    if (after_open) {
      throw QuerySyntaxError("empty parentheses", previous.position,
                             "put terms inside the parentheses, or remove them");
    }
    throw_unmatched_close(next.position);
  }
  if (after_open) throw_unclosed_open(previous.position);
  throw QuerySyntaxError("empty query", 0, "type at least one word to search for");
}

class Parser {
 public:
  Parser(std::string_view query, const QueryLimits& limits)
      : query_(query),
        limits_(limits),
        lexer_(query, limits),
        max_depth_(std::min(limits.max_depth, kQueryDepthCeiling)) {}

  QueryNode parse_query() {
    QueryNode root;
    parse_or(root);
    // parse_or stops only at ')' or the end.
    if (lexer_.peek().kind == TokenKind::kRParen) throw_unmatched_close(lexer_.peek().position);
    return root;
  }

 private:
  // The Parse* functions fill `out` (a default node) rather than return, so
  // that no frame holds a temporary node.

  // or_expr := and_expr ( "OR" and_expr )*
  void parse_or(QueryNode& out) {
    parse_and(out);
    if (lexer_.peek().kind != TokenKind::kOr) return;
    if (out.kind != Kind::kOr || out.boost != 1.0) Wrap(Kind::kOr, out);
    while (lexer_.peek().kind == TokenKind::kOr) {
      advance();
      parse_and(out.children.emplace_back());
      flatten_last_child(out);
    }
  }

  // and_expr := near_expr ( [ "AND" ] near_expr )*
  void parse_and(QueryNode& out) {
    parse_near(out);
    for (;;) {
      const TokenKind next = lexer_.peek().kind;
      if (next == TokenKind::kAnd) {
        advance();
      } else if (!starts_operand(next)) {
        return;
      }
      if (out.kind != Kind::kAnd || out.boost != 1.0) Wrap(Kind::kAnd, out);
      parse_near(out.children.emplace_back());
      flatten_last_child(out);
    }
  }

  // near_expr := unary ( "NEAR/" N unary )*, one N per chain. Not flattened:
  // a parenthesised NEAR stays a child.
  void parse_near(QueryNode& out) {
    parse_unary(out);
    if (lexer_.peek().kind != TokenKind::kNear) return;
    Wrap(Kind::kNear, out);
    out.near_distance = lexer_.peek().near_distance;
    while (lexer_.peek().kind == TokenKind::kNear) {
      if (lexer_.peek().near_distance != out.near_distance) {
        throw_mixed_near(lexer_.peek().position);
      }
      advance();
      parse_unary(out.children.emplace_back());
    }
  }

  // unary := ( "NOT" | "-" ) unary | primary; iterative, so a chain of NOTs
  // costs no stack.
  void parse_unary(QueryNode& out) {
    std::vector<std::size_t> not_positions;
    while (is_prefix_operator(lexer_.peek().kind)) {
      not_positions.push_back(lexer_.peek().position);
      enter_level(lexer_.peek().position);
      advance();
    }
    parse_primary(out);
    for (auto it = not_positions.rbegin(); it != not_positions.rend(); ++it) {
      Wrap(Kind::kNot, out);
      out.position = *it;
    }
    depth_ -= not_positions.size();
  }

  // primary := "(" or_expr ")" | FIELD ":" primary_value | value
  void parse_primary(QueryNode& out) {
    const Token& next = lexer_.peek();
    if (next.kind == TokenKind::kLeaf) {
      count_leaf(next.leaf.kind, next.position);
      if (!field_.empty() && !next.leaf.field.empty()) {
        throw_nested_field(next.leaf.field, next.position);
      }
      Record(next);
      lexer_.take_leaf(out);
      if (!field_.empty()) out.field = field_;
      return;
    }
    if (next.kind == TokenKind::kFieldGroup) {
      if (!field_.empty()) throw_nested_field(next.field, next.position);
      field_ = next.field;
      advance();
      parse_group(out);
      field_.clear();
      return;
    }
    if (next.kind != TokenKind::kLParen) throw_missing_term(query_, previous_, Span(next));
    parse_group(out);
  }

  // "(" or_expr ")", the '(' being the next token.
  void parse_group(QueryNode& out) {
    const std::size_t open = lexer_.peek().position;
    enter_level(open);
    advance();
    parse_or(out);
    if (lexer_.peek().kind != TokenKind::kRParen) throw_unclosed_open(open);
    if (lexer_.peek().boost != 1.0) {
      if (out.boost != 1.0) throw_boosted_twice(lexer_.peek().position);
      out.boost = lexer_.peek().boost;
    }
    advance();
    --depth_;
  }

  static TokenSpan Span(const Token& token) { return {token.kind, token.position, token.length}; }

  // Remembers `token` as the previous one, for ThrowMissingTerm.
  void Record(const Token& token) { previous_ = Span(token); }

  // Consumes the peeked token.
  void advance() {
    Record(lexer_.peek());
    lexer_.Skip();
  }

  void enter_level(std::size_t position) {
    if (++depth_ > max_depth_) throw_too_deep(max_depth_, position);
  }

  void count_leaf(QueryNode::Kind kind, std::size_t position) {
    if (kind == QueryNode::Kind::kWord) {
      if (++words_ > limits_.max_words) throw_too_many_words(limits_.max_words, position);
    } else if (++clauses_ > limits_.max_clauses) {
      throw_too_many_clauses(limits_.max_clauses, position);
    }
  }

  std::string_view query_;
  const QueryLimits& limits_;
  Lexer lexer_;
  const std::size_t max_depth_;
  std::size_t depth_ = 0;    // open parentheses plus pending NOTs
  std::size_t words_ = 0;    // plain-word leaves so far
  std::size_t clauses_ = 0;  // other leaves so far
  std::string field_;        // field of the enclosing field group, or ""
  TokenSpan previous_;       // the last consumed token
};

#undef POLICY_COLD

// ---------------------------------------------------------------------------
// describe().

void append_quoted(std::string& out, std::string_view text) {
  out += '"';
  for (char ch : text) {
    const unsigned char byte = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (ch == '\t') {
      out += "\\t";
    } else if (ch == '\n') {
      out += "\\n";
    } else if (ch == '\r') {
      out += "\\r";
    } else if (byte < 0x20 || byte == 0x7F) {
      out += "\\x" + hex_byte(byte).substr(2);
    } else {
      out += ch;
    }
  }
  out += '"';
}

void describe_into(const QueryNode& node, std::string& out) {
  const char* leaf_name = nullptr;
  switch (node.kind) {
    case Kind::kWord:
      leaf_name = "WORD";
      break;
    case Kind::kPhrase:
      leaf_name = "PHRASE";
      break;
    case Kind::kWildcard:
      leaf_name = "WILDCARD";
      break;
    case Kind::kPattern:
      leaf_name = "PATTERN";
      break;
    case Kind::kFuzzy:
      out += "(FUZZY~" + std::to_string(node.edit_distance);
      break;
    case Kind::kProximity:
      out += "(PHRASE~" + std::to_string(node.near_distance);
      break;
    case Kind::kAnd:
      out += "(AND";
      break;
    case Kind::kOr:
      out += "(OR";
      break;
    case Kind::kNot:
      out += "(NOT";
      break;
    case Kind::kNear:
      out += "(NEAR/" + std::to_string(node.near_distance);
      break;
  }
  const bool leaf = node.kind == Kind::kWord || node.kind == Kind::kPhrase || node.kind == Kind::kWildcard ||
                    node.kind == Kind::kPattern || node.kind == Kind::kFuzzy || node.kind == Kind::kProximity;
  if (leaf_name != nullptr) {
    out += '(';
    out += leaf_name;
  }
  if (leaf) {
    out += ' ';
    if (!node.field.empty()) out += node.field + ":";
    append_quoted(out, node.text);
  }
  for (const QueryNode& child : node.children) {
    out += ' ';
    describe_into(child, out);
  }
  out += ')';
  if (node.boost != 1.0) out += "^" + format_boost(node.boost);
}

}  // namespace

std::string format_boost(double boost) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", boost);
  std::string text = buffer;
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

QuerySyntaxError::QuerySyntaxError(std::string message, std::size_t position, std::string hint)
    : RequestError(format_what(message, position, hint)),
      message_(std::move(message)),
      position_(position),
      hint_(std::move(hint)) {}

QuerySyntaxError too_many_words_error(std::size_t max_words, std::size_t position) {
  const std::string limit = std::to_string(max_words);
  return QuerySyntaxError("too many words (more than " + limit + ")", position, "use at most " + limit + " words");
}

void check_query_text(std::string_view query, const QueryLimits& limits) {
  if (query.size() > limits.max_query_bytes) {
    throw QuerySyntaxError("query too long (" + std::to_string(query.size()) + " bytes; the limit is " +
                               std::to_string(limits.max_query_bytes) + ")",
                           limits.max_query_bytes, "shorten the query");
  }
  check_encoding(query);
  if (is_blank(query)) {
    throw QuerySyntaxError("empty query", 0, "type at least one word to search for");
  }
}

QueryNode parse_query_syntax(std::string_view query, const QueryLimits& limits) {
  check_query_text(query, limits);
  return Parser(query, limits).parse_query();
}

std::string describe(const QueryNode& node) {
  std::string out;
  describe_into(node, out);
  return out;
}

}  // namespace policy
