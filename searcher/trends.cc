#include "searcher/trends.h"

#include <algorithm>
#include <charconv>
#include <string_view>
#include <system_error>

#include "core/errors.h"
#include "core/index_layout.h"

#include "searcher/searcher.h"

namespace policy {
namespace {

std::optional<long> parse_year(std::string_view text) {
  long year = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, year);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return year;
}

// Floor division: the decade of -5 is -10.
long decade_of(long year) { return (year >= 0 ? year : year - 9) / 10 * 10; }

nlohmann::json optional_number(const std::optional<double>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace

std::vector<std::uint32_t> body_word_counts(const Xapian::Database& db, SlotReading reading) {
  std::vector<std::uint32_t> words(static_cast<std::size_t>(db.get_lastdocid()) + 1, 0);
  for_each_slot_value(db, slot::kBodyWords, reading, 0, [&](Xapian::docid did, std::string_view value) {
    std::uint32_t count = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), count);
    if (error != std::errc() || end != value.data() + value.size()) {
      throw CorruptDataError("document " + std::to_string(did) + ": malformed body word count '" + std::string(value) +
                             "'");
    }
    if (did < words.size()) words[did] = count;
  });
  return words;
}

CorpusBaseline::CorpusBaseline(const Xapian::Database& db, const FacetColumns& columns, std::size_t year_column,
                               SlotReading reading)
    : revision_(columns.revision()) {
  const std::vector<std::uint32_t> words = body_word_counts(db, reading);
  std::vector<std::optional<long>> year_of(columns.value_count(year_column));
  for (std::uint32_t ordinal = 0; ordinal < year_of.size(); ++ordinal) {
    year_of[ordinal] = parse_year(columns.value(year_column, ordinal).first);
  }
  for (Xapian::docid did = 1; did < words.size(); ++did) {
    for (const std::uint32_t ordinal : columns.ordinals(year_column, did)) {
      if (!year_of[ordinal]) continue;
      YearTotals& totals = years_[*year_of[ordinal]];
      ++totals.documents;
      totals.words += words[did];
    }
  }
}

std::optional<double> TrendPoint::share() const {
  if (index_documents == 0) return std::nullopt;
  return static_cast<double>(documents) / static_cast<double>(index_documents);
}

std::optional<double> TrendPoint::per_10k_words() const {
  if (index_words == 0) return std::nullopt;
  return 10000.0 * static_cast<double>(occurrences) / static_cast<double>(index_words);
}

Trend make_trend(const std::map<long, YearTotals>& baseline, const FieldCounts& year_counts) {
  Trend trend;
  trend.field = year_counts.field;
  std::map<long, const ValueCount*> matched;
  for (const ValueCount& v : year_counts.values) {
    if (const std::optional<long> year = parse_year(v.key)) matched.try_emplace(*year, &v);
  }
  for (const auto& [year, totals] : baseline) {
    TrendPoint point;
    point.period = std::to_string(year);
    point.first_year = point.last_year = year;
    point.index_documents = totals.documents;
    point.index_words = totals.words;
    if (auto it = matched.find(year); it != matched.end()) {
      point.documents = it->second->documents;
      point.occurrences = it->second->occurrences;
    }
    trend.years.push_back(std::move(point));
  }
  if (!trend.years.empty() && trend.years.back().first_year - trend.years.front().first_year > kDecadeSpan) {
    for (const TrendPoint& y : trend.years) {
      const long decade = decade_of(y.first_year);
      if (trend.decades.empty() || trend.decades.back().first_year != decade) {
        TrendPoint d;
        d.period = std::to_string(decade) + "s";
        d.first_year = decade;
        d.last_year = decade + 9;
        trend.decades.push_back(std::move(d));
      }
      TrendPoint& d = trend.decades.back();
      d.index_documents += y.index_documents;
      d.index_words += y.index_words;
      d.documents += y.documents;
      d.occurrences += y.occurrences;
    }
  }
  return trend;
}

std::span<const TrendPoint> chart_points(const Trend& trend) {
  return trend.decades.empty() ? std::span<const TrendPoint>(trend.years) : std::span<const TrendPoint>(trend.decades);
}

std::size_t smoothing_window(std::span<const TrendPoint> points, bool decades) {
  if (points.size() < 3) return 1;
  std::vector<std::uint64_t> documents;
  for (const TrendPoint& p : points) documents.push_back(p.index_documents);
  std::nth_element(documents.begin(), documents.begin() + documents.size() / 2, documents.end());
  if (documents[documents.size() / 2] >= kDenseDocumentsPerPoint) return 1;
  return decades ? 3 : 5;
}

std::vector<std::optional<double>> moving_ratio(std::span<const TrendPoint> points, std::size_t window,
                                                bool per_10k_words) {
  std::vector<std::optional<double>> out;
  const std::size_t half = window / 2;
  for (std::size_t i = 0; i < points.size(); ++i) {
    double numerator = 0, denominator = 0;
    for (std::size_t j = i >= half ? i - half : 0; j < points.size() && j <= i + half; ++j) {
      numerator += static_cast<double>(per_10k_words ? points[j].occurrences : points[j].documents);
      denominator += static_cast<double>(per_10k_words ? points[j].index_words : points[j].index_documents);
    }
    if (denominator == 0) {
      out.push_back(std::nullopt);
    } else {
      out.push_back((per_10k_words ? 10000.0 : 1.0) * numerator / denominator);
    }
  }
  return out;
}

nlohmann::json trend_to_json(const Trend& trend) {
  const auto points_to_json = [](const std::vector<TrendPoint>& points) {
    nlohmann::json list = nlohmann::json::array();
    for (const TrendPoint& p : points) {
      list.push_back({{"period", p.period},
                      {"first_year", p.first_year},
                      {"last_year", p.last_year},
                      {"index_documents", p.index_documents},
                      {"documents", p.documents},
                      {"share", optional_number(p.share())},
                      {"index_words", p.index_words},
                      {"occurrences", p.occurrences},
                      {"occurrences_per_10k_words", optional_number(p.per_10k_words())}});
    }
    return list;
  };
  return {{"field", trend.field}, {"years", points_to_json(trend.years)}, {"decades", points_to_json(trend.decades)}};
}

}  // namespace policy
