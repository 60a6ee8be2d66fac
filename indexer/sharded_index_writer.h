// The writer of a sharded index (core/index_shards.h): one IndexWriter per
// shard, each document routed to shard_of(its id), the near-duplicate
// groups of all shards together, and the lexicon.
//
// commit() commits every shard (each as IndexWriter::commit() does: atomic
// per shard, not across shards), then groups the near-duplicates of all
// shards as one index (a group may hold documents of several shards, and
// its id is its smallest document id whatever the shard) and commits the
// shards whose group values changed, then rewrites the lexicon: the union
// of the shards' synonym tables and the schema metadata. A searcher
// between those commits sees the new documents with the groups and stems
// of the previous commit.
//
// Layout on disk: INDEX/XAPIANDB (the stub), INDEX/lexicon/,
// INDEX/shard-K/ (each an index IndexWriter writes, with its own lock,
// segments beside it in INDEX/shard-K.building/ and pid file). A new
// sharded index gets its stub once every shard and the lexicon exist.
//
// Thread-safety: as IndexWriter.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "indexer/index_writer.h"

namespace policy {

class ShardedIndexWriter {
 public:
  using Outcome = IndexWriter::Outcome;

  // Opens or creates the sharded index at `path`. `shards`: how many it
  // must have; 0 takes the number it has. Throws IndexError when `path`
  // holds a single database, or a sharded index with another number of
  // shards (unless options.rebuild: then it is built anew with `shards`,
  // and the shards beyond them are removed at the first commit), and for
  // anything IndexWriter throws, naming the shard.
  ShardedIndexWriter(const std::string& path, std::size_t shards, const Analyzer& analyzer, const Schema& schema,
                     const IndexWriterOptions& options);

  // As IndexWriter's, routed to the shard of doc.id.
  Outcome add(SourceDocument doc);
  // Deletes, in every shard, the documents whose id is not in `keep`.
  std::size_t prune(const std::unordered_set<std::string>& keep);
  void commit();

  std::size_t shard_count() const { return shards_.size(); }
  bool writes_segments() const;
  Xapian::doccount document_count() const;
  std::size_t committed_changes() const;
  const GroupingStats& grouping() const { return grouping_; }

  // The number of shards of the sharded index at `path`: the "shard-K"
  // databases its stub lists; 0 when `path` holds no stub.
  static std::size_t existing_shards(const std::string& path);

 private:
  void write_lexicon();
  void write_stub();
  void remove_surplus_shards() const;

  std::string path_;
  std::vector<std::unique_ptr<IndexWriter>> shards_;
  std::size_t surplus_from_ = 0;  // shards numbered from here are left over from a larger index (0: none)
  std::size_t stub_shards_ = 0;   // the shards the stub on disk lists
  GroupingStats grouping_;
};

}  // namespace policy
