#include "kiosk/ui/drawable_text.h"

#include <cstdio>

namespace tt::kiosk::ui {

const unsigned short kDrawableRanges[] = {0x0020, 0x00FF, 0x0100, 0x024F, 0x0370, 0x03FF, 0x0400,
                                          0x052F, 0x2000, 0x206F, 0x2190, 0x21FF, 0};

bool is_drawable(char32_t c) {
  if (c == '\n') return true;
  for (const unsigned short* r = kDrawableRanges; r[0] != 0; r += 2) {
    if (c >= r[0] && c <= r[1]) return true;
  }
  return false;
}

namespace {

// Decodes one UTF-8 sequence at `at` (the loader has already refused invalid UTF-8).
char32_t decode(const std::string& s, std::size_t& at) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char b = byte(at);
  int extra = b < 0x80 ? 0 : b < 0xE0 ? 1 : b < 0xF0 ? 2 : 3;
  char32_t c = extra == 0 ? b : extra == 1 ? (b & 0x1F) : extra == 2 ? (b & 0x0F) : (b & 0x07);
  for (int i = 1; i <= extra && at + static_cast<std::size_t>(i) < s.size(); ++i) {
    c = (c << 6) | (byte(at + static_cast<std::size_t>(i)) & 0x3F);
  }
  at += static_cast<std::size_t>(extra) + 1;
  return c;
}

std::string why_not(char32_t c) {
  if ((c >= 0x0590 && c <= 0x08FF) || (c >= 0xFB1D && c <= 0xFEFF)) {
    return "right-to-left scripts (Hebrew, Arabic, Urdu…) need shaping and bidirectional layout, "
           "which the kiosk cannot do yet";
  }
  if (c >= 0x0900 && c <= 0x0DFF) {
    return "Indic scripts (Bengali, Punjabi, Gujarati…) need shaping, which the kiosk cannot do yet";
  }
  if (c >= 0x1F000) return "the kiosk has no emoji font (the faces are drawn, not typed)";
  return "the kiosk's fonts are loaded for Latin, Greek and Cyrillic text only";
}

std::optional<std::string> search(const nlohmann::json& j, const std::string& pointer) {
  if (j.is_string()) {
    const std::string& s = j.get_ref<const std::string&>();
    for (std::size_t at = 0; at < s.size();) {
      char32_t c = decode(s, at);
      if (!is_drawable(c)) {
        char code[16];
        std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(c));
        return (pointer.empty() ? "/" : pointer) + ": " + code + " cannot be drawn (" + why_not(c) + ")";
      }
    }
    return std::nullopt;
  }
  if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      if (auto found = search(value, pointer + "/" + key)) return found;
    }
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) {
      if (auto found = search(j[i], pointer + "/" + std::to_string(i))) return found;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> find_undrawable_text(const nlohmann::json& definition) {
  // "$schema" and "description" are for the survey's authors and never drawn.
  nlohmann::json drawn = definition;
  if (drawn.is_object()) {
    drawn.erase("$schema");
    drawn.erase("description");
  }
  return search(drawn, "");
}

}  // namespace tt::kiosk::ui
