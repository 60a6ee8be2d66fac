#include "core/language.h"

#include <algorithm>
#include <array>
#include <cstdio>  // compact_lang_det.h uses FILE without including it
#include <span>

#include <cld2/public/compact_lang_det.h>

#include "core/utf8.h"

namespace policy {
namespace {

struct CodeAndStemmer {
  std::string_view code;
  std::string_view stemmer;
};

// Xapian 1.4's Snowball stemmers by the language they stem (greek and
// yiddish came with Xapian 1.5). Norwegian's one stems Bokmål and Nynorsk.
constexpr std::array<CodeAndStemmer, 26> kStemmers = {{
    {"ar", "arabic"},     {"ca", "catalan"},  {"da", "danish"},     {"de", "german"},    {"en", "english"},
    {"es", "spanish"},    {"eu", "basque"},   {"fi", "finnish"},    {"fr", "french"},    {"ga", "irish"},
    {"hu", "hungarian"},  {"hy", "armenian"}, {"id", "indonesian"}, {"it", "italian"},   {"lt", "lithuanian"},
    {"nb", "norwegian"},  {"ne", "nepali"},   {"nl", "dutch"},      {"nn", "norwegian"}, {"no", "norwegian"},
    {"pt", "portuguese"}, {"ro", "romanian"}, {"ru", "russian"},    {"sv", "swedish"},   {"ta", "tamil"},
    {"tr", "turkish"},
}};

// Xapian's other algorithms for a language of the table above.
constexpr std::array<CodeAndStemmer, 5> kStemmerVariants = {{
    {"en", "earlyenglish"},
    {"en", "porter"},
    {"en", "lovins"},
    {"de", "german2"},
    {"nl", "kraaij_pohlmann"},
}};

// ISO 639-2 codes (bibliographic and terminology) of languages that have a
// 639-1 code, for the languages policy documents are likely to be in.
constexpr std::array<CodeAndStemmer, 62> kThreeLetterCodes = {{
    {"ara", "ar"}, {"arm", "hy"}, {"baq", "eu"}, {"bul", "bg"}, {"cat", "ca"}, {"ces", "cs"}, {"chi", "zh"},
    {"cym", "cy"}, {"cze", "cs"}, {"dan", "da"}, {"deu", "de"}, {"dut", "nl"}, {"ell", "el"}, {"eng", "en"},
    {"est", "et"}, {"eus", "eu"}, {"fas", "fa"}, {"fin", "fi"}, {"fra", "fr"}, {"fre", "fr"}, {"ger", "de"},
    {"gle", "ga"}, {"gre", "el"}, {"heb", "he"}, {"hin", "hi"}, {"hrv", "hr"}, {"hun", "hu"}, {"hye", "hy"},
    {"ice", "is"}, {"ind", "id"}, {"isl", "is"}, {"ita", "it"}, {"jpn", "ja"}, {"kor", "ko"}, {"lav", "lv"},
    {"lit", "lt"}, {"may", "ms"}, {"mlt", "mt"}, {"msa", "ms"}, {"nep", "ne"}, {"nld", "nl"}, {"nno", "nn"},
    {"nob", "nb"}, {"nor", "no"}, {"per", "fa"}, {"pol", "pl"}, {"por", "pt"}, {"ron", "ro"}, {"rum", "ro"},
    {"rus", "ru"}, {"slk", "sk"}, {"slo", "sk"}, {"slv", "sl"}, {"spa", "es"}, {"srp", "sr"}, {"swe", "sv"},
    {"tam", "ta"}, {"tha", "th"}, {"tur", "tr"}, {"ukr", "uk"}, {"vie", "vi"}, {"wel", "cy"},
}};

// Codes that name no single language: undetermined, multiple, no
// linguistic content, uncoded.
constexpr std::array<std::string_view, 4> kNoLanguage = {"und", "mul", "zxx", "mis"};

bool all_lower_ascii_letters(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

// CLD2 refuses a whole text for one byte that is not "interchange-valid"
// UTF-8 (a control character such as the BEL some PDF extractions hold, a
// C1 control, a stray byte): those become spaces here.
std::string interchange_valid(std::string_view text) {
  std::string out(text);
  for (std::size_t i = 0; i < out.size();) {
    const std::size_t length = utf8_sequence_length(out, i);
    const auto byte = static_cast<unsigned char>(out[i]);
    const bool c0_control = byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r';
    const bool c1_control = length == 2 && byte == 0xC2 && static_cast<unsigned char>(out[i + 1]) < 0xA0;
    if (length == 0 || c0_control || byte == 0x7F) {
      out[i++] = ' ';
    } else if (c1_control) {
      out[i] = out[i + 1] = ' ';
      i += 2;
    } else {
      i += length;
    }
  }
  return out;
}

// The language of a Xapian stemmer name ("german2" -> "de"), or "".
std::string_view code_of_stemmer_name(std::string_view name) {
  for (const auto table :
       {std::span<const CodeAndStemmer>(kStemmers), std::span<const CodeAndStemmer>(kStemmerVariants)}) {
    for (const auto& [code, stemmer] : table) {
      if (stemmer == name) return code;
    }
  }
  return {};
}

}  // namespace

LanguageGuess detect_language(std::string_view utf8_text) {
  const std::string sample = interchange_valid(utf8_prefix(utf8_text, kLanguageSampleBytes));
  CLD2::Language top3[3];
  int percent3[3];
  double normalized_score3[3];
  int text_bytes = 0;
  bool reliable = false;
  int valid_prefix_bytes = 0;
  CLD2::ExtDetectLanguageSummaryCheckUTF8(sample.data(), static_cast<int>(sample.size()), /*is_plain_text=*/true,
                                          /*cld_hints=*/nullptr, /*flags=*/0, top3, percent3, normalized_score3,
                                          /*resultchunkvector=*/nullptr, &text_bytes, &reliable, &valid_prefix_bytes);
  if (!reliable || text_bytes < kMinDetectionTextBytes) return {};
  if (top3[0] == CLD2::UNKNOWN_LANGUAGE || top3[0] == CLD2::TG_UNKNOWN_LANGUAGE) return {};
  // Extended "languages" (scripts, Klingon, Pig Latin) have codes such as
  // "xx-Tfng"; only real ones normalise.
  const std::string_view code = CLD2::LanguageCode(top3[0]);
  if (code.starts_with("xx")) return {};
  LanguageGuess guess{normalize_language_tag(code), percent3[0]};
  if (guess.language.empty()) return {};
  return guess;
}

std::string normalize_language_tag(std::string_view tag) {
  while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
  while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
  std::string lower(tag);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (const std::string_view named = code_of_stemmer_name(lower); !named.empty()) return std::string(named);
  const std::string primary = lower.substr(0, lower.find_first_of("-_"));
  if (!all_lower_ascii_letters(primary)) return "";
  if (primary.size() == 2) return primary;
  if (primary.size() != 3) return "";
  if (std::find(kNoLanguage.begin(), kNoLanguage.end(), primary) != kNoLanguage.end()) return "";
  for (const auto& [three, two] : kThreeLetterCodes) {
    if (three == primary) return std::string(two);
  }
  return primary;  // a language with no two-letter code ("haw")
}

std::string stemmer_for_language(std::string_view language) {
  for (const auto& [code, stemmer] : kStemmers) {
    if (code == language) return std::string(stemmer);
  }
  return "";
}

std::string language_of_stemmer(std::string_view stemmer) {
  if (const std::string_view code = code_of_stemmer_name(stemmer); !code.empty()) return std::string(code);
  if (stemmer.size() > 3) return "";  // "none", or a name Xapian does not know either
  return normalize_language_tag(stemmer);
}

}  // namespace policy
