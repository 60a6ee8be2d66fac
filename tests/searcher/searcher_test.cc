// Tests of the Searcher (searcher.h) on indexes written by IndexWriter from
// small hand-made documents: query semantics, ranking, paging, snippets,
// query errors, incremental indexing and version checks.

#include "searcher/searcher.h"

#include <algorithm>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "core/index_layout.h"

#include "indexer/index_writer.h"

#include "searcher/result_rendering.h"

#include "tests/support/test_support.h"

namespace policy {
namespace {

SourceDocument doc(std::string id, std::string title, std::string text,
                   nlohmann::json meta = nlohmann::json::object()) {
  SourceDocument d;
  d.id = std::move(id);
  d.title = std::move(title);
  d.text = std::move(text);
  d.metadata = std::move(meta);
  d.source = "test/" + d.id;
  return d;
}

SearchRequest request(std::string query, std::size_t offset, std::size_t limit, bool snippets) {
  SearchRequest r;
  r.query = std::move(query);
  r.offset = offset;
  r.limit = limit;
  r.snippets = snippets;
  return r;
}

const Schema& test_schema() {
  static const Schema schema = Schema::load(testing::source_path("schemas"));
  return schema;
}

class IndexSearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::make_temp_dir("index-search-" +
                                  std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    index_ = (dir_ / "idx").string();
    Analyzer analyzer;
    IndexWriter writer(index_, analyzer, test_schema(), {});
    for (const SourceDocument& d : corpus()) writer.add(d);
    writer.commit();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static std::vector<SourceDocument> corpus() {
    return {
        doc("soup", "Menu", "Today we serve the soup of the day. Soup is good."),
        doc("soup-scrambled", "Menu two", "The day of the soup: the soup is served by day."),
        doc("air", "Air quality", "Air pollution in China is a shared challenge; polluted air harms health.",
            {{"year", 2016}}),
        doc("air-far", "Notes",
            "Air is discussed first. Then many other unrelated words fill this sentence completely "
            "and on and on before pollution appears, and China much later."),
        doc("ewaste", "Cleaning Up E-waste", "Managing e-waste and electronic waste in ASEAN-China cooperation."),
        doc("envoys", "Green Envoys", "The “Green Envoys Program” builds capacity in biodiversity."),
        doc("title-only", "Biodiversity strategy", "A text about forests and wetlands."),
        doc("body-only", "Forests", "A text that mentions biodiversity once, among forests and wetlands."),
    };
  }

  std::vector<std::string> ids(const std::string& query, std::size_t limit = 0) {
    Searcher searcher(index_);
    const SearchResults results = searcher.search(request(query, 0, limit, false));
    std::vector<std::string> out;
    for (const SearchHit& h : results.hits) out.push_back(h.id);
    return out;
  }

  std::set<std::string> id_set(const std::string& query) {
    const std::vector<std::string> v = ids(query);
    return {v.begin(), v.end()};
  }

  std::filesystem::path dir_;
  std::string index_;
};

TEST_F(IndexSearchTest, QuerySemanticsTable) {
  struct Case {
    std::string query;
    std::set<std::string> expected;
  };
  const std::vector<Case> cases = {
      {"\"the soup of the day\"", {"soup"}},     // stopwords kept, order matters
      {"soup day", {"soup", "soup-scrambled"}},  // AND of words
      {"pollution", {"air", "air-far"}},         // stemmed: polluted/pollution
      {"polluting", {"air", "air-far"}},
      {"\"polluted air\"", {"air"}},  // phrases are exact, unstemmed
      {"\"pollution air\"", {}},
      {"pollution NEAR/1 China", {"air"}},
      {"pollution NEAR/20 China", {"air", "air-far"}},
      {"polluted NEAR/1 China", {"air"}},  // any inflection: "pollution in China"
      {"\"polluted\" NEAR/1 China", {}},   // quoted: this word only, 4 words from China
      {"\"polluted\" NEAR/4 China", {"air"}},
      {"pollution -china", {}},
      {"pollution NOT health", {"air-far"}},
      {"soup OR envoys", {"soup", "soup-scrambled", "envoys"}},
      {"(soup OR envoys) -menu", {"envoys"}},  // -menu excludes by title too
      {"e-waste", {"ewaste"}},                 // split word = phrase
      {"\"e waste\"", {"ewaste"}},
      {"\"ASEAN China\"", {"ewaste"}},
      {"\"green envoys program\"", {"envoys"}},
      {"envoy*", {"envoys"}},
      {"title:biodiversity", {"title-only"}},
      {"title:\"green envoys\"", {"envoys"}},
      {"-soup", {"air", "air-far", "ewaste", "envoys", "title-only", "body-only"}},
      {"nonexistentword", {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.query);
    EXPECT_EQ(id_set(c.query), c.expected);
  }
}

TEST_F(IndexSearchTest, TitleMatchesRankAboveBodyMatches) {
  const std::vector<std::string> ranked = ids("biodiversity");
  ASSERT_EQ(ranked.size(), 3u);
  EXPECT_EQ(ranked[0], "title-only");
}

TEST_F(IndexSearchTest, TotalIsExactAndPagingIsConsistent) {
  Searcher searcher(index_);
  const SearchResults all = searcher.search(request("text OR soup OR air", 0, 0, false));
  EXPECT_TRUE(all.total_exact);
  EXPECT_EQ(all.total, all.hits.size());
  const SearchResults page = searcher.search(request("text OR soup OR air", 1, 2, false));
  EXPECT_EQ(page.total, all.total);
  ASSERT_EQ(page.hits.size(), 2u);
  EXPECT_EQ(page.hits[0].id, all.hits[1].id);
  EXPECT_EQ(page.hits[0].rank, 2u);
}

TEST_F(IndexSearchTest, HugeLimitAndOffsetDoNotWrapAround) {
  Searcher searcher(index_);
  const std::size_t huge = (std::size_t{1} << 32) + 1;
  EXPECT_EQ(searcher.search(request("soup", 0, huge, false)).hits.size(), 2u);
  const SearchResults past_the_end = searcher.search(request("soup", huge, 10, false));
  EXPECT_EQ(past_the_end.total, 2u);
  EXPECT_TRUE(past_the_end.hits.empty());
}

TEST_F(IndexSearchTest, SnippetsHighlightInflectionsAndPhrases) {
  Searcher searcher(index_);
  const SearchResults r = searcher.search(request("pollution \"shared challenge\"", 0, 10, true));
  ASSERT_EQ(r.hits.size(), 1u);
  ASSERT_FALSE(r.hits[0].snippets.empty());
  EXPECT_EQ(mark_highlights(r.hits[0].snippets[0], "[", "]"),
            "Air [pollution] in China is a [shared challenge]; [polluted] air harms health.");
}

TEST_F(IndexSearchTest, QueryErrorsCarryPositionAndHint) {
  Searcher searcher(index_);
  struct Case {
    std::string query;
    std::size_t position;
    std::string message_part;
  };
  const std::vector<Case> cases = {
      {"water \"green envoys", 6, "unterminated"},
      {"author:smith", 0, "unknown field 'author'"},
      {"year:soon", 0, "not a year or a range of years"},
      {"org:env*", 0, "wildcards do not apply to the field 'organisation'"},
      {"e*", 0, "matches more than"},
      {"\"air pollution\" NEAR/5 China", 0, "NEAR takes single words"},
      {"& &", 0, "no searchable words"},
  };
  BindOptions tight;
  tight.max_wildcard_terms = 2;
  SearcherOptions options;
  options.bind = tight;
  Searcher tight_searcher(index_, options);
  for (const Case& c : cases) {
    SCOPED_TRACE(c.query);
    try {
      tight_searcher.search(request(c.query, 0, 10, true));
      ADD_FAILURE() << "expected a query error";
    } catch (const QueryError& e) {
      EXPECT_EQ(e.position(), c.position);
      EXPECT_NE(e.message().find(c.message_part), std::string::npos) << e.message();
      EXPECT_FALSE(e.hint().empty());
    }
  }
}

TEST_F(IndexSearchTest, ReindexingIsIncremental) {
  Analyzer analyzer;
  IndexWriter writer(index_, analyzer, test_schema(), {});
  std::vector<SourceDocument> docs = corpus();
  EXPECT_EQ(writer.add(docs[0]), IndexWriter::Outcome::kUnchanged);
  docs[1].text += " Now with bread.";
  EXPECT_EQ(writer.add(docs[1]), IndexWriter::Outcome::kUpdated);
  EXPECT_EQ(writer.add(doc("new", "New", "A new document about bread.")), IndexWriter::Outcome::kAdded);
  EXPECT_EQ(writer.prune({"soup", "soup-scrambled", "new"}), docs.size() - 2);
  writer.commit();
  EXPECT_EQ(writer.document_count(), 3u);
  EXPECT_EQ(id_set("bread"), (std::set<std::string>{"soup-scrambled", "new"}));
}

TEST_F(IndexSearchTest, SearcherRefusesAnIndexFromAnotherAnalyzerVersion) {
  {
    Xapian::WritableDatabase db(index_);
    db.set_metadata(metadata_key::kAnalyzer, "policy-analyzer/0 stem=english");
    db.commit();
  }
  try {
    Searcher searcher(index_);
    FAIL() << "expected IndexError";
  } catch (const IndexError& e) {
    EXPECT_NE(std::string(e.what()).find("policy-analyzer/0"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("--rebuild"), std::string::npos) << e.what();
  }
  // The writer refuses too, unless told to rebuild.
  Analyzer analyzer;
  EXPECT_THROW(IndexWriter(index_, analyzer, test_schema(), {}), IndexError);
  IndexWriterOptions rebuild;
  rebuild.rebuild = true;
  IndexWriter writer(index_, analyzer, test_schema(), rebuild);
  writer.commit();
  EXPECT_EQ(writer.document_count(), 0u);
}

TEST_F(IndexSearchTest, MissingIndexIsAClearError) {
  try {
    Searcher searcher((dir_ / "nope").string());
    FAIL() << "expected IndexError";
  } catch (const IndexError& e) {
    EXPECT_NE(std::string(e.what()).find("policy-index --index"), std::string::npos) << e.what();
  }
}

TEST_F(IndexSearchTest, SecondWriterIsRefusedWithTheLockNamed) {
  Analyzer analyzer;
  IndexWriter first(index_, analyzer, test_schema(), {});
  try {
    IndexWriter second(index_, analyzer, test_schema(), {});
    FAIL() << "expected IndexError";
  } catch (const IndexError& e) {
    EXPECT_NE(std::string(e.what()).find("locked"), std::string::npos) << e.what();
  }
}

// Policy-like text from a fixed word list, with a word of its own per
// document (letters only: "qz" and the number in base 26).
std::string marker(std::size_t n) {
  std::string word = "qz";
  do {
    word += static_cast<char>('a' + n % 26);
    n /= 26;
  } while (n != 0);
  return word;
}

SourceDocument generated_doc(std::size_t n) {
  static const std::vector<std::string> words = {
      "environmental", "cooperation", "between",  "ASEAN",    "and",    "China",    "on",          "biodiversity",
      "the",           "climate",     "change",   "action",   "plan",   "for",      "sustainable", "development",
      "water",         "pollution",   "capacity", "building", "of",     "policy",   "dialogue",    "green",
      "economy",       "strategy",    "priority", "area",     "joint",  "research", "centre",      "ministry",
      "ecology",       "programme",   "urban",    "air",      "quality"};
  std::uint64_t state = n * 2654435761u + 1;
  std::string text;
  while (text.size() < 1200) {
    for (int w = 0; w < 12; ++w) {
      state = state * 6364136223846793005u + 1442695040888963407u;
      text += words[(state >> 33) % words.size()] + " ";
    }
    text.back() = '.';
    text += ' ';
  }
  text += "It names " + marker(n) + " once.";
  return doc("d" + std::to_string(n), "Document " + std::to_string(n), text);
}

// A new index compresses its stored bodies with a dictionary trained on its
// first documents: the same dictionary for any number of jobs, stored in the
// index, needed to read a body back, and used by later in-place additions.
TEST(BodyDictionaryIndexTest, NewIndexTrainsOneDictionaryForAnyJobsAndKeepsUsingIt) {
  const std::filesystem::path dir = testing::make_temp_dir("body-dictionary");
  constexpr std::size_t kDocs = 400;  // about 500 KB of text
  Analyzer analyzer;
  std::vector<std::string> dictionaries;
  for (const std::size_t jobs : {1u, 3u}) {
    IndexWriterOptions options;
    options.jobs = jobs;
    options.dictionary_sample_bytes = BodyDictionary::kMinSampleBytes;
    IndexWriter writer((dir / ("jobs-" + std::to_string(jobs))).string(), analyzer, test_schema(), options);
    for (std::size_t n = 0; n < kDocs; ++n) writer.add(generated_doc(n));
    writer.commit();
    dictionaries.push_back(Xapian::Database((dir / ("jobs-" + std::to_string(jobs))).string())
                               .get_metadata(metadata_key::kBodyDictionary));
  }
  ASSERT_FALSE(dictionaries[0].empty());
  EXPECT_EQ(dictionaries[0], dictionaries[1]);
  const std::string index = (dir / "jobs-1").string();
  {
    IndexWriter writer(index, analyzer, test_schema(), {});
    writer.add(generated_doc(kDocs));
    writer.commit();
  }
  const BodyDictionary dictionary(dictionaries[0]);
  Xapian::Database db(index);
  EXPECT_EQ(db.get_metadata(metadata_key::kBodyDictionary), dictionaries[0]);
  for (const std::size_t n : {std::size_t{7}, kDocs}) {
    SCOPED_TRACE("document " + std::to_string(n));
    const std::string id_term = std::string(prefix::kId) + "d" + std::to_string(n);
    ASSERT_NE(db.postlist_begin(id_term), db.postlist_end(id_term));
    const Xapian::Document stored = db.get_document(*db.postlist_begin(id_term));
    const std::string header = stored.get_value(slot::kRecordHeader);
    EXPECT_NE(StoredDocument::unserialise(header, stored.get_value(slot::kBody), dictionary).text.find(marker(n)),
              std::string::npos);
    try {
      StoredDocument::unserialise(header, stored.get_value(slot::kBody), BodyDictionary());
      ADD_FAILURE() << "a body compressed with the dictionary was read without it";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("the index holds none"), std::string::npos) << e.what();
    }
    Searcher searcher(index);
    const SearchResults results = searcher.search(request(marker(n), 0, 10, true));
    ASSERT_EQ(results.hits.size(), 1u);
    EXPECT_EQ(results.hits[0].id, "d" + std::to_string(n));
    ASSERT_FALSE(results.hits[0].snippets.empty());
    const Snippet& snippet = results.hits[0].snippets[0];
    ASSERT_EQ(snippet.highlights.size(), 1u);
    EXPECT_EQ(snippet.text.substr(snippet.highlights[0].begin, snippet.highlights[0].end - snippet.highlights[0].begin),
              marker(n));
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace policy
