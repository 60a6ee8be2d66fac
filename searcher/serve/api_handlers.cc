#include "searcher/serve/api_handlers.h"

#include <string>
#include <utility>

#include "searcher/batch.h"
#include "searcher/kwic.h"
#include "searcher/result_rendering.h"
#include "searcher/serve/api_json.h"

namespace policy {

nlohmann::json answer_health(Searcher& searcher) { return health_to_json(searcher.info(), searcher.shard_health()); }

nlohmann::json answer_index(Searcher& searcher) {
  return index_to_json(searcher.info(), searcher.schema(), searcher.examples());
}

nlohmann::json answer_search(Searcher& searcher, const SearchRequest& request) {
  return results_to_json(searcher.search(request), searcher.info());
}

std::optional<nlohmann::json> answer_document(Searcher& searcher, const DocumentQuery& query) {
  const std::optional<DocumentView> view = searcher.document(query.id, query.query, query.synonyms, query.mode);
  if (!view) return std::nullopt;
  return document_to_json(*view);
}

nlohmann::json answer_kwic(Searcher& searcher, const KwicQuery& query) {
  MatchCounts counts = searcher.count(query.count);
  sort_kwic(counts.kwic, query.order);
  return kwic_page_to_json(query.count.query, counts, query.offset, query.limit);
}

nlohmann::json answer_batch(Searcher& searcher, const BatchRequest& batch, std::size_t max_query_bytes) {
  nlohmann::json results = nlohmann::json::array();
  const RequestBudget& budget = batch.budget;
  const std::string of_all = " of " + std::to_string(batch.queries.size()) + " batch queries";
  for (std::size_t i = 0; i < batch.queries.size(); ++i) {
    budget.throw_if_stopped();
    if (budget.expired()) throw TimeLimitError("the time limit was reached after " + std::to_string(i) + of_all);
    // A query over the size limit refuses the whole request (413), though
    // the queries before it have run.
    const BatchQuery query = batch_query_from_json(batch.queries[i], i, max_query_bytes);
    try {
      results.push_back(batch_result_to_json(run_batch_query(searcher, query, batch.options, budget)));
    } catch (const TimeLimitError& e) {
      throw TimeLimitError(std::string(e.what()) + ", in query " + std::to_string(i + 1) + of_all);
    }
  }
  return batch_to_json(std::move(results), searcher.info());
}

}  // namespace policy
