// Documents in several languages through a real index (IndexWriter, then
// Searcher): each document's language is detected or taken from its
// metadata, stored, filterable (lang:de) and counted; its words are stemmed
// in its language, and a query word in the languages it is searched in.

#include <map>
#include <set>

#include <gtest/gtest.h>

#include "core/index_layout.h"

#include "indexer/document_builder.h"
#include "indexer/index_writer.h"

#include "searcher/searcher.h"

#include "tests/support/test_support.h"

namespace policy {
namespace {

SourceDocument doc(std::string id, std::string text, nlohmann::json meta = nlohmann::json::object()) {
  SourceDocument d;
  d.id = std::move(id);
  d.title = d.id;
  d.text = std::move(text);
  d.metadata = std::move(meta);
  d.source = "test/" + d.id;
  return d;
}

const Schema& test_schema() {
  static const Schema schema = Schema::load(testing::source_path("schemas"));
  return schema;
}

// Each text is long enough for detection; "en-as-fr" is English that its
// metadata calls French, "de-tagged" German tagged "de-DE".
std::vector<SourceDocument> corpus() {
  return {
      doc("de",
          "Die Bundesregierung hat neue Maßnahmen zum Klimaschutz beschlossen. Die Kinder in den Schulen sollen "
          "mehr über erneuerbare Energien lernen, und die Länder berichten jährlich über die Fortschritte."),
      doc("de-tagged",
          "Der Bericht beschreibt die Luftqualität in den Städten und die Ziele für das kommende Jahrzehnt, "
          "mit einer Übersicht der Messstellen in allen Regionen des Landes.",
          {{"language", "de-DE"}}),
      doc("fr",
          "Le gouvernement soutient les énergies renouvelables et la protection de l'environnement dans toutes les "
          "régions du pays. Un rapport annuel présentera les progrès réalisés par les collectivités."),
      doc("es",
          "El gobierno apoya la protección del medio ambiente en todas las regiones del país. Cada año se "
          "publicará un informe sobre los avances de las comunidades."),
      doc("en-kind",
          "This kind of reporting helps the agency. The ministry published new guidance on air quality monitoring "
          "in cities and asked every province to report its progress each year."),
      doc("en-kinder",
          "The ministry adopted a kinder approach to enforcement. The agency published new guidance on water "
          "quality monitoring in rivers and asked every region to report its progress each year."),
      doc("en-as-fr",
          "The national plan describes how the country will reduce emissions from transport and industry over "
          "the next decade, with targets reviewed every two years.",
          {{"language", "fr"}}),
      doc("zh", "国务院关于加强环境保护重点工作的意见。各地区要加强大气污染防治，改善空气质量，保护生物多样性。"),
      doc("th", "กระทรวงทรัพยากรธรรมชาติและสิ่งแวดล้อมได้ประกาศแผนการจัดการคุณภาพอากาศสำหรับประเทศไทย"),
  };
}

class LanguageSearchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(testing::make_temp_dir("language-search"));
    Analyzer analyzer;
    IndexWriter writer((*dir_ / "idx").string(), analyzer, test_schema(), {});
    for (const SourceDocument& d : corpus()) writer.add(d);
    writer.commit();
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }

  static std::string index() { return (*dir_ / "idx").string(); }

  static SearchResults search(const std::string& query, std::vector<std::string> filters = {}) {
    Searcher searcher(index());
    SearchRequest request;
    request.query = query;
    request.limit = 0;
    request.snippets = false;
    request.facets = true;
    request.filters = std::move(filters);
    return searcher.search(request);
  }

  static std::set<std::string> ids(const std::string& query, std::vector<std::string> filters = {}) {
    std::set<std::string> out;
    for (const SearchHit& hit : search(query, std::move(filters)).hits) out.insert(hit.id);
    return out;
  }

  static std::filesystem::path* dir_;
};

std::filesystem::path* LanguageSearchTest::dir_ = nullptr;

TEST_F(LanguageSearchTest, QueriesStemInTheDocumentsLanguages) {
  struct Case {
    std::string query;
    std::set<std::string> expected;
  };
  const std::vector<Case> cases = {
      // German stemming: "Maßnahme" and "Maßnahmen" share the stem massnahm,
      // which English stemming does not give them.
      {"Maßnahme", {"de"}},
      {"Massnahmen", {"de"}},
      {"\"Maßnahme\"", {}},  // quoted: exact
      // French: énergie / énergies; German stemming relates it to the
      // German document's "Energien" (stem energi) too.
      {"énergie", {"de", "fr"}},
      {"énergie lang:fr", {"fr"}},
      {"renouvelable", {"fr"}},
      // "kind": English kind; German stemming adds Kinder, which is also the
      // English "kinder", so without a language filter both come.
      {"kind", {"de", "en-kind", "en-kinder"}},
      {"kind lang:en", {"en-kind"}},
      {"kind lang:de", {"de"}},
      {"kind lang:de lang:en", {"de", "en-kind", "en-kinder"}},
      {"kind lang:en-GB", {"en-kind"}},
      {"kind lang:english", {"en-kind"}},
      // Titles (the ids here: "en-kinder" holds the word kinder) are
      // stemmed in their document's language too.
      {"title:kinder", {"en-kind", "en-kinder"}},
      {"title:kinder lang:en", {"en-kinder"}},
      // NEAR takes the same variants.
      {"Kind NEAR/3 Schulen", {"de"}},
      {"Kind NEAR/3 Schulen lang:en", {}},
      // Languages segmented by ICU's dictionaries, not stemmed.
      {"环境", {"zh"}},
      {"空气质量", {"zh"}},
      {"อากาศ", {"th"}},
      // Filters alone.
      {"lang:de", {"de", "de-tagged"}},
      {"lang:fr", {"fr", "en-as-fr"}},
      {"lang:zh OR lang:th", {"zh", "th"}},
      {"lang:klingon", {}},
      {"progress lang:en", {"en-kind", "en-kinder"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.query);
    EXPECT_EQ(ids(c.query), c.expected);
  }
  EXPECT_EQ(ids("kind", {"lang:en"}), std::set<std::string>{"en-kind"});  // --filter counts as the query's own
}

// Every document of the corpus: one of its languages.
const std::string kAnyLanguage = "lang:en OR lang:de OR lang:fr OR lang:es OR lang:zh OR lang:th";

TEST_F(LanguageSearchTest, FacetCountsEachLanguage) {
  EXPECT_EQ(search(kAnyLanguage).total, corpus().size());
  std::map<std::string, std::uint64_t> counts;
  for (const FacetResult& facet : search(kAnyLanguage).facets) {
    if (facet.field != "language") continue;
    for (const FacetValue& value : facet.values) counts[value.key] = value.count;
  }
  const std::map<std::string, std::uint64_t> expected = {{"de", 2}, {"en", 2}, {"es", 1},
                                                         {"fr", 2}, {"th", 1}, {"zh", 1}};
  EXPECT_EQ(counts, expected);
  // The language filtered on is counted without its own filter.
  counts.clear();
  for (const FacetResult& facet : search("monitoring lang:en").facets) {
    if (facet.field != "language") continue;
    for (const FacetValue& value : facet.values) counts[value.key] = value.count;
  }
  EXPECT_EQ(counts, (std::map<std::string, std::uint64_t>{{"en", 2}}));
}

TEST_F(LanguageSearchTest, ResultsShowTheLanguage) {
  std::map<std::string, std::string> shown;
  for (const SearchHit& hit : search(kAnyLanguage).hits) {
    shown[hit.id] = hit.metadata.value("language", "");
    EXPECT_EQ(hit.fields.value("language", nlohmann::json::array()), nlohmann::json::array({shown[hit.id]})) << hit.id;
  }
  const std::map<std::string, std::string> expected = {
      {"de", "de"},        {"de-tagged", "de"}, {"fr", "fr"}, {"es", "es"}, {"en-kind", "en"},
      {"en-kinder", "en"}, {"en-as-fr", "fr"},  {"zh", "zh"}, {"th", "th"},
  };
  EXPECT_EQ(shown, expected);
}

// The synonym table keeps each language's stems apart: German under
// ZLde:, English (the default) under Z.
TEST_F(LanguageSearchTest, SynonymKeysCarryTheLanguage) {
  Xapian::Database db(index());
  const auto words = [&](const std::string& key) {
    std::set<std::string> out;
    for (auto it = db.synonyms_begin(key); it != db.synonyms_end(key); ++it) out.insert(*it);
    return out;
  };
  EXPECT_EQ(words("ZLde:kind"), std::set<std::string>{"kinder"});
  EXPECT_EQ(words("Zkind"), std::set<std::string>{});
  EXPECT_TRUE(words("ZLde:massnahm").contains("massnahmen"));
  EXPECT_TRUE(words("ZLfr:energ").contains("energies"));
  EXPECT_TRUE(words("Zpublish").contains("published"));
  std::set<std::string> languages;
  for (auto it = db.allterms_begin("L"); it != db.allterms_end("L"); ++it) languages.insert(*it);
  EXPECT_EQ(languages, (std::set<std::string>{"Lde", "Len", "Les", "Lfr", "Lth", "Lzh"}));
}

TEST(DocumentLanguageTest, MetadataThenDetectionThenDefault) {
  const Analyzer english;
  const Analyzer german(AnalyzerOptions{"german"});
  const std::string french_text =
      "Le gouvernement soutient les énergies renouvelables et la protection de l'environnement dans toutes les "
      "régions du pays.";
  struct Case {
    std::string name;
    nlohmann::json metadata;
    std::string text;
    const Analyzer* analyzer;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"detected", nlohmann::json::object(), french_text, &english, "fr"},
      {"metadata wins", {{"language", "en-GB"}}, french_text, &english, "en"},
      {"metadata not a tag", {{"language", "Klingon"}}, french_text, &english, "fr"},
      {"metadata not a string", {{"language", 7}}, french_text, &english, "fr"},
      {"too short: default", nlohmann::json::object(), "water quality", &english, "en"},
      {"too short: other default", nlohmann::json::object(), "water quality", &german, "de"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(document_language(c.metadata, c.text, *c.analyzer), c.expected);
  }
}

}  // namespace
}  // namespace policy
