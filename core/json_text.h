// Writing JSON for people and programs: the one way every command and the
// server turn a tree into text.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace policy {

// `value` as JSON text (`indent` as nlohmann::json::dump). A string that is
// not valid UTF-8 (a query's stray byte echoed back) is written with each
// invalid sequence replaced by U+FFFD, where dump() would throw: an answer
// always comes out.
inline std::string to_json_text(const nlohmann::json& value, int indent = -1) {
  return value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace policy
