// Document building: a SourceDocument -> a cleaned, analysed Xapian
// document with its stored record, ready to be written into a database.
//
// prepare_document() cleans the text (text_cleaner.h), analyses body and
// title, extracts the schema's fields and builds the terms, value slots and
// the stored record; it writes nothing. content_hash() names everything
// that shapes a document's indexed form, so that an unchanged document can
// be skipped. PreparationPool runs preparation on worker threads.
//
// Thread-safety: prepare_document() and content_hash() are pure and may run
// on many threads, as long as each thread passes its own Analyzer and
// FieldExtractor (PreparationPool gives each worker its own).
// add_new_synonyms() writes to a database: one thread per database.
#pragma once

#include <cstddef>
#include <future>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_set>
#include <utility>
#include <vector>

#include <xapian.h>

#include "core/analyzer.h"
#include "core/body_compression.h"
#include "core/field_extractor.h"
#include "core/field_schema.h"
#include "core/hashing.h"
#include "core/phrase_pairs.h"

#include "indexer/document_reader.h"
#include "indexer/text_cleaner.h"
#include "indexer/work_pool.h"

namespace policy {

// FNV-1a over a sequence of parts, each followed by 0xFF (a byte UTF-8 text
// never holds), so that ("ab", "c") and ("a", "bc") hash differently.
class PartsHash {
 public:
  void add(std::string_view part) { hash_.add(part).add_byte(0xFF); }
  std::string hex() const { return hash_.hex(); }

 private:
  Fnv1a64 hash_;
};

struct PreparedDocument {
  std::string id;
  std::string id_term;  // "Q" + id
  std::string content_hash;
  Xapian::Document document;
  // (synonym-table key of the stem, exact word) pairs where stem and word
  // differ, stemmed in the document's language (stem_synonym_key).
  std::vector<std::pair<std::string, std::string>> stem_variants;
  CleaningStats cleaning;
};

// Hex FNV-1a/64 of the document's content and of what shapes its indexed
// form: analyzer version, schema layout version and schema fingerprint.
std::string content_hash(const SourceDocument& doc, const std::string& analyzer_version,
                         const std::string& schema_fingerprint);

// The language a document is indexed in (an ISO code, core/language.h):
// its metadata "language" when that is a language tag ("en-GB" -> "en"),
// else the language detected in its cleaned text, else the analyzer's
// default ("" with stemming off).
std::string document_language(const nlohmann::json& metadata, std::string_view cleaned_text, const Analyzer& analyzer);

// Cleans and analyses `doc`, extracts its fields and builds its Xapian
// document, its body compressed with `dictionary`, with the pair terms of
// `common_words` (core/phrase_pairs.h). A document without a
// title gets the first line of its cleaned text when that is short enough
// to be a heading, else its id. Its language (document_language) is stored
// as metadata "language" and as its L term, and stems its body words for
// the synonym table and its title words (index_layout.h); field extraction
// uses the default stemmer, whatever the language. A word written as an
// acronym (Token::acronym) gets its acronym term at its position too.
PreparedDocument prepare_document(const SourceDocument& doc, const Analyzer& analyzer, const Schema& schema,
                                  const FieldExtractor& extractor, const BodyDictionary& dictionary,
                                  const CommonWords& common_words, std::string hash);

// Records in `db`'s synonym table the (key, exact word) pairs of `prepared`
// that are not in `known_variants` ("key\0word" entries) yet, and adds them
// to it: the query binder expands a stemmed word to those words.
void add_new_synonyms(const PreparedDocument& prepared, Xapian::WritableDatabase& db,
                      std::unordered_set<std::string>& known_variants);

// Worker threads that each own an Analyzer and a FieldExtractor, so that
// tasks may call prepare_document() with them. Tasks start in submission
// order. The destructor runs the tasks already submitted, then joins.
//
// Thread-safety: submit() from one thread.
class PreparationPool {
 public:
  PreparationPool(const AnalyzerOptions& analyzer_options, const Schema& schema, std::size_t threads);
  PreparationPool(const PreparationPool&) = delete;
  PreparationPool& operator=(const PreparationPool&) = delete;

  std::size_t size() const { return pool_.size(); }

  // Queues `task(analyzer, extractor)`, called with the running worker's
  // own; its result or exception arrives through the future.
  template <typename Task>
  auto submit(Task task) -> std::future<std::invoke_result_t<Task&, const Analyzer&, const FieldExtractor&>> {
    return pool_.submit([this, task = std::move(task)](std::size_t worker) mutable {
      return task(workers_[worker]->analyzer, workers_[worker]->extractor);
    });
  }

 private:
  struct Worker {
    Worker(const AnalyzerOptions& options, const Schema& schema) : analyzer(options), extractor(schema, analyzer) {}
    Analyzer analyzer;
    FieldExtractor extractor;
  };
  static std::vector<std::unique_ptr<Worker>> make_workers(const AnalyzerOptions& analyzer_options,
                                                           const Schema& schema, std::size_t threads);

  std::vector<std::unique_ptr<Worker>> workers_;  // one per thread, indexed by WorkPool's worker index
  WorkPool pool_;                                 // last: joined before the workers' state goes
};

}  // namespace policy
