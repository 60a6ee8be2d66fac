// Cleaning of extracted text; the contract is in text_cleaner.h.
//
// How it works: two linear passes over `raw`, line by line, neither of which
// stores the lines (memory is the output, the output of the pass before,
// and a table of distinct short lines, so neither a very long line nor a
// long run of blank lines costs more than its bytes).
//   1. The survey pass measures the layout: whether the document is double
//      spaced, how wide its wrapped lines are, and how often each short line
//      occurs (for the repeated-boilerplate rule).
//   2. The cleaning pass normalises each line, drops the lines the rules
//      remove, and decides for each kept line how it attaches to the kept
//      line before it: glued, joined with a space, on a new line of the same
//      paragraph, or in a new paragraph. The blank and removed lines between
//      two kept lines form the "gap" that decision looks at.
// The pair of passes is repeated on its own output until that stops
// changing (see clean_extracted_text at the end).
//
// The rules. Each is pinned by a golden pair in tests/golden/cleaner/; when a
// rule is unsure it keeps the text and the line break as they were.
//
//  R0 Normalisation (everywhere): spaces, tabs, CR, FF, VT and the Unicode
//     space separators (U+00A0 no-break space and friends, the set the query
//     syntax treats as whitespace) become one ASCII space per run; lines are
//     trimmed; a byte-order mark (U+FEFF) at the start of a line is dropped
//     (else one after a leading blank line would start the output, and a
//     second pass would drop it). Whitespace-only lines are blank lines.
//     Bullet characters are kept.
//  R1 Artefact lines: a whole line of three or more identifiers joined by
//     colons, without spaces ("app:ds:information"), is removed. Times
//     ("12:30:45"), URLs and "std::x" do not match.
//  R2 Boilerplate: a line that is exactly a known navigation phrase ("Top of
//     Page", "You are here", "Submit Feedback >"; case-insensitive, arrows
//     and trailing ">" ignored) is removed. So is a short line (at most 40
//     characters) that occurs three or more times as a whole line, unless it
//     looks like content: a list item, a line with a comma (addresses), a
//     line ending in . , ; : ! ? or a line without any letter.
//  R3 Page numbers and footnote markers: a line holding only 1 to 4 digits,
//     "Page N", "Page N of M", "N of M" or "- N -" is removed, except a
//     number directly followed by an ordinal-suffix line (R4). A removed
//     number inside a wrapped sentence lets the sentence rejoin across it.
//  R4 Split ordinals: a line that is only st/nd/rd/th, right after a line
//     ending in a number that takes that suffix, is glued to it ("11" + "th"
//     -> "11th"), and the sentence goes on with the next line.
//  R5 Hyphenation: a line ending in two letters + "-" followed by a line
//     starting with a lower-case ASCII letter is glued without the hyphen
//     ("environ-" / "mental"). Otherwise a line ending in a letter or digit
//     + "-" is glued keeping the hyphen when the next line starts with a
//     letter or digit ("ASEAN-" / "China", "2016-" / "2020", "e-" / "waste").
//     A trailing soft hyphen (U+00AD) is always dropped. Never into an
//     enumerated line. Compounds broken at their own hyphen ("long-" /
//     "term") lose it: telling them apart needs a dictionary.
//  R6 Double-spaced documents (PDF extraction): detected when at least half
//     of the consecutive text lines are blank-line separated and at least a
//     quarter of those pairs show a wrapped sentence (see survey_text). There
//     one blank line is a line wrap, not a paragraph break, so wrapped lines
//     are joined with a space. A new paragraph starts when the next line
//     begins with an enumeration marker ("12. ", "1.1 ", "(a)", "•", "- ");
//     when the previous line ends a sentence (. ! ? : ;, not after "Mr." or
//     an initial such as "E.") and the next begins with an upper-case letter,
//     a digit or a quote; when the previous line is short (a heading or a
//     paragraph's last line: under 60% of the usual line width, not ending in
//     a comma or a word such as "the", and not cut by a removed page number)
//     and the next begins like a sentence; or when two or more blank lines
//     separate them, unless a removed page-number, artefact or boilerplate
//     line sits in that gap inside an unfinished sentence (a page break).
//     Hyphenated words (R5) and split ordinals (R4) are joined across any gap.
//  R7 Other documents (web pages, single-spaced text): blank lines separate
//     paragraphs and single newlines are kept (lists, addresses); only R1-R5
//     join lines there, and only across a single newline, except that a
//     removed page number between an unfinished sentence and a lower-case
//     continuation is rejoined across blank lines.
//  R8 Output: paragraphs separated by exactly "\n\n", no leading or trailing
//     blank lines, no trailing newline.

#include "indexer/text_cleaner.h"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "core/utf8.h"

namespace policy {
namespace {

// Lines up to this many characters (code points) are candidates for the
// repeated-boilerplate rule (R2).
constexpr std::size_t kMaxBoilerplateChars = 40;
// A short line occurring this many times is boilerplate (R2).
constexpr std::size_t kMinBoilerplateRepeats = 3;
// Line widths above this are counted as this in the width histogram.
constexpr std::size_t kMaxMeasuredWidth = 1024;

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
constexpr std::string_view kSoftHyphen = "\xC2\xAD";  // U+00AD

// ---------------------------------------------------------------------------
// Bytes and characters. Bytes >= 0x80 are treated as letters except for the
// few multi-byte characters named here.

bool is_ascii_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
bool is_ascii_lower(unsigned char c) { return c >= 'a' && c <= 'z'; }
bool is_ascii_letter(unsigned char c) { return is_ascii_upper(c) || is_ascii_lower(c); }
bool is_ascii_digit(unsigned char c) { return c >= '0' && c <= '9'; }
bool is_ascii_alnum(unsigned char c) { return is_ascii_letter(c) || is_ascii_digit(c); }
bool is_letter_byte(unsigned char c) { return is_ascii_letter(c) || c >= 0x80; }

unsigned char byte_at(std::string_view s, std::size_t i) { return static_cast<unsigned char>(s[i]); }

// Byte length of the horizontal space character starting at s[i], or 0:
// ASCII's and the Unicode spaces (unicode_space_length), as the query
// syntax reads them.
std::size_t space_length_at(std::string_view s, std::size_t i) {
  const unsigned char c = byte_at(s, i);
  if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') return 1;
  return unicode_space_length(s, i);
}

// R0: writes `raw` to `out` with every run of horizontal space made one
// ASCII space, byte-order marks before the first other character dropped,
// and the ends trimmed. Linear; reuses `out`'s buffer.
void normalize_line(std::string_view raw, std::string* out) {
  out->clear();
  bool space_pending = false;
  std::size_t i = 0;
  while (i < raw.size()) {
    if (out->empty() && raw.substr(i).starts_with(kByteOrderMark)) {
      i += kByteOrderMark.size();
      continue;
    }
    const std::size_t space = space_length_at(raw, i);
    if (space > 0) {
      space_pending = !out->empty();
      i += space;
      continue;
    }
    // Copy the run of non-space bytes up to the next possible space at once.
    // Printable ASCII is never a space; the test for it is the fast path.
    std::size_t end = i + 1;
    while (end < raw.size()) {
      const unsigned char c = byte_at(raw, end);
      if ((c <= ' ' || c >= 0x80) && space_length_at(raw, end) > 0) break;
      ++end;
    }
    if (space_pending) out->push_back(' ');
    space_pending = false;
    out->append(raw.substr(i, end - i));
    i = end;
  }
}

std::string ascii_lower(std::string_view s) {
  std::string lower(s);
  for (char& c : lower) {
    if (is_ascii_upper(static_cast<unsigned char>(c))) c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

bool consume_prefix(std::string_view* s, std::string_view prefix) {
  if (!s->starts_with(prefix)) return false;
  s->remove_prefix(prefix.size());
  return true;
}

// Consumes 1 to `max_digits` ASCII digits; false (and nothing consumed) if
// there are none or too many.
bool consume_number(std::string_view* s, std::size_t max_digits) {
  std::size_t n = 0;
  while (n < s->size() && is_ascii_digit(byte_at(*s, n))) ++n;
  if (n == 0 || n > max_digits) return false;
  s->remove_prefix(n);
  return true;
}

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// ---------------------------------------------------------------------------
// Line classification. Every function takes a normalised, non-empty line.

// R1: "app:ds:information". Identifiers start with a letter or '_' and hold
// letters, digits, '_', '-' and '.'.
bool is_artefact_line(std::string_view line) {
  if (line.find(' ') != std::string_view::npos) return false;
  std::size_t colons = 0;
  std::size_t segment_start = 0;
  for (std::size_t i = 0; i <= line.size(); ++i) {
    if (i < line.size() && line[i] != ':') continue;
    const std::string_view segment = line.substr(segment_start, i - segment_start);
    if (segment.empty()) return false;
    const unsigned char first = byte_at(segment, 0);
    if (!is_letter_byte(first) && first != '_') return false;
    for (const char ch : segment) {
      const auto c = static_cast<unsigned char>(ch);
      if (!is_letter_byte(c) && !is_ascii_digit(c) && c != '_' && c != '-' && c != '.') {
        return false;
      }
    }
    if (i < line.size()) ++colons;
    segment_start = i + 1;
  }
  return colons >= 2;
}

// R2: navigation phrases of web pages, lower case.
constexpr std::array<std::string_view, 19> kBoilerplatePhrases = {
    "top of page",        "back to top",     "back to top of page", "return to top",        "return to top of page",
    "go to top",          "to top",          "you are here",        "skip to main content", "skip to content",
    "skip to navigation", "skip navigation", "jump to navigation",  "jump to main content", "submit feedback",
    "print this page",    "share this page", "email this page",     "breadcrumb",
};

// Decoration around navigation phrases: "^ Top of Page", "Back to top ↑",
// "Submit Feedback >", "You are here:".
constexpr std::array<std::string_view, 12> kPhraseDecorations = {
    " ",
    ">",
    "<",
    "^",
    "|",
    ":",
    "\xC2\xBB" /* » */,
    "\xC2\xAB" /* « */,
    "\xE2\x80\xBA" /* › */,
    "\xE2\x80\xB9" /* ‹ */,
    "\xE2\x86\x91" /* ↑ */,
    "\xE2\x96\xB2" /* ▲ */,
};

std::string_view strip_phrase_decoration(std::string_view s) {
  for (bool changed = true; changed && !s.empty();) {
    changed = false;
    for (const std::string_view d : kPhraseDecorations) {
      if (s.starts_with(d)) {
        s.remove_prefix(d.size());
        changed = true;
      }
      if (s.ends_with(d)) {
        s.remove_suffix(d.size());
        changed = true;
      }
    }
  }
  return s;
}

bool is_boilerplate_phrase(std::string_view line) {
  if (line.size() > 4 * kMaxBoilerplateChars) return false;
  const std::string lower = ascii_lower(strip_phrase_decoration(line));
  for (const std::string_view phrase : kBoilerplatePhrases) {
    if (lower == phrase) return true;
  }
  return false;
}

// R3: "8", "Page 8", "page 8 of 20", "8 of 20", "- 8 -", "– 8 –", "— 8 —".
bool is_page_number_line(std::string_view line) {
  if (line.size() > 32) return false;
  const std::string lower = ascii_lower(line);
  std::string_view s = lower;
  for (const std::string_view dash : {"-", "\xE2\x80\x93", "\xE2\x80\x94"}) {
    if (s.size() > 2 * dash.size() && s.starts_with(dash) && s.ends_with(dash)) {
      std::string_view inner = trim_spaces(s.substr(dash.size(), s.size() - 2 * dash.size()));
      return consume_number(&inner, 4) && inner.empty();
    }
  }
  consume_prefix(&s, "page ");
  if (!consume_number(&s, 4)) return false;
  if (s.empty()) return true;
  return consume_prefix(&s, " of ") && consume_number(&s, 4) && s.empty();
}

// R4: the suffix alone on its line.
bool is_ordinal_suffix(std::string_view line) { return line == "st" || line == "nd" || line == "rd" || line == "th"; }

// The suffix English gives `number` (only its last two digits matter).
std::string_view ordinal_suffix_for(int number) {
  if ((number / 10) % 10 == 1) return "th";  // 11th, 12th, 13th
  switch (number % 10) {
    case 1:
      return "st";
    case 2:
      return "nd";
    case 3:
      return "rd";
    default:
      return "th";
  }
}

// The value of the last one or two digits of `line`, or -1 if it does not
// end in a digit.
int trailing_number(std::string_view line) {
  const std::size_t n = line.size();
  if (n == 0 || !is_ascii_digit(byte_at(line, n - 1))) return -1;
  int value = byte_at(line, n - 1) - '0';
  if (n >= 2 && is_ascii_digit(byte_at(line, n - 2))) value += 10 * (byte_at(line, n - 2) - '0');
  return value;
}

// Tokens inside enumeration markers: "12", "a", "iv", "XI".
bool is_marker_token(std::string_view token) {
  if (token.empty()) return false;
  std::string_view digits = token;
  if (consume_number(&digits, 3) && digits.empty()) return true;
  if (token.size() == 1) return is_ascii_letter(byte_at(token, 0));
  if (token.size() > 5) return false;
  const bool lower_roman = token.find_first_not_of("ivx") == std::string_view::npos;
  const bool upper_roman = token.find_first_not_of("IVX") == std::string_view::npos;
  return lower_roman || upper_roman;
}

// Bullets that extraction leaves at the start of list items.
constexpr std::array<std::string_view, 17> kBulletCharacters = {
    "\xE2\x80\xA2" /* • */,
    "\xE2\x97\xA6" /* ◦ */,
    "\xE2\x96\xAA" /* ▪ */,
    "\xE2\x96\xAB" /* ▫ */,
    "\xE2\x97\x8F" /* ● */,
    "\xE2\x97\x8B" /* ○ */,
    "\xE2\x96\xA0" /* ■ */,
    "\xE2\x96\xA1" /* □ */,
    "\xE2\x80\xA3" /* ‣ */,
    "\xE2\x81\x83" /* ⁃ */,
    "\xEF\x82\xB7" /* U+F0B7, Symbol-font bullet */,
    "\xE2\x9E\xA2" /* ➢ */,
    "\xE2\x96\xBA" /* ► */,
    "\xE2\x96\xB8" /* ▸ */,
    "\xC2\xB7" /* · */,
    "\xE2\x9D\x96" /* ❖ */,
    "\xE2\x9C\x93" /* ✓ */,
};

// R6: the line opens a list item or a numbered paragraph or heading:
// "• x", "- x", "* x", "(a) x", "(1)Capacity", "a) x", "12. China",
// "1.1 ASEAN", "4.2.1 Scope". A number with dots must be followed by a space
// and something that starts a sentence, so "2.5 million" is not a marker.
bool starts_enumeration(std::string_view line) {
  for (const std::string_view bullet : kBulletCharacters) {
    if (line.starts_with(bullet)) return true;
  }
  const unsigned char first = byte_at(line, 0);
  if (first == '-' || first == '*') return line.size() == 1 || line[1] == ' ';
  if (first == '(') {
    const std::size_t close = line.find(')');
    return close != std::string_view::npos && close <= 6 && is_marker_token(line.substr(1, close - 1));
  }
  const std::size_t paren = line.find(')');
  if (paren != std::string_view::npos && paren <= 5 && paren + 1 < line.size() && line[paren + 1] == ' ') {
    const std::string_view token = line.substr(0, paren);
    std::string_view digits = token;
    if ((consume_number(&digits, 3) && digits.empty()) || (token.size() == 1 && is_ascii_letter(byte_at(token, 0)))) {
      return true;
    }
  }
  std::string_view s = line;
  if (!consume_number(&s, 3)) return false;
  bool has_dot = false;
  while (consume_prefix(&s, ".")) {
    has_dot = true;
    if (!consume_number(&s, 3)) break;
  }
  if (!has_dot) return false;
  if (s.empty()) return true;
  if (!consume_prefix(&s, " ") || s.empty()) return false;
  const unsigned char next = byte_at(s, 0);
  return is_ascii_upper(next) || is_ascii_digit(next) || next == '(' || next == '"' || next >= 0x80;
}

// Closing quotes and brackets that may follow a sentence's full stop.
constexpr std::array<std::string_view, 7> kClosers = {
    "\xE2\x80\x9D" /* ” */, "\xE2\x80\x99" /* ’ */, "\xC2\xBB" /* » */, "\"", "'", ")", "]",
};

// Abbreviations whose full stop does not end a sentence, lower case.
constexpr std::array<std::string_view, 20> kAbbreviations = {
    "mr.",  "mrs.", "ms.",  "dr.",   "prof.", "st.", "no.", "nos.", "vs.", "e.g.",
    "i.e.", "cf.",  "art.", "para.", "vol.",  "pp.", "p.",  "fig.", "jr.", "sr.",
};

// CJK full stop, full-width ! ? : ;.
constexpr std::array<std::string_view, 5> kCjkSentenceEnds = {
    "\xE3\x80\x82", "\xEF\xBC\x81", "\xEF\xBC\x9F", "\xEF\xBC\x9A", "\xEF\xBC\x9B",
};

// R6: the line ends a sentence or a clause that may close a paragraph
// (. ! ? : ;, possibly inside closing quotes). A full stop after an initial
// ("H. E.", "U.S.") or a title ("Mr.") does not count.
bool ends_sentence(std::string_view line) {
  for (bool changed = true; changed && !line.empty();) {
    changed = false;
    for (const std::string_view closer : kClosers) {
      if (line.ends_with(closer)) {
        line.remove_suffix(closer.size());
        changed = true;
      }
    }
  }
  if (line.empty()) return false;
  for (const std::string_view end : kCjkSentenceEnds) {
    if (line.ends_with(end)) return true;
  }
  const char last = line.back();
  if (last == '!' || last == '?' || last == ':' || last == ';') return true;
  if (last != '.') return false;
  const std::size_t space = line.rfind(' ');
  const std::string_view word = space == std::string_view::npos ? line : line.substr(space + 1);
  // "E." or "U.S.": a single letter before the final full stop.
  const std::string_view stem = word.substr(0, word.size() - 1);
  const std::size_t dot = stem.rfind('.');
  const std::string_view last_part = dot == std::string_view::npos ? stem : stem.substr(dot + 1);
  if (last_part.size() == 1 && is_ascii_letter(byte_at(last_part, 0))) return false;
  if (word.size() <= 6) {
    const std::string lower = ascii_lower(word);
    for (const std::string_view abbreviation : kAbbreviations) {
      if (lower == abbreviation) return false;
    }
  }
  return true;
}

// Opening quotes that may start a sentence.
constexpr std::array<std::string_view, 6> kOpeners = {
    "\"", "'", "\xE2\x80\x9C" /* “ */, "\xE2\x80\x98" /* ‘ */, "\xC2\xAB" /* « */, "\xE2\x80\x9E" /* „ */,
};

bool starts_like_sentence(std::string_view line) {
  const unsigned char first = byte_at(line, 0);
  if (is_ascii_upper(first) || is_ascii_digit(first)) return true;
  for (const std::string_view opener : kOpeners) {
    if (line.starts_with(opener)) return true;
  }
  return false;
}

// Words that do not end a sentence or a heading: a line ending in one of
// them (or in a comma) was wrapped mid-sentence. Lower case.
constexpr std::array<std::string_view, 28> kContinuationWords = {
    "a",  "an",   "the",   "of",   "and", "or",    "to", "in",  "on",  "at",   "by", "for", "with", "from",
    "as", "that", "which", "into", "its", "their", "is", "are", "was", "were", "be", "has", "have", "between",
};

// R6: the line stops in the middle of a sentence ("... adopted the").
bool ends_mid_sentence(std::string_view line) {
  if (line.back() == ',') return true;
  const std::size_t space = line.rfind(' ');
  const std::string_view word = space == std::string_view::npos ? line : line.substr(space + 1);
  if (word.size() > 7) return false;
  const std::string lower = ascii_lower(word);
  for (const std::string_view continuation : kContinuationWords) {
    if (lower == continuation) return true;
  }
  return false;
}

// R2: could this line be repeated navigation or a running header? Lines that
// look like content are never counted.
bool is_boilerplate_candidate(std::string_view line) {
  if (line.size() > 4 * kMaxBoilerplateChars) return false;
  if (code_point_count(line) > kMaxBoilerplateChars) return false;
  if (line.find(',') != std::string_view::npos) return false;
  const char last = line.back();
  if (last == '.' || last == ';' || last == ':' || last == '!' || last == '?') return false;
  bool has_letter = false;
  for (const char c : line) {
    has_letter = has_letter || is_letter_byte(static_cast<unsigned char>(c));
  }
  if (!has_letter) return false;
  return !is_ordinal_suffix(line) && !is_artefact_line(line) && !is_page_number_line(line) && !starts_enumeration(line);
}

// What the joining rules need to know about the start of a line.
struct LineStart {
  bool enumeration = false;    // "12. ", "(a)", "•"
  bool like_sentence = false;  // upper case, digit or opening quote
  bool lower = false;          // ASCII lower case
  bool alnum = false;          // ASCII letter or digit
  bool closing_punct = false;  // . , ; : ! ? ) ]
};

LineStart describe_start(std::string_view line) {
  const unsigned char first = byte_at(line, 0);
  LineStart start;
  start.enumeration = starts_enumeration(line);
  start.like_sentence = starts_like_sentence(line);
  start.lower = is_ascii_lower(first);
  start.alnum = is_ascii_alnum(first);
  start.closing_punct = std::string_view(".,;:!?)]").find(static_cast<char>(first)) != std::string_view::npos;
  return start;
}

// What the joining rules need to know about the end of a line.
struct LineEnd {
  bool ends_sentence = false;
  bool ends_mid_sentence = false;      // comma or "the", "of", ...
  bool ends_hyphen = false;            // letter or digit + '-'
  bool letters_before_hyphen = false;  // at least two
  bool ends_soft_hyphen = false;
  bool is_short = false;     // R6: well below the usual line width
  int trailing_number = -1;  // last two digits, for R4
};

LineEnd describe_end(std::string_view line, std::size_t short_below) {
  const std::size_t n = line.size();
  LineEnd end;
  end.ends_sentence = ends_sentence(line);
  end.ends_mid_sentence = ends_mid_sentence(line);
  if (n >= 2 && line.back() == '-') {
    const unsigned char before = byte_at(line, n - 2);
    end.ends_hyphen = is_letter_byte(before) || is_ascii_digit(before);
    // A word broken by hyphenation keeps at least two letters on the line;
    // "e-" / "waste" is the compound "e-waste".
    end.letters_before_hyphen = n >= 3 && is_letter_byte(before) && is_letter_byte(byte_at(line, n - 3));
  }
  end.ends_soft_hyphen = n > kSoftHyphen.size() && line.ends_with(kSoftHyphen);
  end.is_short = short_below > 0 && code_point_count(line) < short_below;
  end.trailing_number = trailing_number(line);
  return end;
}

// ---------------------------------------------------------------------------
// Passes.

// Iterates over the lines of a text ("\n" separated; a final "\n" does not
// open another line).
class LineCursor {
 public:
  explicit LineCursor(std::string_view text) : text_(text) {}

  // The next line; nothing at the end.
  std::optional<std::string_view> next() {
    if (pos_ >= text_.size()) return std::nullopt;
    std::size_t end = text_.find('\n', pos_);
    if (end == std::string_view::npos) end = text_.size();
    const std::string_view line = text_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return line;
  }

  // The line after the one `next` returned last, without moving.
  std::string_view peek() const {
    LineCursor copy = *this;
    return copy.next().value_or(std::string_view());
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

struct Survey {
  bool double_spaced = false;
  std::size_t short_below = 0;                                    // R6: lines with fewer characters are short
  std::unordered_map<std::string, std::size_t> candidate_counts;  // R2
};

// Pass 1. Double spacing (R6) is decided from pairs of consecutive text
// lines (artefact, page-number and ordinal-suffix lines are layout noise and
// left out): at least half must be separated by blank lines, and at least a
// quarter of those must show a wrapped sentence: the first line does not end
// a sentence, the second is not a list item, and either the second starts in
// lower case or the first ends in a comma or a word such as "the" or "of".
// The second condition keeps out web pages whose paragraphs are separated by
// blank lines, and the cleaner's own output. Counting "one or more" blank
// lines rather than exactly one makes the decision the same before and after
// blank runs are collapsed, which keeps cleaning idempotent.
Survey survey_text(std::string_view text) {
  Survey survey;
  std::array<std::size_t, kMaxMeasuredWidth + 1> width_histogram{};
  std::size_t line_count = 0;
  std::size_t pairs = 0;
  std::size_t blank_separated_pairs = 0;
  std::size_t wrapped_pairs = 0;
  bool have_previous = false;
  bool previous_ends_sentence = false;
  bool previous_continues = false;
  std::size_t blanks = 0;

  std::string line;
  LineCursor cursor(text);
  while (const std::optional<std::string_view> raw = cursor.next()) {
    normalize_line(*raw, &line);
    if (line.empty()) {
      ++blanks;
      continue;
    }
    if (is_boilerplate_candidate(line)) ++survey.candidate_counts[line];
    if (is_artefact_line(line) || is_page_number_line(line) || is_ordinal_suffix(line)) continue;
    const std::size_t width = code_point_count(line);
    ++width_histogram[width < kMaxMeasuredWidth ? width : kMaxMeasuredWidth];
    ++line_count;
    if (have_previous) {
      ++pairs;
      if (blanks >= 1) {
        ++blank_separated_pairs;
        const bool continued_in_lower_case = is_ascii_lower(byte_at(line, 0));
        if (!previous_ends_sentence && (continued_in_lower_case || previous_continues) && !starts_enumeration(line)) {
          ++wrapped_pairs;
        }
      }
    }
    have_previous = true;
    previous_ends_sentence = ends_sentence(line);
    previous_continues = ends_mid_sentence(line);
    blanks = 0;
  }

  survey.double_spaced = pairs >= 2 && blank_separated_pairs * 2 >= pairs && wrapped_pairs >= 1 &&
                         wrapped_pairs * 4 >= blank_separated_pairs;
  if (survey.double_spaced) {
    // The usual width is the 80th percentile; short is below 60% of it.
    std::size_t seen = 0;
    for (std::size_t width = 0; width <= kMaxMeasuredWidth; ++width) {
      seen += width_histogram[width];
      if (seen * 10 >= line_count * 8) {
        survey.short_below = width * 6 / 10;
        break;
      }
    }
  }
  return survey;
}

// R2: the line was counted as a candidate often enough to be boilerplate.
bool is_repeated(const std::unordered_map<std::string, std::size_t>& candidate_counts, const std::string& line) {
  const auto found = candidate_counts.find(line);
  return found != candidate_counts.end() && found->second >= kMinBoilerplateRepeats;
}

// The blank and removed lines between two kept lines.
struct Gap {
  std::size_t blank_lines = 0;
  bool removed_page_number = false;  // R3
  bool removed_other = false;        // R1, R2
};

// How a kept line attaches to the kept line before it.
enum class Join {
  kParagraph,          // "\n\n"
  kNewline,            // "\n" (R7 only)
  kSpace,              // wrapped line, " "
  kNoSpace,            // wrapped line starting with closing punctuation
  kOrdinal,            // "11" + "th"
  kHyphenKept,         // "ASEAN-" + "China"
  kHyphenDropped,      // "environ-" + "mental"
  kSoftHyphenDropped,  // "environ\u00AD" + "mental"
};

bool is_ordinal_for(std::string_view line, const LineEnd& previous) {
  return previous.trailing_number >= 0 && is_ordinal_suffix(line) &&
         line == ordinal_suffix_for(previous.trailing_number);
}

Join wrap_join(const LineStart& start) { return start.closing_punct ? Join::kNoSpace : Join::kSpace; }

// R5, when the previous line ends in a hyphen; kParagraph means "no".
Join hyphen_join(const LineEnd& previous, const LineStart& start) {
  if (start.enumeration || !start.alnum) return Join::kParagraph;
  if (previous.ends_soft_hyphen) return Join::kSoftHyphenDropped;
  if (!previous.ends_hyphen) return Join::kParagraph;
  return previous.letters_before_hyphen && start.lower ? Join::kHyphenDropped : Join::kHyphenKept;
}

// R4-R6 for double-spaced documents.
Join decide_double_spaced(std::string_view line, const LineEnd& previous, const LineStart& start, const Gap& gap,
                          bool continues_sentence) {
  if (is_ordinal_for(line, previous)) return Join::kOrdinal;
  if (start.enumeration) return Join::kParagraph;
  if (continues_sentence) return wrap_join(start);
  if (const Join hyphen = hyphen_join(previous, start); hyphen != Join::kParagraph) return hyphen;
  const bool page_break = (gap.removed_page_number || gap.removed_other) && !previous.ends_sentence;
  if (gap.blank_lines >= 2 && !page_break) return Join::kParagraph;
  if (previous.ends_sentence && start.like_sentence) return Join::kParagraph;
  if (previous.is_short && !previous.ends_mid_sentence && !gap.removed_page_number && start.like_sentence) {
    return Join::kParagraph;
  }
  return wrap_join(start);
}

// R3-R5 and R7 for other documents.
Join decide_single_spaced(std::string_view line, const LineEnd& previous, const LineStart& start, const Gap& gap,
                          bool continues_sentence) {
  const bool adjacent = gap.blank_lines == 0;
  if (adjacent) {
    if (is_ordinal_for(line, previous)) return Join::kOrdinal;
    if (continues_sentence && !start.enumeration) return wrap_join(start);
    if (const Join hyphen = hyphen_join(previous, start); hyphen != Join::kParagraph) return hyphen;
  }
  if (gap.removed_page_number && !previous.ends_sentence && start.lower) return Join::kSpace;
  return adjacent ? Join::kNewline : Join::kParagraph;
}

// One survey pass and one cleaning pass over `raw`; the statistics of that
// pass go to `*stats` (not optional here).
std::string clean_once(std::string_view raw, CleaningStats* stats) {
  CleaningStats counts;
  const Survey survey = survey_text(raw);
  counts.double_spaced = survey.double_spaced;

  std::string out;
  out.reserve(raw.size());
  std::string line;
  LineCursor cursor(raw);
  Gap gap;
  LineEnd previous;
  bool have_previous = false;
  bool continues_sentence = false;  // R4: the previous line was an ordinal suffix

  while (const std::optional<std::string_view> raw_line = cursor.next()) {
    normalize_line(*raw_line, &line);
    if (line.empty()) {
      ++gap.blank_lines;
      continue;
    }
    if (is_artefact_line(line)) {
      ++counts.artefact_lines_removed;
      gap.removed_other = true;
      continue;
    }
    if (is_page_number_line(line)) {
      // "11" alone with "th" on the next line is an ordinal, not a page.
      std::string next;
      normalize_line(cursor.peek(), &next);
      if (!is_ordinal_suffix(next)) {
        ++counts.page_number_lines_removed;
        gap.removed_page_number = true;
        continue;
      }
    }
    if (is_boilerplate_phrase(line)) {
      ++counts.boilerplate_lines_removed;
      gap.removed_other = true;
      continue;
    }
    if (line.size() <= 4 * kMaxBoilerplateChars && is_repeated(survey.candidate_counts, line)) {
      ++counts.boilerplate_lines_removed;
      gap.removed_other = true;
      continue;
    }

    const LineStart start = describe_start(line);
    Join join = Join::kParagraph;
    if (have_previous) {
      join = survey.double_spaced ? decide_double_spaced(line, previous, start, gap, continues_sentence)
                                  : decide_single_spaced(line, previous, start, gap, continues_sentence);
      switch (join) {
        case Join::kParagraph:
          out.append("\n\n");
          break;
        case Join::kNewline:
          out.push_back('\n');
          break;
        case Join::kSpace:
          out.push_back(' ');
          ++counts.lines_joined;
          break;
        case Join::kNoSpace:
          ++counts.lines_joined;
          break;
        case Join::kOrdinal:
          ++counts.ordinals_joined;
          break;
        case Join::kHyphenKept:
          ++counts.hyphenations_joined;
          break;
        case Join::kHyphenDropped:
          out.pop_back();
          ++counts.hyphenations_joined;
          break;
        case Join::kSoftHyphenDropped:
          out.resize(out.size() - kSoftHyphen.size());
          ++counts.hyphenations_joined;
          break;
      }
    }
    out.append(line);
    previous = describe_end(line, survey.short_below);
    have_previous = true;
    continues_sentence = join == Join::kOrdinal;
    gap = Gap{};
  }

  *stats = counts;
  return out;
}

void add_counts(const CleaningStats& pass, CleaningStats* total) {
  total->artefact_lines_removed += pass.artefact_lines_removed;
  total->page_number_lines_removed += pass.page_number_lines_removed;
  total->boilerplate_lines_removed += pass.boilerplate_lines_removed;
  total->hyphenations_joined += pass.hyphenations_joined;
  total->ordinals_joined += pass.ordinals_joined;
  total->lines_joined += pass.lines_joined;
  total->double_spaced = total->double_spaced || pass.double_spaced;
}

}  // namespace

// The rules look at whole lines, and a pass makes new lines out of old ones:
// "3" / "rd" becomes "3rd", wrapped lines become a paragraph, and removing
// lines shortens the text the layout survey measures. A line made that way
// can itself match a rule (a short line now repeated three times is
// boilerplate, R2; the shorter text now looks double spaced, R6), so a pass
// over the output would change it again. Passes are therefore repeated until
// one changes nothing. That ends: no rule splits a line, so a pass that
// changes the text either removes or joins lines (fewer non-blank lines), or
// only turns single newlines into paragraph breaks. The latter is a
// double-spaced pass (a single-spaced pass that removes and joins nothing
// gives back its input), which writes no single newline, and a text without
// single newlines never gets one back. So at most lines + 2 passes;
// kMaxPasses bounds the time of inputs that would need many.
std::string clean_extracted_text(std::string_view raw, CleaningStats* stats) {
  constexpr int kMaxPasses = 8;
  CleaningStats total;
  CleaningStats pass;
  std::string cleaned = clean_once(raw, &pass);
  add_counts(pass, &total);
  for (int passes = 1; passes < kMaxPasses; ++passes) {
    std::string again = clean_once(cleaned, &pass);
    if (again == cleaned) break;
    add_counts(pass, &total);
    cleaned = std::move(again);
  }
  if (stats != nullptr) *stats = total;
  return cleaned;
}

}  // namespace policy
