// Near-duplicate groups written by IndexWriter (near_duplicate_grouping.h)
// on a generated corpus: the web page and PDF of one text and a draft and
// its final text are grouped, texts sharing only boilerplate are not; the
// groups follow incremental runs (a member added, replaced, deleted), and a
// run that changes nothing rewrites nothing.

#include "indexer/near_duplicate_grouping.h"

#include <map>
#include <string>

#include <gtest/gtest.h>

#include "core/analyzer.h"
#include "core/index_layout.h"

#include "indexer/index_writer.h"

#include "tests/support/near_duplicate_corpus.h"
#include "tests/support/small_index.h"
#include "tests/support/test_support.h"

namespace policy {
namespace {

struct GroupValue {
  std::string group;
  std::string size;
  bool operator==(const GroupValue&) const = default;
};

// id -> group values of every document that has them.
std::map<std::string, GroupValue> groups_in(const std::filesystem::path& index) {
  Xapian::Database db(index.string());
  std::map<std::string, GroupValue> groups;
  const std::string id_prefix(prefix::kId);
  for (auto term = db.allterms_begin(id_prefix); term != db.allterms_end(id_prefix); ++term) {
    const Xapian::Document doc = db.get_document(*db.postlist_begin(*term));
    if (doc.get_value(slot::kDuplicateGroup).empty()) continue;
    groups[(*term).substr(1)] = {doc.get_value(slot::kDuplicateGroup), doc.get_value(slot::kDuplicateGroupSize)};
  }
  return groups;
}

std::map<std::string, GroupValue> expected_groups(const std::map<std::string, std::string>& expected) {
  std::map<std::string, std::size_t> sizes;
  for (const auto& [id, group] : expected) ++sizes[group];
  std::map<std::string, GroupValue> values;
  for (const auto& [id, group] : expected) values[id] = {group, std::to_string(sizes[group])};
  return values;
}

class NearDuplicateGroupingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::make_temp_dir("near-duplicate-grouping");
    schema_.emplace(Schema::load(testing::source_path("schemas")));
  }
  // One incremental run: `add` added or replaced, then every id not in
  // `keep` (when given) pruned.
  GroupingStats run(const std::vector<SourceDocument>& add, const std::unordered_set<std::string>* keep = nullptr,
                    std::size_t jobs = 1) {
    IndexWriter writer(index().string(), analyzer_, *schema_, IndexWriterOptions{.jobs = jobs});
    for (const SourceDocument& doc : add) writer.add(doc);
    if (keep) writer.prune(*keep);
    writer.commit();
    return writer.grouping();
  }
  std::filesystem::path index() const { return dir_ / "idx"; }

  std::filesystem::path dir_;
  Analyzer analyzer_;
  std::optional<Schema> schema_;
};

TEST_F(NearDuplicateGroupingTest, GroupsVersionsNotBoilerplate) {
  const testing::NearDuplicateCorpus corpus = testing::make_near_duplicate_corpus();
  // Segments (a new index) and in place (documents added to an empty one)
  // group alike.
  for (const bool in_place : {false, true}) {
    SCOPED_TRACE(in_place ? "in place" : "segments");
    std::filesystem::remove_all(index());
    if (in_place) run({testing::source_document("seed", "Seed", "one word policy")});
    const GroupingStats stats = run(corpus.documents, nullptr, 2);
    EXPECT_EQ(stats.groups, 2u);
    EXPECT_EQ(stats.grouped_documents, 4u);
    EXPECT_EQ(groups_in(index()), expected_groups(corpus.expected_group));
  }
}

TEST_F(NearDuplicateGroupingTest, UnchangedRunRewritesNothing) {
  const testing::NearDuplicateCorpus corpus = testing::make_near_duplicate_corpus();
  run(corpus.documents);
  const std::string build_id = Xapian::Database(index().string()).get_metadata(metadata_key::kBuildId);
  const GroupingStats again = run(corpus.documents);
  EXPECT_EQ(again.groups, 2u);
  EXPECT_EQ(again.rewritten_documents, 0u);
  // Nothing was committed: the build id still names the same content.
  EXPECT_EQ(Xapian::Database(index().string()).get_metadata(metadata_key::kBuildId), build_id);
}

TEST_F(NearDuplicateGroupingTest, GroupsFollowIncrementalRuns) {
  const testing::NearDuplicateCorpus corpus = testing::make_near_duplicate_corpus();
  run(corpus.documents);
  std::unordered_set<std::string> ids;
  for (const SourceDocument& doc : corpus.documents) ids.insert(doc.id);
  const SourceDocument& web = corpus.documents[0];
  ASSERT_EQ(web.id, "strategy.html");

  struct Step {
    std::string name;
    std::vector<SourceDocument> add;
    std::vector<std::string> remove;  // pruned ids
    std::map<std::string, GroupValue> strategy_groups;
    std::size_t rewritten;
  };
  SourceDocument copy = testing::source_document("a-copy", "Copy", web.text + "Printed copy.\n");
  SourceDocument changed = testing::source_document("strategy.pdf", "Other text", testing::random_text(99, 500));
  const std::vector<Step> steps = {
      // A third copy with a smaller id: the group takes its id, all three rewritten.
      {"copy added",
       {copy},
       {},
       {{"a-copy", {"a-copy", "3"}}, {"strategy.html", {"a-copy", "3"}}, {"strategy.pdf", {"a-copy", "3"}}},
       3},
      // The copy deleted: back to the pair under its own id.
      {"copy deleted",
       {},
       {"a-copy"},
       {{"strategy.html", {"strategy.html", "2"}}, {"strategy.pdf", {"strategy.html", "2"}}},
       2},
      // The PDF replaced by another text (written without group values):
      // the web page is alone again.
      {"member changed", {changed}, {}, {}, 1},
      // Back, then the web page deleted: the PDF is alone.
      {"member restored",
       {corpus.documents[1]},
       {},
       {{"strategy.html", {"strategy.html", "2"}}, {"strategy.pdf", {"strategy.html", "2"}}},
       2},
      {"member deleted", {}, {"strategy.html"}, {}, 1},
  };
  for (const Step& step : steps) {
    SCOPED_TRACE(step.name);
    for (const SourceDocument& doc : step.add) ids.insert(doc.id);
    for (const std::string& id : step.remove) ids.erase(id);
    const GroupingStats stats = run(step.add, &ids);
    EXPECT_EQ(stats.rewritten_documents, step.rewritten);
    std::map<std::string, GroupValue> strategy_groups;
    for (const auto& [id, value] : groups_in(index())) {
      if (id.starts_with("plan-")) continue;  // the draft and final stay as they are
      strategy_groups[id] = value;
    }
    EXPECT_EQ(strategy_groups, step.strategy_groups);
    EXPECT_EQ(groups_in(index()).count("plan-final"), 1u);
  }
}

}  // namespace
}  // namespace policy
