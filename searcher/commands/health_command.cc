// policy-search health --index DIR: whether each database of the index
// answers (every shard a stub lists, remote ones on a new connection).

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "core/cli.h"
#include "core/index_reader.h"
#include "core/json_text.h"

#include "searcher/commands/command_line.h"
#include "searcher/commands/commands.h"
#include "searcher/serve/api_json.h"

namespace po = boost::program_options;

namespace policy {
namespace {

constexpr const char* kUsage =
    "Usage: policy-search health --index DIR [--json]\n"
    "\n"
    "Opens each database of the index (each shard its stub lists; a remote one\n"
    "on a new connection, within --remote-timeout) and says whether it answers,\n"
    "with its documents and the time it took.\n";

constexpr const char* kExitCodes =
    "Exit codes:\n"
    "  0  every database answers\n"
    "  1  some database does not answer\n"
    "  2  error: no index, an unreadable stub, bad options\n";

}  // namespace

int run_health_command(int argc, char** argv) {
  po::options_description visible("Options");
  auto option = visible.add_options();
  add_help_and_index(option);
  option("json", "print the answer of GET /api/health");
  po::options_description hidden;
  po::positional_options_description positional;
  po::variables_map vm;
  if (!parse_command_line(argc, argv, visible, hidden, positional, "policy-search health", vm)) return kExitFatal;
  if (vm.count("help")) {
    std::cout << kUsage << "\n" << visible << "\n" << kExitCodes;
    return 0;
  }
  if (!vm.count("index")) {
    std::cerr << "policy-search health: --index DIR is required\nTry 'policy-search health --help'.\n";
    return kExitFatal;
  }
  return run_guarded("policy-search health", [&] {
    const std::string index = vm["index"].as<std::string>();
    const std::vector<ShardHealth> databases =
        probe_databases(index, static_cast<unsigned>(remote_timeout_seconds(vm) * 1000));
    std::size_t answering = 0;
    for (const ShardHealth& d : databases) answering += d.answers ? 1 : 0;
    if (vm.count("json")) {
      std::cout << to_json_text(health_to_json(std::nullopt, databases), 2) << "\n";
    } else {
      std::cout << index << ": " << databases.size() << (databases.size() == 1 ? " database, " : " databases, ")
                << answering << (answering == 1 ? " answers" : " answer") << "\n";
      std::size_t width = 0;
      for (const ShardHealth& d : databases) width = std::max(width, d.name.size());
      for (const ShardHealth& d : databases) {
        char line[160];
        if (d.answers) {
          std::snprintf(line, sizeof line, "  %-*s  %-6s  answers  %10u documents  %8.1f ms", static_cast<int>(width),
                        d.name.c_str(), d.remote ? "remote" : "local", d.documents, d.milliseconds);
          std::cout << line << "\n";
        } else {
          std::snprintf(line, sizeof line, "  %-*s  %-6s  DOES NOT ANSWER  ", static_cast<int>(width), d.name.c_str(),
                        d.remote ? "remote" : "local");
          std::cout << line << d.error << "\n";
        }
      }
    }
    return answering == databases.size() ? 0 : 1;
  });
}

}  // namespace policy
