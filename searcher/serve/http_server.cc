#include "searcher/serve/http_server.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "searcher/query_syntax.h"
#include "searcher/searcher.h"
#include "searcher/serve/api_handlers.h"
#include "searcher/serve/api_json.h"
#include "searcher/serve/api_requests.h"
#include "searcher/serve/web_assets.h"

namespace policy {
namespace {

constexpr const char* kJson = "application/json; charset=utf-8";

void send_error(httplib::Response& res, int status, const std::string& kind, const std::string& message,
                const nlohmann::json& extra = nlohmann::json::object()) {
  res.status = status;
  res.set_content(api_error_to_json(kind, message, extra).dump(), kJson);
}

void send_json(httplib::Response& res, const nlohmann::json& body) { res.set_content(body.dump(), kJson); }

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

bool is_loopback(const std::string& host) { return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0; }

}  // namespace

struct HttpServer::Impl {
  ServerOptions options;
  httplib::Server server;

  // Each worker thread keeps its own Searcher: Xapian databases are not
  // shared between threads.
  Searcher& searcher() {
    thread_local std::unique_ptr<Searcher> local;
    if (!local) {
      SearcherOptions searcher_options;
      searcher_options.limits.max_query_bytes = options.max_query_bytes;
      searcher_options.time_limit_seconds = options.request_time_limit_seconds;
      searcher_options.remote_timeout_seconds = options.remote_timeout_seconds;
      local = std::make_unique<Searcher>(options.index_path, searcher_options);
    } else {
      local->refresh();
    }
    return *local;
  }

  // The API's endpoints. Each parses its request before taking the worker's
  // Searcher, so a malformed request never opens or refreshes the index.
  void api_routes() {
    server.Get("/api/health", [this](const httplib::Request&, httplib::Response& res) {
      guarded(res, [&] {
        try {
          const nlohmann::json health = answer_health(searcher());
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
    server.Get("/api/index", [this](const httplib::Request&, httplib::Response& res) {
      guarded(res, [&] { send_json(res, answer_index(searcher())); });
    });
    server.Get("/api/search", [this](const httplib::Request& req, httplib::Response& res) {
      guarded(res, [&] {
        const SearchRequest request = parse_search_request(req, options);
        send_json(res, answer_search(searcher(), request));
      });
    });
    server.Get(R"(/api/documents/(.+))", [this](const httplib::Request& req, httplib::Response& res) {
      guarded(res, [&] {
        const DocumentQuery query = parse_document_query(req.matches[1], req, options);
        if (const std::optional<nlohmann::json> document = answer_document(searcher(), query)) {
          send_json(res, *document);
        } else {
          send_error(res, 404, "not_found", "no document with id '" + query.id + "'");
        }
      });
    });
    server.Get("/api/kwic", [this](const httplib::Request& req, httplib::Response& res) {
      guarded(res, [&] {
        const KwicQuery query = parse_kwic_query(req, options);
        send_json(res, answer_kwic(searcher(), query));
      });
    });
    server.Post("/api/batch", [this](const httplib::Request& req, httplib::Response& res) {
      guarded(res, [&] {
        const BatchRequest batch = parse_batch_request(req.body, options);
        send_json(res, answer_batch(searcher(), batch, options.max_query_bytes));
      });
    });
  }

  // The web page: web/, embedded at build time.
  void web_routes() {
    server.Get("/", [](const httplib::Request&, httplib::Response& res) {
      if (const WebAsset* page = find_web_asset("index.html")) {
        send_web_asset(res, *page);
      } else {
        send_error(res, 404, "not_found", "this build has no web page");
      }
    });
    server.Get(R"(/static/([A-Za-z0-9_.-]+))", [](const httplib::Request& req, httplib::Response& res) {
      const std::string name = req.matches[1];
      if (const WebAsset* file = find_web_asset(name)) {
        send_web_asset(res, *file);
      } else {
        send_error(res, 404, "not_found", "no file '" + name + "'");
      }
    });
  }

  // Every request needs 'Authorization: Bearer TOKEN' when a token is set.
  void require_token(const std::string& token) {
    server.set_pre_routing_handler([token](const httplib::Request& req, httplib::Response& res) {
      if (token.empty() || req.get_header_value("Authorization") == "Bearer " + token) {
        return httplib::Server::HandlerResponse::Unhandled;
      }
      send_error(res, 401, "unauthorized", "this server needs 'Authorization: Bearer TOKEN'");
      return httplib::Server::HandlerResponse::Handled;
    });
  }

  // Statuses set by the library itself (404 no route, 413 body too large)
  // get the API's JSON error body too.
  void json_errors() {
    server.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
      if (!res.body.empty()) return;
      if (res.status == 404) {
        send_error(res, 404, "not_found", "no such path: " + req.path);
      } else if (res.status == 413) {
        send_error(res, 413, "too_large", "request body too large");
      } else {
        send_error(res, res.status, "http", "HTTP error " + std::to_string(res.status));
      }
    });
    server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
      send_error(res, 500, "internal", "unexpected error");
    });
  }
};

HttpServer::HttpServer(ServerOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  Searcher check(impl_->options.index_path);  // fail fast on a missing or incompatible index
  std::size_t threads = impl_->options.threads;
  // cpp-httplib gives a keep-alive connection its worker until the
  // connection ends, so workers must outnumber busy clients, not cores.
  if (threads == 0) threads = std::max<std::size_t>(16, 4 * std::thread::hardware_concurrency());
  impl_->server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  impl_->server.set_payload_max_length(impl_->options.max_body_bytes);
  // SO_REUSEADDR only: cpp-httplib's default adds SO_REUSEPORT, which would
  // let a second server bind the same port and share its requests.
  impl_->server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, reinterpret_cast<const void*>(&yes), sizeof yes);
  });
  // cpp-httplib writes a response's header and body in two writes. With
  // Nagle's algorithm the body waits for the client's ACK of the header,
  // which a client delays (about 40 ms on Linux) on a kept-alive connection.
  impl_->server.set_tcp_nodelay(true);
  impl_->server.set_read_timeout(10);
  impl_->server.set_write_timeout(10);
  impl_->require_token(impl_->options.token);
  impl_->json_errors();
  impl_->api_routes();
  impl_->web_routes();
}

HttpServer::~HttpServer() = default;

int HttpServer::bind() {
  const ServerOptions& o = impl_->options;
  int port = o.port;
  if (port == 0) {
    port = impl_->server.bind_to_any_port(o.host);
    if (port < 0) throw std::runtime_error("cannot bind " + o.host + " on any port");
  } else if (!impl_->server.bind_to_port(o.host, port)) {
    throw std::runtime_error("cannot bind " + o.host + ":" + std::to_string(port) +
                             " (in use, or not an address of this machine)");
  }
  return port;
}

void HttpServer::serve() { impl_->server.listen_after_bind(); }

void HttpServer::stop() { impl_->server.stop(); }

bool listens_beyond_loopback(const std::string& host) { return !is_loopback(host); }

}  // namespace policy
