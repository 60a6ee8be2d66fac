// PDF documents through poppler-cpp; the contract is in pdf_reader.h.

#include "indexer/pdf_reader.h"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

#include "core/utf8.h"

namespace policy {
namespace {

// The running-header rule (see pdf_reader.h).
constexpr std::size_t kEdgeLines = 2;
constexpr std::size_t kMinRepeatedPages = 3;
// Longer lines are body text, never a running header.
constexpr std::size_t kMaxHeaderBytes = 200;
// Messages kept from poppler for one document before they are only counted.
constexpr std::size_t kMaxCollectedMessages = 1000;

// ---------------------------------------------------------------------------
// poppler's messages. poppler-cpp hands every message to one process-wide
// function; it files them with the document being read on this thread.

thread_local std::vector<std::string>* t_poppler_messages = nullptr;
thread_local std::size_t t_dropped_messages = 0;

void collect_poppler_message(const std::string& message, void* /*closure*/) {
  if (t_poppler_messages == nullptr) return;
  if (t_poppler_messages->size() >= kMaxCollectedMessages) {
    ++t_dropped_messages;
    return;
  }
  t_poppler_messages->push_back(message);
}

void install_quiet_error_handler() {
  static std::once_flag once;
  std::call_once(once, [] { poppler::set_debug_error_function(collect_poppler_message, nullptr); });
}

// Collects poppler's messages on this thread while it lives.
class PopplerMessageScope {
 public:
  PopplerMessageScope() {
    install_quiet_error_handler();
    previous_ = t_poppler_messages;
    t_poppler_messages = &messages_;
    t_dropped_messages = 0;
  }
  ~PopplerMessageScope() { t_poppler_messages = previous_; }
  PopplerMessageScope(const PopplerMessageScope&) = delete;
  PopplerMessageScope& operator=(const PopplerMessageScope&) = delete;

  // "error (1234): Invalid XRef entry" -> "Invalid XRef entry".
  static std::string strip_prefix(const std::string& message) {
    std::string_view text = message;
    if (text.starts_with("error")) {
      const std::size_t colon = text.find(": ");
      if (colon != std::string_view::npos && colon < 32) text.remove_prefix(colon + 2);
    }
    return repair_utf8(text);
  }

  // Distinct messages in order of first appearance, at most
  // kMaxPopplerWarnings, then how many more there were.
  std::vector<std::string> warnings() const {
    std::vector<std::string> distinct;
    std::set<std::string> seen;
    std::size_t more = t_dropped_messages;
    for (const std::string& message : messages_) {
      std::string text = strip_prefix(message);
      if (!seen.insert(text).second) continue;
      if (distinct.size() < kMaxPopplerWarnings) {
        distinct.push_back("poppler: " + text);
      } else {
        ++more;
      }
    }
    if (more > 0) distinct.push_back("poppler: " + std::to_string(more) + " more messages");
    return distinct;
  }

  std::string first_message() const { return messages_.empty() ? std::string() : strip_prefix(messages_.front()); }

 private:
  std::vector<std::string> messages_;
  std::vector<std::string>* previous_ = nullptr;
};

// ---------------------------------------------------------------------------
// Strings.

std::string to_utf8(const poppler::ustring& text) {
  const poppler::byte_array bytes = text.to_utf8();
  return repair_utf8(std::string_view(bytes.data(), bytes.size()));
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ascii_lower(char c) { return c >= 'a' && c <= 'z'; }
// Bytes of non-ASCII characters count as letters, as in text_cleaner.
bool is_letter_byte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u >= 0x80;
}

// Runs of ASCII whitespace (and the Unicode spaces) as one space, trimmed.
std::string collapse_whitespace(std::string_view text) {
  std::string out;
  bool pending_space = false;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t space = is_space(text[i]) ? 1 : unicode_space_length(text, i);
    if (space > 0) {
      pending_space = !out.empty();
      i += space;
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(text[i++]);
  }
  return out;
}

bool is_blank(std::string_view line) {
  return std::all_of(line.begin(), line.end(), [](char c) { return is_space(c); });
}

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    lines.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// The lines joined by "\n", without blank lines at either end.
std::string join_lines(const std::vector<std::string>& lines) {
  std::size_t first = 0, last = lines.size();
  while (first < last && is_blank(lines[first])) ++first;
  while (last > first && is_blank(lines[last - 1])) --last;
  std::string text;
  for (std::size_t i = first; i < last; ++i) {
    if (i > first) text.push_back('\n');
    text += lines[i];
  }
  return text;
}

// poppler's page text: "\n" line ends, no form feed, valid UTF-8.
std::string normalize_page_text(std::string_view text) {
  std::string lines = normalize_line_ends(text);
  std::erase(lines, '\f');
  if (is_blank(lines)) return {};
  return join_lines(split_lines(lines));
}

// ---------------------------------------------------------------------------
// Running headers and footers.

// The line with whitespace collapsed and every run of digits as "#":
// "Strategy 2016 – page 3" -> "Strategy # – page #".
std::string header_key(std::string_view line) {
  const std::string collapsed = collapse_whitespace(line);
  std::string key;
  for (std::size_t i = 0; i < collapsed.size(); ++i) {
    if (is_digit(collapsed[i])) {
      if (key.empty() || key.back() != '#') key.push_back('#');
      while (i + 1 < collapsed.size() && is_digit(collapsed[i + 1])) ++i;
    } else {
      key.push_back(collapsed[i]);
    }
  }
  return key;
}

bool consume_number(std::string_view* s, std::size_t max_digits) {
  std::size_t n = 0;
  while (n < s->size() && is_digit((*s)[n])) ++n;
  if (n == 0 || n > max_digits) return false;
  s->remove_prefix(n);
  return true;
}

// "8", "Page 8", "page 8 of 20", "8 of 20", "- 8 -", "– 8 –": the forms
// text_cleaner removes as page numbers.
bool is_page_number_line(std::string_view line) {
  const std::string lower = ascii_lower(collapse_whitespace(line));
  std::string_view s = lower;
  if (s.size() > 32) return false;
  for (const std::string_view dash : {"-", "\xE2\x80\x93", "\xE2\x80\x94"}) {
    if (s.size() > 2 * dash.size() && s.starts_with(dash) && s.ends_with(dash)) {
      std::string_view inner = s.substr(dash.size(), s.size() - 2 * dash.size());
      while (!inner.empty() && inner.front() == ' ') inner.remove_prefix(1);
      while (!inner.empty() && inner.back() == ' ') inner.remove_suffix(1);
      return consume_number(&inner, 4) && inner.empty();
    }
  }
  if (s.starts_with("page ")) s.remove_prefix(5);
  if (!consume_number(&s, 4)) return false;
  if (s.empty()) return true;
  if (!s.starts_with(" of ")) return false;
  s.remove_prefix(4);
  return consume_number(&s, 4) && s.empty();
}

// Indexes of the first and last kEdgeLines non-blank lines.
std::vector<std::size_t> edge_lines(const std::vector<std::string>& lines) {
  std::vector<std::size_t> nonblank;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (!is_blank(lines[i])) nonblank.push_back(i);
  }
  std::vector<std::size_t> edges;
  for (std::size_t k = 0; k < nonblank.size(); ++k) {
    if (k < kEdgeLines || k + kEdgeLines >= nonblank.size()) edges.push_back(nonblank[k]);
  }
  return edges;
}

// A line that may be a running header or footer: short, and not ending like
// a sentence or clause (text_cleaner's R2 keeps such lines as content too).
bool may_be_running_line(std::string_view line) {
  if (line.size() > kMaxHeaderBytes) return false;
  while (!line.empty() && is_space(line.back())) line.remove_suffix(1);
  return !line.empty() && std::string_view(".,;:!?").find(line.back()) == std::string_view::npos;
}

void remove_headers_and_footers(std::vector<std::vector<std::string>>* pages) {
  std::map<std::string, std::size_t> pages_with_key;
  std::size_t pages_with_text = 0;
  for (const auto& lines : *pages) {
    const std::vector<std::size_t> edges = edge_lines(lines);
    if (edges.empty()) continue;
    ++pages_with_text;
    std::set<std::string> keys;
    for (const std::size_t i : edges) {
      if (may_be_running_line(lines[i])) keys.insert(header_key(lines[i]));
    }
    for (const std::string& key : keys) ++pages_with_key[key];
  }
  std::set<std::string> repeated;
  for (const auto& [key, count] : pages_with_key) {
    if (count >= kMinRepeatedPages && 2 * count >= pages_with_text) repeated.insert(key);
  }
  for (auto& lines : *pages) {
    std::vector<bool> drop(lines.size(), false);
    for (const std::size_t i : edge_lines(lines)) {
      const bool running = may_be_running_line(lines[i]) && repeated.contains(header_key(lines[i]));
      drop[i] = running || is_page_number_line(lines[i]);
    }
    std::vector<std::string> kept;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (!drop[i]) kept.push_back(std::move(lines[i]));
    }
    lines = std::move(kept);
  }
}

// ---------------------------------------------------------------------------
// Hyphenation across a page break.

// Index of the first (last) non-blank line, or lines.size().
std::size_t first_text_line(const std::vector<std::string>& lines) {
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (!is_blank(lines[i])) return i;
  }
  return lines.size();
}
std::size_t last_text_line(const std::vector<std::string>& lines) {
  for (std::size_t i = lines.size(); i > 0; --i) {
    if (!is_blank(lines[i - 1])) return i - 1;
  }
  return lines.size();
}

void trim_right(std::string* s) {
  while (!s->empty() && is_space(s->back())) s->pop_back();
}

// "environ-" ending a page and "mental ..." starting the next: the word
// moves onto the earlier page ("environmental"), as text_cleaner's R5 joins
// lines.
void join_hyphenation_across_pages(std::vector<std::vector<std::string>>* pages) {
  for (std::size_t p = 0; p + 1 < pages->size(); ++p) {
    auto& before = (*pages)[p];
    auto& after = (*pages)[p + 1];
    const std::size_t last = last_text_line(before);
    const std::size_t first = first_text_line(after);
    if (last == before.size() || first == after.size()) continue;
    std::string& tail = before[last];
    trim_right(&tail);
    const std::size_t n = tail.size();
    if (n < 3 || tail[n - 1] != '-' || !is_letter_byte(tail[n - 2]) || !is_letter_byte(tail[n - 3])) continue;
    std::string& head = after[first];
    std::size_t start = 0;
    while (start < head.size() && is_space(head[start])) ++start;
    if (start == head.size() || !is_ascii_lower(head[start])) continue;
    std::size_t end = start;
    while (end < head.size() && !is_space(head[end])) ++end;
    tail.pop_back();
    tail.append(head, start, end - start);
    while (end < head.size() && is_space(head[end])) ++end;
    head.erase(0, end);
    if (head.empty()) after.erase(after.begin() + static_cast<std::ptrdiff_t>(first));
  }
}

// ---------------------------------------------------------------------------
// Dates and language.

bool read_two_digits(std::string_view s, std::size_t* i, int* value) {
  if (*i + 2 > s.size() || !is_digit(s[*i]) || !is_digit(s[*i + 1])) return false;
  *value = (s[*i] - '0') * 10 + (s[*i + 1] - '0');
  *i += 2;
  return true;
}

std::string two_digits(int value) {
  char buffer[4];
  std::snprintf(buffer, sizeof buffer, "%02d", value);
  return buffer;
}

// The primary subtag of a language tag lower-cased, if 2 or 3 ASCII letters.
std::string primary_language(std::string_view tag) {
  std::string_view s = tag;
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  const std::size_t end = s.find_first_of("-_ \t\r\n");
  s = s.substr(0, end);
  if (s.size() < 2 || s.size() > 3) return {};
  std::string lower;
  for (const char c : s) {
    const char l = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (!is_ascii_lower(l)) return {};
    lower.push_back(l);
  }
  return lower;
}

// The value of a PDF string object at the start of `s` ("(en-GB)" or
// "<656E2D4742>"), bytes as they are; "" if it is neither.
std::string read_pdf_string(std::string_view s) {
  constexpr std::size_t kMaxLength = 64;
  if (s.starts_with("(")) {
    const std::size_t close = s.find(')');
    if (close == std::string_view::npos || close > kMaxLength) return {};
    return std::string(s.substr(1, close - 1));
  }
  if (s.starts_with("<") && !s.starts_with("<<")) {
    std::string bytes;
    int high = -1;
    for (std::size_t i = 1; i < s.size() && i < 2 * kMaxLength && s[i] != '>'; ++i) {
      const char c = s[i];
      int nibble = -1;
      if (is_digit(c)) nibble = c - '0';
      if (c >= 'a' && c <= 'f') nibble = c - 'a' + 10;
      if (c >= 'A' && c <= 'F') nibble = c - 'A' + 10;
      if (nibble < 0) continue;
      if (high < 0) {
        high = nibble;
      } else {
        bytes.push_back(static_cast<char>(high * 16 + nibble));
        high = -1;
      }
    }
    return bytes;
  }
  return {};
}

// /Lang of the catalog when the catalog is an uncompressed object; "" else
// (poppler-cpp has no call for it).
std::string catalog_language(std::string_view bytes) {
  constexpr std::size_t kMaxCatalogs = 16;
  constexpr std::size_t kMaxObjectBytes = 4096;
  std::size_t from = 0;
  for (std::size_t n = 0; n < kMaxCatalogs; ++n) {
    const std::size_t at = bytes.find("/Catalog", from);
    if (at == std::string_view::npos) break;
    from = at + 1;
    const std::size_t begin = at > kMaxObjectBytes ? at - kMaxObjectBytes : 0;
    const std::size_t object_start = bytes.substr(begin, at - begin).rfind(" obj");
    if (object_start == std::string_view::npos) continue;
    const std::string_view object = bytes.substr(begin + object_start, kMaxObjectBytes);
    std::string_view dictionary = object.substr(0, object.find("endobj"));
    const std::size_t lang = dictionary.find("/Lang");
    if (lang == std::string_view::npos) continue;
    dictionary.remove_prefix(lang + 5);
    while (!dictionary.empty() && is_space(dictionary.front())) dictionary.remove_prefix(1);
    std::string value = read_pdf_string(dictionary);
    // A UTF-16BE text string of ASCII: keep the low bytes.
    if (value.starts_with("\xFE\xFF")) {
      std::string ascii;
      for (std::size_t i = 3; i < value.size(); i += 2) ascii.push_back(value[i]);
      value = ascii;
    }
    std::string primary = primary_language(value);
    if (!primary.empty()) return primary;
  }
  return {};
}

// <dc:language><rdf:Bag><rdf:li>en-GB</rdf:li>... in the XMP metadata.
std::string xmp_language(std::string_view xmp) {
  const std::size_t element = xmp.find("<dc:language");
  if (element == std::string_view::npos) return {};
  const std::size_t item = xmp.find("<rdf:li", element);
  if (item == std::string_view::npos) return {};
  const std::size_t value = xmp.find('>', item);
  if (value == std::string_view::npos) return {};
  return primary_language(xmp.substr(value + 1, 16));
}

std::string info_text(const poppler::document& document, const char* key) {
  return collapse_whitespace(to_utf8(document.info_key(key)));
}

bool starts_with_pdf_header(std::string_view bytes) {
  // Readers accept the header anywhere in the first 1024 bytes.
  return bytes.substr(0, 1024).find("%PDF-") != std::string_view::npos;
}

}  // namespace

std::string pdf_date_to_iso8601(std::string_view pdf_date) {
  std::string_view s = pdf_date;
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  if (s.starts_with("D:")) s.remove_prefix(2);
  std::size_t i = 0;
  int century = 0, year_in_century = 0;
  if (!read_two_digits(s, &i, &century) || !read_two_digits(s, &i, &year_in_century)) return {};
  const int year = century * 100 + year_in_century;
  if (year < 1000 || year > 2999) return {};
  std::string iso = std::to_string(year);
  int month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_two_digits(s, &i, &month)) return iso;
  if (month < 1 || month > 12) return {};
  iso += "-" + two_digits(month);
  if (!read_two_digits(s, &i, &day)) return iso;
  if (day < 1 || day > 31) return {};
  iso += "-" + two_digits(day);
  if (!read_two_digits(s, &i, &hour)) return iso;
  if (hour > 23) return {};
  const bool has_minute = read_two_digits(s, &i, &minute);
  const bool has_second = has_minute && read_two_digits(s, &i, &second);
  if (minute > 59 || second > 60) return {};
  iso += "T" + two_digits(hour) + ":" + two_digits(minute);
  if (has_second) iso += ":" + two_digits(second);
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) return iso + "Z";
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    const char sign = s[i++];
    int offset_hours = 0, offset_minutes = 0;
    if (!read_two_digits(s, &i, &offset_hours) || offset_hours > 23) return iso;
    if (i < s.size() && s[i] == '\'') ++i;
    if (!read_two_digits(s, &i, &offset_minutes) || offset_minutes > 59) offset_minutes = 0;
    iso += sign + two_digits(offset_hours) + ":" + two_digits(offset_minutes);
  }
  return iso;
}

PdfDocument read_pdf(std::string_view bytes, const PdfOptions& options) {
  PdfDocument result;
  if (!starts_with_pdf_header(bytes)) {
    result.refused = "not a PDF";
    return result;
  }
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) {
    result.refused = "damaged PDF: larger than 2 GiB";
    return result;
  }
  PopplerMessageScope messages;
  try {
    std::unique_ptr<poppler::document> document(
        poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
    if (!document) {
      const std::string why = messages.first_message();
      result.refused = "damaged PDF: " + (why.empty() ? std::string("poppler cannot open it") : why);
      return result;
    }
    // poppler opens a file whose user password is empty (only an owner
    // password set) and reads it; a locked one needs the user password.
    if (document->is_locked()) {
      result.refused = "encrypted PDF (needs a password)";
      return result;
    }

    result.title = info_text(*document, "Title");
    result.author = info_text(*document, "Author");
    result.subject = info_text(*document, "Subject");
    result.keywords = info_text(*document, "Keywords");
    result.creation_date = pdf_date_to_iso8601(to_utf8(document->info_key("CreationDate")));
    result.modification_date = pdf_date_to_iso8601(to_utf8(document->info_key("ModDate")));
    const std::string& dated = result.creation_date.empty() ? result.modification_date : result.creation_date;
    if (!dated.empty()) result.year = std::stoi(dated.substr(0, 4));
    result.language = catalog_language(bytes);
    if (result.language.empty()) result.language = xmp_language(to_utf8(document->metadata()));

    const std::size_t page_count = static_cast<std::size_t>(std::max(document->pages(), 0));
    const std::size_t pages_read = std::min(page_count, options.max_pages);
    if (pages_read < page_count) {
      result.warnings.push_back("read the first " + std::to_string(pages_read) + " of " + std::to_string(page_count) +
                                " pages (max_pages)");
    }
    const auto layout = options.text_order == PdfTextOrder::kLayout ? poppler::page::non_raw_non_physical_layout
                                                                    : poppler::page::raw_order_layout;
    std::vector<std::vector<std::string>> page_lines;
    std::size_t failed_pages = 0;
    for (std::size_t i = 0; i < pages_read; ++i) {
      std::unique_ptr<poppler::page> page(document->create_page(static_cast<int>(i)));
      if (!page) {
        ++failed_pages;
        result.warnings.push_back("page " + std::to_string(i + 1) + " could not be read");
        page_lines.emplace_back();
        continue;
      }
      const std::string text = normalize_page_text(to_utf8(page->text(poppler::rectf(), layout)));
      if (text.empty()) ++result.pages_without_text;
      page_lines.push_back(text.empty() ? std::vector<std::string>() : split_lines(text));
    }
    if (pages_read > 0 && failed_pages == pages_read) {
      result.refused = "damaged PDF: no page could be read";
      return result;
    }
    result.no_text_layer = pages_read > 0 && result.pages_without_text + failed_pages == pages_read;

    remove_headers_and_footers(&page_lines);
    join_hyphenation_across_pages(&page_lines);
    result.pages.reserve(page_lines.size());
    for (const auto& lines : page_lines) result.pages.push_back(join_lines(lines));
  } catch (const std::bad_alloc&) {
    throw;  // out of memory is no damage of the file: the sandbox reports it as such
  } catch (const std::exception& e) {
    result.refused = std::string("damaged PDF: ") + e.what();
    result.pages.clear();
  }
  for (std::string& warning : messages.warnings()) result.warnings.push_back(std::move(warning));
  return result;
}

}  // namespace policy
