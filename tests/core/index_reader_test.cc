// Tests of IndexReader (core/index_reader.h): what it refuses, with what
// message; finding documents by id; following commits and a rebuilt index
// swapped into place.

#include "core/index_reader.h"

#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <xapian.h>

#include "core/analyzer.h"
#include "core/field_schema.h"

#include "indexer/index_writer.h"

#include "tests/support/test_support.h"

namespace policy {
namespace {

class IndexReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::make_temp_dir("index-reader");
    index_ = (dir_ / "idx").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void write(const std::vector<std::string>& ids, bool rebuild = false) {
    IndexWriterOptions options;
    options.rebuild = rebuild;
    IndexWriter writer(index_, analyzer_, schema_, options);
    for (const std::string& id : ids) {
      SourceDocument doc;
      doc.id = id;
      doc.source = id;
      doc.text = "Water quality report " + id + ".";
      doc.metadata = {{"year", 2016}};
      writer.add(doc);
    }
    writer.commit();
  }

  std::filesystem::path dir_;
  std::string index_;
  Analyzer analyzer_;
  Schema schema_ = Schema::load(testing::source_path("schemas"));
};

TEST_F(IndexReaderTest, RefusesWhatIsNoPolicySearchIndex) {
  try {
    IndexReader reader(index_);
    FAIL() << "opened a missing index";
  } catch (const IndexError& e) {
    EXPECT_EQ(std::string(e.what()),
              "no index at '" + index_ + "'; build one with: policy-index --index " + index_ + " DOCUMENTS...");
  }
  Xapian::WritableDatabase(index_, Xapian::DB_CREATE).commit();  // a Xapian database of someone else's
  try {
    IndexReader reader(index_);
    FAIL() << "opened a database without versions";
  } catch (const IndexError& e) {
    EXPECT_EQ(std::string(e.what()), "'" + index_ +
                                         "' is not a policy-search index (a Xapian database that records no analyzer "
                                         "version); build one with: policy-index --index NEW_DIR DOCUMENTS..., then "
                                         "search --index NEW_DIR");
  }
}

// Issue 22: a folder that is not an index (the documents' folder given as
// --index) gave Xapian's own DatabaseNotFoundError or DatabaseOpeningError.
TEST_F(IndexReaderTest, SaysWhenAFolderOrFileIsNoIndex) {
  const std::filesystem::path documents = dir_ / "documents";
  std::filesystem::create_directories(documents / "sub");
  testing::write_file(documents / "a.txt", "Water quality.");
  const std::filesystem::path empty = dir_ / "empty";
  std::filesystem::create_directories(empty);
  struct Case {
    std::string path;
    std::string message;
  };
  const std::string not_an_index =
      " is not a policy-search index (no Xapian database found); build one with: policy-index --index NEW_DIR "
      "DOCUMENTS..., then search --index NEW_DIR";
  const std::vector<Case> cases = {
      {documents.string(), "'" + documents.string() + "'" + not_an_index},
      {(documents / "a.txt").string(), "'" + (documents / "a.txt").string() + "'" + not_an_index},
      // Nothing there, or an empty folder: an index can be built there.
      {(dir_ / "none").string(), "no index at '" + (dir_ / "none").string() +
                                     "'; build one with: policy-index --index " + (dir_ / "none").string() +
                                     " DOCUMENTS..."},
      {empty.string(), "no index at '" + empty.string() + "'; build one with: policy-index --index " + empty.string() +
                           " DOCUMENTS..."},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.path);
    try {
      IndexReader reader(c.path);
      ADD_FAILURE() << "opened what is no index";
    } catch (const IndexError& e) {
      EXPECT_EQ(std::string(e.what()), c.message);
    }
  }
}

TEST_F(IndexReaderTest, FindsDocumentsByIdAndReportsTheBuild) {
  write({"a", "b"});
  IndexReader reader(index_);
  const std::optional<Xapian::docid> a = reader.retrying([&] { return reader.find("a"); });
  ASSERT_TRUE(a);
  const StoredDocument doc =
      StoredDocument::read(reader.database().get_document(*a), reader.schema(), reader.dictionary(), true);
  EXPECT_EQ(doc.id, "a");
  EXPECT_EQ(doc.text, "Water quality report a.");
  EXPECT_FALSE(reader.find("c"));
  const IndexInfo info = reader.info();
  EXPECT_EQ(info.path, index_);
  EXPECT_EQ(info.documents, 2u);
  EXPECT_EQ(info.analyzer, analyzer_.version());
  EXPECT_EQ(info.schema, schema_version_string());
  EXPECT_EQ(info.build_id.size(), 16u);
  EXPECT_EQ(reader.extraction_report(doc)["year"][0]["value"], "2016") << reader.extraction_report(doc).dump();
}

TEST_F(IndexReaderTest, RefreshFollowsCommitsAndSwaps) {
  write({"a"});
  IndexReader reader(index_);
  const std::uint64_t generation = reader.schema_generation();
  EXPECT_FALSE(reader.refresh()) << "nothing changed";
  write({"b"});  // in place: a commit
  EXPECT_TRUE(reader.refresh());
  EXPECT_EQ(reader.info().documents, 2u);
  EXPECT_EQ(reader.schema_generation(), generation) << "the same schema is not loaded again";
  write({"c"}, /*rebuild=*/true);  // a new database swapped into place
  EXPECT_TRUE(reader.refresh());
  EXPECT_EQ(reader.info().documents, 1u);
  EXPECT_TRUE(reader.find("c"));
  EXPECT_GT(reader.schema_generation(), generation) << "a swapped database's schema is loaded anew";
}

// A read that fails while the index has moved on is tried again, unless
// its request's budget ended it: then reading again cannot help, and the
// error goes to the caller at once.
TEST_F(IndexReaderTest, RetriesAReadThatMetACommitButNotASpentBudget) {
  write({"a"});
  IndexReader reader(index_);
  write({"b"});  // the reader's revision is now behind: the index moved on
  int attempts = 0;
  EXPECT_THROW(reader.retrying([&]() -> int {
    ++attempts;
    throw BudgetSpentError("the time limit was reached");
  }),
               BudgetSpentError);
  EXPECT_EQ(attempts, 1);
  attempts = 0;
  EXPECT_EQ(reader.retrying([&] {
    if (++attempts == 1) throw std::runtime_error("an empty stored header");  // what a racing commit can cause
    return attempts;
  }),
            2);
}

}  // namespace
}  // namespace policy
