// How a policy document is laid out in a Xapian database: term prefixes,
// value slots, the stored record, and the metadata keys that identify how the
// index was built.
//
// Term prefixes follow Xapian Omega's conventions (omega/docs/termprefixes.rst):
//   Q<id>        unique document id (boolean)
//   <word>       exact body words, positional; exact terms never start with
//                an ASCII capital because the analyzer case-folds them.
//                Title words add kTitleWordOccurrences to their wdf,
//                without positions
//   (body words have no Z<stem> terms: a stemmed query word is the
//   OP_SYNONYM of its exact variants, which the synonym table lists)
//   C<word>      body words written as acronyms ("US", "U.S.", "WHO": the
//                analyzer's Token::acronym), positional, at the same
//                position as the everyday term <word> each of them also has,
//                so that phrases, NEAR, snippets and counts work on either
//   S<word>      exact title words, positional
//   SC<word>     title words written as acronyms (S + the C term)
//   ZS<stem>     stemmed title words, no positions, each by the stemmer of
//                its document's language
//   L<language>  the document's language (ISO code, core/language.h),
//                boolean; the list of L terms is the index's languages,
//                which the query binder stems words in. Every document has
//                one, whatever the schema declares (its language field,
//                when it has one, holds the same code under its own prefix)
//   X...<key>    the schema's fields (schemas/fields.json), boolean filters
//   ZT           boolean, on documents with a given title (prefix::kGivenTitle)
//   W<w1> <w2>   two adjacent body words that are both among the index's
//                common words (core/phrase_pairs.h), boolean. A phrase of
//                common words reads these before (or instead of) its
//                words' positions
//   B<band><hash> the document's near-duplicate band hashes
//                (core/near_duplicates.h), boolean: two digits of band
//                number and 16 hex digits of its hash. Documents that share
//                one are candidate near-duplicates; no query uses them
//
// A field's value slot holds its values, in order, as entries separated by
// "\x1E": "key" when the display is the schema's canonical one for the key
// (Schema::display), else "key\x1Fdisplay" (see encode_field_values). Facet
// counting reads the slots without loading document records, and results
// read their fields from them.
//
// The synonym table maps each stem to every exact body word seen with it,
// so a stemmed query word can be searched, highlighted and used in NEAR
// without scanning the document's term list. Words are stemmed by their
// document's language's stemmer, and the key says which (see
// stem_synonym_key): "Z<stem>" for the index's default language (the
// analyzer's, "en" unless --stem says otherwise), "ZL<language>:<stem>"
// for any other, so that a German stem and an English one never share a
// key. Languages with no stemmer (zh, th, ...) have no entries.
//
// Thread-safe: constants and pure functions.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "core/body_compression.h"
#include "core/field_schema.h"

namespace policy {

// The version of the layout this file describes, recorded in every index
// and checked against it: bumped on any change a reader would misread.
inline constexpr int kSchemaVersion = 13;

// Each word of a document's given title (not one derived from its text)
// also counts as this many occurrences of its body term (the exact word,
// and its C term when written as an acronym), without a position: a title
// match weighs as a few body matches under the body's statistics, and
// phrases, counts and snippets, which read positions, are those of the
// body alone.
inline constexpr Xapian::termcount kTitleWordOccurrences = 6;

namespace prefix {
inline constexpr std::string_view kId = "Q";
inline constexpr std::string_view kStemmed = "Z";  // synonym-table key: Z + stem -> exact words
inline constexpr std::string_view kTitle = "S";
// Not an Omega prefix; exact words never start with an ASCII capital, so
// "C" + word and "SC" + word are never body or title words.
inline constexpr std::string_view kAcronym = "C";
inline constexpr std::string_view kTitleAcronym = "SC";  // kTitle + kAcronym
inline constexpr std::string_view kStemmedTitle = "ZS";
inline constexpr std::string_view kLanguage = "L";  // Omega's prefix for a language code
// Synonym-table keys of stems in a language other than the default: ZL +
// language + ":" + stem. Stems never begin with an ASCII capital.
inline constexpr std::string_view kStemmedInLanguage = "ZL";
// Not an Omega prefix: Omega leaves B unused; band terms are never queried.
inline constexpr std::string_view kNearDuplicateBand = "B";
// Not an Omega prefix: Omega leaves W unused.
inline constexpr std::string_view kPair = "W";
// A boolean term alone, on documents whose title was given rather than
// derived from the text: their title words count among the body's
// (kTitleWordOccurrences). Stems never begin with an ASCII capital.
inline constexpr std::string_view kGivenTitle = "ZT";
}  // namespace prefix

// Slots 0-9 are the engine's; schemas/fields.json uses 10 and up.
namespace slot {
inline constexpr Xapian::valueno kContentHash = 0;   // hex hash of source + versions
inline constexpr Xapian::valueno kRecordHeader = 1;  // StoredDocument::serialise_header()
// StoredDocument::serialise_body(). A value slot, not the document data:
// glass deflates each record of its document-data table on every write,
// again in every merge for a record that did not shrink, and a Zstandard
// frame never shrinks; value slots are stored as they are.
inline constexpr Xapian::valueno kBody = 2;
// MinHashSignature::serialise() of the body's exact terms.
inline constexpr Xapian::valueno kSignature = 3;
// The near-duplicate group (indexer/near_duplicate_grouping.h): the
// smallest document id of the group, the same for every member, so that
// results collapse on it; empty (no value) for a document in no group,
// which Xapian never collapses.
inline constexpr Xapian::valueno kDuplicateGroup = 4;
// The number of documents in that group (decimal, at least 2); no value
// outside a group.
inline constexpr Xapian::valueno kDuplicateGroupSize = 5;
// The document's sort keys (core/sort_keys.h): by year of the schema's
// document year field, oldest first and newest first, and by title.
inline constexpr Xapian::valueno kSortOldest = 6;
inline constexpr Xapian::valueno kSortNewest = 7;
inline constexpr Xapian::valueno kSortTitle = 8;
// The number of body words (tokens), decimal: the per-year word totals of
// trends read it for every document, also from remote shards, where a
// document's length costs a round trip of its own.
inline constexpr Xapian::valueno kBodyWords = 9;
}  // namespace slot

namespace metadata_key {
inline constexpr const char* kAnalyzer = "policy-search.analyzer";
inline constexpr const char* kSchema = "policy-search.schema";
inline constexpr const char* kIcu = "policy-search.icu";
inline constexpr const char* kBuildId = "policy-search.build-id";
inline constexpr const char* kIndexedAt = "policy-search.indexed-at";
// The schema files the index was built with; the searcher parses these, so
// filters and facets always agree with the indexed terms.
inline constexpr const char* kSchemaFields = "policy-search.schema.fields";
inline constexpr const char* kSchemaOrganisations = "policy-search.schema.organisations";
inline constexpr const char* kSchemaAreas = "policy-search.schema.areas";
inline constexpr const char* kSchemaFingerprint = "policy-search.schema.fingerprint";
// synonyms.json: read by queries only, so it is not in the fingerprint.
inline constexpr const char* kSchemaSynonyms = "policy-search.schema.synonyms";
// The Zstandard dictionary of the document bodies (body_compression.h);
// absent when the build had too little text to train one.
inline constexpr const char* kBodyDictionary = "policy-search.body-dictionary";
// The common words whose adjacent pairs are indexed (CommonWords::serialise);
// absent when the build chose none.
inline constexpr const char* kCommonWords = "policy-search.common-words";
// The build id of the last commit that replaced or deleted documents (or
// made the database), then the build id of the commit that wrote this
// value (rewrites_value()). While the first stays the same, new revisions
// only added documents, after the last docid of the earlier one: a
// searcher then reads just those (FacetColumns::append_added).
inline constexpr const char* kRewrites = "policy-search.rewrites";
// In a segment database only: which documents it holds (see
// indexer/segment_build.h).
inline constexpr const char* kSegmentKey = "policy-search.segment";
}  // namespace metadata_key

// metadata_key::kRewrites's value: the build id of the last rewriting
// commit, a space, and the build id (metadata_key::kBuildId) of the commit
// that writes it.
std::string rewrites_value(std::string_view last_rewrite, std::string_view build_id);
// The last rewriting commit's build id from a kRewrites value, or nullopt
// when the value was not written by the commit of `build_id` (the index's
// current one): a writer that does not keep it (an older policy-index)
// leaves an earlier value behind, which must not be trusted.
std::optional<std::string> last_rewrite_of(std::string_view value, std::string_view build_id);

// The synonym-table key of `stem` of a word in `language`: "Z" + stem for
// "" (the index's default language; callers pass "" for it), else
// "ZL" + language + ":" + stem.
std::string stem_synonym_key(std::string_view language, std::string_view stem);

// The acronym term of an analysed word ("us" -> "Cus"), and its title form
// ("SCus"), which is kTitle + acronym_term(word).
inline std::string acronym_term(std::string_view word) { return std::string(prefix::kAcronym) + std::string(word); }
inline std::string title_acronym_term(std::string_view word) {
  return std::string(prefix::kTitleAcronym) + std::string(word);
}

// The band term of band `band` with hash `hash`: prefix::kNearDuplicateBand
// + two decimal digits + 16 lowercase hex digits.
std::string near_duplicate_band_term(std::size_t band, std::uint64_t hash);

// Xapian positions start at 1; analyzer positions at 0.
inline Xapian::termpos to_xapian_position(std::uint32_t position) { return position + 1; }

// Byte offsets of one token in StoredDocument::text.
struct TokenOffsets {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
};

// The document record, kept in two value slots: what results show and what
// snippets are cut from.
struct StoredDocument {
  std::string id;
  std::string title;
  std::string source;       // where it was read from, e.g. "corpus/a.jsonl:12"
  nlohmann::json metadata;  // object: organisation, year, url, and any other field given
  // object: field name -> array of display values (extracted). In the
  // header only for fields without a value slot: read() takes the others
  // from their slots.
  nlohmann::json fields;
  // How the fields were extracted is not stored: Searcher::extraction_report()
  // recomputes it from the text with the same analyzer and schema.
  std::string text;  // the cleaned text
  // offsets[p] = bytes of the body token at analyzer position p.
  std::vector<TokenOffsets> offsets;
  // For a document read page by page (PDF): page_starts[i] is the byte
  // offset in `text` where page i + 1 begins; page_starts[0] is 0, offsets
  // never decrease (a page without text starts where the next one does).
  // Empty for a document without pages. In the header, so that results and
  // batch rows name pages without reading the body.
  std::vector<std::uint32_t> page_starts;

  // The 1-based page holding byte `offset` of `text`, or 0 when the
  // document has no pages. A page without text is never the answer.
  std::uint32_t page_at(std::uint32_t offset) const;
  std::uint32_t page_count() const { return static_cast<std::uint32_t>(page_starts.size()); }

  // Stored in two parts: the header (id, title, source, metadata, the
  // fields without a slot, the page starts; MessagePack) in value slot slot::kRecordHeader,
  // read for every result; the body (varint layout version, then one
  // Zstandard frame, compressed with the index's BodyDictionary, of: varint
  // text size, the text, each token's offsets as corrections to a guess
  // from the text, 2 bytes per token, most of them 0) in value slot
  // slot::kBody, read only for snippets, the document view and concordances, so
  // that a result list does not decompress the text of long documents.
  std::string serialise_header() const;
  std::string serialise_body(const BodyDictionary& dictionary) const;
  // Throws CorruptDataError on a part this version cannot read. Without a
  // body, text and offsets stay empty. `fields` holds the header's only.
  static StoredDocument unserialise(const std::string& header, const std::string& body = "",
                                    const BodyDictionary& dictionary = BodyDictionary());
  // The record of an indexed document, with the fields of every slot of
  // `schema` the document has a value in; its body only `with_text`.
  static StoredDocument read(const Xapian::Document& doc, const Schema& schema, const BodyDictionary& dictionary,
                             bool with_text);
};

std::string schema_version_string();  // "policy-schema/" + kSchemaVersion

// One field's values for its value slot: pairs of (key, display), in order.
// Control characters in keys and displays become spaces (they separate).
std::string encode_field_values(const Schema& schema, const FieldSpec& field,
                                const std::vector<std::pair<std::string, std::string>>& values);

// And back: calls visit(key, display) for each entry of an encoded slot
// value, in order, without copying: the views point into `encoded`. A
// display left out (the canonical one) is visited as std::nullopt, for the
// caller to resolve with Schema::display when it needs the text.
template <typename Visit>
void for_each_field_value(std::string_view encoded, Visit&& visit) {
  while (!encoded.empty()) {
    const std::size_t end = std::min(encoded.find('\x1E'), encoded.size());
    const std::string_view entry = encoded.substr(0, end);
    const std::size_t split = entry.find('\x1F');
    if (split == std::string_view::npos) {
      visit(entry, std::optional<std::string_view>());
    } else {
      visit(entry.substr(0, split), std::optional<std::string_view>(entry.substr(split + 1)));
    }
    encoded.remove_prefix(std::min(end + 1, encoded.size()));
  }
}

// The display values of an encoded slot value, in order.
nlohmann::json decode_field_displays(const Schema& schema, const FieldSpec& field, std::string_view encoded);

}  // namespace policy
