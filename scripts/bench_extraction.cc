// policy-bench-extraction: the throughput of document extraction in this
// process, by each way the indexer can run it, on the same files
// (scripts/bench_extraction.sh drives it and adds pdftotext and
// policy-index end to end).
//
// Usage: policy-bench-extraction [--repeat N] [--passes K] [--ballast-mib M] pdf|html FILE...
//
// Each way reads every FILE K times (default 1) per run; the best of N runs
// (default 3) is kept. Ways:
//   pdf:  read_pdf (indexer/pdf_reader.h, default options);
//   html: a plain libxml2 parse, the floor (htmlCtxtReadMemory with
//         read_html's options and encoding, a walk over every text node,
//         xmlFreeDoc), and read_html (indexer/html_reader.h);
//   both: extract_isolated() with isolate=false (in this process, so that
//         the next row differs by the fork alone) and with isolate=true (a
//         child process per file, the indexer's path, default limits); with
//         --ballast-mib M, extract_isolated() again after this process has
//         written M MiB of its own memory, as the indexer has when it
//         forks, since fork() copies the page tables of written memory.
//
// Prints one tab-separated line per way: way, documents, pages (PDF; 0 for
// web pages), input bytes, best seconds. A file that is refused counts as
// read: its time is spent all the same.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "indexer/file_extraction.h"
#include "indexer/html_reader.h"
#include "indexer/pdf_reader.h"

namespace {

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::string ascii_lower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

// The encoding read_html gives libxml2 (html_reader.cc, encoding_for).
const char* encoding_for(std::string_view bytes) {
  if (bytes.starts_with("\xEF\xBB\xBF") || bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) {
    return nullptr;
  }
  const std::string head = ascii_lower(std::string(bytes.substr(0, 4096)));
  return head.find("charset") != std::string::npos || head.find("encoding=") != std::string::npos ? nullptr : "UTF-8";
}

// Parses the page as read_html does and walks every node, adding up the
// bytes of its text: what any HTML text extraction with libxml2 must pay.
std::size_t plain_libxml2_text_bytes(const std::string& bytes) {
  const int flags = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET;
  const std::unique_ptr<htmlParserCtxt, decltype(&htmlFreeParserCtxt)> context(htmlNewParserCtxt(),
                                                                               &htmlFreeParserCtxt);
  if (!context) throw std::bad_alloc();
  xmlDoc* doc = htmlCtxtReadMemory(context.get(), bytes.data(), static_cast<int>(bytes.size()), nullptr,
                                   encoding_for(bytes), flags);
  if (doc == nullptr) return 0;
  std::size_t text_bytes = 0;
  xmlNode* node = doc->children;
  while (node != nullptr) {
    if ((node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) && node->content != nullptr) {
      text_bytes += static_cast<std::size_t>(xmlStrlen(node->content));
    }
    if (node->children != nullptr && node->type == XML_ELEMENT_NODE) {
      node = node->children;
      continue;
    }
    while (node != nullptr && node->next == nullptr) {
      node = node->parent;
      if (node == reinterpret_cast<xmlNode*>(doc)) node = nullptr;
    }
    if (node != nullptr) node = node->next;
  }
  xmlFreeDoc(doc);
  return text_bytes;
}

struct Run {
  long documents = 0;
  long pages = 0;
  std::size_t bytes = 0;
};

double best_seconds(int repeat, const std::function<Run()>& run_once, Run& counted) {
  double best = 0;
  for (int i = 0; i < repeat; ++i) {
    const auto start = std::chrono::steady_clock::now();
    counted = run_once();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (i == 0 || seconds < best) best = seconds;
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  int repeat = 3, passes = 1;
  std::size_t ballast_mib = 0;
  std::string kind;
  std::vector<std::filesystem::path> files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--repeat" && i + 1 < argc) {
      repeat = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--passes" && i + 1 < argc) {
      passes = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--ballast-mib" && i + 1 < argc) {
      ballast_mib = std::strtoull(argv[++i], nullptr, 10);
    } else if (kind.empty()) {
      kind = arg;
    } else {
      files.emplace_back(arg);
    }
  }
  if ((kind != "pdf" && kind != "html") || files.empty()) {
    std::cerr << "usage: policy-bench-extraction [--repeat N] [--passes K] [--ballast-mib M] pdf|html FILE...\n";
    return 2;
  }
  const bool pdf = kind == "pdf";
  const policy::ExtractableFormat format = pdf ? policy::ExtractableFormat::kPdf : policy::ExtractableFormat::kHtml;

  std::vector<std::string> contents;
  try {
    for (const auto& file : files) contents.push_back(read_bytes(file));
  } catch (const std::exception& e) {
    std::cerr << "policy-bench-extraction: " << e.what() << "\n";
    return 2;
  }
  // As policy-index does before any thread starts (extraction_sandbox.h).
  xmlInitParser();

  // Calls read(bytes) on every file, `passes` times; read returns its pages.
  const auto over_files = [&](const std::function<long(const std::string&)>& read) {
    return [&, read] {
      Run run;
      for (int pass = 0; pass < passes; ++pass) {
        for (const std::string& bytes : contents) {
          run.pages += read(bytes);
          ++run.documents;
          run.bytes += bytes.size();
        }
      }
      return run;
    };
  };
  const auto report = [&](const std::string& way, const std::function<Run()>& run_once) {
    Run counted;
    const double seconds = best_seconds(repeat, run_once, counted);
    std::printf("%s\t%ld\t%ld\t%zu\t%.6f\n", way.c_str(), counted.documents, pdf ? counted.pages : 0L, counted.bytes,
                seconds);
    std::fflush(stdout);
  };
  const auto extracted_pages = [&](const policy::ExtractionLimits& limits) {
    return [&, limits](const std::string& bytes) {
      const policy::ExtractedFile file = policy::extract_isolated(bytes, format, limits);
      return static_cast<long>(file.paged ? file.pages.size() : 0);
    };
  };
  const policy::ExtractionLimits in_process{.isolate = false};
  const policy::ExtractionLimits isolated{};

  if (pdf) {
    report("read_pdf, in-process", over_files([](const std::string& bytes) {
             return static_cast<long>(policy::read_pdf(bytes).pages.size());
           }));
  } else {
    std::size_t text_bytes = 0;
    report("plain libxml2 parse and text walk (floor)", over_files([&](const std::string& bytes) {
             text_bytes += plain_libxml2_text_bytes(bytes);
             return 0L;
           }));
    if (text_bytes == 0) std::cerr << "policy-bench-extraction: the plain parse found no text\n";
    report("read_html, in-process", over_files([](const std::string& bytes) {
             policy::read_html(bytes);
             return 0L;
           }));
  }
  report("extract_isolated, isolate=false (in-process)", over_files(extracted_pages(in_process)));
  report("extract_isolated, a child process per file", over_files(extracted_pages(isolated)));
  // policy-index's way: the helper is forked while this process is small,
  // as the indexer forks it before its threads and buffers grow.
  policy::FileExtractor extractor(isolated);
  const auto through_helper = [&](const std::string& bytes) {
    const policy::ExtractedFile file = extractor.extract(bytes, format);
    return static_cast<long>(file.paged ? file.pages.size() : 0);
  };
  report("FileExtractor, a helper forking a child per file", over_files(through_helper));
  if (ballast_mib > 0) {
    std::vector<char> ballast(ballast_mib << 20);
    std::memset(ballast.data(), 1, ballast.size());
    report("extract_isolated, a child per file, parent with " + std::to_string(ballast_mib) + " MiB written",
           over_files(extracted_pages(isolated)));
    report("FileExtractor, parent with " + std::to_string(ballast_mib) + " MiB written", over_files(through_helper));
    if (ballast[ballast.size() / 2] != 1) return 3;  // keeps the ballast written and alive
  }
  return 0;
}
