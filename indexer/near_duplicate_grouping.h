// Near-duplicate groups of a whole index: which documents are versions of
// one text (a web page and the PDF of one strategy, a draft and its final
// version), recorded in each document so that results collapse on them.
//
// Each document carries its MinHash signature (slot::kSignature) and its
// band terms (prefix::kNearDuplicateBand), written by prepare_document().
// regroup_near_duplicates() reads every band term held by two or more
// documents, confirms each candidate pair with estimated_resemblance() >=
// the threshold, joins the pairs transitively (core/near_duplicates.h) and
// gives every member of a group of two or more its group id (the group's
// smallest document id, so the id of a group stays while that document is
// in it) in slot::kDuplicateGroup and the group's size in
// slot::kDuplicateGroupSize. A document in no group has neither value.
// Only documents whose group or size changed are rewritten, values only,
// so a pass over an unchanged index writes nothing; a document that leaves
// a group (its partner deleted or changed) loses its values.
//
// Time: one read of the band terms' names (kBands per document) plus the
// postings and signatures of the shared ones; memory: those documents.
//
// Thread-safety: one writer per database, as for any Xapian write.
#pragma once

#include <cstddef>

#include <xapian.h>

#include "core/near_duplicates.h"

namespace policy {

struct GroupingStats {
  std::size_t candidate_pairs = 0;      // pairs sharing a band, compared (each pair once per shared band)
  std::size_t groups = 0;               // groups of two or more documents
  std::size_t grouped_documents = 0;    // documents in those groups
  std::size_t rewritten_documents = 0;  // documents whose group values changed
  double seconds = 0;
};

// Regroups every document of `db`, its uncommitted changes included, and
// writes the changed group values without committing. Throws what Xapian
// throws on a failed read or write.
GroupingStats regroup_near_duplicates(Xapian::WritableDatabase& db, double threshold = kNearDuplicateThreshold);

}  // namespace policy
