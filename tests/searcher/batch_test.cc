// Batch runs (batch.h): counts that agree with single searches and with the
// cleaned texts, error rows, and the same results whatever the number of
// jobs.

#include "searcher/batch.h"

#include <map>
#include <regex>
#include <set>

#include <gtest/gtest.h>

#include "indexer/document_reader.h"
#include "indexer/index_writer.h"
#include "indexer/text_cleaner.h"

#include "searcher/kwic.h"

#include "tests/support/test_support.h"

namespace policy {
namespace {

class BatchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(testing::make_temp_dir("batch"));
    schema_ = new Schema(Schema::load(testing::source_path("schemas")));
    Analyzer analyzer;
    IndexWriter writer(index(), analyzer, *schema_, {});
    DocumentReader reader({}, nullptr);
    for (const InputFile& input : reader.list_inputs({testing::source_path("corpus")})) {
      reader.read(input, [&](SourceDocument&& doc) { writer.add(doc); });
    }
    writer.commit();
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete schema_;
  }
  static std::string index() { return (*dir_ / "idx").string(); }

  static std::vector<BatchResult> run(const std::string& name, const std::string& content, std::size_t jobs) {
    testing::write_file(*dir_ / name, content);
    QuerySource source(*dir_ / name, *schema_);
    BatchOptions options;
    options.jobs = jobs;
    options.kwic = true;
    std::vector<BatchResult> results;
    BatchRunner(index(), options).run(source, [&](const BatchResult& r) { results.push_back(r); });
    return results;
  }

  static std::filesystem::path* dir_;
  static Schema* schema_;
};

std::filesystem::path* BatchTest::dir_ = nullptr;
Schema* BatchTest::schema_ = nullptr;

TEST_F(BatchTest, CountsAgreeWithSingleSearches) {
  const std::vector<std::string> queries = {"cooperation",        "\"climate change\"",      "biodiversity OR water",
                                            "org:ASEAN capacity", "environmental year:2016", "pollution NEAR/8 China"};
  std::string file;
  for (const std::string& q : queries) file += q + "\n";
  const std::vector<BatchResult> results = run("agree.txt", file, 2);
  ASSERT_EQ(results.size(), queries.size());
  Searcher searcher(index());
  for (std::size_t i = 0; i < queries.size(); ++i) {
    SCOPED_TRACE(queries[i]);
    const BatchResult& batch = results[i];
    ASSERT_TRUE(batch.error.empty()) << batch.error;
    SearchRequest request;
    request.query = queries[i];
    request.limit = 0;
    request.facets = true;
    request.facet_limit = 1000;
    const SearchResults single = searcher.search(request);
    EXPECT_EQ(batch.documents, single.total);
    ASSERT_EQ(batch.top.size(), std::min<std::size_t>(10, single.hits.size()));
    for (std::size_t k = 0; k < batch.top.size(); ++k) EXPECT_EQ(batch.top[k].id, single.hits[k].id);
    // Per year and organisation: the same documents as the single search's
    // facets (filtered fields are compared on the unfiltered ones only).
    for (const FieldCounts& counts : batch.counts) {
      if (single.active_filters.contains(counts.field)) continue;
      std::map<std::string, std::uint64_t> from_batch, from_facets;
      for (const ValueCount& v : counts.values) from_batch[v.key] = v.documents;
      for (const FacetResult& f : single.facets) {
        if (f.field != counts.field) continue;
        for (const FacetValue& v : f.values) from_facets[v.key] = v.count;
      }
      EXPECT_EQ(from_batch, from_facets) << counts.field;
    }
  }
}

// Occurrences of a phrase equal its count in the cleaned texts (words in
// sequence, case-insensitive, punctuation between words not counting).
TEST_F(BatchTest, PhraseOccurrencesEqualCountsInTheCleanedTexts) {
  std::map<std::string, std::string> texts;
  DocumentReader reader({}, nullptr);
  for (const InputFile& input : reader.list_inputs({testing::source_path("corpus")})) {
    reader.read(input, [&](SourceDocument&& doc) {
      std::string cleaned = clean_extracted_text(doc.text);
      for (char& c : cleaned) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      texts[doc.id] = cleaned;
    });
  }
  const std::vector<std::string> phrases = {"climate change",          "capacity building",
                                            "green envoys program",    "environmental cooperation",
                                            "south-south cooperation", "air quality"};
  std::string file;
  for (const std::string& p : phrases) file += "\"" + p + "\"\n";
  const std::vector<BatchResult> results = run("phrases.txt", file, 2);
  ASSERT_EQ(results.size(), phrases.size());
  for (std::size_t i = 0; i < phrases.size(); ++i) {
    SCOPED_TRACE(phrases[i]);
    std::string pattern = "(^|[^a-z0-9])";
    for (char c : phrases[i])
      pattern += (c == ' ' || c == '-') ? std::string("(?:['’]s)?[^a-z0-9]+") : std::string(1, c);
    pattern += "(?=$|[^a-z0-9])";
    const std::regex re(pattern);
    std::uint64_t expected = 0;
    std::map<std::string, std::uint64_t> per_document;
    for (const auto& [id, text] : texts) {
      const auto n = static_cast<std::uint64_t>(
          std::distance(std::sregex_iterator(text.begin(), text.end(), re), std::sregex_iterator()));
      expected += n;
      if (n) per_document[id] = n;
    }
    EXPECT_GT(expected, 0u);
    EXPECT_EQ(results[i].occurrences, expected);
    EXPECT_EQ(results[i].kwic.size(), expected);
    // Occurrences per year add up from the documents that have each year.
    for (const FieldCounts& counts : results[i].counts) {
      std::uint64_t documents = 0;
      for (const ValueCount& v : counts.values) documents = std::max(documents, v.documents);
      EXPECT_LE(documents, results[i].documents) << counts.field;
    }
  }
}

TEST_F(BatchTest, MalformedQueriesBecomeErrorRowsAndTheRunGoesOn) {
  const std::vector<BatchResult> results = run("errors.txt", "water\n\"unterminated\n(air\nclimate\n", 2);
  ASSERT_EQ(results.size(), 4u);
  EXPECT_TRUE(results[0].error.empty());
  EXPECT_NE(results[1].error.find("query error at position 0: unterminated phrase"), std::string::npos)
      << results[1].error;
  EXPECT_NE(results[1].error.find("hint: "), std::string::npos);
  EXPECT_FALSE(results[2].error.empty());
  EXPECT_TRUE(results[3].error.empty());
  EXPECT_GT(results[3].documents, 0u);
}

TEST_F(BatchTest, SameResultsWhateverTheNumberOfJobs) {
  std::string file;
  const std::vector<std::string> words = {"cooperation",           "climate", "water",     "biodiversity",
                                          "\"capacity building\"", "China",   "ASEAN",     "policy",
                                          "environment*",          "org:MEP", "year:2016", "energy"};
  for (int round = 0; round < 20; ++round) {
    for (const std::string& w : words) file += w + "\n";
  }
  const std::vector<BatchResult> one = run("jobs.txt", file, 1);
  const std::vector<BatchResult> three = run("jobs.txt", file, 3);
  ASSERT_EQ(one.size(), words.size() * 20);
  ASSERT_EQ(three.size(), one.size());
  for (std::size_t i = 0; i < one.size(); ++i) {
    SCOPED_TRACE(one[i].query.query);
    EXPECT_EQ(three[i].query.index, i);
    EXPECT_EQ(three[i].query.id, one[i].query.id);
    EXPECT_EQ(three[i].documents, one[i].documents);
    EXPECT_EQ(three[i].occurrences, one[i].occurrences);
    EXPECT_EQ(three[i].kwic.size(), one[i].kwic.size());
    ASSERT_EQ(three[i].top.size(), one[i].top.size());
    for (std::size_t k = 0; k < one[i].top.size(); ++k) EXPECT_EQ(three[i].top[k].id, one[i].top[k].id);
  }
}

// A span of text is one occurrence, whatever parts of the query match it:
// each overlapping form counts as its plain form, and KWIC has one line per
// occurrence.
TEST_F(BatchTest, OverlappingPartsOfAQueryCountASpanOnce) {
  Searcher searcher(index());
  const auto counted = [&](const std::string& query) {
    CountRequest request;
    request.query = query;
    request.kwic = true;
    return searcher.count(request);
  };
  const struct {
    std::string overlapping, plain;
  } cases[] = {
      {"envoys OR envoy*", "envoy*"},
      {"envoys envoys", "envoys"},
      {"\"green envoys\" OR envoys", "envoys"},
      {"cooperation OR cooperation OR cooperat*", "cooperat*"},
      {"\"environmental cooperation\" OR cooperation", "cooperation"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.overlapping);
    const MatchCounts overlapping = counted(c.overlapping);
    const MatchCounts plain = counted(c.plain);
    ASSERT_GT(plain.occurrences, 0u);
    EXPECT_EQ(overlapping.documents, plain.documents);
    EXPECT_EQ(overlapping.occurrences, plain.occurrences);
    EXPECT_EQ(overlapping.kwic.size(), overlapping.occurrences);
    std::set<std::pair<std::string, std::uint32_t>> lines;
    for (const KwicLine& line : overlapping.kwic) lines.emplace(line.doc_id, line.begin);
    EXPECT_EQ(lines.size(), overlapping.kwic.size()) << "a line printed twice";
    for (std::size_t f = 0; f < plain.counts.size(); ++f) {
      for (std::size_t v = 0; v < plain.counts[f].values.size(); ++v) {
        EXPECT_EQ(overlapping.counts[f].values[v].occurrences, plain.counts[f].values[v].occurrences)
            << plain.counts[f].field << " " << plain.counts[f].values[v].value;
      }
    }
  }
}

TEST_F(BatchTest, KwicLinesShowTheMatchWithAlignedContext) {
  Searcher searcher(index());
  CountRequest request;
  request.query = "\"cap and trading\"";
  request.kwic = true;
  request.kwic_width = 20;
  const MatchCounts counts = searcher.count(request);
  ASSERT_EQ(counts.kwic.size(), 1u);
  const KwicLine& line = counts.kwic[0];
  EXPECT_EQ(line.doc_id, "epa-collaboration-with-china.html");
  EXPECT_EQ(line.match, "cap and trading");
  // 20 characters each side.
  EXPECT_EQ(line.left, "r dioxide emissions ");
  EXPECT_EQ(line.right, " mechanisms and with");
  EXPECT_EQ(format_kwic_line(line, 20, "[", "]", 0),
            "epa-collaboration-with-china.html  ---- | r dioxide emissions [cap and trading] mechanisms and with");
  KwicLine short_left = line;
  short_left.left = "by ";
  short_left.year = "2016";
  EXPECT_EQ(format_kwic_line(short_left, 20, "[", "]", 34),
            "epa-collaboration-with-china.html   2016 |                  by [cap and trading] mechanisms and with");

  std::vector<KwicLine> lines = {KwicLine{"a", "", "2016", {}, "zeta alpha ", "x", " b", 0},
                                 KwicLine{"b", "", "", {}, "alpha beta ", "x", " a", 0},
                                 KwicLine{"c", "", "2001", {}, "beta gamma ", "x", " c", 0}};
  sort_kwic(lines, KwicOrder::kLeft);  // nearest word left: alpha < beta < gamma
  EXPECT_EQ(lines[0].doc_id, "a");
  EXPECT_EQ(lines[1].doc_id, "b");
  EXPECT_EQ(lines[2].doc_id, "c");
  sort_kwic(lines, KwicOrder::kRight);
  EXPECT_EQ(lines[0].doc_id, "b");
  sort_kwic(lines, KwicOrder::kYear);  // undated last
  EXPECT_EQ(lines[0].doc_id, "c");
  EXPECT_EQ(lines[2].doc_id, "b");
}

}  // namespace
}  // namespace policy
