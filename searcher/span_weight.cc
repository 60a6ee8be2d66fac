#include "searcher/span_weight.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "searcher/ranking.h"

namespace policy {
namespace {

struct SpanWeightSpec {
  std::vector<NearOperand> operands;
  unsigned distance = 0;
  double saturation = 0;      // the sum of the words' (ranking.h)
  double average_length = 1;  // of the documents of the database bound on
};

// A word's IneB2 saturation weight, idf * (F + 1) / n (ranking.h): its
// weight is this times tfn / (tfn + 1), as Xapian's IneB2Weight computes it.
// `holding` is the word's document count, `occurrences` its collection
// frequency.
double ineb2_saturation(double documents, double holding, double occurrences) {
  if (holding <= 0) return 0;
  const double expected_holding = documents * (1 - std::exp(-occurrences / documents));
  const double idf = std::log2((documents + 1) / (expected_holding + 0.5));
  return idf * (occurrences + 1) / holding;
}

// A slot is the OR of its terms: its occurrences are theirs, and its
// document count is estimated as if they were independent, as Xapian
// estimates OP_SYNONYM's.
double slot_saturation(const Xapian::Database& db, const NearSlot& slot) {
  const double documents = std::max<double>(1, db.get_doccount());
  double none = 1;
  double occurrences = 0;
  for (const std::string& term : slot) {
    none *= 1 - std::min(1.0, db.get_termfreq(term) / documents);
    occurrences += static_cast<double>(db.get_collection_freq(term));
  }
  return ineb2_saturation(documents, documents * (1 - none), occurrences);
}

double operands_saturation(const Xapian::Database& db, const std::vector<NearOperand>& operands) {
  double sum = 0;
  for (const NearOperand& operand : operands) {
    double best = 0;
    for (const NearSequence& sequence : operand) {
      double words = 0;
      for (const NearSlot& slot : sequence) words += slot_saturation(db, slot);
      best = std::max(best, words);
    }
    sum += best;
  }
  return sum;
}

constexpr const char* kSourceName = "policy::SpanWeight";

// Every document of the database, each weighed by its matches (see the
// header): the matcher positions it on the documents `match` gives.
class SpanWeightSource : public Xapian::PostingSource {
 public:
  explicit SpanWeightSource(std::shared_ptr<const SpanWeightSpec> spec) : spec_(std::move(spec)) {}

  SpanWeightSource* clone() const override { return new SpanWeightSource(spec_); }

  void init(const Xapian::Database& db) override {
    db_ = db;
    documents_ = db.get_doccount();
    all_ = db.postlist_begin(std::string());
    started_ = false;
    postings_.clear();
    index_of_.clear();
    for (const NearOperand& operand : spec_->operands) {
      for (const NearSequence& sequence : operand) {
        for (const NearSlot& slot : sequence) {
          for (const std::string& term : slot) {
            if (index_of_.emplace(term, postings_.size()).second) postings_.push_back(db.postlist_begin(term));
          }
        }
      }
    }
    // tfn / (tfn + 1) < 1.
    set_maxweight(spec_->saturation);
  }

  Xapian::doccount get_termfreq_min() const override { return 0; }
  Xapian::doccount get_termfreq_est() const override { return documents_; }
  Xapian::doccount get_termfreq_max() const override { return documents_; }

  void next(double /*min_wt*/) override {
    if (started_) {
      ++all_;
    } else {
      started_ = true;
    }
  }
  void skip_to(Xapian::docid did, double /*min_wt*/) override {
    started_ = true;
    all_.skip_to(did);
  }
  bool at_end() const override { return started_ && all_ == Xapian::PostingIterator(); }
  Xapian::docid get_docid() const override { return *all_; }

  double get_weight() const override {
    const Xapian::docid did = *all_;
    std::vector<std::vector<NearSpan>> spans;
    for (const NearOperand& operand : spec_->operands) {
      spans.push_back(spans_of(db_, did, present_in(did, operand)));
      if (spans.back().empty()) return 0;
    }
    return weight_of(did, static_cast<double>(span_frequency(spans, spec_->distance)));
  }

  std::string get_description() const override { return kSourceName; }

 private:
  double weight_of(Xapian::docid did, double matches) const {
    const double length = static_cast<double>(db_.get_doclength(did));
    if (matches == 0 || length == 0) return 0;
    const double normalised = matches * std::log2(1 + kDfrC * spec_->average_length / length);
    return spec_->saturation * normalised / (normalised + 1);
  }

  // The occurrences of term `index` in `did`; documents are asked in
  // ascending order.
  Xapian::termcount wdf_in(std::size_t index, Xapian::docid did) const {
    Xapian::PostingIterator& it = postings_[index];
    if (it == Xapian::PostingIterator()) return 0;
    if (*it < did) it.skip_to(did);
    return it != Xapian::PostingIterator() && *it == did ? it.get_wdf() : 0;
  }

  // `operand` with the terms that `did` lacks left out: their positions
  // are never asked for (asking costs a lookup that finds nothing).
  NearOperand present_in(Xapian::docid did, const NearOperand& operand) const {
    NearOperand present = operand;
    for (NearSequence& sequence : present) {
      for (NearSlot& slot : sequence) {
        std::erase_if(slot, [&](const std::string& term) { return wdf_in(index_of_.at(term), did) == 0; });
      }
    }
    return present;
  }

  std::shared_ptr<const SpanWeightSpec> spec_;
  Xapian::Database db_;
  Xapian::doccount documents_ = 0;
  Xapian::PostingIterator all_;
  // One posting list per distinct term of the operands, advanced with the
  // documents weighed.
  mutable std::vector<Xapian::PostingIterator> postings_;
  std::map<std::string, std::size_t> index_of_;  // term -> its posting list
  bool started_ = false;
};

}  // namespace

std::size_t span_frequency(const std::vector<std::vector<NearSpan>>& spans_per_operand, unsigned distance) {
  if (spans_per_operand.empty()) return 0;
  if (spans_per_operand.size() == 1) return spans_per_operand[0].size();
  // No qualifying stretch is longer than this (as in spans_within).
  Xapian::termpos bound = distance;
  std::vector<Xapian::termpos> ends;
  for (const std::vector<NearSpan>& list : spans_per_operand) {
    if (list.empty()) return 0;
    Xapian::termpos longest = 0;
    for (NearSpan span : list) {
      longest = std::max(longest, span.last - span.first + 1);
      ends.push_back(span.last);
    }
    bound += longest;
  }
  std::sort(ends.begin(), ends.end());
  ends.erase(std::unique(ends.begin(), ends.end()), ends.end());
  // Each end in turn: the first at which a stretch of spans that start
  // after the previous match qualifies ends the next match. Such a stretch
  // ends exactly there (an earlier end would have been taken), so it lies
  // within the `bound` positions before it.
  std::size_t matches = 0;
  Xapian::termpos from = 0;
  std::vector<std::vector<NearSpan>> window(spans_per_operand.size());
  for (const Xapian::termpos end : ends) {
    if (end < from) continue;
    const Xapian::termpos lo = std::max(from, end + 1 > bound ? end + 1 - bound : 0);
    bool every_operand = true;
    for (std::size_t i = 0; i < spans_per_operand.size() && every_operand; ++i) {
      const std::vector<NearSpan>& list = spans_per_operand[i];
      window[i].clear();
      auto it =
          std::lower_bound(list.begin(), list.end(), lo, [](NearSpan s, Xapian::termpos p) { return s.first < p; });
      for (; it != list.end() && it->first <= end; ++it) {
        if (it->last <= end) window[i].push_back(*it);
      }
      every_operand = !window[i].empty();
    }
    if (every_operand && spans_within(window, distance)) {
      ++matches;
      from = end + 1;
    }
  }
  return matches;
}

Xapian::Query span_weighted(const Xapian::Query& match, std::vector<NearOperand> operands, unsigned distance,
                            const Xapian::Database& db) {
  if (match.get_type() == Xapian::Query::LEAF_MATCH_NOTHING || match.empty()) return match;
  auto spec = std::make_shared<SpanWeightSpec>();
  spec->saturation = operands_saturation(db, operands);
  spec->operands = std::move(operands);
  spec->distance = distance;
  spec->average_length = std::max(1.0, db.get_avlength());
  return Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query((new SpanWeightSource(std::move(spec)))->release()),
                       match);
}

}  // namespace policy
