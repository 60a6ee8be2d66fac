#include "core/index_reader.h"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <system_error>
#include <thread>

#include "core/hashing.h"

namespace policy {
namespace {

// "policy-analyzer/1 stem=english" -> "english"
std::string recorded_stem_language(const std::string& recorded) {
  const std::size_t at = recorded.find(" stem=");
  return at == std::string::npos ? std::string("english") : recorded.substr(at + 6);
}

// Whether `path` is a directory holding a glass database (policy-index
// writes no other kind): its version file is there, whatever else is wrong.
bool holds_glass_database(const std::string& path) {
  std::error_code error;
  return std::filesystem::is_regular_file(std::filesystem::path(path) / "iamglass", error);
}

// The error for a path that holds no index: nothing there (or an empty
// folder), where an index can be built; or something else, most often the
// documents' folder given as --index.
IndexError not_an_index(const std::string& path, const std::string& why) {
  std::error_code error;
  const bool exists = std::filesystem::exists(path, error);
  if (!exists || (std::filesystem::is_directory(path, error) && std::filesystem::is_empty(path, error))) {
    return IndexError("no index at '" + path + "'; build one with: policy-index --index " + path + " DOCUMENTS...");
  }
  return IndexError("'" + path + "' is not a policy-search index (" + why +
                    "); build one with: policy-index --index NEW_DIR DOCUMENTS..., then search --index NEW_DIR");
}

}  // namespace

std::vector<ShardHealth> probe_databases(const std::string& path, unsigned remote_timeout_ms) {
  const auto probe = [](const std::string& name, bool remote, const std::function<Xapian::Database()>& open) {
    ShardHealth health;
    health.name = name;
    health.remote = remote;
    const auto started = std::chrono::steady_clock::now();
    try {
      health.documents = open().get_doccount();
      health.answers = true;
    } catch (const Xapian::Error& e) {
      health.error = e.get_description();
    }
    health.milliseconds = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    return health;
  };
  const std::optional<std::filesystem::path> stub = stub_file_of(path);
  if (!stub) return {probe(path, false, [&] { return Xapian::Database(path); })};
  std::vector<ShardHealth> all;
  for (const ShardLocation& location : read_stub(*stub)) {
    all.push_back(probe(location.name(), location.remote(), [&] { return open_shard(location, remote_timeout_ms); }));
  }
  return all;
}

IndexReader::IndexReader(std::string path, unsigned remote_timeout_ms)
    : path_(std::move(path)), remote_timeout_ms_(remote_timeout_ms) {
  for (int attempt = 0;; ++attempt) {
    try {
      opened_directory_ = directory_identity();
      open_database();
      // A stub's identity covers its shards, known once it is read.
      if (sharded()) opened_directory_ = directory_identity();
      break;
    } catch (const Xapian::DatabaseModifiedError& e) {
      // Opening reads too, and commits can discard what it read.
      if (attempt >= kMaxReadAttempts) throw IndexError("cannot open index '" + path_ + "': " + e.get_description());
    } catch (const Xapian::Error& e) {
      if (!holds_glass_database(path_) && !stub_file_of(path_)) throw not_an_index(path_, "no Xapian database found");
      throw IndexError("cannot open index '" + path_ + "': " + e.get_description());
    }
    pause_before(attempt + 1);
  }
  // Metadata reads, like every read, are retried across concurrent commits.
  const std::string recorded = retrying([&] { return db_.get_metadata(metadata_key::kAnalyzer); });
  if (recorded.empty()) {
    throw not_an_index(path_, "a Xapian database that records no analyzer version");
  }
  try {
    analyzer_ = std::make_unique<Analyzer>(AnalyzerOptions{recorded_stem_language(recorded)});
  } catch (const std::exception& e) {
    throw IndexError("index '" + path_ + "' records analyzer '" + recorded + "': " + e.what());
  }
  const std::string schema = retrying([&] { return db_.get_metadata(metadata_key::kSchema); });
  if (recorded != analyzer_->version() || schema != schema_version_string()) {
    throw IndexError("index '" + path_ + "' was built with " + recorded + " and " + schema + "; this searcher uses " +
                     analyzer_->version() + " and " + schema_version_string() +
                     "; rebuild it: policy-index --rebuild --index " + path_ + " DIR...");
  }
  retrying([&] { load_schema(); });
}

void IndexReader::pause_before(int attempt) {
  if (attempt < 2) return;
  std::this_thread::sleep_for(std::chrono::milliseconds(1 << std::min(attempt - 2, 7)));
}

void IndexReader::reopen_for_retry() {
  if (directory_identity() != opened_directory_) {
    open_replaced();
  } else {
    db_.reopen();
    note_revision();
  }
}

bool IndexReader::index_moved_on() const {
  if (directory_identity() != opened_directory_) return true;
  try {
    if (!sharded()) return Xapian::Database(path_).get_revision() != db_.get_revision();
    // Remote shards give no revision to compare: only local ones tell.
    for (std::size_t i = 0; i < shards_.size(); ++i) {
      if (shard_locations_[i].remote()) continue;
      if (Xapian::Database(shard_locations_[i].path.string()).get_revision() != shards_[i].get_revision()) return true;
    }
    return false;
  } catch (const Xapian::Error&) {
    return true;  // unreadable right now: a commit or a swap under way
  }
}

std::uint64_t IndexReader::directory_identity() const {
  const auto identity = [](const std::string& path) -> std::uint64_t {
    struct stat info {};
    if (stat(path.c_str(), &info) != 0) return 0;
    return (static_cast<std::uint64_t>(info.st_dev) << 40) ^ static_cast<std::uint64_t>(info.st_ino);
  };
  if (!sharded()) return identity(path_);
  // policy-index rewrites a stub by renaming a new one into place and
  // swaps a rebuilt shard's directory: either changes an inode here.
  Fnv1a64 hash;
  const auto add = [&](std::uint64_t value) { hash.add(std::string_view(reinterpret_cast<const char*>(&value), 8)); };
  add(identity(path_));
  if (const std::optional<std::filesystem::path> stub = stub_file_of(path_)) add(identity(stub->string()));
  for (const ShardLocation& shard : shard_locations_) {
    if (shard.remote()) continue;
    add(identity(shard.path.string()));
    // A replica's directory (xapian-replicate) is a stub naming its live
    // copy, rewritten when a full copy replaces it.
    struct stat stub {};
    if (stat((shard.path / kStubFileName).c_str(), &stub) == 0) {
      add(static_cast<std::uint64_t>(stub.st_ino));
      add(static_cast<std::uint64_t>(stub.st_mtim.tv_sec) * 1000000000ull +
          static_cast<std::uint64_t>(stub.st_mtim.tv_nsec));
    }
  }
  return hash.value();
}

void IndexReader::open_database() {
  const std::optional<std::filesystem::path> stub = stub_file_of(path_);
  if (!stub) {
    db_ = Xapian::Database(path_);
    shards_.clear();
    shard_locations_.clear();
    note_revision();
    return;
  }
  std::vector<ShardLocation> locations = read_stub(*stub);
  std::vector<Xapian::Database> shards;
  Xapian::Database combined;
  for (const ShardLocation& location : locations) {
    try {
      shards.push_back(open_shard(location, remote_timeout_ms_));
    } catch (const Xapian::DatabaseModifiedError&) {
      throw;  // retried
    } catch (const Xapian::Error& e) {
      throw ShardUnavailableError("index '" + path_ + "': shard " + location.name() + " cannot be opened: " +
                                  e.get_description() + "; no search is answered without its documents");
    }
    combined.add_database(shards.back());
  }
  db_ = std::move(combined);
  shards_ = std::move(shards);
  shard_locations_ = std::move(locations);
  note_revision();
}

std::vector<std::string> IndexReader::stored_per_database(const char* key) const {
  if (!sharded()) return {db_.get_metadata(key)};
  std::vector<std::string> stored;
  for (const Xapian::Database& shard : shards_) stored.push_back(shard.get_metadata(key));
  return stored;
}

std::string IndexReader::signature_of(const std::vector<std::string>& dictionaries,
                                      const std::vector<std::string>& common_words) {
  Fnv1a64 hash;
  for (const std::string& bytes : dictionaries) hash.add(bytes).add_byte(0);
  for (const std::string& words : common_words) hash.add(words).add_byte(0);
  return hash.hex();
}

void IndexReader::note_revision() {
  if (!sharded()) {
    revision_ = db_.get_revision();
    return;
  }
  Fnv1a64 hash;
  for (std::size_t i = 0; i < shards_.size(); ++i) {
    const Xapian::Database& shard = shards_[i];
    if (shard_locations_[i].remote()) {
      hash.add(shard.get_metadata(metadata_key::kBuildId));
      hash.add_byte(0).add(std::to_string(shard.get_doccount()));
      hash.add_byte(0).add(std::to_string(shard.get_lastdocid()));
    } else {
      hash.add(std::to_string(shard.get_revision()));
    }
    hash.add_byte(0);
  }
  revision_ = hash.value();
}

void IndexReader::open_replaced() {
  opened_directory_ = directory_identity();
  open_database();
  if (sharded()) opened_directory_ = directory_identity();
  load_schema();
  connection_lost_ = false;
}

ShardUnavailableError IndexReader::shard_failure(const Xapian::NetworkError& e) {
  connection_lost_ = true;
  std::string silent;
  for (const ShardHealth& shard : shard_health()) {
    if (shard.answers) continue;
    silent += (silent.empty() ? "" : ", ") + shard.name + " (" + shard.error + ")";
  }
  if (silent.empty()) silent = "a remote shard (" + e.get_description() + "; it answers again now)";
  return ShardUnavailableError("index '" + path_ + "': shard " + silent +
                               " does not answer; no search is answered without its documents");
}

std::vector<ShardHealth> IndexReader::shard_health() const { return probe_databases(path_, remote_timeout_ms_); }

void IndexReader::load_schema() {
  try {
    schema_ = std::make_unique<Schema>(Schema::parse(
        db_.get_metadata(metadata_key::kSchemaFields), db_.get_metadata(metadata_key::kSchemaOrganisations),
        db_.get_metadata(metadata_key::kSchemaAreas), path_ + " (stored schema)",
        db_.get_metadata(metadata_key::kSchemaSynonyms)));
  } catch (const SchemaError& e) {
    throw IndexError(std::string("index '") + path_ + "' holds an unreadable schema: " + e.what());
  }
  schema_fingerprint_ = db_.get_metadata(metadata_key::kSchemaFingerprint);
  try {
    // Each shard trained its own: bodies decompress with their shard's.
    const std::vector<std::string> stored = stored_per_database(metadata_key::kBodyDictionary);
    std::vector<BodyDictionary> others;
    for (std::size_t i = 1; i < stored.size(); ++i) others.emplace_back(stored[i]);
    dictionary_ = BodyDictionary::with_others(BodyDictionary(stored.front()), others);
    // Each shard chose its own: a pair is searched only where all index it.
    const std::vector<std::string> stored_words = stored_per_database(metadata_key::kCommonWords);
    std::vector<CommonWords> word_sets;
    for (const std::string& words : stored_words) word_sets.push_back(CommonWords::parse(words));
    common_words_ = CommonWords::shared(word_sets);
    tables_ = signature_of(stored, stored_words);
  } catch (const std::runtime_error& e) {
    throw IndexError(std::string("index '") + path_ + "': " + e.what());
  }
  extractor_ = std::make_unique<FieldExtractor>(*schema_, *analyzer_);
  ++schema_generation_;
}

bool IndexReader::refresh() {
  if (directory_identity() != opened_directory_) {
    retrying([&] { open_replaced(); });
  } else {
    const std::uint64_t seen = revision_;
    retrying([&] {
      db_.reopen();
      note_revision();
    });
    if (revision_ == seen) return false;
  }
  const bool schema_changed = retrying([&] {
    const std::string recorded = db_.get_metadata(metadata_key::kAnalyzer);
    if (recorded != analyzer_->version() || db_.get_metadata(metadata_key::kSchema) != schema_version_string()) {
      throw IndexError("index '" + path_ + "' was rebuilt with " + recorded + "; restart with this index's version");
    }
    return db_.get_metadata(metadata_key::kSchemaFingerprint) != schema_fingerprint_ ||
           db_.get_metadata(metadata_key::kSchemaSynonyms) != schema_->synonyms_json() ||
           signature_of(stored_per_database(metadata_key::kBodyDictionary),
                        stored_per_database(metadata_key::kCommonWords)) != tables_;
  });
  if (schema_changed) retrying([&] { load_schema(); });
  return true;
}

std::optional<Xapian::docid> IndexReader::find(const std::string& id) const {
  const std::string id_term = std::string(prefix::kId) + id;
  Xapian::PostingIterator it = db_.postlist_begin(id_term);
  if (it == db_.postlist_end(id_term)) return std::nullopt;
  return *it;
}

nlohmann::json IndexReader::extraction_report(const StoredDocument& doc) const {
  const std::vector<Token> tokens = analyzer_->analyze(doc.text);
  std::vector<std::string> stems;
  stems.reserve(tokens.size());
  for (const Token& token : tokens) stems.push_back(analyzer_->stem(token.term));
  return extractor_->extract(doc.title, doc.text, tokens, stems, doc.metadata).report();
}

const std::vector<std::string>& IndexReader::languages() {
  const std::pair<std::uint64_t, std::uint64_t> now{opened_directory_, revision_};
  if (languages_read_at_ == now) return languages_;
  std::vector<std::string> read;
  const std::string language_prefix(prefix::kLanguage);
  for (auto it = db_.allterms_begin(language_prefix); it != db_.allterms_end(language_prefix); ++it) {
    read.push_back((*it).substr(language_prefix.size()));
  }
  languages_ = std::move(read);
  languages_read_at_ = now;
  return languages_;
}

IndexInfo IndexReader::info() {
  return retrying([&] {
    IndexInfo info;
    info.path = path_;
    info.documents = db_.get_doccount();
    info.analyzer = db_.get_metadata(metadata_key::kAnalyzer);
    info.schema = db_.get_metadata(metadata_key::kSchema);
    info.icu = db_.get_metadata(metadata_key::kIcu);
    info.build_id = db_.get_metadata(metadata_key::kBuildId);
    info.indexed_at = db_.get_metadata(metadata_key::kIndexedAt);
    return info;
  });
}

SlotReading IndexReader::slot_reading() const {
  for (const ShardLocation& location : shard_locations_) {
    if (location.remote()) return SlotReading::kMatch;
  }
  return SlotReading::kStream;
}

}  // namespace policy
