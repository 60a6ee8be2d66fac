// policy-eval-ranking: the baselines of the relevance evaluation
// (scripts/eval_ranking.sh, issue 26), on the same documents and the same
// queries as policy-search, each writing a TREC run (qid Q0 docid rank
// score tag) of its top 100 documents per query:
//
//   xapian-defaults.trec  plain Xapian: a TermGenerator with
//                         Stem("english") (STEM_SOME, the default) over the
//                         title, then the text, in one unprefixed field; a
//                         QueryParser with the same stemmer, default op OR;
//                         BM25Weight() with its defaults (k1=1, k2=0, k3=1,
//                         b=0.5, min_normlen=0.5);
//   xapian-bm25.trec      the same index and queries, BM25Weight(1.2, 0, 1,
//                         0.75, 0.5): the k1 and b of most BM25 engines;
//   fts5.trec             SQLite FTS5, a table (title, text) with
//                         tokenize='porter unicode61', the query the OR of
//                         the quoted words, ORDER BY bm25(docs) (both
//                         columns weigh 1); the score written is -bm25,
//                         so that higher is better as a run needs.
//
// Usage:
//   policy-eval-ranking DOCS.jsonl QUERIES.tsv OUT_DIR
//
// DOCS.jsonl holds one {"id", "title", "text"} per line; QUERIES.tsv a
// header line, then "id<TAB>query", the query being words joined with
// " OR " (as policy-search gets it); each engine gets the same words, OR
// ignored. Scores are written with 9 significant digits, so that rounding
// makes no ties that the engine did not have (a run is ordered by score,
// ties by docid, by the evaluator, not by its rank column). A query an
// engine refuses gets no lines (the evaluator scores it 0) and is counted.
// Prints "versions xapian X, sqlite Y", then one line per engine: "ENGINE
// queries N failed F seconds S".

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <sqlite3.h>
#include <xapian.h>

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int kTop = 100;

struct Document {
  std::string id, title, text;
};

struct Query {
  std::string id;
  std::vector<std::string> words;
};

std::vector<Document> read_documents(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot open");
  std::vector<Document> documents;
  std::size_t line_number = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_number;
    if (line.empty()) continue;
    try {
      const nlohmann::json j = nlohmann::json::parse(line);
      documents.push_back({j.at("id").get<std::string>(), j.value("title", ""), j.value("text", "")});
    } catch (const nlohmann::json::exception& e) {
      throw std::runtime_error(path + ":" + std::to_string(line_number) + ": " + e.what());
    }
  }
  return documents;
}

// The words of "w1 OR w2 OR ...": every whitespace-separated token but the
// operator, which the words (lower case) never are.
std::vector<Query> read_queries(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot open");
  std::vector<Query> queries;
  std::string line;
  if (!std::getline(in, line) || line != "id\tquery") throw std::runtime_error(path + ": header is not id<TAB>query");
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const std::size_t tab = line.find('\t');
    if (tab == std::string::npos) throw std::runtime_error(path + ": a line without a tab: " + line);
    Query query{line.substr(0, tab), {}};
    std::istringstream words(line.substr(tab + 1));
    for (std::string word; words >> word;) {
      if (word != "OR") query.words.push_back(word);
    }
    queries.push_back(std::move(query));
  }
  return queries;
}

std::string joined(const std::vector<std::string>& words, const std::string& separator) {
  std::string out;
  for (const std::string& word : words) {
    if (!out.empty()) out += separator;
    out += word;
  }
  return out;
}

// A run file being written; check() throws when a write failed.
class RunFile {
 public:
  RunFile(const fs::path& path, std::string tag) : path_(path), out_(path), tag_(std::move(tag)) {
    if (!out_) throw std::runtime_error(path.string() + ": cannot write");
  }
  void add(const std::string& qid, const std::string& docid, int rank, double score) {
    char number[32];
    std::snprintf(number, sizeof number, "%.9g", score);
    out_ << qid << " Q0 " << docid << ' ' << rank << ' ' << number << ' ' << tag_ << '\n';
  }
  void check() {
    out_.flush();
    if (!out_) throw std::runtime_error(path_.string() + ": write failed");
  }

 private:
  fs::path path_;
  std::ofstream out_;
  std::string tag_;
};

struct Tally {
  std::size_t queries = 0, failed = 0;
  double seconds = 0;
};

void print_tally(const std::string& engine, const Tally& tally) {
  std::cout << engine << " queries " << tally.queries << " failed " << tally.failed << " seconds " << tally.seconds
            << '\n';
}

void build_xapian(const std::vector<Document>& documents, const fs::path& dir) {
  Xapian::WritableDatabase db(dir.string(), Xapian::DB_CREATE_OR_OVERWRITE);
  Xapian::TermGenerator generator;
  generator.set_stemmer(Xapian::Stem("english"));
  for (const Document& d : documents) {
    Xapian::Document doc;
    generator.set_document(doc);
    generator.index_text(d.title);
    generator.increase_termpos();
    generator.index_text(d.text);
    doc.set_data(d.id);
    db.add_document(doc);
  }
  db.commit();
}

Tally search_xapian(const fs::path& dir, const std::vector<Query>& queries, const Xapian::Weight& weight,
                    RunFile& run) {
  Tally tally;
  const auto start = Clock::now();
  Xapian::Database db(dir.string());
  Xapian::QueryParser parser;
  parser.set_database(db);
  parser.set_stemmer(Xapian::Stem("english"));
  parser.set_default_op(Xapian::Query::OP_OR);
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(weight);
  for (const Query& q : queries) {
    ++tally.queries;
    try {
      enquire.set_query(parser.parse_query(joined(q.words, " OR ")));
      const Xapian::MSet mset = enquire.get_mset(0, kTop);
      int rank = 0;
      for (auto it = mset.begin(); it != mset.end(); ++it) {
        run.add(q.id, it.get_document().get_data(), ++rank, it.get_weight());
      }
    } catch (const Xapian::QueryParserError& e) {
      ++tally.failed;
      std::cerr << "policy-eval-ranking: query " << q.id << ": " << e.get_description() << '\n';
    }
  }
  run.check();
  tally.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return tally;
}

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct StatementFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Sqlite = std::unique_ptr<sqlite3, SqliteCloser>;
using Statement = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

void exec(sqlite3* db, const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    const std::string text = message ? message : "unknown error";
    sqlite3_free(message);
    throw std::runtime_error(std::string("sqlite: ") + sql + ": " + text);
  }
}

Statement prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) != SQLITE_OK) {
    throw std::runtime_error(std::string("sqlite: ") + sql + ": " + sqlite3_errmsg(db));
  }
  return Statement(statement);
}

// Rowid r is documents[r - 1].
Sqlite build_fts5(const std::vector<Document>& documents) {
  sqlite3* raw = nullptr;
  if (sqlite3_open(":memory:", &raw) != SQLITE_OK) throw std::runtime_error("sqlite: cannot open :memory:");
  Sqlite db(raw);
  exec(db.get(), "CREATE VIRTUAL TABLE docs USING fts5(title, text, tokenize='porter unicode61')");
  exec(db.get(), "BEGIN");
  Statement insert = prepare(db.get(), "INSERT INTO docs(rowid, title, text) VALUES (?, ?, ?)");
  for (std::size_t i = 0; i < documents.size(); ++i) {
    sqlite3_bind_int64(insert.get(), 1, static_cast<sqlite3_int64>(i + 1));
    sqlite3_bind_text(insert.get(), 2, documents[i].title.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(insert.get(), 3, documents[i].text.c_str(), -1, SQLITE_STATIC);
    if (sqlite3_step(insert.get()) != SQLITE_DONE) {
      throw std::runtime_error("sqlite: insert " + documents[i].id + ": " + sqlite3_errmsg(db.get()));
    }
    sqlite3_reset(insert.get());
  }
  exec(db.get(), "COMMIT");
  return db;
}

// "w1" OR "w2" ...: each word a quoted string, so that no word is read as
// an FTS5 keyword or column name.
std::string fts5_match(const std::vector<std::string>& words) {
  std::vector<std::string> quoted;
  for (const std::string& word : words) {
    std::string q = "\"";
    for (char c : word) q += (c == '"') ? std::string("\"\"") : std::string(1, c);
    quoted.push_back(q + "\"");
  }
  return joined(quoted, " OR ");
}

Tally search_fts5(sqlite3* db, const std::vector<Document>& documents, const std::vector<Query>& queries,
                  RunFile& run) {
  Tally tally;
  const auto start = Clock::now();
  Statement select = prepare(db, "SELECT rowid, bm25(docs) FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 100");
  for (const Query& q : queries) {
    ++tally.queries;
    if (q.words.empty()) continue;
    const std::string match = fts5_match(q.words);
    sqlite3_bind_text(select.get(), 1, match.c_str(), -1, SQLITE_TRANSIENT);
    int rank = 0, status;
    while ((status = sqlite3_step(select.get())) == SQLITE_ROW) {
      const auto rowid = sqlite3_column_int64(select.get(), 0);
      run.add(q.id, documents.at(static_cast<std::size_t>(rowid - 1)).id, ++rank,
              -sqlite3_column_double(select.get(), 1));
    }
    if (status != SQLITE_DONE) {
      ++tally.failed;
      std::cerr << "policy-eval-ranking: query " << q.id << ": fts5: " << sqlite3_errmsg(db) << '\n';
    }
    sqlite3_reset(select.get());
  }
  run.check();
  tally.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return tally;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: policy-eval-ranking DOCS.jsonl QUERIES.tsv OUT_DIR\n";
    return 2;
  }
  try {
    const std::vector<Document> documents = read_documents(argv[1]);
    const std::vector<Query> queries = read_queries(argv[2]);
    const fs::path out = argv[3];
    fs::create_directories(out);
    std::cout << "versions xapian " << Xapian::version_string() << ", sqlite " << sqlite3_libversion() << '\n';

    const fs::path xapian_dir = out / "xapian-index";
    build_xapian(documents, xapian_dir);
    RunFile defaults(out / "xapian-defaults.trec", "xapian-defaults");
    print_tally("xapian-defaults", search_xapian(xapian_dir, queries, Xapian::BM25Weight(), defaults));
    RunFile bm25(out / "xapian-bm25.trec", "xapian-bm25");
    print_tally("xapian-bm25", search_xapian(xapian_dir, queries, Xapian::BM25Weight(1.2, 0, 1, 0.75, 0.5), bm25));

    const Sqlite fts5 = build_fts5(documents);
    RunFile fts5_run(out / "fts5.trec", "fts5");
    print_tally("fts5", search_fts5(fts5.get(), documents, queries, fts5_run));
  } catch (const std::exception& e) {
    std::cerr << "policy-eval-ranking: " << e.what() << '\n';
    return 2;
  } catch (const Xapian::Error& e) {
    std::cerr << "policy-eval-ranking: " << e.get_description() << '\n';
    return 2;
  }
  return 0;
}
