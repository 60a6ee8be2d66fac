#include "indexer/office_reader.h"

#include <algorithm>
#include <climits>
#include <memory>
#include <new>
#include <optional>
#include <set>
#include <unordered_map>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <zip.h>

#include "core/utf8.h"

#include "indexer/libxml2_text.h"

namespace policy {
namespace {

constexpr std::uint64_t kMiB = 1ull << 20;
// Below this size an entry may inflate at any ratio: small XML parts of
// repeated markup compress very well.
constexpr std::uint64_t kRatioCheckedFrom = kMiB;
constexpr std::size_t kReadChunk = 64 * 1024;
// Spaces one text:s may stand for: text:c is the file's word, not a size.
constexpr long kMaxSpaceRun = 100;

constexpr std::string_view kOleSignature = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

std::string format_size(std::uint64_t bytes) {
  if (bytes >= kMiB && bytes % kMiB == 0) return std::to_string(bytes / kMiB) + " MiB";
  if (bytes >= 1024 && bytes % 1024 == 0) return std::to_string(bytes / 1024) + " KiB";
  return std::to_string(bytes) + " bytes";
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The first four-digit number 1900-2099 of a date, or 0.
int year_of(std::string_view date) {
  const auto digit = [&](std::size_t j) { return j < date.size() && date[j] >= '0' && date[j] <= '9'; };
  for (std::size_t i = 0; i + 4 <= date.size(); ++i) {
    if ((i > 0 && digit(i - 1)) || !digit(i) || !digit(i + 1) || !digit(i + 2) || !digit(i + 3) || digit(i + 4)) {
      continue;
    }
    const int year = std::stoi(std::string(date.substr(i, 4)));
    if (year >= 1900 && year <= 2099) return year;
  }
  return 0;
}

// "en-GB" -> "en"; "" unless the primary subtag is 2-3 ASCII letters naming
// a language ("zxx", no linguistic content, and "und", undetermined, do not).
std::string primary_language(std::string_view tag) {
  std::string lang = ascii_lower(collapse_spaces(tag.substr(0, tag.find_first_of("-_"))));
  const bool letters = lang.size() >= 2 && lang.size() <= 3 &&
                       std::all_of(lang.begin(), lang.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  if (!letters || lang == "zxx" || lang == "und" || lang == "mul") return {};
  return lang;
}

// ---------------------------------------------------------------------------
// Text with separators owed between its pieces.

// Ordered by strength: where several are owed, the strongest is written.
enum class Separator { kNone, kSpace, kTab, kLine, kBlock };

class TextBuilder {
 public:
  // Appends `text` as it is, after the separator owed.
  void append(std::string_view text) {
    if (text.empty()) return;
    flush();
    out_.append(text);
  }
  // Appends `text` with each run of whitespace owed as one space (ODF's
  // rule for text in paragraphs).
  void append_collapsing(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
      if (is_space(text[i])) {
        separate(Separator::kSpace);
        ++i;
        continue;
      }
      std::size_t end = i;
      while (end < text.size() && !is_space(text[end])) ++end;
      append(text.substr(i, end - i));
      i = end;
    }
  }
  void separate(Separator separator) { pending_ = std::max(pending_, separator); }
  // A blank line owed becomes a line end: consecutive list items.
  void soften_block() {
    if (pending_ == Separator::kBlock) pending_ = Separator::kLine;
  }
  std::string take() {
    pending_ = Separator::kNone;
    return std::move(out_);
  }

 private:
  void flush() {
    if (!out_.empty()) {
      switch (pending_) {
        case Separator::kNone:
          break;
        case Separator::kSpace:
          if (out_.back() != ' ' && out_.back() != '\t' && out_.back() != '\n') out_.push_back(' ');
          break;
        case Separator::kTab:
          out_.push_back('\t');
          break;
        case Separator::kLine:
          out_.push_back('\n');
          break;
        case Separator::kBlock:
          out_.append("\n\n");
          break;
      }
    }
    pending_ = Separator::kNone;
  }

  std::string out_;
  Separator pending_ = Separator::kNone;
};

// ---------------------------------------------------------------------------
// XML parts, streamed.

enum class Ns { kOther, kW, kMc, kCp, kDc, kDcTerms, kOffice, kText, kTable, kMeta, kStyle, kFo, kSvg };

Ns namespace_of(std::string_view uri) {
  static const std::unordered_map<std::string_view, Ns> kNamespaces = {
      {"http://schemas.openxmlformats.org/wordprocessingml/2006/main", Ns::kW},
      {"http://purl.oclc.org/ooxml/wordprocessingml/main", Ns::kW},  // strict OOXML
      {"http://schemas.openxmlformats.org/markup-compatibility/2006", Ns::kMc},
      {"http://schemas.openxmlformats.org/package/2006/metadata/core-properties", Ns::kCp},
      {"http://purl.org/dc/elements/1.1/", Ns::kDc},
      {"http://purl.org/dc/terms/", Ns::kDcTerms},
      {"urn:oasis:names:tc:opendocument:xmlns:office:1.0", Ns::kOffice},
      {"urn:oasis:names:tc:opendocument:xmlns:text:1.0", Ns::kText},
      {"urn:oasis:names:tc:opendocument:xmlns:table:1.0", Ns::kTable},
      {"urn:oasis:names:tc:opendocument:xmlns:meta:1.0", Ns::kMeta},
      {"urn:oasis:names:tc:opendocument:xmlns:style:1.0", Ns::kStyle},
      {"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0", Ns::kFo},
      {"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0", Ns::kSvg},
  };
  const auto found = kNamespaces.find(uri);
  return found == kNamespaces.end() ? Ns::kOther : found->second;
}

constexpr const char* kFoUri = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0";

std::string_view view(const xmlChar* s) { return s ? std::string_view(reinterpret_cast<const char*>(s)) : ""; }

// The element the reader stands on.
class Element {
 public:
  explicit Element(xmlTextReaderPtr reader)
      : reader_(reader),
        uri_(xmlTextReaderConstNamespaceUri(reader)),
        ns_(namespace_of(view(uri_))),
        name_(view(xmlTextReaderConstLocalName(reader))) {}

  bool is(Ns ns, std::string_view name) const { return ns_ == ns && name_ == name; }
  Ns ns() const { return ns_; }
  std::string_view name() const { return name_; }
  // The attribute `name` in the element's own namespace ("w:val" on a
  // w: element), or "".
  std::string attribute(const char* name) const { return attribute(name, reinterpret_cast<const char*>(uri_)); }
  std::string attribute(const char* name, const char* uri) const {
    xmlChar* value = xmlTextReaderGetAttributeNs(reader_, BAD_CAST name, BAD_CAST uri);
    std::string out(view(value));
    xmlFree(value);
    return out;
  }

 private:
  xmlTextReaderPtr reader_;
  const xmlChar* uri_;
  Ns ns_;
  std::string_view name_;
};

void ensure_libxml2_initialised() {
  // xmlInitParser is not safe to race; a function-local static runs it once.
  static const bool initialised = [] {
    xmlInitParser();
    return true;
  }();
  (void)initialised;
}

struct XmlError {
  std::string message;
  int line = 0;
  bool fatal = false;
};

void record_error(void* arg, xmlErrorPtr error) {
  auto* first = static_cast<XmlError*>(arg);
  if (error == nullptr || error->level < XML_ERR_ERROR) return;
  const bool fatal = error->level == XML_ERR_FATAL;
  if (!first->message.empty() && (first->fatal || !fatal)) return;
  first->message = libxml2_message(error->message ? error->message : "error");
  first->line = error->line;
  first->fatal = fatal;
}

struct PartWalk {
  bool read_an_element = false;
  std::string error;  // why libxml2 stopped before the end, or ""
};

// The role kSkip from Handler::enter leaves the element's subtree out.
constexpr int kSkip = -1;

// Streams the XML part `xml` through `handler`: enter(const Element&) ->
// role (kSkip leaves the subtree out), leave(role) after the element's
// content (at once for an empty element), text(std::string_view) for text
// nodes outside left-out subtrees, and done() -> true to stop early.
template <typename Handler>
PartWalk walk_part(std::string_view xml, std::string_view name, Handler& handler) {
  PartWalk walk;
  if (xml.size() > static_cast<std::size_t>(INT_MAX)) {
    walk.error = std::string(name) + ": larger than 2 GiB";
    return walk;
  }
  ensure_libxml2_initialised();
  const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
  const std::unique_ptr<xmlTextReader, decltype(&xmlFreeTextReader)> reader(
      xmlReaderForMemory(xml.data(), static_cast<int>(xml.size()), nullptr, nullptr, options), &xmlFreeTextReader);
  if (!reader) throw std::bad_alloc();
  XmlError first_error;
  xmlTextReaderSetStructuredErrorHandler(reader.get(), &record_error, &first_error);

  std::vector<int> open_roles;
  int status = xmlTextReaderRead(reader.get());
  while (status == 1 && !handler.done()) {
    bool skip = false;
    switch (xmlTextReaderNodeType(reader.get())) {
      case XML_READER_TYPE_ELEMENT: {
        walk.read_an_element = true;
        const int role = handler.enter(Element(reader.get()));
        if (role == kSkip) {
          skip = !xmlTextReaderIsEmptyElement(reader.get());
        } else if (xmlTextReaderIsEmptyElement(reader.get())) {
          handler.leave(role);
        } else {
          open_roles.push_back(role);
        }
        break;
      }
      case XML_READER_TYPE_END_ELEMENT:
        if (!open_roles.empty()) {
          const int role = open_roles.back();
          open_roles.pop_back();
          handler.leave(role);
        }
        break;
      case XML_READER_TYPE_TEXT:
      case XML_READER_TYPE_CDATA:
      case XML_READER_TYPE_WHITESPACE:
      case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
        handler.text(view(xmlTextReaderConstValue(reader.get())));
        break;
      default:
        break;
    }
    status = skip ? xmlTextReaderNext(reader.get()) : xmlTextReaderRead(reader.get());
  }
  if (status < 0) {
    walk.error = std::string(name) + ": XML error";
    if (first_error.line > 0) walk.error += " at line " + std::to_string(first_error.line);
    if (!first_error.message.empty()) walk.error += ": " + first_error.message;
  }
  return walk;
}

// ---------------------------------------------------------------------------
// DOCX

bool is_heading_style(std::string_view style) {
  const std::string lower = ascii_lower(std::string(style));
  return lower.starts_with("heading") || lower == "title" || lower == "subtitle";
}

// Elements of word/document.xml, footnotes.xml and endnotes.xml left out
// with everything inside them: properties, deleted text, field codes.
bool is_left_out_in_docx(std::string_view name) {
  static const std::set<std::string_view> kLeftOut = {"rPr",      "sectPr",  "tblPr",     "tblGrid",      "trPr",
                                                      "tcPr",     "tblPrEx", "sdtPr",     "sdtEndPr",     "del",
                                                      "moveFrom", "delText", "instrText", "delInstrText", "fldData"};
  return kLeftOut.contains(name) || name.ends_with("Change");
}

// The text of the body, or of the notes, of a Word document.
class DocxTextHandler {
 public:
  enum Role { kOther, kParagraph, kParagraphProperties, kText, kTable, kRow, kCell, kNote };

  explicit DocxTextHandler(TextBuilder* out) : out_(out) {}

  int enter(const Element& e) {
    if (e.ns() == Ns::kMc) return e.name() == "Fallback" ? kSkip : kOther;
    if (e.ns() != Ns::kW) return kOther;  // drawings: their text boxes hold w:p
    const std::string_view name = e.name();
    if (in_properties_ > 0) return enter_paragraph_property(e);
    if (name == "body") found_body_ = true;
    if (name == "t") {
      ++in_text_element_;  // w:t is the only element whose text is read
      return kText;
    }
    if (name == "p") {
      // A paragraph may start inside another one, in a text box.
      out_->separate(table_depth_ > 0 ? Separator::kSpace : Separator::kBlock);
      paragraphs_.push_back({});
      return kParagraph;
    }
    if (name == "pPr") {
      ++in_properties_;
      return kParagraphProperties;
    }
    if (name == "tab" || name == "ptab") {
      out_->append("\t");
    } else if (name == "br" || name == "cr") {
      out_->separate(table_depth_ > 0 ? Separator::kSpace : Separator::kLine);
    } else if (name == "noBreakHyphen") {
      out_->append("-");
    } else if (name == "tbl") {
      ++table_depth_;
      out_->separate(table_depth_ == 1 ? Separator::kBlock : Separator::kTab);
      return kTable;
    } else if (name == "tr") {
      return kRow;
    } else if (name == "tc") {
      return kCell;
    } else if (name == "footnoteReference" || name == "endnoteReference") {
      auto& refs = name == "footnoteReference" ? footnote_refs_ : endnote_refs_;
      refs.push_back(e.attribute("id"));
    } else if (name == "footnote" || name == "endnote") {
      const std::string type = e.attribute("type");
      if (type == "separator" || type == "continuationSeparator" || type == "continuationNotice") return kSkip;
      note_id_ = e.attribute("id");
      body_out_ = out_;
      note_ = TextBuilder();
      out_ = &note_;
      return kNote;
    } else if (is_left_out_in_docx(name)) {
      return kSkip;
    }
    return kOther;
  }

  void leave(int role) {
    switch (role) {
      case kParagraph: {
        const Paragraph paragraph = paragraphs_.back();
        paragraphs_.pop_back();
        out_->separate(table_depth_ > 0 ? Separator::kSpace : Separator::kBlock);
        last_was_list_item_ = paragraph.list_item;
        break;
      }
      case kParagraphProperties:
        --in_properties_;
        break;
      case kText:
        --in_text_element_;
        break;
      case kTable:
        --table_depth_;
        out_->separate(table_depth_ == 0 ? Separator::kBlock : Separator::kTab);
        last_was_list_item_ = false;
        break;
      case kRow:
        out_->separate(table_depth_ == 1 ? Separator::kLine : Separator::kTab);
        break;
      case kCell:
        out_->separate(Separator::kTab);
        break;
      case kNote:
        notes_[note_id_] = note_.take();
        out_ = body_out_;
        break;
      default:
        break;
    }
  }

  void text(std::string_view text) {
    if (in_text_element_ == 0) return;
    // Line ends inside w:t are not line breaks (w:br is).
    while (!text.empty()) {
      const std::size_t end = std::min(text.find_first_of("\r\n"), text.size());
      out_->append(text.substr(0, end));
      if (end == text.size()) break;
      out_->append(" ");
      text.remove_prefix(end + 1);
    }
  }

  bool done() const { return false; }
  bool found_body() const { return found_body_; }

  const std::vector<std::string>& footnote_refs() const { return footnote_refs_; }
  const std::vector<std::string>& endnote_refs() const { return endnote_refs_; }
  // The text of each note of a notes part, by its w:id.
  const std::unordered_map<std::string, std::string>& notes() const { return notes_; }

 private:
  struct Paragraph {
    bool heading = false;
    bool list_item = false;
  };

  // Inside w:pPr only the style and the numbering matter.
  int enter_paragraph_property(const Element& e) {
    if (e.name() == "pPr") {
      ++in_properties_;
      return kParagraphProperties;
    }
    if (paragraphs_.empty()) return kSkip;
    Paragraph& paragraph = paragraphs_.back();
    if (e.name() == "pStyle") {
      paragraph.heading = is_heading_style(e.attribute("val"));
      return kSkip;
    }
    if (e.name() == "numPr") return kOther;
    // numId 0 takes a style's numbering away.
    if (e.name() == "numId" && e.attribute("val") != "0" && !paragraph.heading) {
      paragraph.list_item = true;
      if (table_depth_ == 0 && last_was_list_item_) out_->soften_block();
    }
    return kSkip;
  }

  TextBuilder* out_;
  TextBuilder* body_out_ = nullptr;
  std::vector<Paragraph> paragraphs_;  // open w:p, nested through text boxes
  int in_properties_ = 0;
  int in_text_element_ = 0;
  int table_depth_ = 0;
  bool last_was_list_item_ = false;
  bool found_body_ = false;
  std::vector<std::string> footnote_refs_, endnote_refs_;
  std::string note_id_;
  TextBuilder note_;
  std::unordered_map<std::string, std::string> notes_;
};

// ---------------------------------------------------------------------------
// ODT

class OdtTextHandler {
 public:
  enum Role { kOther, kOfficeText, kParagraph, kList, kListItem, kTable, kRow, kCell, kNoteBody };

  int enter(const Element& e) {
    if (e.ns() == Ns::kOffice) {
      if (e.name() == "text") {
        ++in_office_text_;
        found_office_text_ = true;
        return kOfficeText;
      }
      return e.name() == "annotation" || e.name() == "annotation-end" ? kSkip : kOther;
    }
    if (in_office_text_ == 0) return kOther;
    if (e.ns() == Ns::kSvg) return e.name() == "title" || e.name() == "desc" ? kSkip : kOther;
    Context& c = contexts_.back();
    if (e.ns() == Ns::kTable) {
      if (e.name() == "table") {
        ++c.table_depth;
        c.out->separate(c.table_depth == 1 ? Separator::kBlock : Separator::kTab);
        return kTable;
      }
      if (e.name() == "table-row") return kRow;
      if (e.name() == "table-cell" || e.name() == "covered-table-cell") return kCell;
      return kOther;
    }
    if (e.ns() != Ns::kText) return kOther;
    const std::string_view name = e.name();
    if (name == "p" || name == "h") {
      ++in_paragraph_;
      // A paragraph may start inside another one, in a frame's text box.
      c.out->separate(paragraph_separator(c));
      return kParagraph;
    }
    if (name == "list") {
      if (c.table_depth == 0 && c.list_item_depth == 0) c.out->separate(Separator::kBlock);
      return kList;
    }
    if (name == "list-item" || name == "list-header") {
      ++c.list_item_depth;
      return kListItem;
    }
    if (name == "s") {
      if (in_paragraph_ > 0) c.out->append(std::string(space_count(e.attribute("c")), ' '));
      return kSkip;
    }
    if (name == "tab") {
      if (in_paragraph_ > 0) c.out->append("\t");
      return kSkip;
    }
    if (name == "line-break") {
      c.out->separate(c.table_depth > 0 ? Separator::kSpace : Separator::kLine);
      return kSkip;
    }
    if (name == "note-body") {
      contexts_.push_back({&notes_});
      return kNoteBody;
    }
    if (name == "note-citation" || name == "tracked-changes" || name.ends_with("-source") || name.ends_with("-decls")) {
      return kSkip;
    }
    return kOther;
  }

  void leave(int role) {
    Context& c = contexts_.back();
    switch (role) {
      case kOfficeText:
        --in_office_text_;
        break;
      case kParagraph:
        --in_paragraph_;
        c.out->separate(paragraph_separator(c));
        break;
      case kList:
        if (c.table_depth == 0) c.out->separate(c.list_item_depth > 0 ? Separator::kLine : Separator::kBlock);
        break;
      case kListItem:
        --c.list_item_depth;
        c.out->separate(c.table_depth > 0 ? Separator::kSpace : Separator::kLine);
        break;
      case kTable:
        --c.table_depth;
        c.out->separate(c.table_depth == 0 ? Separator::kBlock : Separator::kTab);
        break;
      case kRow:
        c.out->separate(c.table_depth == 1 ? Separator::kLine : Separator::kTab);
        break;
      case kCell:
        c.out->separate(Separator::kTab);
        break;
      case kNoteBody:
        notes_.separate(Separator::kBlock);
        if (contexts_.size() > 1) contexts_.pop_back();
        break;
      default:
        break;
    }
  }

  void text(std::string_view text) {
    if (in_office_text_ > 0 && in_paragraph_ > 0) contexts_.back().out->append_collapsing(text);
  }

  bool done() const { return false; }
  bool found_office_text() const { return found_office_text_; }

  // The body, then the notes.
  std::string take_text() {
    std::string text = body_.take();
    std::string notes = notes_.take();
    if (!text.empty() && !notes.empty()) text += "\n\n";
    return text + notes;
  }

 private:
  struct Context {
    TextBuilder* out;
    int table_depth = 0;
    int list_item_depth = 0;
  };

  static Separator paragraph_separator(const Context& c) {
    if (c.table_depth > 0) return Separator::kSpace;
    return c.list_item_depth > 0 ? Separator::kLine : Separator::kBlock;
  }

  static std::size_t space_count(const std::string& count) {
    if (count.empty()) return 1;
    long n = 0;
    for (char c : count) {
      if (c < '0' || c > '9') return 1;
      n = std::min(n * 10 + (c - '0'), kMaxSpaceRun);
    }
    return static_cast<std::size_t>(n);
  }

  TextBuilder body_, notes_;
  std::vector<Context> contexts_ = {{&body_}};  // the body, and a note's body inside it
  int in_office_text_ = 0;
  int in_paragraph_ = 0;
  bool found_office_text_ = false;
};

// ---------------------------------------------------------------------------
// Properties

struct PropertyField {
  Ns ns;
  std::string_view name;
  std::string* value;
  bool repeated = false;  // several elements, joined by ", "
};

// The text of the first element of each field (of every one, for repeated
// fields), whitespace collapsed.
class PropertiesHandler {
 public:
  explicit PropertiesHandler(std::vector<PropertyField> fields) : fields_(std::move(fields)) {}

  int enter(const Element& e) {
    if (current_ != nullptr) return kNested;
    for (const PropertyField& field : fields_) {
      if (!e.is(field.ns, field.name)) continue;
      if (!field.repeated && !field.value->empty()) return kSkip;
      current_ = &field;
      buffer_.clear();
      return kField;
    }
    return kNested;
  }
  void leave(int role) {
    if (role != kField) return;
    const std::string value = collapse_spaces(buffer_);
    std::string& dest = *current_->value;
    if (!value.empty()) dest += (dest.empty() ? "" : ", ") + value;
    current_ = nullptr;
  }
  void text(std::string_view text) {
    if (current_ != nullptr && buffer_.size() < 64 * 1024) buffer_.append(text);
  }
  bool done() const { return false; }

 private:
  static constexpr int kNested = 0;
  static constexpr int kField = 1;
  std::vector<PropertyField> fields_;
  const PropertyField* current_ = nullptr;
  std::string buffer_;
};

// The document's default language from its styles part: w:lang in
// w:docDefaults (DOCX), fo:language of the default paragraph style (ODT).
class DefaultLanguageHandler {
 public:
  int enter(const Element& e) {
    if (e.is(Ns::kW, "docDefaults") || (e.is(Ns::kStyle, "default-style") && e.attribute("family") == "paragraph")) {
      ++in_defaults_;
      return kDefaults;
    }
    if (in_defaults_ == 0) return kOther;
    if (e.is(Ns::kW, "lang")) language_ = e.attribute("val");
    if (e.is(Ns::kStyle, "text-properties")) language_ = e.attribute("language", kFoUri);
    return kOther;
  }
  void leave(int role) {
    if (role == kDefaults) --in_defaults_;
  }
  void text(std::string_view) {}
  bool done() const { return !language_.empty(); }
  const std::string& language() const { return language_; }

 private:
  static constexpr int kOther = 0;
  static constexpr int kDefaults = 1;
  int in_defaults_ = 0;
  std::string language_;
};

// ---------------------------------------------------------------------------
// The zip archive.

struct PartBytes {
  bool found = false;
  std::string bytes;
  std::string problem;  // why a found part could not be read, or ""
};

class ZipArchive {
 public:
  ZipArchive(std::string_view bytes, const OfficeLimits& limits) : limits_(limits) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    if (source == nullptr) throw std::bad_alloc();
    archive_ = zip_open_from_source(source, ZIP_RDONLY, &error);
    if (archive_ == nullptr) {
      zip_source_free(source);
      const int code = zip_error_code_zip(&error);
      if (code == ZIP_ER_NOZIP) {
        refused_ =
            bytes.starts_with("PK\x03\x04") ? "truncated zip archive (no central directory)" : "not a zip archive";
      } else if (code == ZIP_ER_MEMORY) {
        zip_error_fini(&error);
        throw std::bad_alloc();
      } else {
        refused_ = std::string("damaged zip archive: ") + zip_error_strerror(&error);
      }
      zip_error_fini(&error);
      return;
    }
    zip_error_fini(&error);
    const zip_int64_t entries = zip_get_num_entries(archive_, 0);
    if (entries < 0 || static_cast<std::uint64_t>(entries) > limits_.max_entries) {
      refused_ = "too many zip entries: " + std::to_string(entries) + " (the limit is " +
                 std::to_string(limits_.max_entries) + ")";
    }
  }
  ~ZipArchive() {
    if (archive_ != nullptr) zip_discard(archive_);
  }
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  // Why the whole document is refused ("zip bomb: ..."), or "".
  const std::string& refused() const { return refused_; }

  // The part `name` (matched without regard to case), inflated within the
  // limits. Sets refused() for a zip bomb or an encrypted entry.
  PartBytes read(const std::string& name) {
    PartBytes part;
    if (!refused_.empty()) return part;
    const zip_int64_t index = zip_name_locate(archive_, name.c_str(), ZIP_FL_NOCASE);
    if (index < 0) return part;
    part.found = true;
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat_index(archive_, index, 0, &stat) != 0) {
      part.problem = name + ": " + zip_strerror(archive_);
      return part;
    }
    if ((stat.valid & ZIP_STAT_ENCRYPTION_METHOD) && stat.encryption_method != ZIP_EM_NONE) {
      refused_ = "encrypted zip entry: " + name;
      return part;
    }
    const std::uint64_t compressed = (stat.valid & ZIP_STAT_COMP_SIZE) ? stat.comp_size : 0;
    // The declared size refuses a bomb before any inflating; the loop
    // below counts what is really produced.
    if ((stat.valid & ZIP_STAT_SIZE) && !within_limits(name, stat.size, compressed)) return part;

    const std::unique_ptr<zip_file_t, decltype(&zip_fclose)> file(zip_fopen_index(archive_, index, 0), &zip_fclose);
    if (!file) {
      const int code = zip_error_code_zip(zip_get_error(archive_));
      if (code == ZIP_ER_NOPASSWD || code == ZIP_ER_ENCRNOTSUPP || code == ZIP_ER_WRONGPASSWD) {
        refused_ = "encrypted zip entry: " + name;
      } else if (code == ZIP_ER_MEMORY) {
        throw std::bad_alloc();
      } else {
        part.problem = name + ": " + zip_strerror(archive_);
      }
      return part;
    }
    // The declared size is only a hint here, within the limit checked above.
    if (stat.valid & ZIP_STAT_SIZE) part.bytes.reserve(stat.size + 1);
    std::size_t size = 0;
    for (;;) {
      part.bytes.resize(size + kReadChunk);
      const zip_int64_t n = zip_fread(file.get(), part.bytes.data() + size, kReadChunk);
      if (n < 0) {
        part.problem = name + ": " + zip_file_strerror(file.get());
        part.bytes.clear();
        return part;
      }
      if (n == 0) break;
      size += static_cast<std::size_t>(n);
      if (!within_limits(name, size, compressed)) {
        part.bytes.clear();
        return part;
      }
    }
    part.bytes.resize(size);
    total_read_ += size;
    return part;
  }

 private:
  // False, with refused() set, when an entry of `compressed` bytes that
  // inflates to `inflated` bytes breaks a limit.
  bool within_limits(const std::string& name, std::uint64_t inflated, std::uint64_t compressed) {
    if (inflated > limits_.max_entry_bytes) {
      refused_ = "zip bomb: " + name + " inflates past " + format_size(limits_.max_entry_bytes);
    } else if (total_read_ + inflated > limits_.max_total_bytes) {
      refused_ = "zip bomb: the parts read inflate past " + format_size(limits_.max_total_bytes);
    } else if (inflated > kRatioCheckedFrom && static_cast<unsigned __int128>(inflated) >
                                                   static_cast<unsigned __int128>(compressed) * limits_.max_ratio) {
      refused_ = "zip bomb: " + name + " inflates more than " + std::to_string(limits_.max_ratio) +
                 " times its compressed size";
    }
    return refused_.empty();
  }

  const OfficeLimits& limits_;
  zip_t* archive_ = nullptr;
  std::string refused_;
  std::uint64_t total_read_ = 0;
};

// ---------------------------------------------------------------------------

// Walks a properties or styles part that may be absent; a problem is a
// warning.
template <typename Handler>
void walk_optional_part(ZipArchive& archive, const std::string& name, Handler& handler, OfficeDocument& document) {
  PartBytes part = archive.read(name);
  if (!part.problem.empty()) document.warnings.push_back(part.problem + "; not read");
  if (!part.found || part.bytes.empty()) return;
  const PartWalk walk = walk_part(part.bytes, name, handler);
  if (!walk.error.empty()) document.warnings.push_back(walk.error + "; the rest of the part is not read");
}

// Reads the main part through `handler`; false, with `refused` set, when
// there is no text part to read.
template <typename Handler>
bool walk_main_part(ZipArchive& archive, const std::string& name, const std::string& missing, Handler& handler,
                    OfficeDocument& document) {
  PartBytes part = archive.read(name);
  if (!archive.refused().empty()) return false;
  if (!part.found) {
    document.refused = missing;
    return false;
  }
  if (!part.problem.empty()) {
    document.refused = "damaged zip archive: " + part.problem;
    return false;
  }
  const PartWalk walk = walk_part(part.bytes, name, handler);
  if (!walk.read_an_element) {
    document.refused = walk.error.empty() ? name + " is empty" : walk.error;
    return false;
  }
  if (!walk.error.empty()) document.warnings.push_back(walk.error + "; the rest of the part is not read");
  return true;
}

// The text of the notes `refs` names, each once, in the order of `refs`.
void append_notes(const std::vector<std::string>& refs, const std::unordered_map<std::string, std::string>& notes,
                  std::string& text) {
  std::set<std::string> seen;
  for (const std::string& id : refs) {
    if (!seen.insert(id).second) continue;
    const auto note = notes.find(id);
    if (note == notes.end() || note->second.empty()) continue;
    if (!text.empty()) text += "\n\n";
    text += note->second;
  }
}

void read_docx(ZipArchive& archive, OfficeDocument& document) {
  TextBuilder body;
  DocxTextHandler handler(&body);
  if (!walk_main_part(archive, "word/document.xml", "not a Word document: no word/document.xml", handler, document)) {
    return;
  }
  if (!handler.found_body()) {
    document.refused = "not a Word document: no w:body in word/document.xml";
    return;
  }
  document.text = body.take();
  for (const auto& [part_name, refs] : {std::pair{"word/footnotes.xml", &handler.footnote_refs()},
                                        std::pair{"word/endnotes.xml", &handler.endnote_refs()}}) {
    if (refs->empty()) continue;
    TextBuilder unused;
    DocxTextHandler notes(&unused);
    walk_optional_part(archive, part_name, notes, document);
    append_notes(*refs, notes.notes(), document.text);
  }

  PropertiesHandler properties({{Ns::kDc, "title", &document.title},
                                {Ns::kDc, "creator", &document.author},
                                {Ns::kDc, "subject", &document.subject},
                                {Ns::kCp, "keywords", &document.keywords},
                                {Ns::kDc, "description", &document.description},
                                {Ns::kDc, "language", &document.language},
                                {Ns::kDcTerms, "created", &document.created},
                                {Ns::kDcTerms, "modified", &document.modified}});
  walk_optional_part(archive, "docProps/core.xml", properties, document);
  document.language = primary_language(document.language);
  if (document.language.empty()) {
    DefaultLanguageHandler styles;
    walk_optional_part(archive, "word/styles.xml", styles, document);
    document.language = primary_language(styles.language());
  }
}

constexpr std::string_view kOdtMimeType = "application/vnd.oasis.opendocument.text";

void read_odt(ZipArchive& archive, OfficeDocument& document) {
  if (PartBytes mimetype = archive.read("mimetype"); mimetype.found) {
    const std::string type = collapse_spaces(mimetype.bytes);
    // .odt, .ott (template) and .odm (master document) hold office:text.
    if (archive.refused().empty() && !type.starts_with(kOdtMimeType)) {
      document.refused = "not an OpenDocument text: its mimetype is " + type.substr(0, 100);
      return;
    }
  }
  // An encrypted package lists the encryption of its parts in the manifest;
  // their bytes are ciphertext.
  if (PartBytes manifest = archive.read("META-INF/manifest.xml");
      manifest.bytes.find("encryption-data") != std::string::npos) {
    document.refused = "encrypted OpenDocument (needs a password)";
    return;
  }
  OdtTextHandler handler;
  if (!walk_main_part(archive, "content.xml", "not an OpenDocument text: no content.xml", handler, document)) return;
  if (!handler.found_office_text()) {
    document.refused = "not an OpenDocument text: no office:text in content.xml";
    return;
  }
  document.text = handler.take_text();

  std::string creator;
  PropertiesHandler properties({{Ns::kDc, "title", &document.title},
                                {Ns::kMeta, "initial-creator", &document.author},
                                {Ns::kDc, "creator", &creator},
                                {Ns::kDc, "subject", &document.subject},
                                {Ns::kMeta, "keyword", &document.keywords, true},
                                {Ns::kDc, "description", &document.description},
                                {Ns::kDc, "language", &document.language},
                                {Ns::kMeta, "creation-date", &document.created},
                                {Ns::kDc, "date", &document.modified}});
  walk_optional_part(archive, "meta.xml", properties, document);
  if (document.author.empty()) document.author = creator;
  document.language = primary_language(document.language);
  if (document.language.empty()) {
    DefaultLanguageHandler styles;
    walk_optional_part(archive, "styles.xml", styles, document);
    document.language = primary_language(styles.language());
  }
}

// An OLE compound file: a password-protected OOXML document keeps its
// encrypted package in a stream named "EncryptedPackage".
std::string describe_ole(std::string_view bytes) {
  constexpr std::string_view kEncryptedPackage =
      std::string_view("E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0", 32);
  if (bytes.find(kEncryptedPackage) != std::string_view::npos) return "encrypted Office document (needs a password)";
  return "an OLE compound file (a Word 97-2003 document?), not a zip archive";
}

}  // namespace

OfficeDocument read_office(std::string_view bytes, OfficeFormat format, const OfficeLimits& limits) {
  OfficeDocument document;
  if (bytes.empty()) {
    document.refused = "empty file";
    return document;
  }
  if (bytes.starts_with(kOleSignature)) {
    document.refused = describe_ole(bytes);
    return document;
  }
  ZipArchive archive(bytes, limits);
  if (archive.refused().empty()) {
    if (format == OfficeFormat::kDocx) {
      read_docx(archive, document);
    } else {
      read_odt(archive, document);
    }
  }
  if (document.refused.empty()) document.refused = archive.refused();
  if (!document.refused.empty()) {
    OfficeDocument refused;
    refused.refused = std::move(document.refused);
    refused.warnings = std::move(document.warnings);
    return refused;
  }
  document.year = year_of(document.created);
  if (document.year == 0) document.year = year_of(document.modified);
  for (std::string* field : {&document.text, &document.title, &document.author, &document.subject, &document.keywords,
                             &document.description, &document.created, &document.modified}) {
    if (!is_valid_utf8(*field)) *field = repair_utf8(*field);
  }
  return document;
}

}  // namespace policy
