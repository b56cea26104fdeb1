// The teacher's class session: which installed survey, which tutor group (typed on a keypad of
// capitals and digits), then open; or close the one that is open.
#include <imgui.h>

#include "kiosk/ui/screens.h"

namespace tt::kiosk::ui {

void draw_class_session(DrawContext& dc, const ClassSessionView& view, Intents& out) {
  float width = begin_column(dc);
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
  paragraph(dc, "Class session", true);
  if (view.open) {
    paragraph(dc, "Open now: " + view.open->tutor_group + ", " + view.open_title);
  }
  paragraph(dc, "Choose the survey:");
  ImGui::PopTextWrapPos();
  for (const auto& [id, title] : view.surveys) {
    bool chosen = id == view.chosen_survey;
    if (big_button(dc, title, width, chosen ? ButtonStyle::ChoiceSelected : ButtonStyle::Choice, "survey " + id)) {
      out.class_survey = id;
    }
  }
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
  paragraph(dc, "Tutor group: " +
                    (view.typed_group.empty()
                         ? std::string(view.roster_groups.empty() ? "(type it below)" : "(choose it, or type it below)")
                         : view.typed_group));
  if (!view.message.empty()) paragraph(dc, view.message);
  ImGui::PopTextWrapPos();
  float gap = dc.theme.gap() * 0.3f;
  // The school's groups from its roster, five to a row, so most teachers need no typing.
  constexpr int kGroupsPerRow = 5;
  float group_width = (width - (kGroupsPerRow - 1) * gap) / kGroupsPerRow;
  for (std::size_t i = 0; i < view.roster_groups.size(); ++i) {
    const std::string& group = view.roster_groups[i];
    if (i % kGroupsPerRow != 0) ImGui::SameLine(0, gap);
    ButtonStyle style = group == view.typed_group ? ButtonStyle::ChoiceSelected : ButtonStyle::Choice;
    if (big_button(dc, group, group_width, style, "group " + group)) out.class_group = group;
  }
  if (!view.roster_groups.empty()) ImGui::Dummy(ImVec2(1, dc.theme.gap() * 0.5f));
  float key = (width - 9 * gap) / 10.0f;
  const char* const rows[] = {"1234567890", "ABCDEFGHIJ", "KLMNOPQRST", "UVWXYZ"};
  for (const char* row : rows) {
    for (const char* k = row; *k != '\0'; ++k) {
      if (k != row) ImGui::SameLine(0, gap);
      if (big_button(dc, std::string(1, *k), key, ButtonStyle::Secondary, std::string("group key ") + *k)) {
        out.group_key = *k;
      }
    }
  }
  ImGui::SameLine(0, gap);
  if (big_button(dc, "Delete", key * 4 + gap * 3, ButtonStyle::Secondary, "group delete")) out.group_delete = true;
  ImGui::Dummy(ImVec2(1, dc.theme.gap()));
  if (big_button(dc, "Open class session", width)) out.class_open = true;
  float half = (width - dc.theme.gap()) * 0.5f;
  if (view.open) {
    if (big_button(dc, "Close class session", half, ButtonStyle::Secondary)) out.class_close = true;
    ImGui::SameLine(0, dc.theme.gap());
  }
  if (big_button(dc, "Cancel", view.open ? half : width, ButtonStyle::Secondary, "class cancel")) {
    out.staff_cancel = true;
  }
  ImGui::EndGroup();
}

}  // namespace tt::kiosk::ui
