#include <imgui.h>

#include "kiosk/ui/screens.h"
#include "kiosk/ui/ui_text.h"

namespace tt::kiosk::ui {

void draw_end(DrawContext& dc, const survey::Survey& survey, const std::string& language, bool talk_to_someone,
              const std::string& school_contact, Intents& out) {
  float width = begin_column(dc);
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
  paragraph(dc, ui_text(UiText::ThankYou, language), true);
  paragraph(dc, survey.end_message.in(language));
  paragraph(dc, survey.safeguarding.signpost.in(language));
  if (!school_contact.empty()) paragraph(dc, ui_text(UiText::SchoolContact, language) + school_contact);
  ImGui::PopTextWrapPos();
  ImGui::Dummy(ImVec2(1, dc.theme.gap()));
  if (survey.safeguarding.offer_talk_button &&
      big_button(dc, ui_text(UiText::TalkToSomeone, language), width,
                 talk_to_someone ? ButtonStyle::ChoiceSelected : ButtonStyle::Choice, "talk")) {
    out.toggle_talk = true;
  }
  if (big_button(dc, ui_text(UiText::Done, language), width, ButtonStyle::Primary, "done")) out.done = true;
  ImGui::EndGroup();
}

}  // namespace tt::kiosk::ui
