#include "searcher/duplicate_groups.h"

#include <algorithm>
#include <unordered_map>

#include "core/index_layout.h"
#include "core/slot_values.h"

namespace policy {

DuplicateGroups::DuplicateGroups(const Xapian::Database& db, std::uint64_t revision, SlotReading reading)
    : revision_(revision) {
  std::unordered_map<std::string, std::uint32_t> ordinal_of;
  for_each_slot_value(db, slot::kDuplicateGroup, reading, 0, [&](Xapian::docid did, std::string_view value) {
    const auto [found, added] =
        ordinal_of.try_emplace(std::string(value), static_cast<std::uint32_t>(members_.size() + 1));
    if (added) members_.emplace_back();
    members_[found->second - 1].push_back(did);
    group_of_.emplace_back(did, found->second);  // visited in docid order
  });
}

std::uint32_t DuplicateGroups::group_of(Xapian::docid did) const {
  const auto found = std::lower_bound(group_of_.begin(), group_of_.end(), std::make_pair(did, std::uint32_t{0}));
  return found != group_of_.end() && found->first == did ? found->second : 0;
}

std::uint64_t DuplicateGroups::members_in(std::uint32_t ordinal, const DocSet& matches) const {
  std::uint64_t n = 0;
  for (const Xapian::docid did : members(ordinal)) n += matches.contains(did);
  return n;
}

std::uint64_t DuplicateGroups::count_groups(const DocSet& matches) const {
  std::uint64_t groups = matches.count();
  for (std::uint32_t ordinal = 1; ordinal <= members_.size(); ++ordinal) {
    const std::uint64_t in = members_in(ordinal, matches);
    if (in > 1) groups -= in - 1;
  }
  return groups;
}

}  // namespace policy
