// Field extraction: from a document's title, analysed text and metadata to
// the values of the schema's fields (organisation, year, area,
// years_mentioned, and any field declared with source "metadata"), each with
// the rule or phrase that produced it.
//
// Rules (documented for users in README.md):
//   gazetteer  organisation names and aliases are matched as word sequences
//              through the analyzer (case-insensitive, longest match first);
//              acronyms are matched case-sensitively as whole words ("MEP",
//              "EPA’s"); each canonical organisation is counted per mention
//   taxonomy   an area's indicators are counted in the text (one-word
//              indicators by stem, longer ones as exact word sequences) and
//              in the title (each title occurrence counts
//              AreaTaggingRule::title_mentions_count); the document is tagged
//              when the count reaches AreaTaggingRule::min_mentions
//   text year  (single-valued year fields) metadata first; else the first
//              dated line among the first 30 lines ("Updated: Friday, October
//              21, 2016", "Published 2019", "Date: 3 May 2015"); else a year
//              range in the title ("(2016-2020)" -> 2016); else the year
//              of metadata "created", else "modified" (a PDF's or Word
//              file's own dates, set by file_extraction.h); else none
//   text years (multi-valued year fields) every word of four digits from
//              1900 to 2099, with its number of mentions
//   metadata   the field's metadata key; strings (or arrays of them) are
//              resolved through the gazetteer or taxonomy when the field also
//              has that source, else kept as given
//   language   the metadata "language" (kDocumentLanguageKey), which the
//              indexer sets to the document's language, normalised
//              (normalize_language_tag)
//
// Thread-safe after construction if each thread passes its own Analyzer.
#pragma once

#include <bitset>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/analyzer.h"
#include "core/field_schema.h"
#include "core/hashing.h"

namespace policy {

// The metadata key that holds a document's language: readers and sidecars
// may give it, and the indexer sets it to the language it indexed the
// document in (indexer/document_builder.h).
inline constexpr const char* kDocumentLanguageKey = "language";

struct FieldValue {
  std::string key;                    // what the filter term holds: an id, a year, or folded text
  std::string display;                // what people see: canonical name, area name, year, text as given
  std::uint32_t mentions = 0;         // occurrences in the text (0: metadata only)
  std::vector<std::string> evidence;  // which rule or phrase produced it
};

// Values by field name, in each field's order of first appearance.
struct ExtractedFields {
  std::map<std::string, std::vector<FieldValue>> values;

  // {"organisation": [{"value": ..., "key": ..., "mentions": n, "evidence": [...]}, ...], ...}
  nlohmann::json report() const;
};

class FieldExtractor {
 public:
  FieldExtractor(const Schema& schema, const Analyzer& analyzer);

  // `tokens` and `stems` are the analysed cleaned text (stems[i] is the stem
  // of tokens[i].term), so the text is analysed once for indexing and
  // extraction alike.
  ExtractedFields extract(const std::string& title, const std::string& text, const std::vector<Token>& tokens,
                          const std::vector<std::string>& stems, const nlohmann::json& metadata) const;

  // Filter keys for a value typed in a query or given in metadata: an
  // organisation's canonical name, alias or acronym gives its id; an area's
  // id or name gives its id, and words of area names give every area whose
  // name holds them; a language tag on a language field gives its code
  // ("en-GB" -> "en"); anything else gives its folded text. Empty when the
  // value holds no word.
  std::vector<std::string> resolve(const FieldSpec& field, const std::string& value) const;

  // Lower-cased words of `value` joined by single spaces: the key of a free
  // value.
  std::string fold(const std::string& value) const;

 private:
  struct Phrase {
    std::vector<std::string> terms;
    std::size_t target;  // organisation or area index
    std::string text;    // as written in the schema, for evidence
  };

  void add_metadata_values(const FieldSpec& field, const nlohmann::json& metadata, std::vector<FieldValue>& out) const;
  // The values of one metadata key (a value or an array of them).
  void add_metadata_values(const FieldSpec& field, const std::string& key, const nlohmann::json& value,
                           std::vector<FieldValue>& out) const;
  void add_language(const nlohmann::json& metadata, std::vector<FieldValue>& out) const;
  void add_organisations(const std::string& text, const std::vector<Token>& tokens, std::vector<FieldValue>& out) const;
  void add_areas(const std::string& title, const std::vector<Token>& tokens, const std::vector<std::string>& stems,
                 std::vector<FieldValue>& out) const;
  void add_document_year(const std::string& title, const std::string& text, const nlohmann::json& metadata,
                         std::vector<FieldValue>& out) const;
  void add_years_mentioned(const std::vector<Token>& tokens, std::vector<FieldValue>& out) const;

  const Schema& schema_;
  const Analyzer& analyzer_;
  // First term -> organisation names and aliases starting with it.
  std::unordered_map<std::string, std::vector<Phrase>> organisation_phrases_;
  // Acronym as written -> organisation index; looked up for every word, so
  // a word whose first byte begins no acronym is not looked up at all.
  std::unordered_map<std::string, std::size_t, TransparentStringHash, std::equal_to<>> acronyms_;
  std::bitset<256> acronym_first_bytes_;
  // First term -> multi-word area indicators; stem -> one-word indicators.
  std::unordered_map<std::string, std::vector<Phrase>> area_phrases_;
  std::unordered_map<std::string, std::vector<Phrase>> area_stems_;
  // fold() of each organisation's name and then its aliases, and of each
  // area's name, in schema order: resolve() runs for every metadata value.
  std::vector<std::vector<std::string>> folded_organisation_names_;
  std::vector<std::string> folded_area_names_;
};

}  // namespace policy
