#include "searcher/near_match.h"

#include <algorithm>
#include <iterator>
#include <memory>
#include <utility>

namespace policy {
namespace {

struct Search {
  const std::vector<std::vector<NearSpan>>& spans;
  unsigned distance;
  Xapian::termpos bound;  // no stretch longer than this can qualify
  std::vector<NearSpan> chosen;

  bool overlaps(NearSpan span) const {
    return std::any_of(chosen.begin(), chosen.end(),
                       [span](NearSpan c) { return span.first <= c.last && c.first <= span.last; });
  }

  bool from(std::size_t operand, Xapian::termpos lo, Xapian::termpos hi, Xapian::termpos words) {
    if (operand == spans.size()) return hi - lo + 1 - words <= distance;
    const std::vector<NearSpan>& list = spans[operand];
    // Spans that keep the stretch within the bound start at or after this.
    const Xapian::termpos earliest = chosen.empty() || hi + 1 <= bound ? 0 : hi + 1 - bound;
    auto it =
        std::lower_bound(list.begin(), list.end(), earliest, [](NearSpan s, Xapian::termpos p) { return s.first < p; });
    for (; it != list.end(); ++it) {
      if (!chosen.empty() && it->first >= lo + bound) break;
      const Xapian::termpos new_lo = chosen.empty() ? it->first : std::min(lo, it->first);
      const Xapian::termpos new_hi = chosen.empty() ? it->last : std::max(hi, it->last);
      if (new_hi - new_lo + 1 > bound || overlaps(*it)) continue;
      chosen.push_back(*it);
      const bool found = from(operand + 1, new_lo, new_hi, words + (it->last - it->first + 1));
      chosen.pop_back();
      if (found) return true;
    }
    return false;
  }
};

std::vector<Xapian::termpos> positions_of(const Xapian::Database& db, Xapian::docid did, const NearSlot& slot) {
  std::vector<Xapian::termpos> positions;
  for (const std::string& term : slot) {
    try {
      for (auto it = db.positionlist_begin(did, term); it != db.positionlist_end(did, term); ++it) {
        positions.push_back(*it);
      }
    } catch (const Xapian::RangeError&) {
      // The term does not index this document.
    }
  }
  std::sort(positions.begin(), positions.end());
  positions.erase(std::unique(positions.begin(), positions.end()), positions.end());
  return positions;
}

// Documents holding any term of the first slot of any sequence of `operand`.
std::vector<Xapian::docid> candidates_of(const Xapian::Database& db, const NearOperand& operand) {
  std::vector<Xapian::docid> docs;
  for (const NearSequence& sequence : operand) {
    if (sequence.empty()) continue;
    for (const std::string& term : sequence.front()) {
      for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) docs.push_back(*it);
    }
  }
  std::sort(docs.begin(), docs.end());
  docs.erase(std::unique(docs.begin(), docs.end()), docs.end());
  return docs;
}

struct NearSpec {
  std::vector<NearOperand> operands;
  unsigned distance = 0;
};

// The matching documents, found whole in init(): the posting lists of the
// operands' first slots give the candidates, their positions the answer.
class NearSource : public Xapian::PostingSource {
 public:
  explicit NearSource(std::shared_ptr<const NearSpec> spec) : spec_(std::move(spec)) {}

  NearSource* clone() const override { return new NearSource(spec_); }

  void init(const Xapian::Database& db) override {
    matches_.clear();
    started_ = false;
    index_ = 0;
    std::vector<Xapian::docid> candidates;
    for (std::size_t i = 0; i < spec_->operands.size(); ++i) {
      std::vector<Xapian::docid> docs = candidates_of(db, spec_->operands[i]);
      if (i == 0) {
        candidates = std::move(docs);
        continue;
      }
      std::vector<Xapian::docid> both;
      std::set_intersection(candidates.begin(), candidates.end(), docs.begin(), docs.end(), std::back_inserter(both));
      candidates = std::move(both);
    }
    for (Xapian::docid did : candidates) {
      std::vector<std::vector<NearSpan>> spans;
      for (const NearOperand& operand : spec_->operands) {
        spans.push_back(spans_of(db, did, operand));
        if (spans.back().empty()) break;
      }
      if (spans.size() == spec_->operands.size() && !spans.back().empty() && spans_within(spans, spec_->distance)) {
        matches_.push_back(did);
      }
    }
  }

  Xapian::doccount get_termfreq_min() const override { return static_cast<Xapian::doccount>(matches_.size()); }
  Xapian::doccount get_termfreq_est() const override { return static_cast<Xapian::doccount>(matches_.size()); }
  Xapian::doccount get_termfreq_max() const override { return static_cast<Xapian::doccount>(matches_.size()); }

  void next(double) override {
    if (started_) {
      ++index_;
    } else {
      started_ = true;
    }
  }

  void skip_to(Xapian::docid did, double) override {
    started_ = true;
    while (index_ < matches_.size() && matches_[index_] < did) ++index_;
  }

  bool at_end() const override { return started_ && index_ >= matches_.size(); }
  Xapian::docid get_docid() const override { return matches_[index_]; }
  std::string get_description() const override { return "NearSource"; }

 private:
  std::shared_ptr<const NearSpec> spec_;
  std::vector<Xapian::docid> matches_;
  std::size_t index_ = 0;
  bool started_ = false;
};

}  // namespace

bool spans_within(const std::vector<std::vector<NearSpan>>& spans_per_operand, unsigned distance) {
  Xapian::termpos longest_total = 0;
  for (const std::vector<NearSpan>& list : spans_per_operand) {
    if (list.empty()) return false;
    Xapian::termpos longest = 0;
    for (NearSpan span : list) longest = std::max(longest, span.last - span.first + 1);
    longest_total += longest;
  }
  Search search{spans_per_operand, distance, longest_total + distance, {}};
  return search.from(0, 0, 0, 0);
}

std::vector<NearSpan> spans_of(const Xapian::Database& db, Xapian::docid did, const NearOperand& operand) {
  std::vector<NearSpan> spans;
  for (const NearSequence& sequence : operand) {
    if (sequence.empty()) continue;
    std::vector<std::vector<Xapian::termpos>> slots;
    for (const NearSlot& slot : sequence) slots.push_back(positions_of(db, did, slot));
    for (Xapian::termpos start : slots[0]) {
      bool whole = true;
      for (std::size_t k = 1; k < slots.size() && whole; ++k) {
        whole = std::binary_search(slots[k].begin(), slots[k].end(), start + k);
      }
      if (whole) spans.push_back(NearSpan{start, static_cast<Xapian::termpos>(start + slots.size() - 1)});
    }
  }
  std::sort(spans.begin(), spans.end(),
            [](NearSpan a, NearSpan b) { return a.first != b.first ? a.first < b.first : a.last < b.last; });
  spans.erase(std::unique(spans.begin(), spans.end(),
                          [](NearSpan a, NearSpan b) { return a.first == b.first && a.last == b.last; }),
              spans.end());
  return spans;
}

Xapian::Query near_match_query(std::vector<NearOperand> operands, unsigned distance) {
  auto spec = std::make_shared<NearSpec>();
  spec->operands = std::move(operands);
  spec->distance = distance;
  return Xapian::Query((new NearSource(std::move(spec)))->release());
}

}  // namespace policy
