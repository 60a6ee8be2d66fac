// Helpers shared by the tests: temporary directories, files, and running the
// real programs with their output captured.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace policy::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs argv[0] with the given arguments (no shell), capturing stdout and
// stderr. exit_code is the program's exit status, or 128+signal.
CommandResult run_command(const std::vector<std::string>& argv);

// A fresh empty directory under the system temp dir, removed by the caller
// (or left for inspection when a test fails).
std::filesystem::path make_temp_dir(const std::string& name);

std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& content);

// Absolute path of a file in the source tree, e.g. source_path("corpus").
std::filesystem::path source_path(const std::string& relative);

// Splits "a\tb\tc" on tabs; unescapes \t, \n and \\ in each field.
std::vector<std::string> split_tsv_line(const std::string& line);

// Records of an RFC 4180 CSV text (quoted fields may hold commas, quotes and
// line breaks; CRLF or LF line ends).
std::vector<std::vector<std::string>> parse_csv(const std::string& text);

}  // namespace policy::testing
