#include "indexer/near_duplicate_grouping.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/index_layout.h"

namespace policy {
namespace {

class DisjointSets {
 public:
  std::size_t add() {
    parent_.push_back(parent_.size());
    return parent_.size() - 1;
  }
  std::size_t find(std::size_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }
  void join(std::size_t a, std::size_t b) { parent_[find(a)] = find(b); }

 private:
  std::vector<std::size_t> parent_;
};

std::string document_id(const Xapian::Document& doc) {
  const std::string id_prefix(prefix::kId);
  Xapian::TermIterator term = doc.termlist_begin();
  term.skip_to(id_prefix);
  if (term == doc.termlist_end() || (*term).compare(0, id_prefix.size(), id_prefix) != 0) return {};
  return (*term).substr(id_prefix.size());
}

struct Group {
  std::string id;
  std::string size;
};

}  // namespace

GroupingStats regroup_near_duplicates(Xapian::WritableDatabase& db, double threshold) {
  const auto started = std::chrono::steady_clock::now();
  GroupingStats stats;

  // Candidates: the documents of every band term that more than one holds.
  std::vector<Xapian::docid> docids;  // candidate index -> docid
  std::unordered_map<Xapian::docid, std::size_t> candidate_of;
  std::vector<std::vector<std::size_t>> buckets;
  const std::string band_prefix(prefix::kNearDuplicateBand);
  for (auto term = db.allterms_begin(band_prefix); term != db.allterms_end(band_prefix); ++term) {
    if (term.get_termfreq() < 2) continue;
    std::vector<std::size_t>& bucket = buckets.emplace_back();
    for (auto posting = db.postlist_begin(*term); posting != db.postlist_end(*term); ++posting) {
      const auto [found, added] = candidate_of.try_emplace(*posting, docids.size());
      if (added) docids.push_back(*posting);
      bucket.push_back(found->second);
    }
  }

  std::vector<MinHashSignature> signatures;
  signatures.reserve(docids.size());
  DisjointSets sets;
  for (const Xapian::docid did : docids) {
    signatures.push_back(MinHashSignature::unserialise(db.get_document(did).get_value(slot::kSignature)));
    sets.add();
  }
  for (const std::vector<std::size_t>& bucket : buckets) {
    for (std::size_t x = 0; x < bucket.size(); ++x) {
      for (std::size_t y = x + 1; y < bucket.size(); ++y) {
        if (sets.find(bucket[x]) == sets.find(bucket[y])) continue;
        ++stats.candidate_pairs;
        if (estimated_resemblance(signatures[bucket[x]], signatures[bucket[y]]) >= threshold) {
          sets.join(bucket[x], bucket[y]);
        }
      }
    }
  }

  // Each root's members, then each group's id: its smallest document id.
  std::map<std::size_t, std::vector<std::size_t>> members_of;
  for (std::size_t i = 0; i < docids.size(); ++i) members_of[sets.find(i)].push_back(i);
  std::unordered_map<Xapian::docid, Group> wanted;
  for (const auto& [root, members] : members_of) {
    if (members.size() < 2) continue;
    ++stats.groups;
    stats.grouped_documents += members.size();
    Group group{std::string(), std::to_string(members.size())};
    bool first = true;
    for (const std::size_t m : members) {
      std::string id = document_id(db.get_document(docids[m]));
      if (first || id < group.id) group.id = std::move(id);
      first = false;
    }
    for (const std::size_t m : members) wanted.emplace(docids[m], group);
  }

  // Rewrite only what differs from the values the documents hold: first
  // the documents with a group value now, then those that get a first one.
  const auto rewrite = [&](Xapian::docid did, const Group* group) {
    Xapian::Document doc = db.get_document(did);
    if (group) {
      doc.add_value(slot::kDuplicateGroup, group->id);
      doc.add_value(slot::kDuplicateGroupSize, group->size);
    } else {
      doc.remove_value(slot::kDuplicateGroup);
      doc.remove_value(slot::kDuplicateGroupSize);
    }
    db.replace_document(did, doc);
    ++stats.rewritten_documents;
  };
  std::vector<std::pair<Xapian::docid, const Group*>> changes;
  std::unordered_set<Xapian::docid> holding;  // docids with a group value now
  for (auto value = db.valuestream_begin(slot::kDuplicateGroup); value != db.valuestream_end(slot::kDuplicateGroup);
       ++value) {
    const Xapian::docid did = value.get_docid();
    holding.insert(did);
    const auto found = wanted.find(did);
    if (found == wanted.end()) {
      changes.emplace_back(did, nullptr);
    } else if (found->second.id != *value ||
               found->second.size != db.get_document(did).get_value(slot::kDuplicateGroupSize)) {
      changes.emplace_back(did, &found->second);
    }
  }
  for (const auto& [did, group] : wanted) {
    if (!holding.contains(did)) changes.emplace_back(did, &group);
  }
  // Written after the value stream is read, in docid order.
  std::sort(changes.begin(), changes.end());
  for (const auto& [did, group] : changes) rewrite(did, group);
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return stats;
}

}  // namespace policy
