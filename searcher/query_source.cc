#include "searcher/query_source.h"

#include <cerrno>
#include <cstring>

#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "core/json_text.h"
#include "core/utf8.h"

namespace policy {
namespace {

std::string trim(const std::string& s) {
  const std::size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

// A cell value as a filter on `field`: quoted unless it is one bare word.
std::string filter_for(const std::string& field, const std::string& value) {
  const bool bare = value.find_first_of(" \t\"()") == std::string::npos;
  if (bare) return field + ":" + value;
  std::string quoted;
  for (char c : value) quoted.push_back(c == '"' ? ' ' : c);
  return field + ":\"" + quoted + "\"";
}

}  // namespace

QuerySource::QuerySource(const std::filesystem::path& path, const Schema& schema) : path_(path), in_(path) {
  if (!in_) throw FileError(path.string() + ": cannot open the queries file: " + std::strerror(errno));
  const std::string ext = ascii_lower(path.extension().string());
  format_ = ext == ".jsonl" ? Format::kJsonl
            : ext == ".csv" ? Format::kCsv
            : ext == ".tsv" ? Format::kTsv
                            : Format::kLines;
  if (format_ != Format::kCsv && format_ != Format::kTsv) return;
  std::vector<std::string> header;
  std::size_t header_line = 0;
  if (!read_record(header, header_line))
    throw FileError(path.string() + ": empty queries file (a header row is needed)");
  bool has_query = false;
  for (std::string name : header) {
    name = ascii_lower(trim(name));
    if (name == "query" || name == "id" || name == "filters") {
      has_query = has_query || name == "query";
      columns_.push_back(name);
    } else if (const FieldSpec* field = schema.field(name)) {
      columns_.push_back(field->name);
    } else {
      std::string known = "query, id, filters";
      for (const FieldSpec& f : schema.fields()) known += ", " + f.name;
      throw FileError(path.string() + ":" + std::to_string(header_line) + ": unknown column '" + name +
                      "' (known: " + known + ")");
    }
  }
  if (!has_query) throw FileError(path.string() + ":" + std::to_string(header_line) + ": no 'query' column");
}

bool QuerySource::read_record(std::vector<std::string>& fields, std::size_t& first_line) {
  if (format_ == Format::kCsv) {
    if (!csv_.next(fields)) return false;
    first_line = csv_.record_line();
    return true;
  }
  fields.clear();
  std::string line;
  if (!std::getline(in_, line)) return false;
  first_line = ++line_;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  std::size_t start = 0;
  while (true) {
    const std::size_t tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab - start));
    if (tab == std::string::npos) break;
    start = tab + 1;
  }
  return true;
}

std::optional<BatchQuery> QuerySource::next() {
  while (true) {
    std::vector<std::string> fields;
    std::size_t line = 0;
    if (format_ == Format::kCsv || format_ == Format::kTsv) {
      if (!read_record(fields, line)) return std::nullopt;
      if (fields.size() == 1 && trim(fields[0]).empty()) continue;
    } else {
      std::string text;
      if (!std::getline(in_, text)) return std::nullopt;
      line = ++line_;
      if (!text.empty() && text.back() == '\r') text.pop_back();
      if (trim(text).empty() || (format_ == Format::kLines && trim(text)[0] == '#')) continue;
      fields.push_back(text);
    }
    BatchQuery query;
    query.index = next_index_++;
    query.id = "q" + std::to_string(line);
    query.location = path_.string() + ":" + std::to_string(line);
    switch (format_) {
      case Format::kLines:
        query.query = trim(fields[0]);
        break;
      case Format::kJsonl:
        try {
          const nlohmann::json j = nlohmann::json::parse(fields[0]);
          if (!j.is_object() || !j.contains("query") || !j["query"].is_string()) {
            query.error = "expected an object with a string \"query\"";
            break;
          }
          query.query = j["query"].get<std::string>();
          if (auto id = j.find("id"); id != j.end())
            query.id = id->is_string() ? id->get<std::string>() : to_json_text(*id);
          if (auto f = j.find("filters"); f != j.end()) {
            if (f->is_string()) {
              query.filters.push_back(f->get<std::string>());
            } else if (f->is_array()) {
              for (const auto& item : *f) {
                if (item.is_string()) query.filters.push_back(item.get<std::string>());
              }
            }
          }
        } catch (const nlohmann::json::exception& e) {
          query.error = std::string("malformed JSON: ") + e.what();
        }
        break;
      case Format::kCsv:
      case Format::kTsv:
        if (fields.size() != columns_.size()) {
          query.error =
              "expected " + std::to_string(columns_.size()) + " columns, found " + std::to_string(fields.size());
          break;
        }
        for (std::size_t c = 0; c < columns_.size(); ++c) {
          const std::string value = trim(fields[c]);
          if (columns_[c] == "query") {
            query.query = value;
          } else if (columns_[c] == "id") {
            if (!value.empty()) query.id = value;
          } else if (columns_[c] == "filters") {
            if (!value.empty()) query.filters.push_back(value);
          } else if (!value.empty()) {
            query.filters.push_back(filter_for(columns_[c], value));
          }
        }
        break;
    }
    if (query.error.empty() && query.query.empty() && query.filters.empty()) query.error = "empty query";
    return query;
  }
}

std::size_t QuerySource::count(const std::filesystem::path& path, const Schema& schema) {
  QuerySource source(path, schema);
  while (source.next()) {
  }
  return source.queries_read();
}

}  // namespace policy
