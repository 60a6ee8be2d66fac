// policy-index's exit codes, and their documentation as --help prints it.
// kExitFatal (2) is core/cli.h's, shared with policy-search: the code of a
// command that could not do its job, given by run_guarded().
//
// Thread-safe: constants.
#pragma once

#include "core/cli.h"

namespace policy {

inline constexpr int kExitOk = 0;
inline constexpr int kExitSomeInputsNotIndexed = 1;
// An interrupted run exits 128 + the signal's number, as a shell reports it.
inline constexpr int kExitSignalBase = 128;

inline constexpr const char* kIndexExitCodesHelp =
    "Exit codes:\n"
    "  0  every input was indexed (or was unchanged)\n"
    "  1  some inputs were skipped or failed (binary, empty, malformed, unreadable);\n"
    "     everything else was indexed and committed\n"
    "  2  fatal error: bad options, a schema file is invalid, the index cannot be\n"
    "     opened, is locked by another writer, or was built with another\n"
    "     analyzer/schema version, or a write failed (disk full, permissions);\n"
    "     what was committed before the failure is kept\n"
    "  130, 143  interrupted by SIGINT or SIGTERM: the documents read so far were\n"
    "     committed and the summary printed; run the same command again to finish\n";

}  // namespace policy
