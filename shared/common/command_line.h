#pragma once
// A small command-line reader for Tutortime's tools: options anywhere (`--key FILE` or
// `--key=FILE`), flags, positionals, and a usage error that names the problem. Each tool prints
// its own --help text; this only reads.
#include <optional>
#include <string>
#include <vector>

#include "shared/common/error.h"

namespace tt {

// Exit codes shared by every tool (docs/exit-codes.md).
enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,       // the operation failed (the message says why)
  kExitUsage = 2,         // wrong arguments
  kExitInvalidInput = 3,  // a malformed survey, a wrong signature, a bad key file
  kExitRejected = 4,      // a scripted action did not fit the current question (answers so far kept)
  kExitStore = 5,         // the kiosk store refused: not set up, wrong key, newer schema, disk full, read-only
  kExitIncomplete = 6,    // finished but not everything (e.g. responses still waiting to upload)
};

class UsageError : public Error {
 public:
  using Error::Error;
};

// Input that is not what it must be: an unsigned or wrongly signed survey, a bad key file.
class InvalidInputError : public Error {
 public:
  using Error::Error;
};

class CommandLine {
 public:
  CommandLine(int argc, char** argv, int first = 1);
  explicit CommandLine(std::vector<std::string> args) : args_(std::move(args)) {}

  // Removes and returns the value of `--name VALUE` / `--name=VALUE`; the last one wins.
  std::optional<std::string> option(const std::string& name);
  std::string required_option(const std::string& name);
  // Removes `--name` and says whether it was there.
  bool flag(const std::string& name);
  // The next positional argument (not starting with "--"), removed; nullopt when none.
  std::optional<std::string> next_positional();
  std::string required_positional(const std::string& what);
  // Everything left that is not an option. Call after reading every option and flag.
  std::vector<std::string> remaining_positionals();
  // Throws UsageError if anything is left over (an unknown option or extra argument).
  void expect_done();
  bool empty() const { return args_.empty(); }

 private:
  std::vector<std::string> args_;
};

}  // namespace tt
