// Word and OpenDocument files made at test time: zip archives built in
// memory with libzip from hand-written XML parts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace policy::testing {

struct ZipEntry {
  std::string name;
  std::string data;
  bool stored = false;        // no compression (an ODF package's mimetype)
  std::string password = "";  // AES-256 zip encryption when not empty
};

// The bytes of a zip archive holding `entries`, deflated at level 9.
std::string make_zip(const std::vector<ZipEntry>& entries);

// `zip` with the uncompressed size of entry `name` declared as `size` in
// its local and central headers: an archive that lies about its sizes.
std::string with_declared_size(std::string zip, std::string_view name, std::uint32_t size);

// word/document.xml with `body` inside w:body (the w: namespace declared).
std::string docx_document_xml(std::string_view body);
// word/footnotes.xml (or endnotes.xml with `element` "endnote") holding the
// two separator notes and `notes` (w:footnote elements).
std::string docx_notes_xml(std::string_view notes, std::string_view element = "footnote");
// docProps/core.xml with `properties` (dc:, cp:, dcterms: declared).
std::string docx_core_xml(std::string_view properties);
// A .docx: word/document.xml around `body`, and the extra parts (which
// replace those of the same name).
std::string make_docx(std::string_view body, std::vector<ZipEntry> extra = {});

// content.xml with `text` inside office:body/office:text.
std::string odt_content_xml(std::string_view text);
// meta.xml with `meta` inside office:meta.
std::string odt_meta_xml(std::string_view meta);
// An .odt: mimetype (stored, first), content.xml around `text`, a manifest,
// and the extra parts (which replace those of the same name).
std::string make_odt(std::string_view text, std::vector<ZipEntry> extra = {});

}  // namespace policy::testing
