#include "searcher/result_order.h"

#include <charconv>
#include <cstdio>

#include <unicode/coll.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include "core/errors.h"
#include "core/index_layout.h"

namespace policy {
namespace {

// Keys of documents that have the property start with '0', the others are
// "1": after all of them whichever the direction.
constexpr char kHas = '0';
const std::string kLacks = "1";

// The year in an encoded year slot (its first key): nullopt when empty or
// not a number.
std::optional<long> year_of(const std::string& encoded) {
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

}  // namespace

std::optional<ResultOrder> parse_result_order(std::string_view text) {
  if (text == "relevance") return ResultOrder::kRelevance;
  if (text == "year" || text == "oldest") return ResultOrder::kOldest;
  if (text == "-year" || text == "newest") return ResultOrder::kNewest;
  if (text == "title") return ResultOrder::kTitle;
  return std::nullopt;
}

std::string_view result_order_name(ResultOrder order) {
  switch (order) {
    case ResultOrder::kRelevance:
      return "relevance";
    case ResultOrder::kOldest:
      return "oldest";
    case ResultOrder::kNewest:
      return "newest";
    case ResultOrder::kTitle:
      return "title";
  }
  return "relevance";
}

std::optional<Xapian::valueno> document_year_slot(const Schema& schema) {
  for (const FieldSpec& field : schema.fields()) {
    if (field.kind == FieldKind::kYear && !field.multi_valued && field.slot) return field.slot;
  }
  return std::nullopt;
}

SortSpec sort_spec(ResultOrder order, const Schema& schema) {
  SortSpec sort{order, document_year_slot(schema)};
  if ((order == ResultOrder::kOldest || order == ResultOrder::kNewest) && !sort.year_slot) {
    throw RequestError("this index has no year field to sort by (its schema declares none)");
  }
  return sort;
}

std::unique_ptr<ResultSortKey> apply_sort(Xapian::Enquire& enquire, const SortSpec& sort) {
  if (sort.order == ResultOrder::kRelevance) return nullptr;
  auto key = std::make_unique<ResultSortKey>(sort.order, sort.year_slot);
  enquire.set_sort_by_key_then_relevance(key.get(), false);
  return key;
}

struct ResultSortKey::Collation {
  std::unique_ptr<icu::Collator> collator;
};

ResultSortKey::ResultSortKey(ResultOrder order, std::optional<Xapian::valueno> year_slot)
    : order_(order), year_slot_(year_slot), collation_(std::make_unique<Collation>()) {
  if (order_ == ResultOrder::kTitle) {
    UErrorCode status = U_ZERO_ERROR;
    collation_->collator.reset(icu::Collator::createInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status)) collation_->collator.reset();  // then titles sort by their bytes
  }
}

ResultSortKey::~ResultSortKey() = default;

std::string ResultSortKey::operator()(const Xapian::Document& doc) const {
  if (order_ == ResultOrder::kOldest || order_ == ResultOrder::kNewest) {
    if (!year_slot_) return kLacks;
    const std::optional<long> year = year_of(doc.get_value(*year_slot_));
    if (!year || *year < 0 || *year > 999999) return kLacks;
    // Six digits, complemented for newest first, so bytes compare as years.
    const long shown = order_ == ResultOrder::kOldest ? *year : 999999 - *year;
    char digits[8];
    std::snprintf(digits, sizeof digits, "%06ld", shown);
    return std::string(1, kHas) + digits;
  }
  const std::string header = doc.get_value(slot::kRecordHeader);
  if (header.empty()) return kLacks;
  const std::string title = StoredDocument::unserialise(header).title;
  if (title.empty()) return kLacks;
  std::string key(1, kHas);
  const icu::Collator* collator = collation_->collator.get();
  if (!collator) return key + title;
  const icu::UnicodeString text = icu::UnicodeString::fromUTF8(title);
  const int32_t length = collator->getSortKey(text, nullptr, 0);
  std::string sort_key(static_cast<std::size_t>(length), '\0');
  collator->getSortKey(text, reinterpret_cast<uint8_t*>(sort_key.data()), length);
  if (!sort_key.empty() && sort_key.back() == '\0') sort_key.pop_back();  // ICU's terminator
  return key + sort_key;
}

}  // namespace policy
