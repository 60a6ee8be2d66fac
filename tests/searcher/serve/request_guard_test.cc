// What refuse_request() lets through, and what it refuses with which status.

#include "searcher/serve/request_guard.h"

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace policy {
namespace {

struct Case {
  const char* label;
  std::string method;
  std::vector<std::pair<std::string, std::string>> headers;
  int status;  // 0: let through
};

std::string outcome(const std::string& method, const std::vector<std::pair<std::string, std::string>>& headers,
                    const GuardOptions& options) {
  httplib::Request req;
  req.method = method;
  req.path = "/api/batch";
  for (const auto& [name, value] : headers) req.set_header(name, value);
  const std::optional<Refusal> refusal = refuse_request(req, options);
  return refusal ? std::to_string(refusal->status) + " " + refusal->kind : "0";
}

void expect_statuses(const std::vector<Case>& cases, const GuardOptions& options) {
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    const std::string got = outcome(c.method, c.headers, options);
    EXPECT_EQ(got.substr(0, got.find(' ')), std::to_string(c.status)) << got;
  }
}

TEST(RequestGuardTest, LoopbackServerWithoutToken) {
  const GuardOptions loopback;
  const std::vector<Case> cases = {
      {"no Host (HTTP/1.0)", "GET", {}, 0},
      {"loopback address", "GET", {{"Host", "127.0.0.1:8080"}}, 0},
      {"localhost", "GET", {{"Host", "LocalHost:8080"}}, 0},
      {"IPv6 loopback", "GET", {{"Host", "[::1]:8080"}}, 0},
      {"another name (DNS rebinding)", "GET", {{"Host", "evil.example:8080"}}, 403},
      {"a name ending like loopback", "GET", {{"Host", "127.0.0.1.evil.example"}}, 403},
      {"same origin",
       "POST",
       {{"Host", "127.0.0.1:8080"},
        {"Origin", "http://127.0.0.1:8080"},
        {"Content-Type", "application/json"},
        {"Content-Length", "10"}},
       0},
      {"another origin",
       "POST",
       {{"Host", "127.0.0.1:8080"},
        {"Origin", "http://evil.example"},
        {"Content-Type", "text/plain"},
        {"Content-Length", "10"}},
       403},
      {"JSON with charset", "POST", {{"Content-Type", "application/json; charset=utf-8"}, {"Content-Length", "10"}}, 0},
      {"form body", "POST", {{"Content-Type", "application/x-www-form-urlencoded"}, {"Content-Length", "9000"}}, 415},
      {"no content type", "POST", {{"Content-Length", "2"}}, 415},
      {"chunked", "POST", {{"Content-Type", "application/json"}, {"Transfer-Encoding", "chunked"}}, 411},
      {"negative length", "POST", {{"Content-Type", "application/json"}, {"Content-Length", "-5"}}, 400},
      {"length not a number", "POST", {{"Content-Type", "application/json"}, {"Content-Length", "1e3"}}, 400},
      {"length over the limit", "POST", {{"Content-Type", "application/json"}, {"Content-Length", "1048577"}}, 413},
      {"length at the limit", "POST", {{"Content-Type", "application/json"}, {"Content-Length", "1048576"}}, 0},
      {"length of 30 digits",
       "POST",
       {{"Content-Type", "application/json"}, {"Content-Length", "999999999999999999999999999999"}},
       413},
  };
  expect_statuses(cases, loopback);
}

TEST(RequestGuardTest, ListedHostsOriginsAndTheToken) {
  GuardOptions options;
  options.token = "s3cret";
  options.allowed_hosts = {"search.example"};
  options.allowed_origins = {"http://app.example:3000"};
  const std::vector<Case> cases = {
      {"no token", "GET", {{"Host", "127.0.0.1"}}, 401},
      {"wrong token", "GET", {{"Host", "127.0.0.1"}, {"Authorization", "Bearer s3creT"}}, 401},
      {"token as a prefix", "GET", {{"Host", "127.0.0.1"}, {"Authorization", "Bearer s3cret2"}}, 401},
      {"token", "GET", {{"Host", "127.0.0.1"}, {"Authorization", "Bearer s3cret"}}, 0},
      {"listed host", "GET", {{"Host", "search.example"}, {"Authorization", "Bearer s3cret"}}, 0},
      {"listed origin",
       "GET",
       {{"Host", "search.example"}, {"Origin", "http://app.example:3000"}, {"Authorization", "Bearer s3cret"}},
       0},
      {"origin on another port",
       "GET",
       {{"Host", "search.example"}, {"Origin", "http://app.example:3001"}, {"Authorization", "Bearer s3cret"}},
       403},
  };
  expect_statuses(cases, options);
}

TEST(RequestGuardTest, BeyondLoopbackAnyHostUnlessSomeAreListed) {
  GuardOptions open;
  open.loopback = false;
  EXPECT_EQ(outcome("GET", {{"Host", "search.example"}}, open), "0");
  GuardOptions listed = open;
  listed.allowed_hosts = {"search.example"};
  EXPECT_EQ(outcome("GET", {{"Host", "search.example:8080"}}, listed), "0");
  EXPECT_EQ(outcome("GET", {{"Host", "other.example"}}, listed), "403 forbidden");
}

TEST(RequestGuardTest, ConstantTimeEqualIsEquality) {
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_TRUE(constant_time_equal("Bearer x", "Bearer x"));
  EXPECT_FALSE(constant_time_equal("Bearer x", "Bearer y"));
  EXPECT_FALSE(constant_time_equal("Bearer x", "Bearer x "));
  EXPECT_FALSE(constant_time_equal("Bearer xy", "Bearer x"));
  EXPECT_FALSE(constant_time_equal("", "a"));
  EXPECT_FALSE(constant_time_equal("a", ""));
}

}  // namespace
}  // namespace policy
