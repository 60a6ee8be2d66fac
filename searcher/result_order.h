// The order of a result list: relevance (BM25), or a document property with
// relevance breaking ties. Sorting is done by Xapian's matcher through a
// KeyMaker, so a page deep in a sorted list costs what a ranked one does.
//
// Keys compare bytewise, ascending; a document without the property (no
// year, no title) sorts after every document that has it, in both
// directions.
//
// Thread-safe: ResultSortKey is immutable after construction (its ICU
// collator is used through const calls only), but Xapian may call it from
// one thread per Enquire; make one per search.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <xapian.h>

#include "core/field_schema.h"

namespace policy {

enum class ResultOrder {
  kRelevance,  // BM25 score, best first
  kOldest,     // the index's year field, oldest first
  kNewest,     // the index's year field, newest first
  kTitle,      // title in the root locale's collation order (case and accents second)
};

// "relevance"; "year" or "oldest"; "-year" or "newest"; "title". nullopt
// for anything else.
std::optional<ResultOrder> parse_result_order(std::string_view text);
// The canonical name: "relevance", "oldest", "newest" or "title".
std::string_view result_order_name(ResultOrder order);

// The value slot of the schema's document year: its first single-valued
// field of kind year that has a slot; nullopt when it has none.
std::optional<Xapian::valueno> document_year_slot(const Schema& schema);

// An order and the slot it reads: all a thread needs to sort a match.
struct SortSpec {
  ResultOrder order = ResultOrder::kRelevance;
  std::optional<Xapian::valueno> year_slot;  // document_year_slot()
};

// The order of `schema`'s index named by `order`. Throws RequestError for
// a year order when the schema has no document year.
SortSpec sort_spec(ResultOrder order, const Schema& schema);

class ResultSortKey;
// Sets `sort` on `enquire` (relevance: nothing to do); the returned key,
// if any, must outlive the enquire's matches.
std::unique_ptr<ResultSortKey> apply_sort(Xapian::Enquire& enquire, const SortSpec& sort);

class ResultSortKey : public Xapian::KeyMaker {
 public:
  // REQUIRES: order != kRelevance; for kOldest and kNewest, year_slot.
  ResultSortKey(ResultOrder order, std::optional<Xapian::valueno> year_slot);
  ~ResultSortKey() override;

  std::string operator()(const Xapian::Document& doc) const override;

 private:
  ResultOrder order_;
  std::optional<Xapian::valueno> year_slot_;
  struct Collation;  // ICU's root collator, for kTitle
  std::unique_ptr<Collation> collation_;
};

}  // namespace policy
