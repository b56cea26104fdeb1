// `tutortime-kiosk config set KEY VALUE` and `config show [--json]`: the technician's settings for
// this kiosk (kiosk/session/kiosk_config.h lists them).
#include <iostream>
#include <nlohmann/json.hpp>

#include "kiosk/cli/commands.h"
#include "kiosk/cli/open_store.h"
#include "kiosk/session/kiosk_config.h"

namespace tt::kiosk {

int command_config(const std::filesystem::path& data_dir, CommandLine& args) {
  std::string verb = args.required_positional("a config command (set or show)");
  if (verb == "set") {
    std::string key = args.required_positional("a setting name (e.g. school-contact)");
    std::string value = args.required_positional("a value (quote it if it has spaces; \"\" to clear)");
    args.expect_done();
    auto store = open_store_for_command(data_dir);
    set_kiosk_config_value(*store, key, value);
    std::cout << key << " set to " << (value.empty() ? "(none)" : value) << "\n";
    return kExitOk;
  }
  if (verb == "show") {
    bool as_json = args.flag("--json");
    args.expect_done();
    auto store = open_store_for_command(data_dir);
    auto entries = kiosk_config_entries(load_kiosk_config(*store));
    if (as_json) {
      nlohmann::json j = nlohmann::json::object();
      for (const auto& [k, v] : entries) j[k] = v;
      std::cout << j.dump() << "\n";
      return kExitOk;
    }
    for (const auto& [k, v] : entries) std::cout << k << " = " << (v.empty() ? "(none)" : v) << "\n";
    return kExitOk;
  }
  throw UsageError("unknown config command \"" + verb + "\" (expected set or show)");
}

}  // namespace tt::kiosk
