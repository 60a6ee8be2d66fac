// PDF documents: the text of each page, the Info dictionary and the
// language, read with Debian's poppler-cpp (22.12).
//
// Text order. poppler offers the order in which the producer drew the text
// (raw_order_layout, what pdf.js, PDFBox's default and Apache Tika read) and
// its own layout analysis (non_raw_non_physical_layout, pdftotext's default,
// which sorts blocks into columns by their geometry). The default is the
// drawing order: on the test PDFs with a person's reading
// (../shared/testdata/pdf/*.expected.md) it keeps word pairs in order
// better in 4 of 5 files, because Word, InDesign and LaTeX draw a column's
// lines in reading order, while the layout analysis merges columns whose
// gutter is narrow and reads them line across line (a two-column page of
// the St Mary social audit). The layout analysis is the better choice for a
// producer that draws rows across columns or text out of order;
// PdfTextOrder::kLayout selects it. BENCHMARKS.md, "PDF extraction", has
// both measurements.
//
// What is done to the text beyond poppler:
//   - line ends are "\n", the form feed that ends each page is dropped,
//     invalid UTF-8 is repaired (U+FFFD), a page holding only whitespace is
//     the empty string;
//   - running headers and footers: a line among the first or the last two
//     non-blank lines of a page (compared with spaces collapsed and every
//     run of digits alike, so "Strategy 2016 – page 3" matches "Strategy
//     2017 – page 4") that occurs there on at least 3 pages and on at least
//     half of the pages with text is removed from the top and bottom lines
//     of every page; so is a line there holding only a page number (1 to 4
//     digits, "Page 3", "Page 3 of 12", "- 3 -", as text_cleaner reads
//     them). Lines further inside a page are never removed here;
//   - a word hyphenated across a page break ("environ-" ending page 3,
//     "mental" starting page 4) is joined onto the earlier page, by the
//     cleaner's rule: two letters and "-" before a lower-case ASCII letter.
//     Within a page, the text cleaner joins hyphenated lines.
//   - nothing else: ligatures (U+FB01) and full-width forms stay as poppler
//     gives them (the analyzer folds them with NFKC), and each page is left
//     for clean_extracted_text.
//
// Metadata: Title, Author, Subject and Keywords with whitespace collapsed;
// CreationDate and ModDate from their PDF form ("D:20160301120000+08'00'")
// to ISO 8601 ("2016-03-01T12:00:00+08:00", or as much as is given:
// "2016-03-01"); language from the catalog's /Lang (poppler-cpp does not
// expose it: read from an uncompressed catalog object in the bytes), else
// from the XMP dc:language, reduced to its primary subtag lower-cased
// ("nl-NL" -> "nl") when that is 2 or 3 ASCII letters, as html_reader does.
//
// poppler's messages never reach stderr: a quiet handler is installed once
// per process (poppler::set_debug_error_function, replacing any other) and
// turns the messages raised while a document is read into its warnings.
//
// Thread-safety: read_pdf may be called from several threads at once, each
// with its own document. poppler guards its global state (GlobalParams and
// the error callback) with a mutex and keeps no other state between
// documents; the message sink is per thread. poppler is not hardened
// against hostile files (deep recursion, huge streams): the indexer reads
// each PDF in a child process.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace policy {

enum class PdfTextOrder {
  kDrawing,  // the order the producer drew the text (raw_order_layout)
  kLayout,   // poppler's reading-order analysis (non_raw_non_physical_layout)
};

struct PdfOptions {
  // Pages beyond this are not read (warning).
  std::size_t max_pages = 5000;
  PdfTextOrder text_order = PdfTextOrder::kDrawing;
};

struct PdfDocument {
  // Text of page i+1: valid UTF-8, "\n" line ends, not yet cleaned; "" for
  // a page without text (or holding only its header and footer).
  std::vector<std::string> pages;
  std::string title, author, subject, keywords;  // "" when absent; whitespace collapsed
  std::string creation_date, modification_date;  // ISO 8601, "" when absent or unparseable
  int year = 0;                                  // of creation_date, else modification_date; 0 when unknown
  std::string language;                          // "en", or ""
  // Pages poppler found no text on (before headers and footers are removed).
  std::size_t pages_without_text = 0;
  bool no_text_layer = false;  // has pages, none with text: a scan
  // Why the bytes are not a readable PDF: "not a PDF", "damaged PDF: ...",
  // "encrypted PDF (needs a password)"; or "".
  std::string refused;
  // Pages not read past max_pages, a page that failed, poppler's messages
  // ("poppler: ...", at most kMaxPopplerWarnings of them, then a count).
  std::vector<std::string> warnings;
};

inline constexpr std::size_t kMaxPopplerWarnings = 5;

// Reads a PDF from its bytes. Never throws for bad content (only
// std::bad_alloc, which is no fault of the file): bytes that do
// not start with "%PDF-" (within the first 1024 bytes) are refused as "not
// a PDF"; a file poppler cannot open is refused as damaged; a file that
// needs a user password is refused (one with only an owner password is
// read); a truncated file gives the pages poppler can recover, with its
// messages as warnings.
PdfDocument read_pdf(std::string_view bytes, const PdfOptions& options = {});

// "D:20160301120000+08'00'" -> "2016-03-01T12:00:00+08:00"; "D:2016" ->
// "2016"; "" for anything else or a year outside 1000..2999. Exposed for
// tests.
std::string pdf_date_to_iso8601(std::string_view pdf_date);

}  // namespace policy
