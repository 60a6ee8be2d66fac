// Language detection on real paragraphs, language tags, and the stemmer of
// each language (core/language.h), with the analyzer's stemming by language.

#include "core/language.h"

#include <sstream>

#include <gtest/gtest.h>
#include <xapian.h>

#include "core/analyzer.h"

namespace policy {
namespace {

TEST(LanguageTest, DetectsParagraphs) {
  struct Case {
    std::string name;
    std::string text;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"English",
       "The Ministry of Environmental Protection published an action plan to improve air quality in large cities. "
       "It sets targets for fine particulate matter and asks provinces to report their progress every year.",
       "en"},
      {"German",
       "Die Bundesregierung hat neue Maßnahmen zum Klimaschutz beschlossen. Die Länder sollen bis zum Jahr 2030 "
       "ihre Emissionen deutlich senken und jährlich über die Fortschritte berichten.",
       "de"},
      {"French",
       "Le gouvernement soutient les énergies renouvelables et la protection de l'environnement dans toutes les "
       "régions du pays. Un rapport annuel présentera les progrès réalisés.",
       "fr"},
      {"Spanish",
       "El gobierno apoya las energías renovables y la protección del medio ambiente en todas las regiones del "
       "país. Cada año se publicará un informe sobre los avances.",
       "es"},
      {"Chinese", "国务院关于加强环境保护重点工作的意见。各地区要加强大气污染防治，改善空气质量，保护生物多样性。",
       "zh"},
      {"Thai", "กระทรวงทรัพยากรธรรมชาติและสิ่งแวดล้อมได้ประกาศแผนการจัดการคุณภาพอากาศสำหรับประเทศไทย", "th"},
      {"three words", "water quality monitoring", ""},
      {"empty", "", ""},
      {"digits and symbols", "2016 2017 2018 -- 42 % ... 1,000,000 = 3.14 * 2", ""},
      // CLD2 refuses a whole text for one control character (a BEL from a
      // PDF extraction); detection reads it as a space.
      {"control character",
       "Notification \a rates of zoonoses in humans and animals are reported every year by the member states, "
       "and the agency publishes a summary of the trends.",
       "en"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const LanguageGuess guess = detect_language(c.text);
    EXPECT_EQ(guess.language, c.expected);
    if (!c.expected.empty()) {
      EXPECT_GE(guess.percent, 90);
    }
  }
}

// Only the first kLanguageSampleBytes are read: English after them does
// not count.
TEST(LanguageTest, ReadsABoundedPrefix) {
  std::string text =
      "Die Bundesregierung hat neue Maßnahmen zum Klimaschutz beschlossen. Die Länder sollen bis zum Jahr 2030 "
      "ihre Emissionen deutlich senken und jährlich über die Fortschritte berichten.";
  text.resize(kLanguageSampleBytes - 1, ' ');
  text += "ü";  // cut inside this character
  for (int i = 0; i < 200; ++i) {
    text += " The ministry published an action plan to improve air quality in large cities, number " +
            std::to_string(i) + ".";
  }
  EXPECT_EQ(detect_language(text).language, "de");
  EXPECT_EQ(detect_language(text.substr(kLanguageSampleBytes - 1)).language, "en");
}

TEST(LanguageTest, NormalizesTags) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"en", "en"},      {"EN", "en"},         {"en-GB", "en"}, {"en_US", "en"},  {" de-DE ", "de"},
      {"zh-Hant", "zh"}, {"zh-Hans-CN", "zh"}, {"deu", "de"},   {"ger", "de"},    {"fra", "fr"},
      {"fre", "fr"},     {"eng", "en"},        {"haw", "haw"},  {"german", "de"}, {"English", "en"},
      {"und", ""},       {"mul", ""},          {"zxx", ""},     {"", ""},         {"e", ""},
      {"english!", ""},  {"x-klingon", ""},    {"12", ""},      {"Deutsch", ""},  {"fr-", "fr"},
      {"\xC3\xA9n", ""},
  };
  for (const auto& [tag, expected] : cases) {
    SCOPED_TRACE(tag);
    EXPECT_EQ(normalize_language_tag(tag), expected);
  }
}

TEST(LanguageTest, StemmerOfEachLanguage) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"en", "english"},   {"de", "german"},  {"fr", "french"}, {"es", "spanish"}, {"nl", "dutch"},
      {"nb", "norwegian"}, {"ru", "russian"}, {"zh", ""},       {"th", ""},        {"ja", ""},
      {"ko", ""},          {"pl", ""},        {"", ""},
  };
  for (const auto& [language, stemmer] : cases) {
    SCOPED_TRACE(language);
    EXPECT_EQ(stemmer_for_language(language), stemmer);
  }
}

// Every stemmer the table names is one Xapian has, and every language of
// Xapian's list maps back to a code.
TEST(LanguageTest, TableMatchesXapian) {
  std::istringstream available(Xapian::Stem::get_available_languages());
  for (std::string name; available >> name;) {
    SCOPED_TRACE(name);
    const std::string language = language_of_stemmer(name);
    ASSERT_FALSE(language.empty());
    const std::string stemmer = stemmer_for_language(language);
    ASSERT_FALSE(stemmer.empty());
    EXPECT_NO_THROW(Xapian::Stem{stemmer});
  }
  EXPECT_EQ(language_of_stemmer("porter"), "en");
  EXPECT_EQ(language_of_stemmer("german2"), "de");
  EXPECT_EQ(language_of_stemmer("en"), "en");
  EXPECT_EQ(language_of_stemmer("none"), "");
}

TEST(LanguageTest, AnalyzerStemsByLanguage) {
  Analyzer analyzer;
  struct Case {
    std::string term;
    std::string language;
    std::string stem;
  };
  const std::vector<Case> cases = {
      {"massnahmen", "de", "massnahm"}, {"massnahme", "de", "massnahm"}, {"massnahmen", "en", "massnahmen"},
      {"kinder", "de", "kind"},         {"kinder", "en", "kinder"},      {"kinder", "", "kinder"},
      {"energies", "fr", "energ"},      {"energie", "fr", "energ"},      {"policies", "en", "polici"},
      {"环境", "zh", "环境"},           {"policies", "zh", "policies"},  {"policies", "pl", "policies"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.term + " in '" + c.language + "'");
    EXPECT_EQ(analyzer.stem(c.term, c.language), c.stem);
  }
  EXPECT_EQ(analyzer.default_language(), "en");
  EXPECT_EQ(Analyzer(AnalyzerOptions{"german"}).default_language(), "de");
  EXPECT_EQ(Analyzer(AnalyzerOptions{"porter"}).stem("policies", "en"),
            Analyzer(AnalyzerOptions{"porter"}).stem("policies"));
  // Stemming turned off is off for every language.
  const Analyzer none(AnalyzerOptions{"none"});
  EXPECT_EQ(none.default_language(), "");
  EXPECT_EQ(none.stem("massnahmen", "de"), "massnahmen");
}

}  // namespace
}  // namespace policy
