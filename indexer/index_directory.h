// The directory an index lives in, as its writer sees it.
//
// IndexDirectory knows the index by two paths: the path as given (what
// Xapian opens and messages name) and the directory itself, symbolic links
// resolved (what is created, swapped and built beside), so that a link to
// an index stays a link. It creates a new index that never exists without
// its first commit, swaps a rebuilt index into place atomically, and
// explains a write lock Xapian refused. WriterPidFile is the file in which
// the lock's holder names itself for that explanation.
//
// Thread-safety: use each object from one thread. Against other processes
// the operations are atomic where the contracts below say so.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include <xapian.h>

namespace policy {

class IndexDirectory {
 public:
  // `path` as given; a trailing '/' names the same directory.
  explicit IndexDirectory(const std::string& path);

  // The path as given, normalised ("idx/" -> "idx").
  const std::string& path() const { return path_; }
  // The directory itself, symbolic links resolved; path() while missing.
  const std::filesystem::path& real_path() const { return real_path_; }
  // real_path() + `suffix`: a directory beside the index ("idx.building").
  std::filesystem::path beside(std::string_view suffix) const;

  // Whether a database is there (else it is missing or an empty directory).
  bool holds_database() const;

  // Creates a new database at real_path() (missing or an empty directory)
  // that never exists without what `initialise` writes: it is built beside
  // the index, committed, then renamed into place, so a crash at any moment
  // leaves either no index or an initialised one. When another writer
  // creates the index first, the rename fails, which is as good. Throws
  // Xapian::Error when the database cannot be built.
  void create(const std::function<void(Xapian::WritableDatabase&)>& initialise) const;

  // Swaps the directory `replacement` with real_path() atomically
  // (renameat2 RENAME_EXCHANGE); afterwards `replacement` holds the old
  // index. Where the file system cannot exchange, moves the index aside
  // first, which leaves a moment without it. Throws
  // std::filesystem::filesystem_error.
  void swap_in(const std::filesystem::path& replacement) const;

  // Why Xapian refused the write lock, as a message naming the index: the
  // directory or file system is not writable, or another writer holds the
  // lock (named by its pid when its WriterPidFile names a live process).
  std::string lock_problem() const;

 private:
  std::string path_;
  std::filesystem::path real_path_;
};

// "policy-index.pid" in the index directory, written by the writer holding
// the lock, so that a refused second writer can say who holds it: Xapian's
// lock is an open-file-description lock, whose owner F_GETLK cannot name.
// The writer must remove it before it lets the lock go.
class WriterPidFile {
 public:
  explicit WriterPidFile(const std::string& index_path);

  // Writes this process's pid. Best effort: false, and no file, when it
  // cannot be written (a lock message then names only the lock).
  bool write();
  // Writes it again after a successful write(): a directory swapped in by
  // IndexDirectory::swap_in() does not hold it.
  void rewrite() const;
  // Removes it after a successful write(); never throws.
  void remove() const;

 private:
  std::filesystem::path file_;
  bool written_ = false;
};

}  // namespace policy
