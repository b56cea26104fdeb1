#pragma once
// What text the kiosk can draw: the code points its fonts are loaded for (Latin with the
// extensions that Polish, Romanian, Turkish, Lithuanian, Portuguese and Spanish need, Greek,
// Cyrillic, general punctuation and arrows). Anything else would be drawn as "?", and scripts that
// need shaping or right-to-left layout (Arabic, Urdu, Hebrew, Bengali, Punjabi…) cannot be drawn
// by Dear ImGui 1.86 at all — so the kiosk refuses to install a survey with such text rather than
// show pupils question marks.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace tt::kiosk::ui {

// Pairs of first and last code point, ending with 0 (the format ImGui's font loader takes).
extern const unsigned short kDrawableRanges[];

bool is_drawable(char32_t code_point);

// The first string in `definition` (a survey's JSON) with a character the kiosk cannot draw:
// "/sections/0/questions/3/text: U+0627 cannot be drawn (Arabic script needs shaping …)".
std::optional<std::string> find_undrawable_text(const nlohmann::json& definition);

}  // namespace tt::kiosk::ui
