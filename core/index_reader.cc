#include "core/index_reader.h"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <system_error>
#include <thread>

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

IndexReader::IndexReader(std::string path) : path_(std::move(path)) {
  for (int attempt = 0;; ++attempt) {
    try {
      opened_directory_ = directory_identity();
      db_ = Xapian::Database(path_);
      break;
    } catch (const Xapian::DatabaseModifiedError& e) {
      // Opening reads too, and commits can discard what it read.
      if (attempt >= kMaxReadAttempts) throw IndexError("cannot open index '" + path_ + "': " + e.get_description());
    } catch (const Xapian::Error& e) {
      if (!holds_glass_database(path_)) throw not_an_index(path_, "no Xapian database found");
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
  }
}

bool IndexReader::index_moved_on() const {
  if (directory_identity() != opened_directory_) return true;
  try {
    return Xapian::Database(path_).get_revision() != db_.get_revision();
  } catch (const Xapian::Error&) {
    return true;  // unreadable right now: a commit or a swap under way
  }
}

std::uint64_t IndexReader::directory_identity() const {
  struct stat info {};
  if (stat(path_.c_str(), &info) != 0) return 0;
  return (static_cast<std::uint64_t>(info.st_dev) << 40) ^ static_cast<std::uint64_t>(info.st_ino);
}

void IndexReader::open_replaced() {
  opened_directory_ = directory_identity();
  db_ = Xapian::Database(path_);
  load_schema();
}

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
    dictionary_ = BodyDictionary(db_.get_metadata(metadata_key::kBodyDictionary));
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
    const Xapian::rev seen = db_.get_revision();
    retrying([&] { db_.reopen(); });
    if (db_.get_revision() == seen) return false;
  }
  const bool schema_changed = retrying([&] {
    const std::string recorded = db_.get_metadata(metadata_key::kAnalyzer);
    if (recorded != analyzer_->version() || db_.get_metadata(metadata_key::kSchema) != schema_version_string()) {
      throw IndexError("index '" + path_ + "' was rebuilt with " + recorded + "; restart with this index's version");
    }
    return db_.get_metadata(metadata_key::kSchemaFingerprint) != schema_fingerprint_ ||
           db_.get_metadata(metadata_key::kSchemaSynonyms) != schema_->synonyms_json() ||
           db_.get_metadata(metadata_key::kBodyDictionary) != dictionary_.bytes();
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
  const std::pair<std::uint64_t, Xapian::rev> now{opened_directory_, db_.get_revision()};
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

}  // namespace policy
