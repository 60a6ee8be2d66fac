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

std::string FormatWhat(const std::string& message, std::size_t position, const std::string& hint) {
  std::string what = message + " (at position " + std::to_string(position) + ")";
  if (!hint.empty()) what += "; hint: " + hint;
  return what;
}

std::string HexByte(unsigned char byte) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "0x%02X", static_cast<unsigned>(byte));
  return buffer;
}

// ---------------------------------------------------------------------------
// Characters. All helpers take a byte index into a query that has passed
// CheckEncoding, and never read past its end.

bool IsAsciiSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }

unsigned char ByteAt(std::string_view s, std::size_t i) { return i < s.size() ? static_cast<unsigned char>(s[i]) : 0; }

// Length in bytes of the whitespace character starting at `i`, or 0.
std::size_t SpaceLength(std::string_view s, std::size_t i) {
  if (IsAsciiSpace(ByteAt(s, i))) return 1;
  return i < s.size() ? unicode_space_length(s, i) : 0;
}

// Length in bytes of the double quote ('"', U+201C, U+201D) at `i`, or 0.
std::size_t QuoteLength(std::string_view s, std::size_t i) {
  const unsigned char c0 = ByteAt(s, i);
  if (c0 == '"') return 1;
  if (c0 == 0xE2 && ByteAt(s, i + 1) == 0x80 && (ByteAt(s, i + 2) == 0x9C || ByteAt(s, i + 2) == 0x9D)) {
    return 3;
  }
  return 0;
}

// True where a WORD ends. Scanning byte by byte is safe: every delimiter
// starts with an ASCII or lead byte, never with a continuation byte.
bool IsWordEnd(std::string_view s, std::size_t i) {
  return i >= s.size() || s[i] == '(' || s[i] == ')' || SpaceLength(s, i) > 0 || QuoteLength(s, i) > 0;
}

bool IsIdentifierStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }

bool IsIdentifierChar(char c) { return IsIdentifierStart(c) || (c >= '0' && c <= '9'); }

bool IsBlank(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t space = SpaceLength(s, i);
    if (space == 0) return false;
    i += space;
  }
  return true;
}

// Throws at the first byte that does not start well-formed UTF-8 (overlong
// forms, surrogates and code points above U+10FFFF included), or at a control
// character that is not whitespace.
void CheckEncoding(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if ((c < 0x20 && !IsAsciiSpace(c)) || c == 0x7F) {
        throw QuerySyntaxError("control character " + HexByte(c) + " in the query", i,
                               "remove it; only spaces, tabs and line breaks may "
                               "separate words");
      }
      ++i;
      continue;
    }
    const std::size_t length = utf8_sequence_length(s, i);
    const bool valid = length > 0;
    if (!valid) {
      throw QuerySyntaxError("invalid UTF-8 (byte " + HexByte(c) + ")", i,
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
};

class Lexer {
 public:
  Lexer(std::string_view query, const QueryLimits& limits) : query_(query), limits_(limits) {}

  // Out of line: inlined, the Token built by Lex() would sit in every
  // parser frame.
  [[gnu::noinline]] const Token& Peek() {
    if (!lookahead_) lookahead_ = Lex();
    return *lookahead_;
  }

  // Drops the peeked token.
  void Skip() {
    Peek();
    lookahead_.reset();
  }

  // Moves the leaf of the peeked kLeaf token into `out`.
  [[gnu::noinline]] void TakeLeaf(QueryNode& out) {
    out = std::move(lookahead_->leaf);
    lookahead_.reset();
  }

 private:
  Token Lex() {
    while (pos_ < query_.size()) {
      const std::size_t space = SpaceLength(query_, pos_);
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
      return token;
    }
    if (QuoteLength(query_, pos_) > 0) {
      return LeafToken(LexPhrase(pos_, pos_, ""));
    }
    if (c == '-') {
      const std::size_t next = pos_ + 1;
      if (next >= query_.size() || query_[next] == ')' || SpaceLength(query_, next) > 0) {
        throw QuerySyntaxError("'-' is not directly followed by a term", pos_,
                               "write -word with no space to exclude a word, "
                               "e.g. -coal, or remove the '-'");
      }
      token.kind = TokenKind::kMinus;
      token.length = 1;
      ++pos_;
      after_minus_ = true;
      return token;
    }
    if (IsIdentifierStart(c)) {
      std::size_t end = pos_ + 1;
      while (end < query_.size() && IsIdentifierChar(query_[end])) ++end;
      if (end < query_.size() && query_[end] == ':') return LexField(end);
    }

    const std::size_t start = pos_;
    std::size_t end = start;
    while (!IsWordEnd(query_, end)) ++end;
    const std::string_view text = query_.substr(start, end - start);
    if (operators_allowed) {
      std::optional<TokenKind> op;
      if (text == "AND") op = TokenKind::kAnd;
      if (text == "OR") op = TokenKind::kOr;
      if (text == "NOT") op = TokenKind::kNot;
      if (text == "NEAR" || text.starts_with("NEAR/")) {
        token.near_distance = NearDistance(text, start);
        op = TokenKind::kNear;
      }
      if (op) {
        token.kind = *op;
        token.length = text.size();
        pos_ = end;
        return token;
      }
    }
    pos_ = end;
    return LeafToken(ValueLeaf(text, start, start, ""));
  }

  static Token LeafToken(QueryNode leaf) {
    Token token;
    token.kind = TokenKind::kLeaf;
    token.position = leaf.position;
    token.leaf = std::move(leaf);
    return token;
  }

  // `colon` is the index of the ':' after an identifier starting at pos_.
  Token LexField(std::size_t colon) {
    const std::size_t start = pos_;
    const std::string_view typed_name = query_.substr(start, colon - start);
    std::string name(typed_name);
    for (char& ch : name) {
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    }
    const std::size_t value = colon + 1;
    if (value >= query_.size() || query_[value] == ')' || SpaceLength(query_, value) > 0) {
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
    if (QuoteLength(query_, value) > 0) return LeafToken(LexPhrase(value, start, name));
    if (query_[value] == '-') {
      throw QuerySyntaxError("a field value cannot start with '-'", value,
                             "to exclude, put the '-' before the field: -" + std::string(typed_name) + ":word");
    }
    std::size_t end = value;
    while (!IsWordEnd(query_, end)) ++end;
    pos_ = end;
    return LeafToken(ValueLeaf(query_.substr(value, end - value), value, start, name));
  }

  // A phrase whose opening quote is at `open`; the node starts at `node_position`
  // (the field, if any).
  QueryNode LexPhrase(std::size_t open, std::size_t node_position, std::string field) {
    const std::size_t content_start = open + QuoteLength(query_, open);
    std::size_t close = content_start;
    while (close < query_.size() && QuoteLength(query_, close) == 0) ++close;
    if (close >= query_.size()) {
      throw QuerySyntaxError("unterminated phrase", open, "close the quote or remove it");
    }
    const std::string_view content = query_.substr(content_start, close - content_start);
    if (IsBlank(content)) {
      throw QuerySyntaxError("empty phrase", open, "put words between the quotes, or remove them");
    }
    pos_ = close + QuoteLength(query_, close);
    QueryNode phrase;
    phrase.kind = Kind::kPhrase;
    phrase.text = std::string(content);
    phrase.field = std::move(field);
    phrase.position = node_position;
    return phrase;
  }

  // A WORD or WILDCARD whose text starts at `text_position`.
  static QueryNode ValueLeaf(std::string_view text, std::size_t text_position, std::size_t node_position,
                             std::string field) {
    QueryNode leaf;
    leaf.kind = Kind::kWord;
    leaf.position = node_position;
    leaf.field = std::move(field);
    const std::size_t star = text.find('*');
    if (star != std::string_view::npos) {
      if (star + 1 < text.size()) {
        throw QuerySyntaxError("'*' is only allowed at the end of a word", text_position + star,
                               "use a prefix wildcard such as environ*, or remove the '*'");
      }
      if (star == 0) {
        throw QuerySyntaxError("'*' without a prefix", text_position,
                               "put at least one character before the '*', e.g. environ*");
      }
      leaf.kind = Kind::kWildcard;
      text.remove_suffix(1);
    }
    leaf.text = std::string(text);
    return leaf;
  }

  // The distance of a NEAR token ("NEAR", "NEAR/..."), checked.
  unsigned NearDistance(std::string_view text, std::size_t position) const {
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
    unsigned long long distance = 0;
    for (char d : digits) {
      distance = distance * 10 + static_cast<unsigned>(d - '0');
      if (distance > limits_.max_near_distance) {
        throw QuerySyntaxError("NEAR distance above the limit of " + limit, position,
                               "use a distance from 0 to " + limit + ", e.g. NEAR/5");
      }
    }
    return static_cast<unsigned>(distance);
  }

  std::string_view query_;
  const QueryLimits& limits_;
  std::size_t pos_ = 0;
  bool after_minus_ = false;
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

bool IsInfixOperator(TokenKind kind) {
  return kind == TokenKind::kAnd || kind == TokenKind::kOr || kind == TokenKind::kNear;
}

bool IsPrefixOperator(TokenKind kind) { return kind == TokenKind::kNot || kind == TokenKind::kMinus; }

// Tokens that can begin a near_expr, and so continue an implicit AND.
bool StartsOperand(TokenKind kind) {
  return kind == TokenKind::kLeaf || kind == TokenKind::kFieldGroup || kind == TokenKind::kLParen ||
         IsPrefixOperator(kind);
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
[[gnu::noinline]] void FlattenLastChild(QueryNode& parent) {
  if (parent.children.back().kind != parent.kind) return;
  QueryNode last = std::move(parent.children.back());
  parent.children.pop_back();
  for (QueryNode& child : last.children) parent.children.push_back(std::move(child));
}

POLICY_COLD void ThrowUnmatchedClose(std::size_t position) {
  throw QuerySyntaxError("unmatched ')'", position, "remove it or add a matching '('");
}

POLICY_COLD void ThrowUnclosedOpen(std::size_t position) {
  throw QuerySyntaxError("unclosed '('", position, "add a matching ')' or remove the '('");
}

POLICY_COLD void ThrowNestedField(const std::string& inner, std::size_t position) {
  throw QuerySyntaxError("field \"" + inner + "\" inside a field group", position,
                         "a field before '(' applies to everything inside; "
                         "remove one of the two fields");
}

POLICY_COLD void ThrowMixedNear(std::size_t position) {
  throw QuerySyntaxError("different NEAR distances in one chain", position,
                         "use one distance, or group with parentheses, "
                         "e.g. (a NEAR/3 b) NEAR/5 c");
}

POLICY_COLD void ThrowTooDeep(std::size_t max_depth, std::size_t position) {
  throw QuerySyntaxError(
      "query nested too deeply (more than " + std::to_string(max_depth) + " levels of parentheses and NOT)", position,
      "remove unneeded parentheses or NOTs");
}

POLICY_COLD void ThrowTooManyTerms(std::size_t max_clauses, std::size_t position) {
  const std::string limit = std::to_string(max_clauses);
  throw QuerySyntaxError("too many terms (more than " + limit + ")", position,
                         "use at most " + limit + " words, phrases and wildcards");
}

// The operator or delimiter a token was lexed from, as typed.
struct TokenSpan {
  TokenKind kind = TokenKind::kStart;
  std::size_t position = 0;
  std::size_t length = 0;
};

// The error for `next` where a term was expected, worded after the token
// before it.
POLICY_COLD void ThrowMissingTerm(std::string_view query, TokenSpan previous, TokenSpan next) {
  const auto text = [query](TokenSpan span) { return std::string(query.substr(span.position, span.length)); };
  const bool after_operator = IsInfixOperator(previous.kind) || IsPrefixOperator(previous.kind);
  if (after_operator && IsInfixOperator(next.kind)) {
    throw QuerySyntaxError("missing term between " + text(previous) + " and " + text(next), previous.position,
                           "put a term between them, or remove one of them");
  }
  if (after_operator) {  // ')' or the end
    throw QuerySyntaxError(text(previous) + " has no term after it", previous.position,
                           "add a term after " + text(previous) + ", or remove it");
  }
  // After the start of the query or a '('.
  const bool after_open = previous.kind == TokenKind::kLParen;
  if (IsInfixOperator(next.kind)) {
    throw QuerySyntaxError(text(next) + " has no term before it", next.position,
                           "add a term before " + text(next) + ", or remove it");
  }
  if (next.kind == TokenKind::kRParen) {
    if (after_open) {
      throw QuerySyntaxError("empty parentheses", previous.position,
                             "put terms inside the parentheses, or remove them");
    }
    ThrowUnmatchedClose(next.position);
  }
  if (after_open) ThrowUnclosedOpen(previous.position);
  throw QuerySyntaxError("empty query", 0, "type at least one word to search for");
}

class Parser {
 public:
  Parser(std::string_view query, const QueryLimits& limits)
      : query_(query),
        limits_(limits),
        lexer_(query, limits),
        max_depth_(std::min(limits.max_depth, kQueryDepthCeiling)) {}

  QueryNode ParseQuery() {
    QueryNode root;
    ParseOr(root);
    // ParseOr stops only at ')' or the end.
    if (lexer_.Peek().kind == TokenKind::kRParen) ThrowUnmatchedClose(lexer_.Peek().position);
    return root;
  }

 private:
  // The Parse* functions fill `out` (a default node) rather than return, so
  // that no frame holds a temporary node.

  // or_expr := and_expr ( "OR" and_expr )*
  void ParseOr(QueryNode& out) {
    ParseAnd(out);
    if (lexer_.Peek().kind != TokenKind::kOr) return;
    if (out.kind != Kind::kOr) Wrap(Kind::kOr, out);
    while (lexer_.Peek().kind == TokenKind::kOr) {
      Advance();
      ParseAnd(out.children.emplace_back());
      FlattenLastChild(out);
    }
  }

  // and_expr := near_expr ( [ "AND" ] near_expr )*
  void ParseAnd(QueryNode& out) {
    ParseNear(out);
    for (;;) {
      const TokenKind next = lexer_.Peek().kind;
      if (next == TokenKind::kAnd) {
        Advance();
      } else if (!StartsOperand(next)) {
        return;
      }
      if (out.kind != Kind::kAnd) Wrap(Kind::kAnd, out);
      ParseNear(out.children.emplace_back());
      FlattenLastChild(out);
    }
  }

  // near_expr := unary ( "NEAR/" N unary )*, one N per chain. Not flattened:
  // a parenthesised NEAR stays a child.
  void ParseNear(QueryNode& out) {
    ParseUnary(out);
    if (lexer_.Peek().kind != TokenKind::kNear) return;
    Wrap(Kind::kNear, out);
    out.near_distance = lexer_.Peek().near_distance;
    while (lexer_.Peek().kind == TokenKind::kNear) {
      if (lexer_.Peek().near_distance != out.near_distance) {
        ThrowMixedNear(lexer_.Peek().position);
      }
      Advance();
      ParseUnary(out.children.emplace_back());
    }
  }

  // unary := ( "NOT" | "-" ) unary | primary; iterative, so a chain of NOTs
  // costs no stack.
  void ParseUnary(QueryNode& out) {
    std::vector<std::size_t> not_positions;
    while (IsPrefixOperator(lexer_.Peek().kind)) {
      not_positions.push_back(lexer_.Peek().position);
      EnterLevel(lexer_.Peek().position);
      Advance();
    }
    ParsePrimary(out);
    for (auto it = not_positions.rbegin(); it != not_positions.rend(); ++it) {
      Wrap(Kind::kNot, out);
      out.position = *it;
    }
    depth_ -= not_positions.size();
  }

  // primary := "(" or_expr ")" | FIELD ":" primary_value | value
  void ParsePrimary(QueryNode& out) {
    const Token& next = lexer_.Peek();
    if (next.kind == TokenKind::kLeaf) {
      CountClause(next.position);
      if (!field_.empty() && !next.leaf.field.empty()) {
        ThrowNestedField(next.leaf.field, next.position);
      }
      Record(next);
      lexer_.TakeLeaf(out);
      if (!field_.empty()) out.field = field_;
      return;
    }
    if (next.kind == TokenKind::kFieldGroup) {
      if (!field_.empty()) ThrowNestedField(next.field, next.position);
      field_ = next.field;
      Advance();
      ParseGroup(out);
      field_.clear();
      return;
    }
    if (next.kind != TokenKind::kLParen) ThrowMissingTerm(query_, previous_, Span(next));
    ParseGroup(out);
  }

  // "(" or_expr ")", the '(' being the next token.
  void ParseGroup(QueryNode& out) {
    const std::size_t open = lexer_.Peek().position;
    EnterLevel(open);
    Advance();
    ParseOr(out);
    if (lexer_.Peek().kind != TokenKind::kRParen) ThrowUnclosedOpen(open);
    Advance();
    --depth_;
  }

  static TokenSpan Span(const Token& token) { return {token.kind, token.position, token.length}; }

  // Remembers `token` as the previous one, for ThrowMissingTerm.
  void Record(const Token& token) { previous_ = Span(token); }

  // Consumes the peeked token.
  void Advance() {
    Record(lexer_.Peek());
    lexer_.Skip();
  }

  void EnterLevel(std::size_t position) {
    if (++depth_ > max_depth_) ThrowTooDeep(max_depth_, position);
  }

  void CountClause(std::size_t position) {
    if (++clauses_ > limits_.max_clauses) ThrowTooManyTerms(limits_.max_clauses, position);
  }

  std::string_view query_;
  const QueryLimits& limits_;
  Lexer lexer_;
  const std::size_t max_depth_;
  std::size_t depth_ = 0;    // open parentheses plus pending NOTs
  std::size_t clauses_ = 0;  // leaves so far
  std::string field_;        // field of the enclosing field group, or ""
  TokenSpan previous_;       // the last consumed token
};

#undef POLICY_COLD

// ---------------------------------------------------------------------------
// describe().

void AppendQuoted(std::string& out, std::string_view text) {
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
      out += "\\x" + HexByte(byte).substr(2);
    } else {
      out += ch;
    }
  }
  out += '"';
}

void Describe(const QueryNode& node, std::string& out) {
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
  if (leaf_name != nullptr) {
    out += '(';
    out += leaf_name;
    out += ' ';
    if (!node.field.empty()) out += node.field + ":";
    AppendQuoted(out, node.text);
    out += ')';
    return;
  }
  for (const QueryNode& child : node.children) {
    out += ' ';
    Describe(child, out);
  }
  out += ')';
}

}  // namespace

QuerySyntaxError::QuerySyntaxError(std::string message, std::size_t position, std::string hint)
    : RequestError(FormatWhat(message, position, hint)),
      message_(std::move(message)),
      position_(position),
      hint_(std::move(hint)) {}

QueryNode parse_query_syntax(std::string_view query, const QueryLimits& limits) {
  if (query.size() > limits.max_query_bytes) {
    throw QuerySyntaxError("query too long (" + std::to_string(query.size()) + " bytes; the limit is " +
                               std::to_string(limits.max_query_bytes) + ")",
                           limits.max_query_bytes, "shorten the query");
  }
  CheckEncoding(query);
  if (IsBlank(query)) {
    throw QuerySyntaxError("empty query", 0, "type at least one word to search for");
  }
  return Parser(query, limits).ParseQuery();
}

std::string describe(const QueryNode& node) {
  std::string out;
  Describe(node, out);
  return out;
}

}  // namespace policy
