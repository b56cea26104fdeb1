#include <imgui.h>

#include <map>

#include "kiosk/ui/screens.h"
#include "kiosk/ui/ui_text.h"

namespace tt::kiosk::ui {

namespace {

// Each language named in itself, so a pupil new to English finds theirs. Scripts the font cannot
// draw yet (Urdu, Arabic, Bengali, Punjabi need shaping) show the English name beside the tag.
const std::map<std::string, std::string>& native_names() {
  static const std::map<std::string, std::string> kNames = {
      {"en", "English"},   {"pl", "Polski"},      {"ro", "Română"},       {"lt", "Lietuvių"},     {"pt", "Português"},
      {"es", "Español"},   {"fr", "Français"},    {"so", "Soomaali"},     {"uk", "Українська"},   {"ru", "Русский"},
      {"ur", "Urdu (ur)"}, {"ar", "Arabic (ar)"}, {"bn", "Bengali (bn)"}, {"pa", "Punjabi (pa)"},
  };
  return kNames;
}

}  // namespace

void draw_language(DrawContext& dc, const survey::Survey& survey, Intents& out) {
  float width = begin_column(dc);
  ImGui::BeginGroup();
  paragraph(dc, "Choose your language", true);
  for (const std::string& tag : survey.languages) {
    auto it = native_names().find(tag);
    std::string label = it != native_names().end() ? it->second : tag;
    if (big_button(dc, label, width, ButtonStyle::Choice, "language " + tag)) out.language = tag;
  }
  ImGui::EndGroup();
}

void draw_display_bar(DrawContext& dc, const DisplayChoice& choice, const std::string& language, Intents& out) {
  constexpr UiText kSizes[] = {UiText::TextSize1, UiText::TextSize2, UiText::TextSize3};
  float width = begin_column(dc);
  float half = (width - dc.theme.gap()) * 0.5f;
  ImGui::BeginGroup();
  if (big_button(dc, ui_text(kSizes[choice.text_step], language), half, ButtonStyle::Secondary, "text size"))
    out.cycle_text_size = true;
  ImGui::SameLine(0, dc.theme.gap());
  if (big_button(dc, ui_text(choice.high_contrast ? UiText::NormalColours : UiText::HighContrast, language), half,
                 ButtonStyle::Secondary, "contrast")) {
    out.toggle_contrast = true;
  }
  ImGui::EndGroup();
}

}  // namespace tt::kiosk::ui
