#include "core/field_schema.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <set>
#include <sstream>
#include <tuple>

#include <nlohmann/json.hpp>

#include "core/hashing.h"
#include "core/utf8.h"

namespace policy {
namespace fs = std::filesystem;
namespace {

using nlohmann::json;

constexpr const char* kFieldsFile = "fields.json";
constexpr const char* kOrganisationsFile = "organisations.json";
constexpr const char* kAreasFile = "priority_areas.json";
constexpr const char* kSynonymsFile = "synonyms.json";

// The only schema format this program reads.
constexpr int kFormatVersion = 1;
// Value slots below this are the engine's (index_schema.h); the upper bound
// keeps slot numbers sane (a typo like 1100 is caught).
constexpr std::int64_t kMinSlot = 10;
constexpr std::int64_t kMaxSlot = 1000;
// Largest year accepted in "active".
constexpr std::int64_t kMaxYear = 9999;
// Upper-case letters after the "X" of a field prefix.
constexpr std::size_t kMaxPrefixLetters = 7;
// Schemas are small and flat; deeper JSON is refused before it is built.
constexpr int kMaxJsonDepth = 32;
// The built-in field every query language user knows; not declarable.
constexpr const char* kBuiltInTitle = "title";

// Keys accepted everywhere as free-form commentary (strings).
bool is_commentary_key(const std::string& key) { return key == "description" || key == "note"; }

std::string in_quotes(const std::string& s) { return "\"" + s + "\""; }

// "a, b or c"
std::string join_or(std::initializer_list<const char*> items) {
  std::string out;
  std::size_t i = 0;
  for (const char* item : items) {
    if (i > 0) out += (i + 1 == items.size()) ? " or " : ", ";
    out += item;
    ++i;
  }
  return out;
}

// Bytes >= 0x80 as \xNN: nlohmann's messages may quote a broken UTF-8 byte.
std::string ascii_only(const std::string& s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x80) {
      out.push_back(c);
    } else {
      out += "\\x";
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 0xF]);
    }
  }
  return out;
}

bool is_blank(const std::string& s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; });
}

// [a-z][a-z0-9_]*
bool is_field_name(const std::string& s) {
  if (s.empty() || s[0] < 'a' || s[0] > 'z') return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

// [a-z0-9-]+
bool is_slug(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(),
                                   [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

// "X" + 1..kMaxPrefixLetters of [A-Z]
bool is_field_prefix(const std::string& s) {
  if (s.size() < 2 || s.size() > 1 + kMaxPrefixLetters || s[0] != 'X') return false;
  return std::all_of(s.begin() + 1, s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// The JSON type as a message word: "an integer" is checked separately from
// "number" because 10.5 is a number but not a slot.
std::string type_word(const json& v) {
  if (v.is_number_float()) return "number";
  if (v.is_number()) return "integer";
  return v.type_name();
}

// Line and column (1-based; columns count UTF-8 code points) of the byte at
// `offset`, clamped to the end of `text`.
std::pair<std::size_t, std::size_t> line_and_column(const std::string& text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if (!is_utf8_continuation(text[i])) {
      ++column;
    }
  }
  return {line, column};
}

// Thrown by the parse callback; turned into SchemaError with the file name.
struct DuplicateKey {
  std::string key;
};
struct TooDeep {};

// One file's messages: "FILE: SUBJECT: PROBLEM" (SUBJECT may be empty).
class Reporter {
 public:
  explicit Reporter(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const std::string& subject, const std::string& problem) const {
    throw SchemaError(file_ + ": " + (subject.empty() ? "" : subject + ": ") + problem);
  }

  // Parses `text`, turning nlohmann's errors (byte offsets) into line and
  // column, and refusing duplicate keys: nlohmann keeps the last silently,
  // which would hide a typo-free but conflicting edit.
  json parse(const std::string& text) const {
    std::vector<std::set<std::string>> open_objects;  // keys seen, innermost last
    const auto callback = [&](int depth, json::parse_event_t event, json& parsed) {
      if (depth > kMaxJsonDepth) throw TooDeep{};
      if (event == json::parse_event_t::object_start) {
        open_objects.emplace_back();
      } else if (event == json::parse_event_t::object_end) {
        if (!open_objects.empty()) open_objects.pop_back();
      } else if (event == json::parse_event_t::key && !open_objects.empty()) {
        const std::string key = parsed.get<std::string>();
        if (!open_objects.back().insert(key).second) throw DuplicateKey{key};
      }
      return true;
    };
    try {
      return json::parse(text, callback);
    } catch (const json::parse_error& e) {
      // e.byte counts the bytes read, the offending one included.
      const auto [line, column] = line_and_column(text, e.byte == 0 ? 0 : e.byte - 1);
      std::string detail = e.what();
      // Drop nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 2: ".
      const std::size_t colon = detail.find(": ");
      if (colon != std::string::npos) detail.erase(0, colon + 2);
      fail("", "line " + std::to_string(line) + ", column " + std::to_string(column) +
                   ": malformed JSON: " + ascii_only(detail));
    } catch (const DuplicateKey& e) {
      fail("", "duplicate key " + in_quotes(e.key) + " in one object");
    } catch (const TooDeep&) {
      fail("", "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    }
  }

  // The top level: an object with "version": 1 and only `known` keys
  // besides; returns the required array `list_key`.
  const json& top_level(const json& doc, std::initializer_list<const char*> known, const char* list_key) const {
    if (!doc.is_object()) fail("", "top level must be an object, not " + type_word(doc));
    check_keys(doc, "", known);
    const auto version = doc.find("version");
    if (version == doc.end()) fail("", "missing required key \"version\"");
    if (!version->is_number_integer() || version->get<std::int64_t>() != kFormatVersion) {
      fail("", "unsupported version " + version->dump() + " (expected " + std::to_string(kFormatVersion) + ")");
    }
    const json* list = member(doc, "", list_key, true);
    if (!list->is_array()) fail("", "\"" + std::string(list_key) + "\" must be an array, not " + type_word(*list));
    return *list;
  }

  // Refuses keys outside `known` (plus commentary keys, which must be strings).
  void check_keys(const json& object, const std::string& subject, std::initializer_list<const char*> known) const {
    for (const auto& [key, value] : object.items()) {
      if (is_commentary_key(key)) {
        if (!value.is_string()) fail(subject, in_quotes(key) + " must be a string, not " + type_word(value));
        continue;
      }
      // A named copy: clang before 16 cannot capture structured bindings.
      const std::string& name = key;
      if (std::none_of(known.begin(), known.end(), [&](const char* k) { return name == k; })) {
        std::string list;
        for (const char* k : known) list += std::string(list.empty() ? "" : ", ") + k;
        fail(subject, "unknown key " + in_quotes(key) + " (known keys: " + list + ")");
      }
    }
  }

  // The member `key` of `object`; nullptr when absent and optional.
  const json* member(const json& object, const std::string& subject, const std::string& key, bool required) const {
    const auto it = object.find(key);
    if (it == object.end()) {
      if (required) fail(subject, "missing required key " + in_quotes(key));
      return nullptr;
    }
    return &*it;
  }

  std::optional<std::string> string_member(const json& object, const std::string& subject, const std::string& key,
                                           bool required) const {
    const json* v = member(object, subject, key, required);
    if (v == nullptr) return std::nullopt;
    if (!v->is_string()) fail(subject, in_quotes(key) + " must be a string, not " + type_word(*v));
    return v->get<std::string>();
  }

  std::vector<std::string> string_list_member(const json& object, const std::string& subject, const std::string& key,
                                              bool required) const {
    std::vector<std::string> out;
    const json* v = member(object, subject, key, required);
    if (v == nullptr) return out;
    if (!v->is_array()) fail(subject, in_quotes(key) + " must be an array of strings, not " + type_word(*v));
    for (std::size_t i = 0; i < v->size(); ++i) {
      const json& item = (*v)[i];
      if (!item.is_string()) {
        fail(subject,
             in_quotes(key) + " must be an array of strings; item " + std::to_string(i + 1) + " is " + type_word(item));
      }
      out.push_back(item.get<std::string>());
    }
    return out;
  }

  std::optional<std::int64_t> int_member(const json& object, const std::string& subject, const std::string& key,
                                         bool required) const {
    const json* v = member(object, subject, key, required);
    if (v == nullptr) return std::nullopt;
    if (!v->is_number_integer()) fail(subject, in_quotes(key) + " must be an integer, not " + type_word(*v));
    // Unsigned values beyond int64 are out of every range we accept.
    if (v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
      return INT64_MAX;
    }
    return v->get<std::int64_t>();
  }

  std::optional<bool> bool_member(const json& object, const std::string& subject, const std::string& key) const {
    const json* v = member(object, subject, key, false);
    if (v == nullptr) return std::nullopt;
    if (!v->is_boolean()) fail(subject, in_quotes(key) + " must be a boolean, not " + type_word(*v));
    return v->get<bool>();
  }

  // `KIND "ID"` naming an entry by its id (or name) member, or `KIND #N`
  // (1-based) when that is missing or not a string.
  std::string subject_for(const json& entry, const char* kind, const char* id_key, std::size_t index) const {
    if (entry.is_object()) {
      const auto it = entry.find(id_key);
      if (it != entry.end() && it->is_string() && !it->get<std::string>().empty()) {
        return std::string(kind) + " " + in_quotes(it->get<std::string>());
      }
    }
    return std::string(kind) + " #" + std::to_string(index + 1);
  }

 private:
  std::string file_;
};

std::optional<FieldKind> kind_from_string(const std::string& s) {
  if (s == "keyword") return FieldKind::kKeyword;
  if (s == "facet") return FieldKind::kFacet;
  if (s == "year") return FieldKind::kYear;
  if (s == "text") return FieldKind::kText;
  return std::nullopt;
}

std::vector<FieldSpec> parse_fields(const std::string& text, const Reporter& r) {
  const json doc = r.parse(text);
  const json& list = r.top_level(doc, {"version", "fields"}, "fields");
  std::vector<FieldSpec> fields;
  std::map<std::string, std::string> owner_of_name;  // name or alias -> field
  std::map<Xapian::valueno, std::string> owner_of_slot;

  for (std::size_t i = 0; i < list.size(); ++i) {
    const json& entry = list[i];
    const std::string subject = r.subject_for(entry, "field", "name", i);
    if (!entry.is_object()) r.fail(subject, "must be an object, not " + type_word(entry));
    r.check_keys(
        entry, subject,
        {"name", "aliases", "kind", "prefix", "slot", "multi_valued", "sources", "metadata_key", "vocabulary"});
    FieldSpec f;

    // Names: the query language's "name:value", so one grammar and one owner each.
    f.name = *r.string_member(entry, subject, "name", true);
    if (!is_field_name(f.name)) r.fail(subject, "invalid name (must match [a-z][a-z0-9_]*)");
    f.aliases = r.string_list_member(entry, subject, "aliases", false);
    std::vector<std::pair<std::string, std::string>> names = {{"name", f.name}};
    for (const std::string& alias : f.aliases) {
      if (!is_field_name(alias)) {
        r.fail(subject, "invalid alias " + in_quotes(alias) + " (must match [a-z][a-z0-9_]*)");
      }
      names.emplace_back("alias", alias);
    }
    for (const auto& [what, name] : names) {
      if (name == kBuiltInTitle) r.fail(subject, what + " \"title\" is reserved for the built-in title field");
      const auto [it, inserted] = owner_of_name.emplace(name, f.name);
      if (!inserted) r.fail(subject, what + " " + in_quotes(name) + " already used by field " + in_quotes(it->second));
    }

    const std::string kind = *r.string_member(entry, subject, "kind", true);
    const std::optional<FieldKind> parsed_kind = kind_from_string(kind);
    if (!parsed_kind) {
      r.fail(subject,
             "unknown kind " + in_quotes(kind) + " (expected " + join_or({"keyword", "facet", "year", "text"}) + ")");
    }
    f.kind = *parsed_kind;

    // Prefixes: "X" + capitals (Omega's convention for user fields). A
    // prefix that begins another would make "XO" + "Rbit" and "XOR" + "bit"
    // the same term, so no prefix may start another.
    f.prefix = *r.string_member(entry, subject, "prefix", true);
    if (!is_field_prefix(f.prefix)) {
      r.fail(subject, "invalid prefix " + in_quotes(f.prefix) + " (must be \"X\" followed by 1 to " +
                          std::to_string(kMaxPrefixLetters) + " upper-case ASCII letters)");
    }
    for (const FieldSpec& other : fields) {
      if (other.prefix == f.prefix) {
        r.fail(subject, "duplicate prefix " + in_quotes(f.prefix) + " (also used by " + in_quotes(other.name) + ")");
      }
      if (f.prefix.starts_with(other.prefix) || other.prefix.starts_with(f.prefix)) {
        r.fail(subject, "prefix " + in_quotes(f.prefix) + " and prefix " + in_quotes(other.prefix) + " of field " +
                            in_quotes(other.name) + " start alike: terms would be ambiguous");
      }
    }

    if (const auto slot = r.int_member(entry, subject, "slot", false)) {
      if (*slot < kMinSlot || *slot > kMaxSlot) {
        r.fail(subject, "slot " + std::to_string(*slot) + " out of range (must be " + std::to_string(kMinSlot) +
                            " to " + std::to_string(kMaxSlot) + "; 0 to 9 are the engine's)");
      }
      f.slot = static_cast<Xapian::valueno>(*slot);
      const auto [it, inserted] = owner_of_slot.emplace(*f.slot, f.name);
      if (!inserted) {
        r.fail(subject, "duplicate slot " + std::to_string(*slot) + " (also used by " + in_quotes(it->second) + ")");
      }
    } else if (f.counted()) {
      r.fail(subject, "missing required key \"slot\" (kind " + kind + " is counted in facets)");
    }

    f.multi_valued = r.bool_member(entry, subject, "multi_valued").value_or(false);

    // Sources: default "metadata"; each must make sense for the kind.
    if (entry.contains("sources")) {
      f.sources = r.string_list_member(entry, subject, "sources", false);
      if (f.sources.empty()) r.fail(subject, "\"sources\" is empty (omit it to read from metadata)");
    } else {
      f.sources = {"metadata"};
    }
    for (std::size_t s = 0; s < f.sources.size(); ++s) {
      const std::string& source = f.sources[s];
      if (std::find(f.sources.begin(), f.sources.begin() + s, source) != f.sources.begin() + s) {
        r.fail(subject, "source " + in_quotes(source) + " listed twice");
      }
      if (source == "gazetteer" || source == "taxonomy") {
        if (f.kind != FieldKind::kFacet && f.kind != FieldKind::kKeyword) {
          r.fail(subject, "source " + in_quotes(source) + " needs kind facet or keyword, not " + kind);
        }
      } else if (source == "text") {
        if (f.kind != FieldKind::kYear) r.fail(subject, "source \"text\" needs kind year, not " + kind);
      } else if (source == "language") {
        if (f.kind != FieldKind::kFacet && f.kind != FieldKind::kKeyword) {
          r.fail(subject, "source \"language\" needs kind facet or keyword, not " + kind);
        }
      } else if (source != "metadata") {
        r.fail(subject, "unknown source " + in_quotes(source) + " (expected " +
                            join_or({"metadata", "gazetteer", "taxonomy", "text", "language"}) + ")");
      }
    }

    // metadata_key: one key or a list, read in order, every value kept.
    if (const json* keys = r.member(entry, subject, "metadata_key", false)) {
      if (!f.from("metadata")) r.fail(subject, "\"metadata_key\" given but \"sources\" lacks \"metadata\"");
      f.metadata_keys = keys->is_array()
                            ? r.string_list_member(entry, subject, "metadata_key", false)
                            : std::vector<std::string>{*r.string_member(entry, subject, "metadata_key", false)};
      if (f.metadata_keys.empty()) r.fail(subject, "\"metadata_key\" is empty");
      for (const std::string& key : f.metadata_keys) {
        if (is_blank(key)) r.fail(subject, "\"metadata_key\" is blank");
      }
    } else if (f.from("metadata")) {
      f.metadata_keys = {f.name};
    }
    if (!f.metadata_keys.empty()) f.metadata_key = f.metadata_keys.front();

    // Vocabulary: what the values name, so that metadata values and filters
    // resolve to the same keys the gazetteer or taxonomy gives.
    if (const auto vocabulary = r.string_member(entry, subject, "vocabulary", false)) {
      if (*vocabulary != "gazetteer" && *vocabulary != "taxonomy") {
        r.fail(subject, "unknown vocabulary " + in_quotes(*vocabulary) + " (expected " +
                            join_or({"gazetteer", "taxonomy"}) + ")");
      }
      if (f.kind != FieldKind::kFacet && f.kind != FieldKind::kKeyword) {
        r.fail(subject, "vocabulary " + in_quotes(*vocabulary) + " needs kind facet or keyword, not " + kind);
      }
      const std::string other = *vocabulary == "gazetteer" ? "taxonomy" : "gazetteer";
      if (f.from(other)) {
        r.fail(subject, "vocabulary " + in_quotes(*vocabulary) + " but source " + in_quotes(other));
      }
      f.vocabulary = *vocabulary;
    } else if (f.from("gazetteer")) {
      f.vocabulary = "gazetteer";
    } else if (f.from("taxonomy")) {
      f.vocabulary = "taxonomy";
    }
    if (f.from("gazetteer") && f.from("taxonomy")) {
      r.fail(subject, "sources \"gazetteer\" and \"taxonomy\" in one field (their values would mix)");
    }
    f.description = entry.value("description", "");
    fields.push_back(std::move(f));
  }
  return fields;
}

// The "id" and "name" of the entries of a gazetteer or taxonomy list: ids
// are slugs and names are non-blank, each unique in the list.
class UniqueEntries {
 public:
  explicit UniqueEntries(const Reporter& r) : r_(r) {}
  // Entry `i` (0-based) of its list, an object.
  std::pair<std::string, std::string> id_and_name(const json& entry, const std::string& subject, std::size_t i) {
    std::string id = *r_.string_member(entry, subject, "id", true);
    if (!is_slug(id)) r_.fail(subject, "invalid id (must match [a-z0-9-]+)");
    if (const auto [it, inserted] = entry_of_id_.emplace(id, i + 1); !inserted) {
      r_.fail(subject, "duplicate id (entries #" + std::to_string(it->second) + " and #" + std::to_string(i + 1) + ")");
    }
    std::string name = *r_.string_member(entry, subject, "name", true);
    if (is_blank(name)) r_.fail(subject, "\"name\" is blank");
    if (const auto [it, inserted] = owner_of_name_.emplace(name, id); !inserted) {
      r_.fail(subject, "duplicate name " + in_quotes(name) + " (also used by " + in_quotes(it->second) + ")");
    }
    return {std::move(id), std::move(name)};
  }
  bool has_id(const std::string& id) const { return entry_of_id_.contains(id); }

 private:
  const Reporter& r_;
  std::map<std::string, std::size_t> entry_of_id_;    // id -> 1-based entry number
  std::map<std::string, std::string> owner_of_name_;  // name -> id
};

std::vector<Organisation> parse_organisations(const std::string& text, const Reporter& r) {
  const json doc = r.parse(text);
  const json& list = r.top_level(doc, {"version", "organisations"}, "organisations");
  std::vector<Organisation> organisations;
  UniqueEntries entries(r);
  std::vector<std::string> subjects;  // for the reference checks below

  for (std::size_t i = 0; i < list.size(); ++i) {
    const json& entry = list[i];
    const std::string subject = r.subject_for(entry, "organisation", "id", i);
    if (!entry.is_object()) r.fail(subject, "must be an object, not " + type_word(entry));
    r.check_keys(entry, subject,
                 {"id", "name", "acronyms", "aliases", "kind", "country", "active", "succeeded_by", "succeeds"});
    Organisation o;
    std::tie(o.id, o.name) = entries.id_and_name(entry, subject, i);

    // Acronyms match case-sensitively as single words: a lower-case or
    // spaced "acronym" would match ordinary prose or never match.
    o.acronyms = r.string_list_member(entry, subject, "acronyms", false);
    for (const std::string& acronym : o.acronyms) {
      if (std::none_of(acronym.begin(), acronym.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
        r.fail(subject, "acronym " + in_quotes(acronym) + " has no upper-case letter");
      }
      if (std::any_of(acronym.begin(), acronym.end(), [](char c) { return is_blank(std::string(1, c)); })) {
        r.fail(subject, "acronym " + in_quotes(acronym) + " contains white space");
      }
    }
    o.aliases = r.string_list_member(entry, subject, "aliases", false);
    for (const std::string& alias : o.aliases) {
      if (is_blank(alias)) r.fail(subject, "blank alias");
    }
    o.kind = r.string_member(entry, subject, "kind", false).value_or("");
    o.country = r.string_member(entry, subject, "country", false).value_or("");
    if (const json* active = r.member(entry, subject, "active", false)) {
      if (!active->is_object()) r.fail(subject, "\"active\" must be an object, not " + type_word(*active));
      const std::string active_subject = subject + ": \"active\"";
      r.check_keys(*active, active_subject, {"from", "until"});
      using Target = std::pair<const char*, std::optional<int>*>;
      for (const auto& [key, target] : {Target{"from", &o.active_from}, Target{"until", &o.active_until}}) {
        if (const auto year = r.int_member(*active, active_subject, key, false)) {
          if (*year < 0 || *year > kMaxYear) {
            r.fail(active_subject, in_quotes(key) + " must be a year (0 to " + std::to_string(kMaxYear) + "), not " +
                                       std::to_string(*year));
          }
          *target = static_cast<int>(*year);
        }
      }
      if (o.active_from && o.active_until && *o.active_until < *o.active_from) {
        r.fail(subject, "\"active\" ends (" + std::to_string(*o.active_until) + ") before it starts (" +
                            std::to_string(*o.active_from) + ")");
      }
    }
    o.succeeded_by = r.string_member(entry, subject, "succeeded_by", false).value_or("");
    o.succeeds = r.string_member(entry, subject, "succeeds", false).value_or("");
    o.note = entry.value("note", "");
    organisations.push_back(std::move(o));
    subjects.push_back(subject);
  }

  // References may point forward, so they are checked once all ids are known.
  for (std::size_t i = 0; i < organisations.size(); ++i) {
    const Organisation& o = organisations[i];
    for (const char* key : {"succeeded_by", "succeeds"}) {
      if (!list[i].contains(key)) continue;
      const std::string& target = std::string(key) == "succeeds" ? o.succeeds : o.succeeded_by;
      if (target == o.id) r.fail(subjects[i], in_quotes(key) + " names the organisation itself");
      if (!entries.has_id(target)) {
        r.fail(subjects[i], in_quotes(key) + " names unknown organisation " + in_quotes(target));
      }
    }
  }
  return organisations;
}

std::vector<PriorityArea> parse_areas(const std::string& text, const Reporter& r, AreaTaggingRule& rule) {
  const json doc = r.parse(text);
  const json& list = r.top_level(doc, {"version", "rule", "areas"}, "areas");

  // The rule is optional: AreaTaggingRule's defaults apply.
  rule = AreaTaggingRule{};
  if (const json* object = r.member(doc, "", "rule", false)) {
    if (!object->is_object()) r.fail("", "\"rule\" must be an object, not " + type_word(*object));
    r.check_keys(*object, "rule", {"min_mentions", "title_mentions_count"});
    using Target = std::pair<const char*, int*>;
    for (const auto& [key, target] :
         {Target{"min_mentions", &rule.min_mentions}, Target{"title_mentions_count", &rule.title_mentions_count}}) {
      if (const auto value = r.int_member(*object, "rule", key, false)) {
        if (*value < 1) r.fail("rule", in_quotes(key) + " must be at least 1, not " + std::to_string(*value));
        *target = static_cast<int>(std::min<std::int64_t>(*value, INT32_MAX));
      }
    }
    rule.description = object->value("description", "");
  }

  std::vector<PriorityArea> areas;
  UniqueEntries entries(r);
  for (std::size_t i = 0; i < list.size(); ++i) {
    const json& entry = list[i];
    const std::string subject = r.subject_for(entry, "area", "id", i);
    if (!entry.is_object()) r.fail(subject, "must be an object, not " + type_word(entry));
    r.check_keys(entry, subject, {"id", "name", "indicators"});
    PriorityArea a;
    std::tie(a.id, a.name) = entries.id_and_name(entry, subject, i);

    // A blank indicator would match nothing (or everything); a repeated one
    // would count its mentions twice.
    a.indicators = r.string_list_member(entry, subject, "indicators", true);
    if (a.indicators.empty()) r.fail(subject, "no indicators (an area needs at least one non-blank indicator)");
    for (std::size_t k = 0; k < a.indicators.size(); ++k) {
      const std::string& indicator = a.indicators[k];
      if (is_blank(indicator)) r.fail(subject, "indicator #" + std::to_string(k + 1) + " is blank");
      if (std::find(a.indicators.begin(), a.indicators.begin() + k, indicator) != a.indicators.begin() + k) {
        r.fail(subject, "indicator " + in_quotes(indicator) + " listed twice");
      }
    }
    areas.push_back(std::move(a));
  }
  return areas;
}

std::vector<std::vector<std::string>> parse_synonyms(const std::string& text, const Reporter& r) {
  const json doc = r.parse(text);
  const json& list = r.top_level(doc, {"version", "synonyms"}, "synonyms");
  std::vector<std::vector<std::string>> groups;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const json& entry = list[i];
    const std::string subject = "synonym group #" + std::to_string(i + 1);
    if (!entry.is_object()) r.fail(subject, "must be an object, not " + type_word(entry));
    r.check_keys(entry, subject, {"terms"});
    std::vector<std::string> terms = r.string_list_member(entry, subject, "terms", true);
    // One term is no equivalence; a blank one would match nothing.
    if (terms.size() < 2) r.fail(subject, "\"terms\" needs at least two words or phrases");
    for (std::size_t k = 0; k < terms.size(); ++k) {
      if (is_blank(terms[k])) r.fail(subject, "term #" + std::to_string(k + 1) + " is blank");
      if (std::find(terms.begin(), terms.begin() + k, terms[k]) != terms.begin() + k) {
        r.fail(subject, "term " + in_quotes(terms[k]) + " listed twice");
      }
    }
    groups.push_back(std::move(terms));
  }
  return groups;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SchemaError(path.string() + ": cannot read: " + std::strerror(errno));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) throw SchemaError(path.string() + ": read error: " + std::strerror(errno));
  return bytes.str();
}

// The name a file goes by in messages: ORIGIN/FILE, or FILE alone.
std::string file_label(const std::string& origin, const char* file) {
  return origin.empty() ? std::string(file) : (fs::path(origin) / file).string();
}

}  // namespace

bool FieldSpec::from(const std::string& source) const {
  return std::find(sources.begin(), sources.end(), source) != sources.end();
}

Schema Schema::load(const fs::path& dir) {
  // Read all before parsing so a missing fields.json is reported as such;
  // the gazetteer and taxonomy are optional.
  std::string fields = read_text(dir / kFieldsFile);
  const auto optional_text = [&](const char* file) {
    std::error_code error;
    return fs::exists(dir / file, error) ? read_text(dir / file) : std::string();
  };
  std::string organisations = optional_text(kOrganisationsFile);
  std::string areas = optional_text(kAreasFile);
  std::string synonyms = optional_text(kSynonymsFile);
  return parse(fields, organisations, areas, dir.string(), synonyms);
}

Schema Schema::parse(const std::string& fields_json, const std::string& organisations_json,
                     const std::string& areas_json, const std::string& origin, const std::string& synonyms_json) {
  Schema schema;
  schema.fields_ = parse_fields(fields_json, Reporter(file_label(origin, kFieldsFile)));
  // An absent gazetteer or taxonomy (empty text) is an empty one, which no
  // field may read from.
  if (!organisations_json.empty()) {
    schema.organisations_ = parse_organisations(organisations_json, Reporter(file_label(origin, kOrganisationsFile)));
  }
  if (!areas_json.empty()) {
    schema.areas_ = parse_areas(areas_json, Reporter(file_label(origin, kAreasFile)), schema.area_rule_);
  }
  for (const FieldSpec& field : schema.fields_) {
    const auto require = [&](const std::string& text, const char* vocabulary, const char* file) {
      if (field.vocabulary == vocabulary && text.empty()) {
        throw SchemaError(file_label(origin, kFieldsFile) + ": field " + in_quotes(field.name) + ": vocabulary " +
                          in_quotes(vocabulary) + " but there is no " + file + " beside it");
      }
    };
    require(organisations_json, "gazetteer", kOrganisationsFile);
    require(areas_json, "taxonomy", kAreasFile);
  }
  schema.fields_json_ = fields_json;
  schema.organisations_json_ = organisations_json;
  schema.areas_json_ = areas_json;
  if (!synonyms_json.empty()) {
    schema.synonym_groups_ = parse_synonyms(synonyms_json, Reporter(file_label(origin, kSynonymsFile)));
  }
  schema.synonyms_json_ = synonyms_json;

  // FNV-1a 64 over the three texts, each followed by a NUL (which valid JSON
  // text cannot contain), so moving bytes between files changes the hash.
  Fnv1a64 hash;
  for (const std::string* text : {&fields_json, &organisations_json, &areas_json}) hash.add(*text).add_byte('\0');
  schema.fingerprint_ = hash.hex();

  for (std::size_t i = 0; i < schema.fields_.size(); ++i) {
    schema.field_index_.emplace(schema.fields_[i].name, i);
    for (const std::string& alias : schema.fields_[i].aliases) schema.field_index_.emplace(alias, i);
  }
  for (std::size_t i = 0; i < schema.organisations_.size(); ++i) {
    schema.organisation_index_.emplace(schema.organisations_[i].id, i);
  }
  for (std::size_t i = 0; i < schema.areas_.size(); ++i) schema.area_index_.emplace(schema.areas_[i].id, i);
  return schema;
}

const FieldSpec* Schema::field(const std::string& name) const {
  const auto it = field_index_.find(name);
  return it == field_index_.end() ? nullptr : &fields_[it->second];
}

const Organisation* Schema::organisation(const std::string& id) const {
  const auto it = organisation_index_.find(id);
  return it == organisation_index_.end() ? nullptr : &organisations_[it->second];
}

const PriorityArea* Schema::area(const std::string& id) const {
  const auto it = area_index_.find(id);
  return it == area_index_.end() ? nullptr : &areas_[it->second];
}

std::string Schema::display(const FieldSpec& field, const std::string& key) const {
  if (field.vocabulary == "gazetteer") {
    if (const Organisation* org = organisation(key)) return org->name;
  }
  if (field.vocabulary == "taxonomy") {
    if (const PriorityArea* a = area(key)) return a->name;
  }
  return key;
}

}  // namespace policy
