// Precision and recall of near-duplicate grouping (core/near_duplicates.h)
// on generated versions of real texts, to choose the resemblance threshold.
//
//   policy-eval-near-duplicates MED.ALL [SEED...]
//
// Base documents are runs of 8 consecutive abstracts of the MED collection
// (SMART format: ".I n", ".W", text), one paragraph each, so that
// neighbouring documents share a topic but not text. Each base document
// gets edited copies of these kinds, which belong to its group:
//   insert      10% more words: sentences of other documents put in
//   delete      10% of the sentences removed
//   reorder     the paragraphs shuffled
//   boilerplate a header and a footer of 80 words (the same on every copy)
//   combined    5% inserted, 5% deleted, reordered, with boilerplate
//   heavy       25% deleted and 25% inserted
// and a text that is not a version of it, which must stay apart:
//   shares      2 of its 8 paragraphs, with 6 paragraphs of other documents
//
// Printed: for each threshold, pairwise precision and recall of the groups
// (a pair is positive when both are versions of one base document), then,
// for each kind, the share of copies grouped with their base.

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/analyzer.h"
#include "core/near_duplicates.h"

namespace {

using Paragraph = std::vector<std::string>;  // sentences
using Text = std::vector<Paragraph>;

std::vector<Paragraph> read_med(const std::string& path) {
  std::ifstream in(path);
  std::vector<Paragraph> abstracts;
  std::string line, text;
  const auto flush = [&] {
    if (text.empty()) return;
    Paragraph sentences;
    std::istringstream words(text);
    std::string sentence, word;
    while (words >> word) {
      sentence += (sentence.empty() ? "" : " ") + word;
      if (word == ".") {
        sentences.push_back(sentence);
        sentence.clear();
      }
    }
    if (!sentence.empty()) sentences.push_back(sentence);
    abstracts.push_back(std::move(sentences));
    text.clear();
  };
  while (std::getline(in, line)) {
    if (line.rfind(".I", 0) == 0) {
      flush();
    } else if (line != ".W") {
      text += line + " ";
    }
  }
  flush();
  return abstracts;
}

std::size_t word_count(const Text& text) {
  std::size_t n = 0;
  for (const Paragraph& p : text) {
    for (const std::string& s : p) n += static_cast<std::size_t>(std::count(s.begin(), s.end(), ' ')) + 1;
  }
  return n;
}

struct Document {
  Text text;
  int group = 0;     // base document index; -1 - i for a text in a group of its own
  std::string kind;  // "base" or an edit kind
};

class Generator {
 public:
  Generator(const std::vector<Paragraph>& abstracts, unsigned seed) : abstracts_(abstracts), random_(seed) {}

  std::vector<Document> documents(std::size_t bases) {
    std::vector<Document> out;
    for (std::size_t b = 0; b < bases; ++b) {
      Text base(abstracts_.begin() + static_cast<long>(8 * b), abstracts_.begin() + static_cast<long>(8 * b + 8));
      const int group = static_cast<int>(b);
      out.push_back({base, group, "base"});
      out.push_back({insert(base, 0.10), group, "insert"});
      out.push_back({remove(base, 0.10), group, "delete"});
      out.push_back({reorder(base), group, "reorder"});
      out.push_back({boilerplate(base), group, "boilerplate"});
      out.push_back({boilerplate(reorder(remove(insert(base, 0.05), 0.05))), group, "combined"});
      out.push_back({insert(remove(base, 0.25), 0.25), group, "heavy"});
      Text shares;
      std::vector<std::size_t> order = {0, 1, 2, 3, 4, 5, 6, 7};
      std::shuffle(order.begin(), order.end(), random_);
      shares.push_back(base[order[0]]);
      shares.push_back(base[order[1]]);
      for (int i = 0; i < 6; ++i) shares.push_back(other_abstract());
      out.push_back({shares, -1 - static_cast<int>(out.size()), "shares"});
    }
    return out;
  }

 private:
  const Paragraph& other_abstract() {
    // From the far end of the collection, which no base document uses.
    std::uniform_int_distribution<std::size_t> pick(abstracts_.size() / 2, abstracts_.size() - 1);
    return abstracts_[pick(random_)];
  }

  Text insert(Text text, double share) {
    const std::size_t target = static_cast<std::size_t>(share * static_cast<double>(word_count(text)));
    std::size_t added = 0;
    while (added < target) {
      const Paragraph& from = other_abstract();
      const std::string& sentence = from[random_() % from.size()];
      Paragraph& into = text[random_() % text.size()];
      into.insert(into.begin() + static_cast<long>(random_() % (into.size() + 1)), sentence);
      added += static_cast<std::size_t>(std::count(sentence.begin(), sentence.end(), ' ')) + 1;
    }
    return text;
  }

  Text remove(Text text, double share) {
    for (Paragraph& p : text) {
      std::bernoulli_distribution drop(share);
      std::erase_if(p, [&](const std::string&) { return drop(random_); });
    }
    return text;
  }

  Text reorder(Text text) {
    std::shuffle(text.begin(), text.end(), random_);
    return text;
  }

  static Text boilerplate(Text text) {
    const Paragraph header = {
        "Skip to main content . Home About us News Publications Contact Search this site .",
        "An official website of the ministry . Here is how you know . Menu . Share this page on social media ."};
    const Paragraph footer = {
        "Copyright all rights reserved . Privacy policy . Terms of use . Accessibility statement .",
        "Subscribe to our newsletter for updates on programmes , events and publications from the office .",
        "Last updated on the date shown above . Page contact : communications office ."};
    text.insert(text.begin(), header);
    text.push_back(footer);
    return text;
  }

  const std::vector<Paragraph>& abstracts_;
  std::mt19937 random_;
};

std::vector<std::string> terms_of(const Text& text, const policy::Analyzer& analyzer) {
  std::string joined;
  for (const Paragraph& p : text) {
    for (const std::string& s : p) joined += s + " ";
    joined += "\n\n";
  }
  std::vector<std::string> terms;
  for (policy::Token& t : analyzer.analyze(joined)) terms.push_back(std::move(t.term));
  return terms;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: policy-eval-near-duplicates MED.ALL [SEED...]\n";
    return 2;
  }
  const std::vector<Paragraph> abstracts = read_med(argv[1]);
  if (abstracts.size() < 400) {
    std::cerr << "policy-eval-near-duplicates: " << argv[1] << " holds " << abstracts.size()
              << " abstracts; expected the MED collection (1033)\n";
    return 2;
  }
  std::vector<unsigned> seeds;
  for (int i = 2; i < argc; ++i) seeds.push_back(static_cast<unsigned>(std::stoul(argv[i])));
  if (seeds.empty()) seeds = {1, 2, 3};

  const policy::Analyzer analyzer;
  const std::vector<double> thresholds = {0.30, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70, 0.75, 0.80, 0.90};
  std::map<double, std::array<std::uint64_t, 3>> pairs;  // threshold -> true positive, predicted, actual
  std::map<double, std::map<std::string, std::pair<std::uint64_t, std::uint64_t>>> by_kind;  // grouped, total
  std::size_t documents = 0;
  for (const unsigned seed : seeds) {
    Generator generator(abstracts, seed);
    const std::vector<Document> docs = generator.documents(abstracts.size() / 2 / 8);
    documents += docs.size();
    std::vector<policy::MinHashSignature> signatures;
    for (const Document& d : docs) signatures.push_back(policy::minhash_signature(terms_of(d.text, analyzer)));
    for (const double threshold : thresholds) {
      const std::vector<std::size_t> group = policy::group_near_duplicates(signatures, threshold);
      auto& [true_positive, predicted, actual] = pairs[threshold];
      for (std::size_t a = 0; a < docs.size(); ++a) {
        for (std::size_t b = a + 1; b < docs.size(); ++b) {
          const bool same = docs[a].group == docs[b].group;
          const bool grouped = group[a] == group[b];
          true_positive += same && grouped;
          predicted += grouped;
          actual += same;
        }
      }
      for (std::size_t i = 0; i < docs.size(); ++i) {
        if (docs[i].kind == "base") continue;
        // The base document is the one just before its copies' run.
        std::size_t base = i;
        while (docs[base].kind != "base") --base;
        auto& [grouped, total] = by_kind[threshold][docs[i].kind];
        grouped += group[i] == group[base];
        ++total;
      }
    }
  }

  std::printf("%zu documents over %zu seeds (%zu base documents of 8 MED abstracts each, per seed)\n\n", documents,
              seeds.size(), documents / seeds.size() / 8);
  std::printf("| threshold | pair precision | pair recall | F1 |");
  const std::vector<std::string> kinds = {"insert", "delete", "reorder", "boilerplate", "combined", "heavy", "shares"};
  for (const std::string& k : kinds) std::printf(" %s |", k.c_str());
  std::printf("\n|---|---|---|---|");
  for (std::size_t i = 0; i < kinds.size(); ++i) std::printf("---|");
  std::printf("\n");
  for (const double threshold : thresholds) {
    const auto [tp, predicted, actual] = pairs[threshold];
    const double precision = predicted ? static_cast<double>(tp) / static_cast<double>(predicted) : 1.0;
    const double recall = actual ? static_cast<double>(tp) / static_cast<double>(actual) : 1.0;
    const double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
    std::printf("| %.2f | %.4f | %.4f | %.4f |", threshold, precision, recall, f1);
    for (const std::string& k : kinds) {
      const auto [grouped, total] = by_kind[threshold][k];
      std::printf(" %.3f |", total ? static_cast<double>(grouped) / static_cast<double>(total) : 0.0);
    }
    std::printf("\n");
  }
  std::printf(
      "\nKind columns: share of copies grouped with their base (for \"shares\", which is not a version, "
      "lower is better).\n");
  return 0;
}
