// jsonl: results.jsonl, one object per query, with run.json.
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/json_text.h"

#include "searcher/reports/formats.h"
#include "searcher/reports/report_file.h"
#include "searcher/reports/report_values.h"
#include "searcher/result_rendering.h"
#include "searcher/trends.h"

namespace policy {
namespace fs = std::filesystem;
namespace {

// The filters as the --json "filters" object: name as typed -> values. The
// names are not resolved to fields here (aliases stay as typed); the exact
// strings are in "query_filters".
nlohmann::json filters_object(const std::vector<std::string>& filters) {
  nlohmann::json object = nlohmann::json::object();
  for (const std::string& filter : filters) {
    const std::size_t colon = filter.find(':');
    const std::string name = colon == std::string::npos ? "" : filter.substr(0, colon);
    const std::string value = colon == std::string::npos ? filter : filter.substr(colon + 1);
    object[name].push_back(value);
  }
  return object;
}

class JsonlWriter : public OneFileReport {
 public:
  explicit JsonlWriter(const fs::path& out_dir) : OneFileReport(out_dir, "results.jsonl") {}

  // A line holds what policy-search --json prints for the query (rendered by
  // the same results_to_json; facets hold every counted value) plus id,
  // error, occurrences, counts and trend (trends.h).
  void add(const BatchResult& r) override {
    SearchResults results;
    results.query = r.query.query;
    results.total = r.error.empty() ? r.documents : 0;
    results.total_exact = true;
    results.limit = r.top.size();
    if (r.error.empty()) results.hits = r.top;
    results.warnings = r.warnings;
    nlohmann::json counts = nlohmann::json::object();
    for (const FieldCounts& f : r.counts) {
      FacetResult facet;
      facet.field = f.field;
      nlohmann::json values = nlohmann::json::array();
      for (const ValueCount& v : f.values) {
        facet.values.push_back(FacetValue{v.value, v.key, v.documents, 0, v.documents});
        values.push_back(
            {{"value", v.value}, {"key", v.key}, {"documents", v.documents}, {"occurrences", v.occurrences}});
      }
      if (f.field == "year") {
        for (const YearCount& y : year_series(f)) {
          if (y.counted)
            facet.histogram.push_back(
                FacetValue{y.counted->value, y.counted->key, y.counted->documents, 0, y.counted->documents});
        }
      }
      results.facets.push_back(std::move(facet));
      counts[f.field] = std::move(values);
    }
    // elapsed_ms stays 0: the output must not depend on timing or jobs.
    nlohmann::json line = results_to_json(std::move(results), run().index);
    line["filters"] = filters_object(r.query.filters);
    line["query_filters"] = r.query.filters;
    line["id"] = r.query.id;
    line["error"] = r.error;
    line["occurrences"] = r.error.empty() ? r.occurrences : 0;
    line["counts"] = std::move(counts);
    line["trend"] = trend_to_json(r.trend);
    file().out() << to_json_text(line) << "\n";
    file().check();
  }
};

}  // namespace

std::unique_ptr<ReportWriter> make_jsonl_report(const fs::path& out_dir) {
  return std::make_unique<JsonlWriter>(out_dir);
}

}  // namespace policy
