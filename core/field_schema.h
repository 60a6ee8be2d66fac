// The index schema as data: the fields a document carries beyond its text
// (schemas/fields.json), the gazetteer of organisations
// (schemas/organisations.json), the taxonomy of priority areas
// (schemas/priority_areas.json) and the corpus's own synonyms
// (synonyms.json, optional; read by queries only). Loaded and validated
// once; every error names the file and the field.
//
// Field kinds:
//   keyword  filterable (boolean terms), shown in results, not counted
//   facet    filterable and counted in facets
//   year     an integer year: filterable by value or range ("2010..2015"),
//            counted as a histogram
//   text     free text searchable as "name:words" (positional, own prefix)
//
// Where values come from ("sources", in order):
//   "metadata"  the sidecar or JSONL fields named by metadata_key (default:
//               name; one key or a list), resolved through the field's
//               vocabulary (gazetteer or taxonomy) when it has one
//   "gazetteer" organisations mentioned in the text (organisations.json)
//   "taxonomy"  priority areas the text covers (priority_areas.json)
//   "text"      years: the document's year from the text (year kind, single
//               valued) or every year mentioned (year kind, multi-valued)
//   "language"  the document's language code (facet or keyword kind): its
//               metadata "language", else detected from the text, else the
//               index's default (core/language.h); filter values are
//               language tags ("lang:de", "lang:en-GB", "lang:german")
//
// Thread-safe after construction: immutable.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <xapian.h>

#include "core/errors.h"

namespace policy {

// A problem in a schema file. what() starts with the file, then the field:
//   schemas/fields.json: field "area": duplicate prefix "XA" (also used by "x")
class SchemaError : public Error {
 public:
  using Error::Error;
};

enum class FieldKind { kKeyword, kFacet, kYear, kText };

struct FieldSpec {
  std::string name;                  // as used in queries: name:value
  std::vector<std::string> aliases;  // other names accepted in queries ("org")
  FieldKind kind = FieldKind::kKeyword;
  std::string prefix;                   // Xapian term prefix: "X" + upper-case letters
  std::optional<Xapian::valueno> slot;  // value slot holding the values for counting and display
  bool multi_valued = false;
  std::vector<std::string> sources;  // "metadata", "gazetteer", "taxonomy", "text", "language"; default {"metadata"}
  std::string metadata_key;          // for "metadata": the first of metadata_keys; else ""
  // For "metadata": the keys to read, in order, every value kept (default:
  // the name); fields.json gives one ("metadata_key": "k") or a list.
  std::vector<std::string> metadata_keys;
  // What the values name: "gazetteer" (organisation ids), "taxonomy" (area
  // ids) or "" (free values). Defaults to the field's gazetteer or taxonomy
  // source; a metadata-only field may name one ("publisher"), so that its
  // values and filters resolve to the same ids.
  std::string vocabulary;
  std::string description;

  bool counted() const { return kind == FieldKind::kFacet || kind == FieldKind::kYear; }
  bool from(const std::string& source) const;
};

struct Organisation {
  std::string id;                     // unique slug, e.g. "mep"
  std::string name;                   // canonical display name
  std::vector<std::string> acronyms;  // matched case-sensitively, whole words
  std::vector<std::string> aliases;   // matched as word sequences through the analyzer
  std::string kind;
  std::string country;
  std::optional<int> active_from;
  std::optional<int> active_until;
  std::string succeeded_by;  // id, for renames (MEP -> MEE)
  std::string succeeds;      // id
  std::string note;
};

struct PriorityArea {
  std::string id;                       // unique slug, e.g. "air-quality"
  std::string name;                     // display name
  std::vector<std::string> indicators;  // phrases that signal the area
};

// When a document is tagged with an area: indicator occurrences in the text,
// plus title occurrences weighted by title_mentions_count, reach min_mentions.
struct AreaTaggingRule {
  int min_mentions = 2;
  int title_mentions_count = 3;
  std::string description;
};

class Schema {
 public:
  // Loads fields.json, and organisations.json, priority_areas.json and
  // synonyms.json when present (absent: no organisations, areas or
  // synonyms, and no field may have the first two as vocabulary), from `dir`. Throws SchemaError naming the file and
  // field for malformed JSON (with line and column), unknown keys or kinds, missing or wrongly typed members, duplicate
  // names, aliases, prefixes, slots or ids, prefixes that are not "X" + upper-case letters or clash with the built-in
  // ones, slots outside 10..1000 (0-9 are the engine's), and references to unknown ids.
  static Schema load(const std::filesystem::path& dir);

  // The same from the three files' contents (`origin` names them in
  // messages): what the searcher uses with the copies stored in the index.
  // Messages name each file as ORIGIN/fields.json etc. (the bare file name
  // when `origin` is empty).
  static Schema parse(const std::string& fields_json, const std::string& organisations_json,
                      const std::string& areas_json, const std::string& origin, const std::string& synonyms_json = "");

  const std::vector<FieldSpec>& fields() const { return fields_; }
  const std::vector<Organisation>& organisations() const { return organisations_; }
  const std::vector<PriorityArea>& areas() const { return areas_; }
  const AreaTaggingRule& area_rule() const { return area_rule_; }
  // synonyms.json: groups of words or phrases a query treats as one
  // (searcher/synonyms.h), each of at least two distinct, non-blank terms:
  //   {"version": 1, "synonyms": [{"terms": ["global warming", "climate change"]}]}
  const std::vector<std::vector<std::string>>& synonym_groups() const { return synonym_groups_; }

  // The field called `name` or having it as an alias; nullptr if none.
  const FieldSpec* field(const std::string& name) const;
  const Organisation* organisation(const std::string& id) const;
  const PriorityArea* area(const std::string& id) const;
  // The canonical display text of a key of `field`: the organisation's name
  // (gazetteer fields), the area's name (taxonomy fields), else the key
  // itself. Value slots leave out displays equal to it (encode_field_values).
  std::string display(const FieldSpec& field, const std::string& key) const;

  // The raw texts the schema was parsed from, to store in the index.
  const std::string& fields_json() const { return fields_json_; }
  const std::string& organisations_json() const { return organisations_json_; }
  const std::string& areas_json() const { return areas_json_; }
  const std::string& synonyms_json() const { return synonyms_json_; }

  // Hex hash of the three texts that shape documents (not synonyms.json):
  // part of every document's content hash, so a changed gazetteer or
  // taxonomy re-extracts the documents.
  const std::string& fingerprint() const { return fingerprint_; }

 private:
  std::vector<FieldSpec> fields_;
  std::vector<Organisation> organisations_;
  std::vector<PriorityArea> areas_;
  AreaTaggingRule area_rule_;
  std::vector<std::vector<std::string>> synonym_groups_;
  std::string fields_json_, organisations_json_, areas_json_, synonyms_json_;
  std::string fingerprint_;
  // Lookups for field() (names and aliases), organisation() and area():
  // indexes into the vectors above.
  std::map<std::string, std::size_t> field_index_, organisation_index_, area_index_;
};

}  // namespace policy
