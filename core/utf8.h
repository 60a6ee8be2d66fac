// UTF-8 validation and repair, and the small byte-level text helpers shared
// by the readers, the cleaner, the query parser and the output code: code
// point counting and cutting, the Unicode space characters, ASCII case.
//
// Thread-safe: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace policy {

// Where a text first went wrong, for messages such as
// "invalid UTF-8 at line 12, byte 431".
struct Utf8Problem {
  std::size_t invalid_sequences = 0;  // each replaced by one U+FFFD
  std::size_t first_offset = 0;       // byte offset of the first one
  std::size_t first_line = 0;         // 1-based line of the first one
};

// Returns `bytes` with every invalid or truncated UTF-8 sequence (overlongs,
// surrogates and code points above U+10FFFF included) replaced by U+FFFD.
// Fills `problem` when given.
std::string repair_utf8(std::string_view bytes, Utf8Problem* problem = nullptr);

// Returns `bytes` with each byte that starts no well-formed UTF-8 sequence
// written as "%XX" (upper-case hex): "caf\xE9.txt" -> "caf%E9.txt". For
// names (file names, ids) that must be shown and stored as text and stay
// apart; valid UTF-8 comes back unchanged.
std::string escape_invalid_utf8(std::string_view bytes);

// True if `bytes` is entirely valid UTF-8.
bool is_valid_utf8(std::string_view bytes);

// Length of the well-formed UTF-8 sequence starting at bytes[i] (1 for
// ASCII), or 0 when none starts there.
std::size_t utf8_sequence_length(std::string_view bytes, std::size_t i);

// Rewrites CRLF and lone CR line ends as LF.
std::string normalize_line_ends(std::string_view text);

// The largest prefix of `text` no longer than `max_bytes` that does not end
// inside a UTF-8 sequence.
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes);

// True for the bytes that continue a UTF-8 sequence (10xxxxxx).
inline bool is_utf8_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Code points in `text` (bytes that start a sequence; for valid UTF-8, the
// characters).
std::size_t code_point_count(std::string_view text);

// The first, and the last, `count` code points of `text`.
std::string_view first_code_points(std::string_view text, std::size_t count);
std::string_view last_code_points(std::string_view text, std::size_t count);

// Byte length of the non-ASCII space character starting at text[i], or 0:
// U+0085 U+00A0 U+1680 U+2000..U+200A U+2028 U+2029 U+202F U+205F U+3000,
// the spaces pasted text and CJK input bring. The query syntax and the text
// cleaner both take these (and their own ASCII set) as whitespace, so that
// a query reads text as the index does. Reads nothing past the end.
inline std::size_t unicode_space_length(std::string_view text, std::size_t i) {
  const std::size_t left = text.size() - i;
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  if (left < 2 || byte(0) < 0xC2) return 0;
  if (byte(0) == 0xC2) return byte(1) == 0x85 || byte(1) == 0xA0 ? 2 : 0;  // NEL, NBSP
  if (left < 3) return 0;
  const unsigned char c0 = byte(0), c1 = byte(1), c2 = byte(2);
  if (c0 == 0xE1) return c1 == 0x9A && c2 == 0x80 ? 3 : 0;  // U+1680
  if (c0 == 0xE2) {
    if (c1 == 0x80 && ((c2 >= 0x80 && c2 <= 0x8A) || c2 == 0xA8 || c2 == 0xA9 || c2 == 0xAF)) {
      return 3;  // U+2000..200A, 2028, 2029, 202F
    }
    return c1 == 0x81 && c2 == 0x9F ? 3 : 0;  // U+205F
  }
  if (c0 == 0xE3) return c1 == 0x80 && c2 == 0x80 ? 3 : 0;  // U+3000
  return 0;
}

// `text` with ASCII letters in lower case; other bytes unchanged.
std::string ascii_lower(std::string text);

}  // namespace policy
