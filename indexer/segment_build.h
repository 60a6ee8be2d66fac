// Segment building: a new index written as many small databases in
// parallel, then merged in input order into one.
//
// SegmentBuild cuts the documents it is given into batches of at most
// SegmentOptions::batch_documents (and 128) documents and 8 MiB of text,
// and writes each batch into a segment database in its directory
// (INDEX.building/, beside the index), on the PreparationPool's workers.
// merge() compacts the segments, in input order, into one database, so its
// document ids, and therefore search results, do not depend on the number
// of workers.
//
// Re-running after a crash: a segment appears in the directory only once
// committed (written at NAME.tmp, then renamed), with a key naming its
// documents, their content hashes and the bodies' dictionary; a later build
// of the same batch reuses it instead of writing it again.
//
// The bodies' dictionary is trained on the first
// SegmentOptions::dictionary_sample_bytes of text (the same documents for any
// number of workers), and the common words whose pairs are indexed
// (core/phrase_pairs.h) are chosen from the same sample: batches wait in
// memory until that much was added, and the first segment is written after.
//
// Memory is bounded whatever the corpus size and the number of workers: at
// most two batches per worker wait or are written, holding at most 64 MiB
// of text (or one batch).
//
// Thread-safety: one thread calls the members; segments are written and
// merged on the pool's workers. The Analyzer, FieldExtractor, Schema and
// PreparationPool given to the constructor must outlive the object.
#pragma once

#include <cstddef>
#include <deque>
#include <filesystem>
#include <future>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/analyzer.h"
#include "core/body_compression.h"
#include "core/field_extractor.h"
#include "core/field_schema.h"
#include "core/phrase_pairs.h"

#include "indexer/document_builder.h"
#include "indexer/document_reader.h"

namespace policy {

struct SegmentOptions {
  std::size_t batch_documents = 128;  // documents per segment at most (128 when larger)
  std::size_t dictionary_sample_bytes = BodyDictionary::kSampleBytes;
};

class SegmentBuild {
 public:
  // Builds into `dir`, which the caller has created. Without a pool, on
  // the calling thread with `analyzer` and `extractor`.
  SegmentBuild(std::filesystem::path dir, const Analyzer& analyzer, const FieldExtractor& extractor,
               const Schema& schema, PreparationPool* pool, const SegmentOptions& options);
  // Waits for the segments being written (after a failure, the others).
  ~SegmentBuild();
  SegmentBuild(const SegmentBuild&) = delete;
  SegmentBuild& operator=(const SegmentBuild&) = delete;

  // Adds `doc`, whose content hash is `hash`, to the batch being filled; a
  // full batch is written (or waits for the dictionary). Throws
  // Xapian::Error or std::filesystem::filesystem_error when a segment
  // cannot be written.
  void add(SourceDocument doc, std::string hash);

  // Writes the last batch, waits for every segment and merges them in input
  // order into a new database, DIR/merged, whose path it returns (an empty
  // database when nothing was added). Trains the dictionary first if not
  // enough text was added for it. Throws as add() does.
  // REQUIRES: called once; add() is not called afterwards.
  std::filesystem::path merge();

  const std::filesystem::path& dir() const { return dir_; }
  // Documents given to add().
  std::size_t added() const { return added_; }
  // Documents in the segments written so far.
  std::size_t finished_documents() const { return finished_documents_; }
  // The bodies' dictionary, once trained (empty before, and when the text
  // was too little to train one).
  const BodyDictionary& dictionary() const { return dictionary_; }
  // The common words chosen with the dictionary (none before).
  const CommonWords& common_words() const { return common_words_; }

 private:
  // One segment's worth of documents, with their content hashes.
  struct Batch {
    std::size_t number = 0;
    std::vector<std::pair<SourceDocument, std::string>> documents;
    std::size_t text_bytes = 0;

    // Names the documents, their content and their place in the run: a
    // segment holding this key holds exactly this batch, indexed as now.
    std::string key() const;
  };
  struct Writing {
    std::future<void> done;
    std::filesystem::path segment;
    std::size_t documents;
    std::size_t text_bytes;
  };

  void submit_batch();
  void train_dictionary();
  void dispatch_batch(std::shared_ptr<Batch> batch);
  void finish_batches(std::size_t keep_in_flight);

  std::filesystem::path dir_;  // INDEX.building
  const Analyzer& analyzer_;
  const FieldExtractor& extractor_;
  const Schema& schema_;
  PreparationPool* pool_;
  SegmentOptions options_;
  BodyDictionary dictionary_;
  CommonWords common_words_;

  Batch filling_;
  // Batches held back until the bodies' dictionary is trained on their text.
  bool dictionary_trained_ = false;
  std::vector<std::shared_ptr<Batch>> held_;
  std::size_t held_text_bytes_ = 0;
  std::size_t next_number_ = 0;
  std::size_t added_ = 0;
  std::deque<Writing> writing_;  // in input order
  std::size_t text_in_flight_ = 0;
  std::vector<std::filesystem::path> finished_;  // in input order
  std::size_t finished_documents_ = 0;
};

}  // namespace policy
