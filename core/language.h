// Document languages: detection, language tags, and which Snowball stemmer
// (Xapian::Stem) serves each language.
//
// A language is named by its ISO 639-1 code ("de"), or by an ISO 639-2/3
// code for the few languages that have no two-letter one ("haw"); "" means
// unknown. Codes are what documents store, what "lang:de" filters and the
// language facet show, and what the analyzer's stem(term, language) takes.
//
// Detection uses CLD2 (Debian's libcld2), not libexttextcat, which is also
// packaged: CLD2 reads UTF-8 as it is, knows about 80 languages including
// Chinese, Japanese, Korean and Thai, and says whether its guess is
// reliable; libexttextcat's n-gram guesses come with no reliability, name
// Interlingua or Afrikaans for "water quality", and took 3 times as long on
// the same texts (BENCHMARKS.md, "Language detection"). Both agreed on the
// test PDFs in English, German, French and Dutch.
//
// Thread-safe: pure functions (CLD2's tables are read-only).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace policy {

struct LanguageGuess {
  std::string language;  // ISO code, or "" when the text is too short or the guess unreliable
  int percent = 0;       // share of the sampled text in that language, 0-100
};

// The text CLD2 reads: a document's language shows in its first pages, and
// detection time grows with the sample.
inline constexpr std::size_t kLanguageSampleBytes = 16 * 1024;
// Texts shorter than this (as CLD2 counts them: the letters and the spaces
// between words) are not guessed at: CLD2 calls three English words a
// reliable guess, but a text of title length is no evidence.
inline constexpr int kMinDetectionTextBytes = 64;

// The language of a UTF-8 text, from its first kLanguageSampleBytes bytes
// (cut at a character boundary). Control characters and invalid UTF-8,
// which CLD2 refuses, are read as spaces.
LanguageGuess detect_language(std::string_view utf8_text);

// A language tag as documents give it -> its code: "en-GB" -> "en",
// "EN" -> "en", "zh-Hant" -> "zh", "deu" and "ger" -> "de", the Xapian
// stemmer names ("german" -> "de"). "" for anything else, and for the
// codes that name no language ("und", "mul", "zxx").
std::string normalize_language_tag(std::string_view tag);

// The Xapian::Stem language that stems `language` ("de" -> "german"), or ""
// when Xapian 1.4 has none (zh, ja, th, ko, pl, ...).
std::string stemmer_for_language(std::string_view language);

// The language a Xapian::Stem language stems ("english", "porter" and
// "lovins" -> "en", "german2" -> "de", "kraaij_pohlmann" -> "nl"; an ISO
// code, which Xapian also takes, normalised); "" for "none" and unknown
// names.
std::string language_of_stemmer(std::string_view stemmer);

}  // namespace policy
