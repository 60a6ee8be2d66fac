// The order of a result list: relevance (ranking.h), or a document property with
// relevance breaking ties. Xapian's matcher sorts by the keys the indexer
// wrote (core/sort_keys.h), so a page deep in a sorted list costs what a
// ranked one does, on shards as on one database.
//
// Thread-safe: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <xapian.h>

#include "core/field_schema.h"
#include "core/sort_keys.h"

namespace policy {

enum class ResultOrder {
  kRelevance,  // relevance score, best first
  kOldest,     // the index's year field, oldest first
  kNewest,     // the index's year field, newest first
  kTitle,      // title in the root locale's collation order (case and accents second)
};

// "relevance"; "year" or "oldest"; "-year" or "newest"; "title". nullopt
// for anything else.
std::optional<ResultOrder> parse_result_order(std::string_view text);
// The canonical name: "relevance", "oldest", "newest" or "title".
std::string_view result_order_name(ResultOrder order);

// An order and the slot it reads: all a thread needs to sort a match.
struct SortSpec {
  ResultOrder order = ResultOrder::kRelevance;
  std::optional<Xapian::valueno> year_slot;  // document_year_slot()
};

// The order of `schema`'s index named by `order`. Throws RequestError for
// a year order when the schema has no document year.
SortSpec sort_spec(ResultOrder order, const Schema& schema);

// Sets `sort` on `enquire` (relevance: nothing to do).
void apply_sort(Xapian::Enquire& enquire, const SortSpec& sort);

}  // namespace policy
