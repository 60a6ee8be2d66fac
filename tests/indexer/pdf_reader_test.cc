// PDF documents: text page by page, headers and footers, hyphenation,
// metadata, and refusals, on PDFs made at test time (tests/support/
// pdf_fixture.h).

#include "indexer/pdf_reader.h"

#include <algorithm>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "core/analyzer.h"
#include "core/utf8.h"

#include "indexer/extraction_sandbox.h"
#include "indexer/file_extraction.h"
#include "indexer/text_cleaner.h"

#include "tests/support/pdf_fixture.h"

namespace policy {
namespace {

using testing::make_pdf;
using testing::page_of_lines;
using testing::PdfFixture;
using testing::PdfFixturePage;
using testing::PdfTextLine;

PdfFixture pages_of_lines(const std::vector<std::vector<std::string>>& pages) {
  PdfFixture fixture;
  for (const auto& lines : pages) fixture.pages.push_back(page_of_lines(lines));
  return fixture;
}

// The text with every run of whitespace as one space.
std::string flat(const std::string& text) {
  std::string out;
  for (const char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\t';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out.push_back(space ? ' ' : c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

const PdfTextOrder kBothOrders[] = {PdfTextOrder::kDrawing, PdfTextOrder::kLayout};

const char* order_name(PdfTextOrder order) { return order == PdfTextOrder::kDrawing ? "drawing" : "layout"; }

TEST(PdfReaderTest, EachPageHoldsItsOwnSentence) {
  PdfFixture fixture;
  for (int n = 1; n <= 4; ++n) {
    fixture.pages.push_back(page_of_lines({"Sentence " + std::to_string(n) + " of the harbour plan stands here."}));
  }
  const std::string pdf = make_pdf(fixture);
  for (const PdfTextOrder order : kBothOrders) {
    SCOPED_TRACE(order_name(order));
    const PdfDocument document = read_pdf(pdf, {.text_order = order});
    EXPECT_EQ(document.refused, "");
    EXPECT_EQ(document.warnings, std::vector<std::string>());
    ASSERT_EQ(document.pages.size(), 4u);
    for (int n = 1; n <= 4; ++n) {
      EXPECT_EQ(document.pages[n - 1], "Sentence " + std::to_string(n) + " of the harbour plan stands here.");
    }
    EXPECT_EQ(document.pages_without_text, 0u);
    EXPECT_FALSE(document.no_text_layer);
  }
}

TEST(PdfReaderTest, TwoColumnsAreReadColumnByColumn) {
  const std::vector<std::string> left = {"The left column starts", "with a sentence that", "runs down five lines",
                                         "before it reaches", "its very last word."};
  const std::vector<std::string> right = {"Then the right column", "carries on with words", "that follow the left",
                                          "and end the page", "at the bottom right."};
  struct Case {
    const char* name;
    bool drawn_row_by_row;  // left line 1, right line 1, left line 2, ...
    PdfTextOrder order;
  };
  const std::vector<Case> cases = {
      {"drawn column by column, drawing order", false, PdfTextOrder::kDrawing},
      {"drawn column by column, layout analysis", false, PdfTextOrder::kLayout},
      {"drawn row by row, layout analysis", true, PdfTextOrder::kLayout},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    PdfFixturePage page;
    for (std::size_t i = 0; i < left.size(); ++i) {
      page.lines.push_back({72, 700 - 14.0 * i, left[i]});
      if (c.drawn_row_by_row) page.lines.push_back({330, 700 - 14.0 * i, right[i]});
    }
    if (!c.drawn_row_by_row) {
      for (std::size_t i = 0; i < right.size(); ++i) page.lines.push_back({330, 700 - 14.0 * i, right[i]});
    }
    PdfFixture fixture;
    fixture.pages.push_back(page);
    const PdfDocument document = read_pdf(make_pdf(fixture), {.text_order = c.order});
    ASSERT_EQ(document.pages.size(), 1u);
    std::string expected;
    for (const auto& line : left) expected += line + " ";
    for (const auto& line : right) expected += line + " ";
    EXPECT_EQ(flat(document.pages[0]), flat(expected));
  }
}

TEST(PdfReaderTest, HyphenatedLineEndsAreJoinedByTheCleaner) {
  const PdfFixture fixture =
      pages_of_lines({{"The plan protects the environ-", "mental assets of the coast", "and its wetlands."}});
  for (const PdfTextOrder order : kBothOrders) {
    SCOPED_TRACE(order_name(order));
    const PdfDocument document = read_pdf(make_pdf(fixture), {.text_order = order});
    ASSERT_EQ(document.pages.size(), 1u);
    EXPECT_EQ(flat(clean_extracted_text(document.pages[0])),
              "The plan protects the environmental assets of the coast and its wetlands.");
  }
}

TEST(PdfReaderTest, WordHyphenatedAcrossAPageBreakStaysOnTheEarlierPage) {
  const PdfFixture fixture = pages_of_lines({{"Page one is short."},
                                             {"Page two as well."},
                                             {"The third page speaks of the", "protection of the environ-"},
                                             {"mental assets of the region.", "More follows."}});
  for (const PdfTextOrder order : kBothOrders) {
    SCOPED_TRACE(order_name(order));
    const PdfDocument document = read_pdf(make_pdf(fixture), {.text_order = order});
    ASSERT_EQ(document.pages.size(), 4u);
    EXPECT_EQ(flat(document.pages[2]), "The third page speaks of the protection of the environmental");
    EXPECT_EQ(flat(document.pages[3]), "assets of the region. More follows.");
  }
}

TEST(PdfReaderTest, HyphenBeforeACapitalAcrossAPageBreakIsKept) {
  const PdfFixture fixture = pages_of_lines({{"Relations between ASEAN-"}, {"China trade are covered."}});
  const PdfDocument document = read_pdf(make_pdf(fixture));
  ASSERT_EQ(document.pages.size(), 2u);
  EXPECT_EQ(document.pages[0], "Relations between ASEAN-");
  EXPECT_EQ(document.pages[1], "China trade are covered.");
}

// Pages of a report with "Strategy 2016 – page N" on top and N at the foot.
PdfFixture report_with_running_lines(int page_count, bool header_on_every_page) {
  PdfFixture fixture;
  for (int n = 1; n <= page_count; ++n) {
    const std::string number = std::to_string(n);
    std::vector<std::string> lines;
    if (header_on_every_page || n <= 2) lines.push_back("Strategy 2016 \u2013 page " + number);
    lines.push_back("Body text of page " + number + " goes here.");
    lines.push_back("A second line of page " + number + ".");
    PdfFixturePage page = page_of_lines(lines);
    page.lines.push_back({300, 40, number});
    fixture.pages.push_back(page);
  }
  return fixture;
}

TEST(PdfReaderTest, RunningHeadersAndPageNumbersAreRemoved) {
  for (const PdfTextOrder order : kBothOrders) {
    SCOPED_TRACE(order_name(order));
    const PdfDocument document = read_pdf(make_pdf(report_with_running_lines(5, true)), {.text_order = order});
    ASSERT_EQ(document.pages.size(), 5u);
    for (int n = 1; n <= 5; ++n) {
      const std::string number = std::to_string(n);
      EXPECT_EQ(document.pages[n - 1],
                "Body text of page " + number + " goes here.\nA second line of page " + number + ".");
    }
  }
}

TEST(PdfReaderTest, RunningLinesAreRemovedOnlyWhenTheyRepeatEnough) {
  struct Case {
    const char* name;
    PdfFixture fixture;
    bool header_kept;
  };
  const std::vector<Case> cases = {
      {"a header on 2 of 2 pages (fewer than 3)", report_with_running_lines(2, true), true},
      {"a header on 2 of 6 pages (fewer than half)", report_with_running_lines(6, false), true},
      {"a header on 3 of 3 pages", report_with_running_lines(3, true), false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const PdfDocument document = read_pdf(make_pdf(c.fixture));
    ASSERT_GE(document.pages.size(), 2u);
    EXPECT_EQ(document.pages[0].starts_with("Strategy 2016 \u2013 page 1\n"), c.header_kept) << document.pages[0];
    // The page number at the foot goes in any case.
    EXPECT_TRUE(document.pages[0].ends_with("A second line of page 1.")) << document.pages[0];
  }
}

TEST(PdfReaderTest, RepeatedLinesInsideAPageAreKept) {
  PdfFixture fixture;
  for (int n = 1; n <= 4; ++n) {
    const std::string letter(1, static_cast<char>('A' + n));
    fixture.pages.push_back(
        page_of_lines({"Opening line " + letter + ".", "Annual report", "Objectives", "Middle text.",
                       "Closing line " + letter + " here.", "Draft 3 for consultation"}));
  }
  const PdfDocument document = read_pdf(make_pdf(fixture));
  ASSERT_EQ(document.pages.size(), 4u);
  for (const std::string& page : document.pages) {
    EXPECT_NE(page.find("\nObjectives\n"), std::string::npos) << page;
  }
  // "Annual report" and "Draft 3 for consultation" repeat at the edges of every page.
  EXPECT_EQ(document.pages[0], "Opening line B.\nObjectives\nMiddle text.\nClosing line B here.");
}

TEST(PdfReaderTest, LigatureGlyphIsFoundAfterAnalysis) {
  struct Case {
    const char* name;
    bool fi_in_to_unicode;
    std::string page;  // as poppler gives it
  };
  const std::vector<Case> cases = {
      {"glyph name /fi: poppler spells it out", false, "A specific target for fisheries."},
      {"ToUnicode U+FB01: kept for the analyzer", true, "A speci\uFB01c target for \uFB01sheries."},
  };
  const Analyzer analyzer;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    PdfFixture fixture = pages_of_lines({{"A speci\uFB01c target for \uFB01sheries."}});
    fixture.fi_in_to_unicode = c.fi_in_to_unicode;
    const PdfDocument document = read_pdf(make_pdf(fixture));
    ASSERT_EQ(document.pages.size(), 1u);
    EXPECT_EQ(document.pages[0], c.page);
    std::vector<std::string> terms;
    for (const Token& token : analyzer.analyze(clean_extracted_text(document.pages[0]))) terms.push_back(token.term);
    EXPECT_NE(std::find(terms.begin(), terms.end(), "specific"), terms.end());
    EXPECT_NE(std::find(terms.begin(), terms.end(), "fisheries"), terms.end());
  }
}

TEST(PdfReaderTest, InfoDictionaryAndLanguage) {
  struct Case {
    const char* name;
    std::vector<std::pair<std::string, std::string>> info;
    std::string lang;
    std::string title, author, subject, keywords, creation_date, modification_date;
    int year;
    std::string language;
  };
  const std::vector<Case> cases = {
      {"everything",
       {{"Title", "  Clean   Air\nPlan "},
        {"Author", "Ministry of the Environment"},
        {"Subject", "Air quality"},
        {"Keywords", "air; emissions"},
        {"CreationDate", "D:20160301120000+08'00'"},
        {"ModDate", "D:20170102"}},
       "en-GB",
       "Clean Air Plan",
       "Ministry of the Environment",
       "Air quality",
       "air; emissions",
       "2016-03-01T12:00:00+08:00",
       "2017-01-02",
       2016,
       "en"},
      {"year from the modification date", {{"ModDate", "D:2019"}}, "", "", "", "", "", "", "2019", 2019, ""},
      {"unparseable date", {{"CreationDate", "yesterday"}}, "NL", "", "", "", "", "", "", 0, "nl"},
      {"nothing", {}, "", "", "", "", "", "", "", 0, ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    PdfFixture fixture = pages_of_lines({{"Some text."}});
    fixture.info = c.info;
    fixture.lang = c.lang;
    const PdfDocument document = read_pdf(make_pdf(fixture));
    EXPECT_EQ(document.refused, "");
    EXPECT_EQ(document.title, c.title);
    EXPECT_EQ(document.author, c.author);
    EXPECT_EQ(document.subject, c.subject);
    EXPECT_EQ(document.keywords, c.keywords);
    EXPECT_EQ(document.creation_date, c.creation_date);
    EXPECT_EQ(document.modification_date, c.modification_date);
    EXPECT_EQ(document.year, c.year);
    EXPECT_EQ(document.language, c.language);
  }
}

TEST(PdfReaderTest, PdfDatesBecomeIso8601) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"D:20160301120000+08'00'", "2016-03-01T12:00:00+08:00"},
      {"D:20160301120000-05'30", "2016-03-01T12:00:00-05:30"},
      {"D:20160301120000Z", "2016-03-01T12:00:00Z"},
      {"D:20160301120000Z00'00'", "2016-03-01T12:00:00Z"},
      {"D:201603011200", "2016-03-01T12:00"},
      {"D:20160301", "2016-03-01"},
      {"D:201603", "2016-03"},
      {"D:2016", "2016"},
      {"20160301", "2016-03-01"},
      {"D:20161301", ""},
      {"D:20160332", ""},
      {"D:09990101", ""},
      {"D:16", ""},
      {"Tue Oct 15 2024", ""},
      {"", ""},
  };
  for (const auto& [pdf_date, iso] : cases) {
    SCOPED_TRACE(pdf_date);
    EXPECT_EQ(pdf_date_to_iso8601(pdf_date), iso);
  }
}

TEST(PdfReaderTest, PagesWithoutText) {
  PdfFixture mixed = pages_of_lines({{"First page text."}});
  mixed.pages.push_back(PdfFixturePage{});
  mixed.pages.push_back(page_of_lines({"Third page text."}));
  const PdfDocument document = read_pdf(make_pdf(mixed));
  EXPECT_EQ(document.refused, "");
  EXPECT_EQ(document.pages, (std::vector<std::string>{"First page text.", "", "Third page text."}));
  EXPECT_EQ(document.pages_without_text, 1u);
  EXPECT_FALSE(document.no_text_layer);

  PdfFixture scan;
  scan.pages = {PdfFixturePage{}, PdfFixturePage{}};
  const PdfDocument scanned = read_pdf(make_pdf(scan));
  EXPECT_EQ(scanned.refused, "");
  EXPECT_EQ(scanned.pages, (std::vector<std::string>{"", ""}));
  EXPECT_EQ(scanned.pages_without_text, 2u);
  EXPECT_TRUE(scanned.no_text_layer);
}

TEST(PdfReaderTest, MaxPagesCutsWithAWarning) {
  const PdfFixture fixture = pages_of_lines({{"One."}, {"Two."}, {"Three."}, {"Four."}});
  const PdfDocument document = read_pdf(make_pdf(fixture), {.max_pages = 2});
  EXPECT_EQ(document.pages, (std::vector<std::string>{"One.", "Two."}));
  EXPECT_EQ(document.warnings, std::vector<std::string>{"read the first 2 of 4 pages (max_pages)"});
}

TEST(PdfReaderTest, BytesThatAreNotAPdfAreRefused) {
  std::mt19937 random(42);
  std::string noise(4096, '\0');
  for (char& c : noise) c = static_cast<char>(random());
  struct Case {
    const char* name;
    std::string bytes;
    std::string refused_prefix;
  };
  const std::vector<Case> cases = {
      {"empty", "", "not a PDF"},
      {"random bytes", noise, "not a PDF"},
      {"text", "just some words\n", "not a PDF"},
      {"a header and then noise", "%PDF-1.4\n" + noise, "damaged PDF: "},
      {"a header alone", "%PDF-1.7", "damaged PDF: "},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ::testing::internal::CaptureStderr();
    const PdfDocument document = read_pdf(c.bytes);
    EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
    EXPECT_TRUE(document.refused.starts_with(c.refused_prefix)) << document.refused;
    EXPECT_TRUE(document.pages.empty());
    EXPECT_TRUE(is_valid_utf8(document.refused));
  }
}

TEST(PdfReaderTest, TruncatedFileGivesItsReadablePagesOrIsRefused) {
  PdfFixture fixture;
  for (int n = 1; n <= 6; ++n) fixture.pages.push_back(page_of_lines({"Text of page " + std::to_string(n) + "."}));
  const std::string pdf = make_pdf(fixture);
  for (const std::size_t cut : {pdf.size() / 2, pdf.size() - 40, std::size_t{20}}) {
    SCOPED_TRACE(cut);
    ::testing::internal::CaptureStderr();
    const PdfDocument document = read_pdf(std::string_view(pdf).substr(0, cut));
    EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
    if (document.refused.empty()) {
      // What poppler recovered comes with its messages.
      EXPECT_FALSE(document.warnings.empty());
      for (const std::string& page : document.pages) EXPECT_TRUE(is_valid_utf8(page));
    } else {
      EXPECT_TRUE(document.refused.starts_with("damaged PDF: ")) << document.refused;
    }
  }
  // Cut in half, the first pages' objects are intact.
  const PdfDocument half = read_pdf(std::string_view(pdf).substr(0, pdf.size() / 2));
  if (half.refused.empty()) {
    ASSERT_FALSE(half.pages.empty());
    EXPECT_EQ(half.pages[0], "Text of page 1.");
  }
}

TEST(PdfReaderTest, EncryptedFiles) {
  PdfFixture fixture = pages_of_lines({{"Confidential budget lines."}});
  fixture.info = {{"Title", "Budget"}};
  fixture.lang = "fr";
  fixture.encrypt = true;

  fixture.encryption = {.user_password = "", .owner_password = "owner"};
  const PdfDocument owner_only = read_pdf(make_pdf(fixture));
  EXPECT_EQ(owner_only.refused, "");
  EXPECT_EQ(owner_only.pages, std::vector<std::string>{"Confidential budget lines."});
  EXPECT_EQ(owner_only.title, "Budget");

  fixture.encryption = {.user_password = "secret", .owner_password = "owner"};
  ::testing::internal::CaptureStderr();
  const PdfDocument locked = read_pdf(make_pdf(fixture));
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
  EXPECT_EQ(locked.refused, "encrypted PDF (needs a password)");
  EXPECT_TRUE(locked.pages.empty());
}

TEST(PdfReaderTest, SafeFromSeveralThreads) {
  std::vector<std::string> pdfs;
  for (int n = 0; n < 4; ++n) {
    PdfFixture fixture;
    for (int p = 1; p <= 3; ++p) {
      fixture.pages.push_back(page_of_lines({"File " + std::to_string(n) + " page " + std::to_string(p) + "."}));
    }
    pdfs.push_back(make_pdf(fixture));
  }
  const std::string broken = "%PDF-1.4\nnot really";
  std::vector<int> failures(pdfs.size(), 0);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < pdfs.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 25; ++round) {
        const PdfDocument document = read_pdf(pdfs[t]);
        const bool right = document.pages.size() == 3 &&
                           document.pages[2] == "File " + std::to_string(t) + " page 3." && document.warnings.empty();
        const PdfDocument refused = read_pdf(broken);
        if (!right || refused.refused.empty()) ++failures[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures, std::vector<int>(pdfs.size(), 0));
}

// Regression: poppler's std::bad_alloc, when a memory limit stopped the
// parser inside C++ code, was caught as "damaged PDF: std::bad_alloc" (the
// indexer then blamed the file). Whichever allocation fails, running out of
// memory is reported as such.
TEST(PdfReaderTest, OutOfMemoryIsNotADamagedPdf) {
  if (!sandbox_limits_memory()) GTEST_SKIP() << "the sandbox applies no memory limit under AddressSanitizer";
  PdfFixture fixture;
  const PdfFixturePage page = page_of_lines(std::vector<std::string>(20, "A line of a long report about tides."));
  fixture.pages.assign(3000, page);  // enough that poppler needs megabytes
  const std::string pdf = make_pdf(fixture);
  for (const std::uint64_t mib : {1, 2, 4}) {
    SCOPED_TRACE(std::to_string(mib) + " MiB");
    const ExtractedFile file =
        extract_isolated(pdf, ExtractableFormat::kPdf, {.time = std::chrono::seconds(30), .memory_bytes = mib << 20});
    if (!file.refused.empty()) {
      EXPECT_EQ(file.refused, "extraction needed more than " + std::to_string(mib) + " MiB of memory");
    }
  }
}

}  // namespace
}  // namespace policy
