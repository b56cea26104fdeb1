#include <imgui.h>

#include "kiosk/ui/screens.h"
#include "kiosk/ui/ui_text.h"

namespace tt::kiosk::ui {

// Shown instead of the pupil's screen when the kiosk has been left alone: it shows nothing of
// their answers, so a passer-by sees only this.
void draw_still_there(DrawContext& dc, int seconds_left, const std::string& language, Intents& out) {
  float height = ImGui::GetContentRegionAvail().y;
  ImGui::Dummy(ImVec2(1, height * 0.25f));
  float width = begin_column(dc);
  ImGui::BeginGroup();
  paragraph(dc, ui_text(UiText::StillThere, language), true);
  paragraph(dc, still_there_closing(seconds_left, language));
  paragraph(dc, ui_text(UiText::StillThereSaved, language));
  ImGui::Dummy(ImVec2(1, dc.theme.gap()));
  if (big_button(dc, ui_text(UiText::StillHere, language), width, ButtonStyle::Primary, "still here")) {
    out.still_here = true;
  }
  ImGui::EndGroup();
}

}  // namespace tt::kiosk::ui
