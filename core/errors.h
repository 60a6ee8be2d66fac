// The error types of policy-search. One style throughout:
//
//  * A problem with one input (a document, a queries-file line, a batch
//    query) is a value recorded where the run reports it (Diagnostic,
//    BatchResult::error), and the run goes on.
//  * A problem that ends the command is an exception derived from Error,
//    thrown where it is found and caught once, in the program's main
//    (core/cli.h: run_guarded), which prints it and exits 2.
//
// Messages put their subject first, then the problem, then what to do:
//   "index 'idx' was built with ...; rebuild it: policy-index --rebuild ..."
//   "queries.csv:3: unknown column 'yaer'"
//
// Thread-safe: exception types.
#pragma once

#include <stdexcept>

namespace policy {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A problem in what was asked (a malformed query, a bad option or
// parameter), not in the index: reading the index again cannot change it,
// so IndexReader::retrying() never retries it.
class RequestError : public Error {
 public:
  using Error::Error;
};

// Work ended by its request's budget (searcher/request_budget.h): the
// deadline passed or the request was stopped. Reading the index again
// cannot help, so IndexReader::retrying() never retries it.
class BudgetSpentError : public Error {
 public:
  using Error::Error;
};

// The index itself: missing, locked by another writer, built with another
// analyzer or schema, unreadable or unwritable. The message names its path.
class IndexError : public Error {
 public:
  using Error::Error;
};

// Shards of a stub that cannot be opened or stopped answering (a remote
// one down, unreachable or past its timeout): the search is refused, not
// answered without their documents. The message names them.
class ShardUnavailableError : public IndexError {
 public:
  using IndexError::IndexError;
};

// A stored record, body or dictionary that this version cannot decode.
class CorruptDataError : public Error {
 public:
  using Error::Error;
};

// A file other than the index (queries file, report, output directory)
// that cannot be read or written. The message names the file.
class FileError : public Error {
 public:
  using Error::Error;
};

}  // namespace policy
