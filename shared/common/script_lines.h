#pragma once
// The line format every Tutortime script shares (the pupil action script, the UI input script):
// one action a line as `VERB REST`, blank lines and lines starting with # ignored, line numbers
// kept for messages.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace tt {

struct ScriptLine {
  std::size_t number = 0;  // 1-based, counting blank and comment lines
  std::string verb;
  std::string rest;  // trimmed; empty when the verb stands alone
  std::string where() const { return "line " + std::to_string(number) + ": "; }
};

std::vector<ScriptLine> split_script_lines(const std::string& text);
// Without leading and trailing spaces, tabs and carriage returns.
std::string trim_spaces(std::string_view s);

}  // namespace tt
