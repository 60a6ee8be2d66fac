#include "searcher/serve/api_json.h"

#include <utility>

#include "searcher/result_rendering.h"

namespace policy {
namespace {

const char* field_kind_name(FieldKind kind) {
  return kind == FieldKind::kFacet  ? "facet"
         : kind == FieldKind::kYear ? "year"
         : kind == FieldKind::kText ? "text"
                                    : "keyword";
}

// Field name -> [{"value", "key", "documents", "occurrences"}], schema order.
nlohmann::json field_counts_to_json(const std::vector<FieldCounts>& counts) {
  nlohmann::json out = nlohmann::json::object();
  for (const FieldCounts& field : counts) {
    nlohmann::json values = nlohmann::json::array();
    for (const ValueCount& v : field.values) {
      values.push_back(
          {{"value", v.value}, {"key", v.key}, {"documents", v.documents}, {"occurrences", v.occurrences}});
    }
    out[field.field] = values;
  }
  return out;
}

}  // namespace

nlohmann::json api_error_to_json(const std::string& kind, const std::string& message, const nlohmann::json& extra) {
  nlohmann::json error = {{"kind", kind}, {"message", message}};
  for (const auto& [key, value] : extra.items()) error[key] = value;
  return nlohmann::json{{"error", error}};
}

nlohmann::json health_to_json(const std::optional<IndexInfo>& index, const std::vector<ShardHealth>& databases) {
  nlohmann::json shards = nlohmann::json::array();
  bool all_answer = true;
  std::uint64_t documents = 0;
  for (const ShardHealth& shard : databases) {
    shards.push_back({{"name", shard.name},
                      {"remote", shard.remote},
                      {"answers", shard.answers},
                      {"documents", shard.documents},
                      {"milliseconds", shard.milliseconds}});
    if (!shard.answers) shards.back()["error"] = shard.error;
    all_answer = all_answer && shard.answers;
    documents += shard.documents;
  }
  return {{"status", all_answer ? "ok" : "unavailable"},
          {"documents", index ? index->documents : documents},
          {"shards", shards}};
}

nlohmann::json index_to_json(const IndexInfo& index, const Schema& schema, const std::vector<ExampleQuery>& examples) {
  nlohmann::json fields = nlohmann::json::array();
  for (const FieldSpec& f : schema.fields()) {
    fields.push_back({{"name", f.name},
                      {"aliases", f.aliases},
                      {"kind", field_kind_name(f.kind)},
                      {"multi_valued", f.multi_valued},
                      {"counted", f.counted()},
                      {"description", f.description}});
  }
  nlohmann::json example_list = nlohmann::json::array();
  for (const ExampleQuery& e : examples) example_list.push_back({{"query", e.query}, {"why", e.why}});
  return {{"path", index.path},
          {"documents", index.documents},
          {"build_id", index.build_id},
          {"analyzer", index.analyzer},
          {"schema", index.schema},
          {"icu", index.icu},
          {"indexed_at", index.indexed_at},
          {"fields", fields},
          {"examples", example_list}};
}

nlohmann::json document_to_json(const DocumentView& view) {
  nlohmann::json matches = nlohmann::json::array();
  for (const Highlight& h : view.matches) matches.push_back({h.begin, h.end});
  const StoredDocument& d = view.document;
  nlohmann::json json = {{"id", d.id},         {"title", d.title}, {"source", d.source}, {"metadata", d.metadata},
                         {"fields", d.fields}, {"text", d.text},   {"matches", matches}};
  if (!d.page_starts.empty()) json["page_starts"] = d.page_starts;
  return json;
}

nlohmann::json kwic_page_to_json(const std::string& query, const MatchCounts& counts, std::size_t offset,
                                 std::size_t limit) {
  nlohmann::json lines = nlohmann::json::array();
  for (std::size_t i = offset; i < counts.kwic.size() && i < offset + limit; ++i) {
    const KwicLine& l = counts.kwic[i];
    lines.push_back({{"doc_id", l.doc_id},
                     {"title", l.title},
                     {"year", l.year},
                     {"organisations", l.organisations},
                     {"left", l.left},
                     {"match", l.match},
                     {"right", l.right}});
    if (l.page) lines.back()["page"] = l.page;
  }
  return {{"query", query},
          {"documents", counts.documents},
          {"occurrences", counts.kwic.size()},
          {"lines", lines},
          {"warnings", warnings_to_json(counts.warnings)},
          {"did_you_mean", did_you_mean_to_json(counts.did_you_mean)},
          {"offset", offset},
          {"more", counts.kwic.size() > offset + limit ? counts.kwic.size() - offset - limit : 0}};
}

nlohmann::json batch_result_to_json(const BatchResult& r) {
  nlohmann::json top = nlohmann::json::array();
  for (const SearchHit& hit : r.top) {
    top.push_back({{"rank", hit.rank}, {"id", hit.id}, {"title", hit.title}, {"score", hit.score}});
    if (const std::uint32_t page = hit.first_page()) top.back()["page"] = page;
  }
  return {{"id", r.query.id},
          {"query", r.query.query},
          {"filters", r.query.filters},
          {"error", r.error},
          {"documents", r.documents},
          {"occurrences", r.occurrences},
          {"counts", field_counts_to_json(r.counts)},
          {"trend", trend_to_json(r.trend)},
          {"top", top},
          {"warnings", warnings_to_json(r.warnings)},
          {"did_you_mean", did_you_mean_to_json(r.did_you_mean)}};
}

nlohmann::json batch_to_json(nlohmann::json results, const IndexInfo& index) {
  return {{"results", std::move(results)}, {"index", {{"documents", index.documents}, {"build_id", index.build_id}}}};
}

}  // namespace policy
