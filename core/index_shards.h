// Shards: one index spread over several Xapian databases, local or served
// by xapian-tcpsrv, listed in a stub database file (Xapian's own format,
// which Xapian::Database opens as well).
//
// A sharded index, as policy-index --shards N writes it, is a directory:
//   INDEX/XAPIANDB     the stub: "auto lexicon", then "auto shard-K" per shard
//   INDEX/lexicon/     a database without documents holding what the
//                      remote backend does not serve (Xapian 1.4 answers
//                      synonym reads from remote databases with nothing):
//                      the union of the shards' synonym tables (stems ->
//                      exact words) and the schema metadata
//   INDEX/shard-K/     the documents whose id routes to K (shard_of)
// Listed first, the lexicon is what Database::get_metadata reads (it
// reads the first database only), and Database::synonyms_begin merges its
// table with the shards' own. To search across machines, a stub elsewhere
// lists a local copy of the lexicon and "remote HOST:PORT" lines for the
// shards (README "Running across machines").
//
// Documents are routed by a stable hash of their id, so that an update or
// a delete reaches the shard holding the document.
//
// Thread-safe: pure functions.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

namespace policy {

// One line of a stub.
struct ShardLocation {
  enum class Kind { kLocal, kRemote };
  Kind kind = Kind::kLocal;
  std::filesystem::path path;  // kLocal: the database directory, resolved against the stub's directory
  std::string host;            // kRemote
  unsigned port = 0;           // kRemote
  // How messages name it: "shard-1" (the directory's name) or
  // "remote 10.0.0.5:33333".
  std::string name() const;
  bool remote() const { return kind == Kind::kRemote; }
};

// The stub file of the index at `index_path`: the path itself when it is a
// file whose first line (after blank lines and comments) names a database
// ("auto ", "glass ", "remote "), INDEX/XAPIANDB when the directory holds
// one, else nullopt (a single database, or something else).
std::optional<std::filesystem::path> stub_file_of(const std::string& index_path);

// Reads a stub: lines "auto PATH" or "glass PATH" (relative paths are
// relative to the stub's directory) and "remote HOST:PORT"; blank lines
// and lines starting with '#' are skipped. Throws IndexError naming the
// file and line of anything else, and for a stub listing no database.
std::vector<ShardLocation> read_stub(const std::filesystem::path& stub);

// The stub text listing `lines` ("auto shard-0", "remote host:port").
std::string stub_text(const std::vector<std::string>& lines);

// Opens one database of a stub; a remote one with `timeout_ms` for each
// operation and for connecting (0: Xapian's default of 10 s). Throws
// Xapian::Error.
Xapian::Database open_shard(const ShardLocation& shard, unsigned timeout_ms);

// The shard, of `shards`, that holds the document with `id`: FNV-1a of the
// id, modulo the number of shards. Stable across runs, builds and machines.
std::size_t shard_of(std::string_view id, std::size_t shards);

// The name of shard `k`'s directory in a sharded index: "shard-K".
std::string shard_directory_name(std::size_t k);
inline constexpr const char* kLexiconDirectory = "lexicon";
inline constexpr const char* kStubFileName = "XAPIANDB";

}  // namespace policy
