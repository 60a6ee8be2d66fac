// IndexWriter: how it opens, creates and writes an index.

#include "indexer/index_writer.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "core/analyzer.h"
#include "core/field_schema.h"

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

}  // namespace
}  // namespace policy
