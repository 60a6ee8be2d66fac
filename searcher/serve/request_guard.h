// What a request must satisfy before it is routed and before its body is
// read: the token, a Host this server serves, an Origin it answers, and a
// body framed so that its size is known first.
//
// Against DNS rebinding (a web page whose name points at 127.0.0.1 reading
// a server started without a token) a loopback server answers loopback
// names only; against cross-site requests (a page elsewhere POSTing a
// batch), a request whose Origin is not the server's own is refused unless
// listed; against memory exhaustion, a body without Content-Length
// (chunked) is refused, as cpp-httplib would read it whole without a limit.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <httplib.h>

namespace policy {

struct GuardOptions {
  std::string token;     // "": no authentication
  bool loopback = true;  // the server listens on a loopback address only
  // Host names (without port) served besides the loopback names; on a
  // server beyond loopback, none listed means any.
  std::vector<std::string> allowed_hosts;
  // Origins ("http://app.example:3000") whose pages may call the API.
  std::vector<std::string> allowed_origins;
  std::size_t max_body_bytes = 1 << 20;
};

struct Refusal {
  int status = 400;
  std::string kind;  // api-error.schema.json's kind
  std::string message;
};

// The refusal of `req`, or nullopt when it may go on.
std::optional<Refusal> refuse_request(const httplib::Request& req, const GuardOptions& options);

// Whether `origin` may read answers: the server's own (its scheme-less
// host:port is the request's Host) or a listed one.
bool origin_allowed(const httplib::Request& req, const GuardOptions& options);

// Whether `name` (lower case, without port or brackets) is localhost, a
// subdomain of it (RFC 6761) or a loopback address written as one:
// "127.0.0.1.evil.example" is a name anyone can point anywhere.
bool is_loopback_host(const std::string& name);

// a == b in a time that depends on their lengths only, not on where they
// differ (for comparing secrets).
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace policy
