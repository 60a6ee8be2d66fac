#include "tests/support/shard_servers.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <thread>

namespace policy::testing {
namespace {

sockaddr_in loopback(unsigned port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

}  // namespace

unsigned free_loopback_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("cannot make a socket");
  sockaddr_in address = loopback(0);
  socklen_t length = sizeof address;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    close(fd);
    throw std::runtime_error("cannot bind a loopback port");
  }
  close(fd);
  return ntohs(address.sin_port);
}

namespace {

bool accepts(unsigned port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  const sockaddr_in address = loopback(port);
  const bool connected = connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return connected;
}

}  // namespace

bool wait_for_loopback_port(unsigned port) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (accepts(port)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

ShardServer::ShardServer(std::filesystem::path database) : database_(std::move(database)) {
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = free_loopback_port();  // taken meanwhile: the server exits and we retry
    // In a process group of its own (setsid), so that its children, one
    // per connection, stop and die with it as on a machine going down.
    process_ = std::make_unique<ChildProcess>(std::vector<std::string>{"setsid", "xapian-tcpsrv", "--quiet",
                                                                       "--interface", "127.0.0.1", "--port",
                                                                       std::to_string(port_), database_.string()});
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(process_->pid(), &status, WNOHANG) == process_->pid()) break;  // exited: port taken, or no program
      // A probe connection is served and closed like any other.
      if (accepts(port_)) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    process_.reset();
  }
  throw std::runtime_error("xapian-tcpsrv did not start for " + database_.string() +
                           " (is xapian-tools installed? scripts/install-deps.sh installs it)");
}

std::string ShardServer::stub_line() const { return "remote 127.0.0.1:" + std::to_string(port_); }

void ShardServer::kill() {
  if (!process_) return;
  ::kill(-process_->pid(), SIGKILL);
  process_.reset();  // reaps it
}

void ShardServer::pause() {
  if (process_) ::kill(-process_->pid(), SIGSTOP);
}

void ShardServer::resume() {
  if (process_) ::kill(-process_->pid(), SIGCONT);
}

ShardServer::~ShardServer() { kill(); }

void write_remote_stub(const std::filesystem::path& dir, const std::filesystem::path& lexicon,
                       const std::vector<const ShardServer*>& servers) {
  std::filesystem::create_directories(dir);
  std::string stub = "auto " + lexicon.string() + "\n";
  for (const ShardServer* server : servers) stub += server->stub_line() + "\n";
  write_file(dir / "XAPIANDB", stub);
}

}  // namespace policy::testing
