#include "searcher/reports/report_values.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <system_error>

#include <nlohmann/json.hpp>

namespace policy {
namespace {

// The most points year_series fills in.
constexpr long kMaxFilledYears = 400;

std::optional<long> parse_year(const std::string& text) {
  long year = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, year);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return year;
}

}  // namespace

std::vector<std::string> hit_values(const SearchHit& hit, const std::string& name) {
  std::vector<std::string> values;
  const auto collect = [&values](const nlohmann::json& v) {
    if (v.is_string()) values.push_back(v.get<std::string>());
    if (v.is_number_integer()) values.push_back(std::to_string(v.get<long long>()));
  };
  if (hit.fields.is_object()) {
    if (auto it = hit.fields.find(name); it != hit.fields.end() && it->is_array()) {
      for (const auto& v : *it) collect(v);
    }
  }
  if (values.empty() && hit.metadata.is_object()) {
    if (auto it = hit.metadata.find(name); it != hit.metadata.end()) {
      if (it->is_array()) {
        for (const auto& v : *it) collect(v);
      } else {
        collect(*it);
      }
    }
  }
  return values;
}

std::string hit_year(const SearchHit& hit) {
  std::vector<std::string> years = hit_values(hit, "year");
  return years.empty() ? "" : years.front();
}

std::vector<const ValueCount*> top_values(const FieldCounts& counts, std::size_t limit) {
  std::vector<const ValueCount*> values;
  for (const ValueCount& v : counts.values) values.push_back(&v);
  std::stable_sort(values.begin(), values.end(), [](const ValueCount* a, const ValueCount* b) {
    if (a->documents != b->documents) return a->documents > b->documents;
    if (a->occurrences != b->occurrences) return a->occurrences > b->occurrences;
    return a->value < b->value;
  });
  if (values.size() > limit) values.resize(limit);
  return values;
}

std::vector<YearCount> year_series(const FieldCounts& counts) {
  std::map<long, const ValueCount*> by_year;
  for (const ValueCount& v : counts.values) {
    std::optional<long> year = parse_year(v.value);
    if (!year) year = parse_year(v.key);
    if (year) by_year.try_emplace(*year, &v);
  }
  std::vector<YearCount> series;
  if (by_year.empty()) return series;
  const long first = by_year.begin()->first;
  const long last = by_year.rbegin()->first;
  // Unsigned: no overflow whatever numbers the metadata holds.
  const unsigned long span = static_cast<unsigned long>(last) - static_cast<unsigned long>(first);
  if (span < static_cast<unsigned long>(kMaxFilledYears)) {
    for (unsigned long i = 0; i <= span; ++i) {
      const long y = first + static_cast<long>(i);
      auto it = by_year.find(y);
      series.push_back(YearCount{y, it == by_year.end() ? nullptr : it->second});
    }
  } else {
    for (const auto& [year, v] : by_year) series.push_back(YearCount{year, v});
  }
  return series;
}

}  // namespace policy
