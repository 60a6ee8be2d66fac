#include "searcher/searcher.h"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <set>
#include <system_error>
#include <thread>
#include <unordered_map>

#include "core/errors.h"
#include "core/index_layout.h"

#include "searcher/any_words.h"
#include "searcher/filter_values.h"
#include "searcher/kwic.h"
#include "searcher/ranking.h"

namespace policy {
namespace {

// Says that a word or phrase was searched wider than typed, and how not to.
QueryWarning synonym_warning(const QueryExpansion& expansion) {
  std::string also;
  for (const std::string& term : expansion.terms) also += (also.empty() ? "" : ", ") + term;
  return QueryWarning{
      warning_code::kSynonyms,
      expansion.typed + " was also searched as " + also + " (synonyms; --no-synonyms or synonyms=0 searches it alone)",
      "",
      expansion.typed,
      {}};
}

// Says which stopwords an any-words query did not search, and how to.
QueryWarning stopwords_left_out_warning(const std::vector<std::string>& words) {
  constexpr std::size_t kListed = 12;
  std::string listed;
  for (std::size_t i = 0; i < words.size() && i < kListed; ++i) listed += (i == 0 ? "" : ", ") + words[i];
  if (words.size() > kListed) listed += " and " + std::to_string(words.size() - kListed) + " more";
  return QueryWarning{
      warning_code::kStopwordsLeftOut,
      std::to_string(words.size()) + (words.size() == 1 ? " stopword was" : " stopwords were") + " not searched: " +
          listed + " (--weigh-stopwords, API weigh_stopwords=1 or batch \"weigh_stopwords\": true searches them)",
      "",
      "",
      {}};
}

std::vector<Xapian::termpos> positions_of(const Xapian::Database& db, Xapian::docid did, const std::string& term) {
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

// The terms whose within-document frequencies add up to a document's
// occurrences of `units` (Searcher::count): every unit a single word, and
// no two terms that can share a position (a word and its acronym term,
// the only terms the indexer puts at one body position). nullopt where
// occurrences must be found from positions.
std::optional<std::vector<std::string>> occurrence_terms(const std::vector<HighlightUnit>& units) {
  std::set<std::string, std::less<>> terms;
  for (const HighlightUnit& unit : units) {
    if (unit.slots.size() != 1) return std::nullopt;
    terms.insert(unit.slots[0].begin(), unit.slots[0].end());
  }
  for (const std::string& term : terms) {
    if (term.starts_with(prefix::kAcronym) && terms.contains(std::string_view(term).substr(prefix::kAcronym.size())))
      return std::nullopt;
  }
  return std::vector<std::string>(terms.begin(), terms.end());
}

// One Xapian match within a request's budget (request_budget.h): over a
// local database its query is FILTERed by a BudgetPostingSource; over
// shards, which cannot run one, it has Xapian's time limit, and a stop is
// seen after the match only. Declare it before the Enquire it serves, so
// that it outlives the Enquire's hold on the query.
class BoundedMatch {
 public:
  BoundedMatch(const RequestBudget& budget, bool sharded) : budget_(budget) {
    if (budget.bounded() && !sharded) source_ = std::make_unique<BudgetPostingSource>(budget);
  }
  BoundedMatch(const BoundedMatch&) = delete;
  BoundedMatch& operator=(const BoundedMatch&) = delete;

  void set_query(Xapian::Enquire& enquire, const Xapian::Query& query) {
    enquire.set_query(filtered_by(query, source_.get()));
  }
  // Enquire::get_mset, with Xapian's time limit (over shards) set to what
  // is left now. Throws RequestStoppedError when the request was stopped.
  Xapian::MSet get_mset(Xapian::Enquire& enquire, Xapian::doccount first, Xapian::doccount max,
                        Xapian::doccount check_at_least = 0) {
    if (!source_ && budget_.deadline()) enquire.set_time_limit(budget_.seconds_left());
    Xapian::MSet mset = enquire.get_mset(first, max, check_at_least);
    budget_.throw_if_stopped();
    return mset;
  }
  // Whether the budget ended the match before its candidates did.
  bool cut() const { return source_ && source_->cut(); }

 private:
  RequestBudget budget_;
  std::unique_ptr<BudgetPostingSource> source_;
};

}  // namespace

Searcher::Searcher(const std::string& index_path, SearcherOptions options)
    : reader_(index_path, static_cast<unsigned>(options.remote_timeout_seconds * 1000)),
      options_(std::move(options)),
      snippets_(options_.snippet) {}

void Searcher::follow_schema() {
  if (schema_generation_ == reader_.schema_generation()) return;
  counted_fields_.clear();
  year_column_.reset();
  for (const FieldSpec& field : reader_.schema().fields()) {
    if (!field.counted() || !field.slot) continue;
    if (!year_column_ && field.kind == FieldKind::kYear && !field.multi_valued) year_column_ = counted_fields_.size();
    counted_fields_.push_back(&field);
  }
  facet_table_ = FacetTable{};
  baseline_.reset();
  options_.bind.schema = &reader_.schema();
  options_.bind.extractor = &reader_.extractor();
  synonyms_ = std::make_unique<SynonymTable>(reader_.schema(), reader_.analyzer());
  schema_generation_ = reader_.schema_generation();
}

const FacetColumns& Searcher::facet_columns() {
  follow_schema();
  if (facet_table_.columns && facet_table_.columns->revision() == reader_.revision()) return *facet_table_.columns;
  const auto read = [&](const FacetTable* held) { return read_facet_table(held); };
  if (options_.shared_facets) {
    // What names the table: the database (a rebuilt index swapped in has
    // another UUID), its revision and the counted fields.
    const std::string key = reader_.database().get_uuid() + '\n' + std::to_string(reader_.revision()) + '\n' +
                            reader_.schema().fingerprint();
    facet_table_ = options_.shared_facets->get(key, read);
  } else {
    facet_table_ = read(facet_table_.columns ? &facet_table_ : nullptr);
  }
  return *facet_table_.columns;
}

FacetTable Searcher::read_facet_table(const FacetTable* held) {
  const Xapian::Database& db = reader_.database();
  // Commits that only added documents (an indexer adding to the index the
  // server searches) cost a read of those documents, not of all. Not so
  // for shards: a document added to one takes a docid among the others'.
  const std::optional<std::string> last_rewrite =
      reader_.sharded()
          ? std::nullopt
          : last_rewrite_of(db.get_metadata(metadata_key::kRewrites), db.get_metadata(metadata_key::kBuildId));
  if (held && last_rewrite && *last_rewrite == held->last_rewrite && held->columns->revision() != reader_.revision()) {
    // Trusting the writer's word, checked where it is cheap: a table that
    // disagrees with the slots' document counts is read again in full. The
    // held table may be in use by other searchers: the copy is extended.
    auto extended = std::make_shared<FacetColumns>(*held->columns);
    if (extended->append_added(db, reader_.revision(), reader_.schema(), counted_fields_)) {
      return FacetTable{std::move(extended), *last_rewrite};
    }
  }
  return FacetTable{std::make_shared<const FacetColumns>(db, reader_.revision(), reader_.schema(), counted_fields_,
                                                         reader_.slot_reading()),
                    last_rewrite.value_or("")};
}

const CorpusBaseline* Searcher::corpus_baseline() {
  const FacetColumns& columns = facet_columns();
  if (!year_column_) return nullptr;
  if (!baseline_ || baseline_->revision() != columns.revision()) {
    baseline_.reset();
    baseline_ = std::make_unique<CorpusBaseline>(reader_.database(), columns, *year_column_, reader_.slot_reading());
  }
  return baseline_.get();
}

bool Searcher::refresh() { return reader_.refresh(); }

const std::vector<ExampleQuery>& Searcher::examples() {
  reader_.retrying([&] {
    const std::uint64_t revision = reader_.revision();
    if (!examples_ || examples_->first != revision) examples_.emplace(revision, example_queries(reader_));
  });
  return examples_->second;
}

std::optional<DocumentView> Searcher::document(const std::string& id, const std::string& query, bool synonyms,
                                               QueryMode mode) {
  const SplitQuery split = query.empty() ? SplitQuery{} : parse_request(query, {}, nullptr, mode, RankingChoices{});
  return reader_.retrying([&]() -> std::optional<DocumentView> {
    const std::vector<HighlightUnit> units =
        query.empty() ? std::vector<HighlightUnit>{} : prepare(split, synonyms).bound.highlights;
    const std::optional<Xapian::docid> did = reader_.find(id);
    if (!did) return std::nullopt;
    DocumentView view;
    view.document = StoredDocument::read(reader_.database().get_document(*did), reader_.schema(), reader_.dictionary(),
                                         /*with_text=*/true);
    std::vector<MatchSpan> spans = find_matches(*did, units);
    std::vector<Highlight> ranges;
    for (const MatchSpan& m : spans) {
      if (m.last >= view.document.offsets.size()) continue;
      ranges.push_back(Highlight{view.document.offsets[m.first].begin, view.document.offsets[m.last].end});
    }
    std::sort(ranges.begin(), ranges.end(), [](const Highlight& a, const Highlight& b) {
      return std::tie(a.begin, a.end) < std::tie(b.begin, b.end);
    });
    for (const Highlight& h : ranges) {
      if (!view.matches.empty() && h.begin < view.matches.back().end) {
        view.matches.back().end = std::max(view.matches.back().end, h.end);
      } else {
        view.matches.push_back(h);
      }
    }
    return view;
  });
}

std::vector<MatchSpan> Searcher::find_matches(Xapian::docid did, const std::vector<HighlightUnit>& units) {
  std::vector<MatchSpan> matches;
  // A word in many units (the words of ORed NEARs) is read once; the
  // binder gives each unit once.
  std::unordered_map<std::string, std::vector<Xapian::termpos>> positions;
  for (std::uint32_t u = 0; u < units.size(); ++u) {
    const HighlightUnit& unit = units[u];
    // Positions of each slot: the union over its alternative words.
    std::vector<std::vector<Xapian::termpos>> slots;
    for (const std::vector<std::string>& alternatives : unit.slots) {
      std::vector<Xapian::termpos> merged;
      for (const std::string& term : alternatives) {
        auto [known, first_time] = positions.try_emplace(term);
        if (first_time) known->second = positions_of(reader_.database(), did, term);
        merged.insert(merged.end(), known->second.begin(), known->second.end());
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

SplitQuery Searcher::parse_request(const std::string& query, const std::vector<std::string>& filters,
                                   std::string* parsed, QueryMode mode, const RankingChoices& ranking) const {
  // Syntax first, then the split into free text and active filters.
  SplitQuery split;
  if (mode == QueryMode::kAnyWords && (!query.empty() || filters.empty())) {
    const bool leave_out = options_.bind.weightless_stopwords && ranking.weightless_stopwords &&
                           reader_.analyzer().default_language() == "en";
    AnyWordsQuery words = any_words_query(query, reader_.analyzer(), options_.limits, leave_out);
    if (parsed) *parsed = describe(words.tree);
    split.text = std::move(words.tree);
    if (!words.left_out.empty()) split.text_warnings.push_back(stopwords_left_out_warning(words.left_out));
  } else if (!query.empty() || filters.empty()) {
    const QueryNode tree = parse_query_syntax(query, options_.limits);
    if (parsed) *parsed = describe(tree);
    split = split_filters(tree, reader_.schema());
  }
  for (const std::string& filter : filters) {
    // Errors are the filter's: shown with the filter's text, not the query's.
    SplitQuery extra;
    try {
      extra = split_filters(parse_query_syntax(filter, options_.limits), reader_.schema());
      if (extra.text) {
        throw QueryError("'" + filter + "' is not a filter", 0,
                         "a filter is field:value on a schema field, e.g. org:MEP or year:2010..2015");
      }
      for (const auto& [field, leaves] : extra.filters) {
        for (const QueryNode& leaf : leaves)
          check_filter_form(leaf, *reader_.schema().field(field), reader_.extractor());
      }
    } catch (const FilterError&) {
      throw;
    } catch (const QuerySyntaxError& e) {
      throw FilterError(e, filter);
    }
    for (auto& [field, leaves] : extra.filters) {
      auto& group = split.filters[field];
      group.insert(group.end(), leaves.begin(), leaves.end());
    }
  }
  return split;
}

std::vector<QueryWarning> Searcher::filter_warnings(const SplitQuery& split) const {
  std::vector<QueryWarning> warnings;
  const auto check = [&](const QueryNode& leaf, const FieldSpec& field) {
    std::optional<QueryWarning> warning =
        unknown_filter_value(leaf, field, reader_.schema(), reader_.extractor(), reader_.database());
    if (!warning) return;
    const bool repeated = std::any_of(warnings.begin(), warnings.end(), [&](const QueryWarning& w) {
      return w.field == warning->field && w.value == warning->value;
    });
    if (!repeated) warnings.push_back(std::move(*warning));
  };
  // Filters inside the free text ("(org:EPA water) OR air") too.
  const auto walk = [&](const auto& self, const QueryNode& node) -> void {
    for (const QueryNode& child : node.children) self(self, child);
    if (!node.children.empty() || node.field.empty() || node.kind == QueryNode::Kind::kWildcard) return;
    if (const FieldSpec* field = reader_.schema().field(node.field); field && field->kind != FieldKind::kText) {
      check(node, *field);
    }
  };
  if (split.text) walk(walk, *split.text);
  for (const auto& [field, leaves] : split.filters) {
    for (const QueryNode& leaf : leaves) check(leaf, *reader_.schema().field(field));
  }
  return warnings;
}

std::vector<std::string> Searcher::stem_languages(const SplitQuery& split) {
  std::vector<std::string> named;
  for (const FieldSpec& field : reader_.schema().fields()) {
    const auto filters = split.filters.find(field.name);
    if (!field.from("language") || filters == split.filters.end()) continue;
    for (const QueryNode& leaf : filters->second) {
      for (std::string& code : reader_.extractor().resolve(field, leaf.text)) named.push_back(std::move(code));
    }
  }
  return named.empty() ? reader_.languages() : named;
}

Searcher::PreparedQuery Searcher::prepare(const SplitQuery& split, bool synonyms, const RankingChoices& ranking) {
  PreparedQuery prepared;
  follow_schema();
  if (split.text) {
    BindOptions bind = options_.bind;
    bind.weightless_stopwords = bind.weightless_stopwords && ranking.weightless_stopwords;
    // Phrases and NEAR are weighed by their own matches in a second pass
    // over the first results only: reading their positions for every match
    // costs several times the match. A remote shard runs Xapian's own
    // weights only.
    const bool span_weights = options_.rescore_phrases && reader_.slot_reading() != SlotReading::kMatch;
    bind.span_weights = false;
    bind.languages = stem_languages(split);
    if (synonyms && !synonyms_->empty()) bind.synonyms = synonyms_.get();
    if (!reader_.common_words().empty()) bind.common_words = &reader_.common_words();
    prepared.bound = bind_query(*split.text, reader_.analyzer(), reader_.database(), bind);
    if (span_weights && holds_positional_operator(prepared.bound.query)) {
      bind.span_weights = true;
      BoundQuery weighed = bind_query(*split.text, reader_.analyzer(), reader_.database(), bind);
      prepared.rescoring = std::move(weighed.query);
      prepared.rescoring_parts = std::move(weighed.parts);
    }
  }
  for (const auto& [field, leaves] : split.filters) {
    std::vector<Xapian::Query> any;
    for (const QueryNode& leaf : leaves)
      any.push_back(bind_filter(leaf, *reader_.schema().field(field), reader_.extractor(), reader_.database()));
    prepared.field_filters[field] = Xapian::Query(Xapian::Query::OP_OR, any.begin(), any.end());
  }
  prepared.warnings = split.text_warnings;
  for (QueryWarning& warning : filter_warnings(split)) prepared.warnings.push_back(std::move(warning));
  for (const QueryExpansion& expansion : prepared.bound.expansions) {
    if (expansion.kind == "synonym") prepared.warnings.push_back(synonym_warning(expansion));
  }
  return prepared;
}

Xapian::Query Searcher::PreparedQuery::with_filters(const Xapian::Query& text, const std::string& skip) const {
  std::vector<Xapian::Query> all;
  for (const auto& [field, q] : field_filters) {
    if (field != skip) all.push_back(q);
  }
  if (restriction) all.push_back(*restriction);
  if (all.empty()) return text;
  return Xapian::Query(Xapian::Query::OP_FILTER, text, Xapian::Query(Xapian::Query::OP_AND, all.begin(), all.end()));
}

Searcher::RescoredPage Searcher::rescore(const PreparedQuery& prepared, const Xapian::MSet& first_pass,
                                         Xapian::doccount offset, Xapian::doccount limit, bool collapse,
                                         const RequestBudget& budget) {
  RescoredPage page;
  Xapian::Query window;
  if (reader_.sharded()) {
    // A posting source sees each shard's own docids: the documents by id.
    std::vector<std::string> ids;
    for (auto it = first_pass.begin(); it != first_pass.end() && it.get_rank() < kRescoreWindow; ++it) {
      Xapian::TermIterator term = reader_.database().termlist_begin(*it);
      term.skip_to(std::string(prefix::kId));
      if (term != reader_.database().termlist_end(*it)) ids.push_back(*term);
    }
    window = Xapian::Query(Xapian::Query::OP_OR, ids.begin(), ids.end());
  } else {
    page.window = std::make_unique<DocSet>(reader_.database().get_lastdocid());
    for (auto it = first_pass.begin(); it != first_pass.end() && it.get_rank() < kRescoreWindow; ++it) {
      page.window->insert(*it);
    }
    page.in_window = std::make_unique<DocSetPostingSource>(*page.window);
    window = Xapian::Query(page.in_window.get());
  }
  BoundedMatch bounded(budget, reader_.sharded());
  Xapian::Enquire enquire(reader_.database());
  bounded.set_query(enquire, Xapian::Query(Xapian::Query::OP_FILTER, prepared.rescoring_filtered(), window));
  enquire.set_weighting_scheme(ranking_weight());
  if (collapse) enquire.set_collapse_key(slot::kDuplicateGroup);
  page.rescored = bounded.get_mset(enquire, 0, kRescoreWindow);
  // A match the budget stopped has weighed part of the window only: the
  // first pass's order then stands, so that no result shows twice.
  const Xapian::doccount in_window = std::min(first_pass.size(), kRescoreWindow);
  page.cut = bounded.cut();
  page.weighed = page.rescored.size() == in_window && !page.cut ? in_window : 0;
  for (Xapian::doccount rank = offset; rank < offset + limit; ++rank) {
    if (rank < page.weighed) {
      page.items.push_back(page.rescored[rank]);
    } else if (rank < first_pass.size()) {
      page.items.push_back(first_pass[rank]);
    }
  }
  return page;
}

std::span<Xapian::Database> Searcher::counting_helpers() {
  // Shards are counted on this thread: a helper would open a stub anew,
  // whose revision Xapian does not give.
  if (reader_.sharded()) return {};
  const unsigned threads =
      options_.counting_threads != 0 ? options_.counting_threads : std::max(1u, std::thread::hardware_concurrency());
  try {
    if (helpers_.size() != threads - 1) {
      helpers_.clear();
      for (unsigned i = 1; i < threads; ++i) helpers_.emplace_back(reader_.path());
    }
    for (Xapian::Database& helper : helpers_) {
      // The same database (a rebuilt index swapped in has another UUID) at
      // the same revision.
      if (helper.get_uuid() != reader_.database().get_uuid()) helper = Xapian::Database(reader_.path());
      if (helper.get_revision() != reader_.database().get_revision()) helper.reopen();
      if (helper.get_uuid() != reader_.database().get_uuid() ||
          helper.get_revision() != reader_.database().get_revision())
        return {};
    }
  } catch (const Xapian::Error&) {
    helpers_.clear();  // opened again next time; this count runs on one thread
    return {};
  }
  return helpers_;
}

std::future<Searcher::RankedPage> Searcher::rank_on_helper(const Xapian::Query& query, const DocSet* members,
                                                           Xapian::doccount offset, Xapian::doccount limit,
                                                           const SortSpec& sort, bool collapse,
                                                           const RequestBudget& budget) {
  const std::span<Xapian::Database> helpers = counting_helpers();
  if (helpers.empty()) return {};
  // The query is rebuilt from its serialised form, as Xapian::Query's
  // reference counts are not atomic and threads must not share one. The
  // members are copied (a bitmap of lastdocid bits), as the caller's set
  // may go, when a read throws, before the future does.
  auto rank = [&helper = helpers.front(), serialised = query.serialise(),
               members = members ? std::optional<DocSet>(*members) : std::nullopt, offset, limit, sort, collapse,
               budget] {
    std::optional<DocSetPostingSource> in_members;  // outlives the match
    if (members) in_members.emplace(*members);
    BoundedMatch bounded(budget, /*sharded=*/false);
    Xapian::Enquire enquire(helper);
    if (collapse) enquire.set_collapse_key(slot::kDuplicateGroup);
    apply_sort(enquire, sort);
    const Xapian::Query text = Xapian::Query::unserialise(serialised);
    bounded.set_query(enquire,
                      members ? Xapian::Query(Xapian::Query::OP_FILTER, text, Xapian::Query(&*in_members)) : text);
    enquire.set_weighting_scheme(ranking_weight());
    Xapian::MSet mset = bounded.get_mset(enquire, offset, limit, offset + limit);
    return RankedPage{std::move(mset), bounded.cut()};
  };
  try {
    return std::async(std::launch::async, std::move(rank));
  } catch (const std::system_error&) {
    return {};  // no thread to be had: this thread ranks after the count
  }
}

std::optional<Searcher::ExactMatches> Searcher::exact_matches(const PreparedQuery& prepared,
                                                              const RequestBudget& budget) {
  // Each part once; filtered(skip) is the text query ANDed with the other
  // fields' filters, and so is each set here.
  // Only positional matches are shared among threads; filters are terms.
  const std::span<Xapian::Database> helpers =
      holds_positional_operator(prepared.bound.query) ? counting_helpers() : std::span<Xapian::Database>();
  // Over shards every part is listed: no spy sees the stub's docids. Over
  // remote ones (read by match), the whole query at once: their posting
  // lists stream item by item.
  const MatchSetMode mode = !reader_.sharded()                              ? MatchSetMode::kSpy
                            : reader_.slot_reading() == SlotReading::kMatch ? MatchSetMode::kWholeListing
                                                                            : MatchSetMode::kListing;
  std::optional<DocSet> text = evaluate_match_set(reader_.database(), prepared.bound.query, budget, helpers, mode);
  if (!text) return std::nullopt;
  if (prepared.restriction) {
    // Not a field: applies to every set, the multi-select ones too.
    std::optional<DocSet> restriction = evaluate_match_set(reader_.database(), *prepared.restriction, budget, {}, mode);
    if (!restriction) return std::nullopt;
    text->intersect(*restriction);
  }
  std::map<std::string, DocSet> filters;
  for (const auto& [field, filter] : prepared.field_filters) {
    std::optional<DocSet> set = evaluate_match_set(reader_.database(), filter, budget, {}, mode);
    if (!set) return std::nullopt;
    filters.emplace(field, std::move(*set));
  }
  ExactMatches exact{*text, {}};
  for (const auto& [field, set] : filters) exact.all.intersect(set);
  for (const auto& [field, unused] : filters) {
    DocSet without = *text;
    for (const auto& [other, set] : filters) {
      if (other != field) without.intersect(set);
    }
    exact.without_own_filter.emplace(field, std::move(without));
  }
  return exact;
}

std::optional<DocSet> Searcher::grouped_members(const Xapian::Query& query, const RequestBudget& budget) {
  const Xapian::Database& db = reader_.database();
  if (duplicate_groups().group_count() == 0) return DocSet(db.get_lastdocid());
  // Every non-empty value sorts at or after "\0".
  const Xapian::Query in_group(Xapian::Query::OP_VALUE_GE, slot::kDuplicateGroup, std::string(1, '\0'));
  return evaluate_match_set(db, Xapian::Query(Xapian::Query::OP_FILTER, query, in_group), budget, {},
                            MatchSetMode::kWholeListing);
}

SearchHit Searcher::make_hit(const Xapian::MSetIterator& it, const StoredDocument& stored,
                             const std::vector<HighlightUnit>& units, bool snippets) {
  SearchHit hit;
  hit.rank = it.get_rank() + 1;
  hit.score = it.get_weight();
  hit.id = stored.id;
  hit.title = stored.title;
  hit.source = stored.source;
  hit.metadata = stored.metadata;
  hit.fields = stored.fields;
  hit.pages = stored.page_count();
  if (snippets) {
    hit.snippets = snippets_.build(stored.text, stored.offsets, find_matches(*it, units));
    for (Snippet& snippet : hit.snippets) snippet.page = stored.page_at(snippet.source_anchor);
  }
  return hit;
}

SearchResults Searcher::search(const SearchRequest& asked) {
  // Over shards every count is exact (--fast too): the estimates' match spy
  // would see each shard's own docids, and xapian-tcpsrv refuses it.
  SearchRequest request = asked;
  if (reader_.sharded()) request.exact = true;
  const auto started = std::chrono::steady_clock::now();
  SearchResults results;
  results.query = request.query;
  results.offset = request.offset;
  results.limit = request.hits ? request.limit : 0;
  results.order = request.order;
  // --similar-to alone: every document of the group.
  const bool whole_group = !request.similar_to.empty() && request.query.empty() && request.filters.empty();
  const SplitQuery split =
      whole_group ? SplitQuery{}
                  : parse_request(request.query, request.filters, &results.parsed, request.mode, request.ranking);
  for (const auto& [field, leaves] : split.filters) {
    for (const QueryNode& leaf : leaves) results.active_filters[field].push_back(leaf.text);
  }
  // One budget for the whole search: what the sets took is not given to
  // the matcher again.
  const RequestBudget budget = request.budget.within(options_.time_limit_seconds, started);
  // Whether the budget ended a match early: the one that counted (the
  // counts are lower bounds), or one that ranked the page.
  bool counting_cut = false;
  bool ranking_cut = false;

  // A concurrent commit can invalidate what we read; reopen and retry.
  reader_.retrying([&] {
    results.hits.clear();
    results.facets.clear();
    counting_cut = false;
    ranking_cut = false;
    PreparedQuery prepared = prepare(split, request.synonyms, request.ranking);
    if (!request.similar_to.empty()) prepared.restriction = similar_documents(request.similar_to);
    const bool collapse = request.collapse && request.similar_to.empty();
    results.collapsed = collapse;
    results.warnings = prepared.warnings;
    const SortSpec sort = sort_spec(request.order, reader_.schema());
    const Xapian::doccount all = reader_.database().get_doccount();
    // Clamped to the document count: no page is larger, and 64-bit values
    // must not wrap when narrowed to Xapian's 32-bit counts.
    const Xapian::doccount limit = !request.hits ? 0
                                   : request.limit == 0
                                       ? all
                                       : static_cast<Xapian::doccount>(std::min<std::size_t>(request.limit, all));
    const Xapian::doccount offset = static_cast<Xapian::doccount>(std::min<std::size_t>(request.offset, all));
    // Ranked by relevance, a query with a phrase or NEAR has its first
    // kRescoreWindow results ranked again by the rescoring query (rescore()):
    // the first pass then ranks from the first result to the page's end, or
    // the window's, whichever is further.
    const bool rescoring = prepared.rescoring && request.order == ResultOrder::kRelevance && limit > 0;
    const auto page_end = static_cast<Xapian::doccount>(std::min<std::size_t>(std::size_t{offset} + limit, all));
    const Xapian::doccount first = rescoring ? 0 : offset;
    const Xapian::doccount count = rescoring ? std::max(std::min(kRescoreWindow, all), page_end) : limit;
    // Exact totals and facets come from the sets of matches where the query
    // allows them (match_set.h), and the matcher only ranks the page; else
    // check_at_least = every document makes the matcher count them all.
    const Xapian::Query query = prepared.filtered();
    // The page is ranked on a helper handle (same revision, so the same
    // weights and order) on another thread while this one counts: without
    // positions, from the start, as it needs no match set; with them, once
    // the set (which takes every core) is known, while the facets are
    // counted over it.
    const bool positional = holds_positional_operator(query);
    std::future<RankedPage> ranked_apart;
    if (request.exact && !positional && can_evaluate_match_set(query)) {
      ranked_apart = rank_on_helper(query, nullptr, first, count, sort, collapse, budget);
    }
    // Facets over remote shards still come from the exact sets: a spy's
    // counts of a multi-valued field are per combination of values, nearly
    // one per document, and cost more to send than the docids.
    const bool on_shards = request.exact && !request.facets && counts_on_shards();
    const std::optional<ExactMatches> exact =
        request.exact && !on_shards ? exact_matches(prepared, budget) : std::nullopt;
    budget.throw_if_stopped();
    const Xapian::doccount check_at_least = request.exact && !exact && !on_shards ? all : first + count;
    if (exact && positional) {
      ranked_apart = rank_on_helper(query, &exact->all, first, count, sort, collapse, budget);
    }

    // With the exact set of a phrase or NEAR known, the matcher ranks only
    // its members: a rare phrase is then not checked again against every
    // document holding its words. The ranking is the same: FILTER adds no
    // weight. Not for other queries, where the extra posting source costs
    // more than it saves (BENCHMARKS.md). Not over shards either: a posting
    // source sees each shard's own docids, not the stub's.
    std::optional<DocSetPostingSource> members;
    if (exact && positional && !reader_.sharded()) members.emplace(exact->all);
    BoundedMatch bounded(budget, reader_.sharded());
    Xapian::Enquire enquire(reader_.database());
    bounded.set_query(enquire,
                      members ? Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(&*members)) : query);
    enquire.set_weighting_scheme(ranking_weight());
    if (collapse) enquire.set_collapse_key(slot::kDuplicateGroup);
    apply_sort(enquire, sort);
    FacetCount facet_count;
    if (request.facets) facet_count = start_facet_count(prepared, exact ? &*exact : nullptr, enquire);
    std::optional<MatchCount> shard_count;
    if (on_shards) shard_count = count_matches(query, budget);
    const std::optional<DocSet> grouped = on_shards ? grouped_members(query, budget) : std::nullopt;
    // The page ranked apart, if any. When the set ran out of the budget
    // the matcher would count, and its match, cut at once, would hold a
    // page of the first documents it met: the page ranked apart, if it was
    // not cut, is the better answer, its counts Xapian's estimates.
    Xapian::MSet mset;
    std::optional<RankedPage> ranked;
    if (ranked_apart.valid() && (exact || budget.spent())) ranked = ranked_apart.get();
    if (ranked && (exact || !ranked->cut)) {
      mset = std::move(ranked->mset);
      ranking_cut = ranked->cut;
      counting_cut = !exact;
    } else {
      mset = bounded.get_mset(enquire, first, count, check_at_least);
      (exact ? ranking_cut : counting_cut) = bounded.cut();
    }
    RescoredPage page = rescoring ? rescore(prepared, mset, offset, limit, collapse, budget) : RescoredPage{};
    ranking_cut = ranking_cut || page.cut;
    if (!rescoring) {
      for (auto it = mset.begin(); it != mset.end(); ++it) page.items.push_back(it);
    }
    const DuplicateGroups& groups = duplicate_groups();
    if (exact) {
      results.total = exact->all.count();
      results.total_exact = true;
      results.groups = groups.count_groups(exact->all);
    } else if (shard_count) {
      results.total = shard_count->total;
      results.total_exact = shard_count->exact;
    } else {
      // Collapsing, Xapian's plain counts are of the collapsed results;
      // a match the budget ended counted part of its candidates.
      results.total = mset.get_uncollapsed_matches_estimated();
      results.total_exact =
          !counting_cut && mset.get_uncollapsed_matches_lower_bound() == mset.get_uncollapsed_matches_upper_bound();
    }
    if (!exact) {
      // The matching group members give the groups, collapsing or not.
      results.groups = grouped    ? results.total - grouped->count() + groups.count_groups(*grouped)
                       : collapse ? mset.get_matches_estimated()
                                  : results.total;
    }
    if (request.facets) {
      results.facets = finish_facet_count(facet_count, prepared, exact ? &*exact : nullptr, request.facet_limit,
                                          results.total_exact, request.exact ? all : offset + limit, budget);
      if (exact) count_facet_groups(results.facets, prepared, *exact);
    }
    // Snippets are part of the budget's work: once it is spent, the
    // remaining hits come without them, and a warning says from where.
    std::optional<Xapian::doccount> snippets_stopped_at;
    for (const Xapian::MSetIterator& it : page.items) {
      budget.throw_if_stopped();
      const Xapian::Document doc = it.get_document();
      bool snippets = request.snippets;
      if (snippets && (snippets_stopped_at || budget.expired())) {
        if (!snippets_stopped_at) snippets_stopped_at = it.get_rank() + 1;
        snippets = false;
      }
      const StoredDocument stored =
          StoredDocument::read(doc, reader_.schema(), reader_.dictionary(), /*with_text=*/snippets);
      SearchHit& hit = results.hits.emplace_back(make_hit(it, stored, prepared.bound.highlights, snippets));
      hit.group = doc.get_value(slot::kDuplicateGroup);
      if (hit.group.empty()) continue;
      hit.group_size = std::strtoul(doc.get_value(slot::kDuplicateGroupSize).c_str(), nullptr, 10);
      if (!collapse) continue;
      if (exact || grouped) {
        const std::uint64_t matching = groups.members_in(groups.group_of(*it), exact ? exact->all : *grouped);
        hit.collapsed = matching > 0 ? matching - 1 : 0;
      } else if (it.get_rank() >= page.weighed) {
        hit.collapsed = it.get_collapse_count();
      } else {
        // The window holds one document per group: the first pass counted.
        for (auto first_it = mset.begin(); first_it != mset.end() && first_it.get_rank() < page.weighed; ++first_it) {
          if (*first_it == *it) hit.collapsed = first_it.get_collapse_count();
        }
      }
    }
    if (counting_cut || ranking_cut) {
      results.warnings.push_back(QueryWarning{
          warning_code::kTimeLimit,
          counting_cut ? "the time limit was reached while matching: the total and the facet counts are lower bounds, "
                         "and better matches may be missing from the results"
                       : "the time limit was reached while ranking: the counts are exact, but better matches may be "
                         "missing from the results or ranked lower",
          "",
          "",
          {}});
    }
    if (snippets_stopped_at) {
      results.warnings.push_back(QueryWarning{warning_code::kTimeLimit,
                                              "the time limit was reached while building snippets: results from rank " +
                                                  std::to_string(*snippets_stopped_at) + " on have none",
                                              "",
                                              "",
                                              {}});
    }
    if (request.explain) {
      // Each result's parts weighed as its score was: the rescored ones'
      // (which come first) by the rescoring query's parts.
      std::vector<ScoredResult> rescored, shown;
      for (const SearchHit& hit : results.hits) {
        const bool in_window = hit.rank <= page.weighed;
        (in_window ? rescored : shown).push_back(ScoredResult{hit.rank, hit.id, hit.score});
      }
      results.explanation = explain_query(reader_.database(), prepared.bound, shown);
      if (!rescored.empty()) {
        BoundQuery weighed = prepared.bound;
        weighed.parts = prepared.rescoring_parts;
        std::vector<ScoreExplanation> scores = explain_query(reader_.database(), weighed, rescored).scores;
        results.explanation->scores.insert(results.explanation->scores.begin(), scores.begin(), scores.end());
      }
    }
  });
  // An any-words query matches when any of its words does: a misspelt word
  // does not empty the results, so there is nothing to suggest.
  if (results.total_exact && request.mode == QueryMode::kSyntax)
    results.did_you_mean = suggest(request.query, request.filters, split, results.total, request.synonyms, budget);
  results.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return results;
}

const DuplicateGroups& Searcher::duplicate_groups() {
  const Xapian::Database& db = reader_.database();
  if (!duplicate_groups_ || duplicate_groups_->revision() != reader_.revision()) {
    duplicate_groups_.reset();  // a read that throws leaves none, not a stale one
    duplicate_groups_ = std::make_unique<DuplicateGroups>(db, reader_.revision(), reader_.slot_reading());
  }
  return *duplicate_groups_;
}

Xapian::Query Searcher::similar_documents(const std::string& id) {
  const std::optional<Xapian::docid> did = reader_.find(id);
  if (!did) throw RequestError("no document has the id '" + id + "'; the ids are in the results' \"id\"");
  const DuplicateGroups& groups = duplicate_groups();
  std::vector<Xapian::Query> ids;
  const std::uint32_t group = groups.group_of(*did);
  const std::vector<Xapian::docid> alone{*did};
  for (const Xapian::docid member : group ? groups.members(group) : std::span<const Xapian::docid>(alone)) {
    Xapian::TermIterator term = reader_.database().termlist_begin(member);
    term.skip_to(std::string(prefix::kId));
    if (term != reader_.database().termlist_end(member)) ids.emplace_back(*term);
  }
  return Xapian::Query(Xapian::Query::OP_OR, ids.begin(), ids.end());
}

void Searcher::count_facet_groups(std::vector<FacetResult>& facets, const PreparedQuery& prepared,
                                  const ExactMatches& exact) {
  const DuplicateGroups& groups = duplicate_groups();
  const FacetColumns& columns = facet_columns();
  for (FacetResult& facet : facets) {
    for (FacetValue& value : facet.values) value.groups = value.count;
    const auto column = std::find_if(counted_fields_.begin(), counted_fields_.end(),
                                     [&](const FieldSpec* f) { return f->name == facet.field; });
    if (column == counted_fields_.end()) continue;
    const std::size_t c = static_cast<std::size_t>(column - counted_fields_.begin());
    const auto own = exact.without_own_filter.find(facet.field);
    const DocSet& matches = own != exact.without_own_filter.end() ? own->second : exact.all;
    // A value held by n matching members of one group counts n documents
    // but one group.
    std::map<std::string, std::uint64_t> repeats;  // key -> documents beyond the first of their group
    for (std::uint32_t group = 1; group <= groups.group_count(); ++group) {
      std::map<std::uint32_t, std::uint64_t> holders;  // ordinal -> matching members with it
      for (const Xapian::docid did : groups.members(group)) {
        if (!matches.contains(did)) continue;
        for (const std::uint32_t ordinal : columns.ordinals(c, did)) ++holders[ordinal];
      }
      for (const auto& [ordinal, n] : holders) {
        if (n > 1) repeats[columns.value(c, ordinal).first] += n - 1;
      }
    }
    for (FacetValue& value : facet.values) {
      if (const auto found = repeats.find(value.key); found != repeats.end()) value.groups -= found->second;
    }
  }
}

Searcher::FacetCount Searcher::start_facet_count(const PreparedQuery& prepared, const ExactMatches* exact,
                                                 Xapian::Enquire& enquire) {
  FacetCount count;
  for (std::size_t c = 0; c < counted_fields_.size(); ++c) {
    (prepared.field_filters.contains(counted_fields_[c]->name) ? count.apart : count.on_match).push_back(c);
  }
  count.counter = std::make_unique<FacetCounter>(facet_columns(), count.on_match);
  if (exact) {
    count.counter->count_all(exact->all);
  } else if (!reader_.sharded()) {
    enquire.add_matchspy(count.counter.get());
  }  // else shards whose set ran out of time: nothing counted, flagged inexact
  return count;
}

Searcher::MatchCount Searcher::count_matches(const Xapian::Query& query, const RequestBudget& budget) {
  BoundedMatch bounded(budget, reader_.sharded());
  Xapian::Enquire counting(reader_.database());
  bounded.set_query(counting, query);
  counting.set_weighting_scheme(Xapian::BoolWeight());
  const Xapian::MSet counted = bounded.get_mset(counting, 0, 0, reader_.database().get_doccount());
  return MatchCount{counted.get_matches_estimated(),
                    !bounded.cut() && counted.get_matches_lower_bound() == counted.get_matches_upper_bound()};
}

std::vector<FacetResult> Searcher::finish_facet_count(const FacetCount& count, const PreparedQuery& prepared,
                                                      const ExactMatches* exact, std::size_t facet_limit,
                                                      bool total_exact, Xapian::doccount check_at_least,
                                                      const RequestBudget& budget) {
  std::vector<FacetResult> facets;
  // Multi-select: a filtered field is counted without its own filter.
  for (std::size_t c : count.apart) {
    const FieldSpec& field = *counted_fields_[c];
    FacetCounter apart_counter(facet_columns(), {c});
    bool counted_exactly = true;
    if (exact) {
      apart_counter.count_all(exact->without_own_filter.at(field.name));
    } else if (reader_.sharded()) {
      counted_exactly = false;  // as in start_facet_count()
    } else {
      BoundedMatch bounded(budget, /*sharded=*/false);
      Xapian::Enquire counting(reader_.database());
      bounded.set_query(counting, prepared.filtered(field.name));
      counting.set_weighting_scheme(Xapian::BoolWeight());
      counting.add_matchspy(&apart_counter);
      const Xapian::MSet counted = bounded.get_mset(counting, 0, 0, check_at_least);
      counted_exactly = !bounded.cut() && counted.get_matches_lower_bound() == counted.get_matches_upper_bound();
    }
    facets.push_back(summarise_facet(field, apart_counter.values(0), facet_limit, counted_exactly));
  }
  for (std::size_t i = 0; i < count.on_match.size(); ++i) {
    facets.push_back(summarise_facet(*counted_fields_[count.on_match[i]], count.counter->values(i), facet_limit,
                                     total_exact && (exact || !reader_.sharded())));
  }
  // Schema order, whatever order they were counted in.
  std::stable_sort(facets.begin(), facets.end(), [&](const FacetResult& a, const FacetResult& b) {
    return reader_.schema().field(a.field) < reader_.schema().field(b.field);
  });
  return facets;
}

std::optional<SpellingSuggestion> Searcher::suggest(const std::string& query, const std::vector<std::string>& filters,
                                                    const SplitQuery& split, std::size_t documents, bool synonyms,
                                                    const RequestBudget& budget) {
  if (!split.text || budget.spent()) return std::nullopt;
  std::optional<SpellingSuggestion> suggestion = reader_.retrying([&] {
    // Positions in split.text are the query's: split_filters keeps nodes as parsed.
    return suggest_spelling(query, *split.text, reader_.analyzer(), reader_.database(), stem_languages(split));
  });
  if (!suggestion) return std::nullopt;
  try {
    const std::optional<std::size_t> corrected = count_documents(suggestion->query, filters, synonyms, budget);
    if (!corrected || *corrected <= documents) return std::nullopt;
  } catch (const QuerySyntaxError&) {
    return std::nullopt;  // a correction that reads as an operator: no suggestion
  }
  return suggestion;
}

std::optional<std::size_t> Searcher::count_documents(const std::string& query, const std::vector<std::string>& filters,
                                                     bool synonyms, const RequestBudget& budget) {
  const SplitQuery split = parse_request(query, filters, nullptr, QueryMode::kSyntax, RankingChoices{});
  const MatchCount counted =
      reader_.retrying([&] { return count_matches(prepare(split, synonyms).filtered(), budget); });
  if (!counted.exact) return std::nullopt;
  return static_cast<std::size_t>(counted.total);
}

MatchCounts Searcher::count(const CountRequest& request) {
  const RequestBudget budget = request.budget.within(options_.time_limit_seconds, std::chrono::steady_clock::now());
  // Counts go into reports as they are: one the budget would cut short is
  // not given at all. `whole`: the work so far saw everything it had to.
  const auto give_up_unless = [&budget](bool whole) {
    budget.throw_if_stopped();
    if (!whole) throw TimeLimitError("the time limit was reached before every matching document was counted");
  };
  MatchCounts result;
  const SplitQuery split = parse_request(request.query, request.filters, &result.parsed, request.mode, request.ranking);
  MatchCounts counted = reader_.retrying([&] {
    result.documents = 0;
    result.occurrences = 0;
    result.top.clear();
    result.kwic.clear();
    const PreparedQuery prepared = prepare(split, request.synonyms, request.ranking);
    result.warnings = prepared.warnings;
    const std::vector<const FieldSpec*>& fields = counted_fields_;
    const FacetColumns& columns = facet_columns();
    // field index -> ordinal -> count
    std::vector<std::vector<ValueCount>> tallies(fields.size());
    for (std::size_t f = 0; f < fields.size(); ++f) tallies[f].resize(columns.value_count(f));

    const Xapian::doccount all = reader_.database().get_doccount();
    // Without concordance lines, occurrences come, where the query allows,
    // as each document's weight under TfIdfWeight "nnn": the sum of its
    // terms' within-document frequencies, which count their body
    // positions. No position list is read (over remote shards each read is
    // a round trip); the best documents come from a ranked page apart.
    const std::optional<std::vector<std::string>> terms =
        !request.kwic ? occurrence_terms(prepared.bound.highlights) : std::nullopt;
    BoundedMatch bounded(budget, reader_.sharded());
    Xapian::Enquire enquire(reader_.database());
    // The words of a given title add kTitleWordOccurrences each to their
    // body terms' wdf (index_layout.h): per document, that many times the
    // wdf of the same words' title terms is taken off again.
    std::unordered_map<Xapian::docid, std::uint64_t> title_occurrences;
    // No given title in the index (MED, NPL, most JSONL): nothing to take off.
    if (terms && reader_.database().get_termfreq(std::string(prefix::kGivenTitle)) > 0) {
      std::vector<std::string> title_terms;
      for (const std::string& term : *terms) title_terms.push_back(std::string(prefix::kTitle) + term);
      BoundedMatch bounded_titles(budget, reader_.sharded());
      Xapian::Enquire titles(reader_.database());
      bounded_titles.set_query(
          titles, Xapian::Query(Xapian::Query::OP_FILTER,
                                Xapian::Query(Xapian::Query::OP_OR, title_terms.begin(), title_terms.end()),
                                Xapian::Query(std::string(prefix::kGivenTitle))));
      titles.set_weighting_scheme(Xapian::TfIdfWeight("nnn"));
      const Xapian::MSet in_titles = bounded_titles.get_mset(titles, 0, all, all);
      give_up_unless(!bounded_titles.cut() &&
                     in_titles.get_matches_lower_bound() == in_titles.get_matches_upper_bound());
      for (auto it = in_titles.begin(); it != in_titles.end(); ++it) {
        title_occurrences[*it] = kTitleWordOccurrences * static_cast<std::uint64_t>(std::llround(it.get_weight()));
      }
    }
    if (terms) {
      const Xapian::Query occurrences(Xapian::Query::OP_OR, terms->begin(), terms->end());
      bounded.set_query(
          enquire, Xapian::Query(Xapian::Query::OP_AND_MAYBE,
                                 Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, prepared.filtered(), 0), occurrences));
      enquire.set_weighting_scheme(Xapian::TfIdfWeight("nnn"));
    } else {
      bounded.set_query(enquire, prepared.filtered());
      enquire.set_weighting_scheme(ranking_weight());
    }
    // The best documents as a search ranks them, from a ranked page apart
    // when the counting match below is not ranked by relevance or is not
    // rescored.
    const bool top_apart = terms || prepared.rescoring;
    if (top_apart && request.top_k > 0) {
      const auto top_k = static_cast<Xapian::doccount>(std::min<std::size_t>(request.top_k, all));
      BoundedMatch bounded_ranking(budget, reader_.sharded());
      Xapian::Enquire ranking(reader_.database());
      bounded_ranking.set_query(ranking, prepared.filtered());
      ranking.set_weighting_scheme(ranking_weight());
      const Xapian::MSet first_pass = bounded_ranking.get_mset(
          ranking, 0, prepared.rescoring ? std::max(top_k, std::min(kRescoreWindow, all)) : top_k);
      give_up_unless(!bounded_ranking.cut());
      first_pass.fetch();  // over remote shards, the documents in one round trip
      RescoredPage best =
          prepared.rescoring ? rescore(prepared, first_pass, 0, top_k, /*collapse=*/false, budget) : RescoredPage{};
      give_up_unless(!best.cut);
      if (!prepared.rescoring) {
        for (auto it = first_pass.begin(); it != first_pass.end(); ++it) best.items.push_back(it);
      }
      for (const Xapian::MSetIterator& it : best.items) {
        give_up_unless(!budget.expired());
        const StoredDocument stored =
            StoredDocument::read(it.get_document(), reader_.schema(), reader_.dictionary(), /*with_text=*/true);
        result.top.push_back(make_hit(it, stored, prepared.bound.highlights, true));
      }
    }
    const Xapian::MSet mset = bounded.get_mset(enquire, 0, all, all);
    give_up_unless(!bounded.cut() && mset.get_matches_lower_bound() == mset.get_matches_upper_bound());
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      give_up_unless(!budget.expired());
      const std::vector<MatchSpan> matches =
          terms ? std::vector<MatchSpan>() : distinct_occurrences(find_matches(*it, prepared.bound.highlights));
      std::uint64_t occurrences = matches.size();
      if (terms) {
        const auto wdf = static_cast<std::uint64_t>(std::llround(it.get_weight()));
        const auto in_title = title_occurrences.find(*it);
        const std::uint64_t extra = in_title == title_occurrences.end() ? 0 : in_title->second;
        occurrences = wdf > extra ? wdf - extra : 0;
      }
      ++result.documents;
      result.occurrences += occurrences;
      for (std::size_t f = 0; f < fields.size(); ++f) {
        for (std::uint32_t ordinal : columns.ordinals(f, *it)) {
          ValueCount& tally = tallies[f][ordinal];
          ++tally.documents;
          tally.occurrences += occurrences;
        }
      }
      const bool in_top = !top_apart && result.top.size() < request.top_k;
      if (!in_top && !request.kwic) continue;
      const StoredDocument stored =
          StoredDocument::read(it.get_document(), reader_.schema(), reader_.dictionary(), /*with_text=*/true);
      if (in_top) result.top.push_back(make_hit(it, stored, prepared.bound.highlights, true));
      if (request.kwic) {
        std::vector<KwicLine> lines = build_kwic_lines(stored, matches, request.kwic_width);
        result.kwic.insert(result.kwic.end(), std::make_move_iterator(lines.begin()),
                           std::make_move_iterator(lines.end()));
      }
    }
    result.counts.clear();
    for (std::size_t f = 0; f < fields.size(); ++f) {
      FieldCounts counts{fields[f]->name, {}};
      for (std::uint32_t ordinal = 0; ordinal < tallies[f].size(); ++ordinal) {
        ValueCount& tally = tallies[f][ordinal];
        if (tally.documents == 0) continue;
        std::tie(tally.key, tally.value) = columns.value(f, ordinal);
        counts.values.push_back(std::move(tally));
      }
      std::sort(counts.values.begin(), counts.values.end(), [](const ValueCount& a, const ValueCount& b) {
        if (a.documents != b.documents) return a.documents > b.documents;
        if (a.occurrences != b.occurrences) return a.occurrences > b.occurrences;
        return a.value < b.value;
      });
      result.counts.push_back(std::move(counts));
    }
    result.trend = Trend{};
    if (const CorpusBaseline* baseline = corpus_baseline()) {
      result.trend = make_trend(baseline->years(), result.counts[*year_column_]);
    }
    return result;
  });
  if (request.mode == QueryMode::kSyntax) {
    counted.did_you_mean = suggest(request.query, request.filters, split, counted.documents, request.synonyms, budget);
    // A suggestion the budget left out would make the report depend on
    // timing.
    give_up_unless(!budget.spent());
  }
  return counted;
}

}  // namespace policy
