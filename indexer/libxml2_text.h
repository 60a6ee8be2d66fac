// Small text helpers shared by the readers built on libxml2 (html_reader,
// office_reader).
//
// Thread-safe: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace policy {

// `text` with runs of ASCII whitespace collapsed to one space, trimmed.
inline std::string collapse_spaces(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// libxml2's message on one line, without the advice it gives with its
// limits ("Excessive depth in document: 256 use XML_PARSE_HUGE option"):
// a parser option, not the user's to set.
inline std::string libxml2_message(std::string_view message) {
  static constexpr std::string_view kAdvice = " use XML_PARSE_HUGE option";
  std::string text = collapse_spaces(message);
  if (const std::size_t advice = text.find(kAdvice); advice != std::string::npos) text.erase(advice, kAdvice.size());
  return text;
}

}  // namespace policy
