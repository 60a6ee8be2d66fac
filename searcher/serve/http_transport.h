// HTTP/1.1 connections for HttpServer, on Boost.Beast (Debian's
// libboost-dev): reads requests, hands them to the server's handlers as
// cpp-httplib Request and Response values (the types its routes and tests
// already use), and writes the answers.
//
// Why not cpp-httplib's own server: it gives each connection a thread for
// as long as the connection lasts and bounds each read, not a request, so a
// client sending a header line every few seconds holds a thread for ever
// (slowloris), and a handler cannot see its client go. Here reads and
// writes are asynchronous, on a thread per core, and answers are made on
// a pool of `threads` of their own (an answer may wait seconds for a
// searcher):
//   - a connection waiting for a request, or sending one slowly, holds no
//     thread; only a request being answered holds one of `threads`, and
//     one beyond waits for one in order;
//   - each request must arrive whole, head and body, within
//     `transfer_limit` of connecting or of the previous response's start,
//     and that response must be taken within the same limit: a connection
//     that does not is closed (Apache's mod_reqtimeout, nginx's
//     client_header_timeout);
//   - while a request is answered, the connection is watched: a client that
//     closes it asks the request's stop (client_stop_token()), so that long
//     work can stop.
//
// The head is read and screened (HttpTransport::Screen) before the body: a
// refused request's body is never parsed or kept. After the answer to it,
// or any other last answer, the connection lingers: it stops sending and
// reads and drops what the client still sends, for at most 5 s, then
// closes, so that a client still sending its body reads the answer rather
// than a reset.
//
// A client that shuts down its sending side while its request is
// answered counts as gone, as in nginx.
//
// Thread-safety: bind(), serve() and stop() may be called from different
// threads; Screen runs on the reading threads, Handle on the answering
// ones, any number at once.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <stdexcept>
#include <stop_token>
#include <string>

#include <httplib.h>

namespace policy {

struct TransportOptions {
  std::string host = "127.0.0.1";
  int port = 8080;           // 0: any free port
  std::size_t threads = 16;  // requests answered at once (reads and writes: a thread per core)
  std::size_t max_body_bytes = 1 << 20;
  // A request line and headers larger than this are refused (431).
  std::size_t max_head_bytes = 64 * 1024;
  // Time to send a whole request, and to take a whole response; 0: no limit.
  std::chrono::steady_clock::duration transfer_limit = std::chrono::seconds(30);
};

// Whether the client of the request being answered on this thread has
// closed its connection; false outside a request.
bool client_gone();
// The stop asked when that client closes its connection, for work on any
// thread; outside a request, one that is never asked.
std::stop_token client_stop_token();

class HttpTransport {
 public:
  // Looks at a request's head (its body is not read yet): true when it set
  // the response, which is sent at once and closes the connection.
  using Screen = std::function<bool(const httplib::Request&, httplib::Response&)>;
  // Answers a whole request.
  using Handle = std::function<void(httplib::Request&, httplib::Response&)>;
  // A response to a request that could not be read (status 400, 413, 431):
  // fills the body.
  using Fail = std::function<void(int status, httplib::Response&)>;

  HttpTransport(TransportOptions options, Screen screen, Handle handle, Fail fail);
  ~HttpTransport();

  // Binds and listens; returns the port (useful with port 0). Throws
  // std::runtime_error when the address cannot be bound.
  int bind();
  // Serves on `threads` threads until stop(); call after bind().
  void serve();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace policy
