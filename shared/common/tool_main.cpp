#include "shared/common/tool_main.h"

#include <iostream>

namespace tt {

int run_tool(const Tool& tool, int argc, char** argv) {
  try {
    CommandLine args(argc, argv);
    if (args.empty()) {
      std::cout << tool.help;
      return kExitUsage;
    }
    if (args.flag("--help") || args.flag("-h")) {
      std::cout << tool.help;
      return kExitOk;
    }
    return tool.dispatch(args);
  } catch (const UsageError& e) {
    std::cerr << tool.name << ": " << e.what() << "\nTry '" << tool.name << " --help'.\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << tool.name << ": " << e.what() << "\n";
    if (tool.exit_code_of) {
      if (std::optional<int> code = tool.exit_code_of(e)) return *code;
    }
    return dynamic_cast<const InvalidInputError*>(&e) != nullptr ? kExitInvalidInput : kExitFailure;
  }
}

}  // namespace tt
