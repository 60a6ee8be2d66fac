// libFuzzer target: query text -> parse_query_syntax -> bind_query -> match.
//
// Invariants for any input: the parser returns a well-formed tree that
// survives a round trip through its query-text rendering, or throws
// QuerySyntaxError in the documented shape with a position inside the query;
// binding a parsed tree on a small index (built once, with the real schema)
// returns a query Xapian can run, or throws QueryError in the same shape.
// Anything else aborts.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include <xapian.h>

#include "core/analyzer.h"
#include "core/field_extractor.h"
#include "core/field_schema.h"

#include "indexer/index_writer.h"

#include "searcher/query_binder.h"
#include "searcher/query_syntax.h"

#include "tests/fuzz/fuzz_support.h"
#include "tests/support/invariants.h"

namespace {

using namespace policy;

// What binding needs, built once per process.
struct BindingWorld {
  Analyzer analyzer;
  Schema schema = Schema::load(std::filesystem::path(POLICY_SOURCE_DIR) / "schemas");
  FieldExtractor extractor{schema, analyzer};
  fuzz::TempDir dir{"query"};
  std::unique_ptr<Xapian::Database> db;

  BindingWorld() {
    const std::string path = (dir.path() / "index").string();
    {
      IndexWriter writer(path, analyzer, schema, {});
      const char* const texts[] = {
          "Air pollution in China is a shared challenge; polluted air harms health.",
          "Managing e-waste and electronic waste in ASEAN-China cooperation, 2016-2020.",
          "The Green Envoys Program of the Ministry of Ecology and Environment builds capacity.",
          "Environmental cooperation between the EPA and MEP on water quality and climate.",
      };
      int n = 0;
      for (const char* text : texts) {
        SourceDocument doc;
        doc.id = "doc" + std::to_string(++n);
        doc.title = "Document " + std::to_string(n);
        doc.text = text;
        doc.metadata = {{"year", 2014 + n}, {"organisation", n % 2 ? "MEP" : "EPA"}};
        doc.source = doc.id;
        writer.add(doc);
      }
      writer.commit();
    }
    db = std::make_unique<Xapian::Database>(path);
  }
};

BindingWorld& world() {
  static BindingWorld instance;
  return instance;
}

// Tight limits for some inputs so that every limit is reached.
QueryLimits limits_for(std::string_view query) {
  QueryLimits limits;
  if (!query.empty() && (static_cast<unsigned char>(query.back()) & 7) == 7) {
    limits.max_clauses = 6;
    limits.max_words = 6;
    limits.max_depth = 3;
    limits.max_near_distance = 4;
  }
  return limits;
}

void check_binding(const QueryNode& tree, std::string_view query) {
  BindingWorld& w = world();
  BindOptions options;
  options.schema = &w.schema;
  options.extractor = &w.extractor;
  try {
    const BoundQuery bound = bind_query(tree, w.analyzer, *w.db, options);
    Xapian::Enquire enquire(*w.db);
    enquire.set_query(bound.query);
    enquire.get_mset(0, 10);
  } catch (const QueryError& error) {
    fuzz::require(testing::query_error_problem(error, query.size()), "binding error", query);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  world();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view query(reinterpret_cast<const char*>(data), size);
  QueryNode tree;
  try {
    tree = parse_query_syntax(query, limits_for(query));
  } catch (const QuerySyntaxError& error) {
    fuzz::require(testing::query_error_problem(error, query.size()), "syntax error", query);
    return 0;
  }
  fuzz::require(testing::query_tree_problem(tree, query.size()), "tree", query);

  QueryLimits round_trip_limits;
  round_trip_limits.max_query_bytes = SIZE_MAX;
  round_trip_limits.max_clauses = SIZE_MAX;
  round_trip_limits.max_words = SIZE_MAX;
  round_trip_limits.max_depth = kQueryDepthCeiling;
  round_trip_limits.max_near_distance = UINT32_MAX;
  const std::string rendered = testing::query_text_of(tree);
  std::string reparsed;
  try {
    reparsed = describe(parse_query_syntax(rendered, round_trip_limits));
  } catch (const QuerySyntaxError& error) {
    reparsed = std::string("error: ") + error.what();
  }
  if (reparsed != describe(tree)) {
    fuzz::fail("round trip changed the tree: " + describe(tree) + " -> " + rendered + " -> " + reparsed, query);
  }
  check_binding(tree, query);
  return 0;
}
