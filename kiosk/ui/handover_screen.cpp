#include <imgui.h>

#include <algorithm>

#include "kiosk/ui/screens.h"

namespace tt::kiosk::ui {

float begin_column(DrawContext& dc) {
  float avail = ImGui::GetContentRegionAvail().x;
  float width = std::min(avail, 190.0f * dc.theme.pixels_per_mm);
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail - width) * 0.5f);
  dc.column_right = ImGui::GetCursorPosX() + width;
  return width;
}

// Shows nothing about anyone: the same screen for every pupil.
void draw_handover(DrawContext& dc, bool can_start, const std::string& class_line, Intents& out) {
  float height = ImGui::GetContentRegionAvail().y;
  ImGui::Dummy(ImVec2(1, height * 0.3f));
  float width = begin_column(dc);
  ImGui::BeginGroup();
  paragraph(dc, "Hello!", true);
  if (!can_start) {
    paragraph(dc, "The survey is not ready yet. Please ask your teacher.");
    ImGui::EndGroup();
    return;
  }
  paragraph(dc, "This tablet has a short survey for you.");
  if (!class_line.empty()) paragraph(dc, class_line);
  ImGui::Dummy(ImVec2(1, dc.theme.gap()));
  if (big_button(dc, "Tap to start", width)) out.start = true;
  ImGui::EndGroup();
}

}  // namespace tt::kiosk::ui
