// Trends: a query's matches per year set against what the index holds that
// year, so that a year with more documents, or longer ones, is not read as
// a year in which the subject was discussed more.
//
// CorpusBaseline is a property of one index revision: per year of the
// document year field, how many documents and how many body words. A
// document's body words are its Xapian document length less the wdf of its
// title terms (S, SC, ZS) and acronym terms (C): every body token adds
// exactly one to the length through its own term, and filter terms add
// nothing (core/index_layout.h). So the count is exact and counts what
// occurrences count, the body and never the title. Reading it costs one
// pass over the document lengths and the postings of title and acronym
// terms, with no document record or text read.
//
// A Trend joins a query's per-year counts (MatchCounts::counts of the year
// field) with the baseline: per year that has documents in the index, and
// per decade when those years span more than kDecadeSpan.
//
// Thread-safe: a CorpusBaseline is immutable once built; the functions are
// pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "searcher/facets.h"

namespace policy {

struct FieldCounts;

// Body words of every document of `db` (slot::kBodyWords, read as `reading`
// says), indexed by docid (0 for a docid without a document). May throw
// Xapian::DatabaseModifiedError; CorruptDataError for a malformed count.
std::vector<std::uint32_t> body_word_counts(const Xapian::Database& db, SlotReading reading);

struct YearTotals {
  std::uint64_t documents = 0;
  std::uint64_t words = 0;  // body words of those documents
};

class CorpusBaseline {
 public:
  // Counts `db`'s documents and body words per value of column
  // `year_column` of `columns`, which must be of `db`'s revision; a value
  // that is not a year number is left out, as are undated documents. A
  // document with several years counts in each.
  // Body words are read as `reading` says (slot_values.h).
  CorpusBaseline(const Xapian::Database& db, const FacetColumns& columns, std::size_t year_column, SlotReading reading);

  std::uint64_t revision() const { return revision_; }
  const std::map<long, YearTotals>& years() const { return years_; }

 private:
  std::uint64_t revision_ = 0;
  std::map<long, YearTotals> years_;
};

// One year, or one decade, of a Trend.
struct TrendPoint {
  std::string period;  // "2016", or "2010s"
  long first_year = 0;
  long last_year = 0;                 // == first_year for a year
  std::uint64_t index_documents = 0;  // documents of the index dated in the period
  std::uint64_t index_words = 0;      // their body words
  std::uint64_t documents = 0;        // matching documents among them
  std::uint64_t occurrences = 0;      // occurrences in their bodies

  // documents / index_documents; nullopt when the index has none.
  std::optional<double> share() const;
  // 10,000 * occurrences / index_words; nullopt when there are no words.
  std::optional<double> per_10k_words() const;
};

struct Trend {
  std::string field;                // the year field; "" when the index has none (then no points)
  std::vector<TrendPoint> years;    // every year with documents in the index, ascending
  std::vector<TrendPoint> decades;  // when `years` span more than kDecadeSpan, ascending
  bool empty() const { return years.empty(); }
};

// The query's `year_counts` (documents and occurrences per year of the
// year field) against `baseline` (CorpusBaseline::years()).
Trend make_trend(const std::map<long, YearTotals>& baseline, const FieldCounts& year_counts);

// What the charts of a trend draw: the decades when there are any, else
// the years.
std::span<const TrendPoint> chart_points(const Trend& trend);

// The window, in points, of the moving average drawn over a normalised
// line: 5 years, or 3 decades, centred; 1 (no smoothing) when the points
// are not sparse, i.e. when the median point has at least
// kDenseDocumentsPerPoint documents in the index, where a share is already
// more than a handful of 0s and 1s.
inline constexpr std::uint64_t kDenseDocumentsPerPoint = 5;
std::size_t smoothing_window(std::span<const TrendPoint> points, bool decades);

// A centred moving ratio over `points`: for each point, the sum of the
// numerators over the sum of the denominators of the points within
// window / 2 on each side (fewer at the ends), so that a point with many
// documents weighs more than one with few; nullopt where the denominators
// sum to 0. `per_10k_words`: occurrences per 10,000 words, else the share of
// documents.
std::vector<std::optional<double>> moving_ratio(std::span<const TrendPoint> points, std::size_t window,
                                                bool per_10k_words);

// {"field", "years": [point...], "decades": [point...]} with each point's
// period, first_year, last_year, index_documents, documents, share,
// index_words, occurrences, occurrences_per_10k_words (schemas/: "trend").
nlohmann::json trend_to_json(const Trend& trend);

}  // namespace policy
