// Readers: which documents and diagnostics each kind of input gives.

#include "indexer/document_reader.h"

#include <gtest/gtest.h>

#include "core/utf8.h"

#include "tests/support/temp_dir_test.h"
#include "tests/support/test_support.h"

namespace policy {
namespace {

struct ReadResult {
  std::vector<SourceDocument> docs;
  std::vector<Diagnostic> diagnostics;

  std::string diagnostics_text() const {
    std::string out;
    for (const Diagnostic& d : diagnostics) out += d.to_string() + "\n";
    return out;
  }
};

ReadResult read_all(const std::vector<std::filesystem::path>& paths) {
  ReadResult result;
  DocumentReader reader({}, [&](Diagnostic&& d) { result.diagnostics.push_back(std::move(d)); });
  for (const InputFile& input : reader.list_inputs(paths)) {
    reader.read(input, [&](SourceDocument&& doc) { result.docs.push_back(std::move(doc)); });
  }
  return result;
}

class DocumentReaderTest : public testing::TempDirTest {};

TEST_F(DocumentReaderTest, DirectoryWithSidecarsJsonlAndIgnoredFiles) {
  testing::write_file(dir_ / "b.txt", "Second document.\n");
  testing::write_file(dir_ / "a.txt", "First document.\n");
  testing::write_file(dir_ / "a.meta.json",
                      R"({"title": "A title", "year": 2016, "organisation": ["EPA", "MEP"], "country": "China"})");
  testing::write_file(dir_ / "sub/c.md", "# Heading of C\n\nBody of C.\n");
  testing::write_file(dir_ / "sub/docs.jsonl",
                      "{\"id\": \"j1\", \"title\": \"J one\", \"text\": \"Jsonl one.\", \"year\": \"2019\"}\n"
                      "\n"
                      "{\"text\": \"No id here.\"}\n");
  testing::write_file(dir_ / "sub/picture.png", "\x89PNG");
  testing::write_file(dir_ / ".hidden/x.txt", "hidden");
  testing::write_file(dir_ / "skip-me.txt", "ignored by pattern");
  testing::write_file(dir_ / ".policyignore", "# comment\nskip-*.txt\n");

  const ReadResult r = read_all({dir_});
  ASSERT_EQ(r.docs.size(), 5u) << r.diagnostics_text();
  EXPECT_EQ(r.docs[0].id, "a.txt");
  EXPECT_EQ(r.docs[0].title, "A title");
  EXPECT_EQ(r.docs[0].metadata["year"], 2016);
  EXPECT_EQ(r.docs[0].metadata["country"], "China");  // unknown fields are kept
  EXPECT_EQ(r.docs[1].id, "b.txt");
  EXPECT_EQ(r.docs[1].title, "");
  EXPECT_EQ(r.docs[2].id, "sub/c.md");
  EXPECT_EQ(r.docs[2].title, "Heading of C");
  EXPECT_EQ(r.docs[3].id, "j1");
  EXPECT_EQ(r.docs[3].metadata["year"], 2019);  // "2019" normalised to a number
  EXPECT_EQ(r.docs[3].source, (dir_ / "sub/docs.jsonl").string() + ":1");
  EXPECT_EQ(r.docs[4].id, "sub/docs.jsonl#3");
  ASSERT_EQ(r.diagnostics.size(), 1u) << r.diagnostics_text();
  // A file of another type is named and counted as skipped, never dropped in silence.
  EXPECT_EQ(r.diagnostics[0].effect, Diagnostic::Effect::kSkipped);
  EXPECT_EQ(r.diagnostics[0].severity, Diagnostic::Severity::kWarning);
  EXPECT_NE(r.diagnostics[0].location.find("picture.png"), std::string::npos);
}

TEST_F(DocumentReaderTest, BadInputsAreReportedWithLocationAndTheRestIsRead) {
  struct Case {
    std::string file;
    std::string content;
    std::size_t documents;
    Diagnostic::Effect effect;
    std::string message_part;  // "" = no diagnostic expected
  };
  const std::vector<Case> cases = {
      {"bad-utf8.txt", "line one\nline \xFF two\n", 1, Diagnostic::Effect::kNone, "invalid UTF-8 at line 2, byte 14"},
      {"binary.txt", std::string("ab\0cd", 5), 0, Diagnostic::Effect::kSkipped, "binary file (NUL byte at offset 2)"},
      {"empty.txt", "", 0, Diagnostic::Effect::kSkipped, "empty file"},
      {"blank.txt", " \n\t\n", 0, Diagnostic::Effect::kSkipped, "only whitespace"},
      {"utf16.txt", std::string("\xFF\xFEh\0i\0", 6), 1, Diagnostic::Effect::kNone, "converted from UTF-16LE"},
      {"bom.txt", "\xEF\xBB\xBFwith bom", 1, Diagnostic::Effect::kNone, ""},
      {"crlf.txt", "a\r\nb\rc", 1, Diagnostic::Effect::kNone, ""},
      {"lines.jsonl",
       "{\"text\": \"good\"}\n{not json}\n[1,2]\n{\"text\": 5}\n{\"text\": \"good too\", \"year\": \"soon\"}\n", 2,
       Diagnostic::Effect::kFailed, "lines.jsonl:2: error: malformed JSON at column 3"},
      {"deep.jsonl", std::string(100000, '[') + std::string(100000, ']') + "\n{\"text\": \"after\"}\n", 1,
       Diagnostic::Effect::kFailed, "nested deeper than 64 levels"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    const std::filesystem::path dir = dir_ / c.file.substr(0, c.file.find('.'));
    testing::write_file(dir / c.file, c.content);
    const ReadResult r = read_all({dir / c.file});
    EXPECT_EQ(r.docs.size(), c.documents) << r.diagnostics_text();
    if (c.message_part.empty()) {
      EXPECT_TRUE(r.diagnostics.empty()) << r.diagnostics_text();
    } else {
      ASSERT_FALSE(r.diagnostics.empty());
      EXPECT_EQ(r.diagnostics[0].effect, c.effect);
      EXPECT_NE(r.diagnostics_text().find(c.message_part), std::string::npos) << r.diagnostics_text();
    }
    for (const SourceDocument& d : r.docs) EXPECT_EQ(d.text.find('\r'), std::string::npos);
  }
}

TEST_F(DocumentReaderTest, WrongMetadataTypesAreDroppedWithAWarning) {
  testing::write_file(dir_ / "d.txt", "Text.");
  testing::write_file(dir_ / "d.meta.json", R"({"year": "soon", "organisation": 5, "url": ["x"], "extra": {"a": 1}})");
  const ReadResult r = read_all({dir_ / "d.txt"});
  ASSERT_EQ(r.docs.size(), 1u);
  EXPECT_FALSE(r.docs[0].metadata.contains("year"));
  EXPECT_FALSE(r.docs[0].metadata.contains("organisation"));
  EXPECT_TRUE(r.docs[0].metadata.contains("extra"));
  EXPECT_EQ(r.diagnostics.size(), 3u) << r.diagnostics_text();
  EXPECT_NE(r.diagnostics_text().find("d.meta.json: warning: field \"year\": \"soon\" is not a year"),
            std::string::npos)
      << r.diagnostics_text();
}

// Regression: the year check passed each byte of a string to ::isdigit,
// undefined for the negative chars of a UTF-8 character.
TEST(NormalizeMetadataTest, YearStringWithUtf8BytesIsNotAYear) {
  nlohmann::json metadata = {{"year", "20\xC3\xA9"}};
  std::vector<std::string> problems;
  normalize_metadata(metadata, problems);
  EXPECT_FALSE(metadata.contains("year"));
  ASSERT_EQ(problems.size(), 1u);
}

TEST(DecodeTextTest, TextIsDecodedOrRefusedWithAReason) {
  using namespace std::string_literals;
  struct Case {
    const char* name;
    std::string bytes;
    std::string text;
    std::string refused;
    std::string warning_prefix;
  };
  const Case cases[] = {
      {"CRLF", "a\r\nb", "a\nb", "", ""},
      {"UTF-8 byte-order mark",
       "\xEF\xBB\xBF"
       "abc",
       "abc", "", ""},
      {"UTF-16LE", "\xFF\xFEh\0i\0"s, "hi", "", "converted from UTF-16LE"},
      {"UTF-16BE", "\xFE\xFF\0h\0i"s, "hi", "", "converted from UTF-16BE"},
      {"invalid UTF-8", "a\xFF", "a\xEF\xBF\xBD", "", "invalid UTF-8 at line 1, byte "},
      {"binary", "ab\0cd"s, "", "binary file (NUL byte at offset 2)", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const DecodedText decoded = decode_text(c.bytes);
    EXPECT_EQ(decoded.ok(), c.refused.empty());
    EXPECT_EQ(decoded.text, c.text);
    EXPECT_EQ(decoded.refused, c.refused);
    if (c.refused.empty()) {
      EXPECT_TRUE(decoded.warning.starts_with(c.warning_prefix)) << decoded.warning;
      EXPECT_EQ(decoded.warning.empty(), c.warning_prefix.empty()) << decoded.warning;
    }
  }
}

TEST_F(DocumentReaderTest, MalformedSidecarKeepsTheDocument) {
  testing::write_file(dir_ / "d.txt", "Text.");
  testing::write_file(dir_ / "d.meta.json", "{broken");
  const ReadResult r = read_all({dir_});
  ASSERT_EQ(r.docs.size(), 1u);
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_NE(r.diagnostics[0].message.find("malformed JSON"), std::string::npos);
}

TEST_F(DocumentReaderTest, MissingPathAndUnsupportedFileAreErrors) {
  testing::write_file(dir_ / "x.png", "\x89PNG");
  const ReadResult r = read_all({dir_ / "missing", dir_ / "x.png"});
  EXPECT_TRUE(r.docs.empty());
  ASSERT_EQ(r.diagnostics.size(), 2u);
  EXPECT_EQ(r.diagnostics[0].effect, Diagnostic::Effect::kFailed);
  EXPECT_NE(r.diagnostics[1].message.find("unsupported file type '.png'"), std::string::npos);
}

TEST_F(DocumentReaderTest, WebPagesGiveTitleLanguageYearAndMainText) {
  testing::write_file(dir_ / "pages/plan.html",
                      "<!DOCTYPE html><html lang=\"en-GB\"><head><title>Clean Air Plan</title>"
                      "<meta name=\"DC.date\" content=\"2016-10-21\"></head><body><nav>Home</nav>"
                      "<main><h1>Clean air</h1><p>Less coal by 2020.</p></main></body></html>");
  testing::write_file(dir_ / "pages/OTHER.HTM", "<title>Other</title><p>Text.</p>");
  testing::write_file(dir_ / "pages/other.meta.json", R"({"title": "Not this one"})");
  testing::write_file(dir_ / "pages/OTHER.meta.json", R"({"title": "Sidecar title", "year": 2001})");
  testing::write_file(dir_ / "pages/empty.xhtml", "<html><body><script>app()</script></body></html>");
  const ReadResult r = read_all({dir_});
  ASSERT_EQ(r.docs.size(), 2u) << r.diagnostics_text();
  const SourceDocument& sidecar = r.docs[0];  // "OTHER.HTM" sorts first
  EXPECT_EQ(sidecar.id, "pages/OTHER.HTM");
  EXPECT_EQ(sidecar.title, "Sidecar title");
  EXPECT_EQ(sidecar.metadata["year"], 2001);
  const SourceDocument& plan = r.docs[1];
  EXPECT_EQ(plan.id, "pages/plan.html");
  EXPECT_EQ(plan.source, (dir_ / "pages/plan.html").string());
  EXPECT_EQ(plan.title, "Clean Air Plan");
  EXPECT_EQ(plan.text, "Clean air\n\nLess coal by 2020.");
  EXPECT_EQ(plan.metadata["language"], "en");
  EXPECT_EQ(plan.metadata["year"], 2016);
  EXPECT_EQ(plan.metadata["date"], "2016-10-21");
  ASSERT_EQ(r.diagnostics.size(), 1u) << r.diagnostics_text();
  EXPECT_EQ(r.diagnostics[0].location, (dir_ / "pages/empty.xhtml").string());
  EXPECT_EQ(r.diagnostics[0].effect, Diagnostic::Effect::kSkipped);
  EXPECT_NE(r.diagnostics[0].message.find("page holds no text"), std::string::npos);
}

TEST_F(DocumentReaderTest, DeeplyNestedPageIsReadUpToTheParsersLimit) {
  std::string nested;
  for (int i = 0; i < 100000; ++i) nested += "<div>";
  testing::write_file(dir_ / "deep.html", "<p>Top.</p>" + nested + "lost");
  testing::write_file(dir_ / "only-deep.htm", nested + "lost");
  const ReadResult r = read_all({dir_});
  ASSERT_EQ(r.docs.size(), 1u) << r.diagnostics_text();
  EXPECT_EQ(r.docs[0].text, "Top.");
  ASSERT_EQ(r.diagnostics.size(), 2u) << r.diagnostics_text();
  EXPECT_EQ(r.diagnostics[0].effect, Diagnostic::Effect::kNone);
  EXPECT_NE(r.diagnostics[0].message.find("the HTML parser stopped (Excessive depth"), std::string::npos);
  EXPECT_EQ(r.diagnostics[1].effect, Diagnostic::Effect::kSkipped);
  EXPECT_NE(r.diagnostics[1].message.find("no text before that; skipped"), std::string::npos);
}

TEST_F(DocumentReaderTest, SymlinkLoopsAreNotFollowed) {
  testing::write_file(dir_ / "real/a.txt", "A.");
  std::filesystem::create_directory_symlink(dir_ / "real", dir_ / "real/loop");
  const ReadResult r = read_all({dir_});
  EXPECT_EQ(r.docs.size(), 1u);
}

TEST_F(DocumentReaderTest, OversizedDocumentIsCutAtALineWithAWarning) {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "line number " + std::to_string(i) + "\n";
  testing::write_file(dir_ / "big.txt", text);
  ReadResult result;
  DocumentReader reader(ReaderOptions{.max_document_bytes = 500, .extraction = {}, .stop_requested = {}},
                        [&](Diagnostic&& d) { result.diagnostics.push_back(std::move(d)); });
  for (const InputFile& input : reader.list_inputs({dir_})) {
    reader.read(input, [&](SourceDocument&& doc) { result.docs.push_back(std::move(doc)); });
  }
  ASSERT_EQ(result.docs.size(), 1u);
  EXPECT_LE(result.docs[0].text.size(), 500u);
  EXPECT_TRUE(result.docs[0].text.ends_with("\n") || result.docs[0].text.back() != ' ');
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_NE(result.diagnostics[0].message.find("--max-doc-bytes"), std::string::npos);
}

TEST_F(DocumentReaderTest, OverlongIdFailsItsDocumentAlone) {
  const std::string long_id(kMaxIdBytes + 1, 'x');
  testing::write_file(dir_ / "lines.jsonl", "{\"id\": \"" + long_id +
                                                "\", \"text\": \"too long\"}\n"
                                                "{\"id\": \"ok\", \"text\": \"fine\"}\n");
  testing::write_file(dir_ / "t.txt", "Text.");
  testing::write_file(dir_ / "t.meta.json", "{\"id\": \"" + long_id + "\"}");
  const ReadResult r = read_all({dir_});
  ASSERT_EQ(r.docs.size(), 1u) << r.diagnostics_text();
  EXPECT_EQ(r.docs[0].id, "ok");
  ASSERT_EQ(r.diagnostics.size(), 2u) << r.diagnostics_text();
  for (const Diagnostic& d : r.diagnostics) {
    EXPECT_EQ(d.effect, Diagnostic::Effect::kFailed);
    EXPECT_NE(d.message.find("document id is 241 bytes long; the limit is 240"), std::string::npos) << d.message;
  }
}

TEST_F(DocumentReaderTest, DeeplyNestedSidecarIsRefusedNotACrash) {
  testing::write_file(dir_ / "d.txt", "Text.");
  testing::write_file(dir_ / "d.meta.json", "{\"x\": " + std::string(400000, '[') + std::string(400000, ']') + "}");
  const ReadResult r = read_all({dir_});
  ASSERT_EQ(r.docs.size(), 1u);
  EXPECT_TRUE(r.docs[0].metadata.empty());
  ASSERT_EQ(r.diagnostics.size(), 1u) << r.diagnostics_text();
  EXPECT_NE(r.diagnostics[0].message.find("nested deeper than 64 levels; metadata ignored"), std::string::npos)
      << r.diagnostics_text();
}

TEST_F(DocumentReaderTest, InvalidUtf8InJsonlLineIsRepairedNotFailed) {
  testing::write_file(dir_ / "lines.jsonl", "{\"id\": \"a\", \"text\": \"caf\xE9 au lait\"}\n");
  const ReadResult r = read_all({dir_ / "lines.jsonl"});
  ASSERT_EQ(r.docs.size(), 1u) << r.diagnostics_text();
  EXPECT_EQ(r.docs[0].text, "caf\xEF\xBF\xBD au lait");
  ASSERT_EQ(r.diagnostics.size(), 1u) << r.diagnostics_text();
  EXPECT_EQ(r.diagnostics[0].effect, Diagnostic::Effect::kNone);
  EXPECT_NE(r.diagnostics_text().find("lines.jsonl:1: warning: invalid UTF-8 at byte 25 of the line"),
            std::string::npos)
      << r.diagnostics_text();
}

// A number beyond double's range costs that value only, in a sidecar as in
// a JSONL line: read as null, with a warning naming it and its byte.
TEST_F(DocumentReaderTest, NumbersOutOfRangeAreNullWithAWarning) {
  testing::write_file(dir_ / "d.txt", "Text.");
  testing::write_file(dir_ / "d.meta.json", R"({"year": 1e400, "author": "Ann", "n": [2e999, -1e500]})");
  testing::write_file(dir_ / "lines.jsonl",
                      "{\"id\": \"a\", \"text\": \"One.\", \"score\": 1e400, \"title\": \"\\\"1e400\\\"\"}\n"
                      "{\"id\": 9e9999, \"text\": \"Two.\"}\n");
  const ReadResult r = read_all({dir_});
  ASSERT_EQ(r.docs.size(), 3u) << r.diagnostics_text();
  const std::string text = r.diagnostics_text();
  for (const char* expected : {
           "d.meta.json: warning: number 1e400 at byte 10 is out of range; read as null",
           "d.meta.json: warning: number 2e999 at byte 40 is out of range; read as null",
           "d.meta.json: warning: number -1e500 at byte 47 is out of range; read as null",
           "lines.jsonl:1: warning: number 1e400 at byte 38 is out of range; read as null",
           "lines.jsonl:2: warning: number 9e9999 at byte 8 is out of range; read as null",
       }) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
  }
  for (const SourceDocument& doc : r.docs) {
    if (doc.id == "d.txt") EXPECT_EQ(doc.metadata.value("author", ""), "Ann");
    if (doc.id == "a") EXPECT_EQ(doc.title, "\"1e400\"");  // a string that looks like one is left alone
  }
  for (const Diagnostic& d : r.diagnostics) EXPECT_NE(d.effect, Diagnostic::Effect::kFailed) << d.to_string();
}

// Each number out of range costs a parse of the whole text, so a text may
// have at most 16: a line of thousands fails alone, at once.
TEST_F(DocumentReaderTest, ALineOfManyNumbersOutOfRangeFailsAlone) {
  std::string many = "{\"id\": \"many\", \"text\": \"One.\", \"n\": [";
  for (int i = 0; i < 20000; ++i) many += std::string(i ? "," : "") + "1e999";
  testing::write_file(dir_ / "lines.jsonl", many + "]}\n{\"id\": \"next\", \"text\": \"Two.\"}\n");
  const ReadResult r = read_all({dir_ / "lines.jsonl"});
  ASSERT_EQ(r.docs.size(), 1u) << r.diagnostics_text();
  EXPECT_EQ(r.docs[0].id, "next");
  EXPECT_NE(r.diagnostics_text().find("lines.jsonl:1: error: JSON has more than 16 numbers out of range; line skipped"),
            std::string::npos)
      << r.diagnostics_text().substr(0, 2000);
}

// A file name that is not UTF-8 is indexed under an id that is: each
// invalid byte as %XX, with a warning; two such names stay apart.
TEST_F(DocumentReaderTest, FileNamesThatAreNotUtf8GetEscapedIds) {
  testing::write_file(dir_ / "caf\xE9.txt", "One.");
  testing::write_file(dir_ / "caf\xE8.txt", "Two.");
  const ReadResult r = read_all({dir_});
  ASSERT_EQ(r.docs.size(), 2u) << r.diagnostics_text();
  EXPECT_EQ(r.docs[0].id, "caf%E8.txt");
  EXPECT_EQ(r.docs[1].id, "caf%E9.txt");
  for (const SourceDocument& doc : r.docs) EXPECT_TRUE(is_valid_utf8(doc.source)) << doc.source;
  EXPECT_NE(r.diagnostics_text().find("warning: file name is not valid UTF-8; indexed with the id 'caf%E9.txt'"),
            std::string::npos)
      << r.diagnostics_text();
  for (const Diagnostic& d : r.diagnostics) EXPECT_TRUE(is_valid_utf8(d.location)) << d.location;
}

// "\u0000" is valid JSON: the line is indexed, not skipped as binary.
TEST_F(DocumentReaderTest, EscapedNulInAJsonlTextIsASpaceWithAWarning) {
  testing::write_file(dir_ / "lines.jsonl", R"({"id": "a", "text": "water\u0000policy\u0000"})"
                                            "\n");
  const ReadResult r = read_all({dir_ / "lines.jsonl"});
  ASSERT_EQ(r.docs.size(), 1u) << r.diagnostics_text();
  EXPECT_EQ(r.docs[0].text.find('\0'), std::string::npos);
  EXPECT_NE(r.docs[0].text.find("water policy"), std::string::npos) << r.docs[0].text;
  EXPECT_NE(r.diagnostics_text().find("lines.jsonl:1: warning: field \"text\" holds 2 U+0000 characters (\\u0000); "
                                      "replaced with spaces"),
            std::string::npos)
      << r.diagnostics_text();
}

TEST_F(DocumentReaderTest, Utf16JsonlIsConverted) {
  const std::string utf8 = "{\"id\": \"a\", \"text\": \"first\"}\r\n{\"id\": \"b\", \"text\": \"second\"}\r\n";
  std::string utf16le = "\xFF\xFE";
  for (char c : utf8) {
    utf16le.push_back(c);
    utf16le.push_back('\0');
  }
  testing::write_file(dir_ / "lines.jsonl", utf16le);
  const ReadResult r = read_all({dir_ / "lines.jsonl"});
  ASSERT_EQ(r.docs.size(), 2u) << r.diagnostics_text();
  EXPECT_EQ(r.docs[0].id, "a");
  EXPECT_EQ(r.docs[1].text, "second");
  ASSERT_EQ(r.diagnostics.size(), 1u) << r.diagnostics_text();
  EXPECT_NE(r.diagnostics[0].message.find("converted from UTF-16LE"), std::string::npos);
}

// Regression: a long Markdown heading was cut at byte 200 even inside a
// character, giving a title that was not valid UTF-8.
TEST_F(DocumentReaderTest, LongMarkdownTitleIsCutBetweenCharacters) {
  std::string heading(199, 'a');
  heading += "\xC3\xA9\xC3\xA9";  // "éé": byte 200 is inside the first one
  testing::write_file(dir_ / "long.md", "# " + heading + "\n\nBody.\n");
  const ReadResult r = read_all({dir_ / "long.md"});
  ASSERT_EQ(r.docs.size(), 1u) << r.diagnostics_text();
  EXPECT_EQ(r.docs[0].title, std::string(199, 'a'));
}

TEST_F(DocumentReaderTest, PolicyignorePatternWithSlashInSubdirectoryIsAnchoredThere) {
  // "[sub]" also checks that the directory's own name is not read as a glob.
  testing::write_file(dir_ / "[sub]/deep/x.txt", "Left out.");
  testing::write_file(dir_ / "[sub]/deep/y.txt", "Kept.");
  testing::write_file(dir_ / "[sub]/deep/x.md", "Kept: another name.");
  testing::write_file(dir_ / "[sub]/.policyignore", "deep/x.txt\n");
  const ReadResult r = read_all({dir_});
  ASSERT_EQ(r.docs.size(), 2u) << r.diagnostics_text();
  EXPECT_EQ(r.docs[0].id, "[sub]/deep/x.md");
  EXPECT_EQ(r.docs[1].id, "[sub]/deep/y.txt");
}

}  // namespace
}  // namespace policy
