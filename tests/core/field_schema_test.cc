// Schema loading: the real schemas load, every validation rule reports the
// file and field with an exact message, and the fingerprint tracks the texts.

#include "core/field_schema.h"

#include <unistd.h>

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace policy {
namespace {

namespace fs = std::filesystem;

// Small valid files; each broken case replaces one of them.
const std::string kFields = R"({
  "version": 1,
  "description": "test fields",
  "fields": [
    {"name": "organisation", "aliases": ["org"], "kind": "facet", "prefix": "XO", "slot": 10,
     "multi_valued": true, "sources": ["metadata", "gazetteer"]},
    {"name": "year", "kind": "year", "prefix": "XY", "slot": 11, "sources": ["metadata", "text"]},
    {"name": "area", "kind": "facet", "prefix": "XA", "slot": 12, "multi_valued": true,
     "sources": ["metadata", "taxonomy"], "metadata_key": "priority_area"},
    {"name": "url", "kind": "keyword", "prefix": "XU", "note": "no slot: not counted"}
  ]
})";

const std::string kOrganisations = R"({
  "version": 1,
  "organisations": [
    {"id": "mep", "name": "Ministry of Environmental Protection", "acronyms": ["MEP"],
     "aliases": ["Environment Ministry"], "kind": "national ministry", "country": "China",
     "active": {"from": 2008, "until": 2018}, "succeeded_by": "mee", "note": "renamed in 2018"},
    {"id": "mee", "name": "Ministry of Ecology and Environment", "acronyms": ["MEE"],
     "active": {"from": 2018}, "succeeds": "mep"}
  ]
})";

const std::string kAreas = R"({
  "version": 1,
  "rule": {"min_mentions": 2, "title_mentions_count": 3, "description": "counted mentions"},
  "areas": [
    {"id": "air-quality", "name": "Air quality", "indicators": ["air quality", "PM2.5"]},
    {"id": "water", "name": "Water", "indicators": ["water pollution"]}
  ]
})";

std::string fields_with(const std::string& field_objects) {
  return R"({"version": 1, "fields": [)" + field_objects + "]}";
}
std::string organisations_with(const std::string& organisation_objects) {
  return R"({"version": 1, "organisations": [)" + organisation_objects + "]}";
}
std::string areas_with(const std::string& area_objects) { return R"({"version": 1, "areas": [)" + area_objects + "]}"; }

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

// The message Schema::parse throws, or "" when it accepts the texts.
std::string parse_error(const std::string& fields, const std::string& organisations, const std::string& areas) {
  try {
    Schema::parse(fields, organisations, areas, "schemas");
  } catch (const SchemaError& e) {
    return e.what();
  }
  return "";
}

class SchemaDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("policy-schema-test-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    write_text(dir_ / "fields.json", kFields);
    write_text(dir_ / "organisations.json", kOrganisations);
    write_text(dir_ / "priority_areas.json", kAreas);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST(SchemaTest, RealSchemasLoad) {
  const fs::path dir = fs::path(POLICY_SOURCE_DIR) / "schemas";
  Schema schema;
  try {
    schema = Schema::load(dir);
  } catch (const SchemaError& e) {
    FAIL() << e.what();
  }
  EXPECT_FALSE(schema.fields().empty());
  EXPECT_FALSE(schema.organisations().empty());
  EXPECT_FALSE(schema.areas().empty());
  EXPECT_EQ(schema.fields_json(), read_text(dir / "fields.json"));
  EXPECT_EQ(schema.organisations_json(), read_text(dir / "organisations.json"));
  EXPECT_EQ(schema.areas_json(), read_text(dir / "priority_areas.json"));

  // The fields the engine's extractors rely on.
  const FieldSpec* organisation = schema.field("org");
  ASSERT_NE(organisation, nullptr);
  EXPECT_EQ(organisation->name, "organisation");
  EXPECT_TRUE(organisation->from("gazetteer"));
  const FieldSpec* year = schema.field("year");
  ASSERT_NE(year, nullptr);
  EXPECT_EQ(year->kind, FieldKind::kYear);
  EXPECT_FALSE(year->multi_valued);
  EXPECT_TRUE(year->from("text"));
  const FieldSpec* area = schema.field("area");
  ASSERT_NE(area, nullptr);
  EXPECT_TRUE(area->from("taxonomy"));
  EXPECT_EQ(area->metadata_key, "priority_area");
  // Who published a document and whom it mentions are two questions.
  const FieldSpec* publisher = schema.field("publisher");
  ASSERT_NE(publisher, nullptr);
  EXPECT_FALSE(publisher->from("gazetteer"));
  EXPECT_EQ(publisher->vocabulary, "gazetteer");
  const FieldSpec* mentions = schema.field("mentions");
  ASSERT_NE(mentions, nullptr);
  EXPECT_EQ(mentions->sources, std::vector<std::string>{"gazetteer"});

  for (const Organisation& o : schema.organisations()) {
    SCOPED_TRACE(o.id);
    EXPECT_EQ(schema.organisation(o.id), &o);
  }
  for (const PriorityArea& a : schema.areas()) {
    SCOPED_TRACE(a.id);
    EXPECT_EQ(schema.area(a.id), &a);
  }
  EXPECT_GE(schema.area_rule().min_mentions, 1);
  EXPECT_GE(schema.area_rule().title_mentions_count, 1);
}

TEST(SchemaTest, ParsesValuesAndDefaults) {
  const Schema schema = Schema::parse(kFields, kOrganisations, kAreas, "schemas");
  ASSERT_EQ(schema.fields().size(), 4u);

  const FieldSpec& organisation = schema.fields()[0];
  EXPECT_EQ(organisation.kind, FieldKind::kFacet);
  EXPECT_EQ(organisation.prefix, "XO");
  EXPECT_EQ(organisation.slot, Xapian::valueno{10});
  EXPECT_TRUE(organisation.multi_valued);
  EXPECT_TRUE(organisation.counted());
  EXPECT_EQ(organisation.metadata_key, "organisation");  // defaults to the name
  EXPECT_EQ(organisation.metadata_keys, std::vector<std::string>{"organisation"});
  EXPECT_EQ(organisation.vocabulary, "gazetteer");  // from its source

  const FieldSpec& year = schema.fields()[1];
  EXPECT_FALSE(year.multi_valued);  // the default
  EXPECT_TRUE(year.from("text"));
  EXPECT_FALSE(year.from("gazetteer"));

  EXPECT_EQ(schema.fields()[2].metadata_key, "priority_area");

  const FieldSpec& url = schema.fields()[3];
  EXPECT_EQ(url.kind, FieldKind::kKeyword);
  EXPECT_FALSE(url.slot.has_value());
  EXPECT_FALSE(url.counted());
  EXPECT_EQ(url.sources, std::vector<std::string>{"metadata"});  // the default

  const Organisation* mep = schema.organisation("mep");
  ASSERT_NE(mep, nullptr);
  EXPECT_EQ(mep->acronyms, std::vector<std::string>{"MEP"});
  EXPECT_EQ(mep->aliases, std::vector<std::string>{"Environment Ministry"});
  EXPECT_EQ(mep->kind, "national ministry");
  EXPECT_EQ(mep->country, "China");
  EXPECT_EQ(mep->active_from, 2008);
  EXPECT_EQ(mep->active_until, 2018);
  EXPECT_EQ(mep->succeeded_by, "mee");
  EXPECT_EQ(mep->note, "renamed in 2018");
  const Organisation* mee = schema.organisation("mee");
  ASSERT_NE(mee, nullptr);
  EXPECT_EQ(mee->succeeds, "mep");
  EXPECT_FALSE(mee->active_until.has_value());
  EXPECT_EQ(schema.organisation("MEP"), nullptr);

  const PriorityArea* air = schema.area("air-quality");
  ASSERT_NE(air, nullptr);
  EXPECT_EQ(air->name, "Air quality");
  EXPECT_EQ(air->indicators, (std::vector<std::string>{"air quality", "PM2.5"}));
  EXPECT_EQ(schema.area_rule().min_mentions, 2);
  EXPECT_EQ(schema.area_rule().title_mentions_count, 3);
  EXPECT_EQ(schema.area_rule().description, "counted mentions");
  EXPECT_EQ(schema.area("soil"), nullptr);
}

TEST(SchemaTest, RuleIsOptional) {
  const Schema schema =
      Schema::parse(kFields, kOrganisations, areas_with(R"({"id": "a", "name": "A", "indicators": ["x"]})"), "schemas");
  EXPECT_EQ(schema.area_rule().min_mentions, AreaTaggingRule{}.min_mentions);
  EXPECT_EQ(schema.area_rule().title_mentions_count, AreaTaggingRule{}.title_mentions_count);
}

TEST(SchemaTest, FieldFindsByNameOrAlias) {
  const Schema schema = Schema::parse(kFields, kOrganisations, kAreas, "schemas");
  struct Case {
    const char* query_name;
    const char* field;  // nullptr: none
  };
  const Case cases[] = {
      {"organisation", "organisation"},
      {"org", "organisation"},
      {"year", "year"},
      {"url", "url"},
      {"title", nullptr},
      {"Org", nullptr},
      {"", nullptr},
      {"priority_area", nullptr},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.query_name);
    const FieldSpec* found = schema.field(c.query_name);
    if (c.field == nullptr) {
      EXPECT_EQ(found, nullptr);
    } else {
      ASSERT_NE(found, nullptr);
      EXPECT_EQ(found->name, c.field);
    }
  }
}

enum class File { kFields, kOrganisations, kAreas };

struct BrokenCase {
  const char* rule;
  File file;
  std::string text;
  std::string message;
};

TEST(SchemaTest, BrokenSchemasNameFileAndField) {
  const BrokenCase cases[] = {
      // Syntax, reported at the last character the parser read (a column
      // past the end of the line for a truncated file).
      {"malformed JSON", File::kFields,
       "{\n  \"version\": 1,\n  \"fields\": [\n    {\"name\": \"x\" \"kind\": \"facet\"}\n  ]\n}",
       "schemas/fields.json: line 4, column 23: malformed JSON: syntax error while parsing object - unexpected "
       "string literal; expected '}'"},
      {"malformed JSON, truncated", File::kOrganisations, "{\n  \"version\": 1,\n  \"organisations\": [",
       "schemas/organisations.json: line 3, column 21: malformed JSON: syntax error while parsing value - "
       "unexpected end of input; expected '[', '{', or a literal"},
      {"malformed JSON, column counts characters", File::kAreas, "{\"areas\": [\"\xC3\xA9t\xC3\xA9\", ]}",
       "schemas/priority_areas.json: line 1, column 19: malformed JSON: syntax error while parsing value - "
       "unexpected ']'; expected '[', '{', or a literal"},
      {"duplicate key", File::kFields,
       fields_with(R"({"name": "x", "kind": "facet", "prefix": "XX", "slot": 10, "slot": 11})"),
       "schemas/fields.json: duplicate key \"slot\" in one object"},

      {"nested too deeply", File::kFields, std::string(40, '[') + std::string(40, ']'),
       "schemas/fields.json: JSON nested deeper than 32 levels"},

      // Top level.
      {"top level not an object", File::kFields, "[]", "schemas/fields.json: top level must be an object, not array"},
      {"missing version", File::kAreas, R"({"areas": []})",
       "schemas/priority_areas.json: missing required key \"version\""},
      {"unsupported version", File::kFields, R"({"version": 2, "fields": []})",
       "schemas/fields.json: unsupported version 2 (expected 1)"},
      {"version as a string", File::kOrganisations, R"({"version": "1", "organisations": []})",
       "schemas/organisations.json: unsupported version \"1\" (expected 1)"},
      {"unknown top-level key", File::kFields, R"({"version": 1, "feilds": []})",
       "schemas/fields.json: unknown key \"feilds\" (known keys: version, fields)"},
      {"missing list", File::kOrganisations, R"({"version": 1})",
       "schemas/organisations.json: missing required key \"organisations\""},
      {"list of the wrong type", File::kAreas, R"({"version": 1, "areas": {}})",
       "schemas/priority_areas.json: \"areas\" must be an array, not object"},
      {"description of the wrong type", File::kFields, R"({"version": 1, "description": 3, "fields": []})",
       "schemas/fields.json: \"description\" must be a string, not integer"},

      // Fields: keys and types.
      {"field not an object", File::kFields, fields_with(R"("organisation")"),
       "schemas/fields.json: field #1: must be an object, not string"},
      {"unknown field key", File::kFields, fields_with(R"({"name": "x", "kind": "facet", "prefx": "XX", "slot": 10})"),
       "schemas/fields.json: field \"x\": unknown key \"prefx\" (known keys: name, aliases, kind, prefix, slot, "
       "multi_valued, sources, metadata_key, vocabulary)"},
      {"missing name", File::kFields, fields_with(R"({"kind": "facet", "prefix": "XX", "slot": 10})"),
       "schemas/fields.json: field #1: missing required key \"name\""},
      {"missing kind", File::kFields, fields_with(R"({"name": "x", "prefix": "XX", "slot": 10})"),
       "schemas/fields.json: field \"x\": missing required key \"kind\""},
      {"missing prefix", File::kFields, fields_with(R"({"name": "x", "kind": "facet", "slot": 10})"),
       "schemas/fields.json: field \"x\": missing required key \"prefix\""},
      {"slot of the wrong type", File::kFields,
       fields_with(R"({"name": "x", "kind": "facet", "prefix": "XX", "slot": "10"})"),
       "schemas/fields.json: field \"x\": \"slot\" must be an integer, not string"},
      {"fractional slot", File::kFields, fields_with(R"({"name": "x", "kind": "facet", "prefix": "XX", "slot": 10.5})"),
       "schemas/fields.json: field \"x\": \"slot\" must be an integer, not number"},
      {"multi_valued of the wrong type", File::kFields,
       fields_with(R"({"name": "x", "kind": "facet", "prefix": "XX", "slot": 10, "multi_valued": "yes"})"),
       "schemas/fields.json: field \"x\": \"multi_valued\" must be a boolean, not string"},
      {"aliases of the wrong type", File::kFields,
       fields_with(R"({"name": "x", "aliases": "y", "kind": "keyword", "prefix": "XX"})"),
       "schemas/fields.json: field \"x\": \"aliases\" must be an array of strings, not string"},
      {"sources with a non-string", File::kFields,
       fields_with(R"({"name": "x", "kind": "keyword", "prefix": "XX", "sources": ["metadata", 1]})"),
       "schemas/fields.json: field \"x\": \"sources\" must be an array of strings; item 2 is integer"},

      // Fields: kinds and sources.
      {"unknown kind", File::kFields, fields_with(R"({"name": "x", "kind": "tag", "prefix": "XX"})"),
       "schemas/fields.json: field \"x\": unknown kind \"tag\" (expected keyword, facet, year or text)"},
      {"unknown source", File::kFields,
       fields_with(R"({"name": "x", "kind": "keyword", "prefix": "XX", "sources": ["meta"]})"),
       "schemas/fields.json: field \"x\": unknown source \"meta\" (expected metadata, gazetteer, taxonomy, text "
       "or language)"},
      {"language needs facet or keyword", File::kFields,
       fields_with(R"({"name": "x", "kind": "year", "prefix": "XX", "slot": 10, "sources": ["language"]})"),
       "schemas/fields.json: field \"x\": source \"language\" needs kind facet or keyword, not year"},
      {"gazetteer needs facet or keyword", File::kFields,
       fields_with(R"({"name": "x", "kind": "year", "prefix": "XX", "slot": 10, "sources": ["gazetteer"]})"),
       "schemas/fields.json: field \"x\": source \"gazetteer\" needs kind facet or keyword, not year"},
      {"taxonomy needs facet or keyword", File::kFields,
       fields_with(R"({"name": "x", "kind": "text", "prefix": "XX", "sources": ["taxonomy"]})"),
       "schemas/fields.json: field \"x\": source \"taxonomy\" needs kind facet or keyword, not text"},
      {"text needs year", File::kFields,
       fields_with(R"({"name": "x", "kind": "facet", "prefix": "XX", "slot": 10, "sources": ["text"]})"),
       "schemas/fields.json: field \"x\": source \"text\" needs kind year, not facet"},
      {"source listed twice", File::kFields,
       fields_with(R"({"name": "x", "kind": "keyword", "prefix": "XX", "sources": ["metadata", "metadata"]})"),
       "schemas/fields.json: field \"x\": source \"metadata\" listed twice"},
      {"empty sources", File::kFields,
       fields_with(R"({"name": "x", "kind": "keyword", "prefix": "XX", "sources": []})"),
       "schemas/fields.json: field \"x\": \"sources\" is empty (omit it to read from metadata)"},
      {"metadata_key without metadata", File::kFields,
       fields_with(R"({"name": "x", "kind": "year", "prefix": "XX", "slot": 10, "sources": ["text"],
                       "metadata_key": "y"})"),
       "schemas/fields.json: field \"x\": \"metadata_key\" given but \"sources\" lacks \"metadata\""},
      {"empty metadata_key list", File::kFields,
       fields_with(R"({"name": "x", "kind": "keyword", "prefix": "XX", "metadata_key": []})"),
       "schemas/fields.json: field \"x\": \"metadata_key\" is empty"},
      {"blank key in a metadata_key list", File::kFields,
       fields_with(R"({"name": "x", "kind": "keyword", "prefix": "XX", "metadata_key": ["a", " "]})"),
       "schemas/fields.json: field \"x\": \"metadata_key\" is blank"},
      {"unknown vocabulary", File::kFields,
       fields_with(R"({"name": "x", "kind": "facet", "prefix": "XX", "slot": 10, "vocabulary": "thesaurus"})"),
       "schemas/fields.json: field \"x\": unknown vocabulary \"thesaurus\" (expected gazetteer or taxonomy)"},
      {"vocabulary on a year field", File::kFields,
       fields_with(R"({"name": "x", "kind": "year", "prefix": "XX", "slot": 10, "vocabulary": "gazetteer"})"),
       "schemas/fields.json: field \"x\": vocabulary \"gazetteer\" needs kind facet or keyword, not year"},
      {"vocabulary against the source", File::kFields,
       fields_with(R"({"name": "x", "kind": "facet", "prefix": "XX", "slot": 10, "sources": ["taxonomy"],
                       "vocabulary": "gazetteer"})"),
       "schemas/fields.json: field \"x\": vocabulary \"gazetteer\" but source \"taxonomy\""},
      {"gazetteer and taxonomy in one field", File::kFields,
       fields_with(
           R"({"name": "x", "kind": "facet", "prefix": "XX", "slot": 10, "sources": ["gazetteer", "taxonomy"]})"),
       "schemas/fields.json: field \"x\": sources \"gazetteer\" and \"taxonomy\" in one field (their values would "
       "mix)"},

      // Fields: names and aliases.
      {"invalid name", File::kFields, fields_with(R"({"name": "Org", "kind": "keyword", "prefix": "XX"})"),
       "schemas/fields.json: field \"Org\": invalid name (must match [a-z][a-z0-9_]*)"},
      {"invalid alias", File::kFields,
       fields_with(R"({"name": "x", "aliases": ["doc-type"], "kind": "keyword", "prefix": "XX"})"),
       "schemas/fields.json: field \"x\": invalid alias \"doc-type\" (must match [a-z][a-z0-9_]*)"},
      {"name title is built in", File::kFields, fields_with(R"({"name": "title", "kind": "text", "prefix": "XX"})"),
       "schemas/fields.json: field \"title\": name \"title\" is reserved for the built-in title field"},
      {"alias title is built in", File::kFields,
       fields_with(R"({"name": "heading", "aliases": ["title"], "kind": "text", "prefix": "XX"})"),
       "schemas/fields.json: field \"heading\": alias \"title\" is reserved for the built-in title field"},
      {"duplicate name", File::kFields, fields_with(R"({"name": "x", "kind": "keyword", "prefix": "XX"},
                      {"name": "x", "kind": "keyword", "prefix": "XY"})"),
       "schemas/fields.json: field \"x\": name \"x\" already used by field \"x\""},
      {"alias clashes with a name", File::kFields,
       fields_with(R"({"name": "organisation", "kind": "keyword", "prefix": "XO"},
                      {"name": "org_type", "aliases": ["organisation"], "kind": "keyword", "prefix": "XT"})"),
       "schemas/fields.json: field \"org_type\": alias \"organisation\" already used by field \"organisation\""},
      {"name clashes with an alias", File::kFields,
       fields_with(R"({"name": "organisation", "aliases": ["org"], "kind": "keyword", "prefix": "XO"},
                      {"name": "org", "kind": "keyword", "prefix": "XT"})"),
       "schemas/fields.json: field \"org\": name \"org\" already used by field \"organisation\""},

      // Fields: prefixes.
      {"prefix without X", File::kFields, fields_with(R"({"name": "x", "kind": "keyword", "prefix": "YO"})"),
       "schemas/fields.json: field \"x\": invalid prefix \"YO\" (must be \"X\" followed by 1 to 7 upper-case "
       "ASCII letters)"},
      {"prefix with lower case", File::kFields, fields_with(R"({"name": "x", "kind": "keyword", "prefix": "Xo"})"),
       "schemas/fields.json: field \"x\": invalid prefix \"Xo\" (must be \"X\" followed by 1 to 7 upper-case "
       "ASCII letters)"},
      {"prefix too long", File::kFields, fields_with(R"({"name": "x", "kind": "keyword", "prefix": "XABCDEFGH"})"),
       "schemas/fields.json: field \"x\": invalid prefix \"XABCDEFGH\" (must be \"X\" followed by 1 to 7 "
       "upper-case ASCII letters)"},
      {"bare X", File::kFields, fields_with(R"({"name": "x", "kind": "keyword", "prefix": "X"})"),
       "schemas/fields.json: field \"x\": invalid prefix \"X\" (must be \"X\" followed by 1 to 7 upper-case "
       "ASCII letters)"},
      {"duplicate prefix", File::kFields, fields_with(R"({"name": "x", "kind": "keyword", "prefix": "XA"},
                      {"name": "area", "kind": "keyword", "prefix": "XA"})"),
       "schemas/fields.json: field \"area\": duplicate prefix \"XA\" (also used by \"x\")"},
      {"prefix begins another", File::kFields, fields_with(R"({"name": "x", "kind": "keyword", "prefix": "XOR"},
                      {"name": "y", "kind": "keyword", "prefix": "XO"})"),
       "schemas/fields.json: field \"y\": prefix \"XO\" and prefix \"XOR\" of field \"x\" start alike: terms "
       "would be ambiguous"},
      {"prefix extends another", File::kFields, fields_with(R"({"name": "x", "kind": "keyword", "prefix": "XO"},
                      {"name": "y", "kind": "keyword", "prefix": "XOR"})"),
       "schemas/fields.json: field \"y\": prefix \"XOR\" and prefix \"XO\" of field \"x\" start alike: terms "
       "would be ambiguous"},

      // Fields: slots.
      {"slot reserved by the engine", File::kFields,
       fields_with(R"({"name": "x", "kind": "facet", "prefix": "XX", "slot": 1})"),
       "schemas/fields.json: field \"x\": slot 1 out of range (must be 10 to 1000; 0 to 9 are the engine's)"},
      {"slot too large", File::kFields, fields_with(R"({"name": "x", "kind": "facet", "prefix": "XX", "slot": 1001})"),
       "schemas/fields.json: field \"x\": slot 1001 out of range (must be 10 to 1000; 0 to 9 are the engine's)"},
      {"negative slot", File::kFields, fields_with(R"({"name": "x", "kind": "facet", "prefix": "XX", "slot": -10})"),
       "schemas/fields.json: field \"x\": slot -10 out of range (must be 10 to 1000; 0 to 9 are the engine's)"},
      {"duplicate slot", File::kFields, fields_with(R"({"name": "x", "kind": "facet", "prefix": "XX", "slot": 10},
                      {"name": "y", "kind": "year", "prefix": "XY", "slot": 10})"),
       "schemas/fields.json: field \"y\": duplicate slot 10 (also used by \"x\")"},
      {"facet without slot", File::kFields, fields_with(R"({"name": "x", "kind": "facet", "prefix": "XX"})"),
       "schemas/fields.json: field \"x\": missing required key \"slot\" (kind facet is counted in facets)"},
      {"year without slot", File::kFields, fields_with(R"({"name": "x", "kind": "year", "prefix": "XX"})"),
       "schemas/fields.json: field \"x\": missing required key \"slot\" (kind year is counted in facets)"},

      // Organisations.
      {"organisation not an object", File::kOrganisations, organisations_with("[]"),
       "schemas/organisations.json: organisation #1: must be an object, not array"},
      {"unknown organisation key", File::kOrganisations,
       organisations_with(R"({"id": "mep", "name": "M", "alias": ["x"]})"),
       "schemas/organisations.json: organisation \"mep\": unknown key \"alias\" (known keys: id, name, acronyms, "
       "aliases, kind, country, active, succeeded_by, succeeds)"},
      {"missing organisation name", File::kOrganisations, organisations_with(R"({"id": "mep"})"),
       "schemas/organisations.json: organisation \"mep\": missing required key \"name\""},
      {"invalid organisation id", File::kOrganisations, organisations_with(R"({"id": "MEP", "name": "M"})"),
       "schemas/organisations.json: organisation \"MEP\": invalid id (must match [a-z0-9-]+)"},
      {"organisation id with a space", File::kOrganisations, organisations_with(R"({"id": "m ep", "name": "M"})"),
       "schemas/organisations.json: organisation \"m ep\": invalid id (must match [a-z0-9-]+)"},
      {"duplicate organisation id", File::kOrganisations,
       organisations_with(R"({"id": "mep", "name": "M"}, {"id": "mee", "name": "E"}, {"id": "mep", "name": "P"})"),
       "schemas/organisations.json: organisation \"mep\": duplicate id (entries #1 and #3)"},
      {"duplicate organisation name", File::kOrganisations,
       organisations_with(R"({"id": "mep", "name": "Ministry"}, {"id": "mee", "name": "Ministry"})"),
       "schemas/organisations.json: organisation \"mee\": duplicate name \"Ministry\" (also used by \"mep\")"},
      {"blank organisation name", File::kOrganisations, organisations_with(R"({"id": "mep", "name": " "})"),
       "schemas/organisations.json: organisation \"mep\": \"name\" is blank"},
      {"acronym without a capital", File::kOrganisations,
       organisations_with(R"({"id": "mep", "name": "M", "acronyms": ["mep"]})"),
       "schemas/organisations.json: organisation \"mep\": acronym \"mep\" has no upper-case letter"},
      {"acronym with a space", File::kOrganisations,
       organisations_with(R"({"id": "mep", "name": "M", "acronyms": ["M EP"]})"),
       "schemas/organisations.json: organisation \"mep\": acronym \"M EP\" contains white space"},
      {"acronyms of the wrong type", File::kOrganisations,
       organisations_with(R"({"id": "mep", "name": "M", "acronyms": "MEP"})"),
       "schemas/organisations.json: organisation \"mep\": \"acronyms\" must be an array of strings, not string"},
      {"unknown key in active", File::kOrganisations,
       organisations_with(R"({"id": "mep", "name": "M", "active": {"from": 2008, "to": 2018}})"),
       "schemas/organisations.json: organisation \"mep\": \"active\": unknown key \"to\" (known keys: from, "
       "until)"},
      {"active year of the wrong type", File::kOrganisations,
       organisations_with(R"({"id": "mep", "name": "M", "active": {"from": "2008"}})"),
       "schemas/organisations.json: organisation \"mep\": \"active\": \"from\" must be an integer, not string"},
      {"active year out of range", File::kOrganisations,
       organisations_with(R"({"id": "mep", "name": "M", "active": {"from": 20080}})"),
       "schemas/organisations.json: organisation \"mep\": \"active\": \"from\" must be a year (0 to 9999), not "
       "20080"},
      {"active ends before it starts", File::kOrganisations,
       organisations_with(R"({"id": "mep", "name": "M", "active": {"from": 2018, "until": 2008}})"),
       "schemas/organisations.json: organisation \"mep\": \"active\" ends (2008) before it starts (2018)"},
      {"succeeded_by names an unknown id", File::kOrganisations,
       organisations_with(R"({"id": "mep", "name": "M", "succeeded_by": "mea"})"),
       "schemas/organisations.json: organisation \"mep\": \"succeeded_by\" names unknown organisation \"mea\""},
      {"succeeds names an unknown id", File::kOrganisations,
       organisations_with(R"({"id": "mee", "name": "E", "succeeds": "sepa"})"),
       "schemas/organisations.json: organisation \"mee\": \"succeeds\" names unknown organisation \"sepa\""},
      {"succeeded_by names itself", File::kOrganisations,
       organisations_with(R"({"id": "mep", "name": "M", "succeeded_by": "mep"})"),
       "schemas/organisations.json: organisation \"mep\": \"succeeded_by\" names the organisation itself"},

      // Priority areas.
      {"unknown area key", File::kAreas, areas_with(R"({"id": "air", "name": "Air", "indicator": ["air"]})"),
       "schemas/priority_areas.json: area \"air\": unknown key \"indicator\" (known keys: id, name, indicators)"},
      {"invalid area id", File::kAreas, areas_with(R"({"id": "Air_Quality", "name": "Air", "indicators": ["a"]})"),
       "schemas/priority_areas.json: area \"Air_Quality\": invalid id (must match [a-z0-9-]+)"},
      {"duplicate area id", File::kAreas, areas_with(R"({"id": "air", "name": "Air", "indicators": ["air"]},
                     {"id": "air", "name": "Air 2", "indicators": ["smog"]})"),
       "schemas/priority_areas.json: area \"air\": duplicate id (entries #1 and #2)"},
      {"duplicate area name", File::kAreas, areas_with(R"({"id": "air", "name": "Air", "indicators": ["air"]},
                     {"id": "smog", "name": "Air", "indicators": ["smog"]})"),
       "schemas/priority_areas.json: area \"smog\": duplicate name \"Air\" (also used by \"air\")"},
      {"missing indicators", File::kAreas, areas_with(R"({"id": "air", "name": "Air"})"),
       "schemas/priority_areas.json: area \"air\": missing required key \"indicators\""},
      {"no indicators", File::kAreas, areas_with(R"({"id": "air", "name": "Air", "indicators": []})"),
       "schemas/priority_areas.json: area \"air\": no indicators (an area needs at least one non-blank "
       "indicator)"},
      {"blank indicator", File::kAreas, areas_with(R"({"id": "air", "name": "Air", "indicators": ["air", " "]})"),
       "schemas/priority_areas.json: area \"air\": indicator #2 is blank"},
      {"indicator listed twice", File::kAreas,
       areas_with(R"({"id": "air", "name": "Air", "indicators": ["smog", "smog"]})"),
       "schemas/priority_areas.json: area \"air\": indicator \"smog\" listed twice"},
      {"rule int below 1", File::kAreas, R"({"version": 1, "rule": {"min_mentions": 0}, "areas": []})",
       "schemas/priority_areas.json: rule: \"min_mentions\" must be at least 1, not 0"},
      {"rule int of the wrong type", File::kAreas,
       R"({"version": 1, "rule": {"title_mentions_count": "3"}, "areas": []})",
       "schemas/priority_areas.json: rule: \"title_mentions_count\" must be an integer, not string"},
      {"unknown rule key", File::kAreas, R"({"version": 1, "rule": {"min_mention": 2}, "areas": []})",
       "schemas/priority_areas.json: rule: unknown key \"min_mention\" (known keys: min_mentions, "
       "title_mentions_count)"},
      {"rule of the wrong type", File::kAreas, R"({"version": 1, "rule": 2, "areas": []})",
       "schemas/priority_areas.json: \"rule\" must be an object, not integer"},
  };
  for (const BrokenCase& c : cases) {
    SCOPED_TRACE(c.rule);
    const std::string message =
        parse_error(c.file == File::kFields ? c.text : kFields,
                    c.file == File::kOrganisations ? c.text : kOrganisations, c.file == File::kAreas ? c.text : kAreas);
    EXPECT_EQ(message, c.message);
  }
}

TEST(SchemaTest, EmptyOriginNamesBareFiles) {
  try {
    Schema::parse("[]", kOrganisations, kAreas, "");
    FAIL() << "accepted";
  } catch (const SchemaError& e) {
    EXPECT_STREQ(e.what(), "fields.json: top level must be an object, not array");
  }
}

TEST_F(SchemaDirTest, LoadsDirectory) {
  const Schema schema = Schema::load(dir_);
  EXPECT_EQ(schema.fields().size(), 4u);
  EXPECT_EQ(schema.fields_json(), kFields);
  EXPECT_EQ(schema.fingerprint(), Schema::parse(kFields, kOrganisations, kAreas, "elsewhere").fingerprint());
}

TEST_F(SchemaDirTest, MissingFieldsFileIsNamed) {
  fs::remove(dir_ / "fields.json");
  try {
    Schema::load(dir_);
    ADD_FAILURE() << "loaded without fields.json";
  } catch (const SchemaError& e) {
    EXPECT_EQ(std::string(e.what()), (dir_ / "fields.json").string() + ": cannot read: No such file or directory");
  }
}

// The gazetteer and the taxonomy are optional, but a field that names one
// as its vocabulary needs it.
TEST_F(SchemaDirTest, GazetteerAndTaxonomyAreOptional) {
  const struct {
    const char* file;
    std::string message;
  } cases[] = {
      {"organisations.json",
       "fields.json: field \"organisation\": vocabulary \"gazetteer\" but there is no "
       "organisations.json beside it"},
      {"priority_areas.json",
       "fields.json: field \"area\": vocabulary \"taxonomy\" but there is no priority_areas.json beside it"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    SetUp();
    fs::remove(dir_ / c.file);
    try {
      Schema::load(dir_);
      ADD_FAILURE() << "loaded without " << c.file;
    } catch (const SchemaError& e) {
      EXPECT_EQ(std::string(e.what()), (dir_ / c.message).string());
    }
  }
  SetUp();
  fs::remove(dir_ / "organisations.json");
  fs::remove(dir_ / "priority_areas.json");
  write_text(
      dir_ / "fields.json",
      fields_with(R"({"name": "year", "kind": "year", "prefix": "XY", "slot": 11, "sources": ["metadata", "text"]},
                           {"name": "publisher", "kind": "facet", "prefix": "XP", "slot": 12, "multi_valued": true,
                            "metadata_key": ["publisher", "author"]})"));
  const Schema schema = Schema::load(dir_);
  EXPECT_EQ(schema.fields().size(), 2u);
  EXPECT_TRUE(schema.organisations().empty());
  EXPECT_TRUE(schema.areas().empty());
  EXPECT_EQ(schema.organisations_json(), "");
  EXPECT_EQ(schema.fields()[1].metadata_keys, (std::vector<std::string>{"publisher", "author"}));
  EXPECT_EQ(schema.fields()[1].vocabulary, "");
}

TEST_F(SchemaDirTest, ErrorsNameTheLoadedFile) {
  write_text(dir_ / "priority_areas.json", R"({"version": 1, "areas": [{"id": "a", "name": "A", "indicators": []}]})");
  try {
    Schema::load(dir_);
    FAIL() << "accepted";
  } catch (const SchemaError& e) {
    EXPECT_EQ(std::string(e.what()),
              (dir_ / "priority_areas.json").string() +
                  ": area \"a\": no indicators (an area needs at least one non-blank indicator)");
  }
}

TEST_F(SchemaDirTest, FingerprintChangesWhenAnyFileChanges) {
  const std::string original = Schema::load(dir_).fingerprint();
  EXPECT_EQ(original.size(), 16u);
  EXPECT_EQ(original.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(Schema::load(dir_).fingerprint(), original);  // deterministic

  const struct {
    const char* file;
    std::string text;
  } edits[] = {
      {"fields.json", kFields + "\n"},
      {"organisations.json", organisations_with(R"({"id": "mep", "name": "M"})")},
      {"priority_areas.json", areas_with(R"({"id": "air", "name": "Air", "indicators": ["smog"]})")},
  };
  for (const auto& edit : edits) {
    SCOPED_TRACE(edit.file);
    SetUp();
    const std::string before = Schema::load(dir_).fingerprint();
    ASSERT_EQ(before, original);
    write_text(dir_ / edit.file, edit.text);
    EXPECT_NE(Schema::load(dir_).fingerprint(), original);
  }

  // Moving bytes from one file's end to the next one's start changes it too.
  const std::string moved_fields = kFields + " ";
  const std::string moved_organisations = kOrganisations;
  EXPECT_NE(Schema::parse(moved_fields, moved_organisations, kAreas, "").fingerprint(),
            Schema::parse(kFields, " " + kOrganisations, kAreas, "").fingerprint());
}

}  // namespace
}  // namespace policy
