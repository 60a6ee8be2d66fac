// IndexReader: an open policy-search index, as both programs read it. It
// opens the database (one, or the shards a stub lists: index_shards.h),
// refuses one built with another analyzer or layout,
// loads the schema, the field extractor and the bodies' dictionary the
// index was built with, and runs reads so that a concurrent commit or
// directory swap by policy-index is retried rather than failed.
//
// Not thread-safe: one IndexReader per thread (each holds its own
// Xapian::Database and Analyzer).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "core/analyzer.h"
#include "core/body_compression.h"
#include "core/errors.h"
#include "core/field_extractor.h"
#include "core/field_schema.h"
#include "core/index_layout.h"
#include "core/index_shards.h"
#include "core/phrase_pairs.h"
#include "core/slot_values.h"

namespace policy {

// Whether one database of an index answers (IndexReader::shard_health).
struct ShardHealth {
  std::string name;  // ShardLocation::name(), or the index path for a single database
  bool remote = false;
  bool answers = false;
  Xapian::doccount documents = 0;  // when it answers
  std::string error;               // when it does not
  double milliseconds = 0;         // to open it and read its document count
};

// Opens each database of the index at `path` (each database a stub lists,
// remote ones on a new connection within `remote_timeout_ms`, 0: 10 s) and
// says whether it answers: what a health check needs even when the index
// cannot be opened whole. Throws IndexError for an unreadable stub.
std::vector<ShardHealth> probe_databases(const std::string& path, unsigned remote_timeout_ms);

// What an index records about how it was built.
struct IndexInfo {
  std::string path;
  Xapian::doccount documents = 0;
  std::string analyzer;
  std::string schema;
  std::string icu;
  std::string build_id;
  std::string indexed_at;
};

class IndexReader {
 public:
  // Throws IndexError when the index is missing ("no index at 'P'"), the
  // path is no policy-search index ("'P' is not a policy-search index (no
  // Xapian database found)": a folder of documents, a file), it is
  // unreadable, or was built with another analyzer or schema layout version.
  // A stub's shard that cannot be opened (a remote one that does not
  // answer within `remote_timeout_ms`) is an IndexError naming it.
  explicit IndexReader(std::string path, unsigned remote_timeout_ms = 0);

  // Runs `read` and returns its result. When it throws because a commit
  // by the indexer discarded the revision being read, or the index
  // directory was replaced under it, or any error while the index has
  // moved on since the revision read, the database is reopened and `read`
  // runs again (up to kMaxReadAttempts times, with growing pauses: about
  // 1.2 s in all); then the error goes to the caller. A RequestError is
  // the caller's and is never retried.
  //
  // A network error from a stub's remote shard is not retried: it becomes
  // a ShardUnavailableError naming the shards that do not answer, and the
  // next read opens the index anew (so a shard back up serves again).
  template <typename Read>
  auto retrying(Read&& read) -> decltype(read());

  // Sees the index's latest commit (new documents, a new schema, or a new
  // database swapped into place); cheap when nothing changed. Returns true
  // if something did. Throws IndexError if the index was rebuilt with
  // another analyzer or schema version.
  bool refresh();

  // The docid of the document with `id`, or nullopt. A read: call it
  // inside retrying().
  std::optional<Xapian::docid> find(const std::string& id) const;

  // How `doc`'s fields were extracted (ExtractedFields::report()), computed
  // again from its stored text with the index's analyzer and schema, which
  // are the ones it was indexed with.
  nlohmann::json extraction_report(const StoredDocument& doc) const;

  IndexInfo info();

  // Opens each database of the index afresh (remote ones on a new
  // connection, within the timeout) and says whether it answers. Never
  // throws for a database that does not: that is its entry.
  std::vector<ShardHealth> shard_health() const;

  // The languages of the indexed documents (their L terms, index_layout.h),
  // sorted: those a query word is stemmed in when the query names none.
  // Read once per revision. A read: call it inside retrying().
  const std::vector<std::string>& languages();

  const std::string& path() const { return path_; }
  const Xapian::Database& database() const { return db_; }
  // Identifies the revision of the database open now: Xapian's revision
  // of a single database; for shards, a hash of each one's revision (a
  // remote shard's: its build id, document count and last docid, since
  // the remote backend does not give revisions). What is cached per
  // revision is keyed on it.
  std::uint64_t revision() const { return revision_; }
  // The databases of a stub, in its order, sharing db_'s state (a reopen of
  // db_ reopens them); empty for a single database.
  const std::vector<ShardLocation>& shard_locations() const { return shard_locations_; }
  const std::vector<Xapian::Database>& shards() const { return shards_; }
  bool sharded() const { return !shards_.empty(); }
  // How to read a value slot of every document (slot_values.h): by match
  // when a shard is remote, where a value stream costs a round trip per
  // document.
  SlotReading slot_reading() const;
  const Analyzer& analyzer() const { return *analyzer_; }
  const Schema& schema() const { return *schema_; }
  const FieldExtractor& extractor() const { return *extractor_; }
  const BodyDictionary& dictionary() const { return dictionary_; }
  // The words whose pairs every database of the index holds as terms.
  const CommonWords& common_words() const { return common_words_; }
  // Bumped each time the schema, extractor and dictionary are loaded anew
  // (after a swap or a commit that changed them): whatever was derived from
  // the earlier ones must be derived again.
  std::uint64_t schema_generation() const { return schema_generation_; }

  static constexpr int kMaxReadAttempts = 16;

 private:
  // Reopens the database before another attempt of a read: opened anew
  // when the directory was swapped, else reopen().
  void reopen_for_retry();
  // The pause before attempt `attempt` (from 0) of a read a commit
  // discarded: none before the first retry, then 1, 2, 4 ... 128 ms.
  static void pause_before(int attempt);
  // Identifies the directory at path_ (device and inode): policy-index
  // publishes a rebuilt index by swapping directories, which Xapian's
  // reopen() cannot follow.
  std::uint64_t directory_identity() const;
  // Whether a commit or a swap has happened since db_'s revision: an error
  // met while reading it may then come from the race, and is retried.
  bool index_moved_on() const;
  // Opens the database at path_ anew after a swap.
  void open_replaced();
  // The error for a remote shard's network error `e`; marks the database
  // for opening anew before the next read.
  ShardUnavailableError shard_failure(const Xapian::NetworkError& e);
  // Opens db_ (and shards_ for a stub) at path_. Throws Xapian::Error or,
  // naming the shard, IndexError.
  void open_database();
  // Recomputes revision_ after db_ was opened or reopened.
  void note_revision();
  // The metadata `key` of the database open now: its own, or each
  // database's of a stub, in order (the first, the lexicon, holds shard
  // 0's). And what identifies the bodies' dictionaries and common words so
  // read, to see a change.
  std::vector<std::string> stored_per_database(const char* key) const;
  static std::string signature_of(const std::vector<std::string>& dictionaries,
                                  const std::vector<std::string>& common_words);
  void load_schema();

  std::string path_;
  unsigned remote_timeout_ms_ = 0;
  Xapian::Database db_;
  std::vector<ShardLocation> shard_locations_;
  std::vector<Xapian::Database> shards_;
  std::uint64_t revision_ = 0;
  bool connection_lost_ = false;        // a remote shard failed: open anew before the next read
  std::uint64_t opened_directory_ = 0;  // directory_identity() when db_ was opened
  std::unique_ptr<Analyzer> analyzer_;
  std::unique_ptr<Schema> schema_;
  std::string schema_fingerprint_;
  BodyDictionary dictionary_;  // the index's (and each shard's), with the schema (load_schema)
  CommonWords common_words_;   // CommonWords::shared of the databases', with the schema
  std::string tables_;         // signature_of() the dictionaries and common words when loaded
  std::unique_ptr<FieldExtractor> extractor_;
  std::uint64_t schema_generation_ = 0;
  std::vector<std::string> languages_;
  // (directory_identity(), revision) languages_ was read at.
  std::optional<std::pair<std::uint64_t, std::uint64_t>> languages_read_at_;
};

template <typename Read>
auto IndexReader::retrying(Read&& read) -> decltype(read()) {
  if (connection_lost_) open_replaced();  // throws ShardUnavailableError while a shard is still away
  for (int attempt = 0;; ++attempt) {
    try {
      // Reopening reads too, and a commit can discard what it reads: it is
      // part of the attempt, not of the handler.
      if (attempt > 0) reopen_for_retry();
      return read();
    } catch (const RequestError&) {
      throw;  // the caller's fault, whatever the index does
    } catch (const BudgetSpentError&) {
      throw;  // the request's time is up, whatever the index does
    } catch (const Xapian::DatabaseModifiedError&) {
      // Each commit discards the revision before last; an indexer committing
      // in quick succession can outrun a few attempts, not many.
      if (attempt >= kMaxReadAttempts) throw;
    } catch (const Xapian::NetworkError& e) {
      if (!sharded()) throw;
      throw shard_failure(e);
    } catch (const Xapian::Error&) {
      // A table opened lazily after a swap belongs to the new database; a
      // read racing commits can also meet blocks they reused as corrupt data
      // or a missing document. Retried only when the index has moved on.
      if (attempt >= kMaxReadAttempts || !index_moved_on()) throw;
    } catch (const std::exception&) {
      // The same race seen through our own decoding (an empty stored header).
      if (attempt >= kMaxReadAttempts || !index_moved_on()) throw;
    }
    pause_before(attempt + 1);
  }
}

}  // namespace policy
