// The values of a batch result as the reports pick them: a hit's field
// values and year, a field's top values, and the years of a year field in
// order with the gaps filled.
//
// Thread-safe: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "searcher/batch.h"

namespace policy {

// Values shown per field in the readable reports (md, html and its charts);
// the CSV and JSONL carry all.
constexpr std::size_t kTopValues = 10;

// Display values of a field of a hit: the extracted fields first, else the
// metadata (a number, a string or a list of strings).
std::vector<std::string> hit_values(const SearchHit& hit, const std::string& name);

// The hit's first year value, or "".
std::string hit_year(const SearchHit& hit);
// "12" for page 12; "" for 0 (a document without pages).
inline std::string page_text(std::uint32_t page) { return page ? std::to_string(page) : std::string(); }

// At most `limit` values, most documents first (then occurrences, then
// value: the order batch.h promises, re-established here so a writer never
// depends on it).
std::vector<const ValueCount*> top_values(const FieldCounts& counts, std::size_t limit);

struct YearCount {
  long year = 0;
  const ValueCount* counted = nullptr;  // null: a year filled in with zero
};

// The values that are a year number (in value or key), in ascending order.
// The years between the first and the last are filled in with zeros unless
// that would make more than 400 points (a stray year 1066 in the metadata):
// then only the counted years are given.
std::vector<YearCount> year_series(const FieldCounts& counts);

}  // namespace policy
