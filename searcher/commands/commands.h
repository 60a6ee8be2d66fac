// The subcommands of policy-search. Each parses its own options (argv[0]
// is the program or subcommand name), runs, and returns the exit code;
// errors become messages through run_guarded (core/cli.h).
#pragma once

namespace policy {

int run_search_command(int argc, char** argv);  // policy-search [options] QUERY...
int run_batch_command(int argc, char** argv);   // policy-search batch [options] QUERIES_FILE
int run_kwic_command(int argc, char** argv);    // policy-search kwic [options] QUERY...
int run_serve_command(int argc, char** argv);   // policy-search serve [options]
int run_health_command(int argc, char** argv);  // policy-search health --index DIR

}  // namespace policy
