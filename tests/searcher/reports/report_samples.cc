#include "tests/searcher/reports/report_samples.h"

#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "searcher/reports/report_writer.h"

namespace policy::testing {
namespace fs = std::filesystem;
namespace {

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

}  // namespace

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
  full.warnings = {{warning_code::kUnknownFilterValue,
                    "org:Lincoln matches no organisation in the index; closest: <Linc> & Co",
                    "organisation",
                    "Lincoln",
                    {"<Linc> & Co"}}};
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
  // The index has documents in every year from 2012 to 2016; none of 2013
  // and 2014 match.
  full.trend = make_trend(
      {{2012, {4, 4000}}, {2013, {2, 1500}}, {2014, {1, 800}}, {2015, {3, 2500}}, {2016, {5, 6000}}}, full.counts[1]);
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
  second.pages = 9;
  second.snippets[0].page = 7;  // as if b.txt were read page by page
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
      {"b.txt", second.title, "", {}, "a ", "green", ", envoy-like\n<tag>", 2, 7},
  };
  return results;
}

RunSummary sample_summary() { return RunSummary{3, 1, 1}; }

void write_reports(const fs::path& dir) {
  std::vector<std::unique_ptr<ReportWriter>> writers;
  for (const std::string& format : report_formats()) writers.push_back(make_report_writer(format, dir));
  for (auto& w : writers) w->begin(sample_run());
  for (const BatchResult& r : sample_results()) {
    for (auto& w : writers) w->add(r);
  }
  for (auto& w : writers) w->finish(sample_summary());
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

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

}  // namespace policy::testing
