// Facet counting: how many matching documents carry each value of a counted
// field (kinds facet and year).
//
// Each counted field's value slot holds its values as "key" or
// "key\x1Fdisplay" entries (see index_schema.h). Decoding those for every matching document
// of every query is what made exact facets expensive, so they are decoded
// once per index revision into FacetColumns: per field, each document's
// values as small integers (ordinals) into a table of distinct values.
// Counting is a FacetCounter adding one to a per-ordinal tally for each
// value of each document it is given: every member of the exact match set
// (match_set.h) where the query allows one; otherwise, as a Xapian::MatchSpy,
// each document the matcher considers. With check_at_least set to the
// database size every matching document is considered, so the counts are
// exact; with less (the --fast mode) they are counts over the documents
// seen, flagged exact = false.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <xapian.h>

#include "core/field_schema.h"
#include "core/hashing.h"
#include "core/slot_values.h"

#include "searcher/match_set.h"

namespace policy {

// The values of some value slots for every document of one database
// revision. Any number of threads may read it while none extends it.
class FacetColumns {
 public:
  // Reads the value slots of `fields` (each must have one; column c is
  // fields[c]) of every document of `db`, one read per slot as `reading`
  // says (slot_values.h); displays the slots leave out are `schema`'s.
  // Like every read it may throw Xapian::DatabaseModifiedError when a
  // commit discards the revision. `revision` is IndexReader::revision()
  // of `db`.
  FacetColumns(const Xapian::Database& db, std::uint64_t revision, const Schema& schema,
               const std::vector<const FieldSpec*>& fields, SlotReading reading = SlotReading::kStream);

  // Brings the table to `db`'s revision by reading only the documents added
  // after last_docid(): right only when the revisions in between added
  // documents and changed none (the writer's metadata_key::kRewrites tells;
  // the caller checks), with the same `schema` and `fields`. Then checks
  // that with agrees_with(); false means those revisions changed old
  // documents after all, and the table must be read afresh. Reads that
  // throw, the check's too, leave the table as it was.
  bool append_added(const Xapian::Database& db, std::uint64_t revision, const Schema& schema,
                    const std::vector<const FieldSpec*>& fields);

  // Whether every column holds as many documents with values as `db` says
  // its slot has (Database::get_value_freq, one read per slot). After
  // append_added() this catches revisions that changed old documents
  // without the writer saying so, where the changes move a slot's number
  // of documents with values (a value removed, or given to a document
  // without one; a document deleted). Changes that leave it as it was pass:
  // a value changed in place, or one document losing its value while
  // another gains one.
  bool agrees_with(const Xapian::Database& db, const std::vector<const FieldSpec*>& fields) const;

  // The revision of `db` that was read.
  std::uint64_t revision() const { return revision_; }
  std::size_t columns() const { return columns_.size(); }

  // The distinct values of column `c` of document `did`, as ordinals; empty
  // for a document with none (or a docid the revision does not have).
  std::span<const std::uint32_t> ordinals(std::size_t c, Xapian::docid did) const {
    const Column& column = columns_[c];
    if (static_cast<std::size_t>(did) + 1 >= column.starts.size()) return {};
    return std::span<const std::uint32_t>(column.entries)
        .subspan(column.starts[did], column.starts[did + 1] - column.starts[did]);
  }
  // (key, display) of an ordinal of column `c`; the display is that of the
  // first document (lowest docid) with the key.
  const std::pair<std::string, std::string>& value(std::size_t c, std::uint32_t ordinal) const {
    return columns_[c].values[ordinal];
  }
  std::size_t value_count(std::size_t c) const { return columns_[c].values.size(); }
  // How many documents of the revision have the ordinal.
  std::uint64_t documents_with(std::size_t c, std::uint32_t ordinal) const { return columns_[c].totals[ordinal]; }
  Xapian::docid last_docid() const { return last_docid_; }

 private:
  struct Column {
    std::unordered_map<std::string, std::uint32_t, TransparentStringHash, std::equal_to<>>
        ordinal_of;                      // key -> ordinal
    std::vector<std::uint32_t> starts;   // docid -> first entry in `entries`; lastdocid + 2 of them
    std::vector<std::uint32_t> entries;  // ordinals, each document's sorted and distinct
    std::vector<std::pair<std::string, std::string>> values;  // ordinal -> (key, display)
    std::vector<std::uint64_t> totals;                        // ordinal -> documents
    Xapian::doccount documents = 0;                           // documents with a value in the slot
  };
  // Appends documents after..lastdocid of `db` to every column; with
  // `check`, returns agrees_with(db, fields), else true.
  bool append_documents_after(Xapian::docid after, const Xapian::Database& db, std::uint64_t revision,
                              const Schema& schema, const std::vector<const FieldSpec*>& fields, bool check);

  SlotReading reading_;
  std::uint64_t revision_ = 0;
  Xapian::docid last_docid_ = 0;
  std::vector<Column> columns_;
};

// A FacetColumns table, and the rewrite mark (last_rewrite_of() of
// metadata_key::kRewrites) of the revision it was read at: a later revision
// with the same mark only added documents, so the table may be extended
// instead of read again. "" for none (shards: a document added to one takes
// a docid among the others').
struct FacetTable {
  std::shared_ptr<const FacetColumns> columns;
  std::string last_rewrite;
};

// The facet table of the Searchers of one process over one index (a
// server's pool): a revision is read once, by the first searcher that
// needs it, while the others wait for it rather than read it too, and one
// copy is in memory whatever the number of searchers. Thread-safe.
class SharedFacetTable {
 public:
  // The table held for `key` (which must name the database, its revision and
  // the counted fields), else the one `read(held)` returns, held from then
  // on. `held` is the table held before, for another key (null for none),
  // which `read` may extend instead of reading all. `read` runs with the
  // table locked; what it throws leaves the held table as it was.
  FacetTable get(const std::string& key, const std::function<FacetTable(const FacetTable* held)>& read);

 private:
  std::mutex mutex_;
  std::string key_;
  std::optional<FacetTable> table_;
};

struct FacetValue {
  std::string value;  // display text
  std::string key;    // what a filter on this value matches (field:key)
  std::uint64_t count = 0;
  // Documents of the index with the value, whatever the query: the
  // denominator of a share (0 where not known, as in batch reports).
  std::uint64_t index_documents = 0;
  // Near-duplicate groups among the `count` documents (a document in no group
  // is a group of its own); Searcher::search fills it for `values` when it
  // knows the exact match set, else it equals count.
  std::uint64_t groups = 0;
};

// Counts some columns of a FacetColumns over the documents a match
// considers. The columns must be of the revision being matched.
// Not thread-safe: one FacetCounter per match.
class FacetCounter : public Xapian::MatchSpy {
 public:
  FacetCounter(const FacetColumns& table, std::vector<std::size_t> columns);
  // Counts one document's values.
  void count(Xapian::docid did);
  // Counts every member of `matches`, a set of the table's revision (throws
  // std::logic_error if its last docid differs). When the members are most
  // of the documents it counts the others and subtracts them from the
  // revision's totals: fewer reads.
  void count_all(const DocSet& matches);
  void operator()(const Xapian::Document& doc, double) override { count(doc.get_docid()); }
  std::string name() const override { return "policy::FacetCounter"; }

  // The values of the i-th counted column that some considered document
  // has, with their counts, in no particular order.
  std::vector<FacetValue> values(std::size_t i) const;
  std::uint64_t documents_seen() const { return seen_; }

 private:
  const FacetColumns& table_;
  std::vector<std::size_t> columns_;
  std::vector<std::vector<std::uint64_t>> tallies_;  // per counted column, per ordinal
  std::uint64_t seen_ = 0;
};

struct FacetResult {
  std::string field;
  bool exact = true;
  std::vector<FacetValue> values;  // by count, then value; at most the limit
  std::size_t more = 0;            // values left out by the limit
  // Year fields only: every year with its count, ascending, and per decade
  // ("2010s") when the years span more than kDecadeSpan.
  std::vector<FacetValue> histogram;
  std::vector<FacetValue> decades;
};

inline constexpr int kDecadeSpan = 20;

// Orders and cuts the counted values of one field (any order) into a
// FacetResult.
FacetResult summarise_facet(const FieldSpec& field, std::vector<FacetValue> all, std::size_t limit, bool exact);

}  // namespace policy
