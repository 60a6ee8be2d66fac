// Small indexes written from documents given in the test itself, with the
// real IndexWriter and the shipped schema (or one of the test's own).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/field_schema.h"

#include "indexer/document_reader.h"

namespace policy::testing {

// A document with source "test/ID" and no metadata.
SourceDocument source_document(std::string id, std::string title, std::string text);

// Writes `docs` into a new index at `index` and commits; the shipped
// schemas/ when `schema` is null.
void write_index(const std::filesystem::path& index, const std::vector<SourceDocument>& docs,
                 const Schema* schema = nullptr);

}  // namespace policy::testing
