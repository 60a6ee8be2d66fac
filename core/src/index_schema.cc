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

std::uint32_t get_varint(const std::vector<std::uint8_t>& in, std::size_t& pos) {
  std::uint32_t value = 0;
  for (int shift = 0; shift <= 28; shift += 7) {
    if (pos >= in.size()) throw std::runtime_error("stored offsets are truncated");
    const std::uint8_t byte = in[pos++];
    value |= static_cast<std::uint32_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return value;
  }
  throw std::runtime_error("stored offsets are corrupt");
}

}  // namespace

std::string StoredDocument::serialise() const {
  std::string packed_offsets;
  packed_offsets.reserve(offsets.size() * 2);
  std::uint32_t previous_end = 0;
  for (const TokenOffsets& o : offsets) {
    put_varint(packed_offsets, o.begin - previous_end);
    put_varint(packed_offsets, o.end - o.begin);
    previous_end = o.end;
  }
  nlohmann::json record = {
      {"v", kSchemaVersion},
      {"id", id},
      {"title", title},
      {"source", source},
      {"meta", metadata.is_object() ? metadata : nlohmann::json::object()},
      {"fields", fields.is_object() ? fields : nlohmann::json::object()},
      {"text", text},
      {"offsets", nlohmann::json::binary(std::vector<std::uint8_t>(packed_offsets.begin(),
                                                                    packed_offsets.end()))},
  };
  const std::vector<std::uint8_t> bytes = nlohmann::json::to_msgpack(record);
  return std::string(bytes.begin(), bytes.end());
}

StoredDocument StoredDocument::unserialise(const std::string& data) {
  nlohmann::json record;
  try {
    record = nlohmann::json::from_msgpack(data);
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("unreadable document record: ") + e.what());
  }
  if (!record.is_object() || record.value("v", 0) != kSchemaVersion) {
    throw std::runtime_error("document record has an unknown layout version");
  }
  StoredDocument doc;
  doc.id = record.value("id", "");
  doc.title = record.value("title", "");
  doc.source = record.value("source", "");
  doc.metadata = record.value("meta", nlohmann::json::object());
  doc.fields = record.value("fields", nlohmann::json::object());
  doc.text = record.value("text", "");
  const auto& packed = record.at("offsets").get_binary();
  std::size_t pos = 0;
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

std::string encode_field_values(const std::vector<std::pair<std::string, std::string>>& values) {
  // Control characters cannot be part of a value: they are the separators.
  const auto append_clean = [](std::string& out, const std::string& text) {
    for (char c : text) out.push_back(static_cast<unsigned char>(c) < 0x20 ? ' ' : c);
  };
  std::string out;
  for (const auto& [key, display] : values) {
    if (!out.empty()) out.push_back('\x1E');
    append_clean(out, key);
    out.push_back('\x1F');
    append_clean(out, display);
  }
  return out;
}

std::string schema_version_string() { return "policy-schema/" + std::to_string(kSchemaVersion); }

}  // namespace policy
