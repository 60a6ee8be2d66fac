// Segment building: batches, segments reused after an interruption, and the
// merge in input order.

#include "indexer/segment_build.h"

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/index_check.h"
#include "tests/support/temp_dir_test.h"
#include "tests/support/test_support.h"

namespace policy {
namespace {

namespace fs = std::filesystem;

SourceDocument numbered_document(int n, const std::string& text = "Water quality monitoring.") {
  SourceDocument doc;
  doc.id = "d" + std::to_string(n);
  doc.text = text + " Document " + std::to_string(n) + ".";
  doc.source = doc.id;
  return doc;
}

std::size_t segment_count(const fs::path& dir) {
  std::size_t count = 0;
  for (const auto& entry : fs::directory_iterator(dir)) count += entry.path().filename().string().starts_with("seg-");
  return count;
}

class SegmentBuildTest : public testing::TempDirTest {
 protected:
  // A build into `name` without a pool; no dictionary (no sample).
  std::unique_ptr<SegmentBuild> build(const std::string& name, std::size_t batch_documents) {
    fs::create_directories(dir_ / name);
    return std::make_unique<SegmentBuild>(
        dir_ / name, analyzer_, extractor_, schema_, nullptr,
        SegmentOptions{.batch_documents = batch_documents, .dictionary_sample_bytes = 0});
  }

  Analyzer analyzer_;
  Schema schema_ = Schema::load(testing::source_path("schemas"));
  FieldExtractor extractor_{schema_, analyzer_};
};

TEST_F(SegmentBuildTest, BatchesBecomeSegmentsMergedInInputOrder) {
  struct Case {
    int documents;
    std::size_t batch_documents;
    std::size_t segments;
  };
  const Case cases[] = {{0, 2, 0}, {1, 2, 1}, {4, 2, 2}, {5, 2, 3}, {5, 1000, 1}, {130, 1000, 2}};
  for (const Case& c : cases) {
    const std::string name = std::to_string(c.documents) + "-in-" + std::to_string(c.batch_documents);
    SCOPED_TRACE(name);
    std::unique_ptr<SegmentBuild> segments = build(name, c.batch_documents);
    std::vector<std::string> ids;
    for (int n = 0; n < c.documents; ++n) {
      segments->add(numbered_document(n), "hash" + std::to_string(n));
      ids.push_back("d" + std::to_string(n));
    }
    EXPECT_EQ(segments->added(), static_cast<std::size_t>(c.documents));
    const fs::path merged = segments->merge();
    EXPECT_EQ(merged, dir_ / name / "merged");
    EXPECT_EQ(segment_count(dir_ / name), c.segments);
    EXPECT_EQ(segments->finished_documents(), static_cast<std::size_t>(c.documents));
    const testing::IndexContents contents = testing::read_index(merged);
    ASSERT_TRUE(contents.opens) << contents.open_error;
    EXPECT_TRUE(contents.broken.empty());
    EXPECT_EQ(contents.ids, ids);
  }
}

// A build of the same batch after an interruption reuses its segment; a
// changed document's batch is written again.
TEST_F(SegmentBuildTest, SegmentOfTheSameBatchIsReused) {
  struct Case {
    const char* name;
    std::string second_run_text;
    bool reused;
  };
  const Case cases[] = {{"same documents", "Water quality monitoring.", true},
                        {"a changed document", "Air quality monitoring.", false}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const fs::path first_segment = dir_ / c.name / "seg-00000000";
    {
      std::unique_ptr<SegmentBuild> interrupted = build(c.name, 2);
      for (int n = 0; n < 2; ++n) {
        interrupted->add(numbered_document(n), content_hash(numbered_document(n), "analyzer", "schema"));
      }
    }
    ASSERT_TRUE(fs::exists(first_segment));
    testing::write_file(first_segment / "marker", "left by the first run");
    std::unique_ptr<SegmentBuild> again = build(c.name, 2);
    for (int n = 0; n < 2; ++n) {
      const std::string text = n == 1 ? c.second_run_text : "Water quality monitoring.";
      again->add(numbered_document(n, text), content_hash(numbered_document(n, text), "analyzer", "schema"));
    }
    again->merge();
    EXPECT_EQ(fs::exists(first_segment / "marker"), c.reused);
  }
}

}  // namespace
}  // namespace policy
