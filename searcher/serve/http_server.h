// The HTTP server: a JSON API over Searcher and the web page, on Boost.Beast
// (http_transport.h), its requests and answers as cpp-httplib values.
//
// API (documented in README.md and schemas/api-*.schema.json):
//   GET  /api/search?q=&filter=&offset=&limit=&facets=&facet_limit=&snippets=&mode=
//                            the policy-search --json object
//   GET  /api/documents/ID?q=&mode= a document's record, cleaned text and the
//                            byte ranges of the query's matches
//   GET  /api/kwic?q=&filter=&width=&sort=&limit=&mode=   concordance lines
//   POST /api/batch          {"queries": [{"id","query","filters"}], "top": K}
//                            -> the counts policy-search batch produces
//   GET  /api/health, /api/index
//   GET  /, /static/NAME     the web page (web/, embedded)
// Errors are JSON {"error": {"kind", "message", "position"?, "hint"?}}:
// 400 bad query or parameter, 401 missing or wrong token, 404 unknown
// document or path, 413 too large, 503 busy or a shard unavailable, 500
// only for real faults.
//
// The endpoints are in api_handlers.h, their parameters and limits in
// api_requests.h, their response bodies in api_json.h.
//
// Concurrency: connections are read and written asynchronously on Boost.Beast
// (http_transport.h), so an idle or slow client holds no thread and must
// send each request within ServerOptions::transfer_time_limit_seconds; a
// request being answered holds one of `threads`. A smaller pool of
// Searchers (each its own Xapian::Database; one facet table per revision
// for all of them, SharedFacetTable in searcher/facets.h), which
// a request borrows for its duration, waiting while all are lent. The
// borrowed searcher is refreshed first, so commits by policy-index are seen
// without restart; a commit during a request is retried by the searcher,
// never served as an error. The wait is bounded in numbers and time
// (ServerOptions::max_waiting): beyond, 503 `busy` with Retry-After, so that
// expensive requests cannot take every connection thread. /api/health has
// searchers of its own.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace policy {

struct ServerOptions {
  std::string index_path;
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port
  // Requests answered at once; 0: kDefaultConnectionThreads, or more when
  // searchers, waiting requests and health checks need more.
  std::size_t threads = 0;
  std::size_t searchers = 0;  // requests searching at once; 0: 4 per core, at least 8
  // Requests waiting for a searcher; one more gets 503 (`busy`) with
  // Retry-After at once, as does one that waited request_time_limit_seconds.
  // 0: kWaitingPerSearcher per searcher.
  std::size_t max_waiting = 0;
  std::string token;  // "": no authentication
  // Host names served besides loopback ones, and origins whose pages may
  // call the API (request_guard.h).
  std::vector<std::string> allowed_hosts;
  std::vector<std::string> allowed_origins;
  std::size_t max_query_bytes = 4096;
  std::size_t max_page_size = 1000;      // limit= for search, lines for kwic
  std::size_t max_body_bytes = 1 << 20;  // POST bodies
  std::size_t max_batch_queries = 100;
  // Seconds a request may take once it holds a searcher, all of its work
  // included (RequestBudget); also the longest it waits for one. 0: no
  // limit.
  double request_time_limit_seconds = 10;
  // Time a client has to send a whole request, head and body, and to take
  // the whole answer (http_transport.h); beyond, its connection is closed.
  // 0: no limit.
  double transfer_time_limit_seconds = 30;
  double remote_timeout_seconds = 10;  // as SearcherOptions's
};

inline constexpr std::size_t kWaitingPerSearcher = 16;

// Requests answered at once: a request waiting for a searcher holds its
// thread, so there are many more threads than cores; each costs a stack's
// address space, not a Searcher.
inline constexpr std::size_t kDefaultConnectionThreads = 256;

// True for addresses other people can reach (the server warns about those).
bool listens_beyond_loopback(const std::string& host);

class HttpServer {
 public:
  // Checks that the index opens (throws IndexError otherwise).
  explicit HttpServer(ServerOptions options);
  ~HttpServer();

  // Binds; returns the port (useful with port 0). Throws std::runtime_error
  // when the address cannot be bound.
  int bind();
  // Serves until stop(); call after bind().
  void serve();
  void stop();

  // Requests whose work stopped because their client closed the connection
  // first (while waiting for a searcher, or between the queries of a batch).
  std::size_t abandoned_requests() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace policy
