#include "core/slot_values.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace policy {

void for_each_slot_value(const Xapian::Database& db, Xapian::valueno slot, SlotReading how, Xapian::docid after,
                         const std::function<void(Xapian::docid, std::string_view)>& visit) {
  if (how == SlotReading::kStream) {
    Xapian::ValueIterator it = db.valuestream_begin(slot);
    if (after > 0 && it != db.valuestream_end(slot)) it.skip_to(after + 1);
    for (; it != db.valuestream_end(slot); ++it) visit(it.get_docid(), *it);
    return;
  }
  const Xapian::doccount all = db.get_doccount();
  if (all == 0) return;
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query::MatchAll);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  enquire.set_docid_order(Xapian::Enquire::ASCENDING);
  // Up to `all` documents per key: nothing is collapsed, and every result
  // carries its value.
  enquire.set_collapse_key(slot, all);
  const Xapian::MSet mset = enquire.get_mset(0, all, all);
  std::vector<std::pair<Xapian::docid, std::string>> values;
  values.reserve(mset.size());
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    if (*it <= after) continue;
    std::string value = it.get_collapse_key();
    if (!value.empty()) values.emplace_back(*it, std::move(value));
  }
  // The matcher orders by docid already; cheap to make sure of.
  if (!std::is_sorted(values.begin(), values.end())) std::sort(values.begin(), values.end());
  for (const auto& [did, value] : values) visit(did, value);
}

}  // namespace policy
