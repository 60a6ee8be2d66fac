#include "policy/index_writer.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "policy/index_schema.h"

namespace policy {
namespace {

constexpr std::size_t kMaxDerivedTitleBytes = 150;
constexpr std::size_t kMaxTermBytes = 240;

class Fnv1a64 {
 public:
  void add(std::string_view bytes) {
    for (unsigned char c : bytes) {
      hash_ ^= c;
      hash_ *= 1099511628211ull;
    }
    // Separator so that ("ab","c") and ("a","bc") differ.
    hash_ ^= 0xFF;
    hash_ *= 1099511628211ull;
  }
  std::string hex() const {
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(hash_));
    return buffer;
  }

 private:
  std::uint64_t hash_ = 14695981039346656037ull;
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
  std::mt19937_64 random(device() ^ static_cast<std::uint64_t>(
                                        std::chrono::steady_clock::now().time_since_epoch().count()));
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(random()));
  return buffer;
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
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

}  // namespace

std::string content_hash(const SourceDocument& doc, const std::string& analyzer_version,
                         const std::string& schema_fingerprint) {
  Fnv1a64 hash;
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
                                  const FieldExtractor& extractor, std::string hash) {
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
  std::unordered_set<std::string> variants_seen;
  const std::vector<Token> body = analyzer.analyze(stored.text);
  std::vector<std::string> stems;
  stems.reserve(body.size());
  stored.offsets.reserve(body.size());
  for (const Token& token : body) {
    doc.add_posting(token.term, to_xapian_position(token.position));
    std::string stem = analyzer.stem(token.term);
    if (stem != token.term && variants_seen.insert(token.term).second) {
      prepared.stem_variants.emplace_back(stem, token.term);
    }
    doc.add_term(std::string(prefix::kStemmed) + stem);
    stems.push_back(std::move(stem));
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
    if (field.slot) doc.add_value(*field.slot, encode_field_values(slot_values));
    stored.fields[field.name] = std::move(shown);
  }
  stored.extraction = extracted.report();

  doc.add_boolean_term(prepared.id_term);
  doc.add_value(slot::kContentHash, prepared.content_hash);
  doc.set_data(stored.serialise());
  return prepared;
}

IndexWriter::IndexWriter(const std::string& path, const Analyzer& analyzer, const Schema& schema,
                         const IndexWriterOptions& options)
    : path_(path), analyzer_(analyzer), schema_(schema), extractor_(schema, analyzer), options_(options) {
  try {
    if (!options.rebuild && !holds_database(path)) create_in_place(path);
    db_ = Xapian::WritableDatabase(path, options.rebuild ? Xapian::DB_CREATE_OR_OVERWRITE
                                                         : Xapian::DB_CREATE_OR_OPEN);
    if (options.rebuild) commit_changes();  // versions first, as create_in_place() does
  } catch (const Xapian::DatabaseLockError&) {
    throw IndexError(lock_problem(path));
  } catch (const Xapian::Error& e) {
    throw IndexError("cannot open index '" + path + "' for writing: " + e.get_description());
  }
  const std::string recorded_analyzer = db_.get_metadata(metadata_key::kAnalyzer);
  const std::string recorded_schema = db_.get_metadata(metadata_key::kSchema);
  if (db_.get_doccount() > 0 || !recorded_analyzer.empty()) {
    if (recorded_analyzer != analyzer.version() || recorded_schema != schema_version_string()) {
      throw IndexError("index '" + path + "' was built with " +
                       (recorded_analyzer.empty() ? std::string("an unknown analyzer") : recorded_analyzer) +
                       " and " + (recorded_schema.empty() ? std::string("an unknown schema") : recorded_schema) +
                       "; this indexer uses " + analyzer.version() + " and " + schema_version_string() +
                       "; rebuild it with --rebuild");
    }
  }
  // Best effort: without the pid file a lock message only names the lock.
  std::ofstream pid_out(std::filesystem::path(path) / kWriterPidFile, std::ios::trunc);
  pid_out << getpid() << "\n";
  pid_file_written_ = static_cast<bool>(pid_out.flush());
  std::error_code ignored;
  if (!pid_file_written_) std::filesystem::remove(std::filesystem::path(path) / kWriterPidFile, ignored);
}

void IndexWriter::create_in_place(const std::string& path) {
  std::filesystem::path target = std::filesystem::path(path).lexically_normal();
  if (target.filename().empty()) target = target.parent_path();  // "idx/"
  const std::filesystem::path staging = target.string() + ".creating-" + std::to_string(getpid());
  std::error_code ignored;
  std::filesystem::remove_all(staging, ignored);
  {
    Xapian::WritableDatabase staged(staging.string(), Xapian::DB_CREATE);
    record_versions(staged);
    // Xapian 1.4 creates the document-data table lazily, and one first
    // written by a later session is not compressed (measured: 99 MB of
    // docdata instead of 37 MB for 10,000 documents). Writing a record here
    // creates it now, compressed; the probe document is gone by the commit.
    Xapian::Document probe;
    probe.set_data("probe");
    staged.delete_document(staged.add_document(probe));
    staged.commit();
  }
  // rename() is atomic; it fails when another writer created the index
  // first, which is as good.
  std::filesystem::rename(staging, target, ignored);
  std::filesystem::remove_all(staging, ignored);
}

void IndexWriter::fail(const Xapian::Error& e) {
  failed_ = true;
  std::string kept = "its last commit";
  try {
    kept += " (" + std::to_string(Xapian::Database(path_).get_doccount()) + " documents)";
  } catch (const Xapian::Error&) {
  }
  throw IndexError("cannot write to index '" + path_ + "': " + e.get_description() + "; the index keeps " + kept +
                   "; free space (or fix what the error names) and run the same command again");
}

IndexWriter::~IndexWriter() {
  try {
    // After a failed write Xapian's state is unknown: committing again could
    // only fail again or record a partial batch.
    if (pending_changes_ > 0 && !failed_) commit();
  } catch (...) {
    // Destructors must not throw; an uncommitted batch is lost, as after a crash.
  }
  std::error_code ignored;
  if (pid_file_written_) std::filesystem::remove(std::filesystem::path(path_) / kWriterPidFile, ignored);
}

IndexWriter::Outcome IndexWriter::add(const SourceDocument& doc) {
  try {
    return add_or_replace(doc);
  } catch (const Xapian::Error& e) {
    fail(e);
  }
}

IndexWriter::Outcome IndexWriter::add_or_replace(const SourceDocument& doc) {
  std::string hash = content_hash(doc, analyzer_.version(), schema_.fingerprint());
  const std::string id_term = std::string(prefix::kId) + doc.id;
  Outcome outcome = Outcome::kAdded;
  Xapian::PostingIterator existing = db_.postlist_begin(id_term);
  if (existing != db_.postlist_end(id_term)) {
    if (db_.get_document(*existing).get_value(slot::kContentHash) == hash) return Outcome::kUnchanged;
    outcome = Outcome::kUpdated;
  }
  PreparedDocument prepared = prepare_document(doc, analyzer_, schema_, extractor_, std::move(hash));
  for (const auto& [stem, word] : prepared.stem_variants) {
    std::string key = stem;
    key.push_back('\0');
    key += word;
    if (known_variants_.insert(std::move(key)).second) {
      db_.add_synonym(std::string(prefix::kStemmed) + stem, word);
    }
  }
  db_.replace_document(prepared.id_term, prepared.document);
  if (++pending_changes_ >= options_.commit_every) commit_changes();
  return outcome;
}

std::size_t IndexWriter::prune(const std::unordered_set<std::string>& keep) {
  try {
    return delete_all_but(keep);
  } catch (const Xapian::Error& e) {
    fail(e);
  }
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
  }
  return doomed.size();
}

void IndexWriter::record_versions(Xapian::WritableDatabase& db) const {
  db.set_metadata(metadata_key::kAnalyzer, analyzer_.version());
  db.set_metadata(metadata_key::kSchema, schema_version_string());
  db.set_metadata(metadata_key::kIcu, icu_version());
  db.set_metadata(metadata_key::kSchemaFields, schema_.fields_json());
  db.set_metadata(metadata_key::kSchemaOrganisations, schema_.organisations_json());
  db.set_metadata(metadata_key::kSchemaAreas, schema_.areas_json());
  db.set_metadata(metadata_key::kSchemaFingerprint, schema_.fingerprint());
  db.set_metadata(metadata_key::kBuildId, new_build_id());
  db.set_metadata(metadata_key::kIndexedAt, utc_now());
}

void IndexWriter::commit() {
  try {
    commit_changes();
  } catch (const Xapian::Error& e) {
    fail(e);
  }
}

void IndexWriter::commit_changes() {
  // Nothing to record: keep the build id, which names the index's content.
  if (pending_changes_ == 0 && db_.get_metadata(metadata_key::kAnalyzer) == analyzer_.version() &&
      db_.get_metadata(metadata_key::kSchemaFingerprint) == schema_.fingerprint()) {
    return;
  }
  record_versions(db_);
  db_.commit();
  committed_changes_ += pending_changes_;
  pending_changes_ = 0;
}

}  // namespace policy
