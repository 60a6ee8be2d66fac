// The sort keys of a document, which the indexer writes into value slots
// (slot::kSortOldest, kSortNewest, kSortTitle: index_layout.h) so that
// results are sorted by value, by Xapian's matcher on one database or on a
// stub's shards, remote ones included (the remote backend refuses a
// KeyMaker).
//
// Keys compare bytewise, ascending; a document without the property (no
// year, no title) sorts after every document that has it, in both
// directions.
//
// Thread-safe: pure functions (the collator is one per thread).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <xapian.h>

#include "core/field_schema.h"

namespace policy {

// The value slot of the schema's document year: its first single-valued
// field of kind year that has a slot; nullopt when it has none.
std::optional<Xapian::valueno> document_year_slot(const Schema& schema);

// The key of a document whose year slot holds `encoded_year` (its first
// key is the year; empty: no year), oldest first or newest first.
std::string year_sort_key(std::string_view encoded_year, bool newest_first);

// The key of `title` in the root locale's collation order (case and
// accents second); an empty title sorts last.
std::string title_sort_key(std::string_view title);

}  // namespace policy
