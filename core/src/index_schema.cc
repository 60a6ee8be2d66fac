#include "policy/index_schema.h"

#include <stdexcept>

namespace policy {
namespace {

// Offsets are delta-encoded LEB128 varints: begin relative to the previous
// token's end, then the token's length. Typical cost: 2 bytes per token.
void put_varint(std::string& out, std::uint32_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

std::uint32_t get_varint(std::string_view in, std::size_t& pos) {
  std::uint32_t value = 0;
  for (int shift = 0; shift <= 28; shift += 7) {
    if (pos >= in.size()) throw std::runtime_error("stored offsets are truncated");
    const auto byte = static_cast<std::uint8_t>(in[pos++]);
    value |= static_cast<std::uint32_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return value;
  }
  throw std::runtime_error("stored offsets are corrupt");
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
    throw std::runtime_error(std::string("unreadable document ") + part + ": " + e.what());
  }
  if (!record.is_object() || record.value("v", 0) != kSchemaVersion) {
    throw std::runtime_error(std::string("document ") + part + " has an unknown layout version");
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
  return to_msgpack(header);
}

// The body is binary, not MessagePack, so that reading it copies the text
// once: varint layout version, varint text size, the text, then the offsets.
std::string StoredDocument::serialise_body() const {
  std::string body;
  body.reserve(text.size() + offsets.size() * 2 + 10);
  put_varint(body, kSchemaVersion);
  put_varint(body, static_cast<std::uint32_t>(text.size()));
  body += text;
  std::uint32_t previous_end = 0;
  for (const TokenOffsets& o : offsets) {
    put_varint(body, o.begin - previous_end);
    put_varint(body, o.end - o.begin);
    previous_end = o.end;
  }
  return body;
}

StoredDocument StoredDocument::read(const Xapian::Document& doc, const Schema& schema, bool with_text) {
  StoredDocument stored = unserialise(doc.get_value(slot::kRecordHeader), with_text ? doc.get_data() : std::string());
  for (const FieldSpec& field : schema.fields()) {
    if (!field.slot) continue;
    const std::string encoded = doc.get_value(*field.slot);
    if (!encoded.empty()) stored.fields[field.name] = decode_field_displays(schema, field, encoded);
  }
  return stored;
}

StoredDocument StoredDocument::unserialise(const std::string& header, const std::string& body) {
  const nlohmann::json head = from_msgpack(header, "header");
  StoredDocument doc;
  doc.id = head.value("id", "");
  doc.title = head.value("title", "");
  doc.source = head.value("source", "");
  doc.metadata = head.value("meta", nlohmann::json::object());
  doc.fields = head.value("fields", nlohmann::json::object());
  if (body.empty()) return doc;
  std::size_t pos = 0;
  if (get_varint(body, pos) != static_cast<std::uint32_t>(kSchemaVersion)) {
    throw std::runtime_error("document text has an unknown layout version");
  }
  const std::uint32_t text_size = get_varint(body, pos);
  if (text_size > body.size() - pos) throw std::runtime_error("stored text is truncated");
  doc.text.assign(body, pos, text_size);
  pos += text_size;
  const std::string_view packed(body);
  std::uint32_t previous_end = 0;
  while (pos < packed.size()) {
    TokenOffsets o;
    o.begin = previous_end + get_varint(packed, pos);
    o.end = o.begin + get_varint(packed, pos);
    if (o.end > doc.text.size()) throw std::runtime_error("stored offsets point past the text");
    doc.offsets.push_back(o);
    previous_end = o.end;
  }
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

std::string schema_version_string() { return "policy-schema/" + std::to_string(kSchemaVersion); }

}  // namespace policy
