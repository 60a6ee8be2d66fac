#include "indexer/index_writer.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string_view>
#include <unordered_map>

#include <stdio.h>

#include "core/hashing.h"
#include "core/index_layout.h"
#include "core/timestamp.h"
#include "core/utf8.h"
#include "core/work_pool.h"

namespace policy {
namespace {

constexpr std::size_t kMaxDerivedTitleBytes = 150;
constexpr std::size_t kMaxTermBytes = 240;

// Content hashes: FNV-1a over the parts, each followed by 0xFF (which
// UTF-8 text never holds), so that ("ab", "c") and ("a", "bc") differ.
class PartsHash {
 public:
  void add(std::string_view part) { hash_.add(part).add_byte(0xFF); }
  std::string hex() const { return hash_.hex(); }

 private:
  Fnv1a64 hash_;
};

// A title for documents that give none: the first line of the cleaned text
// when it is short enough to be a heading, else the id.
std::string derive_title(const std::string& cleaned_text, const std::string& id) {
  const std::size_t end = cleaned_text.find('\n');
  std::string_view first_line = std::string_view(cleaned_text).substr(0, end);
  if (!first_line.empty() && first_line.size() <= kMaxDerivedTitleBytes) return std::string(first_line);
  return id;
}

std::string new_build_id() {
  std::random_device device;
  std::mt19937_64 random(device() ^
                         static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()));
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(random()));
  return buffer;
}

// Written by the writer holding the lock, so that a refused second writer can
// say who holds it: Xapian's lock is an open-file-description lock, whose
// owner F_GETLK cannot name.
constexpr const char* kWriterPidFile = "policy-index.pid";

std::string lock_holder(const std::string& path) {
  std::ifstream in(std::filesystem::path(path) / kWriterPidFile);
  long pid = 0;
  if (!(in >> pid) || pid <= 0 || kill(static_cast<pid_t>(pid), 0) != 0) return {};
  return "policy-index pid " + std::to_string(pid) + ", ";
}

// Whether `path` holds a Xapian database (else it is missing or empty).
bool holds_database(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return false;
  return !std::filesystem::is_directory(path, ec) || !std::filesystem::is_empty(path, ec);
}

// Why Xapian refused the write lock: held by another writer, or the lock
// file cannot be created (read-only directory or file system).
std::string lock_problem(const std::string& path) {
  if (access(path.c_str(), W_OK) != 0) {
    return "cannot write to index '" + path + "': " + std::strerror(errno) +
           " (a read-only directory or file system can be searched, not updated)";
  }
  return "index '" + path + "' is locked by another writer (" + lock_holder(path) + "lock file " + path +
         "/flintlock); wait for it to finish";
}

// Segments: a batch closes at kSegmentDocuments (or commit_every, if
// smaller) documents or at kBatchTextBytes of text, and the batches being
// written hold at most kTextInFlight bytes of text (plus one batch), which
// bounds the writer's memory whatever the corpus size and the number of
// jobs. Xapian adds each posting to an in-memory map per term, so small
// segments write faster (`policy-index --jobs 1 --commit-every N` compares
// sizes up to 128); merging more segments costs far less than that.
constexpr std::size_t kSegmentDocuments = 128;
constexpr std::size_t kBatchTextBytes = 8u << 20;
constexpr std::size_t kTextInFlight = 64u << 20;
// Segments merged by one compaction, which keeps about six files open per
// source; more segments are merged in rounds.
constexpr std::size_t kMergeFanIn = 32;

std::filesystem::path without_trailing_slash(const std::string& path) {
  std::filesystem::path p = std::filesystem::path(path).lexically_normal();
  if (p.filename().empty()) p = p.parent_path();  // "idx/"
  return p;
}

// Swaps two directories atomically; where the file system cannot
// (RENAME_EXCHANGE is missing), moves `target` aside first, which leaves a
// moment without `target`.
void exchange_directories(const std::filesystem::path& a, const std::filesystem::path& b) {
  if (renameat2(AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE) == 0) return;
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) {
    throw std::filesystem::filesystem_error("cannot swap in the new index", a, b,
                                            std::error_code(errno, std::generic_category()));
  }
  const std::filesystem::path aside = a.string() + ".old";
  std::filesystem::rename(b, aside);
  std::filesystem::rename(a, b);
  std::filesystem::rename(aside, a);
}

// Merges `sources` into a new database at `out`, documents renumbered in
// source order.
void compact_in_order(const std::vector<std::filesystem::path>& sources, const std::filesystem::path& out) {
  Xapian::Database all;
  for (const auto& source : sources) all.add_database(Xapian::Database(source.string()));
  all.compact(out.string(), Xapian::DBCOMPACT_MULTIPASS | Xapian::Compactor::FULL);
}

}  // namespace

struct IndexWriter::WorkerState {
  WorkerState(const AnalyzerOptions& options, const Schema& schema) : analyzer(options), extractor(schema, analyzer) {}
  Analyzer analyzer;
  FieldExtractor extractor;
};

// One segment's worth of documents, with their content hashes.
struct IndexWriter::Batch {
  std::size_t number = 0;
  std::vector<std::pair<SourceDocument, std::string>> documents;
  std::size_t text_bytes = 0;

  // Names the documents, their content and their place in the run: a
  // segment holding this key holds exactly this batch, indexed as now.
  std::string key() const {
    PartsHash hash;
    hash.add(std::to_string(number));
    for (const auto& [doc, content] : documents) {
      hash.add(doc.id);
      hash.add(content);
    }
    return hash.hex() + "/" + std::to_string(documents.size());
  }
};

struct IndexWriter::SegmentBuild {
  std::filesystem::path dir;  // INDEX.building
  Batch filling;
  // Batches held back until the bodies' dictionary is trained on their text.
  bool dictionary_trained = false;
  std::vector<std::shared_ptr<Batch>> held;
  std::size_t held_text_bytes = 0;
  std::size_t next_number = 0;
  std::size_t added = 0;
  struct Writing {
    std::future<void> done;
    std::filesystem::path segment;
    std::size_t documents;
    std::size_t text_bytes;
  };
  std::deque<Writing> writing;
  std::size_t text_in_flight = 0;
  std::vector<std::filesystem::path> finished;  // in input order
  std::size_t finished_documents = 0;
};

namespace {

// Records in `db`'s synonym table the (stem, exact word) pairs of `prepared`
// not in `known_variants` ("stem\0word" keys) yet: the query binder expands
// a stemmed word to those words.
void add_new_synonyms(const PreparedDocument& prepared, Xapian::WritableDatabase& db,
                      std::unordered_set<std::string>& known_variants) {
  for (const auto& [stem, word] : prepared.stem_variants) {
    if (known_variants.insert(stem + '\0' + word).second) db.add_synonym(std::string(prefix::kStemmed) + stem, word);
  }
}

// Writes `batch` into a segment database at `segment`, unless one holding
// it is there from an interrupted run. The segment appears only once
// committed: it is written at SEGMENT.tmp and renamed.
void write_segment(const std::filesystem::path& segment,
                   const std::vector<std::pair<SourceDocument, std::string>>& documents, const std::string& key,
                   const Analyzer& analyzer, const Schema& schema, const FieldExtractor& extractor,
                   const BodyDictionary& dictionary) {
  std::error_code ignored;
  if (std::filesystem::exists(segment, ignored)) {
    try {
      if (Xapian::Database(segment.string()).get_metadata(metadata_key::kSegmentKey) == key) return;
    } catch (const Xapian::Error&) {
    }
    std::filesystem::remove_all(segment);
  }
  const std::filesystem::path staging = segment.string() + ".tmp";
  std::filesystem::remove_all(staging);
  Xapian::WritableDatabase db(staging.string(), Xapian::DB_CREATE);
  std::unordered_set<std::string> known_variants;
  for (const auto& [doc, hash] : documents) {
    PreparedDocument prepared = prepare_document(doc, analyzer, schema, extractor, dictionary, hash);
    add_new_synonyms(prepared, db, known_variants);
    db.add_document(prepared.document);
  }
  db.set_metadata(metadata_key::kSegmentKey, key);
  db.commit();
  db.close();
  std::filesystem::rename(staging, segment);
}

}  // namespace

std::string content_hash(const SourceDocument& doc, const std::string& analyzer_version,
                         const std::string& schema_fingerprint) {
  PartsHash hash;
  hash.add(analyzer_version);
  hash.add(schema_version_string());
  hash.add(schema_fingerprint);
  hash.add(doc.id);
  hash.add(doc.title);
  hash.add(doc.source);
  hash.add(doc.metadata.dump());
  hash.add(doc.text);
  return hash.hex();
}

PreparedDocument prepare_document(const SourceDocument& source, const Analyzer& analyzer, const Schema& schema,
                                  const FieldExtractor& extractor, const BodyDictionary& dictionary, std::string hash) {
  PreparedDocument prepared;
  prepared.id = source.id;
  prepared.id_term = std::string(prefix::kId) + source.id;
  prepared.content_hash = std::move(hash);

  StoredDocument stored;
  stored.id = source.id;
  stored.source = source.source;
  stored.metadata = source.metadata;
  stored.text = clean_extracted_text(source.text, &prepared.cleaning);
  stored.title = source.title.empty() ? derive_title(stored.text, source.id) : source.title;

  Xapian::Document& doc = prepared.document;
  const std::vector<Token> body = analyzer.analyze(stored.text);
  std::vector<std::string> stems;
  stems.reserve(body.size());
  stored.offsets.reserve(body.size());
  // Each distinct word is stemmed once: a document repeats its words (a
  // few hundred distinct ones among its tokens), and this small table stays
  // in cache where the analyzer's stem cache, shared by the whole corpus,
  // does not. Keys view the tokens of `body`.
  std::unordered_map<std::string_view, std::uint32_t> distinct;
  std::vector<std::string> distinct_stems;
  // Body stems are not indexed as terms of their own: a stemmed query word
  // is the OP_SYNONYM of the exact words that share its stem, which the
  // synonym table lists (see QueryBinder). The same matches, with a third
  // fewer postings to write and store.
  for (const Token& token : body) {
    doc.add_posting(token.term, to_xapian_position(token.position));
    const auto [known, first_time] =
        distinct.try_emplace(token.term, static_cast<std::uint32_t>(distinct_stems.size()));
    if (first_time) {
      distinct_stems.push_back(analyzer.stem(token.term));
      if (distinct_stems.back() != token.term) prepared.stem_variants.emplace_back(distinct_stems.back(), token.term);
    }
    stems.push_back(distinct_stems[known->second]);
    stored.offsets.push_back(TokenOffsets{token.begin, token.end});
  }
  for (const Token& token : analyzer.analyze(stored.title)) {
    doc.add_posting(std::string(prefix::kTitle) + token.term, to_xapian_position(token.position));
    doc.add_term(std::string(prefix::kStemmedTitle) + analyzer.stem(token.term));
  }

  const ExtractedFields extracted = extractor.extract(stored.title, stored.text, body, stems, stored.metadata);
  stored.fields = nlohmann::json::object();
  for (const FieldSpec& field : schema.fields()) {
    auto found = extracted.values.find(field.name);
    if (found == extracted.values.end()) continue;
    std::vector<std::pair<std::string, std::string>> slot_values;
    nlohmann::json shown = nlohmann::json::array();
    for (const FieldValue& value : found->second) {
      const std::string term = field.prefix + value.key;
      if (term.size() > kMaxTermBytes) continue;  // Xapian's limit; such a key is no useful filter
      doc.add_boolean_term(term);
      slot_values.emplace_back(value.key, value.display);
      shown.push_back(value.display);
    }
    if (field.slot) {
      doc.add_value(*field.slot, encode_field_values(schema, field, slot_values));
    } else {
      stored.fields[field.name] = std::move(shown);  // kept in the header only without a slot
    }
  }

  doc.add_boolean_term(prepared.id_term);
  doc.add_value(slot::kContentHash, prepared.content_hash);
  doc.add_value(slot::kRecordHeader, stored.serialise_header());
  doc.add_value(slot::kBody, stored.serialise_body(dictionary));
  return prepared;
}

IndexWriter::IndexWriter(const std::string& path, const Analyzer& analyzer, const Schema& schema,
                         const IndexWriterOptions& options)
    : path_(without_trailing_slash(path).string()),
      analyzer_(analyzer),
      schema_(schema),
      extractor_(schema, analyzer),
      options_(options) {
  if (options_.jobs == 0) options_.jobs = std::max(1u, std::thread::hardware_concurrency());
  if (options_.commit_every == 0) options_.commit_every = 1;
  options_.dictionary_sample_bytes = std::min(options_.dictionary_sample_bytes, BodyDictionary::kMaxSampleBytes);
  std::error_code ignored;
  real_path_ = std::filesystem::canonical(path_, ignored);  // empty when missing
  if (real_path_.empty()) real_path_ = path_;
  try {
    if (!holds_database(real_path_)) create_in_place(real_path_);
    try {
      db_ = Xapian::WritableDatabase(path_, Xapian::DB_OPEN);
    } catch (const Xapian::DatabaseLockError&) {
      throw;
    } catch (const Xapian::DatabaseError&) {
      // Not a readable index: --rebuild replaces it (in place, as there is
      // nothing to keep), anything else reports it.
      if (!options.rebuild) throw;
      db_ = Xapian::WritableDatabase(path_, Xapian::DB_CREATE_OR_OVERWRITE);
    }
  } catch (const Xapian::DatabaseLockError&) {
    throw IndexError(lock_problem(path_));
  } catch (const Xapian::Error& e) {
    throw IndexError("cannot open index '" + path_ + "' for writing: " + e.get_description());
  }
  const std::string recorded_analyzer = db_.get_metadata(metadata_key::kAnalyzer);
  const std::string recorded_schema = db_.get_metadata(metadata_key::kSchema);
  if (!options.rebuild && (db_.get_doccount() > 0 || !recorded_analyzer.empty())) {
    if (recorded_analyzer != analyzer.version() || recorded_schema != schema_version_string()) {
      throw IndexError("index '" + path_ + "' was built with " +
                       (recorded_analyzer.empty() ? std::string("an unknown analyzer") : recorded_analyzer) + " and " +
                       (recorded_schema.empty() ? std::string("an unknown schema") : recorded_schema) +
                       "; this indexer uses " + analyzer.version() + " and " + schema_version_string() +
                       "; rebuild it with --rebuild");
    }
  }
  if (options_.jobs > 1) {
    for (std::size_t i = 0; i < options_.jobs; ++i) {
      workers_.push_back(std::make_unique<WorkerState>(analyzer.options(), schema));
    }
    pool_ = std::make_unique<WorkPool>(options_.jobs);
  }
  const std::filesystem::path build_dir = real_path_.string() + ".building";
  if (options.rebuild || db_.get_doccount() == 0) {
    segments_ = std::make_unique<SegmentBuild>();
    segments_->dir = build_dir;
    try {
      std::filesystem::create_directories(build_dir);
    } catch (const std::filesystem::filesystem_error& e) {
      throw IndexError("cannot write beside index '" + path_ + "' (segments go to " + build_dir.string() +
                       "): " + e.code().message());
    }
  } else {
    // Segments of an interrupted rebuild that this run does not continue.
    std::filesystem::remove_all(build_dir, ignored);
    try {
      dictionary_ = BodyDictionary(db_.get_metadata(metadata_key::kBodyDictionary));
    } catch (const std::runtime_error& e) {
      throw IndexError("index '" + path_ + "': " + e.what() + "; rebuild it with --rebuild");
    }
    // Without a value this writer can trust (an older writer committed
    // last), the first commit counts as a rewrite: it cannot tell what that
    // writer changed, and neither can a searcher.
    const std::optional<std::string> last_rewrite =
        last_rewrite_of(db_.get_metadata(metadata_key::kRewrites), db_.get_metadata(metadata_key::kBuildId));
    last_rewrite_ = last_rewrite.value_or("");
    pending_rewrite_ = !last_rewrite;
  }
  // Last, as nothing below throws: the destructor removes it. Best effort:
  // without the pid file a lock message only names the lock.
  std::ofstream pid_out(std::filesystem::path(path_) / kWriterPidFile, std::ios::trunc);
  pid_out << getpid() << "\n";
  pid_file_written_ = static_cast<bool>(pid_out.flush());
  if (!pid_file_written_) std::filesystem::remove(std::filesystem::path(path_) / kWriterPidFile, ignored);
}

void IndexWriter::create_in_place(const std::string& path) {
  const std::filesystem::path target(path);
  const std::filesystem::path staging = target.string() + ".creating-" + std::to_string(getpid());
  std::error_code ignored;
  std::filesystem::remove_all(staging, ignored);
  {
    Xapian::WritableDatabase staged(staging.string(), Xapian::DB_CREATE);
    record_versions(staged, /*rewrote=*/true);
    staged.commit();
  }
  // rename() is atomic; it fails when another writer created the index
  // first, which is as good.
  std::filesystem::rename(staging, target, ignored);
  std::filesystem::remove_all(staging, ignored);
}

void IndexWriter::fail(const std::string& reason) {
  failed_ = true;
  std::string kept = "its last commit";
  try {
    kept += " (" + std::to_string(Xapian::Database(path_).get_doccount()) + " documents)";
  } catch (const Xapian::Error&) {
  }
  throw IndexError("cannot write to index '" + path_ + "': " + reason + "; the index keeps " + kept +
                   "; free space (or fix what the error names) and run the same command again");
}

template <typename Action>
auto IndexWriter::guarded(Action&& action) -> decltype(action()) {
  if (failed_) throw IndexError("index '" + path_ + "': an earlier write failed; nothing more is written");
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
        segments_ ? segments_->added > 0 || options_.rebuild : pending_changes_ > 0 || !preparing_.empty();
    if (pending && !failed_) commit();
    // A run that added nothing to a new index leaves no segments behind.
    if (segments_ && segments_->added == 0 && !failed_) std::filesystem::remove_all(segments_->dir);
  } catch (...) {
    // Destructors must not throw; an uncommitted batch is lost, as after a crash.
  }
  pool_.reset();  // joins the workers before the state their tasks use goes
  std::error_code ignored;
  if (pid_file_written_) std::filesystem::remove(std::filesystem::path(path_) / kWriterPidFile, ignored);
}

std::size_t IndexWriter::committed_changes() const { return committed_changes_; }

IndexWriter::Outcome IndexWriter::add(SourceDocument doc) {
  return guarded([&] { return add_or_replace(std::move(doc)); });
}

IndexWriter::Outcome IndexWriter::add_or_replace(SourceDocument doc) {
  std::string hash = content_hash(doc, analyzer_.version(), schema_.fingerprint());
  if (segments_) {
    Batch& batch = segments_->filling;
    batch.text_bytes += doc.text.size();
    batch.documents.emplace_back(std::move(doc), std::move(hash));
    ++segments_->added;
    if (batch.documents.size() >= std::min(options_.commit_every, kSegmentDocuments) ||
        batch.text_bytes >= kBatchTextBytes) {
      submit_batch();
    }
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
    PreparedDocument prepared = prepare_document(doc, analyzer_, schema_, extractor_, dictionary_, std::move(hash));
    write_prepared(prepared, db_, known_variants_);
    return outcome;
  }
  auto shared = std::make_shared<SourceDocument>(std::move(doc));
  preparing_.push_back(pool_->submit([this, shared, hash = std::move(hash)](std::size_t worker) {
    return prepare_document(*shared, workers_[worker]->analyzer, schema_, workers_[worker]->extractor, dictionary_,
                            hash);
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
  if (++pending_changes_ >= options_.commit_every) commit_changes();
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

void IndexWriter::submit_batch() {
  SegmentBuild& build = *segments_;
  if (build.filling.documents.empty()) return;
  auto batch = std::make_shared<Batch>(std::move(build.filling));
  build.filling = Batch{};
  batch->number = build.next_number++;
  if (build.dictionary_trained) {
    dispatch_batch(std::move(batch));
    return;
  }
  build.held_text_bytes += batch->text_bytes;
  build.held.push_back(std::move(batch));
  if (build.held_text_bytes >= options_.dictionary_sample_bytes) train_dictionary();
}

// Trains the bodies' dictionary on the text of the first documents (the
// held batches, in input order, up to options_.dictionary_sample_bytes: the
// same documents for any number of jobs), then writes the held batches.
// The sample is cleaned as the stored text is: that is what the dictionary
// compresses. Each document's cleaning reads no more of it than the sample
// has room for, so a huge first document costs no more than a small one.
void IndexWriter::train_dictionary() {
  SegmentBuild& build = *segments_;
  const std::size_t budget = options_.dictionary_sample_bytes;
  std::vector<std::string> cleaned;
  std::size_t sampled = 0;
  for (const auto& batch : build.held) {
    for (const auto& [doc, hash] : batch->documents) {
      if (sampled >= budget) break;
      cleaned.push_back(clean_extracted_text(utf8_prefix(doc.text, budget - sampled)));
      sampled += cleaned.back().size();
    }
  }
  dictionary_ = BodyDictionary::train(cleaned);
  build.dictionary_trained = true;
  std::vector<std::shared_ptr<Batch>> held = std::move(build.held);
  build.held.clear();
  build.held_text_bytes = 0;
  for (auto& batch : held) dispatch_batch(std::move(batch));
}

void IndexWriter::dispatch_batch(std::shared_ptr<Batch> batch) {
  SegmentBuild& build = *segments_;
  char name[32];
  std::snprintf(name, sizeof name, "seg-%08zu", batch->number);
  const std::filesystem::path segment = build.dir / name;
  // A segment of an interrupted run is reused only with the same dictionary.
  const std::string key = batch->key() + "/dictionary-" + std::to_string(dictionary_.id()) + "-" +
                          std::to_string(dictionary_.bytes().size());
  if (!pool_) {
    write_segment(segment, batch->documents, key, analyzer_, schema_, extractor_, dictionary_);
    build.finished.push_back(segment);
    build.finished_documents += batch->documents.size();
    return;
  }
  // Bounded memory: at most two batches per worker wait or are written, and
  // at most kTextInFlight bytes of text (or one batch) are held. One waiting
  // per worker, so that a worker done with its segment starts the next at
  // once: this thread waits for the oldest segment, which may finish last.
  while (!build.writing.empty() &&
         (build.writing.size() >= 2 * options_.jobs || build.text_in_flight + batch->text_bytes > kTextInFlight)) {
    finish_batches(build.writing.size() - 1);
  }
  SegmentBuild::Writing writing{{}, segment, batch->documents.size(), batch->text_bytes};
  writing.done = pool_->submit([this, batch, segment, key](std::size_t worker) {
    write_segment(segment, batch->documents, key, workers_[worker]->analyzer, schema_, workers_[worker]->extractor,
                  dictionary_);
  });
  build.text_in_flight += batch->text_bytes;
  build.writing.push_back(std::move(writing));
}

// Waits for the oldest segments being written until `keep_in_flight` are left.
void IndexWriter::finish_batches(std::size_t keep_in_flight) {
  SegmentBuild& build = *segments_;
  while (build.writing.size() > keep_in_flight) {
    SegmentBuild::Writing writing = std::move(build.writing.front());
    build.writing.pop_front();
    build.text_in_flight -= writing.text_bytes;
    writing.done.get();
    build.finished.push_back(writing.segment);
    build.finished_documents += writing.documents;
  }
}

// Merges the finished segments in order into INDEX.building/merged, records
// the versions there, swaps it with the index and goes on in place on it.
void IndexWriter::publish_segments() {
  SegmentBuild& build = *segments_;
  submit_batch();
  if (!build.dictionary_trained) train_dictionary();
  finish_batches(0);
  std::vector<std::filesystem::path> sources = build.finished;
  for (std::size_t round = 0; sources.size() > kMergeFanIn; ++round) {
    // Rounds of merges of kMergeFanIn consecutive segments, on the workers.
    std::vector<std::filesystem::path> merged;
    std::vector<std::future<void>> merging;
    for (std::size_t first = 0; first < sources.size(); first += kMergeFanIn) {
      std::vector<std::filesystem::path> group(
          sources.begin() + static_cast<std::ptrdiff_t>(first),
          sources.begin() + static_cast<std::ptrdiff_t>(std::min(sources.size(), first + kMergeFanIn)));
      merged.push_back(build.dir / ("merge-" + std::to_string(round) + "-" + std::to_string(merged.size())));
      auto merge = [group = std::move(group), out = merged.back()](std::size_t) {
        std::filesystem::remove_all(out);
        compact_in_order(group, out);
        for (const auto& source : group) std::filesystem::remove_all(source);
      };
      if (pool_) {
        merging.push_back(pool_->submit(std::move(merge)));
      } else {
        merge(0);
      }
    }
    for (std::future<void>& done : merging) done.get();
    sources = std::move(merged);
  }
  const std::filesystem::path merged = build.dir / "merged";
  std::filesystem::remove_all(merged);
  if (sources.empty()) {
    Xapian::WritableDatabase(merged.string(), Xapian::DB_CREATE).commit();
  } else {
    compact_in_order(sources, merged);
  }
  {
    Xapian::WritableDatabase finished(merged.string(), Xapian::DB_OPEN);
    record_versions(finished, /*rewrote=*/true);
    finished.set_metadata(metadata_key::kSegmentKey, "");
    finished.commit();
    finished.close();
  }
  // The old index (still locked by db_) moves to `merged`; the new one is
  // locked by opening it before db_ lets go.
  exchange_directories(merged, real_path_);
  Xapian::WritableDatabase published(path_, Xapian::DB_OPEN);
  db_.close();
  db_ = published;
  if (pid_file_written_) {
    std::ofstream pid_out(std::filesystem::path(path_) / kWriterPidFile, std::ios::trunc);
    pid_out << getpid() << "\n";
  }
  committed_changes_ += build.finished_documents;
  std::error_code ignored;
  std::filesystem::remove_all(build.dir, ignored);
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
  db.set_metadata(metadata_key::kSchemaFingerprint, schema_.fingerprint());
  db.set_metadata(metadata_key::kBodyDictionary, dictionary_.bytes());  // empty: removes it
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
    commit_changes();
  });
}

void IndexWriter::commit_changes() {
  // Nothing to record: keep the build id, which names the index's content.
  if (pending_changes_ == 0 && db_.get_metadata(metadata_key::kAnalyzer) == analyzer_.version() &&
      db_.get_metadata(metadata_key::kSchemaFingerprint) == schema_.fingerprint()) {
    return;
  }
  record_versions(db_, pending_rewrite_);
  db_.commit();
  committed_changes_ += pending_changes_;
  pending_changes_ = 0;
  pending_rewrite_ = false;
}

}  // namespace policy
