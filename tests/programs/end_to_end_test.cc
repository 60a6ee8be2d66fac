// End-to-end: the real policy-index and policy-search binaries on corpus/,
// pinning results, output shapes and exit codes.

#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/body_compression.h"
#include "core/csv.h"

#include "indexer/document_reader.h"
#include "indexer/text_cleaner.h"

#include "tests/support/test_support.h"

namespace policy {
namespace {

using testing::CommandResult;
using testing::run_command;

class EndToEndTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(testing::make_temp_dir("e2e"));
    index_ = new std::string((*dir_ / "idx").string());
    first_run_ =
        new CommandResult(run_command({POLICY_INDEX_BIN, "--index", *index_, testing::source_path("corpus").string()}));
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete index_;
    delete first_run_;
  }

  static CommandResult search(std::vector<std::string> args) {
    std::vector<std::string> argv = {POLICY_SEARCH_BIN, "--index", *index_};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(argv);
  }

  static nlohmann::json search_json(const std::string& query) {
    const CommandResult r = search({"--json", "--limit", "1000", query});
    EXPECT_LE(r.exit_code, 1) << r.err;
    return nlohmann::json::parse(r.out);
  }

  static std::set<std::string> result_ids(const std::string& query) {
    std::set<std::string> ids;
    const nlohmann::json results = search_json(query);
    for (const auto& hit : results["results"]) ids.insert(hit["id"].get<std::string>());
    return ids;
  }

  static std::filesystem::path* dir_;
  static std::string* index_;
  static CommandResult* first_run_;
};

std::filesystem::path* EndToEndTest::dir_ = nullptr;
std::string* EndToEndTest::index_ = nullptr;
CommandResult* EndToEndTest::first_run_ = nullptr;

TEST_F(EndToEndTest, IndexesTheFiveCorpusDocuments) {
  EXPECT_EQ(first_run_->exit_code, 0) << first_run_->err;
  EXPECT_NE(first_run_->out.find("5 added, 0 updated, 0 unchanged, 0 skipped, 0 failed, 0 pruned"), std::string::npos)
      << first_run_->out;
  EXPECT_NE(first_run_->out.find("holds 5 documents"), std::string::npos);
  EXPECT_NE(first_run_->out.find("; 8 PDF pages read"), std::string::npos) << first_run_->out;
}

// corpus/'s PDF has 8 pages; pdftotext -f N -l N finds "Towards Green
// Development" on page 5 alone and "lesser developed countries" on page 8
// alone. Search JSON and KWIC (text and CSV) must name those pages.
TEST_F(EndToEndTest, KnownSentencesOfThePdfReportTheirPage) {
  const std::string pdf = "asean-china-strategy-on-environmental-cooperation-2016-2020.pdf";
  const struct {
    std::string query;
    int page;
  } cases[] = {{"\"Towards Green Development\"", 5}, {"\"lesser developed countries\"", 8}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.query);
    const nlohmann::json results = search_json(c.query);
    ASSERT_EQ(results["results"].size(), 1u);
    const nlohmann::json& hit = results["results"][0];
    EXPECT_EQ(hit["id"], pdf);
    EXPECT_EQ(hit["pages"], 8);
    ASSERT_FALSE(hit["snippets"].empty());
    EXPECT_EQ(hit["snippets"][0]["page"], c.page);

    const CommandResult csv = run_command({POLICY_SEARCH_BIN, "kwic", "--index", *index_, "--csv", c.query});
    ASSERT_EQ(csv.exit_code, 0) << csv.err;
    const auto records = policy::parse_csv(csv.out);
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[0][1], "page");
    EXPECT_EQ(records[1][0], pdf);
    EXPECT_EQ(records[1][1], std::to_string(c.page));
    const CommandResult text = run_command({POLICY_SEARCH_BIN, "kwic", "--index", *index_, c.query});
    EXPECT_NE(text.out.find(pdf + " p. " + std::to_string(c.page) + " "), std::string::npos) << text.out;
  }
  // A web page has no pages.
  const nlohmann::json page = search_json("\"cap and trading\"");
  ASSERT_EQ(page["results"].size(), 1u);
  EXPECT_FALSE(page["results"][0].contains("pages"));
  EXPECT_FALSE(page["results"][0]["snippets"][0].contains("page"));
}

TEST_F(EndToEndTest, SecondRunIsIncremental) {
  const CommandResult again =
      run_command({POLICY_INDEX_BIN, "--index", *index_, testing::source_path("corpus").string()});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("0 added, 0 updated, 5 unchanged"), std::string::npos) << again.out;
}

TEST_F(EndToEndTest, GreenEnvoysPhraseFindsTheAseanChinaDocumentsHighlighted) {
  const CommandResult r = search({"--color", "never", "\"Green Envoys Program\""});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("**Green Envoys Program**"), std::string::npos) << r.out;
  const std::set<std::string> asean_china = {"asean-china-environmental-cooperation-about-us.txt",
                                             "asean-china-strategy-on-environmental-cooperation-2016-2020.pdf"};
  EXPECT_EQ(result_ids("\"Green Envoys Program\""), asean_china);
  // The CAEC page says "Green Envoy Program": the bare words find it too (stemming).
  std::set<std::string> with_caec = asean_china;
  with_caec.insert("caec-main-functions.txt");
  EXPECT_EQ(result_ids("green envoys program"), with_caec);
}

TEST_F(EndToEndTest, CapAndTradingFindsTheEpaPage) {
  EXPECT_EQ(result_ids("\"cap and trading\""), (std::set<std::string>{"epa-collaboration-with-china.html"}));
}

TEST_F(EndToEndTest, IssueExampleQueriesRun) {
  const CommandResult a = search({"\"green envoys program\" biodiversity"});
  EXPECT_EQ(a.exit_code, 0) << a.err;
  // The closest exact "pollution" and "China" in the corpus have 7 other
  // words between them (in the strategy); NEAR/n counts those words.
  EXPECT_EQ(result_ids("\"pollution\" NEAR/6 China"), std::set<std::string>{});
  EXPECT_EQ(result_ids("\"pollution\" NEAR/7 China"),
            std::set<std::string>{"asean-china-strategy-on-environmental-cooperation-2016-2020.pdf"});
  // Unquoted, the word is stemmed: "pollutants ... China" on the EPA page counts too.
  EXPECT_EQ(result_ids("pollution NEAR/8 China"),
            (std::set<std::string>{"asean-china-strategy-on-environmental-cooperation-2016-2020.pdf",
                                   "epa-collaboration-with-china.html"}));
}

// Every example a new user is shown (README's "Using it" commands, the web
// page's syntax table and "Try" list) finds something on corpus/.
TEST_F(EndToEndTest, ExamplesShownToUsersFindDocuments) {
  std::vector<std::string> examples;
  const std::string readme = testing::read_file(testing::source_path("README.md"));
  const std::size_t using_it = readme.find("## Using it");
  ASSERT_NE(using_it, std::string::npos);
  const std::size_t block = readme.find("```sh", using_it);
  const std::string commands = readme.substr(block, readme.find("```", block + 5) - block);
  std::istringstream lines(commands);
  const std::regex search_command(R"(policy-search .*'([^']+)'$)");
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_search(line, match, search_command)) examples.push_back(match[1]);
  }
  const std::string page = testing::read_file(testing::source_path("web/index.html"));
  const std::regex button(R"(class="example">([^<]+)<)");
  for (auto it = std::sregex_iterator(page.begin(), page.end(), button); it != std::sregex_iterator(); ++it) {
    examples.push_back(std::regex_replace(std::string((*it)[1]), std::regex("&quot;"), "\""));
  }
  ASSERT_GE(examples.size(), 10u);
  for (const std::string& query : examples) {
    SCOPED_TRACE(query);
    const nlohmann::json results = search_json(query);
    EXPECT_GT(results["total"].get<int>(), 0);
  }
}

TEST_F(EndToEndTest, MalformedQueriesExitTwoWithPositionAndHint) {
  struct Case {
    std::string query;
    std::string message_part;
  };
  const std::vector<Case> cases = {
      {"\"green envoys", "unterminated"},
      {"(air OR water", "("},
      {"air OR water)", ")"},
      {"author:smith", "unknown field 'author'"},
      // The query is echoed in the JSON error, as valid UTF-8.
      {"war \xFF", "invalid UTF-8 (byte 0xFF)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.query);
    const CommandResult r = search({c.query});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("query error at position"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(c.message_part), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("^"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("hint: "), std::string::npos) << r.err;
    const CommandResult j = search({"--json", c.query});
    EXPECT_EQ(j.exit_code, 2);
    const nlohmann::json error = nlohmann::json::parse(j.out);
    EXPECT_TRUE(error["error"]["position"].is_number());
    EXPECT_EQ(j.err.find("json.exception"), std::string::npos) << j.err;
  }
}

TEST_F(EndToEndTest, NoMatchExitsOneAndMissingIndexExitsTwo) {
  EXPECT_EQ(search({"zzyzxnotaword"}).exit_code, 1);
  const CommandResult missing = run_command({POLICY_SEARCH_BIN, "--index", (*dir_ / "none").string(), "water"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("no index at"), std::string::npos) << missing.err;
}

TEST_F(EndToEndTest, JsonOutputMatchesItsSchema) {
  // Plain results, filtered results with multi-select facets, and an error.
  const std::vector<std::vector<std::string>> runs = {
      {"--json", "--limit", "3", "cooperation", "--filter", "year:2010..2020", "--filter", "org:ASEAN"},
      {"--json", "--limit", "3", "\"green envoys"},
  };
  for (const auto& args : runs) {
    const CommandResult run = search(args);
    const std::filesystem::path out = *dir_ / "result.json";
    testing::write_file(out, run.out);
    const CommandResult check = run_command(
        {"/usr/bin/python3", "-c",
         "import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))",
         out.string(), testing::source_path("schemas/search-results.schema.json").string()});
    EXPECT_EQ(check.exit_code, 0) << check.err << run.out;
  }
  const CommandResult r = search({"--json", "--limit", "3", "climate change"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_FALSE(j["results"].empty());
  // Highlight offsets point at the matched words in the snippet text.
  for (const auto& hit : j["results"]) {
    for (const auto& snippet : hit["snippets"]) {
      const std::string text = snippet["text"];
      for (const auto& h : snippet["highlights"]) {
        const std::string marked =
            text.substr(h[0].get<std::size_t>(), h[1].get<std::size_t>() - h[0].get<std::size_t>());
        EXPECT_TRUE(std::regex_search(marked, std::regex("^(climat|chang)", std::regex::icase))) << marked;
      }
    }
  }
}

// The phrase contract: for phrase queries, the matching documents are exactly
// those whose cleaned text or title holds the phrase's words in sequence,
// compared case-insensitively at word boundaries.
TEST_F(EndToEndTest, PhraseMatchesEqualExactSearchOfCleanedTexts) {
  std::map<std::string, std::string> haystacks;  // id -> lower-cased title + cleaned text
  DocumentReader reader({}, nullptr);
  for (const InputFile& input : reader.list_inputs({testing::source_path("corpus")})) {
    reader.read(input, [&](SourceDocument&& doc) {
      std::string all = doc.title + "\n\n" + clean_extracted_text(doc.text);
      for (char& c : all) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      haystacks[doc.id] = all;
    });
  }
  ASSERT_EQ(haystacks.size(), 5u);

  // Hand-picked phrases, plus every third word pair and triple of plain
  // words drawn from each document's opening.
  std::set<std::string> phrases = {"green envoys program",
                                   "cap and trading",
                                   "capacity building",
                                   "climate change",
                                   "air quality",
                                   "the ministry of environmental protection",
                                   "sustainable development",
                                   "priority areas",
                                   "biodiversity conservation",
                                   "policy dialogue",
                                   "strategic and economic dialogue",
                                   "paris agreement"};
  const std::regex plain_words("([a-z]+) ([a-z]+) ([a-z]+)");
  for (const auto& [id, text] : haystacks) {
    int taken = 0;
    for (auto it =
             std::sregex_iterator(text.begin(), text.begin() + std::min<std::size_t>(text.size(), 4000), plain_words);
         it != std::sregex_iterator() && taken < 12; ++it, ++taken) {
      if (taken % 3 != 0) continue;
      phrases.insert((*it)[1].str() + " " + (*it)[2].str());
      phrases.insert((*it)[0].str());
    }
  }
  ASSERT_GE(phrases.size(), 30u);
  for (const std::string& phrase : phrases) {
    SCOPED_TRACE(phrase);
    std::string pattern = "(^|[^a-z0-9'’])";
    // Phrases match words in sequence: punctuation and a possessive 's between
    // them do not count (the analyzer's documented rules).
    for (char c : phrase) pattern += c == ' ' ? std::string("(?:['’]s)?[^a-z0-9]+") : std::string(1, c);
    pattern += "($|[^a-z0-9])";
    const std::regex re(pattern);
    std::set<std::string> expected;
    for (const auto& [id, text] : haystacks) {
      if (std::regex_search(text, re)) expected.insert(id);
    }
    EXPECT_EQ(result_ids("\"" + phrase + "\""), expected);
  }
}

TEST_F(EndToEndTest, FacetsOnCorpusMatchTheHandLabels) {
  const CommandResult text = search({"--facets", "--no-snippets", "cooperation"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("Facets (exact counts):"), std::string::npos) << text.out;
  for (const char* field : {"\n  organisation ", "\n  year ", "\n  area "}) {
    EXPECT_NE(text.out.find(field), std::string::npos) << field;
  }

  const nlohmann::json labels = nlohmann::json::parse(
      testing::read_file(testing::source_path("tests/golden/extraction_expected.json")))["documents"];
  const CommandResult r =
      search({"--json", "--limit", "1000", "--facet-limit", "1000", "--no-snippets", "cooperation"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["total"], 5);
  std::map<std::string, std::uint64_t> labelled_years, labelled_orgs, stored_areas;
  for (const auto& hit : j["results"]) {
    const nlohmann::json& label = labels.at(hit["id"].get<std::string>());
    if (!label["year"].is_null()) ++labelled_years[std::to_string(label["year"].get<int>())];
    for (const auto& org : label["organisations"]) ++labelled_orgs[org.get<std::string>()];
    for (const auto& area : hit["fields"]["area"]) ++stored_areas[area.get<std::string>()];
  }
  const auto counts = [&](const char* field, const char* by) {
    std::map<std::string, std::uint64_t> out;
    EXPECT_TRUE(j["facets"][field]["exact"].get<bool>()) << field;
    EXPECT_EQ(j["facets"][field]["more"], 0) << field;
    for (const auto& v : j["facets"][field]["values"]) out[v[by].get<std::string>()] = v["count"].get<std::uint64_t>();
    return out;
  };
  EXPECT_EQ(counts("year", "key"), labelled_years);
  EXPECT_EQ(counts("organisation", "key"), labelled_orgs);
  // Areas: the facet counts what extraction tagged (its precision and recall
  // against the labels are held by FieldExtractorTest).
  EXPECT_EQ(counts("area", "value"), stored_areas);
}

TEST_F(EndToEndTest, OrganisationFiltersByAcronymOrNameAndYearRanges) {
  const std::set<std::string> by_acronym = result_ids("org:MEP");
  EXPECT_EQ(by_acronym.size(), 4u);
  EXPECT_EQ(result_ids("org:\"Ministry of Environmental Protection\""), by_acronym);
  EXPECT_EQ(result_ids("org:\"Ministry of Environmental Protection of China\""), by_acronym);
  EXPECT_EQ(result_ids("year:2009..2016"),
            (std::set<std::string>{"us-china-sed-cooperation-2016.txt",
                                   "asean-china-strategy-on-environmental-cooperation-2016-2020.pdf"}));
  EXPECT_EQ(result_ids("year:2017.."), std::set<std::string>{});
  // Values of one field OR, fields AND.
  EXPECT_EQ(result_ids("org:EPA org:\"U.S. Department of Transportation\""),
            (std::set<std::string>{"epa-collaboration-with-china.html", "us-china-sed-cooperation-2016.txt"}));
  EXPECT_EQ(result_ids("org:EPA org:\"U.S. Department of Transportation\" year:2016"),
            std::set<std::string>{"us-china-sed-cooperation-2016.txt"});
  // A custom facet declared in schemas/fields.json, read from the sidecars.
  EXPECT_EQ(result_ids("type:strategy"),
            std::set<std::string>{"asean-china-strategy-on-environmental-cooperation-2016-2020.pdf"});
  EXPECT_EQ(result_ids("document_type:\"web page\"").size(), 4u);
  const CommandResult bad = search({"year:soon"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("not a year or a range of years"), std::string::npos) << bad.err;
}

TEST_F(EndToEndTest, ExplainShowsWhereEachValueCameFrom) {
  const CommandResult r =
      run_command({POLICY_INDEX_BIN, "--index", *index_, "--explain", "us-china-sed-cooperation-2016.txt"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["extraction"]["year"][0]["evidence"][0], "metadata \"year\"");
  bool dot_from_metadata = false;
  for (const auto& v : j["extraction"]["organisation"]) {
    if (v["key"] == "us-dot") dot_from_metadata = v["evidence"][0].get<std::string>().starts_with("metadata");
  }
  EXPECT_TRUE(dot_from_metadata) << r.out;
  EXPECT_EQ(run_command({POLICY_INDEX_BIN, "--index", *index_, "--explain", "nope"}).exit_code, 1);
}

// The dictionary's sample waits in memory: a larger one than the writer
// holds is refused before anything is written.
TEST_F(EndToEndTest, OversizedDictionarySampleIsAUsageError) {
  const std::string index = (*dir_ / "big-sample-idx").string();
  const CommandResult r =
      run_command({POLICY_INDEX_BIN, "--index", index, "--dictionary-sample",
                   std::to_string(BodyDictionary::kMaxSampleBytes + 1), testing::source_path("corpus").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--dictionary-sample is at most " + std::to_string(BodyDictionary::kMaxSampleBytes)),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(index));
}

TEST_F(EndToEndTest, BrokenSchemaStopsTheIndexerAndNamesFileAndField) {
  const std::filesystem::path schemas = *dir_ / "bad-schemas";
  std::filesystem::create_directories(schemas);
  for (const char* name : {"organisations.json", "priority_areas.json"}) {
    std::filesystem::copy_file(testing::source_path("schemas") / name, schemas / name,
                               std::filesystem::copy_options::overwrite_existing);
  }
  testing::write_file(schemas / "fields.json",
                      R"({"version": 1, "fields": [{"name": "x", "kind": "tag", "prefix": "XX", "slot": 10}]})");
  const std::string index = (*dir_ / "bad-schema-idx").string();
  const CommandResult r = run_command(
      {POLICY_INDEX_BIN, "--index", index, "--schema-dir", schemas.string(), testing::source_path("corpus").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("fields.json: field \"x\": unknown kind \"tag\""), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(index));  // nothing written
}

// The issue's check: for several queries, the batch's counts per year and
// organisation equal what single policy-search --json runs report.
TEST_F(EndToEndTest, BatchCountsEqualSingleSearches) {
  const std::filesystem::path queries = *dir_ / "batch-queries.csv";
  testing::write_file(queries,
                      "id,query,year\n"
                      "cc,\"\"\"climate change\"\"\",\n"
                      "coop,cooperation,\n"
                      "bio,biodiversity OR water,\n"
                      "dated,environmental,2010..2020\n"
                      "bad,\"(unbalanced\",\n");
  const std::filesystem::path out = *dir_ / "batch-out";
  const CommandResult r = run_command(
      {POLICY_SEARCH_BIN, "batch", "--index", *index_, "--format", "csv", "--out", out.string(), queries.string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;  // one query failed
  EXPECT_NE(r.err.find("batch-queries.csv:6: bad: query error at position 0"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("5 queries, 1 failed"), std::string::npos) << r.err;

  const auto summary = policy::parse_csv(testing::read_file(out / "summary.csv"));
  ASSERT_EQ(summary.size(), 6u);
  EXPECT_EQ(summary[0], (std::vector<std::string>{"query_id", "query", "filters", "error", "documents", "occurrences",
                                                  "warnings"}));
  EXPECT_EQ(summary[5][0], "bad");
  EXPECT_FALSE(summary[5][3].empty());
  // query_id -> facet -> key -> documents
  std::map<std::string, std::map<std::string, std::map<std::string, std::string>>> counts;
  const auto rows = policy::parse_csv(testing::read_file(out / "counts.csv"));
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0], (std::vector<std::string>{"query_id", "facet", "value", "key", "documents", "occurrences"}));
  for (std::size_t i = 1; i < rows.size(); ++i) counts[rows[i][0]][rows[i][1]][rows[i][3]] = rows[i][4];

  for (std::size_t q = 1; q <= 4; ++q) {
    const std::string id = summary[q][0];
    SCOPED_TRACE(id);
    std::vector<std::string> args = {"--json", "--limit", "0", "--no-snippets", "--facet-limit", "1000"};
    if (id == "dated") args.insert(args.end(), {"--filter", "year:2010..2020"});
    args.push_back(summary[q][1]);
    const CommandResult single = search(args);
    ASSERT_EQ(single.exit_code, 0) << single.err;
    const nlohmann::json j = nlohmann::json::parse(single.out);
    EXPECT_EQ(summary[q][4], std::to_string(j["total"].get<int>()));
    for (const char* facet : {"year", "organisation"}) {
      if (id == "dated" && std::string(facet) == "year") continue;  // the single run counts it without its filter
      std::map<std::string, std::string> expected;
      for (const auto& v : j["facets"][facet]["values"]) expected[v["key"]] = std::to_string(v["count"].get<int>());
      EXPECT_EQ(counts[id][facet], expected) << facet;
    }
  }
}

// The HTML report opens in Debian's chromium: a screenshot is taken, and the
// rendered page holds the charts, whose numbers match counts.csv.
TEST_F(EndToEndTest, HtmlReportRendersInChromiumWithChartsMatchingTheCsv) {
  const std::filesystem::path queries = *dir_ / "html-queries.txt";
  testing::write_file(queries, "\"capacity building\"\ncooperation\n");
  const std::filesystem::path out = *dir_ / "html-out";
  const CommandResult r = run_command({POLICY_SEARCH_BIN, "batch", "--index", *index_, "--format", "html,csv", "--out",
                                       out.string(), queries.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string url = "file://" + (out / "report.html").string();
  const std::vector<std::string> chromium = {"chromium",
                                             "--headless",
                                             "--no-sandbox",
                                             "--disable-gpu",
                                             "--no-first-run",
                                             "--disable-background-networking",
                                             "--disable-component-update",
                                             "--disable-sync",
                                             "--user-data-dir=" + (*dir_ / "chromium-profile").string()};
  std::vector<std::string> shot = chromium;
  shot.insert(shot.end(), {"--window-size=1200,2400", "--screenshot=" + (out / "report.png").string(), url});
  const CommandResult screenshot = run_command(shot);
  ASSERT_EQ(screenshot.exit_code, 0) << screenshot.err;
  ASSERT_TRUE(std::filesystem::exists(out / "report.png"));
  EXPECT_GT(std::filesystem::file_size(out / "report.png"), 20000u);  // a blank page is a few KB

  std::vector<std::string> dump = chromium;
  dump.insert(dump.end(), {"--dump-dom", url});
  const CommandResult dom = run_command(dump);
  ASSERT_EQ(dom.exit_code, 0) << dom.err;
  const std::regex svg("<svg");
  EXPECT_GE(std::distance(std::sregex_iterator(dom.out.begin(), dom.out.end(), svg), std::sregex_iterator()), 6);
  // Every bar and point says which count it draws; compare with counts.csv.
  std::map<std::string, std::string> csv;  // "query|facet|value" -> documents
  for (const auto& row : policy::parse_csv(testing::read_file(out / "counts.csv"))) {
    if (row.size() >= 5) csv[row[0] + "|" + row[1] + "|" + row[2]] = row[4];
  }
  const std::regex mark(R"re(<(rect|circle)[^>]*class="(bar|point)"[^>]*>)re");
  const std::regex attr(R"re(data-(query|facet|value|documents)="([^"]*)")re");
  std::size_t checked = 0;
  for (auto it = std::sregex_iterator(dom.out.begin(), dom.out.end(), mark); it != std::sregex_iterator(); ++it) {
    std::map<std::string, std::string> a;
    const std::string element = (*it)[0];
    for (auto m = std::sregex_iterator(element.begin(), element.end(), attr); m != std::sregex_iterator(); ++m) {
      a[(*m)[1]] = (*m)[2];
    }
    const std::string key = a["query"] + "|" + a["facet"] + "|" + a["value"];
    if (a["documents"] == "0" && !csv.contains(key)) continue;  // a year with no documents in the trend
    SCOPED_TRACE(key);
    ASSERT_TRUE(csv.contains(key));
    EXPECT_EQ(a["documents"], csv[key]);
    ++checked;
  }
  EXPECT_GE(checked, 10u);
}

TEST_F(EndToEndTest, BatchOutputIsTheSameWhateverTheNumberOfJobs) {
  const std::filesystem::path queries = *dir_ / "jobs-queries.txt";
  std::string lines;
  for (int i = 0; i < 30; ++i)
    lines += std::vector<std::string>{"water", "\"climate change\"", "ASEAN", "org:MEP energy", "bad)"}[i % 5] + "\n";
  testing::write_file(queries, lines);
  setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
  for (const char* jobs : {"1", "2"}) {
    run_command({POLICY_SEARCH_BIN, "batch", "--index", *index_, "--jobs", jobs, "--format",
                 "csv,jsonl,md,html,trec,kwic", "--out", (*dir_ / (std::string("jobs-") + jobs)).string(),
                 queries.string()});
  }
  unsetenv("SOURCE_DATE_EPOCH");
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(*dir_ / "jobs-1")) {
    SCOPED_TRACE(entry.path().filename().string());
    EXPECT_EQ(testing::read_file(entry.path()), testing::read_file(*dir_ / "jobs-2" / entry.path().filename()));
    ++files;
  }
  EXPECT_GE(files, 9u);
  EXPECT_NE(testing::read_file(*dir_ / "jobs-1" / "run.json").find("2023-11-14T22:13:20Z"), std::string::npos);
}

TEST_F(EndToEndTest, KwicPrintsAlignedLinesAndCsv) {
  const CommandResult lines = run_command({POLICY_SEARCH_BIN, "kwic", "--index", *index_, "--color", "never", "--width",
                                           "25", "--sort", "left", "\"capacity building\""});
  ASSERT_EQ(lines.exit_code, 0) << lines.err;
  std::vector<std::string> rows;
  std::istringstream in(lines.out);
  for (std::string line; std::getline(in, line);) rows.push_back(line);
  ASSERT_GE(rows.size(), 2u);
  // stdout holds the lines alone; the count goes to stderr (issue 22).
  EXPECT_EQ(lines.out.find("occurrences in"), std::string::npos) << lines.out;
  EXPECT_NE(lines.err.find("occurrences in"), std::string::npos) << lines.err;
  // Every match starts in the same column (counted in characters).
  const auto match_column = [](const std::string& row) {
    const std::size_t at = row.find("apacity building]");
    return std::count_if(row.begin(), row.begin() + static_cast<long>(at),
                         [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
  };
  const auto column = match_column(rows[0]);
  for (std::size_t i = 0; i + 1 < rows.size(); ++i) EXPECT_EQ(match_column(rows[i]), column) << rows[i];
  const CommandResult csv =
      run_command({POLICY_SEARCH_BIN, "kwic", "--index", *index_, "--csv", "\"cap and trading\""});
  ASSERT_EQ(csv.exit_code, 0);
  const auto records = policy::parse_csv(csv.out);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1][0], "epa-collaboration-with-china.html");
  EXPECT_EQ(records[0][1], "page");
  EXPECT_EQ(records[1][1], "") << "a text file has no pages";
  EXPECT_EQ(records[1][5], "cap and trading");
  EXPECT_EQ(run_command({POLICY_SEARCH_BIN, "kwic", "--index", *index_, "zzyzx"}).exit_code, 1);
  EXPECT_EQ(run_command({POLICY_SEARCH_BIN, "kwic", "--index", *index_, "--sort", "size", "water"}).exit_code, 2);
}

// --any-words on search, kwic and batch: a pasted sentence whose colon is
// a query error in syntax, read as any of its words.
TEST_F(EndToEndTest, AnyWordsReadsPastedTextInEveryCommand) {
  const std::string text = "Cooperation on water: the rivers and biodiversity of the region";
  EXPECT_EQ(search({text}).exit_code, 2);
  const CommandResult found = search({"--json", "--any-words", text});
  ASSERT_EQ(found.exit_code, 0) << found.err;
  const nlohmann::json results = nlohmann::json::parse(found.out);
  EXPECT_GT(results["total"].get<int>(), 0);
  EXPECT_NE(found.err.find("stopwords were not searched: on, the, and, of"), std::string::npos) << found.err;

  const CommandResult lines =
      run_command({POLICY_SEARCH_BIN, "kwic", "--index", *index_, "--color", "never", "--any-words", text});
  EXPECT_EQ(lines.exit_code, 0) << lines.err;
  EXPECT_FALSE(lines.out.empty());

  const std::filesystem::path queries = *dir_ / "any-words-queries.txt";
  testing::write_file(queries, text + "\n");
  const std::filesystem::path out = *dir_ / "any-words-out";
  const CommandResult batch = run_command({POLICY_SEARCH_BIN, "batch", "--index", *index_, "--any-words", "--format",
                                           "csv", "--out", out.string(), queries.string()});
  ASSERT_EQ(batch.exit_code, 0) << batch.err;
  const auto summary = policy::parse_csv(testing::read_file(out / "summary.csv"));
  ASSERT_EQ(summary.size(), 2u);
  EXPECT_EQ(summary[1][4], std::to_string(results["total"].get<int>()));
}

TEST_F(EndToEndTest, HelpDocumentsExitCodes) {
  const CommandResult index_help = run_command({POLICY_INDEX_BIN, "--help"});
  EXPECT_EQ(index_help.exit_code, 0);
  EXPECT_NE(index_help.out.find("Exit codes:"), std::string::npos);
  const CommandResult search_help = run_command({POLICY_SEARCH_BIN, "--help"});
  EXPECT_EQ(search_help.exit_code, 0);
  EXPECT_NE(search_help.out.find("Exit codes:"), std::string::npos);
  EXPECT_EQ(run_command({POLICY_SEARCH_BIN, "--bogus"}).exit_code, 2);
}

TEST_F(EndToEndTest, BadInputsGiveExitOneAndTheRestIsIndexed) {
  const std::filesystem::path inputs = *dir_ / "mixed";
  testing::write_file(inputs / "good.txt", "A good document about water quality.");
  testing::write_file(inputs / "empty.txt", "");
  testing::write_file(inputs / "binary.txt", std::string("\x00\x01\x02", 3));
  testing::write_file(inputs / "lines.jsonl", "{\"id\": \"j\", \"text\": \"jsonl water\"}\n{oops\n");
  const std::string index = (*dir_ / "mixed-idx").string();
  const CommandResult r = run_command({POLICY_INDEX_BIN, "--index", index, inputs.string()});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("2 added, 0 updated, 0 unchanged, 2 skipped, 1 failed"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("lines.jsonl:2: error: malformed JSON"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("binary.txt: warning: binary file"), std::string::npos) << r.err;
  const CommandResult s = run_command({POLICY_SEARCH_BIN, "--index", index, "--json", "water"});
  EXPECT_EQ(nlohmann::json::parse(s.out)["total"], 2);
}

TEST_F(EndToEndTest, PruneRemovesDocumentsWhoseSourceIsGone) {
  const std::filesystem::path inputs = *dir_ / "prune";
  testing::write_file(inputs / "a.txt", "Alpha water.");
  testing::write_file(inputs / "b.txt", "Beta water.");
  const std::string index = (*dir_ / "prune-idx").string();
  ASSERT_EQ(run_command({POLICY_INDEX_BIN, "--index", index, inputs.string()}).exit_code, 0);
  std::filesystem::remove(inputs / "b.txt");
  testing::write_file(inputs / "a.txt", "Alpha water, changed.");
  const CommandResult r = run_command({POLICY_INDEX_BIN, "--index", index, "--prune", inputs.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("0 added, 1 updated, 0 unchanged, 0 skipped, 0 failed, 1 pruned"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("holds 1 document "), std::string::npos) << r.out;
}

TEST_F(EndToEndTest, OverlongIdFailsOneLineAndTheRunGoesOn) {
  const std::filesystem::path inputs = *dir_ / "long-id";
  testing::write_file(inputs / "lines.jsonl", "{\"id\": \"" + std::string(300, 'x') +
                                                  "\", \"text\": \"arsenic\"}\n"
                                                  "{\"id\": \"short\", \"text\": \"arsenic too\"}\n");
  const std::string index = (*dir_ / "long-id-idx").string();
  const CommandResult r = run_command({POLICY_INDEX_BIN, "--index", index, inputs.string()});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("1 added, 0 updated, 0 unchanged, 0 skipped, 1 failed"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("lines.jsonl:1: error: document id is 300 bytes long"), std::string::npos) << r.err;
}

TEST_F(EndToEndTest, DashWordAsItsOwnArgumentGetsAnExclusionHint) {
  const CommandResult r = search({"water", "-china"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("hint: to exclude a word, quote the whole query ('water -china') or put the query after --"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(search({"--json", "--", "water", "-china"}).exit_code, 1);
}

// Issue 22, end to end: a filter value that names nothing warns on stderr
// (exit code unchanged), in --json, in kwic and in a batch's row.
TEST_F(EndToEndTest, FilterValuesThatNameNothingWarn) {
  const CommandResult text = search({"--no-snippets", "cooperation", "org:Lincoln"});
  EXPECT_EQ(text.exit_code, 1) << text.err;  // nothing matched, as documented
  EXPECT_NE(text.err.find("policy-search: warning: org:Lincoln matches no organisation in the index"),
            std::string::npos)
      << text.err;
  const CommandResult un = search({"--json", "--filter", "org:UN", "cooperation"});
  EXPECT_EQ(un.exit_code, 1) << un.err;
  const nlohmann::json j = nlohmann::json::parse(un.out);
  ASSERT_EQ(j["warnings"].size(), 1u);
  EXPECT_EQ(j["warnings"][0]["code"], "unknown_filter_value");
  EXPECT_EQ(j["warnings"][0]["field"], "organisation");
  EXPECT_EQ(j["warnings"][0]["value"], "UN");
  const nlohmann::json suggestions = j["warnings"][0]["suggestions"];
  EXPECT_NE(std::find(suggestions.begin(), suggestions.end(), "United Nations Environment Programme"),
            suggestions.end())
      << suggestions;
  EXPECT_NE(un.err.find("warning: org:UN"), std::string::npos) << un.err;
  // A value that names something warns about nothing.
  const CommandResult fine = search({"--json", "--filter", "org:ASEAN", "cooperation"});
  EXPECT_EQ(fine.exit_code, 0) << fine.err;
  EXPECT_EQ(nlohmann::json::parse(fine.out)["warnings"], nlohmann::json::array());
  EXPECT_EQ(fine.err, "");

  const CommandResult kwic =
      run_command({POLICY_SEARCH_BIN, "kwic", "--index", *index_, "--filter", "org:\"Joe Biden\"", "cooperation"});
  EXPECT_EQ(kwic.exit_code, 1);
  EXPECT_NE(kwic.err.find("policy-search kwic: warning: org:\"Joe Biden\" matches no organisation"), std::string::npos)
      << kwic.err;

  const std::filesystem::path queries = *dir_ / "warned-queries.csv";
  testing::write_file(queries, "id,query,org\nlincoln,cooperation,Lincoln\nasean,cooperation,ASEAN\n");
  const std::filesystem::path out = *dir_ / "warned-out";
  const CommandResult batch = run_command({POLICY_SEARCH_BIN, "batch", "--index", *index_, "--format", "csv,jsonl,md",
                                           "--out", out.string(), queries.string()});
  EXPECT_EQ(batch.exit_code, 0) << batch.err;
  // The column's cells become filters on the field's own name.
  EXPECT_NE(batch.err.find("warned-queries.csv:2: lincoln: warning: organisation:Lincoln matches no organisation"),
            std::string::npos)
      << batch.err;
  EXPECT_NE(batch.err.find("2 queries, 0 failed, 1 with warnings"), std::string::npos) << batch.err;
  const auto summary = policy::parse_csv(testing::read_file(out / "summary.csv"));
  ASSERT_EQ(summary.size(), 3u);
  EXPECT_EQ(summary[1][0], "lincoln");
  EXPECT_NE(summary[1][6].find("organisation:Lincoln matches no organisation"), std::string::npos) << summary[1][6];
  EXPECT_EQ(summary[2][6], "");
  std::istringstream lines(testing::read_file(out / "results.jsonl"));
  std::string first;
  std::getline(lines, first);
  EXPECT_EQ(nlohmann::json::parse(first)["warnings"][0]["value"], "Lincoln");
  EXPECT_NE(testing::read_file(out / "report.md").find("> **Warning:** organisation:Lincoln"), std::string::npos);
}

// Issue 22: year ranges as analysts write them.
TEST_F(EndToEndTest, NaturalYearRanges) {
  const std::set<std::string> dated = {"asean-china-strategy-on-environmental-cooperation-2016-2020.pdf",
                                       "us-china-sed-cooperation-2016.txt"};
  for (const char* query : {"year:2016", "year:2010-2020", "year:>2015", "year:>=2016", "year:<2017", "year:<=2016",
                            "year:2016..", "year:..2016"}) {
    SCOPED_TRACE(query);
    EXPECT_EQ(result_ids(std::string("cooperation ") + query), dated);
  }
  for (const char* query : {"year:>2016", "year:<2016", "year:1800-1850"}) {
    SCOPED_TRACE(query);
    const CommandResult r = search({"--json", "cooperation", query});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out)["warnings"][0]["suggestions"], nlohmann::json::array({"2016"}));
  }
  const CommandResult bad = search({"year:2020-2010"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("query error at position 0: '2020-2010' is not a year or a range of years"), std::string::npos)
      << bad.err;
}

// Issue 22, the smaller items: the caret of a filter's error, facets in
// text, a folder that is no index.
TEST_F(EndToEndTest, FilterErrorsFacetListingAndNotAnIndex) {
  const CommandResult filter = search({"--filter", "tariff", "climate"});
  EXPECT_EQ(filter.exit_code, 2);
  EXPECT_EQ(filter.err,
            "policy-search: filter error at position 0: 'tariff' is not a filter\n"
            "  tariff\n"
            "  ^\n"
            "hint: a filter is field:value on a schema field, e.g. org:MEP or year:2010..2015\n");
  const CommandResult json = search({"--json", "--filter", "tariff", "climate"});
  EXPECT_EQ(nlohmann::json::parse(json.out)["error"]["filter"], "tariff");

  // Years in their own order; a field without values says so.
  const CommandResult facets = search({"--facets", "--no-snippets", "--color", "never", "cooperation"});
  ASSERT_EQ(facets.exit_code, 0) << facets.err;
  std::istringstream in(facets.out);
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("  years_mentioned")) {
      std::vector<int> years;
      const std::regex year(R"((\d{4}) \(\d+\))");
      for (auto it = std::sregex_iterator(line.begin(), line.end(), year); it != std::sregex_iterator(); ++it) {
        years.push_back(std::stoi((*it)[1]));
      }
      EXPECT_GT(years.size(), 2u) << line;
      EXPECT_TRUE(std::is_sorted(years.begin(), years.end())) << line;
    }
    EXPECT_FALSE(line.ends_with(" -")) << line;
  }

  // The documents' folder given as --index, for each command.
  const std::string corpus = testing::source_path("corpus").string();
  const std::vector<std::vector<std::string>> commands = {
      {POLICY_SEARCH_BIN, "--index", corpus, "water"},
      {POLICY_SEARCH_BIN, "kwic", "--index", corpus, "water"},
      {POLICY_SEARCH_BIN, "batch", "--index", corpus, "--out", (*dir_ / "no-out").string(), corpus + "/README.md"},
      {POLICY_SEARCH_BIN, "serve", "--index", corpus, "--listen", "127.0.0.1:0"},
  };
  for (const auto& command : commands) {
    SCOPED_TRACE(command[1]);
    const CommandResult r = run_command(command);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("error: '" + corpus + "' is not a policy-search index (no Xapian database found)"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(r.err.find("DatabaseNotFoundError"), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace policy
