#include "tests/support/near_duplicate_corpus.h"

#include <random>
#include <sstream>

#include "tests/support/small_index.h"

namespace policy::testing {
namespace {

std::string made_up_word(std::mt19937& random) {
  static const char* const kSyllables[] = {"ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "ve", "du", "ga", "zo"};
  std::string word;
  const int syllables = 2 + static_cast<int>(random() % 3);
  for (int i = 0; i < syllables; ++i) word += kSyllables[random() % 12];
  return word;
}

std::vector<std::string> sentences_of(const std::string& text) {
  std::vector<std::string> sentences;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) sentences.push_back(line);
  return sentences;
}

std::string joined(const std::vector<std::string>& sentences) {
  std::string text;
  for (const std::string& s : sentences) text += s + "\n";
  return text;
}

// As a PDF's text layer: lines cut at 60 bytes, a page-number line every
// 20 lines.
std::string as_pdf_text(const std::string& text) {
  std::string out, line;
  int lines = 0;
  std::istringstream words(text);
  for (std::string word; words >> word;) {
    if (!line.empty() && line.size() + word.size() > 60) {
      out += line + "\n";
      line.clear();
      if (++lines % 20 == 0) out += std::to_string(lines / 20) + "\n";
    }
    line += (line.empty() ? "" : " ") + word;
  }
  return out + line + "\n";
}

SourceDocument with_year(SourceDocument doc, int year) {
  doc.metadata = nlohmann::json{{"year", year}};
  return doc;
}

}  // namespace

std::string random_text(unsigned seed, std::size_t words) {
  std::mt19937 random(seed);
  std::string text;
  for (std::size_t i = 0; i < words; ++i) {
    text += made_up_word(random);
    text += (i % 12 == 11) ? ".\n" : " ";
  }
  return text + "policy.\n";
}

NearDuplicateCorpus make_near_duplicate_corpus(unsigned seed) {
  NearDuplicateCorpus corpus;
  const auto add = [&](SourceDocument doc, int year, const std::string& group) {
    if (!group.empty()) corpus.expected_group[doc.id] = group;
    corpus.documents.push_back(with_year(std::move(doc), year));
  };
  // The strategy: a web page with a menu and a footer, and the PDF.
  const std::string strategy = random_text(seed, 600);
  add(source_document("strategy.html", "Green strategy",
                      "Home | About us | News | Contact\n" + strategy + "Cookies | Privacy | Accessibility\n"),
      2020, "strategy.html");
  add(source_document("strategy.pdf", "GREEN STRATEGY 2020", as_pdf_text(strategy)), 2021, "strategy.html");

  // A draft and the final text: a tenth of the sentences dropped from the
  // draft, new ones added to the final.
  std::vector<std::string> plan = sentences_of(random_text(seed + 1, 600));
  std::vector<std::string> draft, final_text;
  const std::vector<std::string> added = sentences_of(random_text(seed + 2, 60));
  for (std::size_t i = 0; i < plan.size(); ++i) {
    if (i % 10 != 3) draft.push_back(plan[i]);
    final_text.push_back(plan[i]);
    if (i % 10 == 7 && i / 10 < added.size()) final_text.push_back(added[i / 10]);
  }
  add(source_document("plan-draft", "Action plan (draft)", joined(draft)), 2019, "plan-draft");
  add(source_document("plan-final", "Action plan", joined(final_text)), 2019, "plan-draft");

  // Two different reports with the same long header and footer.
  const std::string header = random_text(seed + 3, 60);
  const std::string footer = random_text(seed + 4, 60);
  add(source_document("report-a", "Report A", header + random_text(seed + 5, 400) + footer), 2020, "");
  add(source_document("report-b", "Report B", header + random_text(seed + 6, 400) + footer), 2020, "");

  for (unsigned i = 0; i < 4; ++i) {
    add(source_document("other-" + std::to_string(i), "Other", random_text(seed + 10 + i, 300)), 2018 + i % 3, "");
  }
  return corpus;
}

}  // namespace policy::testing
