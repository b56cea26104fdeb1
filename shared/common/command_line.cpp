#include "shared/common/command_line.h"

namespace tt {

CommandLine::CommandLine(int argc, char** argv, int first) {
  for (int i = first; i < argc; ++i) args_.emplace_back(argv[i]);
}

std::optional<std::string> CommandLine::option(const std::string& name) {
  std::optional<std::string> value;
  for (std::size_t i = 0; i < args_.size();) {
    const std::string& a = args_[i];
    if (a == name) {
      if (i + 1 >= args_.size()) throw UsageError(name + " needs a value");
      value = args_[i + 1];
      args_.erase(args_.begin() + static_cast<std::ptrdiff_t>(i), args_.begin() + static_cast<std::ptrdiff_t>(i) + 2);
    } else if (a.size() > name.size() && a.compare(0, name.size(), name) == 0 && a[name.size()] == '=') {
      value = a.substr(name.size() + 1);
      args_.erase(args_.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      ++i;
    }
  }
  return value;
}

std::string CommandLine::required_option(const std::string& name) {
  auto v = option(name);
  if (!v) throw UsageError("missing " + name);
  return *v;
}

bool CommandLine::flag(const std::string& name) {
  bool found = false;
  for (std::size_t i = 0; i < args_.size();) {
    if (args_[i] == name) {
      found = true;
      args_.erase(args_.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      ++i;
    }
  }
  return found;
}

std::optional<std::string> CommandLine::next_positional() {
  for (std::size_t i = 0; i < args_.size(); ++i) {
    if (args_[i].rfind("--", 0) == 0 && args_[i] != "--") continue;
    std::string v = args_[i];
    args_.erase(args_.begin() + static_cast<std::ptrdiff_t>(i));
    return v;
  }
  return std::nullopt;
}

std::string CommandLine::required_positional(const std::string& what) {
  auto v = next_positional();
  if (v) return *v;
  // Only options are left: one of them is what the caller got wrong, so name it.
  if (!args_.empty()) throw UsageError("unknown option " + args_.front() + " (expected " + what + ")");
  throw UsageError("missing " + what);
}

std::vector<std::string> CommandLine::remaining_positionals() {
  std::vector<std::string> out;
  while (auto v = next_positional()) out.push_back(*v);
  return out;
}

void CommandLine::expect_done() {
  if (args_.empty()) return;
  const std::string& a = args_.front();
  if (a.rfind("--", 0) == 0) throw UsageError("unknown option " + a);
  throw UsageError("unexpected argument \"" + a + "\"");
}

}  // namespace tt
