#include "tests/support/small_index.h"

#include <optional>

#include "core/analyzer.h"

#include "indexer/index_writer.h"

#include "tests/support/test_support.h"

namespace policy::testing {

SourceDocument source_document(std::string id, std::string title, std::string text) {
  SourceDocument d;
  d.id = std::move(id);
  d.title = std::move(title);
  d.text = std::move(text);
  d.source = "test/" + d.id;
  return d;
}

void write_index(const std::filesystem::path& index, const std::vector<SourceDocument>& docs, const Schema* schema) {
  std::optional<Schema> shipped;
  if (!schema) shipped.emplace(Schema::load(source_path("schemas")));
  Analyzer analyzer;
  IndexWriter writer(index.string(), analyzer, schema ? *schema : *shipped, {});
  for (const SourceDocument& d : docs) writer.add(d);
  writer.commit();
}

}  // namespace policy::testing
