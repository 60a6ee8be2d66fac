#include "core/analyzer.h"

#include <algorithm>
#include <map>
#include <optional>
#include <stdexcept>
#include <unordered_map>

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>
#include <unicode/uversion.h>
#include <xapian.h>

#include "core/errors.h"
#include "core/language.h"

namespace policy {
namespace {

// Xapian refuses terms longer than about 245 bytes; words that long are
// never useful search terms (base64 blobs, URLs run together), so they are
// not tokens at all, in documents and queries alike.
constexpr std::size_t kMaxTermBytes = 120;

struct RawWord {
  std::uint32_t begin;
  std::uint32_t end;
  int rule_status;  // ICU UBRK_WORD_* class of the segment
};

bool is_letter_word(int rule_status) { return rule_status >= UBRK_WORD_LETTER && rule_status < UBRK_WORD_LETTER_LIMIT; }

bool is_ascii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

// "u.s" -> "us", "u.s.a" -> "usa": dotted runs of single letters only, so
// "www.epa.gov" and "1.1" stay as they are.
void fold_dotted_abbreviation(std::string& term) {
  if (term.size() < 3 || term.find('.') == std::string::npos) return;
  for (std::size_t i = 0; i < term.size(); ++i) {
    const bool letter_slot = i % 2 == 0;
    const unsigned char c = static_cast<unsigned char>(term[i]);
    if (letter_slot ? !(c >= 'a' && c <= 'z') : c != '.') return;
  }
  std::string folded;
  for (std::size_t i = 0; i < term.size(); i += 2) folded.push_back(term[i]);
  term = std::move(folded);
}

void strip_possessive(std::string& term) {
  if (term.size() > 2 && term.ends_with("'s")) {
    term.resize(term.size() - 2);
  } else if (term.size() > 1 && term.back() == '\'') {
    term.pop_back();
  }
}

// How a word is written, for the acronym rule (analyzer.h, rule 5).
enum class Writing { kOther, kLowerCase, kCapitals, kDottedCapitals };

bool is_ascii_capital(char c) { return c >= 'A' && c <= 'Z'; }

// "EPA’s" -> "EPA", "Ministers'" -> "Ministers".
std::string_view without_possessive(std::string_view written) {
  for (std::string_view tail : {"'s", "\u2019s", "'", "\u2019"}) {
    if (written.size() > tail.size() && written.ends_with(tail)) return written.substr(0, written.size() - tail.size());
  }
  return written;
}

bool holds_lower_case(std::string_view written) {
  const auto length = static_cast<int32_t>(written.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c = 0;
    U8_NEXT(written.data(), i, length, c);
    if (c >= 0 && u_islower(c)) return true;
  }
  return false;
}

Writing writing_of(std::string_view written) {
  // Most words start with a lower-case letter: decided at the first byte.
  if (written.empty() || (written[0] >= 'a' && written[0] <= 'z')) return Writing::kLowerCase;
  const std::string_view word = without_possessive(written);
  if (!is_ascii_capital(word[0])) return holds_lower_case(word) ? Writing::kLowerCase : Writing::kOther;
  // "U.S", "U.S.A." (ICU leaves a final dot out of the word; either way).
  bool dotted = word.size() >= 3;
  for (std::size_t i = 0; i < word.size() && dotted; ++i) {
    dotted = i % 2 == 0 ? is_ascii_capital(word[i]) : word[i] == '.';
  }
  if (dotted) return Writing::kDottedCapitals;
  std::size_t capitals = 0;
  for (char c : word) {
    if (is_ascii_capital(c)) {
      ++capitals;
    } else if (!(c >= '0' && c <= '9') && c != '&') {
      return holds_lower_case(word) ? Writing::kLowerCase : Writing::kOther;
    }
  }
  return capitals >= 2 ? Writing::kCapitals : Writing::kOther;
}

bool is_line_break(char c) { return c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Marks the acronyms among `tokens` of `text`: dotted capitals always,
// capitals words unless their line is written in capitals (a heading).
void mark_acronyms(std::string_view text, std::vector<Token>& tokens) {
  std::vector<Writing> writing(tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    writing[i] = writing_of(text.substr(tokens[i].begin, tokens[i].end - tokens[i].begin));
  }
  std::size_t line_begin = 0;
  while (line_begin < tokens.size()) {
    std::size_t line_end = line_begin + 1;
    while (line_end < tokens.size()) {
      const std::string_view gap =
          text.substr(tokens[line_end - 1].end, tokens[line_end].begin - tokens[line_end - 1].end);
      if (std::any_of(gap.begin(), gap.end(), is_line_break)) break;
      ++line_end;
    }
    std::size_t capitals_words = 0;
    bool lower_case = false;
    for (std::size_t i = line_begin; i < line_end; ++i) {
      lower_case = lower_case || writing[i] == Writing::kLowerCase;
      if (writing[i] == Writing::kCapitals || writing[i] == Writing::kDottedCapitals) ++capitals_words;
    }
    const bool heading = !lower_case && capitals_words >= 2;
    for (std::size_t i = line_begin; i < line_end; ++i) {
      tokens[i].acronym = writing[i] == Writing::kDottedCapitals || (writing[i] == Writing::kCapitals && !heading);
    }
    line_begin = line_end;
  }
}

bool strips_marks_after(UChar32 base) {
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(base, &status);
  return U_SUCCESS(status) && (script == USCRIPT_LATIN || script == USCRIPT_GREEK || script == USCRIPT_CYRILLIC);
}

// One language's stemmer and the stems it has computed: a corpus repeats
// its words, and stemming is a good part of indexing time. The cache is
// cleared when full, so memory stays bounded.
class CachingStemmer {
 public:
  explicit CachingStemmer(std::optional<Xapian::Stem> stemmer) : stemmer_(std::move(stemmer)) {}

  std::string stem(const std::string& term) {
    if (!stemmer_) return term;
    auto found = cache_.find(term);
    if (found != cache_.end()) return found->second;
    if (cache_.size() >= kMaxCachedStems) cache_.clear();
    return cache_.emplace(term, (*stemmer_)(term)).first->second;
  }

 private:
  static constexpr std::size_t kMaxCachedStems = 1u << 18;
  std::optional<Xapian::Stem> stemmer_;  // none: the language has no stemmer
  std::unordered_map<std::string, std::string> cache_;
};

}  // namespace

struct Analyzer::Impl {
  std::unique_ptr<icu::BreakIterator> words;
  const icu::Normalizer2* nfkc_casefold = nullptr;
  const icu::Normalizer2* nfd = nullptr;
  const icu::Normalizer2* nfc = nullptr;
  bool stemming = true;
  std::optional<CachingStemmer> default_stemmer;
  // Other languages' stemmers, made when first asked for.
  std::map<std::string, CachingStemmer, std::less<>> language_stemmers;

  std::string normalize(std::string_view raw) const;
  CachingStemmer& stemmer_for(std::string_view language);
};

CachingStemmer& Analyzer::Impl::stemmer_for(std::string_view language) {
  auto found = language_stemmers.find(language);
  if (found != language_stemmers.end()) return found->second;
  const std::string name = stemmer_for_language(language);
  return language_stemmers
      .emplace(std::string(language),
               CachingStemmer(name.empty() ? std::nullopt : std::optional<Xapian::Stem>(Xapian::Stem(name))))
      .first->second;
}

std::string Analyzer::Impl::normalize(std::string_view raw) const {
  std::string term;
  if (is_ascii(raw)) {
    term.assign(raw);
    for (char& c : term) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
  } else {
    icu::UnicodeString text =
        icu::UnicodeString::fromUTF8(icu::StringPiece(raw.data(), static_cast<int32_t>(raw.size())));
    // Apostrophe look-alikes first, so "EPA’s" and "EPA's" are one term.
    for (UChar look_alike : {u'\u2018', u'\u2019', u'\u02BC', u'\uFF07', u'\u2032'}) {
      text.findAndReplace(icu::UnicodeString(look_alike), icu::UnicodeString(u'\''));
    }
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString folded = nfkc_casefold->normalize(text, status);
    if (U_FAILURE(status)) return {};
    // Remove accents from Latin, Greek and Cyrillic letters only: decompose,
    // drop the marks that follow such a base letter, recompose.
    icu::UnicodeString decomposed = nfd->normalize(folded, status);
    if (U_FAILURE(status)) return {};
    icu::UnicodeString kept;
    bool dropped = false;
    UChar32 base = 0;
    for (int32_t i = 0; i < decomposed.length(); i = decomposed.moveIndex32(i, 1)) {
      const UChar32 c = decomposed.char32At(i);
      if (u_charType(c) == U_NON_SPACING_MARK) {
        if (strips_marks_after(base)) {
          dropped = true;
          continue;
        }
      } else {
        base = c;
      }
      kept.append(c);
    }
    if (dropped) {
      folded = nfc->normalize(kept, status);
      if (U_FAILURE(status)) return {};
    }
    folded.toUTF8String(term);
  }
  fold_dotted_abbreviation(term);
  strip_possessive(term);
  return term;
}

Analyzer::Analyzer(const AnalyzerOptions& options) : options_(options), impl_(std::make_unique<Impl>()) {
  UErrorCode status = U_ZERO_ERROR;
  impl_->words.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  impl_->nfkc_casefold = icu::Normalizer2::getNFKCCasefoldInstance(status);
  impl_->nfd = icu::Normalizer2::getNFDInstance(status);
  impl_->nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status) || !impl_->words) {
    throw Error(std::string("cannot initialise ICU: ") + u_errorName(status));
  }
  if (options_.stem_language == "none" || options_.stem_language.empty()) {
    impl_->stemming = false;
  } else {
    try {
      impl_->default_stemmer.emplace(Xapian::Stem(options_.stem_language));
      default_language_ = language_of_stemmer(options_.stem_language);
    } catch (const Xapian::InvalidArgumentError&) {
      throw RequestError("unknown stemming language '" + options_.stem_language +
                         "'; available: " + Xapian::Stem::get_available_languages() + ", or none");
    }
  }
}

Analyzer::~Analyzer() = default;

std::vector<Token> Analyzer::analyze(std::string_view text) const {
  std::vector<Token> tokens;
  if (text.empty()) return tokens;
  UErrorCode status = U_ZERO_ERROR;
  UText* utext = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
  if (U_FAILURE(status)) throw Error(std::string("ICU cannot read text: ") + u_errorName(status));
  icu::BreakIterator& words = *impl_->words;
  words.setText(utext, status);

  // Segment first; joining rules need to see neighbours.
  std::vector<RawWord> raw;
  int32_t start = words.first();
  for (int32_t end = words.next(); end != icu::BreakIterator::DONE; start = end, end = words.next()) {
    const int rule = words.getRuleStatus();
    if (rule < UBRK_WORD_NONE_LIMIT) continue;
    const RawWord word{static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(end), rule};
    // "S&ED", "R&D": letters joined by a bare ampersand are one word.
    if (!raw.empty() && is_letter_word(rule) && is_letter_word(raw.back().rule_status) &&
        word.begin == raw.back().end + 1 && text[raw.back().end] == '&') {
      raw.back().end = word.end;
      continue;
    }
    raw.push_back(word);
  }
  utext_close(utext);

  tokens.reserve(raw.size());
  std::uint32_t position = 0;
  for (const RawWord& word : raw) {
    std::string term = impl_->normalize(text.substr(word.begin, word.end - word.begin));
    if (term.empty() || term.size() > kMaxTermBytes) continue;
    tokens.push_back(Token{std::move(term), position++, word.begin, word.end});
  }
  mark_acronyms(text, tokens);
  return tokens;
}

std::string Analyzer::stem(const std::string& term) const {
  if (!impl_->stemming) return term;
  return impl_->default_stemmer->stem(term);
}

std::string Analyzer::stem(const std::string& term, std::string_view language) const {
  if (!impl_->stemming) return term;
  if (language.empty() || language == default_language_) return impl_->default_stemmer->stem(term);
  return impl_->stemmer_for(language).stem(term);
}

std::string Analyzer::version() const {
  return "policy-analyzer/" + std::to_string(kAnalyzerVersion) +
         " stem=" + (impl_->stemming ? options_.stem_language : std::string("none"));
}

std::string icu_version() { return U_ICU_VERSION; }

}  // namespace policy
