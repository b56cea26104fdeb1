#include "shared/common/script_lines.h"

#include <sstream>

namespace tt {

std::string trim_spaces(std::string_view s) {
  auto begin = s.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return {};
  auto end = s.find_last_not_of(" \t\r");
  return std::string(s.substr(begin, end - begin + 1));
}

std::vector<ScriptLine> split_script_lines(const std::string& text) {
  std::vector<ScriptLine> lines;
  std::istringstream in(text);
  std::string raw;
  std::size_t number = 0;
  while (std::getline(in, raw)) {
    ++number;
    std::string line = trim_spaces(raw);
    if (line.empty() || line[0] == '#') continue;
    auto space = line.find_first_of(" \t");
    ScriptLine l;
    l.number = number;
    l.verb = line.substr(0, space);
    if (space != std::string::npos) l.rest = trim_spaces(std::string_view(line).substr(space));
    lines.push_back(std::move(l));
  }
  return lines;
}

}  // namespace tt
