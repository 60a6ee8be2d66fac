// policy-search: ranked, faceted search with snippets over an index built
// by policy-index, as a command line (search, batch, kwic) and a server.
// Dispatches to the subcommand; each parses its own options.

#include <string_view>

#include "searcher/commands/commands.h"

int main(int argc, char** argv) {
  const std::string_view command = argc > 1 ? argv[1] : "";
  if (command == "serve") return policy::run_serve_command(argc - 1, argv + 1);
  if (command == "batch") return policy::run_batch_command(argc - 1, argv + 1);
  if (command == "kwic") return policy::run_kwic_command(argc - 1, argv + 1);
  if (command == "health") return policy::run_health_command(argc - 1, argv + 1);
  return policy::run_search_command(argc, argv);
}
