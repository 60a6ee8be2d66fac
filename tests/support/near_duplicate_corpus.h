// A generated corpus of versions and near-duplicates, for the grouping and
// collapsing tests: one strategy as a web page and as a PDF-like text, a
// draft and its final text, two different texts sharing a long boilerplate
// header and footer (not near-duplicates), and unrelated documents.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "indexer/document_reader.h"

namespace policy::testing {

struct NearDuplicateCorpus {
  std::vector<SourceDocument> documents;  // each with metadata "year"
  // id -> the id of its expected group (the group's smallest id); absent
  // for a document in no group.
  std::map<std::string, std::string> expected_group;
};

// The same corpus for the same seed. Every text holds the word "policy".
NearDuplicateCorpus make_near_duplicate_corpus(unsigned seed = 23);

// `words` random words (from a large made-up vocabulary, so that two
// independent texts share no 5-word run), as sentences of 12 words.
std::string random_text(unsigned seed, std::size_t words);

}  // namespace policy::testing
