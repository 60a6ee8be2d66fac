// Page numbers of documents read page by page (PDF): each page is cleaned on
// its own, its start is stored with the document, and every match knows its
// page in snippets, the JSON results, KWIC lines, batch rows and the
// document view.

#include <gtest/gtest.h>

#include "core/index_layout.h"

#include "indexer/document_builder.h"
#include "indexer/index_writer.h"

#include "searcher/result_rendering.h"
#include "searcher/searcher.h"

#include "tests/support/test_support.h"

namespace policy {
namespace {

const Schema& test_schema() {
  static const Schema schema = Schema::load(testing::source_path("schemas"));
  return schema;
}

// Four pages: page 2 holds no text (a blank page), page 4 repeats the
// phrase of page 1. Raw pages end without a line end on purpose.
SourceDocument paged_document() {
  SourceDocument doc;
  doc.id = "report.pdf";
  doc.title = "Annual report";
  doc.source = "test/report.pdf";
  const std::vector<std::string> pages = {
      "Introduction\n\nThe marine litter programme began in 2016.",
      "",
      "Chapter two\n\nWetland restoration needs long-term funding from partners.",
      "Annex\n\nThe marine litter programme ended in 2020.",
  };
  for (const std::string& page : pages) {
    doc.page_starts.push_back(doc.text.size());
    doc.text += page;
  }
  return doc;
}

TEST(PageStartsTest, PageAtFindsTheLastPageStartingAtOrBeforeAnOffset) {
  StoredDocument doc;
  EXPECT_EQ(doc.page_at(5), 0u) << "a document without pages";
  doc.page_starts = {0, 10, 10, 25};  // page 2 is empty: page 3 starts where it does
  const struct { std::uint32_t offset, page; } cases[] = {{0, 1}, {9, 1}, {10, 3}, {24, 3}, {25, 4}, {1000, 4}};
  for (const auto& c : cases) EXPECT_EQ(doc.page_at(c.offset), c.page) << "offset " << c.offset;
}

TEST(PageStartsTest, HeaderKeepsPageStartsAndRefusesMalformedOnes) {
  StoredDocument doc;
  doc.id = "a";
  doc.page_starts = {0, 7, 7, 30};
  const StoredDocument back = StoredDocument::unserialise(doc.serialise_header());
  EXPECT_EQ(back.page_starts, doc.page_starts);
  EXPECT_EQ(back.page_count(), 4u);

  StoredDocument unpaged;
  unpaged.id = "b";
  EXPECT_TRUE(StoredDocument::unserialise(unpaged.serialise_header()).page_starts.empty());

  StoredDocument decreasing;
  decreasing.id = "c";
  decreasing.page_starts = {0, 9, 3};
  EXPECT_THROW(StoredDocument::unserialise(decreasing.serialise_header()), CorruptDataError);
}

TEST(PagedPreparationTest, EachPageIsCleanedAloneAndKeepsItsStart) {
  const Analyzer analyzer;
  const FieldExtractor extractor(test_schema(), analyzer);
  const SourceDocument source = paged_document();
  const PreparedDocument prepared =
      prepare_document(source, analyzer, test_schema(), extractor, BodyDictionary(), CommonWords(), "hash");
  const StoredDocument stored = StoredDocument::read(prepared.document, test_schema(), BodyDictionary(), true);
  ASSERT_EQ(stored.page_starts.size(), 4u);
  EXPECT_EQ(stored.page_starts[0], 0u);
  const std::string_view text = stored.text;
  EXPECT_TRUE(text.substr(stored.page_starts[2]).starts_with("Chapter two")) << text;
  EXPECT_TRUE(text.substr(stored.page_starts[3]).starts_with("Annex")) << text;
  EXPECT_EQ(stored.page_at(static_cast<std::uint32_t>(text.find("Wetland"))), 3u);
  EXPECT_EQ(stored.page_at(static_cast<std::uint32_t>(text.find("began"))), 1u);
  EXPECT_EQ(stored.page_at(static_cast<std::uint32_t>(text.find("ended"))), 4u);
  // Pages are joined as paragraphs: the last word of a page and the first
  // of the next are not one line.
  EXPECT_NE(text.find("2016.\n\nChapter two"), std::string_view::npos) << text;
}

TEST(PagedPreparationTest, PageStartsShapeTheContentHash) {
  SourceDocument a = paged_document();
  SourceDocument b = a;
  b.page_starts[3] -= 1;
  EXPECT_NE(content_hash(a, "v", "f"), content_hash(b, "v", "f"));
}

class PagedSearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::make_temp_dir("paged-search");
    index_ = (dir_ / "idx").string();
    Analyzer analyzer;
    IndexWriter writer(index_, analyzer, test_schema(), {});
    writer.add(paged_document());
    SourceDocument plain;
    plain.id = "plain.txt";
    plain.title = "Plain";
    plain.source = "test/plain.txt";
    plain.text = "Wetland restoration in a text without pages.";
    writer.add(plain);
    writer.commit();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  std::string index_;
};

TEST_F(PagedSearchTest, SnippetsAndJsonNameThePageOfTheirMatch) {
  Searcher searcher(index_);
  SearchRequest request;
  request.query = "\"wetland restoration\"";
  const SearchResults results = searcher.search(request);
  ASSERT_EQ(results.hits.size(), 2u);
  for (const SearchHit& hit : results.hits) {
    ASSERT_FALSE(hit.snippets.empty()) << hit.id;
    if (hit.id == "report.pdf") {
      EXPECT_EQ(hit.pages, 4u);
      EXPECT_EQ(hit.snippets[0].page, 3u);
      EXPECT_EQ(hit.first_page(), 3u);
    } else {
      EXPECT_EQ(hit.pages, 0u);
      EXPECT_EQ(hit.snippets[0].page, 0u);
    }
  }
  const nlohmann::json json = results_to_json(results, searcher.info());
  for (const nlohmann::json& hit : json["results"]) {
    if (hit["id"] == "report.pdf") {
      EXPECT_EQ(hit["pages"], 4);
      EXPECT_EQ(hit["snippets"][0]["page"], 3);
    } else {
      EXPECT_FALSE(hit.contains("pages"));
      EXPECT_FALSE(hit["snippets"][0].contains("page"));
    }
  }
}

TEST_F(PagedSearchTest, KwicLinesAndTheDocumentViewKnowPages) {
  Searcher searcher(index_);
  CountRequest request;
  request.query = "\"marine litter\"";
  request.kwic = true;
  const MatchCounts counts = searcher.count(request);
  ASSERT_EQ(counts.kwic.size(), 2u);
  EXPECT_EQ(counts.kwic[0].page, 1u);
  EXPECT_EQ(counts.kwic[1].page, 4u);
  EXPECT_EQ(kwic_location(counts.kwic[1]), "report.pdf p. 4");

  const std::optional<DocumentView> view = searcher.document("report.pdf", "litter");
  ASSERT_TRUE(view);
  ASSERT_EQ(view->matches.size(), 2u);
  EXPECT_EQ(view->document.page_at(view->matches[0].begin), 1u);
  EXPECT_EQ(view->document.page_at(view->matches[1].begin), 4u);
}

}  // namespace
}  // namespace policy
