// HTML escaping for the HTML report and its SVG charts.
//
// Thread-safe: a pure function.
#pragma once

#include <string>

namespace policy {

// Text escaped for HTML element content and attribute values; control
// characters other than tab, CR and LF, and DEL (not allowed in HTML),
// become spaces.
std::string html_escape(const std::string& text);

}  // namespace policy
