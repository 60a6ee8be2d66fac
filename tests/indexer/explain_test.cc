// --explain: one indexed document's fields and how they were extracted.

#include "indexer/explain.h"

#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/analyzer.h"
#include "core/field_schema.h"

#include "indexer/exit_codes.h"
#include "indexer/index_writer.h"

#include "tests/support/test_support.h"

namespace policy {
namespace {

TEST(ExplainTest, PrintsTheDocumentOrSaysItIsNotThere) {
  const std::filesystem::path dir = testing::make_temp_dir("explain");
  const std::string index = (dir / "idx").string();
  {
    Analyzer analyzer;
    const Schema schema = Schema::load(testing::source_path("schemas"));
    IndexWriter writer(index, analyzer, schema, {});
    SourceDocument doc;
    doc.id = "a.txt";
    doc.title = "Air quality";
    doc.text = "Air quality monitoring by the Ministry of Environmental Protection.";
    doc.source = "corpus/a.txt";
    writer.add(std::move(doc));
  }
  struct Case {
    std::string id;
    int exit_code;
    std::string err;
  };
  const Case cases[] = {
      {"a.txt", kExitOk, ""},
      {"b.txt", kExitSomeInputsNotIndexed, "policy-index: no document 'b.txt' in index '" + index + "'\n"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    std::ostringstream out, err;
    EXPECT_EQ(explain_document(index, c.id, out, err), c.exit_code);
    EXPECT_EQ(err.str(), c.err);
    if (c.exit_code != kExitOk) {
      EXPECT_EQ(out.str(), "");
      continue;
    }
    const nlohmann::json explained = nlohmann::json::parse(out.str());
    EXPECT_EQ(explained["id"], c.id);
    EXPECT_EQ(explained["title"], "Air quality");
    EXPECT_EQ(explained["source"], "corpus/a.txt");
    EXPECT_TRUE(explained.contains("fields"));
    EXPECT_TRUE(explained.contains("extraction"));
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace policy
