// The staff-only screens behind the hidden corner press: who is asking (teacher or technician),
// then their PIN on a keypad. Nothing here checks a PIN: the app does, through the guard in
// kiosk/session/staff_pin.h, and hands back the message to show.
#include <imgui.h>

#include "kiosk/ui/screens.h"

namespace tt::kiosk::ui {

void draw_staff_choice(DrawContext& dc, Intents& out) {
  float height = ImGui::GetContentRegionAvail().y;
  ImGui::Dummy(ImVec2(1, height * 0.15f));
  float width = begin_column(dc);
  ImGui::BeginGroup();
  paragraph(dc, "Staff only", true);
  paragraph(dc, "If you are a pupil, please tap \"Back to the start\".");
  ImGui::Dummy(ImVec2(1, dc.theme.gap()));
  if (big_button(dc, "Teacher: class session", width, ButtonStyle::Choice)) out.staff_role = PinRole::Teacher;
  if (big_button(dc, "Technician", width, ButtonStyle::Choice)) out.staff_role = PinRole::Technician;
  ImGui::Dummy(ImVec2(1, dc.theme.gap()));
  if (big_button(dc, "Back to the start", width, ButtonStyle::Secondary)) out.staff_cancel = true;
  ImGui::EndGroup();
}

void draw_staff_pin(DrawContext& dc, PinRole role, std::size_t typed_digits, const std::string& message, Intents& out) {
  float width = begin_column(dc);
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
  paragraph(dc, role == PinRole::Teacher ? "Teacher PIN" : "Technician PIN", true);
  // One star per digit typed: how many, never which.
  std::string stars;
  for (std::size_t i = 0; i < typed_digits; ++i) stars += i == 0 ? "*" : " *";
  paragraph(dc, typed_digits == 0 ? std::string("Type the PIN, then OK.") : stars, typed_digits != 0);
  if (!message.empty()) paragraph(dc, message);
  ImGui::PopTextWrapPos();
  float gap = dc.theme.gap() * 0.5f;
  float key = (width - 2 * gap) / 3.0f;
  const char* const rows[] = {"123", "456", "789"};
  for (const char* row : rows) {
    for (const char* k = row; *k != '\0'; ++k) {
      if (k != row) ImGui::SameLine(0, gap);
      if (big_button(dc, std::string(1, *k), key, ButtonStyle::Secondary, std::string("pin key ") + *k)) {
        out.pin_key = *k;
      }
    }
  }
  if (big_button(dc, "Delete", key, ButtonStyle::Secondary, "pin delete")) out.pin_delete = true;
  ImGui::SameLine(0, gap);
  if (big_button(dc, "0", key, ButtonStyle::Secondary, "pin key 0")) out.pin_key = '0';
  ImGui::SameLine(0, gap);
  if (big_button(dc, "OK", key, ButtonStyle::Primary, "pin ok")) out.pin_submit = true;
  ImGui::Dummy(ImVec2(1, dc.theme.gap()));
  if (big_button(dc, "Cancel", width, ButtonStyle::Secondary, "pin cancel")) out.staff_cancel = true;
  ImGui::EndGroup();
}

}  // namespace tt::kiosk::ui
