#pragma once
// The subcommands of tutortime-kiosk, one file each. Each reads its own options from `args`,
// prints its result and returns an exit code (shared/common/command_line.h); errors are thrown
// and mapped to exit codes by main.cpp.
#include <filesystem>

#include "shared/common/command_line.h"

namespace tt::kiosk {

// Exit codes of enrol and sync beyond the shared ones (shared/common/command_line.h;
// docs/exit-codes.md). kExitIncomplete (6): not everything was acknowledged.
inline constexpr int kExitPinMismatch = 7;  // the server's key is not the pinned one: nothing was sent
inline constexpr int kExitRevoked = 8;      // the central team revoked this kiosk: its data is kept
inline constexpr int kExitUnreachable = 9;  // enrol: the server could not be reached

int command_setup(const std::filesystem::path& data_dir, CommandLine& args);
int command_survey(const std::filesystem::path& data_dir, CommandLine& args);
int command_run(const std::filesystem::path& data_dir, CommandLine& args);
int command_outbox(const std::filesystem::path& data_dir, CommandLine& args);
int command_status(const std::filesystem::path& data_dir, CommandLine& args);
int command_config(const std::filesystem::path& data_dir, CommandLine& args);
int command_pin(const std::filesystem::path& data_dir, CommandLine& args);
int command_enrol(const std::filesystem::path& data_dir, CommandLine& args);
int command_sync(const std::filesystem::path& data_dir, CommandLine& args);

}  // namespace tt::kiosk
