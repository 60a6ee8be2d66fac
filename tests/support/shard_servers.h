// xapian-tcpsrv (Debian's xapian-tools) serving databases on loopback, for
// the tests of remote shards: each server on a free port, started and
// waited for until it accepts connections, killed and reaped when the
// object goes.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace policy::testing {

// A loopback port no socket is bound to right now (another process may
// take it first).
unsigned free_loopback_port();
// Whether a server accepts connections on loopback `port` within 10 s.
bool wait_for_loopback_port(unsigned port);

class ShardServer {
 public:
  // Serves `database` read-only. Throws std::runtime_error when no server
  // accepts connections within 10 s (xapian-tcpsrv missing: run
  // scripts/install-deps.sh).
  explicit ShardServer(std::filesystem::path database);
  ~ShardServer();  // kill()

  unsigned port() const { return port_; }
  // The stub line that names it: "remote 127.0.0.1:PORT".
  std::string stub_line() const;
  // Its name in the searcher's messages: "remote 127.0.0.1:PORT".
  std::string name() const { return stub_line(); }

  // Signal the server and its children (one per connection): SIGKILL
  // (reaped; connections are refused from then on), SIGSTOP (it accepts
  // and answers nothing), SIGCONT.
  void kill();
  void pause();
  void resume();

 private:
  std::filesystem::path database_;
  unsigned port_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

// Writes DIR/XAPIANDB listing `lexicon` (a local database, absolute path)
// and then each server, in order.
void write_remote_stub(const std::filesystem::path& dir, const std::filesystem::path& lexicon,
                       const std::vector<const ShardServer*>& servers);

}  // namespace policy::testing
