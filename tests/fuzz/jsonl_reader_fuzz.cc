// libFuzzer target: the bytes of one .jsonl file through DocumentReader, and
// through decode_text as a .txt file would be.
//
// Invariants (document_reader.h): reading never throws; every document has
// a non-empty id of at most kMaxIdBytes, valid UTF-8 text with "\n" line
// ends within the document limit, a valid UTF-8 title and an object of
// metadata whose known fields are normalised; every diagnostic names the
// file and says something. decode_text gives valid UTF-8 without CR.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/utf8.h"

#include "indexer/document_reader.h"

#include "tests/fuzz/fuzz_support.h"

namespace {

using namespace policy;

// Small, so that short inputs reach the truncation path.
constexpr std::uint64_t kDocumentLimit = 512;

const fuzz::TempDir& scratch() {
  static const fuzz::TempDir dir("jsonl");
  return dir;
}

void check_document(const SourceDocument& doc, std::string_view input) {
  if (doc.id.empty()) fuzz::fail("document without an id", input);
  if (doc.id.size() > kMaxIdBytes) fuzz::fail("id longer than kMaxIdBytes", input);
  if (!is_valid_utf8(doc.text)) fuzz::fail("text is not valid UTF-8", input);
  if (doc.text.find('\r') != std::string::npos) fuzz::fail("text holds a CR", input);
  if (doc.text.size() > kDocumentLimit) fuzz::fail("text over the document limit", input);
  if (!is_valid_utf8(doc.title)) fuzz::fail("title is not valid UTF-8", input);
  if (!doc.metadata.is_object()) fuzz::fail("metadata is not an object", input);
  // Normalised already: a second pass finds nothing to report.
  nlohmann::json metadata = doc.metadata;
  std::vector<std::string> problems;
  normalize_metadata(metadata, problems);
  if (!problems.empty()) fuzz::fail("metadata not normalised: " + problems.front(), input);
  if (metadata != doc.metadata) fuzz::fail("normalize_metadata changed normalised metadata", input);
}

// A refusal says why by construction (DecodedText::ok() is "nothing refused").
void check_decode_text(std::string_view input) {
  const DecodedText decoded = decode_text(std::string(input));
  if (decoded.ok()) {
    if (!is_valid_utf8(decoded.text)) fuzz::fail("decode_text gave invalid UTF-8", input);
    if (decoded.text.find('\r') != std::string::npos) fuzz::fail("decode_text left a CR", input);
  } else if (!decoded.text.empty()) {
    fuzz::fail("decode_text refused but gave text", input);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::filesystem::path path = scratch().path() / "input.jsonl";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(input.data(), static_cast<std::streamsize>(input.size()));
    if (!out) fuzz::fail("cannot write " + path.string(), input);
  }
  InputFile file;
  file.path = path;
  file.id = "input.jsonl";
  file.kind = InputFile::Kind::kJsonl;
  file.size = size;

  ReaderOptions options;
  options.max_document_bytes = kDocumentLimit;
  DocumentReader reader(options, [&](Diagnostic&& d) {
    if (!d.location.starts_with(path.string())) fuzz::fail("diagnostic without the file: " + d.to_string(), input);
    if (d.message.empty()) fuzz::fail("diagnostic without a message: " + d.location, input);
  });
  try {
    reader.read(file, [&](SourceDocument&& doc) { check_document(doc, input); });
  } catch (const std::exception& e) {
    fuzz::fail(std::string("read() threw: ") + e.what(), input);
  }
  check_decode_text(input);
  return 0;
}
