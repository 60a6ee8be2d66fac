#include "tests/support/index_check.h"

#include <xapian.h>

#include "core/body_compression.h"
#include "core/index_layout.h"

#include "tests/support/test_support.h"

namespace policy::testing {

IndexContents read_index(const std::filesystem::path& index) {
  IndexContents contents;
  try {
    Xapian::Database db(index.string());
    contents.opens = true;
    // An unreadable dictionary leaves every body unreadable: each document is then reported broken.
    BodyDictionary dictionary;
    try {
      dictionary = BodyDictionary(db.get_metadata(std::string(metadata_key::kBodyDictionary)));
    } catch (const std::runtime_error&) {
    }
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
      const Xapian::Document doc = db.get_document(*it);
      std::string id;
      try {
        id = StoredDocument::unserialise(doc.get_value(slot::kRecordHeader), doc.get_value(slot::kBody), dictionary).id;
      } catch (const std::exception&) {
      }
      const std::string id_term = std::string(prefix::kId) + id;
      Xapian::TermIterator term = doc.termlist_begin();
      term.skip_to(id_term);
      const bool has_id_term = term != doc.termlist_end() && *term == id_term;
      if (id.empty() || !has_id_term) {
        contents.broken.push_back("docid " + std::to_string(*it));
      } else {
        contents.ids.push_back(id);
      }
    }
  } catch (const Xapian::Error& e) {
    contents.opens = false;
    contents.open_error = e.get_description();
  }
  return contents;
}

std::map<std::string, std::string> snapshot_files(const std::filesystem::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) files[entry.path().lexically_relative(dir).string()] = read_file(entry.path());
  }
  return files;
}

}  // namespace policy::testing
