#pragma once
// What every Tutortime command-line tool does around its commands: `--help` (exit 0) and no
// arguments at all (the help, exit 2); then the command; then each kind of failure as its exit
// code (docs/exit-codes.md) with one line on standard error, "TOOL: what went wrong", and for
// wrong arguments a pointer to --help.
#include <exception>
#include <functional>
#include <optional>

#include "shared/common/command_line.h"

namespace tt {

struct Tool {
  const char* name;  // "tutortime-kiosk"
  const char* help;  // the --help text
  // Runs the command the arguments name (the tool reads them; an unknown one is a UsageError).
  std::function<int(CommandLine& args)> dispatch;
  // The exit code of a failure particular to this tool (an invalid survey's, the kiosk store's),
  // or nullopt for the shared ones: UsageError 2, InvalidInputError 3, anything else 1.
  std::function<std::optional<int>(const std::exception& e)> exit_code_of = {};
};

int run_tool(const Tool& tool, int argc, char** argv);

}  // namespace tt
