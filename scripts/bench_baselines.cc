// policy-bench-baselines: the two yardsticks policy-search is measured
// against, on the same JSONL corpus and the same queries (issue #7):
//
//   * the engine floor: what Xapian does with its own tools alone, a plain
//     TermGenerator + add_document indexing loop and a searcher with
//     QueryParser, MatchSpy facet counts and MSet::snippet;
//   * SQLite FTS5 (Debian's libsqlite3): tokenizer 'porter unicode61',
//     ranking by bm25(), snippet(), facet counts with GROUP BY.
//
// Usage:
//   policy-bench-baselines floor-index CORPUS_DIR INDEX_DIR
//   policy-bench-baselines floor-search INDEX_DIR QUERIES.tsv [ROUNDS]
//   policy-bench-baselines fts5-index CORPUS_DIR DATABASE
//   policy-bench-baselines fts5-search DATABASE QUERIES.tsv [ROUNDS]
//   policy-bench-baselines position-lists INDEX_DIR WORD WORD...
//   policy-bench-baselines body-dictionary INDEX_DIR
//
// position-lists shows why match_set.cc leaves positions to Xapian's
// matcher: for the phrase of the WORDs (index terms, e.g. climate change)
// it times opening and reading every candidate document's position lists
// through the public API (Database::positionlist_begin), against one
// unweighted OP_PHRASE match over every document (check_at_least = all),
// and prints "candidates N matches M public_api_ms X matcher_ms Y".
//
// body-dictionary shows what the size of the sample that policy-index
// trains its bodies' dictionary on (BodyDictionary::kSampleBytes) buys: for
// an index built by policy-index, it trains dictionaries on the first
// 256 KiB to 8 MiB of its texts and prints for each "sample_kib K train_s T
// bodies_bytes B", B the bodies of every document compressed with it, and
// the same for none ("sample_kib 0").
//
// CORPUS_DIR holds *.jsonl files as scripts/gen_synthetic_corpus.py writes
// them (id, title, text, year, organisation, priority_area). The index
// commands print "documents bytes seconds". QUERIES.tsv is
// scripts/bench_queries.tsv: class, policy-search query (not used here),
// QueryParser query (floor), FTS5 MATCH expression, and for filters an SQL
// join of the FTS5 table `docs` to the tables meta(rowid, id, year),
// doc_org(rowid, org) or doc_area(rowid, area), e.g.
// "JOIN meta f ON f.rowid = docs.rowid AND f.year BETWEEN 2010 AND 2015"
// (may be empty). The
// search commands time each query as policy-bench does (one warm-up, ROUNDS
// timed runs, limit 10, exact totals) in the modes plain, snippets and
// facets+snippets, and print "class mode samples median_ms p99_ms".
//
// Both baselines count the three facets the synthetic corpus has (year,
// organisation, priority area); policy-search counts its schema's five.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <sqlite3.h>
#include <xapian.h>

#include "core/body_compression.h"
#include "core/index_layout.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct CorpusDocument {
  std::string id, title, text;
  int year = 0;
  std::vector<std::string> organisations, areas;
};

std::vector<std::string> strings_of(const nlohmann::json& value) {
  std::vector<std::string> out;
  if (value.is_string()) out.push_back(value.get<std::string>());
  if (value.is_array()) {
    for (const auto& v : value) {
      if (v.is_string()) out.push_back(v.get<std::string>());
    }
  }
  return out;
}

// Calls `visit` for each document of the *.jsonl files under `dir`, in file
// name order; returns the bytes read.
std::uintmax_t for_each_document(const fs::path& dir, const std::function<void(const CorpusDocument&)>& visit) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".jsonl") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::uintmax_t bytes = 0;
  for (const fs::path& file : files) {
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) {
      bytes += line.size() + 1;
      const nlohmann::json j = nlohmann::json::parse(line);
      CorpusDocument doc;
      doc.id = j.value("id", "");
      doc.title = j.value("title", "");
      doc.text = j.value("text", "");
      if (j.contains("year") && j["year"].is_number_integer()) doc.year = j["year"].get<int>();
      if (j.contains("organisation")) doc.organisations = strings_of(j["organisation"]);
      if (j.contains("priority_area")) doc.areas = strings_of(j["priority_area"]);
      visit(doc);
    }
  }
  return bytes;
}

struct Query {
  std::string query_class, floor, fts5_match, fts5_filter;
};

std::vector<Query> read_queries(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot open");
  std::vector<Query> queries;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> columns;
    std::size_t start = 0;
    for (std::size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1) {
      columns.push_back(line.substr(start, tab - start));
    }
    columns.push_back(line.substr(start));
    if (columns.size() < 4) {
      throw std::runtime_error(path + ": a line needs class, policy-search, floor and FTS5 queries");
    }
    columns.resize(5);
    queries.push_back({columns[0], columns[2], columns[3], columns[4]});
  }
  return queries;
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

struct Mode {
  const char* name;
  bool snippets;
  bool facets;
};
constexpr Mode kModes[] = {{"plain", false, false}, {"snippets", true, false}, {"facets+snippets", true, true}};

// Times `run(query, mode)` as policy-bench does and prints the table.
void time_queries(const std::vector<Query>& queries, int rounds,
                  const std::function<void(const Query&, const Mode&)>& run) {
  std::map<std::pair<std::string, std::string>, std::vector<double>> latencies;
  for (const Query& query : queries) {
    for (const Mode& mode : kModes) run(query, mode);  // warm-up
    for (int r = 0; r < rounds; ++r) {
      for (const Mode& mode : kModes) {
        const auto start = Clock::now();
        run(query, mode);
        latencies[{query.query_class, mode.name}].push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - start).count());
      }
    }
  }
  std::printf("%-10s %-16s %8s %10s %10s\n", "class", "mode", "samples", "median_ms", "p99_ms");
  for (const auto& [key, values] : latencies) {
    std::printf("%-10s %-16s %8zu %10.3f %10.3f\n", key.first.c_str(), key.second.c_str(), values.size(),
                percentile(values, 0.5), percentile(values, 0.99));
  }
}

void print_index_summary(std::size_t documents, std::uintmax_t bytes, Clock::time_point started) {
  std::printf("%zu %ju %.3f\n", documents, bytes, std::chrono::duration<double>(Clock::now() - started).count());
}

// ---- Engine floor: Xapian's own tools ----

constexpr Xapian::valueno kYearSlot = 0, kOrganisationSlot = 1, kAreaSlot = 2;

int floor_index(const fs::path& corpus, const std::string& index_path) {
  const auto started = Clock::now();
  Xapian::WritableDatabase db(index_path, Xapian::DB_CREATE_OR_OVERWRITE);
  Xapian::TermGenerator generator;
  generator.set_stemmer(Xapian::Stem("english"));
  std::size_t documents = 0;
  const std::uintmax_t bytes = for_each_document(corpus, [&](const CorpusDocument& d) {
    Xapian::Document doc;
    generator.set_document(doc);
    generator.index_text(d.title, 1, "S");
    generator.index_text(d.title, 2);
    generator.increase_termpos();
    generator.index_text(d.text);
    doc.add_boolean_term("Q" + d.id);
    if (d.year != 0) {
      doc.add_boolean_term("Y" + std::to_string(d.year));
      doc.add_value(kYearSlot, Xapian::sortable_serialise(d.year));
    }
    // The floor keeps one value per slot (a MatchSpy counts one string per
    // document), so multi-valued fields count by their first value.
    for (const std::string& o : d.organisations) doc.add_boolean_term("XO" + o);
    if (!d.organisations.empty()) doc.add_value(kOrganisationSlot, d.organisations.front());
    for (const std::string& a : d.areas) doc.add_boolean_term("XA" + a);
    if (!d.areas.empty()) doc.add_value(kAreaSlot, d.areas.front());
    doc.set_data(d.text);
    db.add_document(doc);
    ++documents;
  });
  db.commit();
  print_index_summary(documents, bytes, started);
  return 0;
}

int floor_search(const std::string& index_path, const std::vector<Query>& queries, int rounds) {
  Xapian::Database db(index_path);
  Xapian::Stem stemmer("english");
  Xapian::QueryParser parser;
  parser.set_database(db);
  parser.set_stemmer(stemmer);
  parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  parser.set_default_op(Xapian::Query::OP_AND);
  parser.add_prefix("title", "S");
  parser.add_boolean_prefix("org", "XO");
  parser.add_boolean_prefix("area", "XA");
  Xapian::NumberRangeProcessor years(kYearSlot, "year:");
  parser.add_rangeprocessor(&years);
  const unsigned flags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD |
                         Xapian::QueryParser::FLAG_BOOLEAN_ANY_CASE;
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(Xapian::BM25Weight());
  std::size_t checksum = 0;
  time_queries(queries, rounds, [&](const Query& q, const Mode& mode) {
    enquire.set_query(parser.parse_query(q.floor, flags));
    enquire.clear_matchspies();
    Xapian::ValueCountMatchSpy year_spy(kYearSlot), org_spy(kOrganisationSlot), area_spy(kAreaSlot);
    if (mode.facets) {
      enquire.add_matchspy(&year_spy);
      enquire.add_matchspy(&org_spy);
      enquire.add_matchspy(&area_spy);
    }
    const Xapian::MSet mset = enquire.get_mset(0, 10, db.get_doccount());
    checksum += mset.get_matches_estimated();
    if (mode.snippets) {
      for (auto it = mset.begin(); it != mset.end(); ++it) {
        checksum += mset.snippet(it.get_document().get_data(), 300, stemmer,
                                 Xapian::MSet::SNIPPET_BACKGROUND_MODEL | Xapian::MSet::SNIPPET_EXHAUSTIVE)
                        .size();
      }
    }
    if (mode.facets) {
      for (auto* spy : {&year_spy, &org_spy, &area_spy}) {
        for (auto v = spy->values_begin(); v != spy->values_end(); ++v) checksum += v.get_termfreq();
      }
    }
  });
  std::fprintf(stderr, "floor checksum %zu\n", checksum);
  return 0;
}

// ---- SQLite FTS5 ----

class Sqlite {
 public:
  explicit Sqlite(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) throw std::runtime_error(path + ": " + sqlite3_errmsg(db_));
  }
  ~Sqlite() { sqlite3_close(db_); }
  Sqlite(const Sqlite&) = delete;
  Sqlite& operator=(const Sqlite&) = delete;

  void exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      const std::string message = error ? error : "unknown error";
      sqlite3_free(error);
      throw std::runtime_error("sqlite: " + message + " in: " + sql);
    }
  }
  sqlite3_stmt* prepare(const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db_) + " in: " + sql);
    }
    return statement;
  }
  // Runs a prepared statement to the end; calls `row` for each result row.
  void run(sqlite3_stmt* statement, const std::function<void(sqlite3_stmt*)>& row = {}) {
    int rc;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
      if (row) row(statement);
    }
    if (rc != SQLITE_DONE) throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db_));
    sqlite3_reset(statement);
  }

 private:
  sqlite3* db_ = nullptr;
};

void bind_text(sqlite3_stmt* statement, int column, const std::string& text) {
  sqlite3_bind_text(statement, column, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

int fts5_index(const fs::path& corpus, const std::string& db_path) {
  const auto started = Clock::now();
  fs::remove(db_path);
  Sqlite db(db_path);
  db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
  db.exec(
      "CREATE VIRTUAL TABLE docs USING fts5(title, text, tokenize='porter unicode61');"
      "CREATE TABLE meta(rowid INTEGER PRIMARY KEY, id TEXT UNIQUE, year INTEGER);"
      "CREATE TABLE doc_org(rowid INTEGER, org TEXT);"
      "CREATE TABLE doc_area(rowid INTEGER, area TEXT);");
  sqlite3_stmt* insert_doc = db.prepare("INSERT INTO docs(rowid, title, text) VALUES(?, ?, ?)");
  sqlite3_stmt* insert_meta = db.prepare("INSERT INTO meta(rowid, id, year) VALUES(?, ?, ?)");
  sqlite3_stmt* insert_org = db.prepare("INSERT INTO doc_org(rowid, org) VALUES(?, ?)");
  sqlite3_stmt* insert_area = db.prepare("INSERT INTO doc_area(rowid, area) VALUES(?, ?)");
  std::size_t documents = 0;
  db.exec("BEGIN");
  const std::uintmax_t bytes = for_each_document(corpus, [&](const CorpusDocument& d) {
    const sqlite3_int64 rowid = static_cast<sqlite3_int64>(++documents);
    sqlite3_bind_int64(insert_doc, 1, rowid);
    bind_text(insert_doc, 2, d.title);
    bind_text(insert_doc, 3, d.text);
    db.run(insert_doc);
    sqlite3_bind_int64(insert_meta, 1, rowid);
    bind_text(insert_meta, 2, d.id);
    if (d.year != 0)
      sqlite3_bind_int(insert_meta, 3, d.year);
    else
      sqlite3_bind_null(insert_meta, 3);
    db.run(insert_meta);
    for (const std::string& o : d.organisations) {
      sqlite3_bind_int64(insert_org, 1, rowid);
      bind_text(insert_org, 2, o);
      db.run(insert_org);
    }
    for (const std::string& a : d.areas) {
      sqlite3_bind_int64(insert_area, 1, rowid);
      bind_text(insert_area, 2, a);
      db.run(insert_area);
    }
    // Same batch size as policy-index's default --commit-every.
    if (documents % 1000 == 0) db.exec("COMMIT; BEGIN");
  });
  db.exec("COMMIT");
  // The indexes a careful SQLite user would add for facet joins and filters.
  db.exec(
      "CREATE INDEX meta_year ON meta(year);"
      "CREATE INDEX doc_org_rowid ON doc_org(rowid); CREATE INDEX doc_org_org ON doc_org(org, rowid);"
      "CREATE INDEX doc_area_rowid ON doc_area(rowid); CREATE INDEX doc_area_area ON doc_area(area, rowid);"
      "ANALYZE;");
  for (sqlite3_stmt* s : {insert_doc, insert_meta, insert_org, insert_area}) sqlite3_finalize(s);
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  print_index_summary(documents, bytes, started);
  return 0;
}

int fts5_search(const std::string& db_path, const std::vector<Query>& queries, int rounds) {
  Sqlite db(db_path);
  // Statements per (filter) text, prepared once like a server would.
  std::map<std::string, std::vector<sqlite3_stmt*>> statements;
  auto statements_for = [&](const std::string& filter) -> std::vector<sqlite3_stmt*>& {
    auto it = statements.find(filter);
    if (it != statements.end()) return it->second;
    // Filters join the matches to the metadata tables: SQLite plans that far
    // better than "rowid IN (subquery)" on the FTS5 table (measured).
    const std::string matches = "docs " + filter + " WHERE docs MATCH ?1";
    const std::string ranked_by = " ORDER BY bm25(docs, 2.0, 1.0) LIMIT 10";
    std::vector<sqlite3_stmt*> s;
    s.push_back(db.prepare("SELECT count(*) FROM " + matches));
    s.push_back(db.prepare("SELECT docs.rowid, bm25(docs, 2.0, 1.0) FROM " + matches + ranked_by));
    s.push_back(
        db.prepare("SELECT docs.rowid, snippet(docs, 1, '<b>', '</b>', '...', 40) FROM " + matches + ranked_by));
    s.push_back(db.prepare("WITH m(rowid) AS MATERIALIZED (SELECT docs.rowid FROM " + matches +
                           ") "
                           "SELECT 'year', year, count(*) FROM meta JOIN m USING(rowid) GROUP BY year "
                           "UNION ALL SELECT 'org', org, count(*) FROM doc_org JOIN m USING(rowid) GROUP BY org "
                           "UNION ALL SELECT 'area', area, count(*) FROM doc_area JOIN m USING(rowid) GROUP BY area"));
    return statements.emplace(filter, std::move(s)).first->second;
  };
  std::size_t checksum = 0;
  time_queries(queries, rounds, [&](const Query& q, const Mode& mode) {
    std::vector<sqlite3_stmt*>& s = statements_for(q.fts5_filter);
    const std::size_t count = 0, ranked = mode.snippets ? 2 : 1, facets = 3;
    for (std::size_t i : {count, ranked}) {
      bind_text(s[i], 1, q.fts5_match);
      db.run(s[i], [&](sqlite3_stmt* row) { checksum += static_cast<std::size_t>(sqlite3_column_bytes(row, 1)); });
    }
    if (mode.facets) {
      bind_text(s[facets], 1, q.fts5_match);
      db.run(s[facets], [&](sqlite3_stmt* row) { checksum += static_cast<std::size_t>(sqlite3_column_int(row, 2)); });
    }
  });
  for (auto& [filter, s] : statements) {
    for (sqlite3_stmt* statement : s) sqlite3_finalize(statement);
  }
  std::fprintf(stderr, "fts5 checksum %zu\n", checksum);
  return 0;
}

int position_lists(const std::string& index, const std::vector<std::string>& words) {
  Xapian::Database db(index);
  const Xapian::doccount all = db.get_doccount();
  const auto milliseconds_since = [](std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  };
  const auto unweighted = [&](const Xapian::Query& query) {
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    return enquire.get_mset(0, all, all);
  };
  const std::vector<Xapian::Query> terms(words.begin(), words.end());
  const Xapian::MSet candidates = unweighted(Xapian::Query(Xapian::Query::OP_AND, terms.begin(), terms.end()));
  const Xapian::Query phrase(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(),
                             static_cast<Xapian::termcount>(terms.size()));
  unweighted(phrase);  // warm-up: both timings read a cached index

  auto start = std::chrono::steady_clock::now();
  std::size_t positions = 0;
  for (auto it = candidates.begin(); it != candidates.end(); ++it) {
    for (const std::string& word : words) {
      for (auto p = db.positionlist_begin(*it, word); p != db.positionlist_end(*it, word); ++p) ++positions;
    }
  }
  const double public_api_ms = milliseconds_since(start);

  start = std::chrono::steady_clock::now();
  const Xapian::doccount matches = unweighted(phrase).size();
  const double matcher_ms = milliseconds_since(start);
  std::printf("candidates %u matches %u public_api_ms %.1f matcher_ms %.1f\n", candidates.size(), matches,
              public_api_ms, matcher_ms);
  std::fprintf(stderr, "positions read %zu\n", positions);
  return 0;
}

int body_dictionary(const std::string& index) {
  Xapian::Database db(index);
  const policy::BodyDictionary stored(db.get_metadata(policy::metadata_key::kBodyDictionary));
  std::vector<policy::StoredDocument> documents;
  for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
    const Xapian::Document doc = db.get_document(*it);
    documents.push_back(policy::StoredDocument::unserialise(doc.get_value(policy::slot::kRecordHeader),
                                                            doc.get_value(policy::slot::kBody), stored));
  }
  for (const std::size_t sample_bytes : {std::size_t{0}, std::size_t{256} << 10, std::size_t{1} << 20,
                                         std::size_t{2} << 20, std::size_t{4} << 20, std::size_t{8} << 20}) {
    std::vector<std::string_view> texts;
    for (const policy::StoredDocument& d : documents) texts.push_back(d.text);
    const auto start = std::chrono::steady_clock::now();
    const policy::BodyDictionary dictionary = policy::BodyDictionary::train(texts, sample_bytes);
    const double train_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::size_t bodies_bytes = 0;
    for (const policy::StoredDocument& d : documents) bodies_bytes += d.serialise_body(dictionary).size();
    std::printf("sample_kib %zu train_s %.3f bodies_bytes %zu\n", sample_bytes >> 10, train_s, bodies_bytes);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const bool one_argument = argc == 3 && std::string(argv[1]) == "body-dictionary";
  if (argc < 4 && !one_argument) {
    std::cerr << "usage: policy-bench-baselines {floor-index|fts5-index} CORPUS_DIR OUT\n"
                 "       policy-bench-baselines {floor-search|fts5-search} INDEX QUERIES.tsv [ROUNDS]\n"
                 "       policy-bench-baselines position-lists INDEX WORD WORD...\n"
                 "       policy-bench-baselines body-dictionary INDEX\n";
    return 2;
  }
  const std::string command = argv[1];
  try {
    if (command == "body-dictionary") return body_dictionary(argv[2]);
    if (command == "position-lists") return position_lists(argv[2], std::vector<std::string>(argv + 3, argv + argc));
    const int rounds = argc > 4 ? std::stoi(argv[4]) : 5;
    if (command == "floor-index") return floor_index(argv[2], argv[3]);
    if (command == "fts5-index") return fts5_index(argv[2], argv[3]);
    if (command == "floor-search") return floor_search(argv[2], read_queries(argv[3]), rounds);
    if (command == "fts5-search") return fts5_search(argv[2], read_queries(argv[3]), rounds);
    std::cerr << "policy-bench-baselines: unknown command '" << command << "'\n";
  } catch (const Xapian::Error& e) {
    std::cerr << "policy-bench-baselines: " << e.get_description() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "policy-bench-baselines: " << e.what() << "\n";
  }
  return 2;
}
