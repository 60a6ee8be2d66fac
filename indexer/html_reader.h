// Web pages: the title, date, language and main text of an HTML document.
//
// Parsed with libxml2's HTML parser (Debian's libxml2, already a dependency
// of libxapian): it recovers from broken markup as browsers do, decodes
// entities and converts the page's declared charset to UTF-8. No network
// access (HTML_PARSE_NONET); HTML_PARSE_HUGE is not set, so libxml2's own
// limits hold: 256 levels of nesting (the parser stops there: deeper markup
// such as 100,000 nested <div> is not read) and the size of text nodes and
// names. The tree is walked iteratively.
//
// What is read:
//   - title: <meta property="og:title">, else <title>; whitespace collapsed;
//   - date: the first of the meta tags article:published_time,
//     citation_publication_date, dc.date, dcterms.modified and date (names
//     compared case-insensitively, in that order of preference); year: the
//     first four-digit number 1900-2099 in that date;
//   - language: <html lang> (or xml:lang), its primary subtag lower-cased
//     ("en-GB" -> "en"); kept only when it is 2 or 3 ASCII letters;
//   - text, the main content, by these rules:
//       1. the root is the first <main> or element with role="main", else
//          every <article> not inside another one, else <body>; when the
//          root yields no text, <body> is used;
//       2. left out with everything inside them: head, script, style,
//          noscript, template, svg, iframe, object, select, textarea,
//          button, form, nav, aside, footer, elements
//          with the hidden attribute or aria-hidden="true", elements whose
//          role is navigation, contentinfo, banner, search or complementary,
//          and <header> outside <main> and <article> (the site banner, not
//          an article's heading);
//       3. also left out: elements (other than html, body, main, article and
//          the root) with a class or id word that starts with nav, menu,
//          breadcrumb, cookie, banner, footer, sidebar, share or skip (words
//          are the parts of a class or id between non-alphanumeric
//          characters: "site-nav", "navbox", "cookie_notice", "skip-link");
//       4. blocks (p, div, headings, blockquote, pre, lists, tables, ...)
//          are separated by a blank line, list items, table rows and <br>
//          by a line end, table cells by a tab; other whitespace collapses to
//          one space, except inside <pre>.
//   The text is then cleaned by clean_extracted_text like any other text.
//
// Thread-safe: a pure function (libxml2's parser is reentrant).
#pragma once

#include <string>
#include <string_view>

namespace policy {

struct HtmlOptions {
  // false keeps every visible text (only rules 2's script, style and other
  // non-text elements apply): the page as a whole, for measurements.
  bool main_content_only = true;
};

struct HtmlPage {
  std::string title;     // "" when the page has none
  std::string date;      // the meta tag's value as given, or ""
  int year = 0;          // from `date`; 0 when unknown
  std::string language;  // "en", or ""
  std::string text;      // valid UTF-8, blocks separated by "\n\n"; not yet cleaned
  std::string refused;   // why the bytes are not a page ("binary file ..."), or ""
  // Why libxml2 stopped before the end ("Excessive depth in document: 256
  // use XML_PARSE_HUGE option"), or "": the rest of the page is not read.
  std::string stopped;
};

// Reads a page from its bytes. Never throws for bad content: binary input
// (a NUL byte in the first 8 KiB, without a UTF-16 byte-order mark) or
// input libxml2 cannot parse at all sets `refused`; truncated or broken
// markup gives what it holds; markup nested deeper than libxml2's limit of
// 256 levels stops the parser there and sets `stopped`.
HtmlPage read_html(std::string_view bytes, const HtmlOptions& options = {});

}  // namespace policy
