// Report writers: every format written from three hand-made results (a
// failed query, one without years, one with everything and text that needs
// escaping), then read back and checked against the input.
#include "searcher/reports/report_writer.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/errors.h"

namespace policy {
namespace {

namespace fs = std::filesystem;
using Rows = std::vector<std::vector<std::string>>;

// ------------------------------------------------------------ test data

Snippet snippet_with(const std::string& text, const std::vector<std::string>& marked) {
  Snippet s;
  s.text = text;
  for (const std::string& m : marked) {
    const std::size_t at = text.find(m);
    if (at == std::string::npos) throw std::logic_error("no '" + m + "' in snippet");
    s.highlights.push_back(Highlight{static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(at + m.size())});
  }
  return s;
}

RunInfo sample_run() {
  RunInfo run;
  run.index.path = "/data/policy index";
  run.index.documents = 1234;
  run.index.analyzer = "policy-analyzer/1 stem=english";
  run.index.schema = "policy-schema/1";
  run.index.icu = "74.2";
  run.index.build_id = "build-42";
  run.index.indexed_at = "2024-05-01T00:00:00Z";
  run.schema_fingerprint = "f00dfeed";
  run.program_version = "0.1.0";
  run.queries_file = "queries.tsv";
  run.started_at = "2024-05-02T10:00:00Z";
  run.counted_fields = {"organisation", "year", "area", "years_mentioned", "document_type"};
  return run;
}

std::vector<BatchResult> sample_results() {
  std::vector<BatchResult> results(3);

  BatchResult& failed = results[0];
  failed.query = {0, "bad", "\"unclosed <phrase>", {}, "queries.tsv:2", ""};
  failed.error = "query error at position 0: unclosed quote\nhint: add a closing \" & retry";

  BatchResult& no_years = results[1];
  no_years.query = {1, "no-years", "ozone | smog", {"area:air"}, "queries.tsv:3", ""};
  no_years.documents = 2;
  no_years.occurrences = 5;
  no_years.counts = {
      {"organisation",
       {{"MEP", "Ministry of Environment Protection", 2, 4}, {"EEA", "European Environment Agency", 1, 1}}},
      {"year", {}},
      {"area", {{"air", "Air quality", 2, 5}}},
      {"years_mentioned", {}},
      {"document_type", {}},
  };
  SearchHit plain;
  plain.rank = 1;
  plain.score = 3.5;
  plain.id = "a.txt";
  plain.title = "Ozone";
  plain.fields = nlohmann::json::object();
  no_years.top = {plain};

  BatchResult& full = results[2];
  full.query = {2, "q, \"full\"", "\"green envoys\" <b>&", {"org:MEP", "year:2012..2016"}, "queries.tsv:4", ""};
  full.documents = 7;
  full.occurrences = 19;
  FieldCounts orgs{"organisation",
                   {{"min-env", "Ministère de l'Environnement, \"Énergie\" & Co <x>", 6, 10},
                    {"MEP", "Ministry of Environment Protection", 5, 6}}};
  const std::vector<std::uint64_t> org_docs = {4, 3, 3, 2, 2, 1, 1, 1, 1, 1};
  for (std::size_t i = 0; i < org_docs.size(); ++i) {
    const std::string name = std::string("Org ") + static_cast<char>('A' + i);
    orgs.values.push_back({"org-" + std::to_string(i), name, org_docs[i], org_docs[i]});
  }
  full.counts = {
      orgs,
      {"year", {{"2016", "2016", 3, 8}, {"2012", "2012", 2, 6}, {"2015", "2015", 2, 5}}},
      {"area", {{"air", "Air & water", 5, 12}, {"climate", "Climate | energy", 2, 7}}},
      {"years_mentioned", {{"2020", "2020", 3, 3}}},
      {"document_type", {{"report", "Annual report, \"final\"", 4, 4}}},
  };
  SearchHit first;
  first.rank = 1;
  first.score = 12.25;
  first.id = "docs/annual report 2016.txt";
  first.title = "Green envoys, \"the\" report\nsecond line";
  first.source = "docs/annual report 2016.txt";
  first.metadata = {{"year", 2016}};
  first.fields = {{"year", {"2016"}}, {"organisation", {"Ministry of Environment Protection", "Ministère"}}};
  first.snippets = {snippet_with("… the \"green envoys\" met <b> & agreed, naïvely, in Zürich …", {"green envoys"}),
                    snippet_with("Green envoys again", {"Green envoys"})};
  SearchHit second;
  second.rank = 2;
  second.score = 7.5;
  second.id = "b.txt";
  second.title = "B & <c>";
  second.metadata = {{"year", 2012}};
  second.fields = nlohmann::json::object();
  second.snippets = {snippet_with("a green, envoy-like <tag>", {"green"})};
  full.top = {first, second};
  full.kwic = {
      {"docs/annual report 2016.txt",
       first.title,
       "2016",
       {"MEP", "Ministère"},
       "the \"so-called\", ",
       "green envoys",
       " met in Zürich",
       10},
      {"b.txt", second.title, "", {}, "a ", "green", ", envoy-like\n<tag>", 2},
  };
  return results;
}

RunSummary sample_summary() { return RunSummary{3, 1}; }

// Writes every format the way a batch run does: begin all, add each result
// to all in order, finish all.
void write_reports(const fs::path& dir) {
  std::vector<std::unique_ptr<ReportWriter>> writers;
  for (const std::string& format : report_formats()) writers.push_back(make_report_writer(format, dir));
  for (auto& w : writers) w->begin(sample_run());
  for (const BatchResult& r : sample_results()) {
    for (auto& w : writers) w->add(r);
  }
  for (auto& w : writers) w->finish(sample_summary());
}

// ------------------------------------------------------------ readers

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A strict RFC 4180 check of what the writers produce (policy::parse_csv
// reads leniently): records end in CRLF; quoted fields may hold commas, quotes
// (doubled) and line breaks. A bare LF outside quotes is an error.
Rows parse_csv_strictly(const std::string& text) {
  Rows rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, field_started = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
      continue;
    }
    if (c == '"' && !field_started) {
      quoted = field_started = true;
    } else if (c == ',') {
      row.push_back(field);
      field.clear();
      field_started = false;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      row.push_back(field);
      rows.push_back(row);
      row.clear();
      field.clear();
      field_started = false;
      ++i;
    } else if (c == '\n' || c == '\r' || c == '"') {
      ADD_FAILURE() << "bare line break or stray quote at byte " << i;
    } else {
      field += c;
      field_started = true;
    }
  }
  EXPECT_FALSE(quoted) << "unterminated quoted field";
  EXPECT_TRUE(field.empty() && row.empty()) << "last record without CRLF";
  return rows;
}

std::string html_unescape(std::string text) {
  const std::vector<std::pair<std::string, std::string>> entities = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}};
  for (const auto& [entity, plain] : entities) {
    for (std::size_t at = text.find(entity); at != std::string::npos; at = text.find(entity, at + plain.size())) {
      text.replace(at, entity.size(), plain);
    }
  }
  return text;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? separator : "") + parts[i];
  return out;
}

// ------------------------------------------------------------ fixture

class ReportWriterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = fs::temp_directory_path() / ("report-test-" + std::to_string(getpid()));
    fs::remove_all(root_);
    write_reports(root_ / "out");
  }
  static void TearDownTestSuite() {
    if (!::testing::UnitTest::GetInstance()->Failed()) fs::remove_all(root_);
  }
  static fs::path out() { return root_ / "out"; }
  static fs::path root_;
};
fs::path ReportWriterTest::root_;

TEST(HtmlEscapeTest, EscapesMarkupAndQuotes) {
  const struct {
    std::string in, out;
  } cases[] = {
      {"", ""},
      {"plain ü", "plain ü"},
      {"<b>&</b>", "&lt;b&gt;&amp;&lt;/b&gt;"},
      {"\"q\" 'a'", "&quot;q&quot; &#39;a&#39;"},
      {"&amp;", "&amp;amp;"},
      {"bell\x07", "bell "},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.in);
    EXPECT_EQ(html_escape(c.in), c.out);
  }
}

TEST(ReportFormatsTest, UnknownFormatThrowsRequestError) {
  const fs::path dir = fs::temp_directory_path() / ("report-test-unknown-" + std::to_string(getpid()));
  EXPECT_THROW(make_report_writer("pdf", dir), RequestError);
  EXPECT_THROW(make_report_writer("", dir), RequestError);
  EXPECT_THROW(make_report_writer("CSV", dir), RequestError);
  try {
    make_report_writer("pdf", dir);
  } catch (const RequestError& e) {
    EXPECT_STREQ(e.what(), "unknown report format 'pdf' (known: csv, jsonl, md, html, trec, kwic)");
  }
  EXPECT_FALSE(fs::exists(dir)) << "nothing is created for an unknown format";
  EXPECT_EQ(report_formats(), (std::vector<std::string>{"csv", "jsonl", "md", "html", "trec", "kwic"}));
}

TEST(ReportFormatsTest, UnwritableOutputThrowsFileErrorNamingThePath) {
  const fs::path root = fs::temp_directory_path() / ("report-test-unwritable-" + std::to_string(getpid()));
  fs::remove_all(root);
  fs::create_directories(root);
  std::ofstream(root / "regular-file") << "x";
  const std::map<std::string, std::string> main_file = {{"csv", "summary.csv"}, {"jsonl", "results.jsonl"},
                                                        {"md", "report.md"},    {"html", "report.html"},
                                                        {"trec", "run.trec"},   {"kwic", "kwic.csv"}};
  for (const std::string& format : report_formats()) {
    SCOPED_TRACE(format);
    // A directory under a regular file cannot be created.
    const fs::path under_file = root / "regular-file" / "out";
    try {
      make_report_writer(format, under_file);
      ADD_FAILURE() << "no exception";
    } catch (const FileError& e) {
      EXPECT_NE(std::string(e.what()).find(under_file.string()), std::string::npos) << e.what();
    }
    // A report file that is a directory cannot be opened.
    const fs::path dir = root / ("blocked-" + format);
    fs::create_directories(dir / main_file.at(format));
    try {
      make_report_writer(format, dir);
      ADD_FAILURE() << "no exception";
    } catch (const FileError& e) {
      EXPECT_NE(std::string(e.what()).find((dir / main_file.at(format)).string()), std::string::npos) << e.what();
    }
  }
  fs::remove_all(root);
}

TEST_F(ReportWriterTest, WritesTheDocumentedFilesAndNoTemporaries) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(out())) names.insert(entry.path().filename().string());
  EXPECT_EQ(names, (std::set<std::string>{"summary.csv", "counts.csv", "top.csv", "results.jsonl", "report.md",
                                          "report.html", "run.trec", "kwic.csv", "run.json"}));
}

TEST_F(ReportWriterTest, OutputIsTheSameEveryRun) {
  write_reports(root_ / "again");
  for (const auto& entry : fs::directory_iterator(out())) {
    SCOPED_TRACE(entry.path().filename().string());
    EXPECT_EQ(slurp(entry.path()), slurp(root_ / "again" / entry.path().filename()));
  }
}

TEST_F(ReportWriterTest, RunJsonRecordsIndexProgramAndSummary) {
  const nlohmann::json run = nlohmann::json::parse(slurp(out() / "run.json"));
  EXPECT_EQ(run["index"]["path"], "/data/policy index");
  EXPECT_EQ(run["index"]["documents"], 1234);
  EXPECT_EQ(run["index"]["build_id"], "build-42");
  EXPECT_EQ(run["index"]["analyzer"], "policy-analyzer/1 stem=english");
  EXPECT_EQ(run["index"]["schema"], "policy-schema/1");
  EXPECT_EQ(run["index"]["schema_fingerprint"], "f00dfeed");
  EXPECT_EQ(run["program_version"], "0.1.0");
  EXPECT_EQ(run["queries_file"], "queries.tsv");
  EXPECT_EQ(run["started_at"], "2024-05-02T10:00:00Z");
  EXPECT_EQ(run["summary"]["queries"], 3);
  EXPECT_EQ(run["summary"]["failed"], 1);
}

TEST_F(ReportWriterTest, SummaryCsvHasOneRowPerQuery) {
  const Rows rows = parse_csv_strictly(slurp(out() / "summary.csv"));
  Rows expected = {{"query_id", "query", "filters", "error", "documents", "occurrences"}};
  for (const BatchResult& r : sample_results()) {
    const bool failed = !r.error.empty();
    expected.push_back({r.query.id, r.query.query, join(r.query.filters, " "), r.error,
                        failed ? "0" : std::to_string(r.documents), failed ? "0" : std::to_string(r.occurrences)});
  }
  EXPECT_EQ(rows, expected);
  EXPECT_EQ(rows[3][2], "org:MEP year:2012..2016");
}

TEST_F(ReportWriterTest, CountsCsvEqualsTheInputCounts) {
  const Rows rows = parse_csv_strictly(slurp(out() / "counts.csv"));
  Rows expected = {{"query_id", "facet", "value", "key", "documents", "occurrences"}};
  for (const BatchResult& r : sample_results()) {
    for (const FieldCounts& f : r.counts) {
      for (const ValueCount& v : f.values) {
        expected.push_back(
            {r.query.id, f.field, v.value, v.key, std::to_string(v.documents), std::to_string(v.occurrences)});
      }
    }
  }
  EXPECT_EQ(rows, expected);
}

TEST_F(ReportWriterTest, TopCsvHasEveryHit) {
  const Rows rows = parse_csv_strictly(slurp(out() / "top.csv"));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"query_id", "rank", "doc_id", "title", "score", "year", "snippet"}));
  const struct {
    std::size_t row;
    std::string query_id, rank, doc_id, title, year;
  } cases[] = {
      {1, "no-years", "1", "a.txt", "Ozone", ""},
      {2, "q, \"full\"", "1", "docs/annual report 2016.txt", "Green envoys, \"the\" report\nsecond line", "2016"},
      {3, "q, \"full\"", "2", "b.txt", "B & <c>", "2012"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.row);
    ASSERT_EQ(rows[c.row].size(), 7u);
    EXPECT_EQ(rows[c.row][0], c.query_id);
    EXPECT_EQ(rows[c.row][1], c.rank);
    EXPECT_EQ(rows[c.row][2], c.doc_id);
    EXPECT_EQ(rows[c.row][3], c.title);
    EXPECT_EQ(std::stod(rows[c.row][4]),
              sample_results()[c.query_id == "no-years" ? 1 : 2].top[c.rank == "1" ? 0 : 1].score);
    EXPECT_EQ(rows[c.row][5], c.year);
  }
  EXPECT_EQ(rows[3][6], "a green, envoy-like <tag>");
  EXPECT_NE(rows[2][6].find("naïvely, in Zürich"), std::string::npos);
  EXPECT_NE(rows[2][6].find("Green envoys again"), std::string::npos);
}

TEST_F(ReportWriterTest, KwicCsvHasEveryLine) {
  const Rows rows = parse_csv_strictly(slurp(out() / "kwic.csv"));
  Rows expected = {{"query_id", "doc_id", "year", "organisations", "left", "match", "right"}};
  for (const BatchResult& r : sample_results()) {
    for (const KwicLine& k : r.kwic) {
      expected.push_back({r.query.id, k.doc_id, k.year, join(k.organisations, "; "), k.left, k.match, k.right});
    }
  }
  ASSERT_EQ(expected.size(), 3u);
  EXPECT_EQ(rows, expected);
}

TEST_F(ReportWriterTest, TrecRunHasSixFieldsPerHitAndSkipsFailedQueries) {
  const std::vector<std::string> lines = lines_of(slurp(out() / "run.trec"));
  ASSERT_EQ(lines.size(), 3u);
  const std::vector<std::vector<std::string>> expected = {
      {"no-years", "Q0", "a.txt", "1", "policy-search"},
      {"q,_\"full\"", "Q0", "docs/annual_report_2016.txt", "1", "policy-search"},
      {"q,_\"full\"", "Q0", "b.txt", "2", "policy-search"},
  };
  for (std::size_t i = 0; i < lines.size(); ++i) {
    SCOPED_TRACE(lines[i]);
    std::istringstream in(lines[i]);
    std::vector<std::string> fields;
    for (std::string f; in >> f;) fields.push_back(f);
    ASSERT_EQ(fields.size(), 6u);
    EXPECT_EQ((std::vector<std::string>{fields[0], fields[1], fields[2], fields[3], fields[5]}), expected[i]);
    EXPECT_NO_THROW((void)std::stod(fields[4]));
  }
}

TEST_F(ReportWriterTest, JsonlHasOneObjectPerQuery) {
  const std::vector<std::string> lines = lines_of(slurp(out() / "results.jsonl"));
  const std::vector<BatchResult> results = sample_results();
  ASSERT_EQ(lines.size(), results.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    SCOPED_TRACE(results[i].query.id);
    const nlohmann::json j = nlohmann::json::parse(lines[i]);
    ASSERT_TRUE(j.is_object());
    for (const char* key :
         {"id", "error", "total", "occurrences", "counts", "query", "results", "facets", "filters", "index"}) {
      EXPECT_TRUE(j.contains(key)) << key;
    }
    EXPECT_EQ(j["id"], results[i].query.id);
    EXPECT_EQ(j["query"], results[i].query.query);
    EXPECT_EQ(j["error"], results[i].error);
    EXPECT_EQ(j["total"], results[i].error.empty() ? results[i].documents : 0);
    EXPECT_EQ(j["occurrences"], results[i].error.empty() ? results[i].occurrences : 0);
    EXPECT_EQ(j["results"].size(), results[i].error.empty() ? results[i].top.size() : 0);
    EXPECT_EQ(j["index"]["build_id"], "build-42");
    for (const FieldCounts& f : results[i].counts) {
      ASSERT_TRUE(j["counts"].contains(f.field)) << f.field;
      ASSERT_EQ(j["counts"][f.field].size(), f.values.size());
      for (std::size_t v = 0; v < f.values.size(); ++v) {
        EXPECT_EQ(j["counts"][f.field][v]["value"], f.values[v].value);
        EXPECT_EQ(j["counts"][f.field][v]["documents"], f.values[v].documents);
        EXPECT_EQ(j["counts"][f.field][v]["occurrences"], f.values[v].occurrences);
      }
    }
  }
  const nlohmann::json full = nlohmann::json::parse(lines[2]);
  EXPECT_EQ(full["results"][0]["snippets"][0]["highlights"][0][0], results[2].top[0].snippets[0].highlights[0].begin);
  EXPECT_EQ(full["query_filters"], (nlohmann::json{"org:MEP", "year:2012..2016"}));
}

TEST_F(ReportWriterTest, MarkdownHasRunInformationSummaryAndSections) {
  const std::string md = slurp(out() / "report.md");
  for (const char* expected :
       {"/data/policy index", "build-42", "policy-analyzer/1 stem=english", "f00dfeed", "queries.tsv",
        "2024-05-02T10:00:00Z", "## Summary", "| Query | Text | Filters | Documents | Occurrences | Error |",
        "| no-years | ozone \\| smog | area:air | 2 | 5 |  |", "3 queries, 1 failed.", "#### Top documents",
        "**green envoys**", "Climate \\| energy"}) {
    SCOPED_TRACE(expected);
    EXPECT_NE(md.find(expected), std::string::npos);
  }
  // The summary table: header, separator and one row per query.
  const std::vector<std::string> lines = lines_of(md);
  const auto header =
      std::find(lines.begin(), lines.end(), "| Query | Text | Filters | Documents | Occurrences | Error |");
  ASSERT_NE(header, lines.end());
  std::size_t rows = 0;
  for (auto it = header + 2; it != lines.end() && it->starts_with("| "); ++it) ++rows;
  EXPECT_EQ(rows, 3u);
  // A cell never holds a raw line break: the error's two lines are one.
  EXPECT_NE(md.find("unclosed quote hint: add a closing"), std::string::npos);
}

class HtmlReportTest : public ReportWriterTest {
 protected:
  struct Element {
    std::string tag;
    std::map<std::string, std::string> attributes;  // unescaped
  };

  // Every <rect class="bar"> and <circle class="point">.
  static std::vector<Element> chart_elements(const std::string& html) {
    std::vector<Element> elements;
    static const std::regex element(R"re(<(rect|circle) class="(bar|point)"([^>]*)>)re");
    static const std::regex attribute(R"re(([a-z-]+)="([^"]*)")re");
    for (auto it = std::sregex_iterator(html.begin(), html.end(), element); it != std::sregex_iterator(); ++it) {
      Element e{(*it)[1], {}};
      const std::string attributes = (*it)[3];
      for (auto a = std::sregex_iterator(attributes.begin(), attributes.end(), attribute); a != std::sregex_iterator();
           ++a) {
        e.attributes[(*a)[1]] = html_unescape((*a)[2]);
      }
      elements.push_back(e);
    }
    return elements;
  }
};

TEST_F(HtmlReportTest, ChartNumbersMatchCountsCsv) {
  const std::string html = slurp(out() / "report.html");
  // (query_id, facet, value) -> documents from counts.csv
  std::map<std::tuple<std::string, std::string, std::string>, std::string> counts;
  for (const auto& row : parse_csv_strictly(slurp(out() / "counts.csv"))) counts[{row[0], row[1], row[2]}] = row[4];

  const std::vector<Element> elements = chart_elements(html);
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> by_chart;  // (query, facet) -> values
  for (const Element& e : elements) {
    const auto& a = e.attributes;
    SCOPED_TRACE(a.count("data-value") ? a.at("data-value") : "?");
    ASSERT_TRUE(a.count("data-query") && a.count("data-facet") && a.count("data-value") && a.count("data-documents"));
    by_chart[{a.at("data-query"), a.at("data-facet")}].push_back(a.at("data-value"));
    auto row = counts.find({a.at("data-query"), a.at("data-facet"), a.at("data-value")});
    if (row != counts.end()) {
      EXPECT_EQ(a.at("data-documents"), row->second);
    } else {
      // Only years between the first and the last may be drawn without a row: as 0.
      EXPECT_EQ(e.tag, "circle");
      EXPECT_EQ(a.at("data-facet"), "year");
      EXPECT_EQ(a.at("data-documents"), "0");
    }
  }
  const std::string full = "q, \"full\"";
  EXPECT_EQ((by_chart[{full, "year"}]), (std::vector<std::string>{"2012", "2013", "2014", "2015", "2016"}));
  EXPECT_EQ((by_chart[{full, "organisation"}].size()), 10u) << "top 10 of 12";
  EXPECT_EQ((by_chart[{full, "organisation"}].front()), "Ministère de l'Environnement, \"Énergie\" & Co <x>");
  EXPECT_EQ((by_chart[{full, "area"}]), (std::vector<std::string>{"Air & water", "Climate | energy"}));
  EXPECT_EQ((by_chart[{"no-years", "organisation"}].size()), 2u);
  EXPECT_EQ((by_chart.count({"no-years", "year"})), 0u);
  EXPECT_EQ((by_chart.count({"bad", "organisation"})), 0u);
  // Visible numbers next to the bars and points.
  EXPECT_NE(html.find("<text class=\"num\""), std::string::npos);
}

TEST_F(HtmlReportTest, SelfContainedAndEscaped) {
  const std::string html = slurp(out() / "report.html");
  for (const char* forbidden : {"http://", "https://", "<script", "<b>&", "<x>", "<c>", "<tag>", "<phrase>"}) {
    SCOPED_TRACE(forbidden);
    EXPECT_EQ(html.find(forbidden), std::string::npos);
  }
  for (const char* expected :
       {"<svg", "No dated documents.", "&quot;green envoys&quot; &lt;b&gt;&amp;", "<mark>green envoys</mark>",
        "Ministère de l&#39;Environnement, &quot;Énergie&quot; &amp; Co &lt;x&gt;", "class=\"error\"",
        "Query failed: query error at position 0", "/data/policy index", "build-42", "f00dfeed", "policy-schema/1",
        "0.1.0", "queries.tsv", "2024-05-02T10:00:00Z", "3 queries, 1 failed.", "</html>"}) {
    SCOPED_TRACE(expected);
    EXPECT_NE(html.find(expected), std::string::npos);
  }
  // The summary table comes before the sections.
  EXPECT_LT(html.find("<h2>Summary</h2>"), html.find("<section"));
}

}  // namespace
}  // namespace policy
