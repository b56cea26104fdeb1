#include "shared/survey/json_locator.h"

#include <vector>

namespace tt::survey {

std::string json_pointer_append(const std::string& pointer, std::string_view token) {
  std::string out = pointer;
  out.push_back('/');
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

namespace {

// One open container while scanning: its pointer, and for arrays the next index.
struct Frame {
  std::string pointer;
  bool is_array = false;
  std::size_t next_index = 0;
  std::string pending_key;  // objects: the member name just read
  bool have_key = false;
};

class Scanner {
 public:
  Scanner(std::string_view text, std::unordered_map<std::string, std::size_t>& lines,
          std::vector<std::string>& duplicates)
      : text_(text), lines_(lines), duplicates_(duplicates) {}

  void run() {
    std::vector<Frame> stack;
    // The pointer the next value will have, or empty optional semantics via `root_pending`.
    bool root_pending = true;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '\n') {
        ++line_;
        ++pos_;
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\r' || c == ',' || c == ':') {
        ++pos_;
        continue;
      }
      if (c == '}' || c == ']') {
        if (!stack.empty()) stack.pop_back();
        ++pos_;
        continue;
      }
      // A string in an object without a key yet is a member name.
      if (c == '"' && !stack.empty() && !stack.back().is_array && !stack.back().have_key) {
        std::size_t key_line = line_;
        stack.back().pending_key = read_string();
        stack.back().have_key = true;
        std::string member = json_pointer_append(stack.back().pointer, stack.back().pending_key);
        if (!lines_.emplace(member, key_line).second) duplicates_.push_back(member);
        continue;
      }
      // Otherwise a value starts here: work out its pointer.
      std::string pointer;
      if (root_pending) {
        root_pending = false;
      } else if (!stack.empty()) {
        Frame& top = stack.back();
        if (top.is_array) {
          pointer = json_pointer_append(top.pointer, std::to_string(top.next_index++));
        } else {
          pointer = json_pointer_append(top.pointer, top.pending_key);
          top.have_key = false;
        }
      }
      lines_.emplace(pointer, line_);
      if (c == '{' || c == '[') {
        stack.push_back(Frame{pointer, c == '[', 0, {}, false});
        ++pos_;
      } else if (c == '"') {
        read_string();
      } else {
        while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '}' && text_[pos_] != ']' &&
               text_[pos_] != '\n' && text_[pos_] != ' ' && text_[pos_] != '\t' && text_[pos_] != '\r') {
          ++pos_;
        }
      }
    }
  }

 private:
  // Reads a JSON string starting at its opening quote; returns it decoded enough for pointers
  // (escapes of quote, backslash and slash; \uXXXX kept as written, as member names with them
  // are not valid survey ids anyway).
  std::string read_string() {
    std::string out;
    ++pos_;  // opening quote
    while (pos_ < text_.size()) {
      char c = text_[pos_++];
      if (c == '"') break;
      if (c == '\\' && pos_ < text_.size()) {
        char e = text_[pos_++];
        switch (e) {
          case 'n': out.push_back('\n'); break;
          case 't': out.push_back('\t'); break;
          case 'r': out.push_back('\r'); break;
          case 'b': out.push_back('\b'); break;
          case 'f': out.push_back('\f'); break;
          case 'u': out += "\\u"; break;
          default: out.push_back(e);
        }
        continue;
      }
      out.push_back(c);
    }
    return out;
  }

  std::string_view text_;
  std::unordered_map<std::string, std::size_t>& lines_;
  std::vector<std::string>& duplicates_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
};

}  // namespace

JsonLocator::JsonLocator(std::string_view text) {
  Scanner(text, lines_, duplicates_).run();
}

std::size_t JsonLocator::line_of(const std::string& pointer) const {
  auto it = lines_.find(pointer);
  return it == lines_.end() ? 0 : it->second;
}

}  // namespace tt::survey
