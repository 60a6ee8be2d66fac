// IndexWriter: how it opens, creates and writes an index.

#include "indexer/index_writer.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "core/analyzer.h"
#include "core/field_schema.h"
#include "core/index_layout.h"

#include "searcher/searcher.h"

#include "tests/support/test_support.h"

namespace policy {
namespace {

using testing::CommandResult;
using testing::run_command;

// Regression: a new index used to exist without its versions until the
// first batch was committed, so a crash in the first batch left one that
// policy-search refused ("records no analyzer version").
TEST(NewIndexTest, IsSearchableBeforeItsFirstCommit) {
  const std::filesystem::path dir = testing::make_temp_dir("new-index");
  for (const std::string& path : {(dir / "idx").string(), (dir / "trailing").string() + "/"}) {
    SCOPED_TRACE(path);
    if (path.ends_with("/")) std::filesystem::create_directories(path);  // an empty directory given with a '/'
    Analyzer analyzer;
    const Schema schema = Schema::load(testing::source_path("schemas"));
    IndexWriter writer(path, analyzer, schema, {});
    const CommandResult r = run_command({POLICY_SEARCH_BIN, "--index", path, "water"});
    EXPECT_EQ(r.exit_code, 1) << r.err;  // no match, no error
  }
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()), 2)
      << "no staging directory left behind";
  std::filesystem::remove_all(dir);
}

// Segments for a new index or a rebuild; in place for an update.
TEST(IndexWriterTest, WritesSegmentsOnlyForANewIndexOrARebuild) {
  struct Case {
    const char* name;
    bool existing_documents;
    bool rebuild;
    bool segments;
  };
  const Case cases[] = {
      {"new index", false, false, true},
      {"new index, rebuild", false, true, true},
      {"update", true, false, false},
      {"rebuild", true, true, true},
  };
  const std::filesystem::path dir = testing::make_temp_dir("writer-mode");
  Analyzer analyzer;
  const Schema schema = Schema::load(testing::source_path("schemas"));
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string index = (dir / c.name).string();
    if (c.existing_documents) {
      IndexWriter first(index, analyzer, schema, {});
      SourceDocument doc;
      doc.id = "a";
      doc.text = "Water quality.";
      first.add(std::move(doc));
    }
    IndexWriterOptions options;
    options.rebuild = c.rebuild;
    IndexWriter writer(index, analyzer, schema, options);
    EXPECT_EQ(writer.writes_segments(), c.segments);
    EXPECT_EQ(std::filesystem::exists(index + ".building"), c.segments);
  }
  std::filesystem::remove_all(dir);
}

const Schema& test_schema() {
  static const Schema schema = Schema::load(testing::source_path("schemas"));
  return schema;
}

TEST(IndexWriterTest, SecondWriterIsRefusedWithTheLockNamed) {
  const std::filesystem::path dir = testing::make_temp_dir("second-writer");
  const std::string index_ = (dir / "idx").string();
  Analyzer analyzer;
  IndexWriter first(index_, analyzer, test_schema(), {});
  try {
    IndexWriter second(index_, analyzer, test_schema(), {});
    FAIL() << "expected IndexError";
  } catch (const IndexError& e) {
    EXPECT_NE(std::string(e.what()).find("locked"), std::string::npos) << e.what();
  }
  std::filesystem::remove_all(dir);
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
  SourceDocument doc;
  doc.id = "d" + std::to_string(n);
  doc.title = "Document " + std::to_string(n);
  doc.text = std::move(text);
  doc.source = "test/" + doc.id;
  return doc;
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
    SearchRequest request;
    request.query = marker(n);
    const SearchResults results = searcher.search(request);
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
