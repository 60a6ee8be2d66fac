#include "indexer/segment_build.h"

#include <algorithm>
#include <cstdio>
#include <system_error>
#include <unordered_set>

#include <xapian.h>

#include "core/index_layout.h"
#include "core/utf8.h"

#include "indexer/text_cleaner.h"

namespace policy {
namespace {

// A batch closes at kSegmentDocuments (or SegmentOptions::batch_documents,
// if smaller) documents or at kBatchTextBytes of text, and the batches being
// written hold at most kTextInFlight bytes of text (plus one batch), which
// bounds the build's memory whatever the corpus size and the number of
// workers. Segments are small: Xapian holds each posting in an in-memory map
// per term until the segment is committed, and small maps are written
// faster; merging more segments costs far less than that saves
// (`policy-index --jobs 1 --commit-every N` compares segment sizes up to
// kSegmentDocuments).
constexpr std::size_t kSegmentDocuments = 128;
constexpr std::size_t kBatchTextBytes = 8u << 20;
constexpr std::size_t kTextInFlight = 64u << 20;
// Segments merged by one compaction, which keeps about six files open per
// source; more segments are merged in rounds.
constexpr std::size_t kMergeFanIn = 32;

// Merges `sources` into a new database at `out`, documents renumbered in
// source order.
void compact_in_order(const std::vector<std::filesystem::path>& sources, const std::filesystem::path& out) {
  Xapian::Database all;
  for (const auto& source : sources) all.add_database(Xapian::Database(source.string()));
  all.compact(out.string(), Xapian::DBCOMPACT_MULTIPASS | Xapian::Compactor::FULL);
}

// Writes `documents` into a segment database at `segment`, unless one
// holding `key` is there from an interrupted run. The segment appears only
// once committed: it is written at SEGMENT.tmp and renamed.
void write_segment(const std::filesystem::path& segment,
                   const std::vector<std::pair<SourceDocument, std::string>>& documents, const std::string& key,
                   const Analyzer& analyzer, const Schema& schema, const FieldExtractor& extractor,
                   const BodyDictionary& dictionary, const CommonWords& common_words) {
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
    PreparedDocument prepared = prepare_document(doc, analyzer, schema, extractor, dictionary, common_words, hash);
    add_new_synonyms(prepared, db, known_variants);
    db.add_document(prepared.document);
  }
  db.set_metadata(metadata_key::kSegmentKey, key);
  db.commit();
  db.close();
  std::filesystem::rename(staging, segment);
}

}  // namespace

std::string SegmentBuild::Batch::key() const {
  PartsHash hash;
  hash.add(std::to_string(number));
  for (const auto& [doc, content] : documents) {
    hash.add(doc.id);
    hash.add(content);
  }
  return hash.hex() + "/" + std::to_string(documents.size());
}

SegmentBuild::SegmentBuild(std::filesystem::path dir, const Analyzer& analyzer, const FieldExtractor& extractor,
                           const Schema& schema, PreparationPool* pool, const SegmentOptions& options)
    : dir_(std::move(dir)),
      analyzer_(analyzer),
      extractor_(extractor),
      schema_(schema),
      pool_(pool),
      options_(options) {
  options_.batch_documents = std::min(options_.batch_documents, kSegmentDocuments);
}

SegmentBuild::~SegmentBuild() {
  for (Writing& writing : writing_) {
    if (writing.done.valid()) writing.done.wait();
  }
}

void SegmentBuild::add(SourceDocument doc, std::string hash) {
  filling_.text_bytes += doc.text.size();
  filling_.documents.emplace_back(std::move(doc), std::move(hash));
  ++added_;
  if (filling_.documents.size() >= options_.batch_documents || filling_.text_bytes >= kBatchTextBytes) {
    submit_batch();
  }
}

void SegmentBuild::submit_batch() {
  if (filling_.documents.empty()) return;
  auto batch = std::make_shared<Batch>(std::move(filling_));
  filling_ = Batch{};
  batch->number = next_number_++;
  if (dictionary_trained_) {
    dispatch_batch(std::move(batch));
    return;
  }
  held_text_bytes_ += batch->text_bytes;
  held_.push_back(std::move(batch));
  if (held_text_bytes_ >= options_.dictionary_sample_bytes) train_dictionary();
}

// Trains the bodies' dictionary on the text of the first documents (the
// held batches, in input order, up to options_.dictionary_sample_bytes: the
// same documents for any number of workers), chooses the common words from
// the same text, then writes the held batches.
// The sample is cleaned as the stored text is: that is what the dictionary
// compresses. Each document's cleaning reads no more of it than the sample
// has room for, so a huge first document costs no more than a small one.
void SegmentBuild::train_dictionary() {
  const std::size_t budget = options_.dictionary_sample_bytes;
  std::vector<std::string> cleaned;
  std::size_t sampled = 0;
  for (const auto& batch : held_) {
    for (const auto& [doc, hash] : batch->documents) {
      if (sampled >= budget) break;
      cleaned.push_back(clean_extracted_text(utf8_prefix(doc.text, budget - sampled)));
      sampled += cleaned.back().size();
    }
  }
  dictionary_ = BodyDictionary::train(cleaned);
  std::vector<std::vector<Token>> analysed;
  analysed.reserve(cleaned.size());
  for (const std::string& text : cleaned) analysed.push_back(analyzer_.analyze(text));
  common_words_ = CommonWords::choose(analysed);
  dictionary_trained_ = true;
  std::vector<std::shared_ptr<Batch>> held = std::move(held_);
  held_.clear();
  held_text_bytes_ = 0;
  for (auto& batch : held) dispatch_batch(std::move(batch));
}

void SegmentBuild::dispatch_batch(std::shared_ptr<Batch> batch) {
  char name[32];
  std::snprintf(name, sizeof name, "seg-%08zu", batch->number);
  const std::filesystem::path segment = dir_ / name;
  // A segment of an interrupted run is reused only with the same dictionary
  // and common words.
  const std::string key = batch->key() + "/dictionary-" + std::to_string(dictionary_.id()) + "-" +
                          std::to_string(dictionary_.bytes().size()) + "/common-words-" +
                          std::to_string(std::hash<std::string>{}(common_words_.serialise()));
  if (!pool_) {
    write_segment(segment, batch->documents, key, analyzer_, schema_, extractor_, dictionary_, common_words_);
    finished_.push_back(segment);
    finished_documents_ += batch->documents.size();
    return;
  }
  // Bounded memory: at most two batches per worker wait or are written, and
  // at most kTextInFlight bytes of text (or one batch) are held. One waiting
  // per worker, so that a worker done with its segment starts the next at
  // once: this thread waits for the oldest segment, which may finish last.
  while (!writing_.empty() &&
         (writing_.size() >= 2 * pool_->size() || text_in_flight_ + batch->text_bytes > kTextInFlight)) {
    finish_batches(writing_.size() - 1);
  }
  Writing writing{{}, segment, batch->documents.size(), batch->text_bytes};
  writing.done = pool_->submit([this, batch, segment, key](const Analyzer& analyzer, const FieldExtractor& extractor) {
    write_segment(segment, batch->documents, key, analyzer, schema_, extractor, dictionary_, common_words_);
  });
  text_in_flight_ += batch->text_bytes;
  writing_.push_back(std::move(writing));
}

// Waits for the oldest segments being written until `keep_in_flight` are left.
void SegmentBuild::finish_batches(std::size_t keep_in_flight) {
  while (writing_.size() > keep_in_flight) {
    Writing writing = std::move(writing_.front());
    writing_.pop_front();
    text_in_flight_ -= writing.text_bytes;
    writing.done.get();
    finished_.push_back(writing.segment);
    finished_documents_ += writing.documents;
  }
}

std::filesystem::path SegmentBuild::merge() {
  submit_batch();
  if (!dictionary_trained_) train_dictionary();
  finish_batches(0);
  std::vector<std::filesystem::path> sources = finished_;
  for (std::size_t round = 0; sources.size() > kMergeFanIn; ++round) {
    // Rounds of merges of kMergeFanIn consecutive segments, on the workers.
    std::vector<std::filesystem::path> merged;
    std::vector<std::future<void>> merging;
    for (std::size_t first = 0; first < sources.size(); first += kMergeFanIn) {
      std::vector<std::filesystem::path> group(
          sources.begin() + static_cast<std::ptrdiff_t>(first),
          sources.begin() + static_cast<std::ptrdiff_t>(std::min(sources.size(), first + kMergeFanIn)));
      merged.push_back(dir_ / ("merge-" + std::to_string(round) + "-" + std::to_string(merged.size())));
      auto merge_group = [group = std::move(group), out = merged.back()] {
        std::filesystem::remove_all(out);
        compact_in_order(group, out);
        for (const auto& source : group) std::filesystem::remove_all(source);
      };
      if (pool_) {
        merging.push_back(pool_->submit(
            [merge_group = std::move(merge_group)](const Analyzer&, const FieldExtractor&) { merge_group(); }));
      } else {
        merge_group();
      }
    }
    for (std::future<void>& done : merging) done.get();
    sources = std::move(merged);
  }
  const std::filesystem::path merged = dir_ / "merged";
  std::filesystem::remove_all(merged);
  if (sources.empty()) {
    Xapian::WritableDatabase(merged.string(), Xapian::DB_CREATE).commit();
  } else {
    compact_in_order(sources, merged);
  }
  return merged;
}

}  // namespace policy
