// policy-eval-pdf: pages, words and time of indexer/pdf_reader on PDF files,
// precision and recall against a person's reading where there is one, and
// the throughput of read_pdf (scripts/eval_pdf_extraction.sh drives it).
//
// Usage: policy-eval-pdf [--repeat N] [--pdftotext-seconds S] FILE.pdf...
// A FILE.pdf with a FILE.expected.md beside it is compared with it. Words
// are the lower-cased runs of letters and digits (bytes of non-ASCII
// characters count as letters) of each page after clean_extracted_text, as
// policy-index will clean them, and of the expected reading with its
// Markdown syntax stripped (links keep their text, images and URLs go) and
// then cleaned the same way, so that both have their hyphenated line ends
// joined. Precision and recall are bag-of-words (the words in common
// counted with multiplicity); "pair recall" is the same over pairs of
// consecutive words, which falls when columns or blocks are read out of
// order. Each measure is given for both text orders (pdf_reader.h).
// Throughput: read_pdf over all files, the best of N runs (default 3), in
// pages per second; with --pdftotext-seconds (the time pdftotext took over
// the same files, measured by the script) the two are set side by side.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "indexer/pdf_reader.h"
#include "indexer/text_cleaner.h"

namespace {

std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  for (char c : text + " ") {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || u >= 0x80) {
      word.push_back(c);
    } else if (u >= 'A' && u <= 'Z') {
      word.push_back(static_cast<char>(u - 'A' + 'a'));
    } else if (!word.empty()) {
      words.push_back(word);
      word.clear();
    }
  }
  return words;
}

using Counts = std::map<std::string, long>;

Counts word_counts(const std::vector<std::string>& words) {
  Counts counts;
  for (const std::string& word : words) ++counts[word];
  return counts;
}

Counts pair_counts(const std::vector<std::string>& words) {
  Counts counts;
  for (std::size_t i = 1; i < words.size(); ++i) ++counts[words[i - 1] + " " + words[i]];
  return counts;
}

long total(const Counts& counts) {
  long sum = 0;
  for (const auto& [key, count] : counts) sum += count;
  return sum;
}

long common(const Counts& a, const Counts& b) {
  long sum = 0;
  for (const auto& [key, count] : a) {
    if (auto it = b.find(key); it != b.end()) sum += std::min(count, it->second);
  }
  return sum;
}

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::string strip_markdown(std::string text) {
  text = std::regex_replace(text, std::regex(R"(!\[[^\]]*\]\([^)]*\))"), " ");
  text = std::regex_replace(text, std::regex(R"(\[([^\]]*)\]\([^)]*\))"), "$1");
  text = std::regex_replace(text, std::regex(R"(<[^>\n]*>)"), " ");
  text = std::regex_replace(text, std::regex(R"(https?://\S+)"), " ");
  text = std::regex_replace(text, std::regex(R"([#*_`>|])"), " ");
  return text;
}

std::string cleaned_text(const policy::PdfDocument& document) {
  std::string text;
  for (const std::string& page : document.pages) text += policy::clean_extracted_text(page) + "\n\n";
  return text;
}

struct Score {
  long extracted = 0, expected = 0, common_words = 0;
  long expected_pairs = 0, common_pairs = 0;
  void add(const Score& other) {
    extracted += other.extracted;
    expected += other.expected;
    common_words += other.common_words;
    expected_pairs += other.expected_pairs;
    common_pairs += other.common_pairs;
  }
  double precision() const { return extracted ? double(common_words) / extracted : 0; }
  double recall() const { return expected ? double(common_words) / expected : 0; }
  double pair_recall() const { return expected_pairs ? double(common_pairs) / expected_pairs : 0; }
};

Score score(const std::string& text, const std::vector<std::string>& expected_words) {
  const std::vector<std::string> words = words_of(text);
  const Counts expected = word_counts(expected_words), expected_pairs = pair_counts(expected_words);
  Score s;
  s.extracted = static_cast<long>(words.size());
  s.expected = total(expected);
  s.common_words = common(word_counts(words), expected);
  s.expected_pairs = total(expected_pairs);
  s.common_pairs = common(pair_counts(words), expected_pairs);
  return s;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  int repeat = 3;
  double pdftotext_seconds = 0;
  std::vector<std::filesystem::path> files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--repeat" && i + 1 < argc) {
      repeat = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--pdftotext-seconds" && i + 1 < argc) {
      pdftotext_seconds = std::atof(argv[++i]);
    } else {
      files.emplace_back(arg);
    }
  }
  if (files.empty()) {
    std::cerr << "usage: policy-eval-pdf [--repeat N] [--pdftotext-seconds S] FILE.pdf...\n";
    return 2;
  }
  const policy::PdfOptions drawing{.text_order = policy::PdfTextOrder::kDrawing};
  const policy::PdfOptions layout{.text_order = policy::PdfTextOrder::kLayout};

  std::vector<std::string> contents;
  try {
    for (const auto& file : files) contents.push_back(read_bytes(file));
  } catch (const std::exception& e) {
    std::cerr << "policy-eval-pdf: " << e.what() << "\n";
    return 2;
  }

  std::printf(
      "| file | pages | words | ms | precision | recall | pair recall | precision (layout) | recall (layout) | pair "
      "recall (layout) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  Score all_drawing, all_layout;
  long all_pages = 0, all_words = 0;
  double all_ms = 0;
  for (std::size_t f = 0; f < files.size(); ++f) {
    const auto start = std::chrono::steady_clock::now();
    const policy::PdfDocument document = policy::read_pdf(contents[f], drawing);
    const double ms = 1000 * seconds_since(start);
    const std::string text = cleaned_text(document);
    const long words = static_cast<long>(words_of(text).size());
    all_pages += static_cast<long>(document.pages.size());
    all_words += words;
    all_ms += ms;
    std::string name = files[f].filename().string();
    if (!document.refused.empty()) name += " (refused: " + document.refused + ")";
    std::printf("| %s | %zu | %ld | %.0f |", name.c_str(), document.pages.size(), words, ms);
    std::filesystem::path expected_path = files[f];
    expected_path.replace_extension(".expected.md");
    if (!std::filesystem::exists(expected_path)) {
      std::printf("  |  |  |  |  |  |\n");
      continue;
    }
    const std::vector<std::string> expected =
        words_of(policy::clean_extracted_text(strip_markdown(read_bytes(expected_path))));
    const Score by_drawing = score(text, expected);
    const Score by_layout = score(cleaned_text(policy::read_pdf(contents[f], layout)), expected);
    all_drawing.add(by_drawing);
    all_layout.add(by_layout);
    std::printf(" %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |\n", by_drawing.precision(), by_drawing.recall(),
                by_drawing.pair_recall(), by_layout.precision(), by_layout.recall(), by_layout.pair_recall());
  }
  std::printf("| all | %ld | %ld | %.0f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |\n\n", all_pages, all_words, all_ms,
              all_drawing.precision(), all_drawing.recall(), all_drawing.pair_recall(), all_layout.precision(),
              all_layout.recall(), all_layout.pair_recall());

  for (const auto& [name, options] : {std::pair{"drawing order", drawing}, std::pair{"layout analysis", layout}}) {
    double best = 0;
    long pages = 0;
    for (int run = 0; run < repeat; ++run) {
      pages = 0;
      const auto start = std::chrono::steady_clock::now();
      for (const std::string& bytes : contents)
        pages += static_cast<long>(policy::read_pdf(bytes, options).pages.size());
      const double seconds = seconds_since(start);
      if (run == 0 || seconds < best) best = seconds;
    }
    std::printf("read_pdf (%s): %ld pages in %.3f s, %.0f pages/s (best of %d)\n", name, pages, best, pages / best,
                repeat);
  }
  if (pdftotext_seconds > 0) {
    std::printf("pdftotext (a process per file): %ld pages in %.3f s, %.0f pages/s (best of %d)\n", all_pages,
                pdftotext_seconds, all_pages / pdftotext_seconds, repeat);
  }
  return 0;
}
