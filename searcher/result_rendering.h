// Rendering of search results and errors: terminal text and JSON.
//
// The JSON shape is documented by schemas/search-results.schema.json and
// checked against it by the end-to-end tests.
//
// Thread-safe: pure functions.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "searcher/query_syntax.h"
#include "searcher/query_warning.h"
#include "searcher/searcher.h"
#include "searcher/spelling.h"

namespace policy {

struct TerminalStyle {
  bool color = false;  // bold highlights (a TTY without NO_COLOR); else ** markers
};

void render_terminal(const SearchResults& results, std::ostream& out, const TerminalStyle& style);

// The "warnings" member is always there, an empty array for none. Takes
// `results` by value to move its strings into the JSON: pass a temporary,
// or std::move what is not needed after.
nlohmann::json results_to_json(SearchResults results, const IndexInfo& index);

// [{"code", "message", "field", "value", "suggestions"}, ...]: the
// "warnings" array of every JSON output (search, batch, API).
nlohmann::json warnings_to_json(const std::vector<QueryWarning>& warnings);

// {"query", "corrections": [{"typed", "suggested"}, ...]}, or null for no
// suggestion: the "did_you_mean" member of every JSON output that has
// "warnings" (search, batch, API).
nlohmann::json did_you_mean_to_json(const std::optional<SpellingSuggestion>& suggestion);

// "warning: MESSAGE\n" per warning, for stderr after "PROGRAM: ".
std::string format_warning(const QueryWarning& warning);

// A query error for a person: the message, the query with a caret under the
// position, and the hint. A FilterError shows its filter's text instead.
std::string format_query_error(const QuerySyntaxError& error, const std::string& query);

// {"error": {"kind": "query", "message", "position", "hint", "query"}}, and
// "filter" (the text the position is in) for a FilterError.
nlohmann::json query_error_to_json(const QuerySyntaxError& error, const std::string& query);

// `text` with its highlights wrapped in `open`/`close`.
std::string mark_highlights(const Snippet& snippet, const std::string& open, const std::string& close);

}  // namespace policy
