#include "core/index_layout.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include "core/errors.h"

namespace policy {
namespace {

// LEB128 varints.
void put_varint(std::string& out, std::uint32_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

std::uint32_t get_varint(std::string_view in, std::size_t& pos) {
  // Most stored offset codes are 0: one byte.
  if (pos < in.size() && static_cast<std::uint8_t>(in[pos]) < 0x80) return static_cast<std::uint8_t>(in[pos++]);
  std::uint32_t value = 0;
  for (int shift = 0; shift <= 28; shift += 7) {
    if (pos >= in.size()) throw CorruptDataError("stored offsets are truncated");
    const auto byte = static_cast<std::uint8_t>(in[pos++]);
    value |= static_cast<std::uint32_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return value;
  }
  throw CorruptDataError("stored offsets are corrupt");
}

// A bound on the largest body a record can have (text sizes are 32 bits;
// each token, at least one byte of text, costs about two bytes of offset
// codes): what a corrupt frame header can make decompression allocate.
constexpr std::size_t kMaxBodyBytes = std::size_t{3} << 32;

// Token offsets are stored as corrections to a guess made from the text
// alone, as a cheap stand-in for the analyzer: a token begins at the first
// ASCII letter or digit, or non-ASCII byte, at or after the previous
// token's end, and ends where that run of ASCII letters and digits ends.
// Each token stores two varints: 0 where the guess is right (most English
// words), else its gap from the previous token's end, or its length, plus
// one. Guesses scan at most kGuessReach bytes, so decoding is linear.
constexpr std::uint32_t kGuessReach = 64;

// What the guesses need to know of a byte, as a table: decoding runs them
// over every byte of a document's text, for every snippet.
enum ByteClass : std::uint8_t { kGap = 0, kAsciiWord = 1, kNonAscii = 2 };
constexpr std::array<std::uint8_t, 256> kByteClass = [] {
  std::array<std::uint8_t, 256> table{};
  for (int c = 0; c < 256; ++c) {
    const bool word = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    table[c] = c >= 0x80 ? kNonAscii : word ? kAsciiWord : kGap;
  }
  return table;
}();

std::uint8_t byte_class(char c) { return kByteClass[static_cast<unsigned char>(c)]; }

std::uint32_t guess_begin(std::string_view text, std::uint32_t from) {
  const std::uint32_t limit = static_cast<std::uint32_t>(std::min<std::size_t>(text.size(), from + kGuessReach));
  while (from < limit && byte_class(text[from]) == kGap) ++from;
  return from;
}

std::uint32_t guess_end(std::string_view text, std::uint32_t begin) {
  const std::uint32_t limit = static_cast<std::uint32_t>(std::min<std::size_t>(text.size(), begin + kGuessReach));
  while (begin < limit && byte_class(text[begin]) == kAsciiWord) ++begin;
  return begin;
}

}  // namespace

namespace {

std::string to_msgpack(const nlohmann::json& record) {
  const std::vector<std::uint8_t> bytes = nlohmann::json::to_msgpack(record);
  return std::string(bytes.begin(), bytes.end());
}

nlohmann::json from_msgpack(const std::string& data, const char* part) {
  nlohmann::json record;
  try {
    record = nlohmann::json::from_msgpack(data);
  } catch (const nlohmann::json::exception& e) {
    throw CorruptDataError(std::string("unreadable document ") + part + ": " + e.what());
  }
  if (!record.is_object() || record.value("v", 0) != kSchemaVersion) {
    throw CorruptDataError(std::string("document ") + part + " has an unknown layout version");
  }
  return record;
}

}  // namespace

std::string StoredDocument::serialise_header() const {
  nlohmann::json header = {
      {"v", kSchemaVersion},
      {"id", id},
      {"title", title},
      {"source", source},
      {"meta", metadata.is_object() ? metadata : nlohmann::json::object()},
  };
  if (fields.is_object() && !fields.empty()) header["fields"] = fields;
  if (!page_starts.empty()) header["pages"] = page_starts;
  return to_msgpack(header);
}

// The body is binary, not MessagePack, so that reading it copies the text
// once: varint layout version, then one Zstandard frame (see
// body_compression.h) of: varint text size, the text, the offsets.
std::string StoredDocument::serialise_body(const BodyDictionary& dictionary) const {
  std::string raw;
  raw.reserve(text.size() + offsets.size() * 2 + 5);
  put_varint(raw, static_cast<std::uint32_t>(text.size()));
  raw += text;
  std::uint32_t previous_end = 0;
  for (const TokenOffsets& o : offsets) {
    put_varint(raw, o.begin == guess_begin(text, previous_end) ? 0 : o.begin - previous_end + 1);
    put_varint(raw, o.end == guess_end(text, o.begin) ? 0 : o.end - o.begin + 1);
    previous_end = o.end;
  }
  std::string body;
  put_varint(body, kSchemaVersion);
  body += dictionary.compress(raw);
  return body;
}

std::uint32_t StoredDocument::page_at(std::uint32_t offset) const {
  if (page_starts.empty()) return 0;
  // The last page starting at or before `offset`: of pages that start at
  // the same offset, all but the last are empty.
  const auto after = std::upper_bound(page_starts.begin(), page_starts.end(), offset);
  return static_cast<std::uint32_t>(std::max<std::ptrdiff_t>(after - page_starts.begin(), 1));
}

StoredDocument StoredDocument::read(const Xapian::Document& doc, const Schema& schema, const BodyDictionary& dictionary,
                                    bool with_text) {
  StoredDocument stored = unserialise(doc.get_value(slot::kRecordHeader),
                                      with_text ? doc.get_value(slot::kBody) : std::string(), dictionary);
  for (const FieldSpec& field : schema.fields()) {
    if (!field.slot) continue;
    const std::string encoded = doc.get_value(*field.slot);
    if (!encoded.empty()) stored.fields[field.name] = decode_field_displays(schema, field, encoded);
  }
  return stored;
}

StoredDocument StoredDocument::unserialise(const std::string& header, const std::string& body,
                                           const BodyDictionary& dictionary) {
  const nlohmann::json head = from_msgpack(header, "header");
  StoredDocument doc;
  doc.id = head.value("id", "");
  doc.title = head.value("title", "");
  doc.source = head.value("source", "");
  doc.metadata = head.value("meta", nlohmann::json::object());
  doc.fields = head.value("fields", nlohmann::json::object());
  if (const auto pages = head.find("pages"); pages != head.end()) {
    if (!pages->is_array()) throw CorruptDataError("document header has malformed page starts");
    doc.page_starts.reserve(pages->size());
    for (const nlohmann::json& start : *pages) {
      if (!start.is_number_unsigned() ||
          (!doc.page_starts.empty() && start.get<std::uint64_t>() < doc.page_starts.back()) ||
          start.get<std::uint64_t>() > std::numeric_limits<std::uint32_t>::max()) {
        throw CorruptDataError("document header has malformed page starts");
      }
      doc.page_starts.push_back(start.get<std::uint32_t>());
    }
  }
  if (body.empty()) return doc;
  std::size_t pos = 0;
  if (get_varint(body, pos) != static_cast<std::uint32_t>(kSchemaVersion)) {
    throw CorruptDataError("document text has an unknown layout version");
  }
  std::string raw = dictionary.decompress(std::string_view(body).substr(pos), kMaxBodyBytes);
  const std::string_view packed(raw);
  pos = 0;
  const std::uint32_t text_size = get_varint(packed, pos);
  if (text_size > packed.size() - pos) throw CorruptDataError("stored text is truncated");
  const std::size_t text_begin = pos;
  const std::string_view text = packed.substr(text_begin, text_size);
  pos += text_size;
  // Each token takes at least two bytes of codes.
  doc.offsets.reserve((packed.size() - pos) / 2);
  std::uint32_t previous_end = 0;
  const auto past_the_text = [] { return CorruptDataError("stored offsets point past the text"); };
  while (pos < packed.size()) {
    TokenOffsets o;
    const std::uint64_t begin_code = get_varint(packed, pos);
    const std::uint64_t begin = begin_code == 0 ? guess_begin(text, previous_end) : previous_end + begin_code - 1;
    if (begin > text.size()) throw past_the_text();
    o.begin = static_cast<std::uint32_t>(begin);
    const std::uint64_t end_code = get_varint(packed, pos);
    const std::uint64_t end = end_code == 0 ? guess_end(text, o.begin) : begin + end_code - 1;
    if (end > text.size()) throw past_the_text();
    o.end = static_cast<std::uint32_t>(end);
    doc.offsets.push_back(o);
    previous_end = o.end;
  }
  // The text is kept in the buffer it was decompressed into: no copy of a
  // long document's text for each snippet.
  raw.resize(text_begin + text_size);
  raw.erase(0, text_begin);
  doc.text = std::move(raw);
  return doc;
}

std::string encode_field_values(const Schema& schema, const FieldSpec& field,
                                const std::vector<std::pair<std::string, std::string>>& values) {
  const auto append_clean = [](std::string& out, const std::string& text) {
    for (char c : text) out.push_back(static_cast<unsigned char>(c) < 0x20 ? ' ' : c);
  };
  std::string out;
  for (const auto& [key, display] : values) {
    if (!out.empty()) out.push_back('\x1E');
    append_clean(out, key);
    if (display == schema.display(field, key)) continue;
    out.push_back('\x1F');
    append_clean(out, display);
  }
  return out;
}

nlohmann::json decode_field_displays(const Schema& schema, const FieldSpec& field, std::string_view encoded) {
  nlohmann::json displays = nlohmann::json::array();
  for_each_field_value(encoded, [&](std::string_view key, std::optional<std::string_view> display) {
    displays.push_back(display ? std::string(*display) : schema.display(field, std::string(key)));
  });
  return displays;
}

std::string stem_synonym_key(std::string_view language, std::string_view stem) {
  std::string key;
  if (language.empty()) {
    key.reserve(prefix::kStemmed.size() + stem.size());
    key.append(prefix::kStemmed);
  } else {
    key.reserve(prefix::kStemmedInLanguage.size() + language.size() + 1 + stem.size());
    key.append(prefix::kStemmedInLanguage).append(language).push_back(':');
  }
  key.append(stem);
  return key;
}

std::string schema_version_string() { return "policy-schema/" + std::to_string(kSchemaVersion); }

std::string rewrites_value(std::string_view last_rewrite, std::string_view build_id) {
  return std::string(last_rewrite) + " " + std::string(build_id);
}

std::optional<std::string> last_rewrite_of(std::string_view value, std::string_view build_id) {
  const std::size_t space = value.find(' ');
  if (space == 0 || space == std::string_view::npos || build_id.empty() || value.substr(space + 1) != build_id) {
    return std::nullopt;
  }
  return std::string(value.substr(0, space));
}

std::string near_duplicate_band_term(std::size_t band, std::uint64_t hash) {
  char digits[32];
  std::snprintf(digits, sizeof digits, "%02zu%016llx", band, static_cast<unsigned long long>(hash));
  return std::string(prefix::kNearDuplicateBand) + digits;
}

}  // namespace policy
