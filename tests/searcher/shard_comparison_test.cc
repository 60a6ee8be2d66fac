// One corpus indexed as one database and as 2 and 3 shards (policy-index
// --shards: ShardedIndexWriter), searched through the shards' stub on disk
// and through a stub listing the same shards served by xapian-tcpsrv on
// loopback ports: every answer must be the one the single index gives (over
// remote shards, which weigh phrases and NEAR as Xapian does, the one it
// gives with SearcherOptions::rescore_phrases off), for
// hundreds of generated requests (words, acronyms widened to names,
// phrases, NEAR, wildcards, fuzzy words, boolean operators, filters, sort
// orders, offsets, collapsing), for counts, concordances and trends, and
// for document views.
//
// Where several results tie (equal score, and equal sort key), Xapian
// orders them by docid, and docids differ between layouts: within a tie
// the results are compared as sets, and a tie cut by the page's edge must
// hold results that tie in the single index's whole list.

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/analyzer.h"
#include "core/field_schema.h"
#include "core/index_shards.h"

#include "indexer/index_writer.h"
#include "indexer/sharded_index_writer.h"

#include "searcher/result_rendering.h"
#include "searcher/searcher.h"

#include "tests/support/shard_servers.h"
#include "tests/support/test_support.h"

namespace policy {
namespace {

const std::vector<std::string> kOrganisations = {"EPA",
                                                 "U.S. Environmental Protection Agency",
                                                 "Ministry of Environmental Protection",
                                                 "ASEAN",
                                                 "National Development and Reform Commission",
                                                 "USAID",
                                                 "Ministry of Ecology and Environment",
                                                 "ASEAN Secretariat"};
const std::vector<std::string> kTopics = {
    "climate change adaptation", "biodiversity conservation",  "capacity building", "air quality monitoring",
    "clean energy investment",   "marine pollution control",   "green development", "environmental education",
    "sustainable cities",        "water resources management", "chemical safety",   "public awareness"};
const std::vector<std::string> kVerbs = {"supports",    "reviewed",     "funded",    "launched",
                                         "coordinates", "strengthened", "evaluated", "promotes"};
const std::vector<std::string> kFillers = {"regional", "national", "joint", "annual", "technical",
                                           "pilot",    "longer",   "cross", "local",  "bilateral"};

template <typename T>
const T& pick(std::mt19937& random, const std::vector<T>& from) {
  return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(random)];
}

std::string sentence(std::mt19937& random) {
  std::string s = pick(random, kOrganisations) + " " + pick(random, kVerbs) + " " + pick(random, kFillers) + " " +
                  pick(random, kTopics);
  if (random() % 3 == 0) s += " with " + pick(random, kOrganisations);
  if (random() % 4 == 0) s += " in " + std::to_string(2000 + random() % 20);
  return s + ".";
}

// 240 documents: lines of two or three generated sentences; a year for
// most, a publisher for every third; every twentieth a near-duplicate of
// an earlier one (its text and one more line), so that groups form across
// shards; every ninth without a title (one is derived).
std::vector<SourceDocument> generate_corpus() {
  std::mt19937 random(20261205);
  std::vector<SourceDocument> docs;
  for (int i = 0; i < 240; ++i) {
    SourceDocument doc;
    char id[16];
    std::snprintf(id, sizeof id, "doc-%03d", i);
    doc.id = id;
    doc.source = "generated/" + doc.id;
    if (i % 9 != 4) doc.title = pick(random, kTopics) + " report " + std::to_string(i);
    if (i % 10 != 7) doc.metadata["year"] = 2005 + (i * 7) % 16;
    if (i % 3 == 0) doc.metadata["organisation"] = pick(random, kOrganisations);
    doc.metadata["language"] = "en";
    if (i % 20 == 19) {
      doc.text = docs[static_cast<std::size_t>(i - 7)].text + sentence(random) + " " + sentence(random) + "\n";
    } else {
      const int lines = std::uniform_int_distribution<int>(3, 30)(random);
      for (int l = 0; l < lines; ++l) {
        doc.text += sentence(random) + " " + sentence(random);
        if (random() % 2 == 0) doc.text += " " + sentence(random);
        doc.text += "\n";
      }
    }
    docs.push_back(std::move(doc));
  }
  return docs;
}

// A request of the shapes analysts send.
SearchRequest generate_request(std::mt19937& random, const std::vector<SourceDocument>& docs) {
  SearchRequest request;
  const auto word_of = [&](const std::string& topic) {
    std::vector<std::string> words;
    std::size_t start = 0;
    while (start < topic.size()) {
      const std::size_t end = std::min(topic.find(' ', start), topic.size());
      words.push_back(topic.substr(start, end - start));
      start = end + 1;
    }
    return words;
  };
  const std::vector<std::string> topic_words = word_of(pick(random, kTopics));
  const std::string word = pick(random, topic_words);
  switch (random() % 14) {
    case 0:
      request.query = word;
      break;
    case 1:
      request.query = "\"" + pick(random, kTopics) + "\"";
      break;
    case 2:
      request.query = pick(random, kOrganisations) == "EPA" ? "EPA" : "\"" + pick(random, kOrganisations) + "\"";
      break;
    case 3:
      request.query = word + " NEAR/4 " + pick(random, kVerbs);
      break;
    case 4:
      request.query = word.substr(0, 3) + "*";
      break;
    case 5:
      request.query = word + " OR " + pick(random, kFillers);
      break;
    case 6:
      request.query = word + " -" + pick(random, kFillers);
      break;
    case 7:
      request.query = pick(random, kVerbs) + " AND " + word;
      break;
    case 8:
      request.query = word + "~1";
      break;
    case 9: {
      // A misspelling, for the suggestion.
      std::string typo = word;
      if (typo.size() > 4) typo.erase(2, 1);
      request.query = typo;
      break;
    }
    case 10: {
      // Three words of a document, quoted.
      const SourceDocument& doc = pick(random, docs);
      const std::size_t at = std::uniform_int_distribution<std::size_t>(0, doc.text.size() / 2)(random);
      const std::size_t begin = doc.text.find(' ', at) + 1;
      std::size_t end = begin;
      for (int w = 0; w < 3 && end != std::string::npos; ++w) end = doc.text.find(' ', end + 1);
      std::string phrase = doc.text.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
      std::replace_if(
          phrase.begin(), phrase.end(), [](char c) { return c == '"' || c == '\n'; }, ' ');
      request.query = "\"" + phrase + "\"";
      break;
    }
    case 11:
      request.query = "";
      request.filters.push_back("year:2008..2013");
      break;
    case 12:
      request.query = word + " org:EPA";
      break;
    default:
      request.query = pick(random, kVerbs) + " " + word;
      break;
  }
  switch (random() % 6) {
    case 0:
      request.filters.push_back("year:" + std::to_string(2005 + random() % 16));
      break;
    case 1:
      request.filters.push_back("publisher:" + std::string(random() % 2 ? "EPA" : "ASEAN"));
      break;
    case 2:
      request.filters.push_back("area:\"Climate change\"");
      break;
    default:
      break;
  }
  const std::size_t offsets[] = {0, 0, 0, 3, 10};
  request.offset = offsets[random() % 5];
  const std::size_t limits[] = {5, 10, 10, 0};
  request.limit = limits[random() % 4];
  const ResultOrder orders[] = {ResultOrder::kRelevance, ResultOrder::kRelevance, ResultOrder::kRelevance,
                                ResultOrder::kOldest,    ResultOrder::kNewest,    ResultOrder::kTitle};
  request.order = orders[random() % 6];
  request.collapse = random() % 2 == 0;
  // Without facets, remote shards count the total on the shards
  // (Searcher::count_matches).
  request.facets = random() % 3 != 0;
  request.facet_limit = random() % 2 ? 5 : 50;
  return request;
}

std::string describe(const SearchRequest& r) {
  std::string text = "query '" + r.query + "'";
  for (const std::string& f : r.filters) text += " filter '" + f + "'";
  return text + " offset " + std::to_string(r.offset) + " limit " + std::to_string(r.limit) + " sort " +
         std::string(result_order_name(r.order)) + (r.collapse ? " collapsed" : "");
}

// What identifies a result: its document, or with collapsing its group
// (any member may stand for a group when they tie).
std::string identity(const nlohmann::json& hit, bool collapse) {
  if (collapse && hit.contains("duplicates")) return "group " + hit["duplicates"]["group"].get<std::string>();
  return hit["id"].get<std::string>();
}

// Results that only docids may order: equal scores and equal sort keys.
std::string tie_key(const nlohmann::json& hit, ResultOrder order) {
  char score[32];
  std::snprintf(score, sizeof score, "%.9g", hit["score"].get<double>());
  std::string key = score;
  if (order == ResultOrder::kOldest || order == ResultOrder::kNewest)
    key += " " + hit["fields"].value("year", nlohmann::json()).dump();
  if (order == ResultOrder::kTitle) key += " " + hit["title"].get<std::string>();
  return key;
}

nlohmann::json without(nlohmann::json object, std::initializer_list<const char*> keys) {
  for (const char* key : keys) object.erase(key);
  return object;
}

// `got` against `want` (the single index's page) and `want_all` (its
// whole list, for ties cut by the page's edge).
void expect_same_results(const SearchRequest& request, const SearchResults& want_results,
                         const SearchResults& got_results, const SearchResults& want_all_results) {
  const IndexInfo no_index;
  const nlohmann::json want = results_to_json(want_results, no_index);
  const nlohmann::json got = results_to_json(got_results, no_index);
  EXPECT_EQ(without(got, {"results", "elapsed_ms", "index"}), without(want, {"results", "elapsed_ms", "index"}));
  const nlohmann::json& want_hits = want["results"];
  const nlohmann::json& got_hits = got["results"];
  ASSERT_EQ(got_hits.size(), want_hits.size());
  const nlohmann::json want_all = results_to_json(want_all_results, no_index)["results"];
  const bool collapse = request.collapse;
  const std::size_t shown_total = collapse ? want_results.groups : want_results.total;
  for (std::size_t i = 0; i < want_hits.size();) {
    const std::string key = tie_key(want_hits[i], request.order);
    std::size_t j = i;
    while (j < want_hits.size() && tie_key(want_hits[j], request.order) == key) ++j;
    std::multiset<std::string> want_ids, got_ids;
    for (std::size_t k = i; k < j; ++k) {
      want_ids.insert(identity(want_hits[k], collapse));
      got_ids.insert(identity(got_hits[k], collapse));
      EXPECT_NEAR(got_hits[k]["score"].get<double>(), want_hits[k]["score"].get<double>(),
                  1e-9 * std::max(1.0, std::fabs(want_hits[k]["score"].get<double>())));
    }
    const bool cut = (i == 0 && request.offset > 0) || (j == want_hits.size() && request.offset + j < shown_total);
    if (!cut) {
      EXPECT_EQ(got_ids, want_ids) << "results " << i + 1 << ".." << j;
    } else {
      std::set<std::string> tied;
      for (const nlohmann::json& hit : want_all) {
        if (tie_key(hit, request.order) == key) tied.insert(identity(hit, collapse));
      }
      for (const std::string& id : got_ids) EXPECT_TRUE(tied.contains(id)) << id << " does not tie at " << key;
    }
    i = j;
  }
  // Each result both pages hold: the same record, snippets and group.
  std::map<std::string, const nlohmann::json*> want_by_id;
  for (const nlohmann::json& hit : want_hits) want_by_id[hit["id"].get<std::string>()] = &hit;
  for (const nlohmann::json& hit : got_hits) {
    const auto found = want_by_id.find(hit["id"].get<std::string>());
    if (found == want_by_id.end()) continue;
    EXPECT_EQ(without(hit, {"rank", "score"}), without(*found->second, {"rank", "score"}));
  }
}

class ShardComparisonTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(testing::make_temp_dir("shard-comparison"));
    docs_ = new std::vector<SourceDocument>(generate_corpus());
    const Schema schema = Schema::load(testing::source_path("schemas"));
    const Analyzer analyzer;
    {
      IndexWriter single((*dir_ / "one").string(), analyzer, schema, {});
      for (const SourceDocument& doc : *docs_) single.add(doc);
      single.commit();
    }
    servers_ = new std::vector<std::unique_ptr<testing::ShardServer>>();
    for (const std::size_t shards : {2, 3}) {
      const std::filesystem::path index = *dir_ / ("shards" + std::to_string(shards));
      {
        ShardedIndexWriter writer(index.string(), shards, analyzer, schema, {});
        for (const SourceDocument& doc : *docs_) writer.add(doc);
        writer.commit();
      }
      std::vector<const testing::ShardServer*> serving;
      for (std::size_t k = 0; k < shards; ++k) {
        servers_->push_back(std::make_unique<testing::ShardServer>(index / shard_directory_name(k)));
        serving.push_back(servers_->back().get());
      }
      testing::write_remote_stub(*dir_ / ("remote" + std::to_string(shards)), index / kLexiconDirectory, serving);
    }
  }
  static void TearDownTestSuite() {
    delete servers_;  // stops the servers
    std::filesystem::remove_all(*dir_);
    delete docs_;
    delete dir_;
  }

  // The layouts compared with the single index.
  static std::vector<std::string> layouts() {
    return {(*dir_ / "shards2").string(), (*dir_ / "shards3").string(), (*dir_ / "remote2").string(),
            (*dir_ / "remote3").string()};
  }
  static std::string single() { return (*dir_ / "one").string(); }
  static bool remote(const std::string& layout) {
    return std::filesystem::path(layout).filename().string().starts_with("remote");
  }
  // The single index as a layout sees it: phrases and NEAR weighed by
  // Xapian over remote shards (span_weight.h).
  static SearcherOptions single_options(bool remote) {
    SearcherOptions options;
    options.rescore_phrases = !remote;
    return options;
  }

  static std::filesystem::path* dir_;
  static std::vector<SourceDocument>* docs_;
  static std::vector<std::unique_ptr<testing::ShardServer>>* servers_;
};

std::filesystem::path* ShardComparisonTest::dir_ = nullptr;
std::vector<SourceDocument>* ShardComparisonTest::docs_ = nullptr;
std::vector<std::unique_ptr<testing::ShardServer>>* ShardComparisonTest::servers_ = nullptr;

TEST_F(ShardComparisonTest, ShardsHoldTheDocumentsRoutedToThem) {
  std::set<std::string> seen;
  std::map<std::string, std::set<std::size_t>> shards_of_group;
  for (const std::size_t shards : {2, 3}) {
    seen.clear();
    for (std::size_t k = 0; k < shards; ++k) {
      const Xapian::Database shard((*dir_ / ("shards" + std::to_string(shards)) / shard_directory_name(k)).string());
      EXPECT_GT(shard.get_doccount(), 0u);
      for (auto term = shard.allterms_begin("Q"); term != shard.allterms_end("Q"); ++term) {
        const std::string id = (*term).substr(1);
        EXPECT_EQ(shard_of(id, shards), k) << id;
        EXPECT_TRUE(seen.insert(id).second) << id << " in two shards";
        const Xapian::Document doc = shard.get_document(*shard.postlist_begin(*term));
        const std::string group = doc.get_value(slot::kDuplicateGroup);
        if (!group.empty()) shards_of_group[std::to_string(shards) + group].insert(k);
      }
    }
    EXPECT_EQ(seen.size(), docs_->size());
  }
  // The corpus is made so: near-duplicates grouped although apart.
  std::size_t spread = 0;
  for (const auto& [group, shards] : shards_of_group) spread += shards.size() > 1 ? 1 : 0;
  EXPECT_GT(spread, 0u);
}

TEST_F(ShardComparisonTest, SearchesGiveTheSameAnswers) {
  Searcher one(single());
  Searcher one_as_remote(single(), single_options(/*remote=*/true));
  std::vector<std::unique_ptr<Searcher>> others;
  for (const std::string& layout : layouts()) others.push_back(std::make_unique<Searcher>(layout));
  std::mt19937 random(424242);
  std::size_t with_hits = 0, phrases = 0, suggestions = 0;
  const int requests = testing::kSanitized ? 60 : 200;
  for (int n = 0; n < requests; ++n) {
    const SearchRequest request = generate_request(random, *docs_);
    SCOPED_TRACE(describe(request));
    SearchResults want;
    try {
      want = one.search(request);
    } catch (const QuerySyntaxError& e) {
      for (const auto& other : others) EXPECT_THROW(other->search(request), QuerySyntaxError);
      continue;
    }
    SearchRequest whole = request;
    whole.offset = 0;
    whole.limit = 0;
    whole.snippets = false;
    whole.facets = false;
    const SearchResults want_all = one.search(whole);
    with_hits += want.hits.empty() ? 0 : 1;
    phrases += request.query.find('"') != std::string::npos && want.total > 0 ? 1 : 0;
    suggestions += want.did_you_mean ? 1 : 0;
    const SearchResults want_remote = one_as_remote.search(request);
    const SearchResults want_all_remote = one_as_remote.search(whole);
    for (std::size_t l = 0; l < others.size(); ++l) {
      SCOPED_TRACE(layouts()[l]);
      const bool over_remote = remote(layouts()[l]);
      expect_same_results(request, over_remote ? want_remote : want, others[l]->search(request),
                          over_remote ? want_all_remote : want_all);
    }
  }
  // The generated requests are not all empty, and exercise what they mean to.
  EXPECT_GT(with_hits, static_cast<std::size_t>(requests / 2));
  EXPECT_GT(phrases, static_cast<std::size_t>(requests / 13));
  // Misspellings are rare among the generated requests: the first 60 (the
  // sanitizer build's share) may hold none; the plain build checks.
  if (!testing::kSanitized) {
    EXPECT_GT(suggestions, 0u);
  }
}

// Batch counts, concordances and trends visit every match.
TEST_F(ShardComparisonTest, CountsConcordancesAndTrendsAreTheSame) {
  Searcher one(single());
  Searcher one_as_remote(single(), single_options(/*remote=*/true));
  std::vector<std::unique_ptr<Searcher>> others;
  for (const std::string& layout : layouts()) others.push_back(std::make_unique<Searcher>(layout));
  std::mt19937 random(777);
  std::size_t counted = 0;
  const int requests = testing::kSanitized ? 20 : 60;
  for (int n = 0; n < requests; ++n) {
    const SearchRequest generated = generate_request(random, *docs_);
    CountRequest request;
    request.query = generated.query;
    request.filters = generated.filters;
    request.top_k = 5;
    // Without concordance lines, remote shards count occurrences from
    // term frequencies where the query allows (Searcher::count).
    request.kwic = n % 2 == 0;
    SCOPED_TRACE(describe(generated));
    MatchCounts want;
    try {
      want = one.count(request);
    } catch (const QuerySyntaxError&) {
      continue;
    }
    counted += want.occurrences > 0 ? 1 : 0;
    const auto lines = [](const MatchCounts& counts) {
      std::vector<std::string> out;
      for (const KwicLine& line : counts.kwic) {
        out.push_back(line.doc_id + " " + std::to_string(line.begin) + " " + line.left + "[" + line.match + "]" +
                      line.right + " " + line.year + " " + line.title);
      }
      std::sort(out.begin(), out.end());
      return out;
    };
    const auto field_counts = [](const MatchCounts& counts) {
      nlohmann::json out = nlohmann::json::array();
      for (const FieldCounts& field : counts.counts) {
        for (const ValueCount& v : field.values) {
          out.push_back({field.field, v.key, v.value, v.documents, v.occurrences});
        }
      }
      return out;
    };
    const auto trend = [](const MatchCounts& counts) {
      nlohmann::json out = nlohmann::json::array();
      for (const TrendPoint& p : counts.trend.years) {
        out.push_back({p.period, p.index_documents, p.index_words, p.documents, p.occurrences});
      }
      return out;
    };
    const MatchCounts want_remote = one_as_remote.count(request);
    for (std::size_t l = 0; l < others.size(); ++l) {
      SCOPED_TRACE(layouts()[l]);
      const MatchCounts got = others[l]->count(request);
      const std::vector<SearchHit>& want_top = remote(layouts()[l]) ? want_remote.top : want.top;
      EXPECT_EQ(got.parsed, want.parsed);
      EXPECT_EQ(got.documents, want.documents);
      EXPECT_EQ(got.occurrences, want.occurrences);
      EXPECT_EQ(field_counts(got), field_counts(want));
      EXPECT_EQ(trend(got), trend(want));
      EXPECT_EQ(lines(got), lines(want));
      EXPECT_EQ(got.warnings, want.warnings);
      EXPECT_EQ(got.did_you_mean.has_value(), want.did_you_mean.has_value());
      ASSERT_EQ(got.top.size(), want_top.size());
      for (std::size_t i = 0; i < want_top.size(); ++i) {
        EXPECT_NEAR(got.top[i].score, want_top[i].score, 1e-9 * std::max(1.0, std::fabs(want_top[i].score)));
      }
    }
  }
  EXPECT_GT(counted, static_cast<std::size_t>(requests / 2));
}

TEST_F(ShardComparisonTest, DocumentViewsAreTheSame) {
  Searcher one(single());
  std::vector<std::unique_ptr<Searcher>> others;
  for (const std::string& layout : layouts()) others.push_back(std::make_unique<Searcher>(layout));
  for (std::size_t i = 0; i < docs_->size(); i += 7) {
    const std::string& id = (*docs_)[i].id;
    const std::optional<DocumentView> want = one.document(id, "\"capacity building\" OR EPA");
    ASSERT_TRUE(want);
    for (std::size_t l = 0; l < others.size(); ++l) {
      SCOPED_TRACE(layouts()[l] + " " + id);
      const std::optional<DocumentView> got = others[l]->document(id, "\"capacity building\" OR EPA");
      ASSERT_TRUE(got);
      EXPECT_EQ(got->document.text, want->document.text);
      EXPECT_EQ(got->document.title, want->document.title);
      EXPECT_EQ(got->document.fields, want->document.fields);
      ASSERT_EQ(got->matches.size(), want->matches.size());
      for (std::size_t m = 0; m < want->matches.size(); ++m) {
        EXPECT_EQ(got->matches[m].begin, want->matches[m].begin);
        EXPECT_EQ(got->matches[m].end, want->matches[m].end);
      }
    }
  }
  for (const auto& other : others) EXPECT_FALSE(other->document("no-such-document", ""));
}

}  // namespace
}  // namespace policy
