// The HTTP API against a real server on a free loopback port: responses,
// errors, limits, authentication, and commits seen without restart.

#include "searcher/serve/http_server.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "core/utf8.h"

#include "indexer/document_reader.h"
#include "indexer/index_writer.h"

#include "tests/support/test_support.h"

namespace policy {
namespace {

void index_corpus(const std::string& index) {
  const Schema schema = Schema::load(testing::source_path("schemas"));
  Analyzer analyzer;
  IndexWriter writer(index, analyzer, schema, {});
  DocumentReader reader({}, nullptr);
  for (const InputFile& input : reader.list_inputs({testing::source_path("corpus")})) {
    reader.read(input, [&](SourceDocument&& doc) { writer.add(doc); });
  }
  writer.commit();
}

// The error of validating `body` against schemas/`schema` with Python's
// jsonschema, written to a file in `dir`; "" when it validates.
std::string schema_violation(const std::filesystem::path& dir, const std::string& body, const std::string& schema) {
  const std::filesystem::path file = dir / "response.json";
  testing::write_file(file, body);
  const testing::CommandResult check = testing::run_command(
      {"/usr/bin/python3", "-c",
       "import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))",
       file.string(), testing::source_path("schemas/" + schema).string()});
  return check.exit_code == 0 ? "" : check.err + "(exit " + std::to_string(check.exit_code) + ")";
}

// A server on 127.0.0.1 and a free port, serving until destroyed.
class RunningServer {
 public:
  explicit RunningServer(ServerOptions options) : server_(std::move(options)) {
    port_ = server_.bind();
    thread_ = std::thread([this] { server_.serve(); });
    // httplib's stop() does nothing until the accept loop runs, so a stop
    // that came first left the join below waiting for ever: wait for an
    // answer (any status) before handing the server out.
    httplib::Client c("127.0.0.1", port_);
    while (!c.Get("/api/health")) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ~RunningServer() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }
  std::size_t abandoned_requests() const { return server_.abandoned_requests(); }

 private:
  HttpServer server_;
  int port_ = 0;
  std::thread thread_;
};

class HttpServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(testing::make_temp_dir("http"));
    index_corpus(index());
    ServerOptions options;
    options.index_path = index();
    options.port = 0;
    options.threads = 4;
    options.max_batch_queries = 5;
    options.max_body_bytes = 10000;
    server_ = new RunningServer(options);
  }
  static void TearDownTestSuite() {
    delete server_;
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }
  static std::string index() { return (*dir_ / "idx").string(); }

  static httplib::Client client() {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_read_timeout(30);
    return c;
  }
  static nlohmann::json get_json(const std::string& path, int expected_status) {
    auto c = client();
    const auto res = c.Get(path.c_str());
    EXPECT_TRUE(res) << path;
    if (!res) return {};
    EXPECT_EQ(res->status, expected_status) << path << " " << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type").rfind("application/json", 0), 0u) << path;
    return nlohmann::json::parse(res->body);
  }

  static std::filesystem::path* dir_;
  static RunningServer* server_;
};

std::filesystem::path* HttpServerTest::dir_ = nullptr;
RunningServer* HttpServerTest::server_ = nullptr;

TEST_F(HttpServerTest, SearchAnswersTheSameObjectAsTheCli) {
  const nlohmann::json j = get_json("/api/search?q=%22green%20envoys%20program%22&limit=5", 200);
  EXPECT_EQ(j["total"], 2);
  EXPECT_TRUE(j["total_exact"].get<bool>());
  ASSERT_EQ(j["results"].size(), 2u);
  EXPECT_TRUE(j["facets"].contains("organisation"));
  EXPECT_TRUE(j["facets"]["organisation"]["exact"].get<bool>());
  const auto& snippet = j["results"][0]["snippets"][0];
  const std::string text = snippet["text"];
  const auto h = snippet["highlights"][0];
  EXPECT_EQ(text.substr(h[0].get<std::size_t>(), h[1].get<std::size_t>() - h[0].get<std::size_t>()),
            "Green Envoys Program");

  // Same as the CLI, field for field (but elapsed time).
  const testing::CommandResult cli = testing::run_command(
      {POLICY_SEARCH_BIN, "--index", index(), "--json", "--limit", "5", "\"green envoys program\""});
  nlohmann::json from_cli = nlohmann::json::parse(cli.out);
  nlohmann::json from_api = j;
  from_cli.erase("elapsed_ms");
  from_api.erase("elapsed_ms");
  EXPECT_EQ(from_api, from_cli);
}

TEST_F(HttpServerTest, FiltersAndMultiSelectFacets) {
  const nlohmann::json j = get_json(
      "/api/search?q=cooperation&filter=org:EPA&filter=org:%22U.S.%20Department%20of%20Transportation%22", 200);
  EXPECT_EQ(j["total"], 2);
  EXPECT_TRUE(j["facets"]["organisation"]["filtered"].get<bool>());
  // Counted without its own filter: every organisation of the 5 matches.
  EXPECT_GT(j["facets"]["organisation"]["values"].size() + j["facets"]["organisation"]["more"].get<std::size_t>(), 10u);
  EXPECT_EQ(get_json("/api/search?filter=year:2016", 200)["total"], 2);
}

// limit=0 answers the total and facets with no results, as Elasticsearch's
// size=0; sort orders the page; the CLI's --limit 0 and --sort agree.
TEST_F(HttpServerTest, LimitZeroCountsAndSortOrders) {
  const nlohmann::json counts = get_json("/api/search?q=cooperation&limit=0", 200);
  EXPECT_EQ(counts["total"], 5);
  EXPECT_TRUE(counts["results"].empty());
  EXPECT_FALSE(counts["facets"]["organisation"]["values"].empty());
  const nlohmann::json no_facets = get_json("/api/search?q=cooperation&limit=0&facets=0", 200);
  EXPECT_TRUE(no_facets["facets"].empty());
  const testing::CommandResult cli =
      testing::run_command({POLICY_SEARCH_BIN, "--index", index(), "--json", "--limit", "0", "cooperation"});
  nlohmann::json from_cli = nlohmann::json::parse(cli.out);
  nlohmann::json from_api = counts;
  from_cli.erase("elapsed_ms");
  from_api.erase("elapsed_ms");
  EXPECT_EQ(from_api, from_cli);

  // corpus/ has two documents of 2016 and three undated: newest first puts
  // the dated ones first either way, undated last.
  for (const char* order : {"newest", "oldest"}) {
    SCOPED_TRACE(order);
    const nlohmann::json sorted = get_json(std::string("/api/search?q=cooperation&snippets=0&sort=") + order, 200);
    EXPECT_EQ(sorted["sort"], order);
    ASSERT_EQ(sorted["results"].size(), 5u);
    for (std::size_t i = 0; i < 5; ++i) {
      EXPECT_EQ(sorted["results"][i]["fields"].contains("year"), i < 2) << sorted["results"][i]["id"];
    }
  }
  const nlohmann::json by_title = get_json("/api/search?q=cooperation&snippets=0&sort=title", 200);
  std::vector<std::string> titles;
  for (const auto& hit : by_title["results"]) titles.push_back(hit["title"]);
  EXPECT_EQ(titles,
            (std::vector<std::string>{"About Us", "ASEAN-China Strategy on Environmental Cooperation (2016-2020)",
                                      "EPA Collaboration with China", "Main functions", "U.S.-China Cooperation"}));
}

// The document view of corpus/'s 8-page PDF: page starts, and a match of
// page 8 (pdftotext -f 8 -l 8 finds "lesser developed countries" there
// alone) falls in page 8.
TEST_F(HttpServerTest, DocumentViewOfAPdfHasPageStarts) {
  const nlohmann::json d = get_json(
      "/api/documents/"
      "asean-china-strategy-on-environmental-cooperation-2016-2020.pdf?q=%22lesser%20developed%20countries%22",
      200);
  ASSERT_EQ(d["page_starts"].size(), 8u);
  ASSERT_EQ(d["matches"].size(), 1u);
  const std::vector<std::size_t> starts = d["page_starts"];
  EXPECT_EQ(starts[0], 0u);
  EXPECT_TRUE(std::is_sorted(starts.begin(), starts.end()));
  const std::size_t match = d["matches"][0][0];
  EXPECT_GE(match, starts[7]);
  EXPECT_LT(starts[7], d["text"].get<std::string>().size());
  EXPECT_FALSE(get_json("/api/documents/caec-main-functions.txt", 200).contains("page_starts"));
}

TEST_F(HttpServerTest, DocumentsWithMatchRanges) {
  const nlohmann::json d =
      get_json("/api/documents/epa-collaboration-with-china.html?q=%22cap%20and%20trading%22", 200);
  EXPECT_EQ(d["id"], "epa-collaboration-with-china.html");
  ASSERT_EQ(d["matches"].size(), 1u);
  const std::string text = d["text"];
  const auto m = d["matches"][0];
  EXPECT_EQ(text.substr(m[0].get<std::size_t>(), m[1].get<std::size_t>() - m[0].get<std::size_t>()), "cap and trading");
  EXPECT_TRUE(d["fields"].contains("organisation"));
  const nlohmann::json missing = get_json("/api/documents/no-such-doc.txt", 404);
  EXPECT_EQ(missing["error"]["kind"], "not_found");
}

TEST_F(HttpServerTest, KwicBatchIndexHealth) {
  const nlohmann::json k = get_json("/api/kwic?q=%22capacity%20building%22&limit=3&sort=left&width=20", 200);
  EXPECT_EQ(k["lines"].size(), 3u);
  EXPECT_GT(k["more"].get<int>(), 0);
  EXPECT_EQ(k["lines"][0]["match"].get<std::string>().size(), std::string("capacity building").size());
  // Paging through all lines with offset gives every line once.
  const nlohmann::json all = get_json("/api/kwic?q=%22capacity%20building%22&limit=1000&sort=left&width=20", 200);
  const nlohmann::json page2 =
      get_json("/api/kwic?q=%22capacity%20building%22&offset=3&limit=3&sort=left&width=20", 200);
  EXPECT_EQ(page2["lines"][0], all["lines"][3]);
  EXPECT_EQ(page2["more"].get<std::size_t>(), all["lines"].size() - 6);

  auto c = client();
  const auto batch = c.Post(
      "/api/batch", R"({"queries": [{"id": "a", "query": "water"}, {"query": "(bad"}], "top": 2})", "application/json");
  ASSERT_TRUE(batch);
  ASSERT_EQ(batch->status, 200) << batch->body;
  const nlohmann::json b = nlohmann::json::parse(batch->body);
  ASSERT_EQ(b["results"].size(), 2u);
  EXPECT_EQ(b["results"][0]["id"], "a");
  EXPECT_GT(b["results"][0]["documents"].get<int>(), 0);
  EXPECT_EQ(b["results"][0]["top"].size(), 2u);
  EXPECT_NE(b["results"][1]["error"].get<std::string>().find("unclosed"), std::string::npos);

  EXPECT_EQ(get_json("/api/health", 200)["status"], "ok");
  const nlohmann::json info = get_json("/api/index", 200);
  EXPECT_EQ(info["documents"], 5);
  EXPECT_EQ(info["fields"][0]["name"], "organisation");
}

TEST_F(HttpServerTest, AnyWordsModeReadsPastedTextForSearchAndBatch) {
  // "water:" reads as a field without a value in query syntax.
  const std::string text = "Cooperation on water: the rivers and biodiversity of the region";
  const std::string q = httplib::detail::encode_query_param(text);
  EXPECT_EQ(get_json("/api/search?q=" + q, 400)["error"]["kind"], "query");
  const nlohmann::json any = get_json("/api/search?mode=any&q=" + q, 200);
  EXPECT_GT(any["total"].get<int>(), 0);
  ASSERT_FALSE(any["warnings"].empty());
  EXPECT_EQ(any["warnings"][0]["code"], "stopwords_left_out");
  EXPECT_EQ(get_json("/api/search?mode=syntax&q=water", 200)["total"], get_json("/api/search?q=water", 200)["total"]);
  EXPECT_EQ(get_json("/api/search?mode=all&q=water", 400)["error"]["kind"], "parameter");

  // Concordance lines and a document's highlights read the text the same way:
  // every occurrence of any of its words, stopwords left out.
  EXPECT_EQ(get_json("/api/kwic?q=" + q, 400)["error"]["kind"], "query");
  const nlohmann::json lines = get_json("/api/kwic?mode=any&limit=1000&q=" + q, 200);
  ASSERT_FALSE(lines["lines"].empty());
  std::set<std::string> matched;
  for (const auto& line : lines["lines"]) matched.insert(ascii_lower(line["match"].get<std::string>()));
  EXPECT_TRUE(matched.count("water") || matched.count("rivers") || matched.count("biodiversity")) << lines.dump();
  EXPECT_FALSE(matched.count("the") || matched.count("of") || matched.count("and")) << lines.dump();
  const std::string first = any["results"][0]["id"];
  const nlohmann::json view = get_json("/api/documents/" + first + "?mode=any&q=" + q, 200);
  EXPECT_FALSE(view["matches"].empty());
  EXPECT_EQ(get_json("/api/documents/" + first + "?mode=all&q=water", 400)["error"]["kind"], "parameter");

  auto c = client();
  const nlohmann::json body = {{"queries", {{{"id", "p"}, {"query", text}}}}, {"mode", "any"}};
  const auto batch = c.Post("/api/batch", body.dump(), "application/json");
  ASSERT_TRUE(batch);
  ASSERT_EQ(batch->status, 200) << batch->body;
  const nlohmann::json b = nlohmann::json::parse(batch->body);
  EXPECT_EQ(b["results"][0]["documents"], any["total"]);
  const auto bad = c.Post("/api/batch", R"({"queries": [], "mode": 1})", "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
}

TEST_F(HttpServerTest, ErrorsAreJsonWithStatusAndPosition) {
  struct Case {
    std::string path;
    int status;
    std::string kind;
  };
  const std::vector<Case> cases = {
      {"/api/search?q=%22green%20envoys", 400, "query"},
      {"/api/search?q=water&sort=score", 400, "parameter"},
      {"/api/search?q=water&limit=1001", 400, "parameter"},
      {"/api/search?q=water&offset=-1", 400, "parameter"},
      {"/api/search?q=water&facets=maybe", 400, "parameter"},
      {"/api/search", 400, "parameter"},
      {"/api/search?q=" + std::string(5000, 'a'), 413, "too_large"},
      {"/api/kwic?q=water&sort=size", 400, "parameter"},
      {"/api/nothing", 404, "not_found"},
      // Bytes that are not UTF-8 are echoed back as U+FFFD, not refused.
      {"/api/documents/%ff%fe", 404, "not_found"},
      {"/api/search?q=war%20%ff", 400, "query"},
      {"/api/kwic?q=war%20%ff", 400, "query"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.path.substr(0, 60));
    const nlohmann::json j = get_json(c.path, c.status);
    EXPECT_EQ(j["error"]["kind"], c.kind);
    EXPECT_FALSE(j["error"]["message"].get<std::string>().empty());
  }
  const nlohmann::json q = get_json("/api/search?q=water%20%22green", 400);
  EXPECT_EQ(q["error"]["position"], 6);
  EXPECT_FALSE(q["error"]["hint"].get<std::string>().empty());
}

TEST_F(HttpServerTest, BodyAndBatchLimits) {
  auto c = client();
  const auto huge = c.Post("/api/batch", std::string(20000, ' '), "application/json");
  ASSERT_TRUE(huge);
  EXPECT_EQ(huge->status, 413);
  std::string many = R"({"queries": [)";
  for (int i = 0; i < 6; ++i) many += std::string(i ? "," : "") + R"({"query": "water"})";
  many += "]}";
  const auto too_many = c.Post("/api/batch", many, "application/json");
  ASSERT_TRUE(too_many);
  EXPECT_EQ(too_many->status, 413);
  EXPECT_NE(too_many->body.find("limit is 5"), std::string::npos);
  const auto malformed = c.Post("/api/batch", "{not json", "application/json");
  ASSERT_TRUE(malformed);
  EXPECT_EQ(malformed->status, 400);
}

// Every endpoint's answer validates against its JSON Schema in schemas/.
TEST_F(HttpServerTest, ResponsesMatchTheirJsonSchemas) {
  struct Case {
    std::string path;
    std::string body;  // POST when not empty
    std::string schema;
  };
  const std::vector<Case> cases = {
      {"/api/search?q=cooperation&filter=year:2010..2020", "", "search-results.schema.json"},
      {"/api/search?q=%22unterminated", "", "api-error.schema.json"},
      {"/api/documents/caec-main-functions.txt?q=green%20envoy", "", "api-document.schema.json"},
      {"/api/kwic?q=water&limit=5", "", "api-kwic.schema.json"},
      {"/api/batch", R"({"queries": [{"query": "water", "filters": ["year:2016"]}, {"query": "(x"}], "top": 1})",
       "api-batch.schema.json"},
      {"/api/health", "", "api-health.schema.json"},
      {"/api/index", "", "api-index.schema.json"},
      {"/api/documents/missing", "", "api-error.schema.json"},
      {"/api/search?q=water&limit=x", "", "api-error.schema.json"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.path);
    auto client_ = client();
    const auto res =
        c.body.empty() ? client_.Get(c.path.c_str()) : client_.Post(c.path.c_str(), c.body, "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(schema_violation(*dir_, res->body, c.schema), "") << res->body.substr(0, 300);
  }
}

TEST_F(HttpServerTest, ASecondServerCannotTakeTheSamePort) {
  ServerOptions options;
  options.index_path = index();
  options.port = server_->port();
  HttpServer second(options);
  EXPECT_THROW(second.bind(), std::runtime_error);
}

// Without TCP_NODELAY a kept-alive connection stalls about 40 ms per
// response (http_server.cc): every connection the server accepts has it.
TEST_F(HttpServerTest, ConnectionsSendWithoutNagleDelay) {
  auto c = client();
  c.set_keep_alive(true);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(c.Get("/api/health"));
  // The server runs in this process: its side of the connection is one of
  // our sockets, bound to its port and connected.
  int accepted = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    const int fd = std::stoi(entry.path().filename().string());
    sockaddr_in local{}, peer{};
    socklen_t length = sizeof local;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) != 0 || local.sin_family != AF_INET) continue;
    if (ntohs(local.sin_port) != server_->port()) continue;
    length = sizeof peer;
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) != 0) continue;  // the listening socket
    int nodelay = 0;
    length = sizeof nodelay;
    ASSERT_EQ(getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &nodelay, &length), 0);
    EXPECT_NE(nodelay, 0) << "server socket " << fd;
    ++accepted;
  }
  EXPECT_GE(accepted, 1);
}

TEST(HttpServerTokenTest, EveryRequestNeedsTheBearerToken) {
  const std::filesystem::path dir = testing::make_temp_dir("http-token");
  index_corpus((dir / "idx").string());
  ServerOptions options;
  options.index_path = (dir / "idx").string();
  options.port = 0;
  options.token = "s3cret";
  {
    RunningServer server(options);
    httplib::Client c("127.0.0.1", server.port());
    const auto refused = c.Get("/api/health");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 401);
    EXPECT_NE(refused->body.find("\"unauthorized\""), std::string::npos);
    const auto page = c.Get("/");
    ASSERT_TRUE(page);
    EXPECT_EQ(page->status, 401);
    const auto allowed = c.Get("/api/health", {{"Authorization", "Bearer s3cret"}});
    ASSERT_TRUE(allowed);
    EXPECT_EQ(allowed->status, 200);
  }
  std::filesystem::remove_all(dir);
}

// A TCP connection to a server on loopback, for requests no HTTP client
// would send; closed when destroyed.
class RawConnection {
 public:
  explicit RawConnection(int port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~RawConnection() { close(fd_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }
  // False once the server has closed the connection.
  bool send_text(const std::string& text) { return send(fd_, text.data(), text.size(), MSG_NOSIGNAL) >= 0; }
  // Whether the server closes the connection within `seconds`, sending
  // nothing before (a timed-out request gets no answer).
  // The status line of the answer, read within `seconds` ("" when none
  // came).
  std::string answer_status_line(int seconds) {
    timeval timeout{seconds, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    std::string answer;
    char buffer[512];
    while (answer.find("\r\n") == std::string::npos) {
      const ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) return "";
      answer.append(buffer, static_cast<std::size_t>(n));
    }
    return answer.substr(0, answer.find("\r\n"));
  }
  bool closed_within(int seconds) {
    timeval timeout{seconds, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    char byte = 0;
    const ssize_t n = recv(fd_, &byte, 1, 0);
    return n == 0 || (n < 0 && errno == ECONNRESET);
  }

 private:
  int fd_;
  bool connected_ = false;
};

// Sends `head` and then `body_bytes` spaces on a new connection to the
// server, and returns the status line of the answer, read with a 5 s
// receive timeout ("" when none came): a server that waited for the body
// it was promised would give "".
std::string raw_status_line(int port, const std::string& head, std::size_t body_bytes) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return "";
  }
  timeval timeout{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  send(fd, head.data(), head.size(), MSG_NOSIGNAL);
  // The body is sent while the answer may already be on its way; a server
  // that closed stops it with EPIPE.
  const std::string chunk(64 * 1024, ' ');
  for (std::size_t sent = 0; sent < body_bytes; sent += chunk.size()) {
    if (send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL) < 0) break;
  }
  char buffer[512];
  const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
  close(fd);
  if (n <= 0) return "";
  const std::string answer(buffer, static_cast<std::size_t>(n));
  return answer.substr(0, answer.find("\r\n"));
}

// Hosts, origins and bodies are checked before a request is routed or its
// body read (request_guard.h); the server goes on answering.
TEST(HttpServerGuardTest, HostsOriginsAndBodyFramingAreCheckedFirst) {
  const std::filesystem::path dir = testing::make_temp_dir("http-guard");
  index_corpus((dir / "idx").string());
  ServerOptions options;
  options.index_path = (dir / "idx").string();
  options.port = 0;
  options.allowed_origins = {"http://app.example:3000"};
  {
    RunningServer server(options);
    httplib::Client c("127.0.0.1", server.port());
    const auto rebound = c.Get("/api/health", {{"Host", "evil.example"}});
    ASSERT_TRUE(rebound);
    EXPECT_EQ(rebound->status, 403);
    EXPECT_NE(rebound->body.find("--allow-host evil.example"), std::string::npos) << rebound->body;
    // A cross-site form post: refused before it runs.
    const auto cross =
        c.Post("/api/batch", {{"Origin", "http://evil.example"}}, R"({"queries": [{"query": "water"}]})", "text/plain");
    ASSERT_TRUE(cross);
    EXPECT_EQ(cross->status, 403);
    const auto form = c.Post("/api/batch", std::string(9000, ' '), "application/x-www-form-urlencoded");
    ASSERT_TRUE(form);
    EXPECT_EQ(form->status, 415);
    // A listed origin is answered, with CORS headers, preflight included.
    const auto listed = c.Get("/api/health", {{"Origin", "http://app.example:3000"}});
    ASSERT_TRUE(listed);
    EXPECT_EQ(listed->status, 200);
    EXPECT_EQ(listed->get_header_value("Access-Control-Allow-Origin"), "http://app.example:3000");
    const auto preflight =
        c.Options("/api/batch", {{"Origin", "http://app.example:3000"}, {"Access-Control-Request-Method", "POST"}});
    ASSERT_TRUE(preflight);
    EXPECT_EQ(preflight->status, 204);
    EXPECT_NE(preflight->get_header_value("Access-Control-Allow-Headers").find("Content-Type"), std::string::npos);
    // Bodies whose size is not known first: refused at once, unread.
    const std::string post = "POST /api/batch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
    EXPECT_EQ(raw_status_line(server.port(), post + "Transfer-Encoding: chunked\r\n\r\n800000\r\n", 8 << 20),
              "HTTP/1.1 411 Length Required");
    EXPECT_EQ(raw_status_line(server.port(), post + "Content-Length: -5\r\n\r\n", 0), "HTTP/1.1 400 Bad Request");
    EXPECT_EQ(raw_status_line(server.port(), post + "Content-Length: 2000000\r\n\r\n", 0),
              "HTTP/1.1 413 Payload Too Large");
    const auto health = c.Get("/api/health");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
  }
  std::filesystem::remove_all(dir);
}

// A refused request's body is read and dropped before its connection
// closes (a lingering close): a client that sends its whole body before it
// reads, as cpp-httplib's does, gets the answer rather than a broken pipe
// or a reset, and a client that then keeps the connection open is closed
// at the limit (the transfer limit, here shorter than the linger's 5 s).
TEST(HttpServerGuardTest, ARefusedBodyIsDrainedSoTheClientReadsTheAnswer) {
  const std::filesystem::path dir = testing::make_temp_dir("http-linger");
  index_corpus((dir / "idx").string());
  ServerOptions options;
  options.index_path = (dir / "idx").string();
  options.port = 0;
  options.transfer_time_limit_seconds = 1;
  // A write to a connection the server reset must fail, not kill the test.
  const auto old_sigpipe = std::signal(SIGPIPE, SIG_IGN);
  {
    RunningServer server(options);
    httplib::Client c("127.0.0.1", server.port());
    c.set_write_timeout(30);
    c.set_read_timeout(30);
    for (const std::size_t bytes : {std::size_t{2} << 20, std::size_t{16} << 20}) {
      SCOPED_TRACE(bytes);
      const auto large = c.Post("/api/batch", std::string(bytes, ' '), "application/json");
      ASSERT_TRUE(large) << httplib::to_string(large.error());
      EXPECT_EQ(large->status, 413);
      EXPECT_EQ(nlohmann::json::parse(large->body)["error"]["kind"], "too_large") << large->body;
    }
    const auto form = c.Post("/api/batch", std::string(512 << 10, ' '), "application/x-www-form-urlencoded");
    ASSERT_TRUE(form) << httplib::to_string(form.error());
    EXPECT_EQ(form->status, 415);
    // A client that reads the answer and keeps the connection open, sending
    // its body slowly: the server stops reading it at the limit.
    {
      RawConnection lingering(server.port());
      ASSERT_TRUE(lingering.connected());
      lingering.send_text(
          "POST /api/batch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          "Content-Length: 2000000\r\n\r\n");
      EXPECT_EQ(lingering.answer_status_line(5), "HTTP/1.1 413 Payload Too Large");
      const auto answered = std::chrono::steady_clock::now();
      while (lingering.send_text(std::string(1024, ' ')) &&
             std::chrono::steady_clock::now() < answered + std::chrono::seconds(10)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      const double closed_after = std::chrono::duration<double>(std::chrono::steady_clock::now() - answered).count();
      EXPECT_LT(closed_after, 5) << "the connection was not closed at the 1 s limit";
      EXPECT_GT(closed_after, 0.5) << "the connection closed before the limit";
    }
    const auto health = c.Get("/api/health");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
  }
  std::signal(SIGPIPE, old_sigpipe);
  std::filesystem::remove_all(dir);
}

// Threads that send the same search to a server over and over until
// stop(), counting searches and failures (no answer or a status other than
// 200) and keeping the first failure's body.
class SearchLoad {
 public:
  SearchLoad(int port, int threads, httplib::Params params) {
    for (int t = 0; t < threads; ++t) {
      threads_.emplace_back([this, port, params] {
        httplib::Client c("127.0.0.1", port);
        c.set_read_timeout(60);
        while (running_) {
          const auto res = c.Get("/api/search", params, httplib::Headers{});
          ++searches_;
          if (!res || res->status != 200) {
            ++failures_;
            std::lock_guard lock(failure_mutex_);
            if (first_failure_.empty()) first_failure_ = res ? res->body : "no response";
          }
        }
      });
    }
  }
  ~SearchLoad() { stop(); }

  void stop() {
    running_ = false;
    for (std::thread& t : threads_) {
      if (t.joinable()) t.join();
    }
  }
  int searches() const { return searches_.load(); }
  int failures() const { return failures_.load(); }
  std::string first_failure() {
    std::lock_guard lock(failure_mutex_);
    return first_failure_;
  }

 private:
  std::atomic<bool> running_{true};
  std::atomic<int> searches_{0}, failures_{0};
  std::mutex failure_mutex_;
  std::string first_failure_;
  std::vector<std::thread> threads_;
};

// New documents appear without restart, and searches running while the
// indexer commits never fail.
TEST(HttpServerReopenTest, CommitsAreSeenAndConcurrentSearchesNeverFail) {
  const std::filesystem::path dir = testing::make_temp_dir("http-reopen");
  const std::string index = (dir / "idx").string();
  index_corpus(index);
  ServerOptions options;
  options.index_path = index;
  options.port = 0;
  options.threads = 4;
  RunningServer server(options);

  SearchLoad load(server.port(), 3, {{"q", "water OR zebrafish"}, {"limit", "5"}});
  // At least 60 documents, and on until the readers have searched 30 times
  // during the commits, however fast the writer is against them.
  int added = 0;
  {
    const Schema schema = Schema::load(testing::source_path("schemas"));
    Analyzer analyzer;
    IndexWriterOptions writer_options;
    writer_options.commit_every = 5;
    writer_options.min_commit_interval = std::chrono::milliseconds(0);  // as fast as it can: the retries hold
    IndexWriter writer(index, analyzer, schema, writer_options);
    for (int i = 0; i < 60 || (load.searches() < 30 && i < 20000); ++i, ++added) {
      SourceDocument doc;
      doc.id = "new-" + std::to_string(i);
      doc.source = "test";
      doc.text = "A zebrafish study of water quality number " + std::to_string(i) + ".";
      writer.add(doc);
    }
    writer.commit();
  }
  load.stop();
  EXPECT_EQ(load.failures(), 0) << "of " << load.searches() << " searches; first: " << load.first_failure();
  EXPECT_GE(load.searches(), 30);

  httplib::Client c("127.0.0.1", server.port());
  const auto res = c.Get("/api/search?q=zebrafish&limit=1");
  ASSERT_TRUE(res);
  EXPECT_EQ(nlohmann::json::parse(res->body)["total"], added);
  std::filesystem::remove_all(dir);
}

// A text of function words (and two others), whose positions every NEAR
// pair of them reads: `seed` varies the order.
std::string function_word_text(int seed) {
  static const char* const kWords[] = {"the", "of", "and", "to", "in", "water", "is", "that", "for", "river"};
  std::string text;
  for (int w = 0; w < 3000; ++w) {
    text += std::string(kWords[(seed * 7 + w * w) % 10]) + (w % 12 == 11 ? ". " : " ");
  }
  return text;
}

// `documents` function_word_text()s in a new index.
void index_function_words(const std::string& index, int documents) {
  const Schema schema = Schema::load(testing::source_path("schemas"));
  Analyzer analyzer;
  IndexWriter writer(index, analyzer, schema, {});
  for (int i = 0; i < documents; ++i) {
    SourceDocument doc;
    doc.id = "base-" + std::to_string(i);
    doc.source = "test";
    doc.text = function_word_text(i);
    writer.add(doc);
  }
  writer.commit();
}

// `pairs` ORed NEAR/0 pairs of function words (at most 16).
std::string near_pairs_query(int pairs) {
  std::string query;
  for (const char* a : {"the", "of", "and", "to"}) {
    for (const char* b : {"in", "is", "that", "for"}) {
      if (pairs-- <= 0) return query;
      query += std::string(query.empty() ? "" : " OR ") + a + " NEAR/0 " + b;
    }
  }
  return query;
}

// POSTs a batch of 20 heavy NEAR queries to the server on `port`, which
// holds one searcher for all of them; the response, if any.
// A POST /api/batch body of `count` heavy NEAR queries.
std::string heavy_batch_body(int count) {
  nlohmann::json batch{{"queries", nlohmann::json::array()}};
  for (int q = 0; q < count; ++q) batch["queries"].push_back({{"query", near_pairs_query(16 - q % 4)}});
  return batch.dump();
}

httplib::Result post_heavy_batch(int port) {
  httplib::Client c("127.0.0.1", port);
  c.set_read_timeout(300);
  return c.Post("/api/batch", heavy_batch_body(20), "application/json");
}

// A server on any free port with one searcher, for post_heavy_batch() to hold.
ServerOptions one_searcher(const std::string& index) {
  ServerOptions options;
  options.index_path = index;
  options.port = 0;
  options.searchers = 1;
  return options;
}

// /api/health has searchers of its own: it answers while the only search
// worker is busy with a long batch.
TEST(HttpServerHealthTest, AnswersWhileEverySearcherIsBusy) {
  const std::filesystem::path dir = testing::make_temp_dir("http-health-busy");
  const std::string index = (dir / "idx").string();
  index_function_words(index, 600);
  const ServerOptions options = one_searcher(index);
  {
    RunningServer server(options);
    std::atomic<bool> heavy_done{false};
    std::chrono::duration<double> heavy_took{};
    std::thread heavy([&] {
      const auto started = std::chrono::steady_clock::now();
      post_heavy_batch(server.port());
      heavy_took = std::chrono::steady_clock::now() - started;
      heavy_done = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the worker is taken by now
    httplib::Client c("127.0.0.1", server.port());
    const auto health = c.Get("/api/health");
    const bool answered_first = !heavy_done;
    heavy.join();
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
    EXPECT_TRUE(answered_first) << "health came after the search, which took " << heavy_took.count() << " s";
  }
  std::filesystem::remove_all(dir);
}

// Requests wait for a searcher in bounded numbers: with the only searcher
// held by a long batch and one request waiting, the next gets 503 `busy`
// with Retry-After at once; the waiting one is answered when the searcher
// comes free; /api/health answers throughout.
TEST(HttpServerBusyTest, RequestsBeyondTheWaitingOnesGet503WithRetryAfter) {
  const std::filesystem::path dir = testing::make_temp_dir("http-busy");
  const std::string index = (dir / "idx").string();
  index_function_words(index, 600);
  {
    ServerOptions options = one_searcher(index);
    options.max_waiting = 1;
    options.request_time_limit_seconds = 120;  // the batch runs whole
    RunningServer server(options);
    int heavy_status = 0;
    std::thread heavy([&] {
      if (const auto res = post_heavy_batch(server.port())) heavy_status = res->status;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the searcher is lent by now
    int waiting_status = 0;
    std::string waiting_body;
    std::thread waiting([&] {
      httplib::Client c("127.0.0.1", server.port());
      c.set_read_timeout(300);
      if (const auto res = c.Get("/api/search?q=the&limit=1")) {
        waiting_status = res->status;
        waiting_body = res->body;
      }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // it waits by now
    httplib::Client c("127.0.0.1", server.port());
    const auto refused = c.Get("/api/search?q=of&limit=1");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 503);
    EXPECT_EQ(refused->get_header_value("Retry-After"), "1");
    EXPECT_EQ(nlohmann::json::parse(refused->body)["error"]["kind"], "busy") << refused->body;
    const auto health = c.Get("/api/health");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
    heavy.join();
    waiting.join();
    EXPECT_EQ(heavy_status, 200);
    EXPECT_EQ(waiting_status, 200) << waiting_body;
  }
  std::filesystem::remove_all(dir);
}

// Slowloris: connections that send a header line now and then and never
// end their request hold no thread. With 2 threads and 16 such
// connections a search is answered, and each of them is closed when the
// transfer limit passes. (A server that gives each connection a thread
// answers nothing until they give up.)
TEST(HttpServerSlowClientTest, SlowRequestsHoldNoThreadAndAreClosedAtTheLimit) {
  const std::filesystem::path dir = testing::make_temp_dir("http-slowloris");
  const std::string index = (dir / "idx").string();
  index_function_words(index, 50);
  {
    ServerOptions options;
    options.index_path = index;
    options.port = 0;
    options.threads = 2;
    options.transfer_time_limit_seconds = 1;
    RunningServer server(options);
    std::vector<std::unique_ptr<RawConnection>> slow;
    for (int i = 0; i < 16; ++i) {
      slow.push_back(std::make_unique<RawConnection>(server.port()));
      ASSERT_TRUE(slow.back()->connected());
      slow.back()->send_text("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    }
    std::atomic<bool> stop{false};
    std::thread dawdle([&] {
      while (!stop) {
        for (auto& connection : slow) connection->send_text("X-Slow: 1\r\n");
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
      }
    });
    httplib::Client c("127.0.0.1", server.port());
    c.set_read_timeout(5);
    const auto res = c.Get("/api/search?q=the&limit=1");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    for (auto& connection : slow) EXPECT_TRUE(connection->closed_within(10));
    stop = true;
    dawdle.join();
  }
  std::filesystem::remove_all(dir);
}

// A batch whose client closes the connection stops between its queries:
// the server counts the request as abandoned, and the only searcher serves
// the next request.
TEST(HttpServerClientGoneTest, ABatchStopsWhenItsClientCloses) {
  const std::filesystem::path dir = testing::make_temp_dir("http-client-gone");
  const std::string index = (dir / "idx").string();
  index_function_words(index, 600);
  {
    ServerOptions options = one_searcher(index);
    options.request_time_limit_seconds = 600;  // only the client's leaving stops it
    RunningServer server(options);
    {
      RawConnection client(server.port());
      ASSERT_TRUE(client.connected());
      const std::string body = heavy_batch_body(100);
      client.send_text(
          "POST /api/batch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          "Content-Length: " +
          std::to_string(body.size()) + "\r\n\r\n" + body);
      std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the batch runs by now
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (server.abandoned_requests() == 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_EQ(server.abandoned_requests(), 1u);
    httplib::Client c("127.0.0.1", server.port());
    c.set_read_timeout(60);
    const auto res = c.Get("/api/search?q=the&limit=1");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
  }
  std::filesystem::remove_all(dir);
}

// `windows` times the 16 pairs of near_pairs_query(), each time with a
// wider NEAR: as many positional matches, none of them shared.
std::string wide_near_pairs_query(int windows) {
  std::string query;
  for (int window = 0; window < windows; ++window) {
    for (const char* a : {"the", "of", "and", "to"}) {
      for (const char* b : {"in", "is", "that", "for"}) {
        query += std::string(query.empty() ? "" : " OR ") + a + " NEAR/" + std::to_string(window) + " " + b;
      }
    }
  }
  return query;
}

// A search or a KWIC page whose client closes the connection stops in
// the middle of its work: the server counts it as abandoned long before it
// would have ended, and the only searcher is free again. (Xapian's own
// time limit does not stop a match looking for its page's results.)
TEST(HttpServerClientGoneTest, ASearchAndAKwicStopInTheirMatchWhenTheirClientCloses) {
  const std::filesystem::path dir = testing::make_temp_dir("http-search-gone");
  const std::string index = (dir / "idx").string();
  index_function_words(index, 600);
  {
    ServerOptions options = one_searcher(index);
    options.request_time_limit_seconds = 600;  // only the client's leaving stops it
    RunningServer server(options);
    httplib::Client c("127.0.0.1", server.port());
    c.set_read_timeout(300);
    std::size_t abandoned = 0;
    for (const std::string& target :
         {"/api/search?limit=10&q=" + httplib::detail::encode_query_param(wide_near_pairs_query(12)),
          "/api/kwic?limit=10&q=" + httplib::detail::encode_query_param(wide_near_pairs_query(8))}) {
      SCOPED_TRACE(target.substr(0, 12));
      const auto started = std::chrono::steady_clock::now();
      const auto whole = c.Get(target);
      const std::chrono::duration<double> takes = std::chrono::steady_clock::now() - started;
      ASSERT_TRUE(whole);
      ASSERT_EQ(whole->status, 200) << whole->body;
      {
        RawConnection client(server.port());
        ASSERT_TRUE(client.connected());
        client.send_text("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        std::this_thread::sleep_for(takes / 10);  // the work runs by now
      }
      ++abandoned;
      const auto left = std::chrono::steady_clock::now();
      while (server.abandoned_requests() < abandoned && std::chrono::steady_clock::now() < left + 3 * takes) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
      const std::chrono::duration<double> stopped_after = std::chrono::steady_clock::now() - left;
      EXPECT_EQ(server.abandoned_requests(), abandoned);
      EXPECT_LT(stopped_after.count(), takes.count() / 2)
          << "the whole request takes " << takes.count() << " s; it stopped " << stopped_after.count()
          << " s after its client left";
    }
    const auto next = c.Get("/api/search?q=the&limit=1");
    ASSERT_TRUE(next);
    EXPECT_EQ(next->status, 200);
  }
  std::filesystem::remove_all(dir);
}

// The time limit covers all of a request's work: past it a search answers
// what it found, flagged, while a batch (every query together) and a KWIC
// page, whose counts go into reports, get 504 `time_limit`.
TEST(HttpServerTimeLimitTest, ASearchIsFlaggedABatchAndAKwicGet504) {
  const std::filesystem::path dir = testing::make_temp_dir("http-time-limit");
  const std::string index = (dir / "idx").string();
  index_function_words(index, 600);
  {
    ServerOptions options = one_searcher(index);
    options.request_time_limit_seconds = 1e-6;  // spent before any work
    RunningServer server(options);
    httplib::Client c("127.0.0.1", server.port());
    c.set_read_timeout(300);
    const std::string heavy = httplib::detail::encode_query_param(wide_near_pairs_query(8));

    const auto search = c.Get("/api/search?limit=10&q=" + heavy);
    ASSERT_TRUE(search);
    ASSERT_EQ(search->status, 200) << search->body;
    const nlohmann::json results = nlohmann::json::parse(search->body);
    EXPECT_FALSE(results["total_exact"].get<bool>());
    ASSERT_TRUE(results.contains("warnings")) << search->body;
    bool warned = false;
    for (const nlohmann::json& warning : results["warnings"]) warned = warned || warning["code"] == "time_limit";
    EXPECT_TRUE(warned) << results["warnings"];

    const auto batch = c.Post("/api/batch", heavy_batch_body(100), "application/json");
    ASSERT_TRUE(batch);
    EXPECT_EQ(batch->status, 504) << batch->body;
    const nlohmann::json batch_error = nlohmann::json::parse(batch->body)["error"];
    EXPECT_EQ(batch_error["kind"], "time_limit");
    EXPECT_NE(batch_error["message"].get<std::string>().find("of 100 batch queries"), std::string::npos) << batch_error;

    const auto kwic = c.Get("/api/kwic?q=" + heavy);
    ASSERT_TRUE(kwic);
    EXPECT_EQ(kwic->status, 504) << kwic->body;
    EXPECT_EQ(nlohmann::json::parse(kwic->body)["error"]["kind"], "time_limit");

    EXPECT_EQ(schema_violation(dir, search->body, "search-results.schema.json"), "");
    EXPECT_EQ(schema_violation(dir, batch->body, "api-error.schema.json"), "");
  }
  std::filesystem::remove_all(dir);
}

// Heavy searches (a second or less) while the indexer commits after every
// document: the writer's commits come at most once per min_commit_interval
// (index_writer.h), so a search meets at most one commit and its retry
// succeeds. Without the interval, such searches failed with
// DatabaseModifiedError once the retries ran out.
TEST(HttpServerReopenTest, HeavySearchesDuringCommitsOfEveryDocumentNeverFail) {
  const std::filesystem::path dir = testing::make_temp_dir("http-heavy-commits");
  const std::string index = (dir / "idx").string();
  const Schema schema = Schema::load(testing::source_path("schemas"));
  Analyzer analyzer;
  index_function_words(index, 150);
  const std::string heavy = near_pairs_query(16);
  ServerOptions options;
  options.index_path = index;
  options.port = 0;
  RunningServer server(options);
  SearchLoad load(server.port(), 2, {{"limit", "10"}, {"q", heavy}});
  {
    IndexWriterOptions writer_options;
    writer_options.commit_every = 1;
    // Longer than the default, for the searches' time under sanitizers.
    writer_options.min_commit_interval = std::chrono::milliseconds(2000);
    IndexWriter writer(index, analyzer, schema, writer_options);
    // Until the readers have searched 20 times, over at least 2 commits.
    const auto started = std::chrono::steady_clock::now();
    for (int i = 0;
         load.searches() < 20 || std::chrono::steady_clock::now() - started < std::chrono::milliseconds(4500); ++i) {
      SourceDocument doc;
      doc.id = "new-" + std::to_string(i);
      doc.source = "test";
      doc.text = function_word_text(1000 + i);
      writer.add(doc);
    }
    writer.commit();
  }
  load.stop();
  EXPECT_EQ(load.failures(), 0) << "of " << load.searches() << " searches; first: " << load.first_failure();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace policy
