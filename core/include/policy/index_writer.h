// Index writing: SourceDocument -> cleaned, analysed Xapian document ->
// database, incrementally.
//
// prepare_document() is pure (clean, analyse, build terms and the stored
// record) so it can run on many threads; IndexWriter owns the single
// Xapian::WritableDatabase and is used from one thread.
//
// Incremental behaviour: each document carries a content hash of everything
// that determines its indexed form (id, title, text, metadata, analyzer and
// schema versions). add() skips a document whose stored hash is unchanged,
// replaces one whose hash differs, and adds a new one.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include <xapian.h>

#include "policy/analyzer.h"
#include "policy/document_reader.h"
#include "policy/field_extractor.h"
#include "policy/schema.h"
#include "policy/text_cleaner.h"

namespace policy {

// A fatal problem with the index itself (cannot open, locked, built with a
// different analyzer or schema). The message names the index path.
class IndexError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct PreparedDocument {
  std::string id;
  std::string id_term;       // "Q" + id
  std::string content_hash;
  Xapian::Document document;
  // (stem, exact word) pairs where they differ, for the synonym table.
  std::vector<std::pair<std::string, std::string>> stem_variants;
  CleaningStats cleaning;
};

// Hex FNV-1a/64 of the document's content and of what shapes its indexed
// form: analyzer version, schema layout version and schema fingerprint.
std::string content_hash(const SourceDocument& doc, const std::string& analyzer_version,
                         const std::string& schema_fingerprint);

// Cleans and analyses `doc`, extracts its fields and builds its Xapian
// document. Thread-safe as long as each thread passes its own Analyzer and
// FieldExtractor.
PreparedDocument prepare_document(const SourceDocument& doc, const Analyzer& analyzer,
                                  const Schema& schema, const FieldExtractor& extractor, std::string hash);

struct IndexWriterOptions {
  bool rebuild = false;            // start from an empty index
  std::size_t commit_every = 1000; // documents per commit: a crash loses at most one batch
};

class IndexWriter {
 public:
  enum class Outcome { kAdded, kUpdated, kUnchanged };

  // Opens or creates the index at `path`. Throws IndexError when it is
  // locked by another writer (naming the lock and, from the pid file
  // "policy-index.pid" the holder writes next to it, the holder's pid), is
  // not writable, or was built with another analyzer/schema (unless
  // options.rebuild).
  IndexWriter(const std::string& path, const Analyzer& analyzer, const Schema& schema,
              const IndexWriterOptions& options);
  ~IndexWriter();  // commits what was added; never throws
  IndexWriter(const IndexWriter&) = delete;
  IndexWriter& operator=(const IndexWriter&) = delete;

  // Adds or replaces `doc` unless unchanged. Commits every commit_every
  // changes.
  //
  // add(), prune() and commit() throw IndexError when a write fails (disk
  // full, I/O error): the message names the index and Xapian's reason and
  // says the index keeps its last commit. The writer is then unusable: the
  // destructor does not commit again.
  Outcome add(const SourceDocument& doc);

  // Deletes every document whose id is not in `keep`; returns how many.
  std::size_t prune(const std::unordered_set<std::string>& keep);

  // Records versions and a new build id, and commits. Xapian commits are
  // atomic: a crash at any moment leaves the previous commit intact. Throws
  // Xapian::Error when the write fails (disk full); the index then keeps its
  // last commit.
  void commit();

  Xapian::doccount document_count() const { return db_.get_doccount(); }
  std::size_t committed_changes() const { return committed_changes_; }

 private:
  // Creates a new index at `path` (missing or an empty directory) so that it
  // never exists without its versions: built beside it, committed with
  // them, then renamed into place. A crash at any moment leaves either no
  // index or an empty, searchable one.
  void create_in_place(const std::string& path);
  void record_versions(Xapian::WritableDatabase& db) const;
  Outcome add_or_replace(const SourceDocument& doc);
  std::size_t delete_all_but(const std::unordered_set<std::string>& keep);
  void commit_changes();
  [[noreturn]] void fail(const Xapian::Error& e);

  std::string path_;
  const Analyzer& analyzer_;
  const Schema& schema_;
  FieldExtractor extractor_;
  IndexWriterOptions options_;
  Xapian::WritableDatabase db_;
  std::unordered_set<std::string> known_variants_;  // "stem\0word" pairs already in the synonym table
  std::size_t pending_changes_ = 0;
  std::size_t committed_changes_ = 0;
  bool pid_file_written_ = false;
  bool failed_ = false;  // a write failed; see add()
};

}  // namespace policy
