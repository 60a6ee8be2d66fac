#include "indexer/explain.h"

#include <optional>

#include <nlohmann/json.hpp>

#include "core/index_layout.h"
#include "core/index_reader.h"
#include "core/json_text.h"

#include "indexer/exit_codes.h"

namespace policy {

int explain_document(const std::string& index_path, const std::string& id, std::ostream& out, std::ostream& err) {
  IndexReader reader(index_path);
  const std::optional<StoredDocument> found = reader.retrying([&]() -> std::optional<StoredDocument> {
    const std::optional<Xapian::docid> did = reader.find(id);
    if (!did) return std::nullopt;
    return StoredDocument::read(reader.database().get_document(*did), reader.schema(), reader.dictionary(),
                                /*with_text=*/true);
  });
  if (!found) {
    err << "policy-index: no document '" << id << "' in index '" << index_path << "'\n";
    return kExitSomeInputsNotIndexed;
  }
  const StoredDocument& doc = *found;
  out << to_json_text(nlohmann::json{{"id", doc.id},
                                     {"title", doc.title},
                                     {"source", doc.source},
                                     {"metadata", doc.metadata},
                                     {"fields", doc.fields},
                                     {"extraction", reader.extraction_report(doc)}},
                      2)
      << "\n";
  return kExitOk;
}

}  // namespace policy
