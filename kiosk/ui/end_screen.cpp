#include <imgui.h>

#include "kiosk/ui/screens.h"

namespace tt::kiosk::ui {

void draw_end(DrawContext& dc, const survey::Survey& survey, const std::string& language, bool talk_to_someone,
              Intents& out) {
  float width = begin_column(dc);
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
  paragraph(dc, "Thank you!", true);
  paragraph(dc, survey.end_message.in(language));
  paragraph(dc, survey.safeguarding.signpost.in(language));
  ImGui::PopTextWrapPos();
  ImGui::Dummy(ImVec2(1, dc.theme.gap()));
  if (survey.safeguarding.offer_talk_button &&
      big_button(dc, "I'd like to talk to someone", width,
                 talk_to_someone ? ButtonStyle::ChoiceSelected : ButtonStyle::Choice)) {
    out.toggle_talk = true;
  }
  if (big_button(dc, "Done", width)) out.done = true;
  ImGui::EndGroup();
}

}  // namespace tt::kiosk::ui
