#!/usr/bin/env python3
"""Makes the PDF and the web page of corpus/ from their seed texts.

Two of the five seeds came from formats other than plain text: the
ASEAN-China strategy from a PDF, the EPA text from a web page. So that the
sample index shows pages and the web-page reader at work, corpus/ holds them
in those formats again, made from the seed texts by this script (standard
library only; the output is committed, so a build never runs it):

  corpus/asean-china-strategy-on-environmental-cooperation-2016-2020.pdf
      the seed's lines as they were wrapped, 58 to a page of 7.5-point
      Helvetica, under a running header and over a page number, as the
      original's pages had; characters outside WinAnsi (the full-width
      parentheses) become their ASCII forms;
  corpus/epa-collaboration-with-china.html
      the seed's paragraphs, lists and headings inside <main>, between a
      site header, navigation and footer that the reader leaves out.

Usage: scripts/make_corpus_documents.py SEEDS_DIR  (e.g. ../shared/seeds)
"""
import html
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PDF_SEED = "003_7a387c600c7a5ae4.txt"
HTML_SEED = "000_47d362c0e78055c2.txt"

PAGE_LINES = 58
FONT_SIZE = 7.5
LEADING = 11.5
LEFT = 40
RUNNING_HEADER = "ASEAN-China Strategy on Environmental Cooperation (2016-2020)"
ASCII_FORMS = {"\uff08": "(", "\uff09": ")"}


def pdf_string(text):
    """A PDF literal string of `text` in WinAnsiEncoding."""
    for wide, ascii_form in ASCII_FORMS.items():
        text = text.replace(wide, ascii_form)
    raw = text.encode("cp1252")
    escaped = raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    return b"(" + escaped + b")"


def page_stream(lines, number):
    ops = [b"BT", b"/F1 %.1f Tf" % FONT_SIZE, b"%.1f TL" % LEADING]
    ops.append(b"1 0 0 1 %d 756 Tm " % LEFT + pdf_string(RUNNING_HEADER) + b" Tj")
    ops.append(b"1 0 0 1 %d 730 Tm" % LEFT)
    for line in lines:
        ops.append(pdf_string(line) + b" '")
    ops.append(b"1 0 0 1 300 40 Tm " + pdf_string(str(number)) + b" Tj")
    ops.append(b"ET")
    return b"\n".join(ops)


def make_pdf(seed_text, title):
    lines = []
    for line in seed_text.split("\n"):
        line = line.rstrip()
        if not line:
            continue  # the seed's blank line after every line is the extraction's
        lines.append(line)
    pages = [lines[i:i + PAGE_LINES] for i in range(0, len(lines), PAGE_LINES)]

    objects = []  # bodies; object n is objects[n - 1]
    def add(body):
        objects.append(body)
        return len(objects)

    catalog = add(None)
    page_tree = add(None)
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    info = add(b"<< /Title " + pdf_string(title) + b" /Producer (policy-search scripts/make_corpus_documents.py) >>")
    kids = []
    for number, page in enumerate(pages, start=1):
        stream = page_stream(page, number)
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                        b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (page_tree, content, font)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R /Lang (en) >>" % page_tree
    objects[page_tree - 1] = (b"<< /Type /Pages /Count %d /Kids [" % len(kids) +
                              b" ".join(b"%d 0 R" % k for k in kids) + b"] >>")

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, catalog, info, xref)
    return bytes(out), len(pages)


def make_html(seed_text):
    blocks = [b.strip("\n") for b in seed_text.split("\n\n") if b.strip()]
    title = blocks[1].strip()
    body = []
    in_list = False
    for block in blocks:
        for line in block.split("\n"):
            text = line.strip()
            if not text:
                continue
            if text.startswith("\u2022"):
                if not in_list:
                    body.append("<ul>")
                    in_list = True
                body.append("  <li>" + html.escape(text.lstrip("\u2022 ").strip()) + "</li>")
                continue
            if in_list:
                body.append("</ul>")
                in_list = False
            if text == title:
                body.append("<h1>" + html.escape(text) + "</h1>")
            elif text == "Top of Page":
                body.append('<p><a href="#main" class="top-of-page">Top of Page</a></p>')
            elif text.endswith(":") and len(text) < 80 and not text.startswith("Explore"):
                body.append("<h2>" + html.escape(text.rstrip(": ").strip()) + "</h2>")
            else:
                body.append("<p>" + html.escape(text) + "</p>")
    if in_list:
        body.append("</ul>")
    main = "\n".join(body)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(title)} | US EPA</title>
<meta property="og:title" content="{html.escape(title)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<script>window.dataLayer = window.dataLayer || [];</script>
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<div class="usa-banner">An official website of the United States government</div>
<header class="site-header">
  <a href="/" class="site-logo">United States Environmental Protection Agency</a>
  <form role="search" action="/search"><input name="q" placeholder="Search EPA.gov"><button>Search</button></form>
</header>
<nav class="main-menu" aria-label="Main">
  <ul><li><a href="/environmental-topics">Environmental Topics</a></li>
  <li><a href="/laws-regulations">Laws &amp; Regulations</a></li>
  <li><a href="/report-violation">Report a Violation</a></li>
  <li><a href="/aboutepa">About EPA</a></li></ul>
</nav>
<main id="main">
{main}
</main>
<footer class="site-footer">
  <p><a href="/international-cooperation/forms/contact-us-about-international-cooperation">Contact Us</a> to ask a question, provide feedback, or report a problem.</p>
  <ul><li><a href="/accessibility">Accessibility</a></li><li><a href="/privacy">Privacy</a></li></ul>
</footer>
</body>
</html>
"""


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    seeds = Path(sys.argv[1])
    corpus = ROOT / "corpus"
    pdf, pages = make_pdf((seeds / PDF_SEED).read_text(encoding="utf-8"),
                          "ASEAN-China Strategy on Environmental Cooperation (2016-2020)")
    (corpus / "asean-china-strategy-on-environmental-cooperation-2016-2020.pdf").write_bytes(pdf)
    (corpus / "epa-collaboration-with-china.html").write_text(
        make_html((seeds / HTML_SEED).read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote a PDF of {pages} pages and a web page into {corpus}")


if __name__ == "__main__":
    main()
