// What the subcommands of policy-search share on the command line: exit
// codes, option parsing with its messages, color, the query from its words.
#pragma once

#include <string>

#include <boost/program_options.hpp>

namespace policy {

// Exit codes of policy-search (--help and the README document them);
// kExitFatal (core/cli.h) is 2.
inline constexpr int kExitFound = 0;              // search, kwic: something matched
inline constexpr int kExitNotFound = 1;           // search, kwic: nothing matched
inline constexpr int kExitRan = 0;                // batch: every query ran
inline constexpr int kExitSomeQueriesFailed = 1;  // batch: their rows say why

// The exit codes of search and kwic, for --help.
inline constexpr const char* kSearchExitCodes =
    "Exit codes:\n"
    "  0  at least one document matched\n"
    "  1  no document matched\n"
    "  2  error: malformed query, missing or incompatible index, bad options\n";

// Parses a subcommand's command line into `vm`. On a bad option prints
// "PROGRAM: PROBLEM" and "Try 'PROGRAM --help'." and returns false. With
// `hint_exclusion`, an unknown option such as "-coal" also gets a hint:
// typed as its own argument, it was meant as an exclusion.
bool parse_command_line(int argc, char** argv, const boost::program_options::options_description& visible,
                        const boost::program_options::options_description& hidden,
                        const boost::program_options::positional_options_description& positional,
                        const std::string& program, boost::program_options::variables_map& vm,
                        bool hint_exclusion = false);

// Adds the options every subcommand takes: --help, --index and
// --remote-timeout (read with remote_timeout_seconds()).
void add_help_and_index(boost::program_options::options_description_easy_init& option);
double remote_timeout_seconds(const boost::program_options::variables_map& vm);

// Adds what the subcommands that take a query as words (search, kwic) share:
// the --color option, last of the visible ones, and the words as the hidden
// positional option "query" (see query_from_words).
void add_color_and_query_words(boost::program_options::options_description_easy_init& option,
                               boost::program_options::options_description& hidden,
                               boost::program_options::positional_options_description& positional);

// Whether to print bold highlights: "always", "never", or "auto" (standard
// output is a terminal and NO_COLOR is unset or empty).
bool use_color(const std::string& mode);

// The words of the positional option "query" joined by spaces ("" if none).
std::string query_from_words(const boost::program_options::variables_map& vm);

}  // namespace policy
