#include "indexer/html_reader.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <climits>
#include <memory>
#include <new>
#include <vector>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "core/utf8.h"

#include "indexer/libxml2_text.h"

namespace policy {
namespace {

constexpr std::size_t kBinarySniffBytes = 8192;
// Bytes searched for a charset declaration; without one the page is read as
// UTF-8 (libxml2 would assume ISO-8859-1).
constexpr std::size_t kCharsetSniffBytes = 4096;

using DocPtr = std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)>;

bool is_element(const xmlNode* node, const char* name) {
  return node->type == XML_ELEMENT_NODE && xmlStrcasecmp(node->name, BAD_CAST name) == 0;
}

bool is_one_of(const xmlNode* node, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    if (is_element(node, name)) return true;
  }
  return false;
}

// The value of attribute `name`, or "" (also when absent).
std::string attribute(const xmlNode* node, const char* name) {
  for (const xmlAttr* a = node->properties; a != nullptr; a = a->next) {
    if (xmlStrcasecmp(a->name, BAD_CAST name) != 0) continue;
    xmlChar* value = xmlNodeListGetString(node->doc, a->children, 1);
    std::string out = value ? reinterpret_cast<const char*>(value) : "";
    xmlFree(value);
    return out;
  }
  return {};
}

bool has_attribute(const xmlNode* node, const char* name) {
  for (const xmlAttr* a = node->properties; a != nullptr; a = a->next) {
    if (xmlStrcasecmp(a->name, BAD_CAST name) == 0) return true;
  }
  return false;
}

// Calls visit(node) for each node under `root` in document order, without
// recursion; visit returns false to leave the node's children out. Calls
// leave(node) after the children of each node visit returned true for.
template <typename Visit, typename Leave>
void walk(xmlNode* root, Visit visit, Leave leave) {
  xmlNode* node = root->children;
  while (node != nullptr) {
    const bool entered = visit(node);
    if (entered && node->children != nullptr) {
      node = node->children;
      continue;
    }
    if (entered) leave(node);
    for (;;) {
      if (node->next != nullptr) {
        node = node->next;
        break;
      }
      node = node->parent;
      if (node == root || node == nullptr) return;
      leave(node);
    }
  }
}

// Rule 3 of the header: class or id words that mark boilerplate.
bool has_boilerplate_name(const xmlNode* node) {
  static constexpr std::array<std::string_view, 9> kPrefixes = {"nav",    "menu",    "breadcrumb", "cookie", "banner",
                                                                "footer", "sidebar", "share",      "skip"};
  for (const char* name : {"class", "id"}) {
    const std::string value = ascii_lower(attribute(node, name));
    std::size_t i = 0;
    while (i < value.size()) {
      while (i < value.size() && !std::isalnum(static_cast<unsigned char>(value[i]))) ++i;
      std::size_t end = i;
      while (end < value.size() && std::isalnum(static_cast<unsigned char>(value[end]))) ++end;
      const std::string_view word = std::string_view(value).substr(i, end - i);
      for (std::string_view prefix : kPrefixes) {
        if (word.starts_with(prefix)) return true;
      }
      i = end;
    }
  }
  return false;
}

bool has_boilerplate_role(const xmlNode* node) {
  const std::string role = ascii_lower(attribute(node, "role"));
  return role == "navigation" || role == "contentinfo" || role == "banner" || role == "search" ||
         role == "complementary";
}

// Rule 2 of the header, without the role and <header> parts.
bool is_never_text(const xmlNode* node) {
  return is_one_of(node, {"head", "script", "style", "noscript", "template", "svg", "iframe", "object", "select",
                          "textarea", "button"}) ||
         has_attribute(node, "hidden") || ascii_lower(attribute(node, "aria-hidden")) == "true";
}

bool is_block(const xmlNode* node) {
  return is_one_of(node, {"p",       "div",     "h1",         "h2",         "h3",  "h4",     "h5",      "h6",
                          "section", "article", "main",       "blockquote", "pre", "ul",     "ol",      "dl",
                          "table",   "figure",  "figcaption", "address",    "hr",  "center", "details", "summary"});
}

bool is_line(const xmlNode* node) { return is_one_of(node, {"li", "tr", "dt", "dd", "br", "caption"}); }

// Collects text with the block structure of rule 4.
class TextBuilder {
 public:
  void text(std::string_view chunk, bool preformatted) {
    for (char c : chunk) {
      if (!preformatted && (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f')) {
        space_ = true;
        continue;
      }
      if (preformatted && c == '\n') {
        out_.push_back('\n');
        space_ = false;
        continue;
      }
      if (!out_.empty()) {
        if (breaks_ > 0) {
          out_.append(breaks_, '\n');
        } else if (space_ && out_.back() != '\n') {
          out_.push_back(tab_ ? '\t' : ' ');
        }
      }
      breaks_ = 0;
      space_ = false;
      tab_ = false;
      out_.push_back(c);
    }
  }
  void line_break(int count) { breaks_ = std::max(breaks_, count); }
  void cell() {
    space_ = true;
    tab_ = true;
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
  int breaks_ = 0;  // line ends owed before the next text
  bool space_ = false;
  bool tab_ = false;
};

struct PageParts {
  xmlNode* html = nullptr;
  xmlNode* body = nullptr;
  xmlNode* title = nullptr;
  xmlNode* main = nullptr;
  std::vector<xmlNode*> articles;
  std::vector<std::pair<std::string, std::string>> metas;  // lower-cased name or property, content
};

PageParts find_parts(xmlNode* root) {
  PageParts parts;
  int article_depth = 0;
  walk(
      root,
      [&](xmlNode* node) {
        if (node->type != XML_ELEMENT_NODE) return false;
        if (parts.html == nullptr && is_element(node, "html")) parts.html = node;
        if (parts.body == nullptr && is_element(node, "body")) parts.body = node;
        if (parts.title == nullptr && is_element(node, "title")) parts.title = node;
        if (parts.main == nullptr && (is_element(node, "main") || ascii_lower(attribute(node, "role")) == "main")) {
          parts.main = node;
        }
        if (is_element(node, "article")) {
          if (article_depth == 0) parts.articles.push_back(node);
          ++article_depth;
        }
        if (is_element(node, "meta")) {
          std::string key = attribute(node, "property");
          if (key.empty()) key = attribute(node, "name");
          if (!key.empty()) parts.metas.emplace_back(ascii_lower(key), attribute(node, "content"));
        }
        return true;
      },
      [&](xmlNode* node) {
        if (is_element(node, "article")) --article_depth;
      });
  return parts;
}

std::string meta(const PageParts& parts, std::string_view key) {
  for (const auto& [name, content] : parts.metas) {
    if (name == key) return collapse_spaces(content);
  }
  return {};
}

int year_of(std::string_view date) {
  for (std::size_t i = 0; i + 4 <= date.size(); ++i) {
    const auto digit = [&](std::size_t j) { return j < date.size() && date[j] >= '0' && date[j] <= '9'; };
    if ((i > 0 && digit(i - 1)) || !digit(i) || !digit(i + 1) || !digit(i + 2) || !digit(i + 3) || digit(i + 4)) {
      continue;
    }
    const int year = std::stoi(std::string(date.substr(i, 4)));
    if (year >= 1900 && year <= 2099) return year;
  }
  return 0;
}

std::string language_of(const xmlNode* html) {
  if (html == nullptr) return {};
  std::string lang = attribute(html, "lang");
  if (lang.empty()) lang = attribute(html, "xml:lang");
  lang = ascii_lower(lang.substr(0, lang.find_first_of("-_")));
  const bool letters = lang.size() >= 2 && lang.size() <= 3 &&
                       std::all_of(lang.begin(), lang.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  return letters ? lang : std::string();
}

// The text under `root` (rules 2-4).
std::string extract_text(xmlNode* root, bool main_content_only) {
  TextBuilder out;
  int pre_depth = 0;
  int content_depth = 0;  // inside <main>/<article> (or the root is one)
  const bool root_is_content = is_one_of(root, {"main", "article"}) || ascii_lower(attribute(root, "role")) == "main";
  walk(
      root,
      [&](xmlNode* node) {
        if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
          if (node->content != nullptr) out.text(reinterpret_cast<const char*>(node->content), pre_depth > 0);
          return false;
        }
        if (node->type != XML_ELEMENT_NODE) return false;
        if (is_never_text(node)) return false;
        if (main_content_only) {
          if (is_one_of(node, {"nav", "aside", "footer", "form"}) || has_boilerplate_role(node)) return false;
          if (is_element(node, "header") && content_depth == 0 && !root_is_content) return false;
          if (!is_one_of(node, {"html", "body", "main", "article"}) && has_boilerplate_name(node)) return false;
        }
        if (is_one_of(node, {"main", "article"})) ++content_depth;
        if (is_element(node, "pre")) ++pre_depth;
        if (is_block(node)) out.line_break(2);
        if (is_line(node)) out.line_break(1);
        if (is_one_of(node, {"td", "th"})) out.cell();
        return true;
      },
      [&](xmlNode* node) {
        if (node->type != XML_ELEMENT_NODE) return;
        if (is_one_of(node, {"main", "article"})) --content_depth;
        if (is_element(node, "pre")) --pre_depth;
        if (is_block(node)) out.line_break(2);
        if (is_one_of(node, {"li", "tr", "dt", "dd", "caption"})) out.line_break(1);
      });
  return out.take();
}

bool is_blank(std::string_view text) { return text.find_first_not_of(" \t\n\r\f\v") == std::string_view::npos; }

// "UTF-8" unless the bytes start with a byte-order mark or declare a charset
// near the start; then libxml2 decides.
const char* encoding_for(std::string_view bytes) {
  if (bytes.starts_with("\xEF\xBB\xBF") || bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) {
    return nullptr;
  }
  const std::string head = ascii_lower(std::string(bytes.substr(0, kCharsetSniffBytes)));
  return head.find("charset") != std::string::npos || head.find("encoding=") != std::string::npos ? nullptr : "UTF-8";
}

}  // namespace

HtmlPage read_html(std::string_view bytes, const HtmlOptions& options) {
  HtmlPage page;
  const bool utf16 = bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF");
  if (const std::size_t nul = bytes.substr(0, kBinarySniffBytes).find('\0'); !utf16 && nul != std::string_view::npos) {
    page.refused = "binary file (NUL byte at offset " + std::to_string(nul) + ")";
    return page;
  }
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) {
    page.refused = "larger than 2 GiB";
    return page;
  }
  if (is_blank(bytes)) return page;
  const int flags = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET;
  const std::unique_ptr<htmlParserCtxt, decltype(&htmlFreeParserCtxt)> context(htmlNewParserCtxt(),
                                                                               &htmlFreeParserCtxt);
  if (!context) throw std::bad_alloc();
  DocPtr doc(htmlCtxtReadMemory(context.get(), bytes.data(), static_cast<int>(bytes.size()), nullptr,
                                encoding_for(bytes), flags),
             &xmlFreeDoc);
  // A fatal error stops the parser (markup nested deeper than 256 levels);
  // the tree holds what came before it.
  if (context->disableSAX && context->lastError.level == XML_ERR_FATAL && context->lastError.message != nullptr) {
    page.stopped = libxml2_message(context->lastError.message);
  }
  xmlNode* root = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
  if (root == nullptr) {
    page.refused = "not HTML that libxml2 can parse";
    return page;
  }
  // The root element itself is visited through a parent: walk() starts at
  // the children of the node it is given.
  const PageParts parts = find_parts(reinterpret_cast<xmlNode*>(doc.get()));

  page.title = meta(parts, "og:title");
  if (page.title.empty() && parts.title != nullptr) {
    xmlChar* title = xmlNodeGetContent(parts.title);
    page.title = collapse_spaces(title ? reinterpret_cast<const char*>(title) : "");
    xmlFree(title);
  }
  for (const char* key :
       {"article:published_time", "citation_publication_date", "dc.date", "dcterms.modified", "date"}) {
    page.date = meta(parts, key);
    if (!page.date.empty()) break;
  }
  page.year = year_of(page.date);
  page.language = language_of(parts.html);

  xmlNode* body = parts.body != nullptr ? parts.body : root;
  if (options.main_content_only) {
    if (parts.main != nullptr) {
      page.text = extract_text(parts.main, true);
    } else {
      for (xmlNode* article : parts.articles) {
        std::string text = extract_text(article, true);
        if (is_blank(text)) continue;
        if (!page.text.empty()) page.text += "\n\n";
        page.text += text;
      }
    }
  }
  if (is_blank(page.text)) page.text = extract_text(body, options.main_content_only);
  // libxml2 produces UTF-8, but a page declaring the wrong charset may still
  // hold bytes that are not.
  if (!is_valid_utf8(page.text)) page.text = repair_utf8(page.text);
  if (!is_valid_utf8(page.title)) page.title = repair_utf8(page.title);
  return page;
}

}  // namespace policy
