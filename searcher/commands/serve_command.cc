// policy-search serve [options]: the JSON API and the web page, until
// SIGINT or SIGTERM.

#include <pthread.h>

#include <csignal>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "core/cli.h"

#include "searcher/commands/command_line.h"
#include "searcher/commands/commands.h"
#include "searcher/serve/http_server.h"

namespace po = boost::program_options;

namespace policy {
namespace {

constexpr const char* kUsage =
    "Usage: policy-search serve --index DIR [--listen HOST:PORT] [--threads N] [--searchers N] [--token T]\n"
    "\n"
    "Serves the JSON API (/api/search, /api/documents/ID, /api/kwic, /api/batch,\n"
    "/api/health, /api/index) and the web page (/) for the index. Binds loopback\n"
    "by default; port 0 picks a free port. Stops on SIGINT or SIGTERM.\n";

// "HOST:PORT" or "[IPv6]:PORT" into options.host and options.port; false
// (with the message printed) when it is neither.
bool parse_listen(const std::string& listen, ServerOptions& options) {
  const std::size_t colon = listen.rfind(':');
  if (colon == std::string::npos) {
    std::cerr << "policy-search serve: --listen must be HOST:PORT, not '" << listen << "'\n";
    return false;
  }
  options.host = listen.substr(0, colon);
  if (options.host.size() > 2 && options.host.front() == '[' && options.host.back() == ']') {
    options.host = options.host.substr(1, options.host.size() - 2);
  }
  try {
    options.port = std::stoi(listen.substr(colon + 1));
  } catch (const std::exception&) {
    options.port = -1;
  }
  if (options.port < 0 || options.port > 65535) {
    std::cerr << "policy-search serve: bad port in --listen '" << listen << "'\n";
    return false;
  }
  return true;
}

}  // namespace

int run_serve_command(int argc, char** argv) {
  po::options_description visible("Options");
  auto option = visible.add_options();
  add_help_and_index(option);
  option("listen", po::value<std::string>()->default_value("127.0.0.1:8080"), "HOST:PORT ([::1]:PORT for IPv6)");
  option("threads", po::value<std::size_t>()->default_value(0),
         ("requests answered at once, a thread each (an idle or slow connection holds none); 0 = " +
          std::to_string(kDefaultConnectionThreads))
             .c_str());
  option("searchers", po::value<std::size_t>()->default_value(0),
         "requests searching at once, each with its own database handle; 0 = 4 per core, at least 8");
  option("max-waiting", po::value<std::size_t>()->default_value(0),
         ("requests that may wait for a searcher; more get 503 with Retry-After; 0 = " +
          std::to_string(kWaitingPerSearcher) + " per searcher")
             .c_str());
  option("token", po::value<std::string>(), "require 'Authorization: Bearer TOKEN' on every request");
  option("allow-host", po::value<std::vector<std::string>>(),
         "also answer requests for this host name (repeatable); a loopback server answers only localhost and "
         "loopback addresses, one beyond loopback any name unless some are listed");
  option("allow-origin", po::value<std::vector<std::string>>(),
         "let web pages of this origin (http://app.example:3000) call the API (repeatable); other origins are "
         "refused");
  option("request-timeout", po::value<double>()->default_value(10.0),
         "seconds a request may take once it holds a searcher: a search past it answers what it found, flagged "
         "total_exact: false; a batch or KWIC page gets 504 (time_limit); 0 = no limit");
  option("transfer-timeout", po::value<double>()->default_value(30.0),
         "seconds a client has to send a whole request and to take the whole answer; beyond, its connection is "
         "closed (slow clients); 0 = no limit");
  po::options_description hidden;
  po::positional_options_description positional;
  po::variables_map vm;
  if (!parse_command_line(argc, argv, visible, hidden, positional, "policy-search serve", vm)) return kExitFatal;
  if (vm.count("help")) {
    std::cout << kUsage << "\n"
              << visible << "\nExit codes:\n  0  stopped by a signal\n  2  error: index, address or options\n";
    return 0;
  }
  if (!vm.count("index")) {
    std::cerr << "policy-search serve: --index DIR is required\n";
    return kExitFatal;
  }
  ServerOptions options;
  options.index_path = vm["index"].as<std::string>();
  if (!parse_listen(vm["listen"].as<std::string>(), options)) return kExitFatal;
  options.threads = vm["threads"].as<std::size_t>();
  options.searchers = vm["searchers"].as<std::size_t>();
  options.max_waiting = vm["max-waiting"].as<std::size_t>();
  if (vm.count("token")) options.token = vm["token"].as<std::string>();
  if (vm.count("allow-host")) options.allowed_hosts = vm["allow-host"].as<std::vector<std::string>>();
  if (vm.count("allow-origin")) options.allowed_origins = vm["allow-origin"].as<std::vector<std::string>>();
  options.request_time_limit_seconds = vm["request-timeout"].as<double>();
  options.transfer_time_limit_seconds = vm["transfer-timeout"].as<double>();
  if (listens_beyond_loopback(options.host)) {
    std::cerr << "policy-search serve: warning: listening on " << options.host << ", reachable from other machines"
              << (options.token.empty() ? " and without --token" : "") << "\n";
  }
  // Signals go to one thread that stops the server cleanly.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return run_guarded("policy-search serve", [&] {
    options.remote_timeout_seconds = remote_timeout_seconds(vm);
    HttpServer server(options);
    const int port = server.bind();
    const std::string shown_host =
        options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host;
    std::cout << "policy-search: serving " << options.index_path << " at http://" << shown_host << ":" << port << "/"
              << std::endl;
    std::thread stopper([&] {
      int signal = 0;
      sigwait(&signals, &signal);
      server.stop();
    });
    server.serve();
    pthread_kill(stopper.native_handle(), SIGTERM);  // if serve() ended on its own
    stopper.join();
    return 0;
  });
}

}  // namespace policy
