#include "policy/searcher.h"

#include <algorithm>
#include <chrono>

#include "policy/index_schema.h"

namespace policy {
namespace {

// "policy-analyzer/1 stem=english" -> "english"
std::string recorded_stem_language(const std::string& recorded) {
  const std::size_t at = recorded.find(" stem=");
  return at == std::string::npos ? std::string("english") : recorded.substr(at + 6);
}

std::vector<Xapian::termpos> positions_of(const Xapian::Database& db, Xapian::docid did,
                                          const std::string& term) {
  std::vector<Xapian::termpos> positions;
  try {
    for (auto it = db.positionlist_begin(did, term); it != db.positionlist_end(did, term); ++it) {
      positions.push_back(*it);
    }
  } catch (const Xapian::RangeError&) {
    // The term does not index this document.
  }
  return positions;
}

}  // namespace

Searcher::Searcher(const std::string& index_path, SearcherOptions options)
    : path_(index_path), options_(std::move(options)), snippets_(options_.snippet) {
  try {
    db_ = Xapian::Database(index_path);
  } catch (const Xapian::DatabaseNotFoundError&) {
    throw IndexError("no index at '" + index_path + "'; build one with: policy-index --index " +
                     index_path + " DIR");
  } catch (const Xapian::Error& e) {
    throw IndexError("cannot open index '" + index_path + "': " + e.get_description());
  }
  const std::string recorded = db_.get_metadata(metadata_key::kAnalyzer);
  if (recorded.empty()) {
    throw IndexError("'" + index_path + "' is not a policy-search index (it records no analyzer version)");
  }
  try {
    analyzer_ = std::make_unique<Analyzer>(AnalyzerOptions{recorded_stem_language(recorded)});
  } catch (const std::exception& e) {
    throw IndexError("index '" + index_path + "' records analyzer '" + recorded + "': " + e.what());
  }
  const std::string schema = db_.get_metadata(metadata_key::kSchema);
  if (recorded != analyzer_->version() || schema != schema_version_string()) {
    throw IndexError("index '" + index_path + "' was built with " + recorded + " and " + schema +
                     "; this searcher uses " + analyzer_->version() + " and " + schema_version_string() +
                     "; rebuild it: policy-index --rebuild --index " + index_path + " DIR...");
  }
}

IndexInfo Searcher::info() const {
  IndexInfo info;
  info.path = path_;
  info.documents = db_.get_doccount();
  info.analyzer = db_.get_metadata(metadata_key::kAnalyzer);
  info.schema = db_.get_metadata(metadata_key::kSchema);
  info.icu = db_.get_metadata(metadata_key::kIcu);
  info.build_id = db_.get_metadata(metadata_key::kBuildId);
  info.indexed_at = db_.get_metadata(metadata_key::kIndexedAt);
  return info;
}

std::vector<MatchSpan> Searcher::find_matches(Xapian::docid did, const std::vector<HighlightUnit>& units) {
  std::vector<MatchSpan> matches;
  for (std::uint32_t u = 0; u < units.size(); ++u) {
    const HighlightUnit& unit = units[u];
    // Positions of each slot: the union over its alternative words.
    std::vector<std::vector<Xapian::termpos>> slots;
    for (const std::vector<std::string>& alternatives : unit.slots) {
      std::vector<Xapian::termpos> merged;
      for (const std::string& term : alternatives) {
        std::vector<Xapian::termpos> p = positions_of(db_, did, term);
        merged.insert(merged.end(), p.begin(), p.end());
      }
      std::sort(merged.begin(), merged.end());
      slots.push_back(std::move(merged));
    }
    if (slots.empty()) continue;
    for (Xapian::termpos start : slots[0]) {
      bool whole = true;
      for (std::size_t k = 1; k < slots.size() && whole; ++k) {
        whole = std::binary_search(slots[k].begin(), slots[k].end(), start + k);
      }
      if (whole) {
        // Xapian positions start at 1, analyzer positions at 0.
        matches.push_back(MatchSpan{start - 1, static_cast<std::uint32_t>(start - 1 + slots.size() - 1), u});
      }
    }
  }
  return matches;
}

SearchResults Searcher::search(const SearchRequest& request) {
  const auto started = std::chrono::steady_clock::now();
  SearchResults results;
  results.query = request.query;
  const QueryNode tree = parse_query_syntax(request.query, options_.limits);
  results.parsed = describe(tree);

  // A concurrent commit can invalidate what we read; reopen and retry.
  for (int attempt = 0;; ++attempt) {
    try {
      results.hits.clear();
      const BoundQuery bound = bind_query(tree, *analyzer_, db_, options_.bind);
      Xapian::Enquire enquire(db_);
      enquire.set_query(bound.query);
      enquire.set_weighting_scheme(Xapian::BM25Weight());
      const Xapian::doccount all = db_.get_doccount();
      // Clamped to the document count: no page is larger, and 64-bit values
      // must not wrap when narrowed to Xapian's 32-bit counts.
      const Xapian::doccount limit =
          request.limit == 0 ? all : static_cast<Xapian::doccount>(std::min<std::size_t>(request.limit, all));
      const Xapian::doccount offset = static_cast<Xapian::doccount>(std::min<std::size_t>(request.offset, all));
      // check_at_least = every document: the total is counted, not estimated.
      const Xapian::MSet mset = enquire.get_mset(offset, limit, all);
      results.total = mset.get_matches_estimated();
      results.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
      results.offset = request.offset;
      results.limit = request.limit;
      for (auto it = mset.begin(); it != mset.end(); ++it) {
        const Xapian::Document doc = it.get_document();
        StoredDocument stored = StoredDocument::unserialise(doc.get_data());
        SearchHit hit;
        hit.rank = request.offset + it.get_rank() - mset.get_firstitem() + 1;
        hit.score = it.get_weight();
        hit.id = stored.id;
        hit.title = stored.title;
        hit.source = stored.source;
        hit.metadata = stored.metadata;
        if (request.snippets) {
          hit.snippets = snippets_.build(stored.text, stored.offsets, find_matches(*it, bound.highlights));
        }
        results.hits.push_back(std::move(hit));
      }
      break;
    } catch (const Xapian::DatabaseModifiedError&) {
      if (attempt >= 3) throw;
      db_.reopen();
    }
  }
  results.elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return results;
}

}  // namespace policy
