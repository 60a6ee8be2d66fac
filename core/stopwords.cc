#include "core/stopwords.h"

#include <algorithm>
#include <array>

namespace policy {
namespace {

// Sorted, for binary search.
constexpr auto kEnglishStopwords = std::to_array<std::string_view>({
    "a",       "about",   "above",  "after",  "again",      "against",  "all",        "am",      "an",        "and",
    "any",     "are",     "as",     "at",     "be",         "because",  "been",       "before",  "being",     "below",
    "between", "both",    "but",    "by",     "can",        "could",    "did",        "do",      "does",      "doing",
    "down",    "during",  "each",   "few",    "for",        "from",     "further",    "had",     "has",       "have",
    "having",  "he",      "her",    "here",   "hers",       "herself",  "him",        "himself", "his",       "how",
    "i",       "if",      "in",     "into",   "is",         "it",       "its",        "itself",  "just",      "me",
    "more",    "most",    "my",     "myself", "no",         "nor",      "not",        "now",     "of",        "off",
    "on",      "once",    "only",   "or",     "other",      "ought",    "our",        "ours",    "ourselves", "out",
    "over",    "own",     "same",   "she",    "should",     "so",       "some",       "such",    "than",      "that",
    "the",     "their",   "theirs", "them",   "themselves", "then",     "there",      "these",   "they",      "this",
    "those",   "through", "to",     "too",    "under",      "until",    "up",         "very",    "was",       "we",
    "were",    "what",    "when",   "where",  "which",      "while",    "who",        "whom",    "why",       "will",
    "with",    "would",   "you",    "your",   "yours",      "yourself", "yourselves",
});

}  // namespace

std::span<const std::string_view> english_stopwords() { return kEnglishStopwords; }

bool is_english_stopword(std::string_view term) {
  return std::binary_search(kEnglishStopwords.begin(), kEnglishStopwords.end(), term);
}

}  // namespace policy
