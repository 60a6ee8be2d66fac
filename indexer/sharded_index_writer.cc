#include "indexer/sharded_index_writer.h"

#include <filesystem>
#include <fstream>
#include <system_error>

#include "core/hashing.h"
#include "core/index_layout.h"
#include "core/index_shards.h"

namespace policy {
namespace {

namespace fs = std::filesystem;

// Whether `dir` holds only what a sharded index's creation leaves before
// its stub is written (shards, their segments, the lexicon): a run
// interrupted then may go on in it.
bool holds_only_shard_parts(const fs::path& dir) {
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, error)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("shard-", 0) != 0 && name != kLexiconDirectory && name != std::string(kStubFileName) + ".tmp") {
      return false;
    }
  }
  return !error;
}

}  // namespace

std::size_t ShardedIndexWriter::existing_shards(const std::string& path) {
  std::error_code error;
  const fs::path stub = fs::path(path) / kStubFileName;
  if (!fs::is_regular_file(stub, error)) return 0;
  std::size_t shards = 0;
  for (const ShardLocation& location : read_stub(stub)) {
    if (!location.remote() && location.path.filename().string().rfind("shard-", 0) == 0) ++shards;
  }
  return shards;
}

ShardedIndexWriter::ShardedIndexWriter(const std::string& path, std::size_t shards, const Analyzer& analyzer,
                                       const Schema& schema, const IndexWriterOptions& options)
    : path_(fs::path(path).lexically_normal().string()) {
  if (path_.size() > 1 && path_.back() == '/') path_.pop_back();
  std::error_code error;
  const std::size_t existing = existing_shards(path_);
  if (existing == 0) {
    if (fs::exists(fs::path(path_) / "iamglass", error)) {
      throw IndexError("index '" + path_ +
                       "' is a single database; a sharded index is built in a new directory: "
                       "policy-index --index NEW_DIR --shards N PATH...");
    }
    if (fs::is_directory(path_, error) && !holds_only_shard_parts(path_)) {
      throw IndexError("'" + path_ + "' is a directory holding other files; a sharded index needs a new or empty one");
    }
  } else if (shards != 0 && shards != existing && !options.rebuild) {
    throw IndexError("index '" + path_ + "' has " + std::to_string(existing) + " shards; to re-balance it into " +
                     std::to_string(shards) + ", run again with --rebuild --shards " + std::to_string(shards) +
                     " and the same inputs");
  }
  const std::size_t count = shards != 0 ? shards : existing != 0 ? existing : 1;
  fs::create_directories(path_, error);
  if (error) throw IndexError("cannot create index directory '" + path_ + "': " + error.message());
  IndexWriterOptions shard_options = options;
  shard_options.group_near_duplicates = false;  // grouped across shards in commit()
  for (std::size_t k = 0; k < count; ++k) {
    const std::string shard_path = (fs::path(path_) / shard_directory_name(k)).string();
    shards_.push_back(std::make_unique<IndexWriter>(shard_path, analyzer, schema, shard_options));
  }
  if (existing > count) surplus_from_ = count;
  stub_shards_ = existing;
  // A new index is searchable at once, empty, like a new single database.
  if (existing == 0) {
    try {
      write_lexicon();
    } catch (const Xapian::Error& e) {
      throw IndexError("cannot write the lexicon of index '" + path_ + "': " + e.get_description());
    }
    write_stub();
  }
}

ShardedIndexWriter::Outcome ShardedIndexWriter::add(SourceDocument doc) {
  const std::size_t k = shard_of(doc.id, shards_.size());
  return shards_[k]->add(std::move(doc));
}

std::size_t ShardedIndexWriter::prune(const std::unordered_set<std::string>& keep) {
  std::size_t pruned = 0;
  for (const auto& shard : shards_) pruned += shard->prune(keep);
  return pruned;
}

void ShardedIndexWriter::commit() {
  for (const auto& shard : shards_) shard->commit();
  try {
    Xapian::WritableDatabase all;
    for (const auto& shard : shards_) all.add_database(shard->database());
    grouping_ = regroup_near_duplicates(all);
  } catch (const Xapian::Error& e) {
    throw IndexError("index '" + path_ + "': grouping near-duplicates across shards failed: " + e.get_description() +
                     "; every shard keeps its documents; run the command again to group them");
  }
  if (grouping_.rewritten_documents > 0) {
    for (const auto& shard : shards_) shard->commit_regrouped();
  }
  try {
    write_lexicon();
  } catch (const Xapian::Error& e) {
    throw IndexError("cannot write the lexicon of index '" + path_ + "': " + e.get_description());
  }
  if (stub_shards_ != shards_.size()) {
    write_stub();
    remove_surplus_shards();
  }
}

void ShardedIndexWriter::write_lexicon() {
  Xapian::WritableDatabase lexicon((fs::path(path_) / kLexiconDirectory).string(), Xapian::DB_CREATE_OR_OPEN);
  std::vector<std::string> old_keys;
  for (auto key = lexicon.synonym_keys_begin(); key != lexicon.synonym_keys_end(); ++key) old_keys.push_back(*key);
  for (const std::string& key : old_keys) lexicon.clear_synonyms(key);
  Fnv1a64 content;
  for (const auto& shard : shards_) {
    const Xapian::Database& db = shard->database();
    for (auto key = db.synonym_keys_begin(); key != db.synonym_keys_end(); ++key) {
      for (auto word = db.synonyms_begin(*key); word != db.synonyms_end(*key); ++word) {
        lexicon.add_synonym(*key, *word);
      }
    }
    content.add(db.get_metadata(metadata_key::kBuildId)).add_byte(0);
  }
  // The schema and versions every shard records (the same for all), read
  // from the lexicon because Xapian reads a stub's metadata from its first
  // database; the build id names the shards' commits together.
  const Xapian::Database& first = shards_.front()->database();
  for (auto key = first.metadata_keys_begin(); key != first.metadata_keys_end(); ++key) {
    lexicon.set_metadata(*key, first.get_metadata(*key));
  }
  lexicon.set_metadata(metadata_key::kBuildId, "shards-" + content.hex());
  lexicon.commit();
}

void ShardedIndexWriter::write_stub() {
  std::vector<std::string> lines{std::string("auto ") + kLexiconDirectory};
  for (std::size_t k = 0; k < shards_.size(); ++k) lines.push_back("auto " + shard_directory_name(k));
  const fs::path stub = fs::path(path_) / kStubFileName;
  const fs::path temporary = fs::path(path_) / (std::string(kStubFileName) + ".tmp");
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << stub_text(lines);
    out.close();
    if (!out) throw IndexError("cannot write the stub '" + temporary.string() + "'");
  }
  std::error_code error;
  fs::rename(temporary, stub, error);  // atomic: a searcher reads the old list or the new
  if (error) throw IndexError("cannot write the stub '" + stub.string() + "': " + error.message());
  stub_shards_ = shards_.size();
}

void ShardedIndexWriter::remove_surplus_shards() const {
  if (surplus_from_ == 0) return;
  std::error_code error;
  for (std::size_t k = surplus_from_;; ++k) {
    const fs::path shard = fs::path(path_) / shard_directory_name(k);
    if (!fs::exists(shard, error)) break;
    fs::remove_all(shard, error);
    fs::remove_all(fs::path(shard.string() + ".building"), error);
  }
}

bool ShardedIndexWriter::writes_segments() const {
  for (const auto& shard : shards_) {
    if (shard->writes_segments()) return true;
  }
  return false;
}

Xapian::doccount ShardedIndexWriter::document_count() const {
  Xapian::doccount documents = 0;
  for (const auto& shard : shards_) documents += shard->document_count();
  return documents;
}

std::size_t ShardedIndexWriter::committed_changes() const {
  std::size_t changes = 0;
  for (const auto& shard : shards_) changes += shard->committed_changes();
  return changes;
}

}  // namespace policy
