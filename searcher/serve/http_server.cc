#include "searcher/serve/http_server.h"

#include <algorithm>
#include <charconv>
#include <mutex>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "searcher/batch.h"
#include "searcher/kwic.h"
#include "searcher/result_rendering.h"
#include "searcher/searcher.h"
#include "searcher/serve/web_assets.h"

namespace policy {
namespace {

constexpr const char* kJson = "application/json; charset=utf-8";

// A bad request parameter: 400 with kind "parameter".
struct ParameterError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A request over a limit: 413.
struct TooLarge : std::runtime_error {
  using std::runtime_error::runtime_error;
};

void send_error(httplib::Response& res, int status, const std::string& kind, const std::string& message,
                nlohmann::json extra = nlohmann::json::object()) {
  nlohmann::json error = {{"kind", kind}, {"message", message}};
  for (auto& [key, value] : extra.items()) error[key] = value;
  res.status = status;
  res.set_content(nlohmann::json{{"error", error}}.dump(), kJson);
}

void send_json(httplib::Response& res, const nlohmann::json& body) { res.set_content(body.dump(), kJson); }

std::size_t size_param(const httplib::Request& req, const char* name, std::size_t fallback, std::size_t low,
                       std::size_t high) {
  if (!req.has_param(name)) return fallback;
  const std::string text = req.get_param_value(name);
  std::size_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < low || value > high) {
    throw ParameterError(std::string("parameter '") + name + "' must be an integer from " + std::to_string(low) +
                         " to " + std::to_string(high) + ", not '" + text + "'");
  }
  return value;
}

bool flag_param(const httplib::Request& req, const char* name, bool fallback) {
  if (!req.has_param(name)) return fallback;
  const std::string v = req.get_param_value(name);
  if (v == "1" || v == "true" || v == "yes") return true;
  if (v == "0" || v == "false" || v == "no") return false;
  throw ParameterError(std::string("parameter '") + name + "' must be 1 or 0, not '" + v + "'");
}

std::vector<std::string> filters_of(const httplib::Request& req) {
  std::vector<std::string> filters;
  for (std::size_t i = 0; i < req.get_param_value_count("filter"); ++i) {
    const std::string f = req.get_param_value("filter", i);
    if (!f.empty()) filters.push_back(f);
  }
  return filters;
}

nlohmann::json counts_to_json(const std::vector<FieldCounts>& counts) {
  nlohmann::json out = nlohmann::json::object();
  for (const FieldCounts& field : counts) {
    nlohmann::json values = nlohmann::json::array();
    for (const ValueCount& v : field.values) {
      values.push_back(
          {{"value", v.value}, {"key", v.key}, {"documents", v.documents}, {"occurrences", v.occurrences}});
    }
    out[field.field] = values;
  }
  return out;
}

bool is_loopback(const std::string& host) { return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0; }

}  // namespace

struct HttpServer::Impl {
  ServerOptions options;
  httplib::Server server;
  std::atomic<bool> bound{false};

  // Each worker thread keeps its own Searcher: Xapian databases are not
  // shared between threads.
  Searcher& searcher() {
    thread_local std::unique_ptr<Searcher> local;
    if (!local) {
      SearcherOptions searcher_options;
      searcher_options.limits.max_query_bytes = options.max_query_bytes;
      searcher_options.time_limit_seconds = options.request_time_limit_seconds;
      local = std::make_unique<Searcher>(options.index_path, searcher_options);
    } else {
      local->refresh();
    }
    return *local;
  }

  void check_query_length(const std::string& q) const {
    if (q.size() > options.max_query_bytes) {
      throw TooLarge("query is " + std::to_string(q.size()) + " bytes; the limit is " +
                     std::to_string(options.max_query_bytes));
    }
  }

  // Runs `handler`, turning exceptions into the API's JSON errors.
  void guarded(httplib::Response& res, const std::function<void()>& handler) {
    try {
      handler();
    } catch (const QuerySyntaxError& e) {
      send_error(res, 400, "query", e.message(), {{"position", e.position()}, {"hint", e.hint()}});
    } catch (const ParameterError& e) {
      send_error(res, 400, "parameter", e.what());
    } catch (const TooLarge& e) {
      send_error(res, 413, "too_large", e.what());
    } catch (const nlohmann::json::exception& e) {
      send_error(res, 400, "parameter", std::string("malformed JSON body: ") + e.what());
    } catch (const std::exception& e) {
      send_error(res, 500, "internal", e.what());
    } catch (const Xapian::Error& e) {
      send_error(res, 500, "internal", e.get_description());
    }
  }

  void routes() {
    server.Get("/api/health", [this](const httplib::Request&, httplib::Response& res) {
      guarded(res, [&] { send_json(res, {{"status", "ok"}, {"documents", searcher().info().documents}}); });
    });

    server.Get("/api/index", [this](const httplib::Request&, httplib::Response& res) {
      guarded(res, [&] {
        Searcher& s = searcher();
        const IndexInfo info = s.info();
        nlohmann::json fields = nlohmann::json::array();
        for (const FieldSpec& f : s.schema().fields()) {
          const char* kind = f.kind == FieldKind::kFacet  ? "facet"
                             : f.kind == FieldKind::kYear ? "year"
                             : f.kind == FieldKind::kText ? "text"
                                                          : "keyword";
          fields.push_back({{"name", f.name},
                            {"aliases", f.aliases},
                            {"kind", kind},
                            {"multi_valued", f.multi_valued},
                            {"counted", f.counted()},
                            {"description", f.description}});
        }
        send_json(res, {{"path", info.path},
                        {"documents", info.documents},
                        {"build_id", info.build_id},
                        {"analyzer", info.analyzer},
                        {"schema", info.schema},
                        {"icu", info.icu},
                        {"indexed_at", info.indexed_at},
                        {"fields", fields}});
      });
    });

    server.Get("/api/search", [this](const httplib::Request& req, httplib::Response& res) {
      guarded(res, [&] {
        SearchRequest request;
        request.query = req.get_param_value("q");
        check_query_length(request.query);
        request.filters = filters_of(req);
        if (request.query.empty() && request.filters.empty()) throw ParameterError("give q, a filter, or both");
        request.offset = size_param(req, "offset", 0, 0, 1'000'000);
        request.limit = size_param(req, "limit", 10, 1, options.max_page_size);
        request.facets = flag_param(req, "facets", true);
        request.facet_limit = size_param(req, "facet_limit", 10, 1, 1000);
        request.snippets = flag_param(req, "snippets", true);
        Searcher& s = searcher();
        send_json(res, results_to_json(s.search(request), s.info()));
      });
    });

    server.Get(R"(/api/documents/(.+))", [this](const httplib::Request& req, httplib::Response& res) {
      guarded(res, [&] {
        const std::string id = req.matches[1];
        const std::string q = req.get_param_value("q");
        check_query_length(q);
        std::optional<DocumentView> view = searcher().document(id, q);
        if (!view) {
          send_error(res, 404, "not_found", "no document with id '" + id + "'");
          return;
        }
        nlohmann::json matches = nlohmann::json::array();
        for (const Highlight& h : view->matches) matches.push_back({h.begin, h.end});
        const StoredDocument& d = view->document;
        send_json(res, {{"id", d.id},
                        {"title", d.title},
                        {"source", d.source},
                        {"metadata", d.metadata},
                        {"fields", d.fields},
                        {"text", d.text},
                        {"matches", matches}});
      });
    });

    server.Get("/api/kwic", [this](const httplib::Request& req, httplib::Response& res) {
      guarded(res, [&] {
        CountRequest request;
        request.query = req.get_param_value("q");
        check_query_length(request.query);
        request.filters = filters_of(req);
        if (request.query.empty()) throw ParameterError("give q: the words or phrase to show in context");
        request.top_k = 0;
        request.kwic = true;
        request.kwic_width = size_param(req, "width", 40, 5, 200);
        const std::size_t limit = size_param(req, "limit", 500, 1, options.max_page_size);
        const std::size_t offset = size_param(req, "offset", 0, 0, 100'000'000);
        std::optional<KwicOrder> order = KwicOrder::kDocument;
        if (req.has_param("sort")) order = parse_kwic_order(req.get_param_value("sort"));
        if (!order) throw ParameterError("parameter 'sort' must be doc, left, right or year");
        MatchCounts counts = searcher().count(request);
        sort_kwic(counts.kwic, *order);
        nlohmann::json lines = nlohmann::json::array();
        for (std::size_t i = offset; i < counts.kwic.size() && i < offset + limit; ++i) {
          const KwicLine& l = counts.kwic[i];
          lines.push_back({{"doc_id", l.doc_id},
                           {"title", l.title},
                           {"year", l.year},
                           {"organisations", l.organisations},
                           {"left", l.left},
                           {"match", l.match},
                           {"right", l.right}});
        }
        send_json(res, {{"query", request.query},
                        {"documents", counts.documents},
                        {"occurrences", counts.kwic.size()},
                        {"lines", lines},
                        {"offset", offset},
                        {"more", counts.kwic.size() > offset + limit ? counts.kwic.size() - offset - limit : 0}});
      });
    });

    server.Post("/api/batch", [this](const httplib::Request& req, httplib::Response& res) {
      guarded(res, [&] {
        const nlohmann::json body = nlohmann::json::parse(req.body);
        if (!body.is_object() || !body.contains("queries") || !body["queries"].is_array()) {
          throw ParameterError("the body must be {\"queries\": [{\"id\", \"query\", \"filters\"}, ...]}");
        }
        const nlohmann::json& queries = body["queries"];
        if (queries.size() > options.max_batch_queries) {
          throw TooLarge(std::to_string(queries.size()) + " queries; the limit is " +
                         std::to_string(options.max_batch_queries) + " per request (use policy-search batch for more)");
        }
        BatchOptions batch;
        batch.top_k = body.value("top", 0);
        if (batch.top_k > 100) throw ParameterError("'top' must be at most 100");
        Searcher& s = searcher();
        nlohmann::json results = nlohmann::json::array();
        for (std::size_t i = 0; i < queries.size(); ++i) {
          const nlohmann::json& item = queries[i];
          BatchQuery query;
          query.index = i;
          query.id = item.contains("id") && item["id"].is_string() ? item["id"].get<std::string>()
                                                                   : "q" + std::to_string(i + 1);
          if (!item.is_object() || !item.contains("query") || !item["query"].is_string()) {
            query.error = "expected an object with a string \"query\"";
          } else {
            query.query = item["query"].get<std::string>();
            check_query_length(query.query);
            if (auto f = item.find("filters"); f != item.end() && f->is_array()) {
              for (const auto& v : *f) {
                if (v.is_string()) query.filters.push_back(v.get<std::string>());
              }
            }
          }
          const BatchResult r = run_batch_query(s, query, batch);
          nlohmann::json top = nlohmann::json::array();
          for (const SearchHit& hit : r.top)
            top.push_back({{"rank", hit.rank}, {"id", hit.id}, {"title", hit.title}, {"score", hit.score}});
          results.push_back({{"id", r.query.id},
                             {"query", r.query.query},
                             {"filters", r.query.filters},
                             {"error", r.error},
                             {"documents", r.documents},
                             {"occurrences", r.occurrences},
                             {"counts", counts_to_json(r.counts)},
                             {"top", top}});
        }
        send_json(res, {{"results", results},
                        {"index", {{"documents", s.info().documents}, {"build_id", s.info().build_id}}}});
      });
    });

    // The web page.
    const auto asset = [](std::string_view name) -> const WebAsset* {
      for (const WebAsset& a : web_assets()) {
        if (a.name == name) return &a;
      }
      return nullptr;
    };
    server.Get("/", [asset](const httplib::Request&, httplib::Response& res) {
      if (const WebAsset* page = asset("index.html")) {
        res.set_content(std::string(page->content), std::string(page->content_type).c_str());
      } else {
        send_error(res, 404, "not_found", "this build has no web page");
      }
    });
    server.Get(R"(/static/([A-Za-z0-9_.-]+))", [asset](const httplib::Request& req, httplib::Response& res) {
      if (const WebAsset* file = asset(std::string(req.matches[1]))) {
        res.set_content(std::string(file->content), std::string(file->content_type).c_str());
      } else {
        send_error(res, 404, "not_found", "no file '" + std::string(req.matches[1]) + "'");
      }
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
  impl_->server.set_read_timeout(10);
  impl_->server.set_write_timeout(10);
  const std::string token = impl_->options.token;
  impl_->server.set_pre_routing_handler([token](const httplib::Request& req, httplib::Response& res) {
    if (token.empty() || req.get_header_value("Authorization") == "Bearer " + token) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    send_error(res, 401, "unauthorized", "this server needs 'Authorization: Bearer TOKEN'");
    return httplib::Server::HandlerResponse::Handled;
  });
  // Statuses set by the library itself (404 no route, 413 body too large)
  // get the API's JSON error body too.
  impl_->server.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (res.status == 404) {
      send_error(res, 404, "not_found", "no such path: " + req.path);
    } else if (res.status == 413) {
      send_error(res, 413, "too_large", "request body too large");
    } else {
      send_error(res, res.status, "http", "HTTP error " + std::to_string(res.status));
    }
  });
  impl_->server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    send_error(res, 500, "internal", "unexpected error");
  });
  impl_->routes();
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
  impl_->bound = true;
  return port;
}

void HttpServer::serve() { impl_->server.listen_after_bind(); }

void HttpServer::stop() { impl_->server.stop(); }

bool listens_beyond_loopback(const std::string& host) { return !is_loopback(host); }

}  // namespace policy
