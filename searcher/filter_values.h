// Filter values checked against the schema and the index: the forms a year
// field takes, the checks a filter must pass before it is bound
// (bind_filter in query_binder.h), and whether a value names anything the
// index holds, with the closest values it does hold when it does not.
//
// Year fields take YYYY, a range YYYY..YYYY or YYYY-YYYY (an en dash too),
// an open range YYYY.. or ..YYYY, and the comparisons >YYYY, >=YYYY, <YYYY
// and <=YYYY. Years have four digits.
//
// Thread-safe if each thread passes its own Database.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "core/field_extractor.h"
#include "core/field_schema.h"

#include "searcher/query_syntax.h"
#include "searcher/query_warning.h"

namespace policy {

// Years from `from` to `to`, both included.
struct YearRange {
  int from = 0;
  int to = 9999;
  bool operator==(const YearRange&) const = default;
};

// nullopt for a text that is none of the forms above, or a range whose
// start is after its end.
std::optional<YearRange> parse_year_range(std::string_view text);

// Throws QuerySyntaxError, at the leaf's position, for a filter that cannot
// be bound: a wildcard, a value that is no year or range on a year field, a
// filter on a free-text field, a value with no word.
void check_filter_form(const QueryNode& leaf, const FieldSpec& field, const FieldExtractor& extractor);

// A warning (warning_code::kUnknownFilterValue) when `leaf`, a well-formed
// filter on `field`, resolves to no value that `db` holds for the field:
// a year range with no indexed year in it, a name that is no term of the
// field's prefix. nullopt when it names something. Its suggestions: the
// nearest indexed years; else closest_values() over the field's values,
// or all of them when none is close and they are at most five. A read of
// `db`.
std::optional<QueryWarning> unknown_filter_value(const QueryNode& leaf, const FieldSpec& field, const Schema& schema,
                                                 const FieldExtractor& extractor, const Xapian::Database& db);

// A value the index holds, as `suggestion` (what to type), and the texts
// it answers to (display name, key, acronyms, aliases).
struct KnownValue {
  std::string suggestion;
  std::vector<std::string> names;
};

// At most `max` suggestions from `known`, the closest to `typed` first,
// compared without case: a name that starts with `typed` (or that `typed`
// starts with; `typed` of one or two letters must be the start of a
// one-word name or its whole first word), then one that holds it (`typed` of three letters or more)
// or shares a word of three letters or more with it, then one within a
// small edit distance (a third of the shorter length; a swap of neighbours
// counts one); ties by edit distance, then suggestion. Deterministic; none
// when nothing is close.
std::vector<std::string> closest_values(std::string_view typed, const std::vector<KnownValue>& known,
                                        std::size_t max = 5);

}  // namespace policy
