#include "searcher/any_words.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <unordered_map>

#include "core/stopwords.h"

namespace policy {

AnyWordsQuery any_words_query(std::string_view text, const Analyzer& analyzer, const QueryLimits& limits,
                              bool leave_out_stopwords) {
  check_query_text(text, limits);
  const std::vector<Token> tokens = analyzer.analyze(text);
  if (tokens.empty()) {
    throw QuerySyntaxError("no words in the text", 0, "an any-words query needs at least one word or number");
  }
  const auto stopword = [&](const Token& token) {
    return leave_out_stopwords && !token.acronym && is_english_stopword(token.term);
  };
  const bool only_stopwords = std::all_of(tokens.begin(), tokens.end(), stopword);

  AnyWordsQuery query;
  std::vector<QueryNode> words;  // each distinct word once, boosted by its repeats
  std::unordered_map<std::string, std::size_t> index_of;
  for (const Token& token : tokens) {
    if (stopword(token) && !only_stopwords) {
      if (std::find(query.left_out.begin(), query.left_out.end(), token.term) == query.left_out.end()) {
        query.left_out.push_back(token.term);
      }
      continue;
    }
    std::string typed = token.term;
    if (token.acronym) {
      // Acronyms are ASCII letters, digits and '&' (core/analyzer.h).
      for (char& c : typed) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    if (const auto seen = index_of.find(typed); seen != index_of.end()) {
      words[seen->second].boost += 1;
      continue;
    }
    if (words.size() == limits.max_words) throw too_many_words_error(limits.max_words, token.begin);
    index_of.emplace(typed, words.size());
    QueryNode word;
    word.kind = QueryNode::Kind::kWord;
    word.text = std::move(typed);
    word.position = token.begin;
    words.push_back(std::move(word));
  }
  if (words.size() == 1) {
    query.tree = std::move(words.front());
  } else {
    query.tree.kind = QueryNode::Kind::kOr;
    query.tree.position = words.front().position;
    query.tree.children = std::move(words);
  }
  return query;
}

}  // namespace policy
