#include "searcher/any_words.h"

#include <algorithm>

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
  std::vector<QueryNode> words;
  for (const Token& token : tokens) {
    if (stopword(token) && !only_stopwords) {
      if (std::find(query.left_out.begin(), query.left_out.end(), token.term) == query.left_out.end()) {
        query.left_out.push_back(token.term);
      }
      continue;
    }
    if (words.size() == limits.max_words) {
      const std::string limit = std::to_string(limits.max_words);
      throw QuerySyntaxError("too many words (more than " + limit + ")", token.begin,
                             "use at most " + limit + " words");
    }
    QueryNode word;
    word.kind = QueryNode::Kind::kWord;
    word.text = token.acronym ? std::string(text.substr(token.begin, token.end - token.begin)) : token.term;
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
