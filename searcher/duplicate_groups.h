// The near-duplicate groups of one database revision, as the indexer left
// them in slot::kDuplicateGroup (indexer/near_duplicate_grouping.h): which
// documents share a group, for counting matches by group and for listing a
// document's near-duplicates. Read once per revision (slot_values.h): only
// grouped documents have a value, so it is small.
//
// Any number of threads may read one; none may build it meanwhile.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <xapian.h>

#include "core/slot_values.h"

#include "searcher/match_set.h"

namespace policy {

class DuplicateGroups {
 public:
  DuplicateGroups() = default;
  // Reads the group slot of every document as `reading` says
  // (slot_values.h). Like every read it may throw
  // Xapian::DatabaseModifiedError. `revision` is IndexReader::revision()
  // of `db`.
  DuplicateGroups(const Xapian::Database& db, std::uint64_t revision, SlotReading reading = SlotReading::kStream);

  std::uint64_t revision() const { return revision_; }
  // 1-based group ordinal of `did`, 0 when it is in no group.
  std::uint32_t group_of(Xapian::docid did) const;
  // The documents of group `ordinal` (1-based), ascending.
  std::span<const Xapian::docid> members(std::uint32_t ordinal) const { return members_[ordinal - 1]; }
  std::size_t group_count() const { return members_.size(); }

  // Groups among `matches`: each member outside a group counts one, each
  // group with a member in `matches` counts one.
  std::uint64_t count_groups(const DocSet& matches) const;
  // Members of group `ordinal` in `matches`.
  std::uint64_t members_in(std::uint32_t ordinal, const DocSet& matches) const;

 private:
  std::uint64_t revision_ = 0;
  std::vector<std::pair<Xapian::docid, std::uint32_t>> group_of_;  // sorted by docid
  std::vector<std::vector<Xapian::docid>> members_;                // ordinal - 1 -> docids
};

}  // namespace policy
