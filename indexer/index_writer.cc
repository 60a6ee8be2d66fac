#include "indexer/index_writer.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <optional>
#include <random>
#include <thread>

#include "core/index_layout.h"
#include "core/timestamp.h"

namespace policy {
namespace {

std::string new_build_id() {
  std::random_device device;
  std::mt19937_64 random(device() ^
                         static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()));
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(random()));
  return buffer;
}

}  // namespace

IndexWriter::IndexWriter(const std::string& index_path, const Analyzer& analyzer, const Schema& schema,
                         const IndexWriterOptions& options)
    : directory_(index_path),
      analyzer_(analyzer),
      schema_(schema),
      extractor_(schema, analyzer),
      options_(options),
      pid_file_(directory_.path()) {
  if (options_.jobs == 0) options_.jobs = std::max(1u, std::thread::hardware_concurrency());
  if (options_.commit_every == 0) options_.commit_every = 1;
  options_.dictionary_sample_bytes = std::min(options_.dictionary_sample_bytes, BodyDictionary::kMaxSampleBytes);
  try {
    // A new index never exists without its versions: a crash at any moment
    // leaves either no index or an empty, searchable one.
    if (!directory_.holds_database()) {
      directory_.create([this](Xapian::WritableDatabase& db) { record_versions(db, /*rewrote=*/true); });
    }
    try {
      db_ = Xapian::WritableDatabase(path(), Xapian::DB_OPEN);
    } catch (const Xapian::DatabaseLockError&) {
      throw;
    } catch (const Xapian::DatabaseError&) {
      // Not a readable index: --rebuild replaces it (in place, as there is
      // nothing to keep), anything else reports it.
      if (!options.rebuild) throw;
      db_ = Xapian::WritableDatabase(path(), Xapian::DB_CREATE_OR_OVERWRITE);
    }
  } catch (const Xapian::DatabaseLockError&) {
    throw IndexError(directory_.lock_problem());
  } catch (const Xapian::Error& e) {
    throw IndexError("cannot open index '" + path() + "' for writing: " + e.get_description());
  }
  const std::string recorded_analyzer = db_.get_metadata(metadata_key::kAnalyzer);
  const std::string recorded_schema = db_.get_metadata(metadata_key::kSchema);
  if (!options.rebuild && (db_.get_doccount() > 0 || !recorded_analyzer.empty())) {
    if (recorded_analyzer != analyzer.version() || recorded_schema != schema_version_string()) {
      throw IndexError("index '" + path() + "' was built with " +
                       (recorded_analyzer.empty() ? std::string("an unknown analyzer") : recorded_analyzer) + " and " +
                       (recorded_schema.empty() ? std::string("an unknown schema") : recorded_schema) +
                       "; this indexer uses " + analyzer.version() + " and " + schema_version_string() +
                       "; rebuild it with --rebuild");
    }
  }
  if (options_.jobs > 1) pool_ = std::make_unique<PreparationPool>(analyzer.options(), schema, options_.jobs);
  const std::filesystem::path build_dir = directory_.beside(".building");
  if (options.rebuild || db_.get_doccount() == 0) {
    try {
      std::filesystem::create_directories(build_dir);
    } catch (const std::filesystem::filesystem_error& e) {
      throw IndexError("cannot write beside index '" + path() + "' (segments go to " + build_dir.string() +
                       "): " + e.code().message());
    }
    segments_ =
        std::make_unique<SegmentBuild>(build_dir, analyzer_, extractor_, schema_, pool_.get(),
                                       SegmentOptions{.batch_documents = options_.commit_every,
                                                      .dictionary_sample_bytes = options_.dictionary_sample_bytes});
  } else {
    // Segments of an interrupted rebuild that this run does not continue.
    std::error_code ignored;
    std::filesystem::remove_all(build_dir, ignored);
    try {
      dictionary_ = BodyDictionary(db_.get_metadata(metadata_key::kBodyDictionary));
      common_words_ = CommonWords::parse(db_.get_metadata(metadata_key::kCommonWords));
    } catch (const std::runtime_error& e) {
      throw IndexError("index '" + path() + "': " + e.what() + "; rebuild it with --rebuild");
    }
    // Without a value this writer can trust (an older writer committed
    // last), the first commit counts as a rewrite: it cannot tell what that
    // writer changed, and neither can a searcher.
    const std::optional<std::string> last_rewrite =
        last_rewrite_of(db_.get_metadata(metadata_key::kRewrites), db_.get_metadata(metadata_key::kBuildId));
    last_rewrite_ = last_rewrite.value_or("");
    pending_rewrite_ = !last_rewrite;
  }
  // Last, as nothing below throws: the destructor removes it.
  pid_file_.write();
}

void IndexWriter::fail(const std::string& reason) {
  failed_ = true;
  std::string kept = "its last commit";
  try {
    const Xapian::doccount documents = Xapian::Database(path()).get_doccount();
    kept += " (" + std::to_string(documents) + (documents == 1 ? " document)" : " documents)");
  } catch (const Xapian::Error&) {
  }
  throw IndexError("cannot write to index '" + path() + "': " + reason + "; the index keeps " + kept +
                   "; free space (or fix what the error names) and run the same command again");
}

template <typename Action>
auto IndexWriter::guarded(Action&& action) -> decltype(action()) {
  if (failed_) throw IndexError("index '" + path() + "': an earlier write failed; nothing more is written");
  try {
    return action();
  } catch (const Xapian::Error& e) {
    fail(e.get_description());
  } catch (const std::filesystem::filesystem_error& e) {
    fail(e.what());
  }
}

IndexWriter::~IndexWriter() {
  try {
    // After a failed write Xapian's state is unknown: committing again could
    // only fail again or record a partial batch.
    const bool pending =
        segments_ ? segments_->added() > 0 || options_.rebuild : pending_changes_ > 0 || !preparing_.empty();
    if (pending && !failed_) commit();
    // A run that added nothing to a new index leaves no segments behind.
    if (segments_ && segments_->added() == 0 && !failed_) std::filesystem::remove_all(segments_->dir());
  } catch (...) {
    // Destructors must not throw; an uncommitted batch is lost, as after a crash.
  }
  pool_.reset();       // joins the workers before the state their tasks use goes
  pid_file_.remove();  // while db_ still holds the lock
}

std::size_t IndexWriter::committed_changes() const { return committed_changes_; }

IndexWriter::Outcome IndexWriter::add(SourceDocument doc) {
  return guarded([&] { return add_or_replace(std::move(doc)); });
}

IndexWriter::Outcome IndexWriter::add_or_replace(SourceDocument doc) {
  std::string hash = content_hash(doc, analyzer_.version(), schema_.fingerprint());
  if (segments_) {
    segments_->add(std::move(doc), std::move(hash));
    return Outcome::kAdded;
  }
  const std::string id_term = std::string(prefix::kId) + doc.id;
  Outcome outcome = Outcome::kAdded;
  Xapian::PostingIterator existing = db_.postlist_begin(id_term);
  if (existing != db_.postlist_end(id_term)) {
    if (db_.get_document(*existing).get_value(slot::kContentHash) == hash) return Outcome::kUnchanged;
    outcome = Outcome::kUpdated;
  }
  if (!pool_) {
    PreparedDocument prepared =
        prepare_document(doc, analyzer_, schema_, extractor_, dictionary_, common_words_, std::move(hash));
    write_prepared(prepared, db_, known_variants_);
    return outcome;
  }
  auto shared = std::make_shared<SourceDocument>(std::move(doc));
  preparing_.push_back(
      pool_->submit([this, shared, hash = std::move(hash)](const Analyzer& analyzer, const FieldExtractor& extractor) {
        return prepare_document(*shared, analyzer, schema_, extractor, dictionary_, common_words_, hash);
      }));
  drain_prepared(2 * options_.jobs);
  return outcome;
}

void IndexWriter::write_prepared(PreparedDocument& prepared, Xapian::WritableDatabase& db,
                                 std::unordered_set<std::string>& known_variants) {
  add_new_synonyms(prepared, db, known_variants);
  // Looked up here, not when added: an id given twice in one run replaces
  // its first document only once that is written.
  if (!pending_rewrite_ && db.term_exists(prepared.id_term)) pending_rewrite_ = true;
  db.replace_document(prepared.id_term, prepared.document);
  if (++pending_changes_ >= options_.commit_every &&
      std::chrono::steady_clock::now() - last_commit_ >= options_.min_commit_interval) {
    commit_changes();
  }
}

// Writes the prepared documents at the front that are ready, and waits for
// more until at most `keep_in_flight` are left.
void IndexWriter::drain_prepared(std::size_t keep_in_flight) {
  while (!preparing_.empty()) {
    if (preparing_.size() <= keep_in_flight &&
        preparing_.front().wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
      return;
    }
    std::future<PreparedDocument> next = std::move(preparing_.front());
    preparing_.pop_front();
    PreparedDocument prepared = next.get();
    write_prepared(prepared, db_, known_variants_);
  }
}

// Merges the segments, records the versions in the merged database, swaps
// it with the index and goes on in place on it.
void IndexWriter::publish_segments() {
  const std::filesystem::path merged = segments_->merge();
  dictionary_ = segments_->dictionary();
  common_words_ = segments_->common_words();
  {
    Xapian::WritableDatabase finished(merged.string(), Xapian::DB_OPEN);
    if (options_.group_near_duplicates) grouping_ = regroup_near_duplicates(finished);
    record_versions(finished, /*rewrote=*/true);
    finished.set_metadata(metadata_key::kSegmentKey, "");
    finished.commit();
    finished.close();
  }
  // The old index (still locked by db_) moves to `merged`; the new one is
  // locked by opening it before db_ lets go.
  directory_.swap_in(merged);
  Xapian::WritableDatabase published(path(), Xapian::DB_OPEN);
  db_.close();
  db_ = published;
  pid_file_.rewrite();
  committed_changes_ += segments_->finished_documents();
  std::error_code ignored;
  std::filesystem::remove_all(segments_->dir(), ignored);
}

std::size_t IndexWriter::prune(const std::unordered_set<std::string>& keep) {
  // Writing segments, the index will hold this run's documents only.
  if (segments_) return 0;
  return guarded([&] {
    drain_prepared(0);
    return delete_all_but(keep);
  });
}

std::size_t IndexWriter::delete_all_but(const std::unordered_set<std::string>& keep) {
  std::vector<std::string> doomed;
  const std::string id_prefix(prefix::kId);
  for (auto it = db_.allterms_begin(id_prefix); it != db_.allterms_end(id_prefix); ++it) {
    const std::string term = *it;
    if (!keep.contains(term.substr(id_prefix.size()))) doomed.push_back(term);
  }
  for (const std::string& term : doomed) {
    db_.delete_document(term);
    ++pending_changes_;
    pending_rewrite_ = true;
  }
  return doomed.size();
}

void IndexWriter::record_versions(Xapian::WritableDatabase& db, bool rewrote) {
  db.set_metadata(metadata_key::kAnalyzer, analyzer_.version());
  db.set_metadata(metadata_key::kSchema, schema_version_string());
  db.set_metadata(metadata_key::kIcu, icu_version());
  db.set_metadata(metadata_key::kSchemaFields, schema_.fields_json());
  db.set_metadata(metadata_key::kSchemaOrganisations, schema_.organisations_json());
  db.set_metadata(metadata_key::kSchemaAreas, schema_.areas_json());
  db.set_metadata(metadata_key::kSchemaSynonyms, schema_.synonyms_json());  // empty: removes it
  db.set_metadata(metadata_key::kSchemaFingerprint, schema_.fingerprint());
  db.set_metadata(metadata_key::kBodyDictionary, dictionary_.bytes());     // empty: removes it
  db.set_metadata(metadata_key::kCommonWords, common_words_.serialise());  // empty: removes it
  const std::string build_id = new_build_id();
  db.set_metadata(metadata_key::kBuildId, build_id);
  db.set_metadata(metadata_key::kIndexedAt, utc_timestamp(std::time(nullptr)));
  if (rewrote) last_rewrite_ = build_id;
  db.set_metadata(metadata_key::kRewrites, rewrites_value(last_rewrite_, build_id));
}

void IndexWriter::commit() {
  guarded([&] {
    if (segments_) {
      publish_segments();
      segments_.reset();
      return;
    }
    drain_prepared(0);
    // Every commit() regroups, even with no change: the pass writes only
    // what differs, and so repairs groups an interrupted run left behind.
    if (options_.group_near_duplicates) grouping_ = regroup_near_duplicates(db_);
    if (grouping_.rewritten_documents > 0) {
      pending_regrouping_ = true;
      pending_rewrite_ = true;  // old documents' group values changed
    }
    commit_changes();
  });
}

void IndexWriter::commit_regrouped() {
  guarded([&] {
    pending_regrouping_ = true;
    pending_rewrite_ = true;  // old documents' group values changed
    commit_changes();
  });
}

void IndexWriter::commit_changes() {
  // Nothing to record: keep the build id, which names the index's content.
  if (pending_changes_ == 0 && !pending_regrouping_ &&
      db_.get_metadata(metadata_key::kAnalyzer) == analyzer_.version() &&
      db_.get_metadata(metadata_key::kSchemaFingerprint) == schema_.fingerprint() &&
      db_.get_metadata(metadata_key::kSchemaSynonyms) == schema_.synonyms_json()) {
    return;
  }
  record_versions(db_, pending_rewrite_);
  db_.commit();
  last_commit_ = std::chrono::steady_clock::now();
  committed_changes_ += pending_changes_;
  pending_changes_ = 0;
  pending_rewrite_ = false;
  pending_regrouping_ = false;
}

}  // namespace policy
