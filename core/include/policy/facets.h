// Facet counting: how many matching documents carry each value of a counted
// field (kinds facet and year).
//
// Counting rides on the match: a FacetCounter is a Xapian::MatchSpy that
// reads the field's value slot ("key\x1Fdisplay" entries, see
// index_schema.h) of every document the matcher considers. With
// check_at_least set to the database size every matching document is
// considered, so the counts are exact; with less (the --fast mode) they are
// counts over the documents seen, flagged exact = false.
//
// Not thread-safe: one FacetCounter per match.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <xapian.h>

#include "policy/schema.h"

namespace policy {

class FacetCounter : public Xapian::MatchSpy {
 public:
  explicit FacetCounter(Xapian::valueno slot) : slot_(slot) {}
  void operator()(const Xapian::Document& doc, double weight) override;
  std::string name() const override { return "policy::FacetCounter"; }

  // key -> (display, documents)
  const std::map<std::string, std::pair<std::string, std::uint64_t>>& counts() const { return counts_; }
  std::uint64_t documents_seen() const { return seen_; }

 private:
  Xapian::valueno slot_;
  std::map<std::string, std::pair<std::string, std::uint64_t>> counts_;
  std::uint64_t seen_ = 0;
};

struct FacetValue {
  std::string value;  // display text
  std::string key;    // what a filter on this value matches (field:key)
  std::uint64_t count = 0;
};

struct FacetResult {
  std::string field;
  bool exact = true;
  std::vector<FacetValue> values;  // by count, then value; at most the limit
  std::size_t more = 0;            // values left out by the limit
  // Year fields only: every year with its count, ascending, and per decade
  // ("2010s") when the years span more than kDecadeSpan.
  std::vector<FacetValue> histogram;
  std::vector<FacetValue> decades;
};

inline constexpr int kDecadeSpan = 20;

// Orders and cuts the counts of one field into a FacetResult.
FacetResult summarise_facet(const FieldSpec& field, const FacetCounter& counter, std::size_t limit, bool exact);

}  // namespace policy
