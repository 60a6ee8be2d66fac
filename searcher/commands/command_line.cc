#include "searcher/commands/command_line.h"

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <vector>

#include "core/cli_options.h"
#include "core/errors.h"

namespace po = boost::program_options;

namespace policy {

bool parse_command_line(int argc, char** argv, const po::options_description& visible,
                        const po::options_description& hidden, const po::positional_options_description& positional,
                        const std::string& program, po::variables_map& vm, bool hint_exclusion) {
  po::options_description all;
  all.add(visible).add(hidden);
  try {
    const po::parsed_options parsed = po::command_line_parser(argc, argv).options(all).positional(positional).run();
    refuse_negative_counts(parsed, all);
    po::store(parsed, vm);
    po::notify(vm);
    return true;
  } catch (const po::unknown_option& e) {
    std::cerr << program << ": " << e.what() << "\n";
    const std::string name = e.get_option_name();
    if (hint_exclusion && name.size() > 1 && name[0] == '-' && name[1] != '-') {
      std::cerr << "hint: to exclude a word, quote the whole query ('water " << name
                << "') or put the query after --\n";
    }
    std::cerr << "Try '" << program << " --help'.\n";
  } catch (const po::error& e) {
    std::cerr << program << ": " << e.what() << "\nTry '" << program << " --help'.\n";
  }
  return false;
}

void add_help_and_index(po::options_description_easy_init& option) {
  option("help,h", "show this help");
  option("index,i", po::value<std::string>(), "index directory built by policy-index (or a stub listing shards)");
  option("remote-timeout", po::value<double>()->default_value(10),
         "seconds a remote shard may take to connect or answer before the search fails naming it");
}

double remote_timeout_seconds(const po::variables_map& vm) {
  const double seconds = vm["remote-timeout"].as<double>();
  if (!(seconds > 0)) throw RequestError("--remote-timeout must be a number of seconds above 0");
  return seconds;
}

void add_color_and_query_words(po::options_description_easy_init& option, po::options_description& hidden,
                               po::positional_options_description& positional) {
  option("color", po::value<std::string>()->default_value("auto"), "auto, always or never (NO_COLOR is honoured)");
  hidden.add_options()("query", po::value<std::vector<std::string>>(), "query words");
  positional.add("query", -1);
}

bool use_color(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  return isatty(STDOUT_FILENO) && (no_color == nullptr || *no_color == '\0');
}

std::string query_from_words(const po::variables_map& vm) {
  std::string query;
  if (!vm.count("query")) return query;
  for (const std::string& word : vm["query"].as<std::vector<std::string>>()) {
    if (!query.empty()) query += ' ';
    query += word;
  }
  return query;
}

}  // namespace policy
