#include "searcher/result_order.h"

#include "core/errors.h"
#include "core/index_layout.h"

namespace policy {

std::optional<ResultOrder> parse_result_order(std::string_view text) {
  if (text == "relevance") return ResultOrder::kRelevance;
  if (text == "year" || text == "oldest") return ResultOrder::kOldest;
  if (text == "-year" || text == "newest") return ResultOrder::kNewest;
  if (text == "title") return ResultOrder::kTitle;
  return std::nullopt;
}

std::string_view result_order_name(ResultOrder order) {
  switch (order) {
    case ResultOrder::kRelevance:
      return "relevance";
    case ResultOrder::kOldest:
      return "oldest";
    case ResultOrder::kNewest:
      return "newest";
    case ResultOrder::kTitle:
      return "title";
  }
  return "relevance";
}

SortSpec sort_spec(ResultOrder order, const Schema& schema) {
  SortSpec sort{order, document_year_slot(schema)};
  if ((order == ResultOrder::kOldest || order == ResultOrder::kNewest) && !sort.year_slot) {
    throw RequestError("this index has no year field to sort by (its schema declares none)");
  }
  return sort;
}

void apply_sort(Xapian::Enquire& enquire, const SortSpec& sort) {
  switch (sort.order) {
    case ResultOrder::kRelevance:
      return;
    case ResultOrder::kOldest:
      enquire.set_sort_by_value_then_relevance(slot::kSortOldest, false);
      return;
    case ResultOrder::kNewest:
      enquire.set_sort_by_value_then_relevance(slot::kSortNewest, false);
      return;
    case ResultOrder::kTitle:
      enquire.set_sort_by_value_then_relevance(slot::kSortTitle, false);
      return;
  }
}

}  // namespace policy
