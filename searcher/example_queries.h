// Queries to offer a new user (the web page's "Try" list), made from the
// index itself so that each finds documents in whatever corpus is loaded:
//   "w1 w2"        the two-word phrases found in the most documents (then
//                  most often) among a sample of documents, whose words are
//                  not among the index's most frequent words (which are
//                  function words in any language of a large corpus)
//   org:"Name"     the value of each counted gazetteer or taxonomy field
//                  held by the most documents, by its display name
//   year:A..B      the span of the first year field, when it has years
// Each comes with a short reason for showing it.
//
// A read of the database: call inside IndexReader::retrying(). Cost: one
// pass over the vocabulary and the analysis of at most `sample_documents`
// texts, so callers cache the answer per revision.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/index_reader.h"

namespace policy {

struct ExampleQuery {
  std::string query;
  std::string why;  // e.g. "phrase in 4 documents"
};

std::vector<ExampleQuery> example_queries(const IndexReader& reader, std::size_t sample_documents = 200);

}  // namespace policy
