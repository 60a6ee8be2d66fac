#include "searcher/filter_values.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <tuple>

#include "core/utf8.h"

namespace policy {
namespace {

std::optional<int> parse_year(std::string_view s) {
  if (s.size() != 4 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::atoi(std::string(s).c_str());
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// "field:value" as it could be typed again: the value quoted when it holds
// a space.
std::string as_typed(const QueryNode& leaf) {
  const bool quote = leaf.text.find(' ') != std::string::npos || leaf.kind == QueryNode::Kind::kPhrase;
  return leaf.field + ":" + (quote ? "\"" + leaf.text + "\"" : leaf.text);
}

// Lower-cased words of `text` (runs of ASCII letters and digits, and of any
// non-ASCII bytes).
std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || std::isalnum(u)) {
      word += static_cast<char>(std::tolower(u));
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

// Edit distance over bytes: insertions, deletions, substitutions and
// swaps of neighbours ("MPE" for "MEP") cost one (optimal string alignment).
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

// Longer texts are not compared letter by letter: the table grows with the
// product of the lengths.
constexpr std::size_t kMaxEditLength = 64;

// (tier, distance) of `name` for `typed`, both lower-cased; nullopt when not
// close. Tiers as closest_values() lists them.
std::optional<std::pair<int, std::size_t>> closeness(const std::string& typed, const std::string& name) {
  if (typed.empty() || name.empty()) return std::nullopt;
  const std::size_t distance = typed.size() <= kMaxEditLength && name.size() <= kMaxEditLength
                                   ? edit_distance(typed, name)
                                   : std::max(typed.size(), name.size());
  // A short value ("un") begins too many names ("united states ..."): it
  // counts as the start of a one-word name (an acronym, a key) or as a
  // whole first word only.
  const bool short_typed = typed.size() <= 2;
  const bool begins =
      name.starts_with(typed) && (!short_typed || name.find(' ') == std::string::npos || name[typed.size()] == ' ');
  if (begins || (name.size() > 2 && typed.starts_with(name))) return std::pair{0, distance};
  // One or two letters ("un") are inside too many names to say anything.
  if (typed.size() > 2 && name.find(typed) != std::string::npos) return std::pair{1, distance};
  const std::vector<std::string> typed_words = words_of(typed);
  const std::vector<std::string> name_words = words_of(name);
  for (const std::string& w : typed_words) {
    // Words of one or two letters ("of", "un") are shared by too many names.
    if (w.size() > 2 && std::find(name_words.begin(), name_words.end(), w) != name_words.end()) {
      return std::pair{1, distance};
    }
  }
  if (distance <= std::min(typed.size(), name.size()) / 3) return std::pair{2, distance};
  return std::nullopt;
}

// The values the index holds for a field that is not a year field, with
// the names each answers to.
std::vector<KnownValue> known_values(const FieldSpec& field, const Schema& schema, const Xapian::Database& db) {
  std::vector<KnownValue> known;
  for (auto it = db.allterms_begin(field.prefix); it != db.allterms_end(field.prefix); ++it) {
    const std::string key = (*it).substr(field.prefix.size());
    KnownValue value{schema.display(field, key), {key}};
    value.names.push_back(value.suggestion);
    if (field.from("gazetteer")) {
      if (const Organisation* org = schema.organisation(key)) {
        value.names.insert(value.names.end(), org->acronyms.begin(), org->acronyms.end());
        value.names.insert(value.names.end(), org->aliases.begin(), org->aliases.end());
      }
    }
    known.push_back(std::move(value));
  }
  return known;
}

// The indexed years of a year field nearest to `range`, nearest first (then
// the earlier), at most `max`.
std::vector<std::string> nearest_years(const FieldSpec& field, const YearRange& range, const Xapian::Database& db,
                                       std::size_t max) {
  std::vector<std::pair<int, int>> by_distance;  // (distance, year)
  for (auto it = db.allterms_begin(field.prefix); it != db.allterms_end(field.prefix); ++it) {
    const std::optional<int> year = parse_year(std::string_view(*it).substr(field.prefix.size()));
    if (!year) continue;
    const int distance = *year < range.from ? range.from - *year : *year > range.to ? *year - range.to : 0;
    by_distance.emplace_back(distance, *year);
  }
  std::sort(by_distance.begin(), by_distance.end());
  std::vector<std::string> years;
  for (std::size_t i = 0; i < by_distance.size() && i < max; ++i)
    years.push_back(std::to_string(by_distance[i].second));
  return years;
}

constexpr std::size_t kSuggestions = 5;

}  // namespace

std::optional<YearRange> parse_year_range(std::string_view text) {
  text = trimmed(text);
  // Comparisons: >YYYY, >=YYYY, <YYYY, <=YYYY.
  if (!text.empty() && (text.front() == '>' || text.front() == '<')) {
    const bool after = text.front() == '>';
    text.remove_prefix(1);
    const bool inclusive = !text.empty() && text.front() == '=';
    if (inclusive) text.remove_prefix(1);
    const std::optional<int> year = parse_year(trimmed(text));
    if (!year) return std::nullopt;
    if (after) return YearRange{inclusive ? *year : *year + 1, 9999};
    if (!inclusive && *year == 0) return std::nullopt;
    return YearRange{0, inclusive ? *year : *year - 1};
  }
  // Ranges: YYYY..YYYY, YYYY.., ..YYYY, YYYY-YYYY, YYYY–YYYY (en dash).
  std::size_t separator = text.find("..");
  std::size_t separator_size = 2;
  bool open_ends = true;
  if (separator == std::string_view::npos) {
    open_ends = false;
    separator = text.find("\u2013");
    separator_size = 3;
    if (separator == std::string_view::npos) {
      separator = text.find('-');
      separator_size = 1;
    }
  }
  if (separator == std::string_view::npos) {
    const std::optional<int> year = parse_year(text);
    if (!year) return std::nullopt;
    return YearRange{*year, *year};
  }
  const std::string_view low = trimmed(text.substr(0, separator));
  const std::string_view high = trimmed(text.substr(separator + separator_size));
  if ((low.empty() || high.empty()) && (!open_ends || (low.empty() && high.empty()))) return std::nullopt;
  YearRange range;
  if (!low.empty()) {
    const std::optional<int> year = parse_year(low);
    if (!year) return std::nullopt;
    range.from = *year;
  }
  if (!high.empty()) {
    const std::optional<int> year = parse_year(high);
    if (!year) return std::nullopt;
    range.to = *year;
  }
  if (range.from > range.to) return std::nullopt;
  return range;
}

void check_filter_form(const QueryNode& leaf, const FieldSpec& field, const FieldExtractor& extractor) {
  if (leaf.kind == QueryNode::Kind::kWildcard) {
    throw QuerySyntaxError("wildcards do not apply to the field '" + field.name + "'", leaf.position,
                           "give a whole value, e.g. " + field.name + ":\"...\"");
  }
  if (field.kind == FieldKind::kYear) {
    if (!parse_year_range(leaf.text)) {
      const std::string& f = field.name;
      throw QuerySyntaxError("'" + leaf.text + "' is not a year or a range of years", leaf.position,
                             "write " + f + ":2016, " + f + ":2010..2015 (or 2010-2015), " + f + ":2010.., " + f +
                                 ":..2015, " + f + ":>2010, " + f + ":>=2010, " + f + ":<2015 or " + f + ":<=2015");
    }
  } else if (field.kind == FieldKind::kText) {
    throw QuerySyntaxError("the field '" + field.name + "' is free text, which filters do not support yet",
                           leaf.position, "search for the words without the field name");
  } else if (extractor.resolve(field, leaf.text).empty()) {
    throw QuerySyntaxError("no value to filter '" + field.name + "' by", leaf.position,
                           "give a value with letters or digits, e.g. " + field.name + ":\"...\"");
  }
}

std::optional<QueryWarning> unknown_filter_value(const QueryNode& leaf, const FieldSpec& field, const Schema& schema,
                                                 const FieldExtractor& extractor, const Xapian::Database& db) {
  QueryWarning warning{warning_code::kUnknownFilterValue, "", field.name, leaf.text, {}};
  bool every_value = false;  // the suggestions are all the field's values, close or not
  if (field.kind == FieldKind::kYear) {
    const std::optional<YearRange> range = parse_year_range(leaf.text);
    if (!range) return std::nullopt;
    for (auto it = db.allterms_begin(field.prefix); it != db.allterms_end(field.prefix); ++it) {
      const std::optional<int> year = parse_year(std::string_view(*it).substr(field.prefix.size()));
      if (year && *year >= range->from && *year <= range->to) return std::nullopt;
    }
    warning.suggestions = nearest_years(field, *range, db, kSuggestions);
    warning.message = as_typed(leaf) + " matches no " + field.name + " in the index";
  } else {
    const std::vector<std::string> keys = extractor.resolve(field, leaf.text);
    if (keys.empty()) return std::nullopt;
    for (const std::string& key : keys) {
      if (db.term_exists(field.prefix + key)) return std::nullopt;
    }
    const std::vector<KnownValue> known = known_values(field, schema, db);
    warning.suggestions = closest_values(leaf.text, known, kSuggestions);
    // Nothing close among a few values (languages, say): all of them.
    if (warning.suggestions.empty() && known.size() <= kSuggestions) {
      for (const KnownValue& value : known) warning.suggestions.push_back(value.suggestion);
      std::sort(warning.suggestions.begin(), warning.suggestions.end());
      every_value = true;
    }
    // A name the gazetteer or taxonomy knows, that no document is tagged with.
    const std::string known_as = schema.display(field, keys.front());
    const bool in_schema = keys.size() > 1 || known_as != keys.front();
    warning.message = in_schema ? as_typed(leaf) + " (" + known_as + ") is in no document of the index"
                                : as_typed(leaf) + " matches no " + field.name + " in the index";
  }
  if (warning.suggestions.empty()) {
    warning.message += "; policy-search --facets lists the values";
  } else {
    std::string closest;
    for (const std::string& s : warning.suggestions) closest += (closest.empty() ? "" : ", ") + s;
    warning.message += (every_value ? "; the index holds only: " : "; closest: ") + closest;
  }
  return warning;
}

std::vector<std::string> closest_values(std::string_view typed, const std::vector<KnownValue>& known, std::size_t max) {
  const std::string folded = ascii_lower(std::string(trimmed(typed)));
  std::vector<std::tuple<int, std::size_t, std::string>> ranked;
  std::set<std::string> seen;
  for (const KnownValue& value : known) {
    if (!seen.insert(value.suggestion).second) continue;
    std::optional<std::pair<int, std::size_t>> best;
    for (const std::string& name : value.names) {
      const auto score = closeness(folded, ascii_lower(name));
      if (score && (!best || *score < *best)) best = score;
    }
    if (best) ranked.emplace_back(best->first, best->second, value.suggestion);
  }
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::string> out;
  for (std::size_t i = 0; i < ranked.size() && i < max; ++i) out.push_back(std::get<2>(ranked[i]));
  return out;
}

}  // namespace policy
