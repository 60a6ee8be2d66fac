#include "core/index_shards.h"

#include <charconv>
#include <fstream>
#include <system_error>

#include "core/errors.h"
#include "core/hashing.h"

namespace policy {
namespace {

std::string_view trim(std::string_view text) {
  const std::size_t begin = text.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return {};
  const std::size_t end = text.find_last_not_of(" \t\r");
  return text.substr(begin, end - begin + 1);
}

// "HOST:PORT" -> a remote location; nullopt when malformed.
std::optional<ShardLocation> parse_remote(std::string_view address) {
  const std::size_t colon = address.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  const std::string_view port_text = address.substr(colon + 1);
  unsigned port = 0;
  const auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (error != std::errc() || end != port_text.data() + port_text.size() || port == 0 || port > 65535) {
    return std::nullopt;
  }
  ShardLocation shard;
  shard.kind = ShardLocation::Kind::kRemote;
  shard.host = std::string(address.substr(0, colon));
  shard.port = port;
  return shard;
}

}  // namespace

std::string ShardLocation::name() const {
  if (remote()) return "remote " + host + ":" + std::to_string(port);
  return path.filename().empty() ? path.parent_path().filename().string() : path.filename().string();
}

std::optional<std::filesystem::path> stub_file_of(const std::string& index_path) {
  std::error_code error;
  const std::filesystem::path path(index_path);
  if (std::filesystem::is_regular_file(path, error)) {
    // Any other file (documents given as the index, most often) is no stub.
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
      const std::string_view text = trim(line);
      if (text.empty() || text.front() == '#') continue;
      for (const std::string_view type : {"auto ", "glass ", "remote "}) {
        if (text.substr(0, type.size()) == type) return path;
      }
      break;
    }
    return std::nullopt;
  }
  if (std::filesystem::is_regular_file(path / kStubFileName, error)) return path / kStubFileName;
  return std::nullopt;
}

std::vector<ShardLocation> read_stub(const std::filesystem::path& stub) {
  std::ifstream in(stub);
  if (!in) throw IndexError("cannot read the stub database file '" + stub.string() + "'");
  const std::filesystem::path base = stub.parent_path();
  std::vector<ShardLocation> shards;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    const std::string_view text = trim(line);
    if (text.empty() || text.front() == '#') continue;
    const std::size_t space = text.find_first_of(" \t");
    const std::string_view type = text.substr(0, space);
    const std::string_view argument = space == std::string_view::npos ? std::string_view() : trim(text.substr(space));
    const std::string where = stub.string() + ":" + std::to_string(number) + ": ";
    if (argument.empty()) {
      throw IndexError(where + "'" + std::string(text) +
                       "' names no database; write 'auto PATH' or 'remote HOST:PORT'");
    }
    if (type == "auto" || type == "glass") {
      ShardLocation shard;
      const std::filesystem::path path(argument);
      shard.path = path.is_absolute() ? path : base / path;
      shards.push_back(std::move(shard));
    } else if (type == "remote") {
      std::optional<ShardLocation> shard = parse_remote(argument);
      if (!shard) {
        throw IndexError(where + "'" + std::string(argument) +
                         "' is not HOST:PORT (remote shards are served by xapian-tcpsrv over TCP)");
      }
      shards.push_back(std::move(*shard));
    } else {
      throw IndexError(where + "unknown database type '" + std::string(type) +
                       "'; write 'auto PATH' or 'remote HOST:PORT'");
    }
  }
  if (in.bad()) throw IndexError("cannot read the stub database file '" + stub.string() + "'");
  if (shards.empty()) throw IndexError("the stub database file '" + stub.string() + "' lists no database");
  return shards;
}

std::string stub_text(const std::vector<std::string>& lines) {
  std::string text = "# policy-search: the databases of one index (Xapian stub database format)\n";
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

Xapian::Database open_shard(const ShardLocation& shard, unsigned timeout_ms) {
  if (!shard.remote()) return Xapian::Database(shard.path.string());
  const unsigned timeout = timeout_ms == 0 ? 10000 : timeout_ms;
  return Xapian::Remote::open(shard.host, shard.port, timeout, timeout);
}

std::size_t shard_of(std::string_view id, std::size_t shards) {
  if (shards <= 1) return 0;
  return static_cast<std::size_t>(Fnv1a64().add(id).value() % shards);
}

std::string shard_directory_name(std::size_t k) { return "shard-" + std::to_string(k); }

}  // namespace policy
