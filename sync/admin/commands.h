#pragma once
// The subcommands of tutortime-admin (the central team's tool), one file each.
#include "shared/common/command_line.h"

namespace tt::admin {

int command_keygen(CommandLine& args);
int command_survey(CommandLine& args);
int command_open(CommandLine& args);
int command_enrol_token(CommandLine& args);
int command_revoke(CommandLine& args);
int command_fleet(CommandLine& args);
int command_export(CommandLine& args);
int command_import(CommandLine& args);
int command_roster(CommandLine& args);

}  // namespace tt::admin
