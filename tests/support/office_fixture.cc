#include "tests/support/office_fixture.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <tuple>

#include <zip.h>

namespace policy::testing {
namespace {

void check(bool ok, const std::string& what) {
  if (!ok) throw std::runtime_error("office fixture: " + what);
}

constexpr const char* kWordNamespaces =
    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
    "xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" "
    "xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\" "
    "xmlns:v=\"urn:schemas-microsoft-com:vml\"";

constexpr const char* kOdfNamespaces =
    "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
    "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "
    "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
    "xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\" "
    "xmlns:svg=\"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0\" "
    "xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" "
    "xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\" "
    "xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\" "
    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" office:version=\"1.3\"";

void add_or_replace(std::vector<ZipEntry>& entries, std::vector<ZipEntry> extra) {
  for (ZipEntry& entry : extra) {
    const auto same =
        std::find_if(entries.begin(), entries.end(), [&](const ZipEntry& e) { return e.name == entry.name; });
    if (same != entries.end()) {
      *same = std::move(entry);
    } else {
      entries.push_back(std::move(entry));
    }
  }
}

}  // namespace

std::string make_zip(const std::vector<ZipEntry>& entries) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  check(buffer != nullptr, "zip_source_buffer_create");
  zip_source_keep(buffer);  // kept past zip_close, to read the archive's bytes
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  check(archive != nullptr, "zip_open_from_source");
  for (const ZipEntry& entry : entries) {
    // The data is copied: libzip reads its sources at zip_close (and does
    // not free an empty buffer).
    char* copy = nullptr;
    if (!entry.data.empty()) {
      copy = static_cast<char*>(malloc(entry.data.size()));
      std::copy(entry.data.begin(), entry.data.end(), copy);
    }
    zip_source_t* data = zip_source_buffer(archive, copy, entry.data.size(), copy != nullptr ? 1 : 0);
    check(data != nullptr, "zip_source_buffer");
    const zip_int64_t index = zip_file_add(archive, entry.name.c_str(), data, ZIP_FL_ENC_UTF_8);
    check(index >= 0, "zip_file_add " + entry.name);
    check(zip_set_file_compression(archive, index, entry.stored ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 9) == 0,
          "zip_set_file_compression");
    if (!entry.password.empty()) {
      check(zip_file_set_encryption(archive, index, ZIP_EM_AES_256, entry.password.c_str()) == 0,
            "zip_file_set_encryption");
    }
  }
  check(zip_close(archive) == 0, "zip_close");
  std::string bytes;
  check(zip_source_open(buffer) == 0, "zip_source_open");
  char chunk[65536];
  for (;;) {
    const zip_int64_t n = zip_source_read(buffer, chunk, sizeof chunk);
    check(n >= 0, "zip_source_read");
    if (n == 0) break;
    bytes.append(chunk, static_cast<std::size_t>(n));
  }
  zip_source_close(buffer);
  zip_source_free(buffer);
  return bytes;
}

std::string with_declared_size(std::string zip, std::string_view name, std::uint32_t size) {
  const auto put32 = [&](std::size_t at, std::uint32_t value) {
    for (int i = 0; i < 4; ++i) zip[at + i] = static_cast<char>((value >> (8 * i)) & 0xFF);
  };
  const auto get16 = [&](std::size_t at) {
    return static_cast<std::size_t>(static_cast<unsigned char>(zip[at])) |
           static_cast<std::size_t>(static_cast<unsigned char>(zip[at + 1])) << 8;
  };
  int patched = 0;
  // Local headers: name length at 26, name at 30, uncompressed size at 22.
  // Central directory headers: name length at 28, name at 46, size at 24.
  for (const auto& [signature, name_length_at, name_at, size_at] :
       {std::tuple{std::string_view("PK\x03\x04"), 26, 30, 22},
        std::tuple{std::string_view("PK\x01\x02"), 28, 46, 24}}) {
    for (std::size_t at = zip.find(signature); at != std::string::npos; at = zip.find(signature, at + 4)) {
      if (at + name_at > zip.size() || get16(at + name_length_at) != name.size()) continue;
      if (zip.compare(at + name_at, name.size(), name) != 0) continue;
      put32(at + size_at, size);
      ++patched;
    }
  }
  check(patched == 2, "with_declared_size: " + std::string(name) + " not found");
  return zip;
}

std::string docx_document_xml(std::string_view body) {
  return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document ") + kWordNamespaces +
         "><w:body>" + std::string(body) + "</w:body></w:document>";
}

std::string docx_notes_xml(std::string_view notes, std::string_view element) {
  const std::string e = "w:" + std::string(element);
  return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<") + e + "s " + kWordNamespaces + ">" + "<" + e +
         " w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/><w:t>SEPARATOR</w:t></w:r></w:p></" + e + ">" +
         "<" + e + " w:type=\"continuationSeparator\" w:id=\"0\"><w:p><w:r><w:continuationSeparator/>" +
         "<w:t>CONTINUATION</w:t></w:r></w:p></" + e + ">" + std::string(notes) + "</" + e + "s>";
}

std::string docx_core_xml(std::string_view properties) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
         "<cp:coreProperties "
         "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
         "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" "
         "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">" +
         std::string(properties) + "</cp:coreProperties>";
}

std::string make_docx(std::string_view body, std::vector<ZipEntry> extra) {
  std::vector<ZipEntry> entries = {
      {"[Content_Types].xml",
       "<?xml version=\"1.0\"?><Types "
       "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" "
       "ContentType=\"application/xml\"/></Types>"},
      {"word/document.xml", docx_document_xml(body)}};
  add_or_replace(entries, std::move(extra));
  return make_zip(entries);
}

std::string odt_content_xml(std::string_view text) {
  return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content ") + kOdfNamespaces +
         "><office:automatic-styles/><office:body><office:text>" + std::string(text) +
         "</office:text></office:body></office:document-content>";
}

std::string odt_meta_xml(std::string_view meta) {
  return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-meta ") + kOdfNamespaces +
         "><office:meta>" + std::string(meta) + "</office:meta></office:document-meta>";
}

std::string make_odt(std::string_view text, std::vector<ZipEntry> extra) {
  std::vector<ZipEntry> entries = {
      {"mimetype", "application/vnd.oasis.opendocument.text", true},
      {"META-INF/manifest.xml",
       "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest:manifest "
       "xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.3\">"
       "<manifest:file-entry manifest:full-path=\"/\" "
       "manifest:media-type=\"application/vnd.oasis.opendocument.text\"/>"
       "<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>"
       "</manifest:manifest>"},
      {"content.xml", odt_content_xml(text)}};
  add_or_replace(entries, std::move(extra));
  return make_zip(entries);
}

}  // namespace policy::testing
