// Timestamps as the index and the reports record them.
//
// Thread-safe: pure functions (std::gmtime_r).
#pragma once

#include <ctime>
#include <string>

namespace policy {

// UTC, ISO 8601 to the second: "2026-12-05T01:22:29Z".
std::string utc_timestamp(std::time_t time);

// The time a report records: SOURCE_DATE_EPOCH when set (the
// reproducible-builds convention), so that two runs can be compared byte
// for byte; else now.
std::time_t reproducible_now();

}  // namespace policy
