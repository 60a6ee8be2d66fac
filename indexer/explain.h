// policy-index --explain ID: how the fields of one indexed document were
// extracted, as JSON: its id, title, source, metadata and fields, and the
// extraction report (IndexReader::extraction_report(), recomputed from the
// stored text with the analyzer and schema the index was built with).
//
// Thread-safety: a function; reads the index as a searcher does, without
// taking the write lock.
#pragma once

#include <ostream>
#include <string>

namespace policy {

// Prints the explanation of document `id` of the index at `index_path` to
// `out` and returns kExitOk; when the index holds no such document, says so
// on `err` ("policy-index: no document ...") and returns
// kExitSomeInputsNotIndexed. Throws IndexError (or Xapian::Error) when the
// index cannot be read.
int explain_document(const std::string& index_path, const std::string& id, std::ostream& out, std::ostream& err);

}  // namespace policy
