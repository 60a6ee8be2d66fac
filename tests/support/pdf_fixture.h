// Small PDFs made at test time: pages of text lines placed at (x, y) in
// Helvetica, an /Info dictionary, the catalog's /Lang, and optionally the
// standard security handler (revision 2: RC4 with a 40-bit key derived by
// MD5), so tests of indexer/pdf_reader need no files.
//
// Text is given in UTF-8 and written in the font's encoding: WinAnsi, with
// byte 0x80 mapped to the glyph /fi (poppler's text output spells that
// glyph name "fi"; with `fi_in_to_unicode` the font's ToUnicode CMap maps
// the byte to U+FB01, which poppler keeps, as most producers do). ASCII,
// "ﬁ" (U+FB01), "–" (U+2013), "—" (U+2014) and Latin-1 letters are
// written; any other character becomes "?".
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace policy::testing {

struct PdfTextLine {
  double x = 72;
  double y = 720;  // from the bottom of a 612 x 792 page
  std::string text;
  double font_size = 11;
};

struct PdfFixturePage {
  // No lines: a page that only draws a rectangle (as a scan has no text).
  std::vector<PdfTextLine> lines;
};

struct PdfEncryption {
  std::string user_password;  // "" opens without a password
  std::string owner_password = "owner";
};

struct PdfFixture {
  std::vector<PdfFixturePage> pages;
  std::vector<std::pair<std::string, std::string>> info;  // ("Title", "A title"), ("CreationDate", "D:2016...")
  std::string lang;                                       // the catalog's /Lang, or none when ""
  bool fi_in_to_unicode = false;
  bool encrypt = false;
  PdfEncryption encryption;
};

// A page with `lines` from the top down at `x`, one every 14 points.
PdfFixturePage page_of_lines(const std::vector<std::string>& lines, double x = 72, double top = 720);

// The bytes of a valid PDF 1.4 file (objects, cross-reference table,
// trailer with an /ID).
std::string make_pdf(const PdfFixture& fixture);

}  // namespace policy::testing
