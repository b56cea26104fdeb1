#include <imgui.h>

#include "kiosk/ui/screens.h"

namespace tt::kiosk::ui {

// Shown instead of the pupil's screen when the kiosk has been left alone: it shows nothing of
// their answers, so a passer-by sees only this.
void draw_still_there(DrawContext& dc, int seconds_left, Intents& out) {
  float height = ImGui::GetContentRegionAvail().y;
  ImGui::Dummy(ImVec2(1, height * 0.25f));
  float width = begin_column(dc);
  ImGui::BeginGroup();
  paragraph(dc, "Are you still there?", true);
  paragraph(dc, "If no one taps, this survey will close in " + std::to_string(seconds_left) +
                    (seconds_left == 1 ? " second." : " seconds."));
  paragraph(dc, "Your answers so far are saved.");
  ImGui::Dummy(ImVec2(1, dc.theme.gap()));
  if (big_button(dc, "I'm still here", width)) out.still_here = true;
  ImGui::EndGroup();
}

}  // namespace tt::kiosk::ui
