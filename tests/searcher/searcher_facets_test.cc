// The Searcher's facets (searcher.h). On a generated JSONL corpus, for many
// queries and filters, the year and organisation counts equal counts
// computed directly from the metadata of the matching documents; filtered
// fields get multi-select counts. Across commits by IndexWriter (the river
// index), a searcher's facet table counts as one opened afresh would.

#include <map>
#include <optional>
#include <random>
#include <set>

#include <gtest/gtest.h>

#include "core/index_layout.h"

#include "indexer/document_reader.h"
#include "indexer/index_writer.h"

#include "searcher/searcher.h"

#include "tests/support/test_support.h"

namespace policy {
namespace {

// Organisation values as a sidecar would give them: canonical gazetteer
// names (so their display is the same text) and names the gazetteer does not
// know (kept as given).
const std::vector<std::string> kOrganisations = {
    "ASEAN Secretariat", "Asian Development Bank", "U.S. Environmental Protection Agency",
    "World Bank",        "Foo Institute",          "Bar Council of Somewhere"};
// Lower-case words only: the text itself names no organisation, so the
// organisation facet comes from metadata alone.
const std::vector<std::string> kWords = {"river",  "coast",  "forest", "budget",  "survey", "treaty",
                                         "market", "school", "energy", "harbour", "city",   "farm"};

struct Generated {
  std::map<std::string, int> year;                                // id -> year (absent: none)
  std::map<std::string, std::vector<std::string>> organisations;  // id -> names
};

class FacetsTest : public ::testing::Test {
 protected:
  // Writes a JSONL corpus with year and organisation metadata and indexes it
  // through the reader, as policy-index would.
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(testing::make_temp_dir("facets"));
    generated_ = new Generated;
    std::mt19937 random(20261123);
    std::string jsonl;
    for (int i = 0; i < 400; ++i) {
      nlohmann::json line;
      const std::string id = "doc-" + std::to_string(i);
      line["id"] = id;
      std::string text;
      for (int w = 0; w < 12; ++w) text += kWords[random() % kWords.size()] + " ";
      line["text"] = text;
      if (random() % 10 != 0) {  // some documents have no year
        const int year = 2005 + static_cast<int>(random() % 16);
        line["year"] = year;
        generated_->year[id] = year;
      }
      std::set<std::string> orgs;
      for (unsigned n = random() % 3; n > 0; --n) orgs.insert(kOrganisations[random() % kOrganisations.size()]);
      if (orgs.size() == 1 && random() % 2 == 0) {
        line["organisation"] = *orgs.begin();  // a plain string, as often given
      } else if (!orgs.empty()) {
        line["organisation"] = std::vector<std::string>(orgs.begin(), orgs.end());
      }
      generated_->organisations[id] = std::vector<std::string>(orgs.begin(), orgs.end());
      jsonl += line.dump() + "\n";
    }
    testing::write_file(*dir_ / "corpus.jsonl", jsonl);

    const Schema schema = Schema::load(testing::source_path("schemas"));
    Analyzer analyzer;
    IndexWriter writer((*dir_ / "idx").string(), analyzer, schema, {});
    DocumentReader reader({}, [](Diagnostic&& d) { ADD_FAILURE() << d.to_string(); });
    for (const InputFile& input : reader.list_inputs({*dir_ / "corpus.jsonl"})) {
      reader.read(input, [&](SourceDocument&& doc) { writer.add(doc); });
    }
    writer.commit();
    ASSERT_EQ(writer.document_count(), 400u);
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete generated_;
  }

  static SearchResults search(const std::string& query, std::vector<std::string> filters = {}, bool exact = true) {
    Searcher searcher((*dir_ / "idx").string());
    SearchRequest request;
    request.query = query;
    request.limit = 0;
    request.snippets = false;
    request.filters = std::move(filters);
    request.facets = true;
    request.facet_limit = 1000;
    request.exact = exact;
    return searcher.search(request);
  }

  static std::map<std::string, std::uint64_t> facet(const SearchResults& r, const std::string& field) {
    std::map<std::string, std::uint64_t> counts;
    for (const FacetResult& f : r.facets) {
      if (f.field != field) continue;
      EXPECT_TRUE(f.exact);
      EXPECT_EQ(f.more, 0u);
      for (const FacetValue& v : f.values) counts[v.value] = v.count;
    }
    return counts;
  }

  // Counts straight from the generated metadata of the hits.
  static std::map<std::string, std::uint64_t> expected_years(const SearchResults& r) {
    std::map<std::string, std::uint64_t> counts;
    for (const SearchHit& h : r.hits) {
      if (auto it = generated_->year.find(h.id); it != generated_->year.end()) ++counts[std::to_string(it->second)];
    }
    return counts;
  }
  static std::map<std::string, std::uint64_t> expected_organisations(const SearchResults& r) {
    std::map<std::string, std::uint64_t> counts;
    for (const SearchHit& h : r.hits) {
      for (const std::string& org : generated_->organisations.at(h.id)) ++counts[org];
    }
    return counts;
  }

  static std::filesystem::path* dir_;
  static Generated* generated_;
};

std::filesystem::path* FacetsTest::dir_ = nullptr;
Generated* FacetsTest::generated_ = nullptr;

TEST_F(FacetsTest, CountsEqualMetadataOfTheMatchesForManyQueries) {
  std::vector<std::string> queries;
  for (std::size_t i = 0; i < kWords.size(); ++i) {
    queries.push_back(kWords[i]);
    queries.push_back(kWords[i] + " " + kWords[(i + 1) % kWords.size()]);
    queries.push_back(kWords[i] + " OR " + kWords[(i + 5) % kWords.size()]);
    queries.push_back(kWords[i] + " -" + kWords[(i + 3) % kWords.size()]);
    queries.push_back("\"" + kWords[i] + " " + kWords[(i + 2) % kWords.size()] + "\"");
  }
  queries.push_back("year:2010..2014 river");
  queries.push_back("org:\"World Bank\" forest");
  for (const std::string& q : queries) {
    SCOPED_TRACE(q);
    const SearchResults r = search(q);
    ASSERT_TRUE(r.total_exact);
    ASSERT_EQ(r.total, r.hits.size());
    if (r.active_filters.empty()) {
      EXPECT_EQ(facet(r, "year"), expected_years(r));
      EXPECT_EQ(facet(r, "organisation"), expected_organisations(r));
    }
  }
}

// A page of 10 gets its total and facets from the match sets (match_set.h;
// phrases through an unweighted match); they are those of the whole match
// list, which the matcher returns for limit 0 (for a filtered field: of the
// list without that field's filters), and a page is that list's slice.
// (MatchSetTest checks the sets against Xapian's matcher directly.)
TEST_F(FacetsTest, APageCountsWhatTheWholeMatchListHolds) {
  struct Case {
    std::string query;
    std::vector<std::string> filters;
  };
  std::vector<Case> cases;
  for (std::size_t i = 0; i < kWords.size(); ++i) {
    cases.push_back({kWords[i], {}});
    cases.push_back({kWords[i] + " -" + kWords[(i + 3) % kWords.size()], {}});
    cases.push_back({kWords[i] + " OR " + kWords[(i + 5) % kWords.size()], {"year:2008..2015"}});
    cases.push_back({"\"" + kWords[i] + " " + kWords[(i + 2) % kWords.size()] + "\"", {}});
  }
  cases.push_back({"ri* OR co*", {}});
  cases.push_back({"-river", {}});
  cases.push_back({"", {"org:\"World Bank\""}});
  cases.push_back({"forest", {"org:\"World Bank\"", "org:\"Foo Institute\"", "year:2010..2016"}});
  cases.push_back({"\"river coast\"", {"org:\"World Bank\"", "year:2008..2012"}});  // a positional set, filtered
  Searcher searcher((*dir_ / "idx").string());
  for (const Case& c : cases) {
    SCOPED_TRACE(c.query);
    SearchRequest request;
    request.query = c.query;
    request.filters = c.filters;
    request.snippets = false;
    request.facets = true;
    request.facet_limit = 1000;
    request.limit = 0;
    const SearchResults whole = searcher.search(request);
    request.limit = 10;
    const SearchResults page = searcher.search(request);
    EXPECT_TRUE(page.total_exact);
    EXPECT_EQ(page.total, whole.hits.size());
    ASSERT_EQ(page.hits.size(), std::min<std::size_t>(10, whole.hits.size()));
    for (std::size_t i = 0; i < page.hits.size(); ++i) EXPECT_EQ(page.hits[i].id, whole.hits[i].id) << i;
    // Each field's counts from the metadata of the whole match list, run
    // without that field's own filters (multi-select).
    for (const std::string& field : {std::string("year"), std::string("organisation")}) {
      SCOPED_TRACE(field);
      SearchRequest unfiltered_field = request;
      unfiltered_field.limit = 0;
      unfiltered_field.filters.clear();
      const std::string own = field == "year" ? "year:" : "org:";
      for (const std::string& filter : c.filters) {
        if (!filter.starts_with(own)) unfiltered_field.filters.push_back(filter);
      }
      // Nothing left: every document, as a purely negative query.
      if (unfiltered_field.query.empty() && unfiltered_field.filters.empty()) unfiltered_field.query = "-nosuchword";
      const SearchResults list = searcher.search(unfiltered_field);
      EXPECT_EQ(facet(page, field), field == "year" ? expected_years(list) : expected_organisations(list));
    }
    // A later page is the same slice of the whole list.
    request.offset = 5;
    const SearchResults later = searcher.search(request);
    EXPECT_EQ(later.total, whole.hits.size());
    for (std::size_t i = 0; i < later.hits.size(); ++i) EXPECT_EQ(later.hits[i].id, whole.hits[5 + i].id) << i;
    EXPECT_EQ(later.hits.size(), std::min<std::size_t>(10, whole.hits.size() > 5 ? whole.hits.size() - 5 : 0));
  }
}

TEST_F(FacetsTest, FiltersNarrowAndFilteredFieldsCountWithoutTheirOwnFilter) {
  const SearchResults unfiltered = search("river");
  const SearchResults filtered = search("river", {"year:2010..2012", "org:\"World Bank\"", "org:\"Foo Institute\""});
  // Every hit satisfies the filters: year in range AND (World Bank OR Foo Institute).
  for (const SearchHit& h : filtered.hits) {
    SCOPED_TRACE(h.id);
    const int year = generated_->year.at(h.id);
    EXPECT_TRUE(year >= 2010 && year <= 2012);
    const auto& orgs = generated_->organisations.at(h.id);
    EXPECT_TRUE(
        std::count(orgs.begin(), orgs.end(), "World Bank") + std::count(orgs.begin(), orgs.end(), "Foo Institute") > 0);
  }
  // And every unfiltered hit that satisfies them is there.
  std::size_t satisfying = 0;
  for (const SearchHit& h : unfiltered.hits) {
    auto year = generated_->year.find(h.id);
    const auto& orgs = generated_->organisations.at(h.id);
    const bool org_ok =
        std::count(orgs.begin(), orgs.end(), "World Bank") + std::count(orgs.begin(), orgs.end(), "Foo Institute") > 0;
    if (year != generated_->year.end() && year->second >= 2010 && year->second <= 2012 && org_ok) ++satisfying;
  }
  EXPECT_EQ(filtered.total, satisfying);

  // Multi-select: the year facet is counted with the organisation filter
  // only, the organisation facet with the year filter only.
  const SearchResults org_only = search("river", {"org:\"World Bank\"", "org:\"Foo Institute\""});
  const SearchResults year_only = search("river", {"year:2010..2012"});
  EXPECT_EQ(facet(filtered, "year"), expected_years(org_only));
  EXPECT_EQ(facet(filtered, "organisation"), expected_organisations(year_only));
}

TEST_F(FacetsTest, FastModeSaysItIsNotExact) {
  Searcher searcher((*dir_ / "idx").string());
  SearchRequest request;
  request.query = "river OR coast";
  request.limit = 5;
  request.facets = true;
  request.exact = false;
  const SearchResults r = searcher.search(request);
  ASSERT_FALSE(r.facets.empty());
  // Xapian stops early on a disjunction once the page is full and no later
  // document can enter it: the total becomes an estimate, and so do facets.
  EXPECT_FALSE(r.total_exact);
  for (const FacetResult& f : r.facets) EXPECT_EQ(f.exact, r.total_exact) << f.field;
}

TEST_F(FacetsTest, YearFacetHasAHistogramAndLimitCountsTheRest) {
  Searcher searcher((*dir_ / "idx").string());
  SearchRequest request;
  request.query = "river OR coast OR forest";
  request.limit = 1;
  request.facets = true;
  request.facet_limit = 3;
  const SearchResults r = searcher.search(request);
  for (const FacetResult& f : r.facets) {
    if (f.field != "year") continue;
    ASSERT_EQ(f.values.size(), 3u);
    EXPECT_EQ(f.more, f.histogram.size() - 3);
    EXPECT_GE(f.values[0].count, f.values[1].count);
    for (std::size_t i = 1; i < f.histogram.size(); ++i) EXPECT_LT(f.histogram[i - 1].key, f.histogram[i].key);
    EXPECT_TRUE(f.decades.empty());  // 2005-2020 spans less than kDecadeSpan
  }
}

// Over more docids than one thread counts alone (match_set.cc shares from
// 4,096), a phrase or NEAR is counted on several threads, each with its own
// database handle, and other queries are ranked on a helper's thread while
// the count runs; the results are those of one thread, also while a commit
// has rewritten documents that the searcher has not yet seen, and after it
// refreshes.
TEST(CountingThreadsTest, SameResultsOnOneOrSeveralThreads) {
  const std::filesystem::path dir = testing::make_temp_dir("counting-threads");
  const std::string index = (dir / "idx").string();
  const Schema schema = Schema::load(testing::source_path("schemas"));
  Analyzer analyzer;
  std::mt19937 random(20261202);
  // Documents doc-FIRST.. with random text: new ones, or new texts for
  // those already there.
  const auto add_documents = [&](int first, int count) {
    std::string jsonl;
    for (int i = first; i < first + count; ++i) {
      nlohmann::json line;
      line["id"] = "doc-" + std::to_string(i);
      std::string text;
      for (int w = 0; w < 8; ++w) text += kWords[random() % kWords.size()] + " ";
      line["text"] = text;
      line["year"] = 2005 + static_cast<int>(random() % 16);
      line["organisation"] = kOrganisations[random() % kOrganisations.size()];
      jsonl += line.dump() + "\n";
    }
    const std::filesystem::path file = dir / ("part-" + std::to_string(first) + ".jsonl");
    testing::write_file(file, jsonl);
    IndexWriter writer(index, analyzer, schema, {});
    DocumentReader reader({}, [](Diagnostic&& d) { ADD_FAILURE() << d.to_string(); });
    for (const InputFile& input : reader.list_inputs({file})) {
      reader.read(input, [&](SourceDocument&& doc) { writer.add(doc); });
    }
    writer.commit();
  };
  add_documents(0, 5000);

  SearcherOptions one_thread;
  one_thread.counting_threads = 1;
  SearcherOptions three_threads;
  three_threads.counting_threads = 3;
  Searcher shared(index, three_threads);
  const auto expect_same = [](Searcher& a, Searcher& b, const std::string& query) {
    SCOPED_TRACE(query);
    SearchRequest request;
    request.query = query;
    request.limit = 20;
    request.snippets = false;
    request.facets = true;
    request.facet_limit = 1000;
    const SearchResults x = a.search(request);
    const SearchResults y = b.search(request);
    EXPECT_GT(x.total, 10u);
    EXPECT_EQ(x.total, y.total);
    ASSERT_EQ(x.hits.size(), y.hits.size());
    for (std::size_t i = 0; i < x.hits.size(); ++i) {
      EXPECT_EQ(x.hits[i].id, y.hits[i].id) << i;
      EXPECT_EQ(x.hits[i].score, y.hits[i].score) << i;
    }
    ASSERT_EQ(x.facets.size(), y.facets.size());
    for (std::size_t f = 0; f < x.facets.size(); ++f) {
      ASSERT_EQ(x.facets[f].values.size(), y.facets[f].values.size()) << x.facets[f].field;
      for (std::size_t v = 0; v < x.facets[f].values.size(); ++v) {
        EXPECT_EQ(x.facets[f].values[v].value, y.facets[f].values[v].value);
        EXPECT_EQ(x.facets[f].values[v].count, y.facets[f].values[v].count);
      }
    }
  };
  // Positional queries, counted on several threads, and others, ranked on
  // a helper's thread while this one counts.
  const std::vector<std::string> queries = {
      "\"river coast\"", "forest NEAR/2 budget",       "\"city farm\" year:2010..2015", "market -\"school energy\"",
      "river",           "(forest OR budget) -market", "city year:2010..2015"};
  {
    Searcher alone(index, one_thread);
    for (const std::string& q : queries) expect_same(alone, shared, q);
  }
  // A commit that `shared` has not seen, rewriting documents in the upper
  // docids, which helper threads count: they must count the revision
  // `shared` reads, as a one-thread searcher opened before the commit does.
  // `unopened` opens its helper handles only after the commit, at the new
  // revision, which it must not use.
  Searcher before_commit(index, one_thread);
  Searcher unopened(index, three_threads);
  add_documents(4000, 1000);
  for (const std::string& q : queries) {
    expect_same(before_commit, shared, q);
    expect_same(before_commit, unopened, q);
  }
  shared.refresh();
  {
    Searcher alone(index, one_thread);
    for (const std::string& q : queries) expect_same(alone, shared, q);
  }
  std::filesystem::remove_all(dir);
}

// A document "river survey ID" of one year.
SourceDocument river_document(const std::string& id, int year) {
  SourceDocument doc;
  doc.id = id;
  doc.source = id;
  doc.text = "river survey " + id;
  doc.metadata = {{"year", year}};
  return doc;
}

// A new index beside the repository's schema, written through IndexWriter;
// removed with the object (after any Searcher declared later).
struct RiverIndex {
  RiverIndex()
      : dir(testing::make_temp_dir("facet-columns")),
        path((dir / "idx").string()),
        schema(Schema::load(testing::source_path("schemas"))) {}
  ~RiverIndex() { std::filesystem::remove_all(dir); }
  // One writer run adding river_document(id, year) for each pair, in order.
  void add(const std::vector<std::pair<std::string, int>>& documents) {
    IndexWriter writer(path, analyzer, schema, {});
    for (const auto& [id, year] : documents) writer.add(river_document(id, year));
    writer.commit();
  }
  std::filesystem::path dir;
  std::string path;
  Schema schema;
  Analyzer analyzer;
};

// The last rewriting commit that metadata_key::kRewrites names, if the
// last commit wrote it.
std::optional<std::string> last_rewrite(const Xapian::Database& db) {
  return last_rewrite_of(db.get_metadata(metadata_key::kRewrites), db.get_metadata(metadata_key::kBuildId));
}

// The year facet of the query "river".
std::map<std::string, std::uint64_t> river_year_counts(Searcher& searcher) {
  SearchRequest request;
  request.query = "river";
  request.facets = true;
  std::map<std::string, std::uint64_t> counts;
  for (const FacetResult& facet : searcher.search(request).facets) {
    if (facet.field != "year") continue;
    for (const FacetValue& v : facet.values) counts[v.key] = v.count;
  }
  return counts;
}

// A writer whose metadata says its commit only added documents when it also
// took the year from an old one: the searcher's table disagrees with the
// slot counts and is read again, so the counts stay those of a searcher
// opened afresh. (A deleted document, never a member of a match set, is
// counted right even by a table that still holds it.)
TEST(FacetColumnsTest, SearcherRereadsATableThatDisagreesWithTheSlotCounts) {
  RiverIndex river;
  const std::string& index = river.path;
  river.add({{"a", 2010}, {"b", 2011}});
  Searcher searcher(index);
  EXPECT_EQ(river_year_counts(searcher), (std::map<std::string, std::uint64_t>{{"2010", 1}, {"2011", 1}}));
  {
    Xapian::WritableDatabase liar(index, Xapian::DB_OPEN);
    const std::optional<std::string> rewrite = last_rewrite(liar);
    ASSERT_TRUE(rewrite);
    const Xapian::docid did = *liar.postlist_begin(std::string(prefix::kId) + "b");
    Xapian::Document doc = liar.get_document(did);
    doc.remove_value(*river.schema.field("year")->slot);
    liar.replace_document(did, doc);
    const std::string build_id = "00000000000000fe";
    liar.set_metadata(metadata_key::kBuildId, build_id);
    liar.set_metadata(metadata_key::kRewrites, rewrites_value(*rewrite, build_id));
    liar.commit();
  }
  ASSERT_TRUE(searcher.refresh());
  ASSERT_EQ(last_rewrite(searcher.database()), last_rewrite(Xapian::Database(index))) << "the forged value is trusted";
  EXPECT_EQ(river_year_counts(searcher), (std::map<std::string, std::uint64_t>{{"2010", 1}}));
}

// The searcher's facets after each refresh equal those of a searcher opened
// afresh, whether the commits only added documents (read incrementally) or
// replaced and deleted some (metadata_key::kRewrites moves on, the table is
// read again), including an id given twice in one run and a deletion by an
// older writer that leaves kRewrites behind.
TEST(FacetColumnsTest, SearcherAfterCommitsCountsLikeAFreshOne) {
  RiverIndex river;
  const std::string& index = river.path;
  const Schema& schema = river.schema;
  Analyzer& analyzer = river.analyzer;
  struct Step {
    std::string what;
    std::vector<std::pair<std::string, int>> added;       // (id, year), in order
    std::optional<std::unordered_set<std::string>> keep;  // prune() to these ids
    bool rewrites;                                        // whether the last rewrite (metadata_key::kRewrites) moves on
  };
  const std::vector<Step> steps = {
      {"new documents", {{"c", 2012}, {"d", 2013}}, std::nullopt, false},
      {"a replaced document", {{"a", 2011}}, std::nullopt, true},
      {"an id given twice in one run", {{"e", 2014}, {"e", 2015}}, std::nullopt, true},
      {"new documents again", {{"f", 2016}}, std::nullopt, false},
      {"a deleted document", {}, std::unordered_set<std::string>{"a", "b", "c", "e", "f"}, true},
      {"an unchanged document", {{"f", 2016}}, std::nullopt, false},
  };
  river.add({{"a", 2010}, {"b", 2010}});
  Searcher searcher(index);
  EXPECT_EQ(river_year_counts(searcher), (std::map<std::string, std::uint64_t>{{"2010", 2}}));
  for (const Step& step : steps) {
    SCOPED_TRACE(step.what);
    const std::optional<std::string> rewrite_before = last_rewrite(searcher.database());
    ASSERT_TRUE(rewrite_before);
    {
      IndexWriter writer(index, analyzer, schema, {});
      for (const auto& [id, year] : step.added) writer.add(river_document(id, year));
      if (step.keep) writer.prune(*step.keep);
      writer.commit();
    }
    searcher.refresh();
    Searcher fresh(index);
    EXPECT_EQ(river_year_counts(searcher), river_year_counts(fresh));
    EXPECT_EQ(last_rewrite(searcher.database()) != rewrite_before, step.rewrites);
  }
  // An older policy-index, which keeps no kRewrites, moves document "c"
  // from 2012 to 2019 in place: it commits a new build id and leaves
  // kRewrites as it was, which the searcher must then not trust.
  {
    Xapian::WritableDatabase older(index, Xapian::DB_OPEN);
    const std::string id_term = std::string(prefix::kId) + "c";
    const Xapian::docid did = *older.postlist_begin(id_term);
    Xapian::Document doc = older.get_document(did);
    const FieldSpec& year = *schema.field("year");
    doc.add_value(*year.slot, encode_field_values(schema, year, {{"2019", "2019"}}));
    older.replace_document(did, doc);
    older.set_metadata(metadata_key::kBuildId, "00000000000000ff");
    older.commit();
  }
  searcher.refresh();
  EXPECT_FALSE(last_rewrite(searcher.database()));
  {
    Searcher fresh(index);
    EXPECT_EQ(river_year_counts(searcher), river_year_counts(fresh));
  }
  // A writer that keeps it counts its first commit as a rewrite.
  river.add({{"g", 2017}});
  searcher.refresh();
  EXPECT_TRUE(last_rewrite(searcher.database()));
  Searcher fresh(index);
  EXPECT_EQ(river_year_counts(searcher), river_year_counts(fresh));
}

// The searcher keeps one table per revision: after a commit and a refresh,
// facets count the new documents; a document replaced with another year
// moves between years.
TEST(FacetColumnsTest, SearcherCountsTheRevisionItHasOpen) {
  RiverIndex river;
  river.add({{"one", 2010}, {"two", 2010}});
  Searcher searcher(river.path);
  EXPECT_EQ(river_year_counts(searcher), (std::map<std::string, std::uint64_t>{{"2010", 2}}));
  river.add({{"three", 2012}, {"two", 2011}});  // "two" replaced
  EXPECT_EQ(river_year_counts(searcher), (std::map<std::string, std::uint64_t>{{"2010", 2}}))
      << "without a refresh the searcher stays on its revision";
  EXPECT_TRUE(searcher.refresh());
  EXPECT_EQ(river_year_counts(searcher), (std::map<std::string, std::uint64_t>{{"2010", 1}, {"2011", 1}, {"2012", 1}}));
}

// Searchers sharing one facet table (a server's pool) each count the
// revision they have open, whichever of them read the table: a table
// extended for a newer revision is a copy, and the searcher still on the
// older one counts as before.
TEST(FacetColumnsTest, SearchersSharingATableCountTheRevisionEachHasOpen) {
  using Counts = std::map<std::string, std::uint64_t>;
  RiverIndex river;
  river.add({{"one", 2010}, {"two", 2010}});
  SearcherOptions options;
  options.shared_facets = std::make_shared<SharedFacetTable>();
  Searcher first(river.path, options);
  Searcher second(river.path, options);
  const Counts before = {{"2010", 2}};
  EXPECT_EQ(river_year_counts(first), before);
  EXPECT_EQ(river_year_counts(second), before);

  river.add({{"three", 2012}});  // only added: the table is extended
  ASSERT_TRUE(second.refresh());
  const Counts added = {{"2010", 2}, {"2012", 1}};
  EXPECT_EQ(river_year_counts(second), added);
  EXPECT_EQ(river_year_counts(first), before) << "a searcher not refreshed counts its own revision";

  river.add({{"two", 2011}});  // replaced: the table is read again
  ASSERT_TRUE(first.refresh());
  const Counts replaced = {{"2010", 1}, {"2011", 1}, {"2012", 1}};
  EXPECT_EQ(river_year_counts(first), replaced);
  EXPECT_EQ(river_year_counts(second), added);
  ASSERT_TRUE(second.refresh());
  EXPECT_EQ(river_year_counts(second), replaced);
}

}  // namespace
}  // namespace policy
