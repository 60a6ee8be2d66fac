#include "core/stopwords.h"

#include <algorithm>
#include <string>

#include <gtest/gtest.h>

namespace policy {
namespace {

TEST(StopwordsTest, FunctionWordsOnly) {
  struct Case {
    const char* term;
    bool stopword;
  };
  // Analyzer terms are lower case: "The" is never one.
  const Case cases[] = {
      {"the", true},  {"a", true},     {"of", true},    {"and", true},      {"yourselves", true},
      {"who", true},  {"about", true}, {"with", true},  {"climate", false}, {"us", false},
      {"The", false}, {"", false},     {"thee", false}, {"policy", false},  {"2016", false},
  };
  for (const Case& c : cases) EXPECT_EQ(is_english_stopword(c.term), c.stopword) << c.term;
}

TEST(StopwordsTest, TheTableIsSortedAndEveryEntryIsFound) {
  const auto words = english_stopwords();
  EXPECT_EQ(words.size(), 127u);
  EXPECT_TRUE(std::is_sorted(words.begin(), words.end()));
  EXPECT_EQ(std::adjacent_find(words.begin(), words.end()), words.end());
  for (const std::string_view word : words) EXPECT_TRUE(is_english_stopword(word)) << word;
}

}  // namespace
}  // namespace policy
