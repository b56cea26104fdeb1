#include <imgui.h>

#include "kiosk/ui/screens.h"
#include "kiosk/ui/ui_text.h"

namespace tt::kiosk::ui {

// The notice in plain words (ICO Children's Code: transparency; safeguarding: never promise
// secrecy), before the first question.
void draw_notice(DrawContext& dc, const survey::Survey& survey, const std::string& language, bool welcome_back,
                 Intents& out) {
  float width = begin_column(dc);
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
  paragraph(dc, survey.title.in(language), true);
  if (welcome_back) paragraph(dc, ui_text(UiText::WelcomeBack, language));
  for (UiText line : {UiText::NoticeWhy, UiText::NoticeWhoReads, UiText::NoticeSafe, UiText::NoticeSkip}) {
    paragraph(dc, ui_text(line, language));
  }
  if (survey.notice) paragraph(dc, survey.notice->in(language));
  ImGui::PopTextWrapPos();
  ImGui::Dummy(ImVec2(1, dc.theme.gap()));
  if (big_button(dc, ui_text(UiText::Start, language), width, ButtonStyle::Primary, "start"))
    out.begin_questions = true;
  ImGui::EndGroup();
}

}  // namespace tt::kiosk::ui
