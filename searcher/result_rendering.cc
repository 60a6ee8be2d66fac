#include "searcher/result_rendering.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "core/utf8.h"

namespace policy {
namespace {

std::string format_score(double score) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", score);
  return buffer;
}

std::string metadata_summary(const nlohmann::json& metadata) {
  std::string summary;
  if (auto year = metadata.find("year"); year != metadata.end() && year->is_number_integer()) {
    summary += std::to_string(year->get<long long>());
  }
  if (auto org = metadata.find("organisation"); org != metadata.end()) {
    std::string names;
    if (org->is_string()) names = org->get<std::string>();
    if (org->is_array()) {
      for (const auto& name : *org) {
        if (!name.is_string()) continue;
        if (!names.empty()) names += "; ";
        names += name.get<std::string>();
      }
    }
    if (!names.empty()) summary += (summary.empty() ? "" : " · ") + names;
  }
  return summary;
}

// Control characters (ESC among them) from titles and metadata must not
// reach the terminal as such.
std::string printable(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  }
  return out;
}

std::string fields_summary(const nlohmann::json& fields) {
  std::string summary;
  for (const char* name : {"year", "organisation", "area"}) {
    auto it = fields.find(name);
    if (it == fields.end() || !it->is_array() || it->empty()) continue;
    // The first few values (most mentioned first), then how many more.
    constexpr std::size_t kShown = 3;
    std::string values;
    std::size_t shown = 0;
    for (const auto& v : *it) {
      if (!v.is_string() || shown == kShown) continue;
      if (!values.empty()) values += "; ";
      values += v.get<std::string>();
      ++shown;
    }
    if (it->size() > kShown) values += " +" + std::to_string(it->size() - kShown);
    if (!summary.empty()) summary += " | ";
    summary += values;
  }
  return summary;
}

void render_facets(const SearchResults& results, std::ostream& out) {
  if (results.facets.empty()) return;
  std::size_t width = 0;
  for (const FacetResult& f : results.facets) width = std::max(width, f.field.size());
  out << "\nFacets"
      << (std::all_of(results.facets.begin(), results.facets.end(), [](const FacetResult& f) { return f.exact; })
              ? " (exact counts)"
              : " (estimated: --fast)")
      << ":\n";
  for (const FacetResult& f : results.facets) {
    out << "  " << f.field << std::string(width - f.field.size() + 2, ' ');
    if (f.values.empty()) out << "(none)";
    // The values shown are the most frequent; years read best in their own order.
    std::vector<FacetValue> values = f.values;
    if (!f.histogram.empty()) {
      const auto year = [](const FacetValue& v) { return std::strtol(v.key.c_str(), nullptr, 10); };
      std::stable_sort(values.begin(), values.end(),
                       [&](const FacetValue& a, const FacetValue& b) { return year(a) < year(b); });
    }
    for (std::size_t i = 0; i < values.size(); ++i) {
      out << (i ? ", " : "") << printable(values[i].value) << " (" << values[i].count << ")";
    }
    if (f.more > 0) out << ", +" << f.more << " more";
    if (results.active_filters.contains(f.field)) out << "   [filtered; counts without this filter]";
    out << "\n";
  }
}

}  // namespace

std::string mark_highlights(const Snippet& snippet, const std::string& open, const std::string& close) {
  std::string out;
  std::size_t at = 0;
  for (const Highlight& h : snippet.highlights) {
    if (h.begin < at || h.end > snippet.text.size()) continue;
    out.append(snippet.text, at, h.begin - at);
    out += open;
    out.append(snippet.text, h.begin, h.end - h.begin);
    out += close;
    at = h.end;
  }
  out.append(snippet.text, at, std::string::npos);
  return out;
}

void render_terminal(const SearchResults& results, std::ostream& out, const TerminalStyle& style) {
  const std::string open = style.color ? "\x1b[1m" : "**";
  const std::string close = style.color ? "\x1b[0m" : "**";
  out << results.total << (results.total == 1 ? " match" : " matches");
  // Only where near-duplicates were folded together: other outputs stay as they were.
  if (results.groups != results.total) {
    out << " in " << results.groups << " group" << (results.groups == 1 ? "" : "s") << " of near-duplicates"
        << (results.collapsed ? " (--no-collapse shows each)" : "");
  }
  if (!results.hits.empty()) {
    out << ", showing " << results.hits.front().rank << "-" << results.hits.back().rank;
  }
  out << "\n";
  if (results.did_you_mean) out << "Did you mean: " << printable(results.did_you_mean->query) << "\n";
  for (const SearchHit& hit : results.hits) {
    out << "\n"
        << hit.rank << ". " << (style.color ? open : "") << printable(hit.title) << (style.color ? close : "") << "\n";
    out << "   " << printable(hit.id);
    std::string summary = fields_summary(hit.fields);
    if (summary.empty()) summary = metadata_summary(hit.metadata);
    if (!summary.empty()) out << "  [" << printable(summary) << "]";
    out << "  score " << format_score(hit.score) << "\n";
    for (Snippet snippet : hit.snippets) {
      snippet.text = printable(snippet.text);  // same length: highlights stay valid
      out << "   " << (snippet.page ? "p. " + std::to_string(snippet.page) + ": " : std::string())
          << mark_highlights(snippet, open, close) << "\n";
    }
    if (hit.group_size > 1) {
      const std::size_t similar = hit.group_size - 1;
      out << "   " << similar << " similar document" << (similar == 1 ? "" : "s");
      if (hit.collapsed > 0) out << " (" << hit.collapsed << " matching)";
      out << ": --similar-to " << printable(hit.id) << "\n";
    }
  }
  render_facets(results, out);
}

nlohmann::json results_to_json(SearchResults results, const IndexInfo& index) {
  // Members are moved in: nlohmann copies whatever an initializer list
  // names as an lvalue, and a page of results is mostly strings.
  nlohmann::json hits = nlohmann::json::array();
  for (SearchHit& hit : results.hits) {
    nlohmann::json snippets = nlohmann::json::array();
    for (Snippet& s : hit.snippets) {
      nlohmann::json highlights = nlohmann::json::array();
      for (const Highlight& h : s.highlights) highlights.push_back({h.begin, h.end});
      nlohmann::json snippet = nlohmann::json::object();
      snippet["text"] = std::move(s.text);
      snippet["highlights"] = std::move(highlights);
      snippet["source_begin"] = s.source_begin;
      snippet["source_end"] = s.source_end;
      if (s.page) snippet["page"] = s.page;
      snippets.push_back(std::move(snippet));
    }
    nlohmann::json json_hit = nlohmann::json::object();
    json_hit["rank"] = hit.rank;
    json_hit["id"] = std::move(hit.id);
    json_hit["title"] = std::move(hit.title);
    json_hit["score"] = hit.score;
    json_hit["source"] = std::move(hit.source);
    json_hit["metadata"] = std::move(hit.metadata);
    json_hit["fields"] = hit.fields.is_object() ? std::move(hit.fields) : nlohmann::json::object();
    json_hit["snippets"] = std::move(snippets);
    if (hit.pages) json_hit["pages"] = hit.pages;
    if (!hit.group.empty()) {
      json_hit["duplicates"] = {
          {"group", std::move(hit.group)}, {"size", hit.group_size}, {"collapsed", hit.collapsed}};
    }
    hits.push_back(std::move(json_hit));
  }
  nlohmann::json facets = nlohmann::json::object();
  for (FacetResult& f : results.facets) {
    // The histograms say how many documents of the index each year has, for
    // a share; the value lists keep to the matches.
    const auto values_of = [](std::vector<FacetValue>& values, bool with_index_documents) {
      nlohmann::json list = nlohmann::json::array();
      for (FacetValue& v : values) {
        nlohmann::json value = nlohmann::json::object();
        value["value"] = std::move(v.value);
        value["key"] = std::move(v.key);
        value["count"] = v.count;
        value["groups"] = v.groups;
        if (with_index_documents && v.index_documents) value["index_documents"] = v.index_documents;
        list.push_back(std::move(value));
      }
      return list;
    };
    nlohmann::json facet = nlohmann::json::object();
    facet["exact"] = f.exact;
    facet["values"] = values_of(f.values, false);
    facet["more"] = f.more;
    if (!f.histogram.empty()) facet["histogram"] = values_of(f.histogram, true);
    if (!f.decades.empty()) facet["decades"] = values_of(f.decades, true);
    facet["filtered"] = results.active_filters.contains(f.field);
    facets[f.field] = std::move(facet);
  }
  nlohmann::json out = nlohmann::json::object();
  out["query"] = std::move(results.query);
  out["parsed"] = std::move(results.parsed);
  out["total"] = results.total;
  out["total_exact"] = results.total_exact;
  out["groups"] = results.groups;
  out["collapsed"] = results.collapsed;
  out["offset"] = results.offset;
  out["limit"] = results.limit;
  out["sort"] = std::string(result_order_name(results.order));
  out["results"] = std::move(hits);
  out["facets"] = std::move(facets);
  out["filters"] = results.active_filters;
  out["warnings"] = warnings_to_json(results.warnings);
  out["did_you_mean"] = did_you_mean_to_json(results.did_you_mean);
  out["elapsed_ms"] = results.elapsed_ms;
  out["index"] = {{"path", index.path},
                  {"documents", index.documents},
                  {"build_id", index.build_id},
                  {"analyzer", index.analyzer},
                  {"schema", index.schema}};
  return out;
}

nlohmann::json warnings_to_json(const std::vector<QueryWarning>& warnings) {
  nlohmann::json list = nlohmann::json::array();
  for (const QueryWarning& w : warnings) {
    list.push_back({{"code", w.code},
                    {"message", w.message},
                    {"field", w.field},
                    {"value", w.value},
                    {"suggestions", w.suggestions}});
  }
  return list;
}

nlohmann::json did_you_mean_to_json(const std::optional<SpellingSuggestion>& suggestion) {
  if (!suggestion) return nullptr;
  nlohmann::json corrections = nlohmann::json::array();
  for (const SpellingCorrection& c : suggestion->corrections) {
    corrections.push_back({{"typed", c.typed}, {"suggested", c.suggested}});
  }
  return {{"query", suggestion->query}, {"corrections", corrections}};
}

std::string format_warning(const QueryWarning& warning) { return "warning: " + warning.message + "\n"; }

std::string format_query_error(const QuerySyntaxError& error, const std::string& query) {
  // A filter's error is shown with the filter's text, where its position is.
  const auto* in_filter = dynamic_cast<const FilterError*>(&error);
  const std::string& text = in_filter ? in_filter->filter() : query;
  std::string out = std::string(in_filter ? "filter" : "query") + " error at position " +
                    std::to_string(error.position()) + ": " + error.message() + "\n";
  // The caret counts characters, not bytes, so it lines up under UTF-8 text.
  const std::size_t column = code_point_count(std::string_view(text).substr(0, error.position()));
  out += "  " + text + "\n  " + std::string(column, ' ') + "^\n";
  if (!error.hint().empty()) out += "hint: " + error.hint() + "\n";
  return out;
}

nlohmann::json query_error_to_json(const QuerySyntaxError& error, const std::string& query) {
  nlohmann::json json = {{"error",
                          {{"kind", "query"},
                           {"message", error.message()},
                           {"position", error.position()},
                           {"hint", error.hint()},
                           {"query", query}}}};
  if (const auto* in_filter = dynamic_cast<const FilterError*>(&error)) json["error"]["filter"] = in_filter->filter();
  return json;
}

}  // namespace policy
