#include "policy/facets.h"

#include <algorithm>
#include <cstdlib>

#include "policy/index_schema.h"

namespace policy {

void FacetCounter::operator()(const Xapian::Document& doc, double) {
  ++seen_;
  for (auto& [key, display] : decode_field_values(doc.get_value(slot_))) {
    auto [it, fresh] = counts_.try_emplace(std::move(key), std::move(display), 0);
    ++it->second.second;
  }
}

FacetResult summarise_facet(const FieldSpec& field, const FacetCounter& counter, std::size_t limit, bool exact) {
  FacetResult result;
  result.field = field.name;
  result.exact = exact;
  std::vector<FacetValue> all;
  for (const auto& [key, entry] : counter.counts()) all.push_back(FacetValue{entry.first, key, entry.second});
  if (field.kind == FieldKind::kYear) {
    result.histogram = all;  // keys are years: the map has them ascending
    const auto year = [](const std::string& key) { return static_cast<int>(std::strtol(key.c_str(), nullptr, 10)); };
    if (!all.empty() && year(all.back().key) - year(all.front().key) > kDecadeSpan) {
      std::map<int, std::uint64_t> decades;
      for (const FacetValue& v : all) decades[year(v.key) / 10 * 10] += v.count;
      for (const auto& [decade, count] : decades) {
        result.decades.push_back(FacetValue{std::to_string(decade) + "s", std::to_string(decade) + ".." +
                                                                             std::to_string(decade + 9), count});
      }
    }
  }
  std::sort(all.begin(), all.end(), [](const FacetValue& a, const FacetValue& b) {
    return a.count != b.count ? a.count > b.count : a.value < b.value;
  });
  if (all.size() > limit) {
    result.more = all.size() - limit;
    all.resize(limit);
  }
  result.values = std::move(all);
  return result;
}

}  // namespace policy
