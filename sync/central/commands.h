#pragma once
// The subcommands of tutortime-central, one file each.
#include "shared/common/command_line.h"

namespace tt::central {

int command_serve(CommandLine& args);
int command_pin(CommandLine& args);

}  // namespace tt::central
