#pragma once
// Maps each value of a JSON document to the line it starts on, so validation errors can say
// "/sections/1/questions/3/show_if (line 88)". nlohmann-json 3.11 keeps no positions, so this
// is a small scanner of its own over text that nlohmann has already accepted as valid JSON.
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tt::survey {

class JsonLocator {
 public:
  JsonLocator() = default;
  // `text` must be valid JSON (parse it first); on anything else the map is just incomplete.
  explicit JsonLocator(std::string_view text);
  // The 1-based line of the value at `pointer` (RFC 6901, "" for the root), or of the member
  // name for an object member; 0 when unknown.
  std::size_t line_of(const std::string& pointer) const;
  // Pointers of object members whose name appeared twice in the same object (nlohmann keeps
  // only the last, so a designer's first definition would vanish without this).
  const std::vector<std::string>& duplicate_members() const { return duplicates_; }

 private:
  std::unordered_map<std::string, std::size_t> lines_;
  std::vector<std::string> duplicates_;
};

// Appends one reference token to a JSON pointer, escaping "~" and "/".
std::string json_pointer_append(const std::string& pointer, std::string_view token);

}  // namespace tt::survey
