// Pair terms: a phrase index for the pairs of an index's most frequent words.
//
// A phrase of frequent words is what costs: Xapian checks the positions of
// every document that holds all of its words, and frequent words share
// most documents. Following Williams, Zobel and Bahle ("Fast phrase
// querying with combined indexes", ACM TOIS 2004), an index adds a term for
// each adjacent pair of its common words, "W" + first + " " + second, a
// boolean term (index_layout.h): no positions, and no wdf, which would
// lengthen the document and so change every score, differently in shards
// that chose other words. A phrase
// of two common words is then one posting list; a longer one checks its
// words' positions only in the documents that hold all of its pairs
// (QueryBinder). Pairs that hold a rarer word are not indexed: that word's
// list is short already.
//
// The common words are chosen from the build's sample (the same first
// documents the bodies' dictionary is trained on, so the same set for any
// number of jobs): of the words held by at least kMinDocumentShare of its
// documents, in order of how many documents hold them, each word whose
// pairs keep the sample's pair postings (one per document and distinct
// pair) within kPairPostingShare of its word postings, at most
// kCommonWords words. The budget bounds what the pairs add to the index
// whatever the text; a rarer word is not worth its pairs, as a phrase
// holding it has few candidates already.
//
// An index keeps its set for its life (metadata_key::kCommonWords): every
// document added later gets the pairs of the same words, so a pair term is
// exact for every document. The shards of one index each choose their own;
// a query uses only the words common in every shard (CommonWords::shared).
//
// Thread-safe: immutable after construction.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "core/analyzer.h"

namespace policy {

class CommonWords {
 public:
  // How many words a build chooses at most.
  static constexpr std::size_t kCommonWords = 256;
  // The sample's pair postings may add this share of its word postings.
  static constexpr double kPairPostingShare = 0.25;
  // A common word is held by at least this share of the sample's documents.
  static constexpr double kMinDocumentShare = 0.05;
  // Longer words are never common, so that a pair term stays within
  // Xapian's term length limit.
  static constexpr std::size_t kMaxWordBytes = 100;

  // None: no pair terms.
  CommonWords() = default;
  explicit CommonWords(std::set<std::string, std::less<>> words) : words_(std::move(words)) {}

  // The common words of `documents` (analysed body tokens, one vector per
  // document), as the header says; words held by the same number of
  // documents go in order of occurrences, then of the words. Only words
  // held by at least two documents (and kMinDocumentShare), of at most
  // kMaxWordBytes.
  static CommonWords choose(const std::vector<std::vector<Token>>& documents,
                            double pair_posting_share = kPairPostingShare);
  // As stored in an index: the words, one per line ("" for none). Throws
  // CorruptDataError on a word that cannot be one.
  static CommonWords parse(std::string_view stored);
  // The words common in every one of `sets` (a query over shards may use
  // a pair only where every shard indexes it).
  static CommonWords shared(const std::vector<CommonWords>& sets);

  std::string serialise() const;
  bool empty() const { return words_.empty(); }
  std::size_t size() const { return words_.size(); }
  bool contains(std::string_view word) const { return words_.find(word) != words_.end(); }
  const std::set<std::string, std::less<>>& words() const { return words_; }

  // Adds to `doc` the pair term of every two adjacent tokens of `body`
  // (analyser positions p and p + 1) that are both common, as a boolean
  // term.
  void add_pair_postings(const std::vector<Token>& body, Xapian::Document& doc) const;

 private:
  std::set<std::string, std::less<>> words_;
};

// The pair term of two adjacent body words: "W" + first + " " + second.
std::string pair_term(std::string_view first, std::string_view second);

}  // namespace policy
