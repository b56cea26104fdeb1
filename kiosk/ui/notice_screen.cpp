#include <imgui.h>

#include "kiosk/ui/screens.h"

namespace tt::kiosk::ui {

// The notice in plain words (ICO Children's Code: transparency; safeguarding: never promise
// secrecy), before the first question.
void draw_notice(DrawContext& dc, const survey::Survey& survey, const std::string& language, Intents& out) {
  float width = begin_column(dc);
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
  paragraph(dc, survey.title.in(language), true);
  paragraph(dc, "These questions help your school to help you.");
  paragraph(dc, "A few adults at your school and the council will read your answers.");
  paragraph(dc, "If an answer shows you may not be safe, an adult will help you.");
  paragraph(dc, "You can skip a question with \"I'd rather not say\" when you see it.");
  if (survey.notice) paragraph(dc, survey.notice->in(language));
  ImGui::PopTextWrapPos();
  ImGui::Dummy(ImVec2(1, dc.theme.gap()));
  if (big_button(dc, "Start", width)) out.begin_questions = true;
  ImGui::EndGroup();
}

}  // namespace tt::kiosk::ui
