// Helpers for the reliability tests: what an index on disk holds, checked
// through Xapian itself, and snapshots of a directory's files.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace policy::testing {

// What a read-only open of an index finds.
struct IndexContents {
  bool opens = false;
  std::string open_error;        // Xapian's description when it does not open
  std::vector<std::string> ids;  // document ids, in docid order
  // Documents that are not whole: no data, data that does not unserialise,
  // or whose stored id has no matching "Q" term. Empty for a sound index.
  std::vector<std::string> broken;
};

IndexContents read_index(const std::filesystem::path& index);

// Every regular file under `dir` (relative path -> bytes).
std::map<std::string, std::string> snapshot_files(const std::filesystem::path& dir);

}  // namespace policy::testing
