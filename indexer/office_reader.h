// Word (.docx) and OpenDocument text (.odt) files: the text, in reading
// order, and the core properties.
//
// The zip archive is opened from memory with libzip and each XML part is
// read with libxml2's streaming reader (xmlTextReader), so no tree is built.
// XML is parsed without network access (XML_PARSE_NONET), without entity
// substitution (no XML_PARSE_NOENT: a "billion laughs" document does not
// expand) and without XML_PARSE_HUGE, so libxml2's own limits hold: 256
// levels of nesting, 10 MB text nodes. Where libxml2 stops on an error the
// text read up to there is kept and a warning names the part and the error.
//
// What is read:
//   - DOCX: word/document.xml: paragraphs (w:t text, w:tab and w:ptab as a
//     tab, w:br and w:cr as a line end, w:noBreakHyphen as "-",
//     w:softHyphen and w:sym dropped), headings, lists, tables, text boxes
//     (mc:Fallback copies left out), content controls (w:sdt), hyperlinks,
//     field results and inserted text (w:ins); left out: deleted text
//     (w:del, w:moveFrom), field codes (w:instrText), the old properties of
//     tracked changes (w:*Change). Then the footnotes (word/footnotes.xml),
//     then the endnotes (word/endnotes.xml), each in the order of their
//     first reference in the body; separator notes and notes the body does
//     not reference are left out. Headers, footers and comments are not
//     read. Properties: docProps/core.xml (dc:title, dc:creator,
//     dc:subject, cp:keywords, dc:description, dc:language,
//     dcterms:created, dcterms:modified); the language, when core.xml has
//     none, from the default run properties of word/styles.xml (w:lang).
//     Part names are matched without regard to case, as OPC requires.
//   - ODT: content.xml, office:body/office:text: text:h, text:p (whitespace
//     collapsed as ODF says; text:s with its text:c count, at most 100,
//     text:tab, text:line-break), lists, tables, frames' text boxes, then
//     the note bodies (text:note, footnotes and endnotes) in document
//     order; left out: text:tracked-changes (deleted text), note citations,
//     annotations, index source templates, svg:title and svg:desc.
//     Properties: meta.xml (dc:title, meta:initial-creator else dc:creator,
//     dc:subject, the meta:keyword elements joined by ", ",
//     dc:description, dc:language, meta:creation-date, dc:date); the
//     language, when meta.xml has none, from the default paragraph style of
//     styles.xml (fo:language). An ODF package whose mimetype is not a text
//     document (a spreadsheet) is refused.
//
// Layout of `text`: blocks (paragraphs, headings, lists, tables, notes) are
// separated by a blank line ("\n\n"); list items, table rows and line
// breaks by a line end; table cells by a tab; the paragraphs of one cell by
// a space, and nested tables are flattened into the cells of the outer row.
// This is html_reader's layout, which clean_extracted_text keeps.
//
// Hostile input is refused, never thrown or crashed on: bytes that are not
// a zip archive, a truncated archive, more entries than `max_entries`, an
// entry that is zip-encrypted, an OLE compound file (a password-protected
// OOXML document, or a Word 97-2003 .doc), an encrypted ODF package, a
// missing main part, and zip bombs: each part is inflated in a bounded loop
// that counts the bytes actually produced (the declared sizes are checked
// first but not trusted) and stops at `max_entry_bytes` for one part,
// `max_total_bytes` for all parts, or `max_ratio` times the compressed size
// once a part is past 1 MiB.
//
// Thread-safe: a pure function. libzip archives and libxml2 readers are
// not shared between calls; libxml2 is initialised once, thread-safely.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace policy {

struct OfficeLimits {
  std::uint64_t max_entry_bytes = 64ull << 20;   // uncompressed size of one XML part read
  std::uint64_t max_total_bytes = 256ull << 20;  // all parts read together
  std::uint64_t max_ratio = 200;                 // uncompressed/compressed of an entry larger than 1 MiB
  std::size_t max_entries = 10000;               // entries in the archive
};

struct OfficeDocument {
  std::string text;  // valid UTF-8, laid out as the header says; not yet cleaned
  // The core properties, whitespace collapsed; "" when absent.
  std::string title, author, subject, keywords, description;
  std::string language;           // primary subtag, lower case ("en-GB" -> "en"); "" when absent or not 2-3 letters
  std::string created, modified;  // ISO 8601 as stored; "" when absent
  int year = 0;                   // 1900-2099 from `created`, else from `modified`; 0 when unknown
  // Why the bytes are not a readable document ("not a zip archive", "zip
  // bomb: word/document.xml inflates past 64 MiB", ...), or "". A refused
  // document has no text.
  std::string refused;
  // Problems that left part of the document unread ("content.xml: XML
  // error at line 3: ...; the rest of the part is not read").
  std::vector<std::string> warnings;
};

enum class OfficeFormat { kDocx, kOdt };

// Reads a document from the bytes of its file. Never throws for bad
// content (only std::bad_alloc).
OfficeDocument read_office(std::string_view bytes, OfficeFormat format, const OfficeLimits& limits = {});

}  // namespace policy
