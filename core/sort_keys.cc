#include "core/sort_keys.h"

#include <charconv>
#include <cstdio>
#include <memory>

#include <unicode/coll.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include "core/index_layout.h"

namespace policy {
namespace {

// Keys of documents that have the property start with '0', the others are
// "1": after all of them whichever the direction.
constexpr char kHas = '0';
const std::string kLacks = "1";

// The year in an encoded year slot (its first key): nullopt when empty or
// not a number.
std::optional<long> year_of(std::string_view encoded) {
  std::string_view key;
  bool first = true;
  for_each_field_value(encoded, [&](std::string_view k, std::optional<std::string_view>) {
    if (first) key = k;
    first = false;
  });
  long year = 0;
  const auto [at, error] = std::from_chars(key.data(), key.data() + key.size(), year);
  if (key.empty() || error != std::errc() || at != key.data() + key.size()) return std::nullopt;
  return year;
}

// ICU's root collator for this thread; null when ICU cannot make one (then
// titles sort by their bytes).
const icu::Collator* root_collator() {
  thread_local const std::unique_ptr<icu::Collator> collator = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Collator> made(icu::Collator::createInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status)) made.reset();
    return made;
  }();
  return collator.get();
}

}  // namespace

std::optional<Xapian::valueno> document_year_slot(const Schema& schema) {
  for (const FieldSpec& field : schema.fields()) {
    if (field.kind == FieldKind::kYear && !field.multi_valued && field.slot) return field.slot;
  }
  return std::nullopt;
}

std::string year_sort_key(std::string_view encoded_year, bool newest_first) {
  const std::optional<long> year = year_of(encoded_year);
  if (!year || *year < 0 || *year > 999999) return kLacks;
  // Six digits, complemented for newest first, so bytes compare as years.
  const long shown = newest_first ? 999999 - *year : *year;
  char digits[8];
  std::snprintf(digits, sizeof digits, "%06ld", shown);
  return std::string(1, kHas) + digits;
}

std::string title_sort_key(std::string_view title) {
  if (title.empty()) return kLacks;
  std::string key(1, kHas);
  const icu::Collator* collator = root_collator();
  if (!collator) return key + std::string(title);
  const icu::UnicodeString text =
      icu::UnicodeString::fromUTF8(icu::StringPiece(title.data(), static_cast<int32_t>(title.size())));
  const int32_t length = collator->getSortKey(text, nullptr, 0);
  std::string sort_key(static_cast<std::size_t>(length), '\0');
  collator->getSortKey(text, reinterpret_cast<uint8_t*>(sort_key.data()), length);
  if (!sort_key.empty() && sort_key.back() == '\0') sort_key.pop_back();  // ICU's terminator
  return key + sort_key;
}

}  // namespace policy
