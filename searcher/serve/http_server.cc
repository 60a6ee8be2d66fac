#include "searcher/serve/http_server.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "core/utf8.h"

#include "searcher/query_syntax.h"
#include "searcher/searcher.h"
#include "searcher/serve/api_handlers.h"
#include "searcher/serve/api_json.h"
#include "searcher/serve/api_requests.h"
#include "searcher/serve/http_transport.h"
#include "searcher/serve/request_guard.h"
#include "searcher/serve/web_assets.h"

namespace policy {
namespace {

constexpr const char* kJson = "application/json; charset=utf-8";
// nginx's status for a request whose client closed the connection first.
constexpr int kClientClosedRequest = 499;

// Every searcher is lent and as many requests as may wait already do, or
// this one has waited its whole time limit: the client should try again.
class ServerBusyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

void send_error(httplib::Response& res, int status, const std::string& kind, const std::string& message,
                const nlohmann::json& extra = nlohmann::json::object()) {
  res.status = status;
  res.set_content(to_json_text(api_error_to_json(kind, message, extra)), kJson);
}

// As Response::set_content, without copying the body once more.
void send_json(httplib::Response& res, const nlohmann::json& body) {
  res.body = to_json_text(body);
  const auto [first, last] = res.headers.equal_range("Content-Type");
  res.headers.erase(first, last);
  res.set_header("Content-Type", kJson);
}

// Runs `handler`, answering what it throws with the API's JSON errors.
void guarded(httplib::Response& res, const std::function<void()>& handler) {
  try {
    handler();
  } catch (const QuerySyntaxError& e) {
    nlohmann::json extra = {{"position", e.position()}, {"hint", e.hint()}};
    // A filter's error: the position is in the filter's text.
    if (const auto* in_filter = dynamic_cast<const FilterError*>(&e)) extra["filter"] = in_filter->filter();
    send_error(res, 400, "query", e.message(), extra);
  } catch (const ParameterError& e) {
    send_error(res, 400, "parameter", e.what());
  } catch (const RequestTooLarge& e) {
    send_error(res, 413, "too_large", e.what());
  } catch (const RequestError& e) {
    // Another problem with what was asked, such as similar=ID naming no document.
    send_error(res, 400, "parameter", e.what());
  } catch (const ShardUnavailableError& e) {
    send_error(res, 503, "shard_unavailable", e.what());
  } catch (const RequestStoppedError& e) {
    // Its client has gone: no one reads this answer; the status is for the
    // server's own count.
    send_error(res, kClientClosedRequest, "client_gone", e.what());
  } catch (const TimeLimitError& e) {
    // gRPC's DEADLINE_EXCEEDED maps to 504 too.
    send_error(res, 504, "time_limit", e.what());
  } catch (const ServerBusyError& e) {
    send_error(res, 503, "busy", e.what());
    res.set_header("Retry-After", "1");
  } catch (const nlohmann::json::exception& e) {
    send_error(res, 400, "parameter", std::string("malformed JSON body: ") + e.what());
  } catch (const std::exception& e) {
    send_error(res, 500, "internal", e.what());
  } catch (const Xapian::Error& e) {
    send_error(res, 500, "internal", e.get_description());
  }
}

const WebAsset* find_web_asset(std::string_view name) {
  for (const WebAsset& a : web_assets()) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

void send_web_asset(httplib::Response& res, const WebAsset& asset) {
  res.set_content(std::string(asset.content), std::string(asset.content_type).c_str());
}

// Searchers lent to one request at a time. A borrower waits while `size`
// searchers are lent, and borrowers are served in the order they came (a
// tail of unlucky waiters would otherwise wait many times as long as the
// rest). At most `max_waiting` wait, each at most `max_wait`: beyond
// either, borrow() throws ServerBusyError, so that expensive requests
// queue in bounded numbers and time, and the connection threads stay free
// for the rest.
class SearcherPool {
 public:
  SearcherPool(std::size_t size, std::size_t max_waiting, std::chrono::steady_clock::duration max_wait,
               std::function<std::unique_ptr<Searcher>()> open)
      : size_(std::max<std::size_t>(size, 1)), max_waiting_(max_waiting), max_wait_(max_wait), open_(std::move(open)) {}

  // A searcher for the duration of one request, given back when it goes.
  class Lease {
   public:
    Lease(SearcherPool& pool, std::unique_ptr<Searcher> searcher) : pool_(pool), searcher_(std::move(searcher)) {}
    ~Lease() { pool_.give_back(std::move(searcher_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    operator Searcher&() const { return *searcher_; }

   private:
    SearcherPool& pool_;
    std::unique_ptr<Searcher> searcher_;
  };

  // An idle searcher, refreshed, or a new one while fewer than `size` are
  // open. Throws what opening or refreshing throws (IndexError, ...).
  Lease borrow() {
    std::unique_ptr<Searcher> searcher;
    {
      std::unique_lock lock(mutex_);
      if (!(waiting_.empty() && can_lend()) && waiting_.size() >= max_waiting_) {
        throw ServerBusyError("all " + std::to_string(size_) + " searchers are busy and " +
                              std::to_string(waiting_.size()) + " requests wait for one; try again");
      }
      std::condition_variable my_turn;
      waiting_.push_back(&my_turn);
      const bool turn = my_turn.wait_until(lock, std::chrono::steady_clock::now() + max_wait_,
                                           [&] { return waiting_.front() == &my_turn && can_lend(); });
      if (!turn) {
        const bool was_first = waiting_.front() == &my_turn;
        std::erase(waiting_, &my_turn);
        if (was_first && !waiting_.empty() && can_lend()) waiting_.front()->notify_one();
        throw ServerBusyError("no searcher came free within the request time limit; try again");
      }
      waiting_.pop_front();
      if (client_gone()) {
        // Its client left while it waited: the turn goes to the next.
        if (!waiting_.empty() && can_lend()) waiting_.front()->notify_one();
        throw RequestStoppedError("the client closed the connection while its request waited for a searcher");
      }
      if (!idle_.empty()) {
        searcher = std::move(idle_.back());  // the most recently used: warm caches
        idle_.pop_back();
      } else {
        ++open_count_;
      }
      if (!waiting_.empty() && can_lend()) waiting_.front()->notify_one();
    }
    try {
      if (searcher) {
        searcher->refresh();
      } else {
        searcher = open_();
      }
    } catch (...) {
      give_back(std::move(searcher));
      throw;
    }
    return Lease(*this, std::move(searcher));
  }

 private:
  bool can_lend() const { return !idle_.empty() || open_count_ < size_; }

  // A null searcher (one that failed to open) frees its place.
  void give_back(std::unique_ptr<Searcher> searcher) {
    std::lock_guard lock(mutex_);
    if (searcher) {
      idle_.push_back(std::move(searcher));
    } else {
      --open_count_;
    }
    if (!waiting_.empty()) waiting_.front()->notify_one();
  }

  const std::size_t size_;
  const std::size_t max_waiting_;
  const std::chrono::steady_clock::duration max_wait_;
  const std::function<std::unique_ptr<Searcher>()> open_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Searcher>> idle_;
  std::size_t open_count_ = 0;                    // lent or idle
  std::deque<std::condition_variable*> waiting_;  // borrowers in the order they came
};

// /api/health's own searchers: enough that health checks from many
// clients do not queue behind each other, few as each holds a database.
constexpr std::size_t kHealthSearchers = 4;

std::size_t searcher_count(const ServerOptions& options) {
  return options.searchers != 0 ? options.searchers : std::max<std::size_t>(8, 4 * std::thread::hardware_concurrency());
}

std::size_t waiting_count(const ServerOptions& options) {
  return options.max_waiting != 0 ? options.max_waiting : kWaitingPerSearcher * searcher_count(options);
}

// A request waits for a searcher at most its time limit (no limit: a day).
std::chrono::steady_clock::duration searcher_wait(const ServerOptions& options) {
  const double seconds = options.request_time_limit_seconds > 0 ? options.request_time_limit_seconds : 86400;
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(seconds));
}

}  // namespace

struct HttpServer::Impl {
  explicit Impl(ServerOptions server_options)
      : options(std::move(server_options)),
        searchers(searcher_count(options), waiting_count(options), searcher_wait(options),
                  [this] { return open_searcher(); }),
        health_searchers(kHealthSearchers, std::numeric_limits<std::size_t>::max(), searcher_wait(options),
                         [this] { return open_searcher(); }) {}

  std::unique_ptr<Searcher> open_searcher() {
    SearcherOptions searcher_options;
    searcher_options.limits.max_query_bytes = options.max_query_bytes;
    searcher_options.time_limit_seconds = options.request_time_limit_seconds;
    searcher_options.remote_timeout_seconds = options.remote_timeout_seconds;
    searcher_options.shared_facets = facet_table;
    return std::make_unique<Searcher>(options.index_path, searcher_options);
  }

  ServerOptions options;
  // One facet table for every searcher of the pool.
  std::shared_ptr<SharedFacetTable> facet_table = std::make_shared<SharedFacetTable>();
  // The routes: a method and a path pattern (its groups in req.matches).
  struct Route {
    std::string method;
    std::regex path;
    std::function<void(const httplib::Request&, httplib::Response&)> answer;
  };
  std::vector<Route> routes;
  void get(const std::string& path, decltype(Route::answer) answer) {
    routes.push_back({"GET", std::regex(path), std::move(answer)});
  }
  void post(const std::string& path, decltype(Route::answer) answer) {
    routes.push_back({"POST", std::regex(path), std::move(answer)});
  }
  GuardOptions guard;
  std::unique_ptr<HttpTransport> transport;
  // Requests whose work stopped because their client had gone.
  mutable std::atomic<std::size_t> abandoned{0};
  // Xapian databases are not shared between threads: a request searches
  // with a searcher no other request holds.
  SearcherPool searchers;
  // /api/health's own: it answers while every searcher above is busy.
  SearcherPool health_searchers;

  SearcherPool::Lease searcher() { return searchers.borrow(); }

  // The budget of the request being answered on this thread, from when it
  // holds a searcher: the time limit for all of its work (every query of
  // a batch), and a stop asked when its client closes the connection.
  RequestBudget budget() const {
    return RequestBudget(std::nullopt, client_stop_token())
        .within(options.request_time_limit_seconds, std::chrono::steady_clock::now());
  }

  // The API's endpoints. Each parses its request before taking the worker's
  // Searcher, so a malformed request never opens or refreshes the index.
  void api_routes() {
    get("/api/health", [this](const httplib::Request&, httplib::Response& res) {
      guarded(res, [&] {
        try {
          const nlohmann::json health = answer_health(health_searchers.borrow());
          if (health["status"] != "ok") res.status = 503;
          send_json(res, health);
        } catch (const ShardUnavailableError&) {
          // The index cannot open whole: say which of its databases answer.
          res.status = 503;
          send_json(res, health_to_json(std::nullopt,
                                        probe_databases(options.index_path,
                                                        static_cast<unsigned>(options.remote_timeout_seconds * 1000))));
        }
      });
    });
    get("/api/index", [this](const httplib::Request&, httplib::Response& res) {
      guarded(res, [&] { send_json(res, answer_index(searcher())); });
    });
    get("/api/search", [this](const httplib::Request& req, httplib::Response& res) {
      guarded(res, [&] {
        SearchRequest request = parse_search_request(req, options);
        SearcherPool::Lease lease = searcher();
        request.budget = budget();
        send_json(res, answer_search(lease, request));
      });
    });
    get(R"(/api/documents/(.+))", [this](const httplib::Request& req, httplib::Response& res) {
      guarded(res, [&] {
        const DocumentQuery query = parse_document_query(req.matches[1], req, options);
        if (const std::optional<nlohmann::json> document = answer_document(searcher(), query)) {
          send_json(res, *document);
        } else {
          send_error(res, 404, "not_found", "no document with id '" + query.id + "'");
        }
      });
    });
    get("/api/kwic", [this](const httplib::Request& req, httplib::Response& res) {
      guarded(res, [&] {
        KwicQuery query = parse_kwic_query(req, options);
        SearcherPool::Lease lease = searcher();
        query.count.budget = budget();
        send_json(res, answer_kwic(lease, query));
      });
    });
    post("/api/batch", [this](const httplib::Request& req, httplib::Response& res) {
      guarded(res, [&] {
        BatchRequest batch = parse_batch_request(req.body, options);
        SearcherPool::Lease lease = searcher();
        batch.budget = budget();
        send_json(res, answer_batch(lease, batch, options.max_query_bytes));
      });
    });
  }

  // The web page: web/, embedded at build time.
  void web_routes() {
    get("/", [](const httplib::Request&, httplib::Response& res) {
      if (const WebAsset* page = find_web_asset("index.html")) {
        send_web_asset(res, *page);
      } else {
        send_error(res, 404, "not_found", "this build has no web page");
      }
    });
    get(R"(/static/([A-Za-z0-9_.-]+))", [](const httplib::Request& req, httplib::Response& res) {
      const std::string name = req.matches[1];
      if (const WebAsset* file = find_web_asset(name)) {
        send_web_asset(res, *file);
      } else {
        send_error(res, 404, "not_found", "no file '" + name + "'");
      }
    });
  }

  // Every request passes refuse_request() (request_guard.h) on its head,
  // before its body is read or it is routed. A refused one closes its
  // connection: its body, if any, is never read. Listed cross-origin
  // callers get preflight answers.
  bool screen(const httplib::Request& req, httplib::Response& res) const {
    if (std::optional<Refusal> refusal = refuse_request(req, guard)) {
      send_error(res, refusal->status, refusal->kind, refusal->message);
      return true;
    }
    if (req.method == "OPTIONS" && req.has_header("Origin")) {
      res.status = 204;
      res.set_header("Access-Control-Allow-Origin", req.get_header_value("Origin"));
      res.set_header("Access-Control-Allow-Methods", "GET, POST");
      res.set_header("Access-Control-Allow-Headers", "Authorization, Content-Type");
      res.set_header("Vary", "Origin");
      return true;
    }
    return false;
  }

  // The route of `req`'s method and path answers it; none: 404. Listed
  // cross-origin callers (screen() let them through) get CORS headers.
  void route(httplib::Request& req, httplib::Response& res) const {
    const auto matching = std::find_if(routes.begin(), routes.end(), [&](const Route& r) {
      return r.method == req.method && std::regex_match(req.path, req.matches, r.path);
    });
    if (matching == routes.end()) {
      send_error(res, 404, "not_found", "no such path: " + req.path);
    } else {
      matching->answer(req, res);
      if (res.status == kClientClosedRequest) ++abandoned;
    }
    if (req.has_header("Origin")) {
      res.set_header("Access-Control-Allow-Origin", req.get_header_value("Origin"));
      res.set_header("Vary", "Origin");
    }
  }
};

namespace {

// The answer to a request that could not be read whole.
void unreadable_request(int status, httplib::Response& res) {
  switch (status) {
    case 413:
      send_error(res, 413, "too_large", "request body too large");
      break;
    case 431:
      send_error(res, 431, "too_large", "request line and headers too large");
      break;
    case 500:
      send_error(res, 500, "internal", "unexpected error");
      break;
    default:
      send_error(res, status, "http", "malformed HTTP request");
  }
}

}  // namespace

HttpServer::HttpServer(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  Searcher check(impl_->options.index_path);  // fail fast on a missing or incompatible index
  const ServerOptions& o = impl_->options;
  impl_->guard.token = o.token;
  impl_->guard.loopback = !listens_beyond_loopback(o.host);
  for (const std::string& host : o.allowed_hosts) impl_->guard.allowed_hosts.push_back(ascii_lower(host));
  impl_->guard.allowed_origins = o.allowed_origins;
  impl_->guard.max_body_bytes = o.max_body_bytes;
  impl_->api_routes();
  impl_->web_routes();

  TransportOptions transport;
  transport.host = o.host;
  transport.port = o.port;
  // Only a request being answered holds a thread: by default enough for
  // every searcher, every request waiting for one and the health checks',
  // so that a request beyond is refused by the searchers' bound rather than
  // queued for a thread.
  transport.threads =
      o.threads != 0 ? o.threads
                     : std::max(kDefaultConnectionThreads, searcher_count(o) + waiting_count(o) + kHealthSearchers);
  transport.max_body_bytes = o.max_body_bytes;
  if (o.transfer_time_limit_seconds > 0) {
    transport.transfer_limit = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(o.transfer_time_limit_seconds));
  } else {
    transport.transfer_limit = std::chrono::steady_clock::duration::zero();
  }
  Impl* impl = impl_.get();
  impl_->transport = std::make_unique<HttpTransport>(
      transport, [impl](const httplib::Request& req, httplib::Response& res) { return impl->screen(req, res); },
      [impl](httplib::Request& req, httplib::Response& res) { impl->route(req, res); }, unreadable_request);
}

HttpServer::~HttpServer() = default;

int HttpServer::bind() { return impl_->transport->bind(); }

void HttpServer::serve() { impl_->transport->serve(); }

void HttpServer::stop() { impl_->transport->stop(); }

std::size_t HttpServer::abandoned_requests() const { return impl_->abandoned.load(); }

bool listens_beyond_loopback(const std::string& host) { return !is_loopback_host(ascii_lower(host)); }

}  // namespace policy
