// The index writer: a run of SourceDocuments -> the Xapian database of an
// index, incrementally.
//
// IndexWriter orchestrates the units of indexer/: document_builder.h
// prepares each document, segment_build.h writes a new index in parallel
// segments, index_directory.h creates, locks and swaps the directory. It
// records the analyzer and schema versions the index is built with and
// refuses an index built with others.
//
// Incremental behaviour: each document carries a content hash of everything
// that determines its indexed form (id, title, text, metadata, analyzer and
// schema versions). add() skips a document whose stored hash is unchanged,
// replaces one whose hash differs, and adds a new one.
//
// Thread-safety: use an IndexWriter from one thread; it runs its own worker
// threads (options.jobs).
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <future>
#include <memory>
#include <string>
#include <unordered_set>

#include <xapian.h>

#include "core/analyzer.h"
#include "core/body_compression.h"
#include "core/errors.h"
#include "core/field_extractor.h"
#include "core/field_schema.h"

#include "indexer/document_builder.h"
#include "indexer/document_reader.h"
#include "indexer/index_directory.h"
#include "indexer/near_duplicate_grouping.h"
#include "indexer/segment_build.h"

namespace policy {

struct IndexWriterOptions {
  bool rebuild = false;             // start from an empty index
  std::size_t commit_every = 1000;  // documents per commit in place (segments: at most this many)
  // In place, a commit also waits until this long after the previous one
  // (documents gather meanwhile): Xapian keeps the latest revision readable
  // while the next is written, but may reuse an older one's blocks, so a
  // search shorter than this never meets two commits and fails.
  std::chrono::milliseconds min_commit_interval{1000};
  std::size_t jobs = 1;  // threads that clean, analyse and write; 0: one per core
  // Text of the first documents of a new index on which the bodies'
  // dictionary is trained (0: none). Their batches wait in memory until
  // this much is read, so on a crash the first segments are written again.
  // At most BodyDictionary::kMaxSampleBytes (larger values are clamped).
  std::size_t dictionary_sample_bytes = BodyDictionary::kSampleBytes;
  // false: commit() leaves the near-duplicate groups as they are, for a
  // caller that groups several databases together (ShardedIndexWriter).
  bool group_near_duplicates = true;
};

// Writes a run of documents into the index at a path, in one of two ways:
//
//  * Segments, when the index holds no documents or options.rebuild: `jobs`
//    threads write batches of at most commit_every (and 128) documents into
//    segment databases in INDEX.building/ beside the index (beside the
//    target of a symbolic link; see segment_build.h). commit() merges them
//    in input order, so document ids, and therefore search results, do not
//    depend on the number of jobs; it records the versions and swaps the
//    merged database into place atomically. Until then the index keeps its
//    previous state, and re-running the same command after a crash reuses
//    the segments already written. The bodies' dictionary is trained on the
//    first options.dictionary_sample_bytes of text, before the first
//    segment is written.
//  * In place, otherwise: documents are prepared on `jobs` threads and
//    written in input order into the index, committed every commit_every
//    changes, their bodies compressed with the dictionary the index holds.
//
// Each id must be added at most once per run (policy-index rejects
// duplicates before they reach the writer).
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

  // Adds or replaces `doc` unless unchanged. The outcome is known at once;
  // the writing may happen later, on another thread.
  //
  // add(), prune() and commit() throw IndexError when a write fails (disk
  // full, I/O error): the message names the index and Xapian's reason and
  // says the index keeps its last commit. The writer is then unusable: the
  // destructor does not commit again.
  Outcome add(SourceDocument doc);

  // Deletes every document whose id is not in `keep`; returns how many.
  // (Writing segments, the index holds only this run's documents: none.)
  std::size_t prune(const std::unordered_set<std::string>& keep);

  // Makes everything added so far visible: writes the pending documents,
  // regroups the near-duplicates of the whole index
  // (near_duplicate_grouping.h; intermediate commits of commit_every do
  // not, so their groups may lag until the run's last commit), records
  // versions and a new build id, and commits (or merges, regroups and swaps
  // in the segments). Xapian commits and the swap are atomic: a crash at
  // any moment leaves the previous commit intact. Afterwards the writer
  // goes on in place.
  void commit();

  // After commit(), when near-duplicate groups were written into
  // database() by the caller (IndexWriterOptions::group_near_duplicates
  // false): records new versions and commits them.
  void commit_regrouped();

  // The database written in place (after commit(), the published one).
  Xapian::WritableDatabase& database() { return db_; }
  bool writes_segments() const { return segments_ != nullptr; }
  Xapian::doccount document_count() const { return db_.get_doccount(); }
  // Changes in commits (or in finished segments) so far.
  std::size_t committed_changes() const;
  // The last commit()'s near-duplicate pass.
  const GroupingStats& grouping() const { return grouping_; }

 private:
  // Writes the versions, a new build id and metadata_key::kRewrites;
  // `rewrote`: the commit replaces or deletes documents, or makes the
  // database.
  void record_versions(Xapian::WritableDatabase& db, bool rewrote);
  Outcome add_or_replace(SourceDocument doc);
  void write_prepared(PreparedDocument& prepared, Xapian::WritableDatabase& db,
                      std::unordered_set<std::string>& known_variants);
  void drain_prepared(std::size_t keep_in_flight);
  void publish_segments();
  std::size_t delete_all_but(const std::unordered_set<std::string>& keep);
  void commit_changes();
  template <typename Action>
  auto guarded(Action&& action) -> decltype(action());
  [[noreturn]] void fail(const std::string& reason);

  // The index as given, for Xapian and messages.
  const std::string& path() const { return directory_.path(); }

  IndexDirectory directory_;
  const Analyzer& analyzer_;
  const Schema& schema_;
  FieldExtractor extractor_;
  IndexWriterOptions options_;
  Xapian::WritableDatabase db_;
  WriterPidFile pid_file_;
  std::unordered_set<std::string> known_variants_;  // "stem\0word" pairs already in the synonym table
  std::size_t pending_changes_ = 0;
  std::chrono::steady_clock::time_point last_commit_ = std::chrono::steady_clock::now();
  std::size_t committed_changes_ = 0;
  // The last rewriting commit's build id (metadata_key::kRewrites), and
  // whether the pending changes replace or delete a document.
  std::string last_rewrite_;
  bool pending_rewrite_ = false;
  bool failed_ = false;  // a write failed; see add()
  GroupingStats grouping_;
  bool pending_regrouping_ = false;  // the grouping pass rewrote documents, not committed yet

  // Parallel preparation (jobs > 1); documents being prepared for in-place
  // writing, in input order.
  std::unique_ptr<PreparationPool> pool_;
  std::deque<std::future<PreparedDocument>> preparing_;
  std::unique_ptr<SegmentBuild> segments_;  // set while writing segments
  // The bodies' dictionary: the index's in place; when writing segments,
  // the one SegmentBuild trained, from the swap on.
  BodyDictionary dictionary_;
  CommonWords common_words_;  // the index's (metadata_key::kCommonWords)
};

}  // namespace policy
