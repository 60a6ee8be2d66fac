#include "policy/index_writer.h"

#include <chrono>
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
    db_ = Xapian::WritableDatabase(path, options.rebuild ? Xapian::DB_CREATE_OR_OVERWRITE
                                                         : Xapian::DB_CREATE_OR_OPEN);
  } catch (const Xapian::DatabaseLockError&) {
    throw IndexError("index '" + path + "' is locked by another writer (lock file " + path +
                     "/flintlock); wait for the other policy-index to finish");
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
}

IndexWriter::~IndexWriter() {
  try {
    if (pending_changes_ > 0) commit();
  } catch (...) {
    // Destructors must not throw; an uncommitted batch is lost, as after a crash.
  }
}

IndexWriter::Outcome IndexWriter::add(const SourceDocument& doc) {
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
  if (++pending_changes_ >= options_.commit_every) commit();
  return outcome;
}

std::size_t IndexWriter::prune(const std::unordered_set<std::string>& keep) {
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

void IndexWriter::commit() {
  // Nothing to record: keep the build id, which names the index's content.
  if (pending_changes_ == 0 && db_.get_metadata(metadata_key::kAnalyzer) == analyzer_.version() &&
      db_.get_metadata(metadata_key::kSchemaFingerprint) == schema_.fingerprint()) {
    return;
  }
  db_.set_metadata(metadata_key::kAnalyzer, analyzer_.version());
  db_.set_metadata(metadata_key::kSchema, schema_version_string());
  db_.set_metadata(metadata_key::kIcu, icu_version());
  db_.set_metadata(metadata_key::kSchemaFields, schema_.fields_json());
  db_.set_metadata(metadata_key::kSchemaOrganisations, schema_.organisations_json());
  db_.set_metadata(metadata_key::kSchemaAreas, schema_.areas_json());
  db_.set_metadata(metadata_key::kSchemaFingerprint, schema_.fingerprint());
  db_.set_metadata(metadata_key::kBuildId, new_build_id());
  db_.set_metadata(metadata_key::kIndexedAt, utc_now());
  db_.commit();
  committed_changes_ += pending_changes_;
  pending_changes_ = 0;
}

}  // namespace policy
