#include "searcher/facets.h"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <unordered_map>

#include "core/index_layout.h"
#include "core/slot_values.h"

namespace policy {
FacetColumns::FacetColumns(const Xapian::Database& db, std::uint64_t revision, const Schema& schema,
                           const std::vector<const FieldSpec*>& fields, SlotReading reading)
    : reading_(reading), columns_(fields.size()) {
  for (std::size_t c = 0; c < fields.size(); ++c) {
    if (!fields[c]->slot)
      throw std::logic_error("facet column for field \"" + fields[c]->name + "\" without a value slot");
  }
  append_documents_after(0, db, revision, schema, fields, /*check=*/false);
}

bool FacetColumns::append_added(const Xapian::Database& db, std::uint64_t revision, const Schema& schema,
                                const std::vector<const FieldSpec*>& fields) {
  if (fields.size() != columns_.size()) throw std::logic_error("facet columns extended with other fields");
  if (db.get_lastdocid() < last_docid_) throw std::logic_error("facet columns extended with an older revision");
  return append_documents_after(last_docid_, db, revision, schema, fields, /*check=*/true);
}

bool FacetColumns::agrees_with(const Xapian::Database& db, const std::vector<const FieldSpec*>& fields) const {
  if (fields.size() != columns_.size()) return false;
  for (std::size_t c = 0; c < fields.size(); ++c) {
    if (db.get_value_freq(*fields[c]->slot) != columns_[c].documents) return false;
  }
  return true;
}

bool FacetColumns::append_documents_after(Xapian::docid after, const Xapian::Database& db, std::uint64_t revision,
                                          const Schema& schema, const std::vector<const FieldSpec*>& fields,
                                          bool check) {
  const Xapian::docid last = db.get_lastdocid();
  struct Mark {
    std::size_t starts, entries, values;
    Xapian::doccount documents;
  };
  std::vector<Mark> marks;
  for (const Column& column : columns_) {
    marks.push_back({column.starts.size(), column.entries.size(), column.values.size(), column.documents});
  }
  // A read that throws (a commit discarded the revision) leaves the table
  // as it was: what this call appended is taken out again.
  bool agrees = true;
  try {
    for (std::size_t c = 0; c < fields.size(); ++c) {
      const FieldSpec& field = *fields[c];
      const Xapian::valueno slot = *field.slot;
      Column& column = columns_[c];
      column.starts.reserve(static_cast<std::size_t>(last) + 2);
      std::vector<std::uint32_t> ordinals;
      // starts[d] is where document d's entries begin; documents without a
      // value (and docid 0, which Xapian never uses) get empty ranges.
      const auto open_documents_up_to = [&](Xapian::docid did) {
        while (column.starts.size() <= did) column.starts.push_back(static_cast<std::uint32_t>(column.entries.size()));
      };
      for_each_slot_value(db, slot, reading_, after, [&](Xapian::docid did, std::string_view value) {
        open_documents_up_to(did);
        ++column.documents;
        ordinals.clear();
        // Read in place: only a key not seen before is copied.
        for_each_field_value(value, [&](std::string_view key, std::optional<std::string_view> display) {
          auto found = column.ordinal_of.find(key);
          if (found == column.ordinal_of.end()) {
            std::string owned_key(key);
            std::string shown = display ? std::string(*display) : schema.display(field, owned_key);
            found = column.ordinal_of.emplace(owned_key, static_cast<std::uint32_t>(column.values.size())).first;
            column.values.emplace_back(std::move(owned_key), std::move(shown));
          }
          ordinals.push_back(found->second);
        });
        std::sort(ordinals.begin(), ordinals.end());
        ordinals.erase(std::unique(ordinals.begin(), ordinals.end()), ordinals.end());
        column.entries.insert(column.entries.end(), ordinals.begin(), ordinals.end());
        if (column.entries.size() > std::numeric_limits<std::uint32_t>::max()) {
          throw std::length_error("facet column of slot " + std::to_string(slot) + " exceeds 2^32 entries");
        }
      });
      open_documents_up_to(last + 1);
    }
    // Inside the try: a check that throws takes the appended part out too.
    agrees = !check || agrees_with(db, fields);
  } catch (...) {
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      Column& column = columns_[c];
      for (std::size_t v = marks[c].values; v < column.values.size(); ++v)
        column.ordinal_of.erase(column.values[v].first);
      column.values.resize(marks[c].values);
      column.entries.resize(marks[c].entries);
      column.starts.resize(marks[c].starts);
      column.documents = marks[c].documents;
    }
    throw;
  }
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    Column& column = columns_[c];
    column.totals.resize(column.values.size(), 0);
    for (std::size_t e = marks[c].entries; e < column.entries.size(); ++e) ++column.totals[column.entries[e]];
  }
  revision_ = revision;
  last_docid_ = last;
  return agrees;
}

FacetTable SharedFacetTable::get(const std::string& key,
                                 const std::function<FacetTable(const FacetTable* held)>& read) {
  std::lock_guard lock(mutex_);
  if (table_ && key_ == key) return *table_;
  FacetTable fresh = read(table_ ? &*table_ : nullptr);
  table_ = fresh;
  key_ = key;
  return fresh;
}

FacetCounter::FacetCounter(const FacetColumns& table, std::vector<std::size_t> columns)
    : table_(table), columns_(std::move(columns)) {
  for (std::size_t c : columns_) tallies_.emplace_back(table_.value_count(c), 0);
}

void FacetCounter::count(Xapian::docid did) {
  ++seen_;
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    std::vector<std::uint64_t>& tally = tallies_[i];
    for (std::uint32_t ordinal : table_.ordinals(columns_[i], did)) ++tally[ordinal];
  }
}

void FacetCounter::count_all(const DocSet& matches) {
  const Xapian::docid last = table_.last_docid();
  if (matches.last_docid() != last) {
    throw std::logic_error("facet counting: a match set of another revision (last docid " +
                           std::to_string(matches.last_docid()) + ", table " + std::to_string(last) + ")");
  }
  const std::uint64_t members = matches.count();
  if (members * 2 <= last) {
    matches.for_each([&](Xapian::docid did) { count(did); });
    return;
  }
  // Documents without values (deleted ones included) count for nothing, so
  // every docid outside the set may be subtracted.
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    std::vector<std::uint64_t> outside(tallies_[i].size(), 0);
    for (std::uint64_t id = 1; id <= last; ++id) {  // 64 bits: last may be the largest docid
      const auto did = static_cast<Xapian::docid>(id);
      if (matches.contains(did)) continue;
      for (std::uint32_t ordinal : table_.ordinals(columns_[i], did)) ++outside[ordinal];
    }
    for (std::uint32_t ordinal = 0; ordinal < outside.size(); ++ordinal) {
      tallies_[i][ordinal] += table_.documents_with(columns_[i], ordinal) - outside[ordinal];
    }
  }
  seen_ += members;
}

std::vector<FacetValue> FacetCounter::values(std::size_t i) const {
  std::vector<FacetValue> out;
  const std::vector<std::uint64_t>& tally = tallies_[i];
  for (std::uint32_t ordinal = 0; ordinal < tally.size(); ++ordinal) {
    if (tally[ordinal] == 0) continue;
    const auto& [key, display] = table_.value(columns_[i], ordinal);
    out.push_back(
        FacetValue{display, key, tally[ordinal], table_.documents_with(columns_[i], ordinal), tally[ordinal]});
  }
  return out;
}

FacetResult summarise_facet(const FieldSpec& field, std::vector<FacetValue> all, std::size_t limit, bool exact) {
  FacetResult result;
  result.field = field.name;
  result.exact = exact;
  if (field.kind == FieldKind::kYear) {
    const auto year = [](const std::string& key) { return static_cast<int>(std::strtol(key.c_str(), nullptr, 10)); };
    result.histogram = all;
    std::sort(result.histogram.begin(), result.histogram.end(),
              [&](const FacetValue& a, const FacetValue& b) { return year(a.key) < year(b.key); });
    const std::vector<FacetValue>& by_year = result.histogram;
    if (!by_year.empty() && year(by_year.back().key) - year(by_year.front().key) > kDecadeSpan) {
      std::map<int, std::pair<std::uint64_t, std::uint64_t>> decades;  // decade -> count, index documents
      for (const FacetValue& v : by_year) {
        auto& [count, index_documents] = decades[year(v.key) / 10 * 10];
        count += v.count;
        index_documents += v.index_documents;
      }
      for (const auto& [decade, counts] : decades) {
        result.decades.push_back(FacetValue{std::to_string(decade) + "s",
                                            std::to_string(decade) + ".." + std::to_string(decade + 9), counts.first,
                                            counts.second, counts.first});
      }
    }
  }
  std::sort(all.begin(), all.end(), [](const FacetValue& a, const FacetValue& b) {
    return a.count != b.count ? a.count > b.count : a.value < b.value;
  });
  if (all.size() > limit) {
    result.more = all.size() - limit;
    all.resize(limit);
  }
  result.values = std::move(all);
  return result;
}

}  // namespace policy
