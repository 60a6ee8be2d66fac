// The web page's files (web/*.html, *.css, *.js), embedded in the program at
// build time by cmake/embed_files.cmake.
#pragma once

#include <string_view>
#include <vector>

namespace policy {

struct WebAsset {
  std::string_view name;  // "index.html", "app.js"
  std::string_view content_type;
  std::string_view content;
};

const std::vector<WebAsset>& web_assets();

}  // namespace policy
