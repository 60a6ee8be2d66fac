// Trends end to end, on generated corpora other than corpus/: one with sparse
// years (a document every seven years over 150 years) and one with dense
// years (200 documents in 10 years), indexed by the real policy-index and
// reported by policy-search batch. trends.csv is checked against counts
// made directly from the generated texts, results.jsonl's trend against its
// JSON Schema, and report.html in headless chromium: the normalised charts'
// points against trends.csv, the moving average where years are sparse.
// Screenshots are kept in $TMPDIR/policy-search-trends-screenshots/.
#include <map>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/csv.h"

#include "tests/support/temp_dir_test.h"
#include "tests/support/test_support.h"

namespace policy {
namespace {

using testing::CommandResult;
using testing::run_command;

// Per year, what a reader counts in the generated texts by hand.
struct YearCounts {
  std::uint64_t index_documents = 0, index_words = 0, documents = 0, occurrences = 0;
};

struct Corpus {
  std::string jsonl;
  std::map<long, YearCounts> years;
};

// Documents of random length from a small vocabulary, `per_year` for each
// of `years`. The titles have words (and an acronym) that count nowhere,
// and no query word: a title match would make a document match.
Corpus generate(const std::vector<long>& years, int per_year, unsigned seed) {
  static const std::vector<std::string> vocabulary = {"trade", "policy", "EU",  "forest",  "energy", "tariff",
                                                      "plan",  "water",  "the", "tariffs", "of",     "UN"};
  std::mt19937 random(seed);
  std::uniform_int_distribution<std::size_t> length(5, 300), word(0, vocabulary.size() - 1);
  std::uniform_int_distribution<int> none(0, 3);
  Corpus corpus;
  int n = 0;
  for (long year : years) {
    for (int i = 0; i < per_year; ++i) {
      YearCounts& counts = corpus.years[year];
      const bool without_query_word = none(random) == 0;
      std::string text;
      std::uint64_t matches = 0;
      const std::size_t words = length(random);
      for (std::size_t w = 0; w < words; ++w) {
        std::string token = vocabulary[word(random)];
        if (without_query_word && token.starts_with("tariff")) token = "trade";
        if (token.starts_with("tariff")) ++matches;
        text += token + ((w + 1) % 10 == 0 ? ". " : " ");
      }
      ++counts.index_documents;
      counts.index_words += words;
      counts.documents += matches ? 1 : 0;
      counts.occurrences += matches;
      const nlohmann::json line = {{"id", "doc-" + std::to_string(n++)},
                                   {"title", "EU trade plan"},
                                   {"text", text},
                                   {"year", year},
                                   {"language", "en"}};  // random words: no detection
      corpus.jsonl += line.dump() + "\n";
    }
  }
  return corpus;
}

std::vector<long> every(long first, long last, long step) {
  std::vector<long> years;
  for (long y = first; y <= last; y += step) years.push_back(y);
  return years;
}

class TrendsReportTest : public testing::TempDirTest {
 protected:
  // Indexes `corpus`, runs the batch for "tariff" in csv, jsonl and html,
  // and returns the output directory.
  std::filesystem::path report(const std::string& name, const Corpus& corpus) {
    const std::filesystem::path docs = dir_ / (name + ".jsonl");
    testing::write_file(docs, corpus.jsonl);
    const std::string index = (dir_ / (name + "-idx")).string();
    const CommandResult indexed = run_command({POLICY_INDEX_BIN, "--quiet", "--index", index, docs.string()});
    EXPECT_EQ(indexed.exit_code, 0) << indexed.err;
    const std::filesystem::path queries = dir_ / "queries.txt";
    testing::write_file(queries, "tariff\n");
    const std::filesystem::path out = dir_ / (name + "-out");
    const CommandResult batch = run_command({POLICY_SEARCH_BIN, "batch", "--index", index, "--format", "csv,jsonl,html",
                                             "--out", out.string(), queries.string()});
    EXPECT_EQ(batch.exit_code, 0) << batch.err;
    return out;
  }

  // trends.csv's rows of one bin ("year" or "decade"), by period.
  static std::map<std::string, std::map<std::string, std::string>> trend_rows(const std::filesystem::path& out,
                                                                              const std::string& bin) {
    const std::vector<std::vector<std::string>> rows = parse_csv(testing::read_file(out / "trends.csv"));
    std::map<std::string, std::map<std::string, std::string>> by_period;
    for (std::size_t r = 1; r < rows.size(); ++r) {
      if (rows[r].size() != rows[0].size() || rows[r][1] != bin) continue;
      for (std::size_t c = 0; c < rows[0].size(); ++c) by_period[rows[r][2]][rows[0][c]] = rows[r][c];
    }
    return by_period;
  }

  static void expect_years_match(const std::filesystem::path& out, const Corpus& corpus) {
    const auto rows = trend_rows(out, "year");
    ASSERT_EQ(rows.size(), corpus.years.size());
    for (const auto& [year, expected] : corpus.years) {
      SCOPED_TRACE(year);
      const auto found = rows.find(std::to_string(year));
      ASSERT_NE(found, rows.end());
      const auto& row = found->second;
      EXPECT_EQ(row.at("index_documents"), std::to_string(expected.index_documents));
      EXPECT_EQ(row.at("index_words"), std::to_string(expected.index_words));
      EXPECT_EQ(row.at("documents"), std::to_string(expected.documents));
      EXPECT_EQ(row.at("occurrences"), std::to_string(expected.occurrences));
      EXPECT_NEAR(std::stod(row.at("share")), static_cast<double>(expected.documents) / expected.index_documents, 1e-6);
      EXPECT_NEAR(std::stod(row.at("occurrences_per_10k_words")), 10000.0 * expected.occurrences / expected.index_words,
                  1e-4);
    }
  }

  // results.jsonl's trend against the schema's "trend".
  static void expect_trend_matches_schema(const std::filesystem::path& out) {
    const std::string line = testing::read_file(out / "results.jsonl");
    const nlohmann::json trend = nlohmann::json::parse(line.substr(0, line.find('\n')))["trend"];
    const std::filesystem::path file = out / "trend.json";
    testing::write_file(file, trend.dump());
    const CommandResult check = run_command(
        {"/usr/bin/python3", "-c",
         "import json,sys,jsonschema; s=json.load(open(sys.argv[2])); "
         "jsonschema.validate(json.load(open(sys.argv[1])), {'$defs': s['$defs'], '$ref': '#/$defs/trend'})",
         file.string(), testing::source_path("schemas/search-results.schema.json").string()});
    EXPECT_EQ(check.exit_code, 0) << check.err;
  }

  // Renders report.html in headless chromium: a screenshot named `name`,
  // and the DOM as chromium has it.
  std::string render(const std::filesystem::path& out, const std::string& name) {
    const std::filesystem::path shots = std::filesystem::temp_directory_path() / "policy-search-trends-screenshots";
    std::filesystem::create_directories(shots);
    const std::string url = "file://" + (out / "report.html").string();
    const std::vector<std::string> chromium = {
        "chromium",       "--headless",        "--no-sandbox",
        "--disable-gpu",  "--no-first-run",    "--disable-background-networking",
        "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + (dir_ / "chromium-profile").string()};
    std::vector<std::string> shot = chromium;
    shot.insert(shot.end(), {"--window-size=1200,1500", "--screenshot=" + (shots / (name + ".png")).string(), url});
    const CommandResult screenshot = run_command(shot);
    EXPECT_EQ(screenshot.exit_code, 0) << screenshot.err;
    EXPECT_GT(std::filesystem::file_size(shots / (name + ".png")), 20000u);
    std::vector<std::string> dump = chromium;
    dump.insert(dump.end(), {"--dump-dom", url});
    const CommandResult dom = run_command(dump);
    EXPECT_EQ(dom.exit_code, 0) << dom.err;
    return dom.out;
  }

  // Every normalised point of the rendered report against trends.csv's
  // rows of `bin`; returns how many were checked.
  static std::size_t check_rates(const std::string& dom, const std::filesystem::path& out, const std::string& bin) {
    const auto rows = trend_rows(out, bin);
    static const std::regex circle(R"re(<circle class="rate"[^>]*>)re");
    static const std::regex attribute(R"re(data-(value|documents|index-documents|index-words|rate)="([^"]*)")re");
    std::size_t checked = 0;
    for (auto it = std::sregex_iterator(dom.begin(), dom.end(), circle); it != std::sregex_iterator(); ++it) {
      const std::string element = (*it)[0];
      std::map<std::string, std::string> a;
      for (auto m = std::sregex_iterator(element.begin(), element.end(), attribute); m != std::sregex_iterator(); ++m) {
        a[(*m)[1]] = (*m)[2];
      }
      SCOPED_TRACE(a["value"]);
      const auto row = rows.find(a["value"]);
      if (row == rows.end()) {
        ADD_FAILURE() << "no " << bin << " row";
        continue;
      }
      EXPECT_EQ(a["documents"], row->second.at("documents"));
      EXPECT_EQ(a["index-documents"], row->second.at("index_documents"));
      EXPECT_EQ(a["index-words"], row->second.at("index_words"));
      const double rate = std::stod(a["rate"]);
      const double share = 100 * std::stod(row->second.at("share"));
      const double per_10k = std::stod(row->second.at("occurrences_per_10k_words"));
      EXPECT_TRUE(std::abs(rate - share) < 1e-3 || std::abs(rate - per_10k) < 1e-3) << rate;
      ++checked;
    }
    return checked;
  }
};

TEST_F(TrendsReportTest, SparseYearsOver150YearsAreDecadesWithAMovingAverage) {
  const Corpus corpus = generate(every(1870, 2020, 7), 1, 150);
  const std::filesystem::path out = report("sparse", corpus);
  expect_years_match(out, corpus);
  expect_trend_matches_schema(out);
  const auto decades = trend_rows(out, "decade");
  EXPECT_EQ(decades.size(), 15u);  // 1870s .. 2010s: 1870, 1877, ..., 2017
  const std::string dom = render(out, "sparse-years");
  EXPECT_EQ(check_rates(dom, out, "decade"), 2 * decades.size());
  EXPECT_NE(dom.find("3-decade centred moving average"), std::string::npos);
  EXPECT_NE(dom.find("<polyline class=\"smoothed\""), std::string::npos);
}

TEST_F(TrendsReportTest, DenseYearsAreYearsWithoutSmoothing) {
  const Corpus corpus = generate(every(2011, 2020, 1), 20, 10);
  const std::filesystem::path out = report("dense", corpus);
  expect_years_match(out, corpus);
  expect_trend_matches_schema(out);
  EXPECT_TRUE(trend_rows(out, "decade").empty());
  const std::string dom = render(out, "dense-years");
  EXPECT_EQ(check_rates(dom, out, "year"), 2 * corpus.years.size());
  EXPECT_EQ(dom.find("<polyline class=\"smoothed\""), std::string::npos);
}

TEST_F(TrendsReportTest, OneDocumentAYearIsSmoothedOverFiveYears) {
  const Corpus corpus = generate(every(2001, 2019, 1), 1, 5);
  const std::filesystem::path out = report("yearly", corpus);
  expect_years_match(out, corpus);
  const std::string dom = render(out, "one-document-a-year");
  EXPECT_EQ(check_rates(dom, out, "year"), 2 * corpus.years.size());
  EXPECT_NE(dom.find("5-year centred moving average"), std::string::npos);
}

}  // namespace
}  // namespace policy
