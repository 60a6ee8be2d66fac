// UTF-8 validation and repair, and small byte-level text helpers shared by
// the readers, the cleaner and the output code.
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

}  // namespace policy
