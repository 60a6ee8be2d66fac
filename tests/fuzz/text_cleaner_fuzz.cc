// libFuzzer target: clean_extracted_text on any bytes.
//
// Invariants (text_cleaner.h): the output has the promised shape; valid
// UTF-8 in gives valid UTF-8 out with no Unicode space separators left; the
// statistics are optional; and cleaning is idempotent.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/utf8.h"

#include "indexer/text_cleaner.h"

#include "tests/fuzz/fuzz_support.h"
#include "tests/support/invariants.h"

namespace {

using namespace policy;

// The Unicode spaces the cleaner collapses (query_syntax.h's list, without
// the ASCII ones).
constexpr std::string_view kUnicodeSpaces[] = {
    "\xC2\x85",     "\xC2\xA0",     "\xE1\x9A\x80", "\xE2\x80\x80", "\xE2\x80\x81", "\xE2\x80\x82", "\xE2\x80\x83",
    "\xE2\x80\x84", "\xE2\x80\x85", "\xE2\x80\x86", "\xE2\x80\x87", "\xE2\x80\x88", "\xE2\x80\x89", "\xE2\x80\x8A",
    "\xE2\x80\xA8", "\xE2\x80\xA9", "\xE2\x80\xAF", "\xE2\x81\x9F", "\xE3\x80\x80",
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  CleaningStats stats;
  const std::string once = clean_extracted_text(raw, &stats);
  fuzz::require(testing::cleaned_text_problem(once), "cleaned text", raw);
  if (clean_extracted_text(raw) != once) fuzz::fail("output depends on whether stats are asked for", raw);

  if (is_valid_utf8(raw)) {
    if (!is_valid_utf8(once)) fuzz::fail("valid UTF-8 in, invalid UTF-8 out", raw);
    for (std::string_view space : kUnicodeSpaces) {
      if (once.find(space) != std::string::npos) fuzz::fail("a Unicode space survived cleaning", raw);
    }
  }

  CleaningStats second;
  const std::string twice = clean_extracted_text(once, &second);
  if (twice != once) {
    fuzz::fail("not idempotent: second pass gave\n" + twice + "\nfirst pass gave\n" + once, raw);
  }
  const bool second_counted = second.artefact_lines_removed + second.page_number_lines_removed +
                                  second.boilerplate_lines_removed + second.hyphenations_joined +
                                  second.ordinals_joined + second.lines_joined >
                              0;
  if (second_counted || second.double_spaced) fuzz::fail("a pass that changed nothing reported changes", raw);
  return 0;
}
