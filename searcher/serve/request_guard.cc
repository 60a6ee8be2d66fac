#include "searcher/serve/request_guard.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>

#include "core/utf8.h"

namespace policy {
namespace {

// "127.0.0.1:8080" -> "127.0.0.1", "[::1]:8080" -> "::1", "Example.org" ->
// "example.org".
std::string host_name(std::string_view host) {
  std::string name;
  if (host.starts_with('[')) {
    const std::size_t close = host.find(']');
    name = std::string(host.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1));
  } else {
    name = std::string(host.substr(0, host.find(':')));
  }
  return ascii_lower(std::move(name));
}

bool host_served(const std::string& host, const GuardOptions& options) {
  const std::string name = host_name(host);
  if (std::find(options.allowed_hosts.begin(), options.allowed_hosts.end(), name) != options.allowed_hosts.end()) {
    return true;
  }
  if (options.loopback) return is_loopback_host(name);
  return options.allowed_hosts.empty();
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

bool is_loopback_host(const std::string& name) {
  if (name == "localhost" || name.ends_with(".localhost")) return true;
  in_addr v4{};
  if (inet_pton(AF_INET, name.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return inet_pton(AF_INET6, name.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  unsigned char differ = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i) {
    differ |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  }
  return differ == 0;
}

bool origin_allowed(const httplib::Request& req, const GuardOptions& options) {
  if (!req.has_header("Origin")) return true;
  const std::string origin = req.get_header_value("Origin");
  if (std::find(options.allowed_origins.begin(), options.allowed_origins.end(), origin) !=
      options.allowed_origins.end()) {
    return true;
  }
  // Same origin: the page was served by this server under the same name.
  return req.has_header("Host") && ascii_lower(origin) == "http://" + ascii_lower(req.get_header_value("Host"));
}

std::optional<Refusal> refuse_request(const httplib::Request& req, const GuardOptions& options) {
  if (req.has_header("Host") && !host_served(req.get_header_value("Host"), options)) {
    return Refusal{403, "forbidden",
                   "this server does not serve the host '" + escape_invalid_utf8(req.get_header_value("Host")) +
                       "'; to serve it, start it with --allow-host " + host_name(req.get_header_value("Host"))};
  }
  if (!origin_allowed(req, options)) {
    return Refusal{403, "forbidden",
                   "requests from the origin '" + escape_invalid_utf8(req.get_header_value("Origin")) +
                       "' are not answered; to answer them, start the server with --allow-origin ORIGIN"};
  }
  if (!options.token.empty() &&
      !constant_time_equal(req.get_header_value("Authorization"), "Bearer " + options.token)) {
    return Refusal{401, "unauthorized", "this server needs 'Authorization: Bearer TOKEN'"};
  }
  if (req.has_header("Transfer-Encoding")) {
    return Refusal{411, "length_required",
                   "a request body must come with a Content-Length (Transfer-Encoding is not accepted)"};
  }
  if (req.has_header("Content-Length")) {
    const std::string length = req.get_header_value("Content-Length");
    if (!all_digits(length)) {
      return Refusal{400, "parameter", "Content-Length '" + escape_invalid_utf8(length) + "' is not a byte count"};
    }
    if (length.size() > 18 || std::stoull(length) > options.max_body_bytes) {
      return Refusal{413, "too_large",
                     "request body of " + length + " bytes; the limit is " + std::to_string(options.max_body_bytes)};
    }
  }
  if (req.method == "POST") {
    const std::string type = ascii_lower(req.get_header_value("Content-Type"));
    if (!type.starts_with("application/json")) {
      return Refusal{415, "unsupported_media_type",
                     "a POST body must be JSON sent with 'Content-Type: application/json'" +
                         (type.empty() ? std::string() : ", not '" + escape_invalid_utf8(type) + "'")};
    }
  }
  return std::nullopt;
}

}  // namespace policy
