// Reading one value slot of every document of a database.
//
// Xapian's value stream reads a slot sequentially on a local database, but
// over a remote shard (xapian-tcpsrv) it costs one round trip per document:
// minutes for a slot of a million documents. The remote backend does carry
// a slot's value with each result as its collapse key, so one unweighted
// match of every document, collapsing on the slot with a limit no key
// reaches, returns the whole slot in one message per shard.
#pragma once

#include <functional>
#include <string_view>

#include <xapian.h>

namespace policy {

enum class SlotReading {
  kStream,  // Database::valuestream_begin: for local databases
  kMatch,   // one match per read, values as collapse keys: for remote shards
};

// Calls visit(docid, value) for each document of `db` after docid `after`
// that has a value in `slot` (Xapian treats an empty value as none), in
// ascending docid order. kMatch holds the whole slot in memory during the
// call, about 100 bytes per document. Like every read it may throw
// Xapian::DatabaseModifiedError or, for a remote shard, NetworkError.
void for_each_slot_value(const Xapian::Database& db, Xapian::valueno slot, SlotReading how, Xapian::docid after,
                         const std::function<void(Xapian::docid, std::string_view)>& visit);

}  // namespace policy
