// Word and OpenDocument files: text in reading order, properties, and
// hostile archives, on files made at test time (tests/support/office_fixture.h).

#include "indexer/office_reader.h"

#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/office_fixture.h"

namespace policy {
namespace {

using testing::docx_core_xml;
using testing::docx_notes_xml;
using testing::make_docx;
using testing::make_odt;
using testing::make_zip;
using testing::odt_meta_xml;
using testing::ZipEntry;

std::string p(std::string_view text) { return "<w:p><w:r><w:t>" + std::string(text) + "</w:t></w:r></w:p>"; }

std::string styled(std::string_view style, std::string_view text) {
  return "<w:p><w:pPr><w:pStyle w:val=\"" + std::string(style) + "\"/></w:pPr><w:r><w:t>" + std::string(text) +
         "</w:t></w:r></w:p>";
}

std::string item(std::string_view text) {
  return "<w:p><w:pPr><w:pStyle w:val=\"ListParagraph\"/><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/>"
         "</w:numPr></w:pPr><w:r><w:t>" +
         std::string(text) + "</w:t></w:r></w:p>";
}

std::string cell(std::string_view content) { return "<w:tc><w:tcPr/>" + std::string(content) + "</w:tc>"; }

struct TextCase {
  const char* name;
  std::string xml;  // the body (DOCX) or office:text (ODT)
  std::string text;
};

TEST(OfficeReaderTest, DocxTextInReadingOrder) {
  const std::vector<TextCase> cases = {
      {"headings and paragraphs are blocks",
       styled("Title", "Clean Air Plan") + styled("Heading1", "1. Aims") + p("First paragraph.") + p("Second."),
       "Clean Air Plan\n\n1. Aims\n\nFirst paragraph.\n\nSecond."},
      {"runs join without a space",
       "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">Clean </w:t></w:r><w:r><w:t>air</w:t></w:r>"
       "<w:r><w:t>s</w:t></w:r></w:p>",
       "Clean airs"},
      {"tab, breaks and hyphens",
       "<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:noBreakHyphen/><w:t>d</w:t><w:softHyphen/>"
       "<w:t>e</w:t><w:cr/><w:t>f</w:t></w:r></w:p>",
       "a\tb\nc-de\nf"},
      {"tab stops in paragraph properties are not tabs",
       "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs><w:rPr><w:lang w:val=\"de\"/></w:rPr>"
       "</w:pPr><w:r><w:t>x</w:t></w:r></w:p>",
       "x"},
      {"a table: rows on lines, cells by tabs",
       p("Before.") + "<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/></w:tblGrid><w:tr><w:trPr/>" + cell(p("a")) +
           cell(p("b")) + "</w:tr><w:tr>" + cell(p("c")) + cell(p("d")) + "</w:tr></w:tbl>" + p("After."),
       "Before.\n\na\tb\nc\td\n\nAfter."},
      {"paragraphs of one cell joined by a space",
       "<w:tbl><w:tr>" + cell(p("one") + p("two")) + cell(p("three")) + "</w:tr></w:tbl>", "one two\tthree"},
      {"a nested table flattened into the row",
       "<w:tbl><w:tr>" +
           cell(p("x") + "<w:tbl><w:tr>" + cell(p("n1")) + cell(p("n2")) + "</w:tr><w:tr>" + cell(p("n3")) +
                "</w:tr></w:tbl>") +
           cell(p("y")) + "</w:tr><w:tr>" + cell(p("z")) + "</w:tr></w:tbl>",
       "x\tn1\tn2\tn3\ty\nz"},
      {"list items on lines", p("Intro:") + item("one") + item("two") + item("three") + p("After."),
       "Intro:\n\none\ntwo\nthree\n\nAfter."},
      {"numId 0 is no list",
       item("one") + "<w:p><w:pPr><w:numPr><w:numId w:val=\"0\"/></w:numPr></w:pPr><w:r><w:t>x</w:t></w:r></w:p>",
       "one\n\nx"},
      {"numbered headings stay blocks",
       "<w:p><w:pPr><w:pStyle w:val=\"Heading2\"/><w:numPr><w:numId w:val=\"3\"/></w:numPr></w:pPr><w:r><w:t>A</w:t>"
       "</w:r></w:p><w:p><w:pPr><w:pStyle w:val=\"Heading2\"/><w:numPr><w:numId w:val=\"3\"/></w:numPr></w:pPr><w:r>"
       "<w:t>B</w:t></w:r></w:p>",
       "A\n\nB"},
      {"tracked deletion left out, insertion kept",
       "<w:p><w:r><w:t xml:space=\"preserve\">The </w:t></w:r><w:del w:id=\"1\" w:author=\"x\"><w:r><w:delText>old"
       "</w:delText></w:r></w:del><w:ins w:id=\"2\" w:author=\"x\"><w:r><w:t>new</w:t></w:r></w:ins><w:r>"
       "<w:t xml:space=\"preserve\"> rule</w:t></w:r></w:p>",
       "The new rule"},
      {"moved-from text left out, moved-to kept",
       "<w:p><w:moveFrom w:id=\"1\"><w:r><w:t>gone</w:t></w:r></w:moveFrom><w:moveTo w:id=\"2\"><w:r><w:t>here</w:t>"
       "</w:r></w:moveTo></w:p>",
       "here"},
      {"old properties of a tracked change left out",
       "<w:p><w:pPr><w:pPrChange w:id=\"1\"><w:pPr><w:numPr><w:numId w:val=\"4\"/></w:numPr></w:pPr></w:pPrChange>"
       "</w:pPr><w:r><w:rPr><w:rPrChange w:id=\"2\"><w:rPr/></w:rPrChange></w:rPr><w:t>x</w:t></w:r></w:p>" +
           item("y"),
       "x\n\ny"},
      {"field codes left out, results kept",
       "<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> HYPERLINK "
       "\"http://x\" </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>the link</w:t>"
       "</w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r><w:fldSimple w:instr=\" PAGE \"><w:r><w:t>7</w:t></w:r>"
       "</w:fldSimple></w:p>",
       "the link7"},
      {"hyperlinks, smart tags and content controls kept",
       "<w:sdt><w:sdtPr><w:alias w:val=\"Box\"/><w:placeholder><w:docPart w:val=\"X\"/></w:placeholder></w:sdtPr>"
       "<w:sdtContent>" +
           p("In a control.") +
           "</w:sdtContent></w:sdt><w:p><w:hyperlink r:id=\"rId1\" "
           "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:r><w:t>link</w:t>"
           "</w:r></w:hyperlink><w:smartTag><w:r><w:t>s</w:t></w:r></w:smartTag></w:p>",
       "In a control.\n\nlinks"},
      {"a text box read once, its VML fallback left out",
       "<w:p><w:r><w:t>Around</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing>"
       "<wps:txbx><w:txbxContent>" +
           p("Boxed.") +
           "</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>"
           "<w:txbxContent>" +
           p("Boxed.") +
           "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>",
       "Around\n\nBoxed."},
      {"section properties, symbols and empty paragraphs",
       p("a") + "<w:p/><w:p><w:r><w:sym w:font=\"Wingdings\" w:char=\"F0E0\"/><w:t>b</w:t></w:r></w:p>"
                "<w:sectPr><w:pgSz w:w=\"11906\"/></w:sectPr>",
       "a\n\nb"},
      {"line ends inside w:t are spaces", "<w:p><w:r><w:t>a\nb</w:t></w:r></w:p>", "a b"},
      {"entities and characters", p("&lt;R&amp;D&gt; &#x2014; caf\xC3\xA9"), "<R&D> \xE2\x80\x94 caf\xC3\xA9"},
  };
  for (const TextCase& c : cases) {
    SCOPED_TRACE(c.name);
    const OfficeDocument document = read_office(make_docx(c.xml), OfficeFormat::kDocx);
    EXPECT_EQ(document.refused, "");
    EXPECT_EQ(document.warnings, std::vector<std::string>());
    EXPECT_EQ(document.text, c.text);
  }
}

TEST(OfficeReaderTest, DocxStrictNamespaceAndPartNamesInAnyCase) {
  std::string document = testing::docx_document_xml(p("Strict."));
  const std::string transitional = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
  document.replace(document.find(transitional), transitional.size(),
                   "http://purl.oclc.org/ooxml/wordprocessingml/main");
  const OfficeDocument read = read_office(make_zip({{"Word/Document.XML", document}}), OfficeFormat::kDocx);
  EXPECT_EQ(read.refused, "");
  EXPECT_EQ(read.text, "Strict.");
}

TEST(OfficeReaderTest, DocxNotesFollowTheBodyInReferenceOrder) {
  const std::string body =
      "<w:p><w:r><w:t>Claim</w:t></w:r><w:r><w:rPr><w:rStyle w:val=\"FootnoteReference\"/></w:rPr>"
      "<w:footnoteReference w:id=\"2\"/></w:r><w:r><w:t xml:space=\"preserve\"> and more</w:t></w:r>"
      "<w:r><w:footnoteReference w:id=\"1\"/></w:r><w:r><w:endnoteReference w:id=\"1\"/></w:r>"
      "<w:r><w:footnoteReference w:id=\"2\"/></w:r></w:p>" +
      p("Last paragraph.");
  const auto note = [](const char* element, const char* id, const std::string& content) {
    return std::string("<w:") + element + " w:id=\"" + id + "\">" + content + "</w:" + element + ">";
  };
  const std::string footnote_two =
      "<w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space=\"preserve\"> Second source.</w:t></w:r></w:p>" +
      p("Its second paragraph.");
  const std::string footnotes =
      docx_notes_xml(note("footnote", "1", p("First source.")) + note("footnote", "2", footnote_two) +
                     note("footnote", "3", p("Never referenced.")));
  const std::string endnotes = docx_notes_xml(note("endnote", "1", p("An endnote.")), "endnote");
  const OfficeDocument document = read_office(
      make_docx(body, {{"word/footnotes.xml", footnotes}, {"word/endnotes.xml", endnotes}}), OfficeFormat::kDocx);
  EXPECT_EQ(document.refused, "");
  EXPECT_EQ(document.text,
            "Claim and more\n\nLast paragraph.\n\n Second source.\n\nIts second paragraph.\n\nFirst source.\n\n"
            "An endnote.");
}

TEST(OfficeReaderTest, DocxWithoutNotesPartKeepsTheBody) {
  const OfficeDocument document = read_office(
      make_docx("<w:p><w:r><w:t>x</w:t><w:footnoteReference w:id=\"1\"/></w:r></w:p>"), OfficeFormat::kDocx);
  EXPECT_EQ(document.refused, "");
  EXPECT_EQ(document.text, "x");
}

struct PropertiesCase {
  const char* name;
  std::vector<ZipEntry> parts;
  std::string title, author, subject, keywords, description, language, created, modified;
  int year;
};

TEST(OfficeReaderTest, DocxCoreProperties) {
  const std::string all =
      "<dc:title>  Clean\n Air   Plan </dc:title><dc:subject>Air quality</dc:subject><dc:creator>Ministry of "
      "Environment</dc:creator><cp:keywords>air, NO2</cp:keywords><dc:description>A plan.</dc:description>"
      "<cp:lastModifiedBy>Someone</cp:lastModifiedBy><dc:language>en-GB</dc:language>"
      "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2019-03-01T10:00:00Z</dcterms:created>"
      "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">2021-06-30T08:00:00Z</dcterms:modified>";
  const std::string styles =
      "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:docDefaults>"
      "<w:rPrDefault><w:rPr><w:lang w:val=\"fr-FR\" w:eastAsia=\"zh-CN\"/></w:rPr></w:rPrDefault></w:docDefaults>"
      "<w:style w:styleId=\"x\"><w:rPr><w:lang w:val=\"de-DE\"/></w:rPr></w:style></w:styles>";
  const std::vector<PropertiesCase> cases = {
      {"all of them",
       {{"docProps/core.xml", docx_core_xml(all)}},
       "Clean Air Plan",
       "Ministry of Environment",
       "Air quality",
       "air, NO2",
       "A plan.",
       "en",
       "2019-03-01T10:00:00Z",
       "2021-06-30T08:00:00Z",
       2019},
      {"no core.xml", {}, "", "", "", "", "", "", "", "", 0},
      {"year from modified",
       {{"docProps/core.xml", docx_core_xml("<dcterms:modified>2020-01-02T00:00:00Z</dcterms:modified>")}},
       "",
       "",
       "",
       "",
       "",
       "",
       "",
       "2020-01-02T00:00:00Z",
       2020},
      {"language from the styles' defaults",
       {{"docProps/core.xml", docx_core_xml("<dc:title>T</dc:title>")}, {"word/styles.xml", styles}},
       "T",
       "",
       "",
       "",
       "",
       "fr",
       "",
       "",
       0},
      {"core language wins over the styles'",
       {{"docProps/core.xml", docx_core_xml("<dc:language>DE</dc:language>")}, {"word/styles.xml", styles}},
       "",
       "",
       "",
       "",
       "",
       "de",
       "",
       "",
       0},
      {"a language that is not one",
       {{"docProps/core.xml", docx_core_xml("<dc:language>x-none</dc:language>")}},
       "",
       "",
       "",
       "",
       "",
       "",
       "",
       "",
       0},
  };
  for (const PropertiesCase& c : cases) {
    SCOPED_TRACE(c.name);
    const OfficeDocument document = read_office(make_docx(p("x"), c.parts), OfficeFormat::kDocx);
    EXPECT_EQ(document.refused, "");
    EXPECT_EQ(document.text, "x");
    EXPECT_EQ(document.title, c.title);
    EXPECT_EQ(document.author, c.author);
    EXPECT_EQ(document.subject, c.subject);
    EXPECT_EQ(document.keywords, c.keywords);
    EXPECT_EQ(document.description, c.description);
    EXPECT_EQ(document.language, c.language);
    EXPECT_EQ(document.created, c.created);
    EXPECT_EQ(document.modified, c.modified);
    EXPECT_EQ(document.year, c.year);
  }
}

TEST(OfficeReaderTest, OdtTextInReadingOrder) {
  const std::vector<TextCase> cases = {
      {"headings and paragraphs are blocks",
       "<text:sequence-decls><text:sequence-decl text:name=\"Table\"/></text:sequence-decls>"
       "<text:h text:outline-level=\"1\">Clean Air Plan</text:h><text:p text:style-name=\"P1\">First "
       "<text:span text:style-name=\"T1\">paragraph</text:span>.</text:p><text:p>Second.</text:p>",
       "Clean Air Plan\n\nFirst paragraph.\n\nSecond."},
      {"spaces: collapsed, and text:s with its count",
       "<text:p>\n  a  \n b<text:s text:c=\"3\"/>c<text:s/>d<text:tab/>e<text:line-break/>f </text:p>",
       "a b   c d\te\nf"},
      {"a space count that is not a number, or huge",
       "<text:p>a<text:s text:c=\"x\"/>b<text:s text:c=\"999999999999\"/>c</text:p>",
       "a b" + std::string(100, ' ') + "c"},
      {"a list: items on lines",
       "<text:p>Intro:</text:p><text:list><text:list-item><text:p>one</text:p></text:list-item><text:list-item>"
       "<text:p>two</text:p><text:list><text:list-item><text:p>two.a</text:p></text:list-item></text:list>"
       "</text:list-item><text:list-header><text:p>three</text:p></text:list-header></text:list><text:p>After."
       "</text:p>",
       "Intro:\n\none\ntwo\ntwo.a\nthree\n\nAfter."},
      {"a table: rows on lines, cells by tabs",
       "<text:p>Before.</text:p><table:table table:name=\"T\"><table:table-column/><table:table-header-rows>"
       "<table:table-row><table:table-cell><text:p>h1</text:p></table:table-cell><table:table-cell><text:p>h2"
       "</text:p></table:table-cell></table:table-row></table:table-header-rows><table:table-row><table:table-cell "
       "table:number-columns-spanned=\"2\"><text:p>one</text:p><text:p>two</text:p></table:table-cell>"
       "<table:covered-table-cell/></table:table-row></table:table><text:p>After.</text:p>",
       "Before.\n\nh1\th2\none two\n\nAfter."},
      {"a nested table flattened",
       "<table:table><table:table-row><table:table-cell><table:table><table:table-row><table:table-cell><text:p>n1"
       "</text:p></table:table-cell><table:table-cell><text:p>n2</text:p></table:table-cell></table:table-row>"
       "</table:table></table:table-cell><table:table-cell><text:p>y</text:p></table:table-cell></table:table-row>"
       "</table:table>",
       "n1\tn2\ty"},
      {"notes after the body, citations left out",
       "<text:p>Claim<text:note text:id=\"ftn1\" text:note-class=\"footnote\"><text:note-citation>1"
       "</text:note-citation><text:note-body><text:p>First source.</text:p></text:note-body></text:note> and more"
       "<text:note text:note-class=\"endnote\"><text:note-citation>i</text:note-citation><text:note-body><text:p>"
       "An endnote.</text:p><text:p>Two.</text:p></text:note-body></text:note>.</text:p><text:p>Last.</text:p>",
       "Claim and more.\n\nLast.\n\nFirst source.\n\nAn endnote.\n\nTwo."},
      {"a note inside a table cell",
       "<table:table><table:table-row><table:table-cell><text:p>a<text:note><text:note-body><text:p>n</text:p>"
       "</text:note-body></text:note></text:p></table:table-cell><table:table-cell><text:p>b</text:p>"
       "</table:table-cell></table:table-row></table:table>",
       "a\tb\n\nn"},
      {"tracked deletions left out",
       "<text:tracked-changes><text:changed-region text:id=\"ct1\"><text:deletion><office:change-info>"
       "<dc:creator>x</dc:creator></office:change-info><text:p>deleted words</text:p></text:deletion>"
       "</text:changed-region></text:tracked-changes><text:p>The <text:change text:change-id=\"ct1\"/>new rule"
       "</text:p>",
       "The new rule"},
      {"annotations, index templates and frame descriptions left out",
       "<text:table-of-content><text:table-of-content-source><text:index-title-template>Contents"
       "</text:index-title-template></text:table-of-content-source><text:index-body><text:p>Aims 1</text:p>"
       "</text:index-body></text:table-of-content><text:p>Text<office:annotation><dc:creator>x</dc:creator><text:p>"
       "a comment</text:p></office:annotation> here<draw:frame><svg:title>Figure</svg:title><svg:desc>Alt text"
       "</svg:desc><draw:text-box><text:p>In a box.</text:p></draw:text-box></draw:frame></text:p>",
       "Aims 1\n\nText here\n\nIn a box."},
      {"links and fields kept",
       "<text:p><text:a xlink:href=\"http://x\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">the link</text:a> on "
       "page <text:page-number>7</text:page-number></text:p>",
       "the link on page 7"},
  };
  for (const TextCase& c : cases) {
    SCOPED_TRACE(c.name);
    const OfficeDocument document = read_office(make_odt(c.xml), OfficeFormat::kOdt);
    EXPECT_EQ(document.refused, "");
    EXPECT_EQ(document.warnings, std::vector<std::string>());
    EXPECT_EQ(document.text, c.text);
  }
}

TEST(OfficeReaderTest, OdtMetadata) {
  const std::string all = odt_meta_xml(
      "<meta:generator>LibreOffice</meta:generator><dc:title>Clean Air Plan</dc:title><dc:description>A plan."
      "</dc:description><dc:subject>Air</dc:subject><meta:keyword>air</meta:keyword><meta:keyword>NO2"
      "</meta:keyword><meta:initial-creator>Ministry</meta:initial-creator><dc:creator>Editor</dc:creator>"
      "<meta:creation-date>2018-05-04T10:11:12.123</meta:creation-date><dc:date>2022-01-01T00:00:00"
      "</dc:date><dc:language>pt-BR</dc:language>");
  const std::string styles =
      "<office:document-styles xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
      "xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" "
      "xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\"><office:styles>"
      "<style:default-style style:family=\"graphic\"><style:text-properties fo:language=\"de\"/>"
      "</style:default-style><style:default-style style:family=\"paragraph\"><style:paragraph-properties/>"
      "<style:text-properties fo:language=\"es\" fo:country=\"ES\"/></style:default-style></office:styles>"
      "</office:document-styles>";
  const std::vector<PropertiesCase> cases = {
      {"all of them",
       {{"meta.xml", all}},
       "Clean Air Plan",
       "Ministry",
       "Air",
       "air, NO2",
       "A plan.",
       "pt",
       "2018-05-04T10:11:12.123",
       "2022-01-01T00:00:00",
       2018},
      {"dc:creator when there is no initial creator",
       {{"meta.xml", odt_meta_xml("<dc:creator>Editor</dc:creator><dc:date>2016-02-03</dc:date>")}},
       "",
       "Editor",
       "",
       "",
       "",
       "",
       "",
       "2016-02-03",
       2016},
      {"language from the default paragraph style",
       {{"meta.xml", odt_meta_xml("")}, {"styles.xml", styles}},
       "",
       "",
       "",
       "",
       "",
       "es",
       "",
       "",
       0},
      {"no meta.xml", {}, "", "", "", "", "", "", "", "", 0},
  };
  for (const PropertiesCase& c : cases) {
    SCOPED_TRACE(c.name);
    const OfficeDocument document = read_office(make_odt("<text:p>x</text:p>", c.parts), OfficeFormat::kOdt);
    EXPECT_EQ(document.refused, "");
    EXPECT_EQ(document.text, "x");
    EXPECT_EQ(document.title, c.title);
    EXPECT_EQ(document.author, c.author);
    EXPECT_EQ(document.subject, c.subject);
    EXPECT_EQ(document.keywords, c.keywords);
    EXPECT_EQ(document.description, c.description);
    EXPECT_EQ(document.language, c.language);
    EXPECT_EQ(document.created, c.created);
    EXPECT_EQ(document.modified, c.modified);
    EXPECT_EQ(document.year, c.year);
  }
}

// XML that expands to gigabytes if entities are substituted.
std::string billion_laughs(std::string_view root_open, std::string_view root_close) {
  std::string xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol0 \"lollollollollollollollollollol\">\n";
  for (int i = 1; i <= 9; ++i) {
    xml += "<!ENTITY lol" + std::to_string(i) + " \"";
    for (int j = 0; j < 10; ++j) xml += "&lol" + std::to_string(i - 1) + ";";
    xml += "\">\n";
  }
  return xml + "]>\n" + std::string(root_open) + "&lol9;" + std::string(root_close);
}

std::string nested(std::string_view open, std::string_view close, int depth, std::string_view inside) {
  std::string xml;
  for (int i = 0; i < depth; ++i) xml += open;
  xml += inside;
  for (int i = 0; i < depth; ++i) xml += close;
  return xml;
}

struct RefusalCase {
  const char* name;
  std::string bytes;
  OfficeFormat format;
  std::string refused;
  OfficeLimits limits = {};
};

TEST(OfficeReaderTest, RefusesWhatIsNotAReadableDocument) {
  const std::string docx = make_docx(p("Some text.") + p("More text."));
  const std::string zeros_document = testing::docx_document_xml(p("x") + std::string(10 << 20, ' '));
  OfficeLimits one_mib;
  one_mib.max_entry_bytes = 1 << 20;
  OfficeLimits three_entries;
  three_entries.max_entries = 3;
  OfficeLimits small_total;
  small_total.max_total_bytes = 100 * 1024;
  std::string ole = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + std::string(504, '\0');
  std::string encrypted_ole = ole + std::string("E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0", 32);
  const std::vector<RefusalCase> cases = {
      {"not a zip", "Hello, world", OfficeFormat::kDocx, "not a zip archive"},
      {"empty", "", OfficeFormat::kOdt, "empty file"},
      {"an empty zip archive", std::string("PK\x05\x06", 4) + std::string(18, '\0'), OfficeFormat::kOdt,
       "not an OpenDocument text: no content.xml"},
      {"a PDF", "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n", OfficeFormat::kDocx, "not a zip archive"},
      {"truncated in the middle", docx.substr(0, docx.size() / 2), OfficeFormat::kDocx,
       "truncated zip archive (no central directory)"},
      {"truncated by a byte", docx.substr(0, docx.size() - 1), OfficeFormat::kDocx,
       "truncated zip archive (no central directory)"},
      {"a password-protected OOXML document", encrypted_ole, OfficeFormat::kDocx,
       "encrypted Office document (needs a password)"},
      {"a Word 97-2003 document", ole, OfficeFormat::kDocx,
       "an OLE compound file (a Word 97-2003 document?), not a zip archive"},
      {"no word/document.xml", make_zip({{"content.xml", "<x/>"}}), OfficeFormat::kDocx,
       "not a Word document: no word/document.xml"},
      {"word/document.xml without w:body", make_zip({{"word/document.xml", "<x/>"}}), OfficeFormat::kDocx,
       "not a Word document: no w:body in word/document.xml"},
      {"no content.xml", make_zip({{"word/document.xml", "<x/>"}}), OfficeFormat::kOdt,
       "not an OpenDocument text: no content.xml"},
      {"a spreadsheet", make_zip({{"mimetype", "application/vnd.oasis.opendocument.spreadsheet", true}}),
       OfficeFormat::kOdt, "not an OpenDocument text: its mimetype is application/vnd.oasis.opendocument.spreadsheet"},
      {"content.xml without office:text",
       make_zip({{"content.xml",
                  "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:"
                  "office:1.0\"><office:body><office:spreadsheet/></office:body>"
                  "</office:document-content>"}}),
       OfficeFormat::kOdt, "not an OpenDocument text: no office:text in content.xml"},
      {"an encrypted ODF package",
       make_odt("<text:p>x</text:p>", {{"META-INF/manifest.xml",
                                        "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:"
                                        "manifest:1.0\"><manifest:file-entry manifest:full-path=\"content.xml\">"
                                        "<manifest:encryption-data/></manifest:file-entry></manifest:manifest>"}}),
       OfficeFormat::kOdt, "encrypted OpenDocument (needs a password)"},
      {"a zip-encrypted entry",
       make_zip({{"word/document.xml", testing::docx_document_xml(p("secret")), false, "password"}}),
       OfficeFormat::kDocx, "encrypted zip entry: word/document.xml"},
      {"word/document.xml that is not XML", make_zip({{"word/document.xml", "\x01\x02 binary"}}), OfficeFormat::kDocx,
       "word/document.xml: XML error at line 1: Document is empty"},
      {"zip bomb by its declared size", make_zip({{"word/document.xml", zeros_document}}), OfficeFormat::kDocx,
       "zip bomb: word/document.xml inflates past 1 MiB", one_mib},
      {"zip bomb that understates its size",
       testing::with_declared_size(make_zip({{"word/document.xml", zeros_document}}), "word/document.xml", 1000),
       OfficeFormat::kDocx, "zip bomb: word/document.xml inflates past 1 MiB", one_mib},
      {"zip bomb by its ratio", make_zip({{"word/document.xml", zeros_document}}), OfficeFormat::kDocx,
       "zip bomb: word/document.xml inflates more than 200 times its compressed size"},
      {"zip bomb by its ratio, understating its size",
       testing::with_declared_size(make_zip({{"word/document.xml", zeros_document}}), "word/document.xml", 1000),
       OfficeFormat::kDocx, "zip bomb: word/document.xml inflates more than 200 times its compressed size"},
      {"zip bomb in the notes",
       make_docx("<w:p><w:r><w:footnoteReference w:id=\"1\"/></w:r></w:p>",
                 {{"word/footnotes.xml", docx_notes_xml(std::string(200 * 1024, ' '))}}),
       OfficeFormat::kDocx, "zip bomb: the parts read inflate past 100 KiB", small_total},
      {"too many entries", make_docx(p("x"), {{"a", ""}, {"b", ""}}), OfficeFormat::kDocx,
       "too many zip entries: 4 (the limit is 3)", three_entries},
  };
  for (const RefusalCase& c : cases) {
    SCOPED_TRACE(c.name);
    const OfficeDocument document = read_office(c.bytes, c.format, c.limits);
    EXPECT_EQ(document.refused, c.refused);
    EXPECT_EQ(document.text, "");
  }
}

TEST(OfficeReaderTest, HostileXmlIsReadWithinLibxml2Limits) {
  struct HostileCase {
    const char* name;
    std::string bytes;
    OfficeFormat format;
    std::string text_start;
    std::string warning_start;  // "" for no warning
    std::string refused_start = "";
  };
  const std::string w_open =
      "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>";
  const std::string w_close = "</w:t></w:r></w:p></w:body></w:document>";
  std::string many_paragraphs;
  for (int i = 0; i < 1000; ++i) many_paragraphs += p("Kept.");
  const std::vector<HostileCase> cases = {
      {"billion laughs", make_zip({{"word/document.xml", billion_laughs(w_open, w_close)}}), OfficeFormat::kDocx, "",
       "", "word/document.xml: XML error at line 1: Detected an entity reference loop"},
      {"billion laughs in the properties",
       make_docx(p("x"), {{"docProps/core.xml", billion_laughs("<cp:coreProperties xmlns:cp=\"http://schemas."
                                                               "openxmlformats.org/package/2006/metadata/"
                                                               "core-properties\" xmlns:dc=\"http://purl.org/dc/"
                                                               "elements/1.1/\"><dc:title>",
                                                               "</dc:title></cp:coreProperties>")}}),
       OfficeFormat::kDocx, "x", "docProps/core.xml: XML error at line 1: Detected an entity reference loop"},
      {"an external entity is not loaded",
       make_zip(
           {{"word/document.xml", "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" +
                                      w_open + "a&x;b" + w_close}}),
       OfficeFormat::kDocx, "ab", ""},
      {"10,000 nested content controls",
       make_docx(p("Start.") + nested("<w:sdt><w:sdtContent>", "</w:sdtContent></w:sdt>", 10000, p("deep"))),
       OfficeFormat::kDocx, "Start.", "word/document.xml: XML error at line 2: Excessive depth in document: 256"},
      {"10,000 nested spans",
       make_odt("<text:p>Start.</text:p><text:p>" + nested("<text:span>", "</text:span>", 10000, "deep") + "</text:p>"),
       OfficeFormat::kOdt, "Start.", "content.xml: XML error at line 2: Excessive depth in document: 256"},
      {"broken XML keeps what came before", make_docx(many_paragraphs + "<w:p><w:r><w:t>cut</w:r></w:p>"),
       OfficeFormat::kDocx, "Kept.\n\nKept.",
       "word/document.xml: XML error at line 2: Opening and ending tag mismatch: t line 2 and r"},
  };
  for (const HostileCase& c : cases) {
    SCOPED_TRACE(c.name);
    const auto start = std::chrono::steady_clock::now();
    const OfficeDocument document = read_office(c.bytes, c.format);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
    EXPECT_EQ(document.refused.substr(0, c.refused_start.size()), c.refused_start);
    EXPECT_EQ(document.text.substr(0, c.text_start.size()), c.text_start);
    EXPECT_LT(document.text.size(), 10000u);
    EXPECT_EQ(document.text.find("root:"), std::string::npos);
    EXPECT_EQ(document.title, "");
    if (c.warning_start.empty()) {
      EXPECT_EQ(document.warnings, std::vector<std::string>());
    } else {
      ASSERT_EQ(document.warnings.size(), 1u);
      EXPECT_EQ(document.warnings[0].substr(0, c.warning_start.size()), c.warning_start);
    }
  }
}

// Damaged archives of every kind: any byte changed gives a document or a
// refusal, never a crash (the sanitizer build checks the memory).
TEST(OfficeReaderTest, DamagedArchivesNeverCrash) {
  for (const auto& [bytes, format] :
       {std::pair{
            make_docx(p("Some text.") + p("More."), {{"docProps/core.xml", docx_core_xml("<dc:title>T</dc:title>")}}),
            OfficeFormat::kDocx},
        std::pair{make_odt("<text:p>Some text.</text:p>", {{"meta.xml", odt_meta_xml("<dc:title>T</dc:title>")}}),
                  OfficeFormat::kOdt}}) {
    for (std::size_t at = 0; at < bytes.size(); at += 3) {
      std::string damaged = bytes;
      damaged[at] = static_cast<char>(damaged[at] ^ 0x5A);
      const OfficeDocument document = read_office(damaged, format);
      if (!document.refused.empty()) {
        EXPECT_EQ(document.text, "");
      }
    }
  }
}

}  // namespace
}  // namespace policy
