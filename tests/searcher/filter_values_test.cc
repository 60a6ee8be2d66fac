// Tests of filter values (filter_values.h): the year forms, the checks
// before binding, and the warning for a value that names nothing, on a
// database holding a few filter terms.

#include "searcher/filter_values.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/test_support.h"

namespace policy {
namespace {

TEST(FilterValuesTest, YearRangeForms) {
  struct Case {
    std::string text;
    std::optional<YearRange> expected;
  };
  const std::vector<Case> cases = {
      {"2016", YearRange{2016, 2016}},
      {"2010..2015", YearRange{2010, 2015}},
      {"2010..", YearRange{2010, 9999}},
      {"..2015", YearRange{0, 2015}},
      {"1800-1850", YearRange{1800, 1850}},
      {"1800 - 1850", YearRange{1800, 1850}},
      {"1800\u20131850", YearRange{1800, 1850}},  // en dash
      {">2000", YearRange{2001, 9999}},
      {">=2000", YearRange{2000, 9999}},
      {"<2000", YearRange{0, 1999}},
      {"<=2000", YearRange{0, 2000}},
      {"2016..2016", YearRange{2016, 2016}},
      // Malformed: no year, a reversed range, open ends only with "..".
      {"", std::nullopt},
      {"..", std::nullopt},
      {"-", std::nullopt},
      {"2010-", std::nullopt},
      {"-2010", std::nullopt},
      {"2020-2010", std::nullopt},
      {"2020..2010", std::nullopt},
      {">", std::nullopt},
      {">=", std::nullopt},
      {"=>2000", std::nullopt},
      {"><2000", std::nullopt},
      {">20000", std::nullopt},
      {"soon", std::nullopt},
      {"201", std::nullopt},
      {"2010..2015..2020", std::nullopt},
      {"2010-2015-2020", std::nullopt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(parse_year_range(c.text), c.expected);
  }
}

TEST(FilterValuesTest, ClosestValuesRankPrefixThenSubstringThenEditDistance) {
  const std::vector<KnownValue> known = {
      {"Abraham Lincoln", {"abraham-lincoln", "Abraham Lincoln"}},
      {"Lincoln University", {"lincoln-university", "Lincoln University"}},
      {"Joseph R. Biden", {"joseph-r-biden", "Joseph R. Biden"}},
      {"United Nations Environment Programme", {"unep", "United Nations Environment Programme", "UNEP"}},
      {"Ministry of Environmental Protection of China",
       {"mep", "Ministry of Environmental Protection of China", "MEP"}},
      {"strategy", {"strategy"}},
  };
  struct Case {
    std::string typed;
    std::vector<std::string> expected;
  };
  const std::vector<Case> cases = {
      // A prefix first, then a name holding it; ties by edit distance.
      {"Lincoln", {"Lincoln University", "Abraham Lincoln"}},
      {"lincoln", {"Lincoln University", "Abraham Lincoln"}},
      {"Joe Biden", {"Joseph R. Biden"}},                // a shared word
      {"UN", {"United Nations Environment Programme"}},  // "UNEP", not "Lincoln University"
      {"strategi", {"strategy"}},                        // one letter off
      {"MPE", {"Ministry of Environmental Protection of China"}},
      {"zzz", {}},
      {"", {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.typed);
    EXPECT_EQ(closest_values(c.typed, known), c.expected);
  }
  EXPECT_EQ(closest_values("Lincoln", known, 1), std::vector<std::string>{"Lincoln University"});
}

class FilterWarningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Xapian::Document doc;
    for (const char* term : {"XOmep", "XOunep", "XOundp", "XOasean", "XOadb", "XOgef", "XOwwf", "XOfao", "XY2010",
                             "XY2016", "XTstrategy", "XLen", "XAair-quality"}) {
      doc.add_boolean_term(term);
    }
    db_.add_document(doc);
  }

  std::optional<QueryWarning> warning_for(const std::string& filter) {
    const QueryNode leaf = parse_query_syntax(filter);
    const FieldSpec& field = *schema_.field(leaf.field);
    check_filter_form(leaf, field, extractor_);
    return unknown_filter_value(leaf, field, schema_, extractor_, db_);
  }

  Schema schema_ = Schema::load(testing::source_path("schemas"));
  Analyzer analyzer_;
  FieldExtractor extractor_{schema_, analyzer_};
  Xapian::WritableDatabase db_{std::string(), Xapian::DB_BACKEND_INMEMORY};
};

TEST_F(FilterWarningTest, ValuesThatNameNothingAreWarnedAboutWithTheClosestKnownValues) {
  struct Case {
    std::string filter;
    std::string field;
    std::string value;
    std::vector<std::string> suggestions;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"org:Lincoln",
       "organisation",
       "Lincoln",
       {},
       "org:Lincoln matches no organisation in the index; policy-search --facets lists the values"},
      {"org:\"Joe Biden\"",
       "organisation",
       "Joe Biden",
       {},
       "org:\"Joe Biden\" matches no organisation in the index; policy-search --facets lists the values"},
      {"org:UN",
       "organisation",
       "UN",
       {"United Nations Development Programme", "United Nations Environment Programme"},
       "org:UN matches no organisation in the index; closest: United Nations Development Programme, United Nations "
       "Environment Programme"},
      {"org:ASEN",
       "organisation",
       "ASEN",
       {"Association of Southeast Asian Nations"},
       "org:ASEN matches no organisation in the index; closest: Association of Southeast Asian Nations"},
      // Known to the gazetteer, named by no document.
      {"org:EPA",
       "organisation",
       "EPA",
       {},
       "org:EPA (U.S. Environmental Protection Agency) is in no document of the index; policy-search --facets lists "
       "the values"},
      {"year:1800-1850",
       "year",
       "1800-1850",
       {"2010", "2016"},
       "year:1800-1850 matches no year in the index; closest: 2010, 2016"},
      {"year:>2020", "year", ">2020", {"2016", "2010"}, "year:>2020 matches no year in the index; closest: 2016, 2010"},
      {"type:strategi",
       "document_type",
       "strategi",
       {"strategy"},
       "type:strategi matches no document_type in the index; closest: strategy"},
      // Nothing close among a few values: all of them.
      {"lang:de", "language", "de", {"en"}, "lang:de matches no language in the index; the index holds only: en"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.filter);
    const std::optional<QueryWarning> warning = warning_for(c.filter);
    ASSERT_TRUE(warning);
    EXPECT_EQ(warning->code, warning_code::kUnknownFilterValue);
    EXPECT_EQ(warning->field, c.field);
    EXPECT_EQ(warning->value, c.value);
    EXPECT_EQ(warning->suggestions, c.suggestions);
    EXPECT_EQ(warning->message, c.message);
  }
}

TEST_F(FilterWarningTest, ValuesThatNameSomethingAreNot) {
  for (const char* filter : {"org:MEP", "org:mep", "org:\"United Nations Environment Programme\"", "year:2016",
                             "year:2000..2012", "year:>2015", "year:<=2010", "year:2010-2020", "type:Strategy",
                             "lang:en-GB", "area:air", "area:\"air quality\""}) {
    SCOPED_TRACE(filter);
    EXPECT_FALSE(warning_for(filter));
  }
}

TEST_F(FilterWarningTest, MalformedFiltersAreErrorsAtTheirPosition) {
  for (const char* filter : {"year:soon", "year:2020-2010", "year:>", "org:env*", "org:\"&\""}) {
    SCOPED_TRACE(filter);
    EXPECT_THROW(warning_for(filter), QuerySyntaxError);
  }
  try {
    warning_for("year:1800/1850");
    FAIL();
  } catch (const QuerySyntaxError& e) {
    EXPECT_EQ(e.message(), "'1800/1850' is not a year or a range of years");
    EXPECT_EQ(e.position(), 0u);
    EXPECT_NE(e.hint().find("year:>=2010"), std::string::npos) << e.hint();
  }
}

}  // namespace
}  // namespace policy
