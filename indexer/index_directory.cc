#include "indexer/index_directory.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

#include <stdio.h>  // renameat2, RENAME_EXCHANGE

namespace policy {
namespace {

constexpr const char* kWriterPidFile = "policy-index.pid";

std::filesystem::path without_trailing_slash(const std::string& path) {
  std::filesystem::path p = std::filesystem::path(path).lexically_normal();
  if (p.filename().empty()) p = p.parent_path();  // "idx/"
  return p;
}

// "policy-index pid N, " when the pid file in `path` names a live process,
// else "".
std::string lock_holder(const std::string& path) {
  std::ifstream in(std::filesystem::path(path) / kWriterPidFile);
  long pid = 0;
  if (!(in >> pid) || pid <= 0 || kill(static_cast<pid_t>(pid), 0) != 0) return {};
  return "policy-index pid " + std::to_string(pid) + ", ";
}

}  // namespace

IndexDirectory::IndexDirectory(const std::string& path) : path_(without_trailing_slash(path).string()) {
  std::error_code ignored;
  real_path_ = std::filesystem::canonical(path_, ignored);  // empty when missing
  if (real_path_.empty()) real_path_ = path_;
}

std::filesystem::path IndexDirectory::beside(std::string_view suffix) const {
  return real_path_.string() + std::string(suffix);
}

bool IndexDirectory::holds_database() const {
  std::error_code ec;
  if (!std::filesystem::exists(real_path_, ec)) return false;
  return !std::filesystem::is_directory(real_path_, ec) || !std::filesystem::is_empty(real_path_, ec);
}

void IndexDirectory::create(const std::function<void(Xapian::WritableDatabase&)>& initialise) const {
  const std::filesystem::path staging = beside(".creating-" + std::to_string(getpid()));
  std::error_code ignored;
  std::filesystem::remove_all(staging, ignored);
  {
    Xapian::WritableDatabase staged(staging.string(), Xapian::DB_CREATE);
    initialise(staged);
    staged.commit();
  }
  // rename() is atomic; it fails when another writer created the index
  // first, which is as good.
  std::filesystem::rename(staging, real_path_, ignored);
  std::filesystem::remove_all(staging, ignored);
}

void IndexDirectory::swap_in(const std::filesystem::path& replacement) const {
  if (renameat2(AT_FDCWD, replacement.c_str(), AT_FDCWD, real_path_.c_str(), RENAME_EXCHANGE) == 0) return;
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) {
    throw std::filesystem::filesystem_error("cannot swap in the new index", replacement, real_path_,
                                            std::error_code(errno, std::generic_category()));
  }
  const std::filesystem::path aside = replacement.string() + ".old";
  std::filesystem::rename(real_path_, aside);
  std::filesystem::rename(replacement, real_path_);
  std::filesystem::rename(aside, replacement);
}

std::string IndexDirectory::lock_problem() const {
  if (access(path_.c_str(), W_OK) != 0) {
    return "cannot write to index '" + path_ + "': " + std::strerror(errno) +
           " (a read-only directory or file system can be searched, not updated)";
  }
  return "index '" + path_ + "' is locked by another writer (" + lock_holder(path_) + "lock file " + path_ +
         "/flintlock); wait for it to finish";
}

WriterPidFile::WriterPidFile(const std::string& index_path)
    : file_(std::filesystem::path(index_path) / kWriterPidFile) {}

bool WriterPidFile::write() {
  std::ofstream out(file_, std::ios::trunc);
  out << getpid() << "\n";
  written_ = static_cast<bool>(out.flush());
  if (!written_) {
    std::error_code ignored;
    std::filesystem::remove(file_, ignored);
  }
  return written_;
}

void WriterPidFile::rewrite() const {
  if (!written_) return;
  std::ofstream out(file_, std::ios::trunc);
  out << getpid() << "\n";
}

void WriterPidFile::remove() const {
  std::error_code ignored;
  if (written_) std::filesystem::remove(file_, ignored);
}

}  // namespace policy
