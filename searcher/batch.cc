#include "searcher/batch.h"

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "searcher/result_rendering.h"

namespace policy {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

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

// "query error at position 6: unterminated phrase; hint: close the quote"
std::string one_line_error(const QuerySyntaxError& e) {
  std::string out = "query error at position " + std::to_string(e.position()) + ": " + e.message();
  if (!e.hint().empty()) out += "; hint: " + e.hint();
  return out;
}

}  // namespace

QuerySource::QuerySource(const std::filesystem::path& path, const Schema& schema) : path_(path), in_(path) {
  if (!in_) throw std::runtime_error(path.string() + ": cannot open the queries file: " + std::strerror(errno));
  const std::string ext = lower(path.extension().string());
  format_ = ext == ".jsonl" ? Format::kJsonl : ext == ".csv" ? Format::kCsv : ext == ".tsv" ? Format::kTsv : Format::kLines;
  if (format_ != Format::kCsv && format_ != Format::kTsv) return;
  std::vector<std::string> header;
  std::size_t header_line = 0;
  if (!read_record(header, header_line)) throw std::runtime_error(path.string() + ": empty queries file (a header row is needed)");
  bool has_query = false;
  for (std::string name : header) {
    name = lower(trim(name));
    if (name == "query" || name == "id" || name == "filters") {
      has_query = has_query || name == "query";
      columns_.push_back(name);
    } else if (const FieldSpec* field = schema.field(name)) {
      columns_.push_back(field->name);
    } else {
      std::string known = "query, id, filters";
      for (const FieldSpec& f : schema.fields()) known += ", " + f.name;
      throw std::runtime_error(path.string() + ":" + std::to_string(header_line) + ": unknown column '" + name +
                               "' (known: " + known + ")");
    }
  }
  if (!has_query) throw std::runtime_error(path.string() + ":" + std::to_string(header_line) + ": no 'query' column");
}

// One CSV record (RFC 4180: quoted fields may span lines) or TSV/plain line.
bool QuerySource::read_record(std::vector<std::string>& fields, std::size_t& first_line) {
  fields.clear();
  std::string line;
  if (!std::getline(in_, line)) return false;
  first_line = ++line_;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (format_ == Format::kTsv) {
    std::size_t start = 0;
    while (true) {
      const std::size_t tab = line.find('\t', start);
      fields.push_back(line.substr(start, tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    return true;
  }
  std::string field;
  bool quoted = false;
  std::size_t i = 0;
  while (true) {
    if (i == line.size()) {
      if (!quoted) break;
      // A quoted field goes on over the line break.
      if (!std::getline(in_, line)) break;
      ++line_;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      field.push_back('\n');
      i = 0;
      continue;
    }
    const char c = line[i++];
    if (quoted) {
      if (c == '"' && i < line.size() && line[i] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
    } else {
      field.push_back(c);
    }
  }
  fields.push_back(std::move(field));
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
          if (auto id = j.find("id"); id != j.end()) query.id = id->is_string() ? id->get<std::string>() : id->dump();
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
          query.error = "expected " + std::to_string(columns_.size()) + " columns, found " + std::to_string(fields.size());
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

BatchResult run_batch_query(Searcher& searcher, const BatchQuery& query, const BatchOptions& options) {
  BatchResult result;
  result.query = query;
  if (!query.error.empty()) {
    result.error = query.error;
    return result;
  }
  try {
    CountRequest request;
    request.query = query.query;
    request.filters = query.filters;
    request.top_k = options.top_k;
    request.kwic = options.kwic;
    request.kwic_width = options.kwic_width;
    MatchCounts counts = searcher.count(request);
    result.documents = counts.documents;
    result.occurrences = counts.occurrences;
    result.counts = std::move(counts.counts);
    result.top = std::move(counts.top);
    result.kwic = std::move(counts.kwic);
  } catch (const QuerySyntaxError& e) {
    result.error = one_line_error(e);
  } catch (const std::exception& e) {
    result.error = e.what();
  }
  return result;
}

BatchRunner::BatchRunner(std::string index_path, BatchOptions options)
    : index_path_(std::move(index_path)), options_(options) {
  if (options_.jobs == 0) options_.jobs = std::max(1u, std::thread::hardware_concurrency());
}

RunSummary BatchRunner::run(QuerySource& source, const std::function<void(const BatchResult&)>& sink,
                            const std::function<void(std::size_t)>& progress) {
  // Workers take queries in file order, but only within `window` of the next
  // result to hand out, so finished results waiting their turn stay few.
  const std::size_t window = options_.jobs * 8;
  std::mutex mutex;
  std::condition_variable changed;
  std::map<std::size_t, BatchResult> ready;
  std::size_t next_to_emit = 0;
  bool source_done = false;
  std::exception_ptr failure;

  // Each worker opens its own Searcher (Xapian databases are not shared
  // across threads); opening errors surface before any work starts.
  std::vector<std::unique_ptr<Searcher>> searchers;
  for (std::size_t j = 0; j < options_.jobs; ++j) searchers.push_back(std::make_unique<Searcher>(index_path_));

  const auto work = [&](Searcher& searcher) {
    while (true) {
      std::optional<BatchQuery> query;
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return source_done || failure || source.queries_read() < next_to_emit + window; });
        if (source_done || failure) return;
        try {
          query = source.next();
        } catch (...) {
          failure = std::current_exception();
        }
        if (!query) {
          source_done = true;
          changed.notify_all();
          return;
        }
      }
      BatchResult result = run_batch_query(searcher, *query, options_);
      {
        std::lock_guard lock(mutex);
        ready.emplace(result.query.index, std::move(result));
      }
      changed.notify_all();
    }
  };
  std::vector<std::thread> threads;
  for (auto& searcher : searchers) threads.emplace_back(work, std::ref(*searcher));

  RunSummary summary;
  while (true) {
    BatchResult result;
    {
      std::unique_lock lock(mutex);
      changed.wait(lock, [&] {
        return ready.contains(next_to_emit) || failure ||
               (source_done && source.queries_read() == next_to_emit);
      });
      if (failure) break;
      if (!ready.contains(next_to_emit)) break;  // all done
      result = std::move(ready.at(next_to_emit));
      ready.erase(next_to_emit);
      ++next_to_emit;
    }
    changed.notify_all();
    ++summary.queries;
    if (!result.error.empty()) ++summary.failed;
    try {
      sink(result);
      if (progress) progress(summary.queries);
    } catch (...) {
      // A report that cannot be written stops the run; workers must still be joined.
      std::lock_guard lock(mutex);
      failure = std::current_exception();
      break;
    }
  }
  {
    std::lock_guard lock(mutex);
    source_done = true;
  }
  changed.notify_all();
  for (std::thread& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
  return summary;
}

}  // namespace policy
