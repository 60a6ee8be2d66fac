// Tests of clean_extracted_text (text_cleaner.h): the golden pairs in
// tests/golden/cleaner/, the statistics, idempotence over every golden output
// and seed document, single rules, and hostile input.
//
// A golden pair is NAME.in.txt / NAME.out.txt; the output is compared byte
// for byte and has no trailing newline (the cleaner never writes one). To add
// a rule, add a pair; to change one, regenerate the affected .out.txt files
// and read the diff.
#include "indexer/text_cleaner.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/invariants.h"

namespace policy {
namespace {

namespace fs = std::filesystem;

const fs::path kGoldenDir = POLICY_SOURCE_DIR "/tests/golden/cleaner";
const fs::path kCorpusDir = POLICY_SOURCE_DIR "/corpus";
// The seed texts of the corpus's PDF and web page, which corpus/ holds in
// those formats (scripts/make_corpus_documents.py).
const fs::path kSeedTextDir = POLICY_SOURCE_DIR "/tests/golden/seeds";
const fs::path kFuzzCorpusDir = POLICY_SOURCE_DIR "/tests/fuzz/corpus/text_cleaner";

constexpr std::string_view kInputSuffix = ".in.txt";
constexpr std::string_view kOutputSuffix = ".out.txt";

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Regular files in `dir` whose names end in `suffix`, sorted by name.
std::vector<fs::path> files_ending_in(const fs::path& dir, std::string_view suffix) {
  std::vector<fs::path> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().filename().string().ends_with(suffix)) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string strip_suffix(const fs::path& path, std::string_view suffix) {
  const std::string name = path.filename().string();
  return name.substr(0, name.size() - suffix.size());
}

// Every field, so that a failing comparison shows them all.
std::string describe(const CleaningStats& stats) {
  std::ostringstream out;
  out << "artefact_lines_removed=" << stats.artefact_lines_removed
      << " page_number_lines_removed=" << stats.page_number_lines_removed
      << " boilerplate_lines_removed=" << stats.boilerplate_lines_removed
      << " hyphenations_joined=" << stats.hyphenations_joined << " ordinals_joined=" << stats.ordinals_joined
      << " lines_joined=" << stats.lines_joined << " double_spaced=" << stats.double_spaced;
  return out.str();
}

// The shape the header promises for every output (R8), whatever the input.
void expect_well_formed(std::string_view text) { EXPECT_EQ(testing::cleaned_text_problem(text), ""); }

// ---------------------------------------------------------------------------
// Golden pairs.

TEST(TextCleanerGoldenTest, RequiredPairsExist) {
  constexpr std::array<std::string_view, 14> kRequired = {
      "double_spaced_paragraphs",
      "page_number_line",
      "footnote_marker_line",
      "split_ordinal",
      "hyphenated_line_break",
      "artefact_lines",
      "top_of_page_boilerplate",
      "repeated_short_lines",
      "web_list_kept",
      "headings_and_numbered_paragraphs",
      "whitespace_collapse",
      "crlf_free_input_with_tabs",
      "empty_and_blank",
      "seed_003_excerpt",
  };
  for (const std::string_view name : kRequired) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(fs::exists(kGoldenDir / (std::string(name) + std::string(kInputSuffix))));
    EXPECT_TRUE(fs::exists(kGoldenDir / (std::string(name) + std::string(kOutputSuffix))));
  }
}

TEST(TextCleanerGoldenTest, EveryInputCleansToItsOutput) {
  const std::vector<fs::path> inputs = files_ending_in(kGoldenDir, kInputSuffix);
  ASSERT_FALSE(inputs.empty()) << "no golden inputs in " << kGoldenDir;
  for (const fs::path& input : inputs) {
    const std::string name = strip_suffix(input, kInputSuffix);
    SCOPED_TRACE(name);
    const fs::path output = kGoldenDir / (name + std::string(kOutputSuffix));
    ASSERT_TRUE(fs::exists(output)) << output << " is missing";
    EXPECT_EQ(clean_extracted_text(read_file(input)), read_file(output));
  }
}

TEST(TextCleanerGoldenTest, EveryOutputIsWellFormedAndCleansToItself) {
  const std::vector<fs::path> outputs = files_ending_in(kGoldenDir, kOutputSuffix);
  ASSERT_FALSE(outputs.empty()) << "no golden outputs in " << kGoldenDir;
  for (const fs::path& output : outputs) {
    SCOPED_TRACE(strip_suffix(output, kOutputSuffix));
    const std::string cleaned = read_file(output);
    expect_well_formed(cleaned);
    CleaningStats stats;
    EXPECT_EQ(clean_extracted_text(cleaned, &stats), cleaned);
    EXPECT_FALSE(stats.double_spaced) << "cleaned text must not look double spaced";
  }
}

// ---------------------------------------------------------------------------
// The seed documents (copies of /work/shared/seeds): in corpus/, or in
// tests/golden/seeds/ for those corpus/ holds as a PDF or web page.

fs::path seed_path(std::string_view file) {
  const fs::path in_corpus = kCorpusDir / file;
  return fs::exists(in_corpus) ? in_corpus : kSeedTextDir / file;
}

struct SeedCase {
  std::string_view file;
  CleaningStats stats;
};

TEST(TextCleanerSeedTest, StatisticsOfEachSeed) {
  const std::array<SeedCase, 5> cases = {{
      {"epa-collaboration-with-china.txt", {.boilerplate_lines_removed = 5}},   // "Top of Page"
      {"us-china-sed-cooperation-2016.txt", {.boilerplate_lines_removed = 2}},  // "You are here", "Submit Feedback >"
      {"asean-china-environmental-cooperation-about-us.txt", {}},
      {"asean-china-strategy-on-environmental-cooperation-2016-2020.txt",
       {.artefact_lines_removed = 12,    // app:ds:...
        .page_number_lines_removed = 2,  // "8" and the footnote marker "1"
        .ordinals_joined = 2,            // 11th, 17th
        .lines_joined = 200,
        .double_spaced = true}},
      {"caec-main-functions.txt", {}},
  }};
  for (const SeedCase& seed : cases) {
    SCOPED_TRACE(seed.file);
    CleaningStats stats;
    clean_extracted_text(read_file(seed_path(seed.file)), &stats);
    EXPECT_EQ(describe(stats), describe(seed.stats));
  }
}

TEST(TextCleanerSeedTest, EverySeedCleansToWellFormedIdempotentText) {
  std::vector<fs::path> seeds = files_ending_in(kCorpusDir, ".txt");
  for (fs::path& seed : files_ending_in(kSeedTextDir, ".txt")) seeds.push_back(std::move(seed));
  ASSERT_EQ(seeds.size(), 5u) << "seed documents missing in " << kCorpusDir << " and " << kSeedTextDir;
  for (const fs::path& seed : seeds) {
    SCOPED_TRACE(seed.filename().string());
    const std::string once = clean_extracted_text(read_file(seed));
    expect_well_formed(once);
    EXPECT_FALSE(once.empty());
    CleaningStats stats;
    EXPECT_EQ(clean_extracted_text(once, &stats), once);
    EXPECT_EQ(describe(stats), describe(CleaningStats{})) << "second pass changed something";
  }
}

// ---------------------------------------------------------------------------
// Single rules, with the statistics they report.

struct RuleCase {
  std::string_view name;
  std::string_view input;
  std::string_view expected;
  CleaningStats stats;
};

TEST(TextCleanerRuleTest, EachRuleCleansAndCounts) {
  const RuleCase cases[] = {
      {"empty input", "", "", {}},
      {"blank lines only", "\n\n \t \n\xC2\xA0\n\n", "", {}},
      {"artefact lines (R1)",
       "Intro\napp:ds:deputy\napp:ds:secretary\nEnd",
       "Intro\nEnd",
       {.artefact_lines_removed = 2}},
      {"navigation phrases (R2)",
       "You are here:\nText\n\nBACK TO TOP\n\n^ Top of Page",
       "Text",
       {.boilerplate_lines_removed = 3}},
      {"repeated short line (R2)",
       "A.\n\nRead more\n\nB.\n\nRead more\n\nC.\n\nRead more",
       "A.\n\nB.\n\nC.",
       {.boilerplate_lines_removed = 3}},
      {"short line seen twice is kept (R2)",
       "Media Notes\n\nA.\n\nMedia Notes",
       "Media Notes\n\nA.\n\nMedia Notes",
       {}},
      {"page number inside a web sentence (R3)",
       "reduction of\n12\nair pollutants.",
       "reduction of air pollutants.",
       {.page_number_lines_removed = 1, .lines_joined = 1}},
      {"page number between web paragraphs (R3)",
       "Para one.\n\n3\n\nPara two.",
       "Para one.\n\nPara two.",
       {.page_number_lines_removed = 1}},
      {"page number forms (R3)",
       "Page 3 of 10\n- 4 -\n\xE2\x80\x93 5 \xE2\x80\x93\n6 of 9\npage 7\nText",
       "Text",
       {.page_number_lines_removed = 5}},
      {"numbers of five digits or with text stay (R3)", "12345\n2016 annual report", "12345\n2016 annual report", {}},
      {"number before an ordinal suffix is kept (R3, R4)",
       "at the\n11\nth\nSummit",
       "at the\n11th Summit",
       {.ordinals_joined = 1, .lines_joined = 1}},
      {"ordinal suffix must fit its number (R4)", "the 3\nth\nline", "the 3\nth\nline", {}},
      {"ordinals 1st 2nd 3rd 12th (R4)",
       "The 1\nst\nitem.\n\nThe 2\nnd\nitem.\n\nThe 3\nrd\nitem.\n\nThe 12\nth\nitem.",
       "The 1st item.\n\nThe 2nd item.\n\nThe 3rd item.\n\nThe 12th item.",
       {.ordinals_joined = 4, .lines_joined = 4}},
      {"the sentence goes on after an ordinal (R4)",
       "at the 11\nth\nASEAN-China Summit",
       "at the 11th ASEAN-China Summit",
       {.ordinals_joined = 1, .lines_joined = 1}},
      {"hyphenated word (R5)", "strength-\nening", "strengthening", {.hyphenations_joined = 1}},
      {"capitalised continuation keeps the hyphen (R5)", "ASEAN-\nChina", "ASEAN-China", {.hyphenations_joined = 1}},
      {"single letter before the hyphen keeps it (R5)", "e-\nwaste", "e-waste", {.hyphenations_joined = 1}},
      {"soft hyphen (R5)", "environ\xC2\xAD\nmental", "environmental", {.hyphenations_joined = 1}},
      {"no hyphen join into a list item (R5)", "see item-\n(a) below", "see item-\n(a) below", {}},
      {"no hyphen join across a web blank line (R5, R7)", "Sino-\n\namerican", "Sino-\n\namerican", {}},
      {"carriage returns count as spaces (R0)",
       "Top of Page\r\nEPA text\r\n",
       "EPA text",
       {.boilerplate_lines_removed = 1}},
      {"byte-order mark dropped (R0)", "\xEF\xBB\xBFYou are here\nText", "Text", {.boilerplate_lines_removed = 1}},
      // Regression (fuzz_text_cleaner): a mark after a blank line started
      // the output, and a second pass dropped it.
      {"byte-order marks at line starts dropped (R0)",
       "\n\xEF\xBB\xBF\n\xEF\xBB\xBF\xEF\xBB\xBF Text\xEF\xBB\xBF",
       "Text\xEF\xBB\xBF",
       {}},
      {"double-spaced paragraph with every join (R4-R6)",
       "14. In November 2007, at the 11\nth\n ASEAN-China Summit, the environ-\n\n"
       "mental cooperation center was proposed by the \n\nASEAN-\n\nChina partners of the \n\n"
       "region. \n\n15. Under the framework",
       "14. In November 2007, at the 11th ASEAN-China Summit, the environmental cooperation "
       "center was proposed by the ASEAN-China partners of the region.\n\n15. Under the framework",
       {.hyphenations_joined = 2, .ordinals_joined = 1, .lines_joined = 3, .double_spaced = true}},
      {"initials do not end a sentence (R6)",
       "21. The Centre was opened by H. E. \n\nMr. Hu Zhengyue, then Assistant Minister of \n\n"
       "the ministry, in the presence of the \n\nDeputy Secretary General. \n\nThe next paragraph.",
       "21. The Centre was opened by H. E. Mr. Hu Zhengyue, then Assistant Minister of the "
       "ministry, in the presence of the Deputy Secretary General.\n\nThe next paragraph.",
       {.lines_joined = 3, .double_spaced = true}},
  };
  for (const RuleCase& rule : cases) {
    SCOPED_TRACE(rule.name);
    CleaningStats stats;
    EXPECT_EQ(clean_extracted_text(rule.input, &stats), rule.expected);
    EXPECT_EQ(describe(stats), describe(rule.stats));
    EXPECT_EQ(clean_extracted_text(rule.expected), rule.expected) << "not idempotent";
  }
}

// Regressions (fuzz_text_cleaner): a pass makes lines that match a rule the
// pass did not see, so one pass was not idempotent; clean_extracted_text
// repeats passes until one changes nothing, and the statistics add up.
TEST(TextCleanerRuleTest, LinesMadeByOnePassAreCleanedByTheNext) {
  const RuleCase cases[] = {
      // Removing the page number "1" joins "o" and "l"; the shorter text then
      // looks double spaced, and its paragraphs are joined (R3, R6).
      {"joined lines make the text double spaced",
       "Y\n\no\n1\nl\n\xE2",
       "Y o l \xE2",
       {.page_number_lines_removed = 1, .lines_joined = 3, .double_spaced = true}},
      // "3" / "rd" makes the whole line "3rd" three times: repeated short
      // lines are boilerplate (R4, then R2).
      {"split ordinals make a repeated short line",
       "3\nrd\n\nA.\n\n3\nrd\n\nB.\n\n3\nrd",
       "A.\n\nB.",
       {.boilerplate_lines_removed = 3, .ordinals_joined = 3}},
      // The same with the wrapped lines of a double-spaced text, split at
      // three different places, joined into the short paragraph "Smart and
      // clean cities" (R6, then R2).
      {"joined wrapped lines make a repeated short line",
       "Smart and\n\nclean cities\n\nThe plan of the ministry is meant for the whole of the\n\n"
       "region and of its\n\npartners.\n\nSmart and clean\n\ncities\n\n"
       "It covers the growing towns and the capital cities of the\n\n"
       "member states and their partners.\n\nSmart\n\nand clean cities",
       "The plan of the ministry is meant for the whole of the region and of its partners.\n\n"
       "It covers the growing towns and the capital cities of the member states and their "
       "partners.",
       {.boilerplate_lines_removed = 3, .lines_joined = 6, .double_spaced = true}},
  };
  for (const RuleCase& rule : cases) {
    SCOPED_TRACE(rule.name);
    CleaningStats stats;
    EXPECT_EQ(clean_extracted_text(rule.input, &stats), rule.expected);
    EXPECT_EQ(describe(stats), describe(rule.stats));
    CleaningStats again;
    EXPECT_EQ(clean_extracted_text(rule.expected, &again), rule.expected) << "not idempotent";
    EXPECT_EQ(describe(again), describe(CleaningStats{}));
  }
}

// The whole input the fuzzer found (PDF-like text with NUL and control-byte
// runs, near the double-spacing threshold): one pass left three "3rd" lines.
TEST(TextCleanerRuleTest, FuzzFindingIsIdempotent) {
  const std::string input = read_file(kFuzzCorpusDir / "ordinal_lines_become_boilerplate");
  ASSERT_FALSE(input.empty());
  const std::string once = clean_extracted_text(input);
  expect_well_formed(once);
  std::istringstream lines(once);
  std::size_t ordinal_lines = 0;
  for (std::string line; std::getline(lines, line);) ordinal_lines += line == "3rd" ? 1 : 0;
  EXPECT_EQ(ordinal_lines, 0u) << once;
  EXPECT_EQ(clean_extracted_text(once), once);
}

TEST(TextCleanerRuleTest, StatsAreResetOnEachCall) {
  CleaningStats stats;
  stats.artefact_lines_removed = 7;
  stats.lines_joined = 9;
  stats.double_spaced = true;
  clean_extracted_text("plain text", &stats);
  EXPECT_EQ(describe(stats), describe(CleaningStats{}));
}

TEST(TextCleanerRuleTest, StatsAreOptional) {
  const std::string input = read_file(kGoldenDir / "page_number_line.in.txt");
  CleaningStats stats;
  EXPECT_EQ(clean_extracted_text(input), clean_extracted_text(input, &stats));
}

// ---------------------------------------------------------------------------
// Hostile input: linear time, no crash, well-formed output.

TEST(TextCleanerRobustnessTest, FiftyMegabyteLineOfWords) {
  std::string input;
  const std::string_view words = "environmental cooperation\tof ASEAN and China  ";
  input.reserve(50u << 20);
  while (input.size() < (50u << 20)) input.append(words);
  const std::string cleaned = clean_extracted_text(input);
  expect_well_formed(cleaned);
  EXPECT_TRUE(cleaned.starts_with("environmental cooperation of ASEAN and China environmental"));
  EXPECT_EQ(cleaned.find('\n'), std::string::npos);
}

TEST(TextCleanerRobustnessTest, FiftyMegabyteLineWithoutSpaces) {
  const std::string input(50u << 20, 'x');
  EXPECT_EQ(clean_extracted_text(input), input);
}

TEST(TextCleanerRobustnessTest, HundredThousandBlankLines) {
  const std::string blanks(100000, '\n');
  EXPECT_EQ(clean_extracted_text(blanks), "");
  EXPECT_EQ(clean_extracted_text("top" + blanks + "bottom"), "top\n\nbottom");
  std::string spaced;
  for (int i = 0; i < 100000; ++i) spaced.append(" \t\n");
  EXPECT_EQ(clean_extracted_text("top\n" + spaced + "bottom"), "top\n\nbottom");
}

TEST(TextCleanerRobustnessTest, ManyDistinctShortParagraphs) {
  std::string input;
  for (int i = 0; i < 200000; ++i) input.append("Item " + std::to_string(i) + ".\n\n");
  const std::string cleaned = clean_extracted_text(input);
  expect_well_formed(cleaned);
  EXPECT_TRUE(cleaned.starts_with("Item 0.\n\nItem 1.\n\n"));
  EXPECT_TRUE(cleaned.ends_with("Item 199999."));
}

// Random texts built from the fragments the rules look at, plus invalid and
// truncated UTF-8. Checks only what must hold for any input.
TEST(TextCleanerRobustnessTest, RandomFragmentsNeverBreakTheOutputShape) {
  constexpr std::array<std::string_view, 32> kFragments = {
      "\n",
      "\n\n",
      " ",
      "\t",
      "\r",
      "-",
      "th",
      "st",
      "11",
      "8",
      "app:ds:x",
      "\xE2\x80\xA2 ",
      "(a) ",
      "12. ",
      ". ",
      ", ",
      "The ",
      "the ",
      "environ",
      "mental",
      "Top of Page",
      "\xC2\xA0",
      "\xC2\xAD",
      "\xC2",
      "\xE2\x80",
      "\xFF",
      "\xE3\x80\x80",
      "\xEF\xBB\xBF",
      "Page 3 of 4",
      "\xE2\x80\x9C",
      "ASEAN",
      ":",
  };
  std::mt19937 random(20240611);
  std::uniform_int_distribution<std::size_t> pick(0, kFragments.size() - 1);
  std::uniform_int_distribution<int> length(0, 120);
  for (int round = 0; round < 3000; ++round) {
    std::string input;
    for (int n = length(random); n > 0; --n) input.append(kFragments[pick(random)]);
    SCOPED_TRACE(::testing::Message() << "round " << round << " input: " << input);
    CleaningStats stats;
    const std::string cleaned = clean_extracted_text(input, &stats);
    expect_well_formed(cleaned);
    if (HasFailure()) break;
  }
}

}  // namespace
}  // namespace policy
