#include "core/field_extractor.h"

#include <algorithm>
#include <regex>

#include "core/json_text.h"
#include "core/language.h"
#include "core/utf8.h"

namespace policy {
namespace {

constexpr std::size_t kDatedLineWindow = 30;  // lines searched for "Updated: ... 2016"
constexpr int kFirstYear = 1900;
constexpr int kLastYear = 2099;

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "EPA’s" -> "EPA": acronyms are matched on the written word without a possessive.
std::string_view without_possessive(std::string_view word) {
  for (std::string_view suffix : {"'s", "\xE2\x80\x99s", "'", "\xE2\x80\x99"}) {
    if (word.size() > suffix.size() && word.ends_with(suffix)) return word.substr(0, word.size() - suffix.size());
  }
  return word;
}

bool matches_at(const std::vector<Token>& tokens, std::size_t i, const std::vector<std::string>& terms) {
  if (i + terms.size() > tokens.size()) return false;
  for (std::size_t k = 0; k < terms.size(); ++k) {
    if (tokens[i + k].term != terms[k]) return false;
  }
  return true;
}

// Adds `value` to `out`, merging with an existing value of the same key.
void merge_value(std::vector<FieldValue>& out, FieldValue value) {
  for (FieldValue& existing : out) {
    if (existing.key == value.key) {
      existing.mentions += value.mentions;
      existing.evidence.insert(existing.evidence.end(), value.evidence.begin(), value.evidence.end());
      return;
    }
  }
  out.push_back(std::move(value));
}

std::string counted(const std::string& what, std::uint32_t n) { return what + " x" + std::to_string(n); }

}  // namespace

nlohmann::json ExtractedFields::report() const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [field, field_values] : values) {
    nlohmann::json list = nlohmann::json::array();
    for (const FieldValue& v : field_values) {
      list.push_back({{"value", v.display}, {"key", v.key}, {"mentions", v.mentions}, {"evidence", v.evidence}});
    }
    out[field] = list;
  }
  return out;
}

FieldExtractor::FieldExtractor(const Schema& schema, const Analyzer& analyzer) : schema_(schema), analyzer_(analyzer) {
  const auto terms_of = [&](const std::string& text) {
    std::vector<std::string> terms;
    for (Token& t : analyzer_.analyze(text)) terms.push_back(std::move(t.term));
    return terms;
  };
  const auto& organisations = schema.organisations();
  for (std::size_t i = 0; i < organisations.size(); ++i) {
    std::vector<std::string> names = organisations[i].aliases;
    names.push_back(organisations[i].name);
    for (const std::string& name : names) {
      std::vector<std::string> terms = terms_of(name);
      if (!terms.empty()) organisation_phrases_[terms[0]].push_back(Phrase{terms, i, name});
    }
    for (const std::string& acronym : organisations[i].acronyms) {
      if (acronym.empty()) continue;  // a written word is never empty
      acronyms_[acronym] = i;
      acronym_first_bytes_.set(static_cast<unsigned char>(acronym[0]));
    }
    std::vector<std::string> folded = {fold(organisations[i].name)};
    for (const std::string& alias : organisations[i].aliases) folded.push_back(fold(alias));
    folded_organisation_names_.push_back(std::move(folded));
  }
  // Longest first, so "Ministry of Environmental Protection of China" wins
  // over "Ministry of Environmental Protection".
  for (auto& [first, phrases] : organisation_phrases_) {
    std::stable_sort(phrases.begin(), phrases.end(),
                     [](const Phrase& a, const Phrase& b) { return a.terms.size() > b.terms.size(); });
  }
  const auto& areas = schema.areas();
  for (const PriorityArea& area : areas) folded_area_names_.push_back(fold(area.name));
  for (std::size_t i = 0; i < areas.size(); ++i) {
    for (const std::string& indicator : areas[i].indicators) {
      std::vector<std::string> terms = terms_of(indicator);
      if (terms.size() == 1) {
        area_stems_[analyzer_.stem(terms[0])].push_back(Phrase{terms, i, indicator});
      } else if (!terms.empty()) {
        area_phrases_[terms[0]].push_back(Phrase{terms, i, indicator});
      }
    }
  }
}

std::string FieldExtractor::fold(const std::string& value) const {
  std::string key;
  for (const Token& t : analyzer_.analyze(value)) {
    if (!key.empty()) key += ' ';
    key += t.term;
  }
  return key;
}

std::vector<std::string> FieldExtractor::resolve(const FieldSpec& field, const std::string& value) const {
  const std::string folded = fold(value);
  if (folded.empty()) return {};
  if (field.from("language")) {
    if (std::string code = normalize_language_tag(value); !code.empty()) return {std::move(code)};
  }
  std::vector<std::string> keys;
  if (field.vocabulary == "gazetteer") {
    if (auto it = acronyms_.find(value); it != acronyms_.end()) return {schema_.organisations()[it->second].id};
    const auto& organisations = schema_.organisations();
    for (std::size_t i = 0; i < organisations.size(); ++i) {
      const Organisation& org = organisations[i];
      const std::vector<std::string>& names = folded_organisation_names_[i];  // name, then aliases
      bool match = org.id == value || std::find(names.begin(), names.end(), folded) != names.end();
      // In a filter the field says what is meant, so "org:mep" may ignore case.
      for (const std::string& acronym : org.acronyms) match = match || ascii_lower(acronym) == ascii_lower(value);
      if (match) return {org.id};
    }
  }
  if (field.vocabulary == "taxonomy") {
    const auto& areas = schema_.areas();
    for (std::size_t i = 0; i < areas.size(); ++i) {
      if (areas[i].id == value || folded_area_names_[i] == folded) return {areas[i].id};
    }
    // "area:biodiversity": every area whose name holds these words.
    const std::string padded = " " + folded + " ";
    for (std::size_t i = 0; i < areas.size(); ++i) {
      if ((" " + folded_area_names_[i] + " ").find(padded) != std::string::npos) keys.push_back(areas[i].id);
    }
    if (!keys.empty()) return keys;
  }
  return {folded};
}

void FieldExtractor::add_metadata_values(const FieldSpec& field, const nlohmann::json& metadata,
                                         std::vector<FieldValue>& out) const {
  const std::vector<std::string> keys =
      field.metadata_keys.empty() ? std::vector<std::string>{field.name} : field.metadata_keys;
  for (const std::string& key : keys) {
    auto it = metadata.find(key);
    if (it != metadata.end()) add_metadata_values(field, key, *it, out);
  }
}

void FieldExtractor::add_metadata_values(const FieldSpec& field, const std::string& key, const nlohmann::json& value,
                                         std::vector<FieldValue>& out) const {
  std::vector<nlohmann::json> given =
      value.is_array() ? value.get<std::vector<nlohmann::json>>() : std::vector<nlohmann::json>{value};
  for (const nlohmann::json& item : given) {
    if (field.kind == FieldKind::kYear) {
      if (!item.is_number_integer()) continue;
      const std::string year = std::to_string(item.get<long long>());
      merge_value(out, FieldValue{year, year, 0, {"metadata \"" + key + "\""}});
      continue;
    }
    if (!item.is_string() && !item.is_number()) continue;
    const std::string text = item.is_string() ? item.get<std::string>() : to_json_text(item);
    for (const std::string& resolved : resolve(field, text)) {
      std::string shown = schema_.display(field, resolved);
      if (shown == resolved) shown = text;  // a free value keeps its own spelling
      merge_value(out, FieldValue{resolved, shown, 0, {"metadata \"" + key + "\": " + text}});
    }
  }
}

void FieldExtractor::add_language(const nlohmann::json& metadata, std::vector<FieldValue>& out) const {
  auto it = metadata.find(kDocumentLanguageKey);
  if (it == metadata.end() || !it->is_string()) return;
  const std::string code = normalize_language_tag(it->get<std::string>());
  if (!code.empty()) merge_value(out, FieldValue{code, code, 0, {"document language \"" + code + "\""}});
}

void FieldExtractor::add_organisations(const std::string& text, const std::vector<Token>& tokens,
                                       std::vector<FieldValue>& out) const {
  const auto& organisations = schema_.organisations();
  std::vector<std::uint32_t> mentions(organisations.size(), 0);
  std::vector<std::map<std::string, std::uint32_t>> evidence(organisations.size());
  std::vector<std::size_t> order;  // organisations by first mention
  const auto record = [&](std::size_t org, const std::string& how) {
    if (mentions[org]++ == 0) order.push_back(org);
    ++evidence[org][how];
  };
  for (std::size_t i = 0; i < tokens.size();) {
    std::size_t advance = 1;
    bool matched = false;
    if (auto it = organisation_phrases_.find(tokens[i].term); it != organisation_phrases_.end()) {
      for (const Phrase& phrase : it->second) {
        if (matches_at(tokens, i, phrase.terms)) {
          record(phrase.target, "name \"" + phrase.text + "\"");
          advance = phrase.terms.size();
          matched = true;
          break;
        }
      }
    }
    if (!matched && tokens[i].begin < text.size() &&
        acronym_first_bytes_.test(static_cast<unsigned char>(text[tokens[i].begin]))) {
      const std::string_view written =
          without_possessive(std::string_view(text).substr(tokens[i].begin, tokens[i].end - tokens[i].begin));
      if (auto it = acronyms_.find(written); it != acronyms_.end()) {
        record(it->second, "acronym \"" + std::string(written) + "\"");
      }
    }
    i += advance;
  }
  // Most mentioned first: the order results show them in.
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return mentions[a] > mentions[b]; });
  for (std::size_t org : order) {
    FieldValue value{organisations[org].id, organisations[org].name, mentions[org], {}};
    for (const auto& [how, n] : evidence[org]) value.evidence.push_back(counted(how, n));
    merge_value(out, std::move(value));
  }
}

void FieldExtractor::add_areas(const std::string& title, const std::vector<Token>& tokens,
                               const std::vector<std::string>& stems, std::vector<FieldValue>& out) const {
  const auto& areas = schema_.areas();
  std::vector<std::uint32_t> score(areas.size(), 0);
  std::vector<std::uint32_t> mentions(areas.size(), 0);
  std::vector<std::map<std::string, std::uint32_t>> evidence(areas.size());
  const auto count_in = [&](const std::vector<Token>& words, const std::vector<std::string>& word_stems,
                            std::uint32_t weight, const std::string& where) {
    for (std::size_t i = 0; i < words.size(); ++i) {
      if (auto it = area_phrases_.find(words[i].term); it != area_phrases_.end()) {
        for (const Phrase& p : it->second) {
          if (!matches_at(words, i, p.terms)) continue;
          score[p.target] += weight;
          ++mentions[p.target];
          ++evidence[p.target][where + "\"" + p.text + "\""];
        }
      }
      if (auto it = area_stems_.find(word_stems[i]); it != area_stems_.end()) {
        for (const Phrase& p : it->second) {
          score[p.target] += weight;
          ++mentions[p.target];
          ++evidence[p.target][where + "\"" + p.text + "\""];
        }
      }
    }
  };
  count_in(tokens, stems, 1, "");
  const std::vector<Token> title_tokens = analyzer_.analyze(title);
  std::vector<std::string> title_stems;
  for (const Token& t : title_tokens) title_stems.push_back(analyzer_.stem(t.term));
  count_in(title_tokens, title_stems, static_cast<std::uint32_t>(schema_.area_rule().title_mentions_count), "title ");

  std::vector<std::size_t> tagged;
  for (std::size_t a = 0; a < areas.size(); ++a) {
    if (score[a] >= static_cast<std::uint32_t>(schema_.area_rule().min_mentions)) tagged.push_back(a);
  }
  std::stable_sort(tagged.begin(), tagged.end(), [&](std::size_t x, std::size_t y) { return score[x] > score[y]; });
  for (std::size_t a : tagged) {
    FieldValue value{areas[a].id, areas[a].name, mentions[a], {}};
    for (const auto& [how, n] : evidence[a]) value.evidence.push_back(counted(how, n));
    merge_value(out, std::move(value));
  }
}

void FieldExtractor::add_document_year(const std::string& title, const std::string& text,
                                       const nlohmann::json& metadata, std::vector<FieldValue>& out) const {
  if (!out.empty()) return;  // metadata decided
  static const std::regex dated_line(
      R"(^\s*(updated|last updated|last modified|published|date|dated|issued|adopted|released)\b[^\n]{0,60}?\b((19|20)\d\d)\b)",
      std::regex::icase);
  static const std::regex title_range(R"(\(\s*((19|20)\d\d)\s*(-|–|—)\s*(19|20)\d\d\s*\))");
  std::size_t start = 0;
  for (std::size_t line = 0; line < kDatedLineWindow && start < text.size(); ++line) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string current = text.substr(start, std::min<std::size_t>(end - start, 200));
    std::smatch m;
    if (std::regex_search(current, m, dated_line)) {
      out.push_back(FieldValue{m[2].str(), m[2].str(), 0, {"dated line \"" + current + "\""}});
      return;
    }
    start = end + 1;
  }
  std::smatch m;
  if (std::regex_search(title, m, title_range)) {
    out.push_back(FieldValue{m[1].str(), m[1].str(), 0, {"title range \"" + m[0].str() + "\""}});
    return;
  }
  // Last, the file's own creation date (PDF, Word, OpenDocument): often
  // the day a file was converted or a template made, so the text wins.
  static const std::regex leading_year(R"(^([12]\d\d\d)\b)");
  for (const char* key : {"created", "modified"}) {
    const auto date = metadata.find(key);
    if (date == metadata.end() || !date->is_string()) continue;
    const std::string& value = date->get_ref<const std::string&>();
    if (std::regex_search(value, m, leading_year)) {
      out.push_back(FieldValue{m[1].str(), m[1].str(), 0, {"metadata \"" + std::string(key) + "\" \"" + value + "\""}});
      return;
    }
  }
}

void FieldExtractor::add_years_mentioned(const std::vector<Token>& tokens, std::vector<FieldValue>& out) const {
  std::map<int, std::uint32_t> years;
  for (const Token& t : tokens) {
    if (t.term.size() != 4 || !all_digits(t.term)) continue;
    const int year = std::stoi(t.term);
    if (year >= kFirstYear && year <= kLastYear) ++years[year];
  }
  for (const auto& [year, n] : years) {
    const std::string y = std::to_string(year);
    merge_value(out, FieldValue{y, y, n, {counted("mentioned", n)}});
  }
}

ExtractedFields FieldExtractor::extract(const std::string& title, const std::string& text,
                                        const std::vector<Token>& tokens, const std::vector<std::string>& stems,
                                        const nlohmann::json& metadata) const {
  ExtractedFields extracted;
  for (const FieldSpec& field : schema_.fields()) {
    std::vector<FieldValue> values;
    if (field.from("metadata")) add_metadata_values(field, metadata, values);
    if (field.from("language")) add_language(metadata, values);
    if (field.from("gazetteer")) add_organisations(text, tokens, values);
    if (field.from("taxonomy")) add_areas(title, tokens, stems, values);
    if (field.from("text") && field.kind == FieldKind::kYear) {
      if (field.multi_valued) {
        add_years_mentioned(tokens, values);
      } else {
        add_document_year(title, text, metadata, values);
      }
    }
    if (!field.multi_valued && values.size() > 1) values.resize(1);
    if (!values.empty()) extracted.values[field.name] = std::move(values);
  }
  return extracted;
}

}  // namespace policy
