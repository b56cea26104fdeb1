#pragma once
// The subcommands of tutortime-kiosk, one file each. Each reads its own options from `args`,
// prints its result and returns an exit code (shared/common/command_line.h); errors are thrown
// and mapped to exit codes by main.cpp.
#include <filesystem>

#include "shared/common/command_line.h"

namespace tt::kiosk {

int command_setup(const std::filesystem::path& data_dir, CommandLine& args);
int command_survey(const std::filesystem::path& data_dir, CommandLine& args);
int command_run(const std::filesystem::path& data_dir, CommandLine& args);
int command_outbox(const std::filesystem::path& data_dir, CommandLine& args);
int command_status(const std::filesystem::path& data_dir, CommandLine& args);
int command_config(const std::filesystem::path& data_dir, CommandLine& args);
int command_pin(const std::filesystem::path& data_dir, CommandLine& args);

}  // namespace tt::kiosk
