// policy-eval-html: word-level precision and recall of the main text that
// indexer/html_reader extracts from web pages, against what a person kept
// (scripts/eval_html_extraction.sh drives it).
//
// Usage: policy-eval-html DIR...
// Each DIR holds source.html (the page) and expected.html (its main content,
// as Mozilla Readability's test suite keeps it). Words are the lower-cased
// runs of letters and digits (bytes of non-ASCII characters count as
// letters) of every text of expected.html, and of read_html(source.html)
// after clean_extracted_text, as in policy-index. Precision and recall are
// bag-of-words: the words in common counted with multiplicity (the smaller
// count), over the extracted words and over the expected words. Prints one
// row per page and a total over all words.

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include "indexer/html_reader.h"
#include "indexer/text_cleaner.h"

namespace {

std::map<std::string, long> word_counts(const std::string& text) {
  std::map<std::string, long> counts;
  std::string word;
  for (char c : text + " ") {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || u >= 0x80) {
      word.push_back(c);
    } else if (u >= 'A' && u <= 'Z') {
      word.push_back(static_cast<char>(u - 'A' + 'a'));
    } else if (!word.empty()) {
      ++counts[word];
      word.clear();
    }
  }
  return counts;
}

long total(const std::map<std::string, long>& counts) {
  long sum = 0;
  for (const auto& [word, count] : counts) sum += count;
  return sum;
}

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: policy-eval-html DIR...\n";
    return 2;
  }
  long all_expected = 0, all_extracted = 0, all_common = 0;
  std::printf("| page | expected words | extracted words | precision | recall |\n|---|---:|---:|---:|---:|\n");
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path dir = argv[i];
    std::map<std::string, long> expected, extracted;
    try {
      policy::HtmlOptions everything;
      everything.main_content_only = false;
      expected = word_counts(policy::read_html(read_bytes(dir / "expected.html"), everything).text);
      extracted = word_counts(policy::clean_extracted_text(policy::read_html(read_bytes(dir / "source.html")).text));
    } catch (const std::exception& e) {
      std::cerr << "policy-eval-html: " << e.what() << "\n";
      return 2;
    }
    long common = 0;
    for (const auto& [word, count] : extracted) {
      if (auto it = expected.find(word); it != expected.end()) common += std::min(count, it->second);
    }
    const long e = total(expected), x = total(extracted);
    all_expected += e;
    all_extracted += x;
    all_common += common;
    std::printf("| %s | %ld | %ld | %.3f | %.3f |\n", dir.filename().c_str(), e, x, x ? double(common) / x : 0.0,
                e ? double(common) / e : 0.0);
  }
  std::printf("| all | %ld | %ld | %.3f | %.3f |\n", all_expected, all_extracted,
              all_extracted ? double(all_common) / all_extracted : 0.0,
              all_expected ? double(all_common) / all_expected : 0.0);
  return 0;
}
