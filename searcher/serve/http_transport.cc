#include "searcher/serve/http_transport.h"

#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace policy {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// How long a closing connection reads what its client still sends
// (Session::linger()).
constexpr std::chrono::steady_clock::duration kLingerLimit = std::chrono::seconds(5);

// The stop of the request being answered on this thread (client_gone()).
thread_local const std::stop_source* current_client_watch = nullptr;

struct Shared {
  TransportOptions options;
  HttpTransport::Screen screen;
  HttpTransport::Handle handle;
  HttpTransport::Fail fail;
};

// The head of `message` as cpp-httplib gives it to handlers: the method,
// the path URL-decoded, the query's parameters and the headers.
httplib::Request request_of(const http::request<http::string_body>& message) {
  httplib::Request req;
  req.method = std::string(message.method_string());
  req.target = std::string(message.target());
  req.version = message.version() == 10 ? "HTTP/1.0" : "HTTP/1.1";
  const std::size_t question = req.target.find('?');
  req.path = httplib::detail::decode_url(req.target.substr(0, question), false);
  if (question != std::string::npos) httplib::detail::parse_query_text(req.target.substr(question + 1), req.params);
  for (const auto& field : message) req.headers.emplace(std::string(field.name_string()), std::string(field.value()));
  return req;
}

// One connection: reads a request, answers it, and again while the client
// keeps the connection alive. Its handlers run on the connection's strand,
// so at most one of them at a time, except the watch on the client while a
// request is answered (watch_client()).
class Session : public std::enable_shared_from_this<Session> {
 public:
  // `answering`: the threads that answer requests (they may block for
  // seconds), apart from those that read and write.
  Session(tcp::socket socket, const Shared& shared, net::thread_pool::executor_type answering)
      : stream_(std::move(socket)), shared_(shared), answering_(std::move(answering)) {}

  void start() {
    beast::error_code ignored;
    stream_.socket().set_option(tcp::no_delay(true), ignored);
    arm();
    read_head();
  }

 private:
  // The deadline of what the client sends and takes next (the header).
  void arm() {
    if (shared_.options.transfer_limit.count() > 0) {
      stream_.expires_after(shared_.options.transfer_limit);
    } else {
      stream_.expires_never();
    }
  }

  void read_head() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(shared_.options.max_head_bytes));
    parser_->body_limit(shared_.options.max_body_bytes);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::on_head, shared_from_this()));
  }

  void on_head(beast::error_code error, std::size_t) {
    if (error) return failed_read(error);
    httplib::Response res;
    bool screened = false;
    try {
      request_ = request_of(parser_->get());
      screened = shared_.screen(request_, res);
    } catch (...) {
      // Nothing may escape to the reading threads' run loop.
      res = httplib::Response();
      shared_.fail(500, res);
      screened = true;
    }
    if (screened) {
      keep_alive_ = false;
      return respond(std::move(res));
    }
    if (parser_->is_done()) return on_body({}, 0);
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_body, shared_from_this()));
  }

  void on_body(beast::error_code error, std::size_t) {
    if (error) return failed_read(error);
    request_.body = std::move(parser_->get().body());
    keep_alive_ = parser_->get().keep_alive();
    stream_.expires_never();  // answering has its own limits
    // Answered on the answering threads; the connection's strand is idle
    // meanwhile but for the watch on the client, and takes the answer back.
    net::post(answering_, [self = shared_from_this(), gone = watch_client()] {
      auto res = std::make_shared<httplib::Response>();
      current_client_watch = gone.get();
      try {
        self->shared_.handle(self->request_, *res);
      } catch (...) {
        *res = httplib::Response();
        self->shared_.fail(500, *res);
      }
      current_client_watch = nullptr;
      net::post(self->stream_.get_executor(), [self, res] {
        beast::error_code ignored;
        self->stream_.socket().cancel(ignored);  // the watch
        self->respond(std::move(*res));
      });
    });
  }

  // A stop asked when the client closes the connection (or it fails)
  // while its request is answered. The wait's handler runs on the
  // connection's strand and reads the socket only to peek.
  std::shared_ptr<std::stop_source> watch_client() {
    auto gone = std::make_shared<std::stop_source>();
    const int fd = stream_.socket().native_handle();
    stream_.socket().async_wait(tcp::socket::wait_read, [gone, fd, self = shared_from_this()](beast::error_code e) {
      if (e) return;  // cancelled: the answer is done
      // 0: the client closed; data: a pipelined request.
      char byte = 0;
      const ssize_t n = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) gone->request_stop();
    });
    return gone;
  }

  // A request that could not be read: a malformed or oversized one gets its
  // error status; a closed, reset or timed-out connection is just closed.
  void failed_read(beast::error_code error) {
    int status = 0;
    if (error == http::error::body_limit) {
      status = 413;
    } else if (error == http::error::header_limit) {
      status = 431;
    } else if (error.category() == beast::error_code(http::error::bad_method).category() &&
               error != http::error::end_of_stream && error != http::error::partial_message) {
      status = 400;
    }
    if (status == 0) return close();
    httplib::Response res;
    shared_.fail(status, res);
    keep_alive_ = false;
    respond(std::move(res));
  }

  void respond(httplib::Response res) {
    auto message = std::make_shared<http::response<http::string_body>>();
    message->version(11);
    message->result(static_cast<unsigned>(res.status > 0 ? res.status : 200));
    bool close_asked = false;
    for (const auto& [name, value] : res.headers) {
      if (beast::iequals(name, "Content-Length")) continue;
      if (beast::iequals(name, "Connection")) {
        close_asked = close_asked || beast::iequals(value, "close");
        continue;
      }
      message->insert(name, value);
    }
    message->body() = std::move(res.body);
    message->keep_alive(keep_alive_ && !close_asked);
    message->prepare_payload();
    arm();  // the client takes the answer, and sends the next request, within the limit
    http::async_write(stream_, *message, [self = shared_from_this(), message](beast::error_code error, std::size_t) {
      if (error) return self->close();
      if (!message->keep_alive()) return self->linger();
      self->read_head();
    });
  }

  // After the last answer: sends the end of the stream, then reads and
  // drops what the client still sends (a refused request's body) until it
  // closes, for at most kLingerLimit. Closing with unread bytes would make
  // the kernel reset the connection, and a client still sending its body
  // would meet a broken pipe instead of reading the answer (RFC 9112
  // section 9.6; Apache's and nginx's lingering close).
  void linger() {
    request_ = httplib::Request();  // nothing of the request is needed now
    parser_.reset();
    buffer_.clear();
    buffer_.shrink_to_fit();
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    const auto limit = shared_.options.transfer_limit.count() > 0
                           ? std::min<std::chrono::steady_clock::duration>(shared_.options.transfer_limit, kLingerLimit)
                           : kLingerLimit;
    stream_.expires_after(limit);
    drain(std::make_shared<std::array<char, 16 * 1024>>());
  }

  void drain(std::shared_ptr<std::array<char, 16 * 1024>> sink) {
    stream_.async_read_some(net::buffer(*sink),
                            [self = shared_from_this(), sink](beast::error_code error, std::size_t) {
                              if (error) return self->close();  // the client closed, or the limit passed
                              self->drain(sink);
                            });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  const Shared& shared_;
  net::thread_pool::executor_type answering_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  httplib::Request request_;
  bool keep_alive_ = true;
};

}  // namespace

bool client_gone() { return current_client_watch != nullptr && current_client_watch->stop_requested(); }

std::stop_token client_stop_token() {
  return current_client_watch != nullptr ? current_client_watch->get_token() : std::stop_token();
}

struct HttpTransport::Impl {
  explicit Impl(Shared s)
      : shared(std::move(s)), answering(std::max<std::size_t>(shared.options.threads, 1)), acceptor(context) {}

  void accept() {
    acceptor.async_accept(net::make_strand(context), [this](beast::error_code error, tcp::socket socket) {
      if (!acceptor.is_open()) return;
      if (!error) std::make_shared<Session>(std::move(socket), shared, answering.get_executor())->start();
      accept();
    });
  }

  Shared shared;
  net::io_context context;  // reads and writes
  net::thread_pool answering;
  tcp::acceptor acceptor;
};

HttpTransport::HttpTransport(TransportOptions options, Screen screen, Handle handle, Fail fail)
    : impl_(std::make_unique<Impl>(Shared{std::move(options), std::move(screen), std::move(handle), std::move(fail)})) {
}

HttpTransport::~HttpTransport() = default;

int HttpTransport::bind() {
  const TransportOptions& o = impl_->shared.options;
  const std::string where = o.host + ":" + std::to_string(o.port);
  beast::error_code error;
  tcp::resolver resolver(impl_->context);
  const auto endpoints = resolver.resolve(o.host, std::to_string(o.port), tcp::resolver::passive, error);
  if (error || endpoints.empty()) throw std::runtime_error("cannot bind " + where + ": " + error.message());
  const tcp::endpoint endpoint = *endpoints.begin();
  tcp::acceptor& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), error);
  // SO_REUSEADDR only: a second server must not bind the same port.
  if (!error) acceptor.set_option(net::socket_base::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(net::socket_base::max_listen_connections, error);
  if (error) {
    throw std::runtime_error("cannot bind " + where +
                             " (in use, or not an address of this machine): " + error.message());
  }
  return acceptor.local_endpoint().port();
}

void HttpTransport::serve() {
  impl_->accept();
  // Reads and writes never block: a thread per core.
  const std::size_t count = std::max(2u, std::thread::hardware_concurrency());
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < count; ++i) threads.emplace_back([this] { impl_->context.run(); });
  impl_->context.run();
  for (std::thread& t : threads) t.join();
}

void HttpTransport::stop() {
  net::post(impl_->context, [this] {
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
  });
  impl_->context.stop();
  impl_->answering.stop();
}

}  // namespace policy
