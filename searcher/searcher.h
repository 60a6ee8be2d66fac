// The searcher: query text -> syntax tree -> bound Xapian query -> ranked
// matches (ranking.h) -> snippets. Reads an index written by IndexWriter and
// refuses one built with a different analyzer or schema.
//
// Not thread-safe: one Searcher per thread (each holds its own
// Xapian::Database, Analyzer and SnippetBuilder).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "core/analyzer.h"
#include "core/field_extractor.h"
#include "core/field_schema.h"
#include "core/index_layout.h"
#include "core/index_reader.h"

#include "searcher/duplicate_groups.h"
#include "searcher/example_queries.h"
#include "searcher/explain.h"
#include "searcher/facets.h"
#include "searcher/kwic.h"
#include "searcher/match_set.h"
#include "searcher/query_binder.h"
#include "searcher/query_syntax.h"
#include "searcher/query_warning.h"
#include "searcher/request_budget.h"
#include "searcher/result_order.h"
#include "searcher/snippet_builder.h"
#include "searcher/spelling.h"
#include "searcher/synonyms.h"
#include "searcher/trends.h"

namespace policy {

// How matches are ranked besides the query's words (ranking.h). In query
// syntax no choice changes what matches, what is counted or what is
// highlighted; an any-words query (QueryMode::kAnyWords) searches its
// stopwords only when they weigh.
struct RankingChoices {
  // Unquoted English stopwords weigh nothing (BindOptions::
  // weightless_stopwords), and an any-words query leaves them out;
  // --weigh-stopwords, API weigh_stopwords=1: they weigh and are searched.
  bool weightless_stopwords = true;
};

// How a request's query text is read.
enum class QueryMode {
  kSyntax,    // query syntax (query_syntax.h): juxtaposed words all match
  kAnyWords,  // plain text, any of its words matching (any_words.h)
};

struct SearchRequest {
  std::string query;  // may be empty when filters are given: every document
  QueryMode mode = QueryMode::kSyntax;
  std::size_t offset = 0;
  std::size_t limit = 10;  // 0: every match
  // false: no page at all, only the total and facets (the CLI's and the
  // API's "limit 0", as Elasticsearch's size=0).
  bool hits = true;
  ResultOrder order = ResultOrder::kRelevance;
  bool snippets = true;
  // Extra filters in query syntax ("org:MEP", "year:2010..2015"); they join
  // the query's own top-level filters.
  std::vector<std::string> filters;
  bool facets = false;  // count the schema's counted fields
  std::size_t facet_limit = 10;
  // false (--fast): stop counting once the page is filled; the total and the
  // facet counts are then estimates, flagged exact = false.
  bool exact = true;
  bool explain = false;  // fill SearchResults::explanation (--explain)
  // Widen words and phrases to their equivalents (synonyms.h; --no-synonyms,
  // API synonyms=0 turn it off); each widening adds a "synonyms" warning.
  bool synonyms = true;
  RankingChoices ranking;
  // Near-duplicates (indexer/near_duplicate_grouping.h): true shows the
  // best-ranked match of each group only, with SearchHit::collapsed the
  // group's other matches; offset and limit count shown results.
  bool collapse = true;
  // Not empty: only the document with this id and its near-duplicates
  // match (together with the query, if any), not collapsed. An id that is
  // in no index is a RequestError.
  std::string similar_to;
  // The request's deadline (the earlier of it and SearcherOptions::
  // time_limit_seconds counts) and its stop (request_budget.h).
  RequestBudget budget;
};

struct SearchHit {
  std::size_t rank = 0;  // 1-based, over the whole result list
  double score = 0;
  std::string id;
  std::string title;
  std::string source;
  nlohmann::json metadata;
  nlohmann::json fields;    // field name -> display values
  std::uint32_t pages = 0;  // pages of a document read page by page, else 0
  std::vector<Snippet> snippets;
  // Its near-duplicate group: the group id (empty: in none) and how many
  // documents the group holds in the index, this one included (0: none).
  std::string group;
  std::size_t group_size = 0;
  // When collapsing: the other matches of its group that this hit stands
  // for (exact with the exact match set, else Xapian's lower bound).
  std::size_t collapsed = 0;

  // The page of the first snippet that has one, else 0.
  std::uint32_t first_page() const {
    for (const Snippet& s : snippets) {
      if (s.page) return s.page;
    }
    return 0;
  }
};

struct SearchResults {
  std::string query;
  std::string parsed;     // describe() of the syntax tree
  std::size_t total = 0;  // number of matching documents
  // Matching near-duplicate groups, a document in no group counting as
  // one: the number of results when collapsing. Exact when total_exact,
  // except without collapse when the exact match set was not computed
  // (--fast, a wildcard): then it is the total.
  std::size_t groups = 0;
  bool collapsed = true;    // results were collapsed by group
  bool total_exact = true;  // false only with exact = false or when the time limit stopped the count
  std::size_t offset = 0;
  std::size_t limit = 0;  // as requested; 0 with hits = false
  ResultOrder order = ResultOrder::kRelevance;
  std::vector<SearchHit> hits;
  // Counted fields in schema order. A field with an active filter is counted
  // without its own filter (multi-select), so each value shows how many
  // documents it would add.
  std::vector<FacetResult> facets;
  std::map<std::string, std::vector<std::string>> active_filters;  // field -> values as typed
  // Filter values (in the query or the request's filters) that name
  // nothing in the index, in the order they were given.
  std::vector<QueryWarning> warnings;
  double elapsed_ms = 0;
  std::optional<QueryExplanation> explanation;  // with SearchRequest::explain
  // The query with its misspelled words corrected (spelling.h), when some
  // free-text word is in no document and the corrected query, with the
  // same filters, finds more documents than this one. Never for an
  // any-words query.
  std::optional<SpellingSuggestion> did_you_mean;
};

// Documents and occurrences with one value of a field.
struct ValueCount {
  std::string key;    // filter key (organisation id, area id, year, folded text)
  std::string value;  // display text
  std::uint64_t documents = 0;
  std::uint64_t occurrences = 0;
};

struct FieldCounts {
  std::string field;
  std::vector<ValueCount> values;  // by documents, then occurrences, then value; all values
};

struct CountRequest {
  std::string query;
  QueryMode mode = QueryMode::kSyntax;
  std::vector<std::string> filters;
  std::size_t top_k = 10;       // best documents returned with snippets
  bool kwic = false;            // also every occurrence in context
  std::size_t kwic_width = 60;  // characters of context on each side
  bool synonyms = true;         // as SearchRequest::synonyms
  RankingChoices ranking;       // for the best documents
  RequestBudget budget;         // as SearchRequest::budget
};

// Everything a batch report needs about one query, counted over every
// matching document.
struct MatchCounts {
  std::string parsed;
  std::uint64_t documents = 0;
  // Occurrences of the query's words (any inflection) and phrases in the
  // documents' texts, counted from body positions (or from body term
  // frequencies where they give the same number); title matches are not
  // counted.
  // A span of text counts once whatever matched it (distinct_occurrences).
  std::uint64_t occurrences = 0;
  std::vector<FieldCounts> counts;  // every counted field, schema order
  // Per year of the document year field, against the index's documents and
  // words that year (trends.h); empty when the schema has no such field.
  Trend trend;
  std::vector<SearchHit> top;
  std::vector<KwicLine> kwic;                      // by document rank, then position; one per occurrence
  std::vector<QueryWarning> warnings;              // as SearchResults::warnings
  std::optional<SpellingSuggestion> did_you_mean;  // as SearchResults::did_you_mean
};

// One document for display: its record and where the query matches it.
struct DocumentView {
  StoredDocument document;
  std::vector<Highlight> matches;  // byte ranges in document.text, in text order, merged
};

// A malformed filter given apart from the query (SearchRequest::filters,
// CountRequest::filters): the position is in filter(), the text to show
// the caret under.
class FilterError : public QuerySyntaxError {
 public:
  FilterError(const QuerySyntaxError& error, std::string filter)
      : QuerySyntaxError(error.message(), error.position(), error.hint()), filter_(std::move(filter)) {}
  const std::string& filter() const { return filter_; }

 private:
  std::string filter_;
};

struct SearcherOptions {
  QueryLimits limits;
  BindOptions bind;
  SnippetOptions snippet;
  // Seconds that one search or count may take (0: no limit), from the
  // call; a request's own budget may end it sooner. A search past it gives
  // what it found, flagged total_exact / exact = false with a time_limit
  // warning; a count throws TimeLimitError (request_budget.h).
  double time_limit_seconds = 0;
  // The first kRescoreWindow results of a query with a phrase or NEAR are
  // ranked again with those weighed by their own matches (span_weight.h,
  // ranking.h); false: by their words', as Xapian weighs them. Not over
  // remote shards, which cannot run the weighing source.
  bool rescore_phrases = true;
  // Threads that may share the exact count of a phrase or NEAR over the
  // whole index, each with its own database handle (0: one per core); with
  // more than one, the page is also ranked on a second thread while this
  // one counts the exact set and the facets (for a phrase or NEAR, once
  // the set is known: the facets).
  unsigned counting_threads = 0;
  // A stub's remote shards: how long connecting and each operation may
  // take before the shard counts as not answering.
  double remote_timeout_seconds = 10;
  // Searchers over the same index that share this read each revision's
  // facet table once and hold one copy (a server's pool); null: this
  // searcher keeps its own.
  std::shared_ptr<SharedFacetTable> shared_facets;
};

class Searcher {
 public:
  // Throws IndexError when the index is missing, unreadable, or was built
  // with another analyzer or schema version, and its subclass
  // ShardUnavailableError when a shard of a stub does not answer. Every
  // call below may throw ShardUnavailableError too (core/index_reader.h).
  explicit Searcher(const std::string& index_path, SearcherOptions options = {});

  // Throws QueryError (a QuerySyntaxError) for a malformed query, and its
  // subclass FilterError for a malformed filter of request.filters;
  // RequestStoppedError when request.budget is stopped.
  SearchResults search(const SearchRequest& request);

  // Visits every matching document once: exact documents and occurrences,
  // per counted field value. Throws QueryError or FilterError;
  // RequestStoppedError or TimeLimitError when the budget is spent first.
  MatchCounts count(const CountRequest& request);

  // The document with `id`, with the matches of `query` ("" for none);
  // nullopt when there is no such document. Throws QueryError.
  std::optional<DocumentView> document(const std::string& id, const std::string& query, bool synonyms = true,
                                       QueryMode mode = QueryMode::kSyntax);

  // Sees the index's latest commit (new documents, a new schema, or a new
  // database that policy-index swapped into place); cheap when nothing
  // changed. Returns true if something did. Throws IndexError if the
  // index was rebuilt with another analyzer or schema version.
  bool refresh();

  // Retries, like every read here, when a concurrent commit discards the
  // revision being read.
  IndexInfo info() { return reader_.info(); }
  // Whether each database of the index answers (IndexReader::shard_health).
  std::vector<ShardHealth> shard_health() const { return reader_.shard_health(); }
  // Queries to offer a new user (example_queries.h), made once per revision.
  const std::vector<ExampleQuery>& examples();
  const Analyzer& analyzer() const { return reader_.analyzer(); }
  const Schema& schema() const { return reader_.schema(); }
  const Xapian::Database& database() const { return reader_.database(); }

 private:
  // A request bound to this index: the free-text query and the active
  // filters by field.
  struct PreparedQuery {
    // Every document; a new Query, because copying the static
    // Xapian::Query::MatchAll from several threads is not safe.
    BoundQuery bound{Xapian::Query(std::string()), {}, {}, {}};
    std::map<std::string, Xapian::Query> field_filters;
    std::vector<QueryWarning> warnings;  // filter values that name nothing
    // SearchRequest::similar_to's documents (an OR of id terms), if given.
    std::optional<Xapian::Query> restriction;
    // The text query with its phrases and NEARs weighed by their own
    // matches (span_weight.h), which rescores the first results; nullopt
    // when the query has none, or over remote shards.
    std::optional<Xapian::Query> rescoring;
    std::vector<ScoredPart> rescoring_parts;  // its parts, for --explain
    // The text query restricted by every active filter except `skip`'s.
    Xapian::Query filtered(const std::string& skip = "") const { return with_filters(bound.query, skip); }
    Xapian::Query rescoring_filtered() const { return with_filters(*rescoring, ""); }
    Xapian::Query with_filters(const Xapian::Query& text, const std::string& skip) const;
  };

  // The results of `first_pass` (ranked from the first) with its first
  // kRescoreWindow ranked again by the rescoring query, and the rest in
  // their order: the page offset..offset + limit of them. The window's
  // set and posting source live as long as the page.
  struct RescoredPage {
    std::unique_ptr<DocSet> window;
    std::unique_ptr<DocSetPostingSource> in_window;
    Xapian::MSet rescored;
    Xapian::doccount weighed = 0;  // the first results weighed again (0 when the budget stopped it)
    bool cut = false;              // the budget ended the weighing: the first pass's order stands
    std::vector<Xapian::MSetIterator> items;
  };
  RescoredPage rescore(const PreparedQuery& prepared, const Xapian::MSet& first_pass, Xapian::doccount offset,
                       Xapian::doccount limit, bool collapse, const RequestBudget& budget);

  // The exact match sets of a prepared query (match_set.h): of the whole
  // query, and for each filtered field, of the query without that field's
  // filter (multi-select). nullopt where the matcher must count instead: a
  // part holds an operator match sets do not evaluate, or the time limit
  // was spent.
  struct ExactMatches {
    DocSet all;
    std::map<std::string, DocSet> without_own_filter;
  };
  std::optional<ExactMatches> exact_matches(const PreparedQuery& prepared, const RequestBudget& budget);
  // Whether exact totals are counted on the shards, as over remote ones: by
  // an exhaustive unweighted match, so that a search without facets does
  // not list every matching document to the searcher.
  bool counts_on_shards() const { return reader_.slot_reading() == SlotReading::kMatch; }
  // The members of near-duplicate groups that `query` matches, by one
  // listing match: all that the group count and collapsed counts need
  // besides the total. nullopt when the budget was spent.
  std::optional<DocSet> grouped_members(const Xapian::Query& query, const RequestBudget& budget);
  // Handles on the open database for the extra counting threads, opened
  // or reopened as needed; empty when they cannot see the same revision
  // (the count then runs on this thread).
  std::span<Xapian::Database> counting_helpers();
  // The page of `query` (among `members` only, if not null; they are
  // copied) ranked on the first helper on its own thread; no future
  // (valid() false) without a helper or a thread. The helper is in use
  // until the future is ready or destroyed.
  struct RankedPage {
    Xapian::MSet mset;
    bool cut = false;  // the budget ended the match early
  };
  std::future<RankedPage> rank_on_helper(const Xapian::Query& query, const DocSet* members, Xapian::doccount offset,
                                         Xapian::doccount limit, const SortSpec& sort, bool collapse,
                                         const RequestBudget& budget);
  // The near-duplicate groups of the revision open now. A read: call it
  // inside retrying().
  const DuplicateGroups& duplicate_groups();
  // The id terms of the document `id` and its near-duplicates; throws
  // RequestError when there is no such document. A read.
  Xapian::Query similar_documents(const std::string& id);
  // Fills FacetValue::groups of `facets` from the exact sets.
  void count_facet_groups(std::vector<FacetResult>& facets, const PreparedQuery& prepared, const ExactMatches& exact);

  // The facets of a search, counted in two steps around the match: fields
  // without an active filter on the match itself (over the exact set, or as
  // a match spy), fields with one apart, each without its own filter
  // (multi-select). Indexes are into counted_fields_.
  struct FacetCount {
    std::vector<std::size_t> on_match, apart;
    std::unique_ptr<FacetCounter> counter;  // of the on_match fields
  };
  // The documents `query` matches, by one unweighted match, neither
  // collapsed nor sorted. With counts_on_shards() it gives the total apart
  // from the ranked page: over remote shards Xapian 1.4.22 reports inexact
  // uncollapsed counts for an exhaustive collapsing match.
  struct MatchCount {
    Xapian::doccount total = 0;
    bool exact = true;  // false when the budget ended the match
  };
  MatchCount count_matches(const Xapian::Query& query, const RequestBudget& budget);
  FacetCount start_facet_count(const PreparedQuery& prepared, const ExactMatches* exact, Xapian::Enquire& enquire);
  // `check_at_least` is the matcher's, for fields counted apart without an
  // exact set; `total_exact` whether the match counted every document.
  std::vector<FacetResult> finish_facet_count(const FacetCount& count, const PreparedQuery& prepared,
                                              const ExactMatches* exact, std::size_t facet_limit, bool total_exact,
                                              Xapian::doccount check_at_least, const RequestBudget& budget);

  // Throws QueryError for the query, FilterError for one of `filters`.
  // `ranking` decides whether an any-words query leaves out stopwords.
  SplitQuery parse_request(const std::string& query, const std::vector<std::string>& filters, std::string* parsed,
                           QueryMode mode, const RankingChoices& ranking) const;
  // The warnings of every filter leaf of `split`, in its text and its
  // active filters. A read: call it inside retrying().
  std::vector<QueryWarning> filter_warnings(const SplitQuery& split) const;
  // `synonyms`: as SearchRequest::synonyms.
  PreparedQuery prepare(const SplitQuery& split, bool synonyms, const RankingChoices& ranking = {});
  // The languages the query's words are stemmed in (query_binder.h): those
  // its filters on the language field name, else every language the index
  // holds. A read: call it inside retrying().
  std::vector<std::string> stem_languages(const SplitQuery& split);
  // The spelling suggestion for a query whose matches number `documents`
  // (SearchResults::did_you_mean); none once `budget` is spent. Reads:
  // call it outside retrying(), it retries itself.
  std::optional<SpellingSuggestion> suggest(const std::string& query, const std::vector<std::string>& filters,
                                            const SplitQuery& split, std::size_t documents, bool synonyms,
                                            const RequestBudget& budget);
  // Every document `query` with `filters` matches, counted exactly;
  // nullopt when `budget` ended the count.
  std::optional<std::size_t> count_documents(const std::string& query, const std::vector<std::string>& filters,
                                             bool synonyms, const RequestBudget& budget);
  SearchHit make_hit(const Xapian::MSetIterator& it, const StoredDocument& stored,
                     const std::vector<HighlightUnit>& units, bool snippets);
  std::vector<MatchSpan> find_matches(Xapian::docid did, const std::vector<HighlightUnit>& units);

  // Derives again what depends on the index's schema (the counted fields,
  // the facet table, the binder's options) when the reader loaded a new one.
  void follow_schema();
  // The counted fields' values for the revision open now, read when the
  // revision changed since the last call. A read: call it inside retrying().
  const FacetColumns& facet_columns();
  // The facet table of the revision open now: `held` extended by the
  // documents added since, when the writer says that is all that changed,
  // else read in full. A read: call it inside retrying().
  FacetTable read_facet_table(const FacetTable* held);
  // The corpus baseline of the revision open now, built from facet_columns()
  // when the revision changed since the last call; null when the schema has
  // no document year field. A read: call it inside retrying().
  const CorpusBaseline* corpus_baseline();

  IndexReader reader_;
  SearcherOptions options_;
  std::vector<Xapian::Database> helpers_;
  std::uint64_t schema_generation_ = 0;           // reader_.schema_generation() that follow_schema() saw
  std::vector<const FieldSpec*> counted_fields_;  // schema order; column c of the facet table is field c
  FacetTable facet_table_;                  // the counted fields' values: this searcher's, or options_.shared_facets'
  std::unique_ptr<SynonymTable> synonyms_;  // of the schema follow_schema() saw
  std::optional<std::pair<std::uint64_t, std::vector<ExampleQuery>>> examples_;  // by revision
  std::unique_ptr<DuplicateGroups> duplicate_groups_;
  // Column of the facet table holding the document year field (single-valued
  // year kind, as result_order.h sorts by); nullopt without one.
  std::optional<std::size_t> year_column_;
  std::unique_ptr<CorpusBaseline> baseline_;
  SnippetBuilder snippets_;
};

}  // namespace policy
