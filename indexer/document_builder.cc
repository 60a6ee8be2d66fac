#include "indexer/document_builder.h"

#include <algorithm>
#include <cstdint>
#include <unordered_map>

#include "core/index_layout.h"
#include "core/json_text.h"
#include "core/language.h"
#include "core/near_duplicates.h"
#include "core/sort_keys.h"

namespace policy {
namespace {

constexpr std::size_t kMaxDerivedTitleBytes = 150;
constexpr std::size_t kMaxTermBytes = 240;

// A title for documents that give none: the first line of the cleaned text
// when it is short enough to be a heading, else the id.
std::string derive_title(const std::string& cleaned_text, const std::string& id) {
  const std::size_t end = cleaned_text.find('\n');
  std::string_view first_line = std::string_view(cleaned_text).substr(0, end);
  if (!first_line.empty() && first_line.size() <= kMaxDerivedTitleBytes) return std::string(first_line);
  return id;
}

void add_cleaning_stats(CleaningStats& total, const CleaningStats& page) {
  total.artefact_lines_removed += page.artefact_lines_removed;
  total.page_number_lines_removed += page.page_number_lines_removed;
  total.boilerplate_lines_removed += page.boilerplate_lines_removed;
  total.hyphenations_joined += page.hyphenations_joined;
  total.ordinals_joined += page.ordinals_joined;
  total.lines_joined += page.lines_joined;
  total.double_spaced = total.double_spaced || page.double_spaced;
}

// Cleans a paged document page by page, so that no rule moves a word to
// another page, and joins the pages as paragraphs; records where each page
// starts in the cleaned text.
std::string clean_pages(const SourceDocument& source, std::vector<std::uint32_t>& page_starts, CleaningStats& stats) {
  std::string text;
  const std::string_view raw(source.text);
  for (std::size_t i = 0; i < source.page_starts.size(); ++i) {
    const std::size_t begin = std::min(source.page_starts[i], raw.size());
    const std::size_t end =
        i + 1 < source.page_starts.size() ? std::min(source.page_starts[i + 1], raw.size()) : raw.size();
    CleaningStats page_stats;
    const std::string page = clean_extracted_text(raw.substr(begin, end > begin ? end - begin : 0), &page_stats);
    add_cleaning_stats(stats, page_stats);
    if (!page.empty() && !text.empty()) text += "\n\n";
    page_starts.push_back(static_cast<std::uint32_t>(text.size()));
    text += page;
  }
  return text;
}

}  // namespace

std::string document_language(const nlohmann::json& metadata, std::string_view cleaned_text, const Analyzer& analyzer) {
  if (const auto given = metadata.find(kDocumentLanguageKey); given != metadata.end() && given->is_string()) {
    if (std::string code = normalize_language_tag(given->get<std::string>()); !code.empty()) return code;
  }
  if (std::string detected = detect_language(cleaned_text).language; !detected.empty()) return detected;
  return analyzer.default_language();
}

std::string content_hash(const SourceDocument& doc, const std::string& analyzer_version,
                         const std::string& schema_fingerprint) {
  PartsHash hash;
  hash.add(analyzer_version);
  hash.add(schema_version_string());
  hash.add(schema_fingerprint);
  hash.add(doc.id);
  hash.add(doc.title);
  hash.add(doc.source);
  hash.add(to_json_text(doc.metadata));
  hash.add(doc.text);
  std::string pages;
  for (const std::size_t start : doc.page_starts) pages += std::to_string(start) + ' ';
  hash.add(pages);
  return hash.hex();
}

PreparedDocument prepare_document(const SourceDocument& source, const Analyzer& analyzer, const Schema& schema,
                                  const FieldExtractor& extractor, const BodyDictionary& dictionary,
                                  const CommonWords& common_words, std::string hash) {
  PreparedDocument prepared;
  prepared.id = source.id;
  prepared.id_term = std::string(prefix::kId) + source.id;
  prepared.content_hash = std::move(hash);

  StoredDocument stored;
  stored.id = source.id;
  stored.source = source.source;
  stored.metadata = source.metadata;
  stored.text = source.page_starts.empty() ? clean_extracted_text(source.text, &prepared.cleaning)
                                           : clean_pages(source, stored.page_starts, prepared.cleaning);
  stored.title = source.title.empty() ? derive_title(stored.text, source.id) : source.title;

  Xapian::Document& doc = prepared.document;
  const std::string language = document_language(source.metadata, stored.text, analyzer);
  if (!language.empty()) {
    if (!stored.metadata.is_object()) stored.metadata = nlohmann::json::object();
    stored.metadata[kDocumentLanguageKey] = language;
    doc.add_boolean_term(std::string(prefix::kLanguage) + language);
  }
  // The synonym table's language: "" for the default one (stem_synonym_key).
  const std::string_view stem_language = language == analyzer.default_language() ? "" : std::string_view(language);

  const std::vector<Token> body = analyzer.analyze(stored.text);
  // Stems by the default stemmer, for field extraction (the gazetteer and
  // taxonomy are English), and by the document's language's, for the
  // synonym table; the same for a document in the default language.
  std::vector<std::string> stems;
  stems.reserve(body.size());
  stored.offsets.reserve(body.size());
  // Each distinct word is stemmed once: a document repeats its words, and
  // this table of its distinct words stays small and in cache where the
  // analyzer's stem cache, shared by the whole corpus, does not. Keys view
  // the tokens of `body` and `title`.
  const std::vector<Token> title = analyzer.analyze(stored.title);
  std::unordered_map<std::string_view, std::uint32_t> distinct;
  std::vector<std::string> distinct_stems;  // by the default stemmer
  // Body stems are not indexed as terms of their own: a stemmed query word
  // is the OP_SYNONYM of the exact words that share its stem, which the
  // synonym table lists (see QueryBinder). The same matches, without a
  // second set of postings per word to write and store.
  // Returns the default stem of a body or title word, listing the word
  // under its stem in the document's language the first time.
  const auto stem_of = [&](const std::string& term) -> const std::string& {
    const auto [known, first_time] = distinct.try_emplace(term, static_cast<std::uint32_t>(distinct_stems.size()));
    if (first_time) {
      distinct_stems.push_back(analyzer.stem(term));
      std::string other_stem;
      if (!stem_language.empty()) other_stem = analyzer.stem(term, stem_language);
      const std::string& language_stem = stem_language.empty() ? distinct_stems.back() : other_stem;
      if (language_stem != term) {
        prepared.stem_variants.emplace_back(stem_synonym_key(stem_language, language_stem), term);
      }
    }
    return distinct_stems[known->second];
  };
  for (const Token& token : body) {
    doc.add_posting(token.term, to_xapian_position(token.position));
    if (token.acronym) doc.add_posting(acronym_term(token.term), to_xapian_position(token.position));
    stems.push_back(stem_of(token.term));
    stored.offsets.push_back(TokenOffsets{token.begin, token.end});
  }
  common_words.add_pair_postings(body, doc);
  if (!source.title.empty()) doc.add_boolean_term(std::string(prefix::kGivenTitle));
  for (const Token& token : title) {
    doc.add_posting(std::string(prefix::kTitle) + token.term, to_xapian_position(token.position));
    if (token.acronym) doc.add_posting(title_acronym_term(token.term), to_xapian_position(token.position));
    doc.add_term(std::string(prefix::kStemmedTitle) + analyzer.stem(token.term, language));
    // A given title's words weigh as body occurrences (index_layout.h), so
    // each is listed under its stem as a body word is. A title derived from
    // the text's first line adds nothing: those words are the body's.
    if (source.title.empty()) continue;
    doc.add_term(token.term, kTitleWordOccurrences);
    if (token.acronym) doc.add_term(acronym_term(token.term), kTitleWordOccurrences);
    stem_of(token.term);
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

  // Near-duplicates are found by the band terms and confirmed by the
  // signature after each run (indexer/near_duplicate_grouping.h).
  std::vector<std::string> body_terms;
  body_terms.reserve(body.size());
  for (const Token& token : body) body_terms.push_back(token.term);
  const MinHashSignature signature = minhash_signature(body_terms);
  if (!signature.empty) {
    doc.add_value(slot::kSignature, signature.serialise());
    const std::vector<std::uint64_t> bands = band_hashes(signature);
    for (std::size_t band = 0; band < bands.size(); ++band) {
      doc.add_boolean_term(near_duplicate_band_term(band, bands[band]));
    }
  }

  const std::optional<Xapian::valueno> year_slot = document_year_slot(schema);
  const std::string year = year_slot ? doc.get_value(*year_slot) : std::string();
  doc.add_value(slot::kSortOldest, year_sort_key(year, /*newest_first=*/false));
  doc.add_value(slot::kSortNewest, year_sort_key(year, /*newest_first=*/true));
  doc.add_value(slot::kSortTitle, title_sort_key(stored.title));
  doc.add_value(slot::kBodyWords, std::to_string(body.size()));

  doc.add_boolean_term(prepared.id_term);
  doc.add_value(slot::kContentHash, prepared.content_hash);
  doc.add_value(slot::kRecordHeader, stored.serialise_header());
  doc.add_value(slot::kBody, stored.serialise_body(dictionary));
  return prepared;
}

void add_new_synonyms(const PreparedDocument& prepared, Xapian::WritableDatabase& db,
                      std::unordered_set<std::string>& known_variants) {
  for (const auto& [key, word] : prepared.stem_variants) {
    if (known_variants.insert(key + '\0' + word).second) db.add_synonym(key, word);
  }
}

PreparationPool::PreparationPool(const AnalyzerOptions& analyzer_options, const Schema& schema, std::size_t threads)
    : workers_(make_workers(analyzer_options, schema, threads)), pool_(threads) {}

std::vector<std::unique_ptr<PreparationPool::Worker>> PreparationPool::make_workers(
    const AnalyzerOptions& analyzer_options, const Schema& schema, std::size_t threads) {
  std::vector<std::unique_ptr<Worker>> workers;
  for (std::size_t i = 0; i < threads; ++i) workers.push_back(std::make_unique<Worker>(analyzer_options, schema));
  return workers;
}

}  // namespace policy
