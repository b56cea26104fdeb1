// The pupil types the code from their card: the code so far shown large, one slot per
// character ("7 K 3 _ _ _"), a keypad of the code alphabet's characters only (pupil_code.h: so
// no key can type a character a code never has), Delete and Start. Every tap becomes an intent;
// the app keeps what was typed and checks it (a kind message comes back when it is not a code).
#include <imgui.h>

#include <algorithm>

#include "kiosk/session/pupil_code.h"
#include "kiosk/ui/screens.h"

namespace tt::kiosk::ui {

namespace {

constexpr std::size_t kKeysPerRow = 6;

// "7K3" → "7 K 3 _ _ _": typed characters in upper case, then a slot for each one still to come.
std::string slots(const std::string& typed) {
  std::string shown;
  std::size_t count = std::max(typed.size(), kPupilCodeLength);
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) shown.push_back(' ');
    char c = i < typed.size() ? typed[i] : '_';
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    shown.push_back(c);
  }
  return shown;
}

// The typed code, large and centred on a rounded panel as wide as the column.
void draw_typed(DrawContext& dc, const std::string& typed, float width) {
  const Theme& t = dc.theme;
  ImFont* font = t.heading;
  float size = font->FontSize * 1.6f;
  float height = size + 2 * t.gap();
  ImVec2 min = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(width, height));
  ImVec2 max(min.x + width, min.y + height);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  panel(dc, min, max);
  std::string text = slots(typed);
  ImVec2 text_size = font->CalcTextSizeA(size, width, 0.0f, text.c_str());
  draw->AddText(font, size, ImVec2(min.x + (width - text_size.x) * 0.5f, min.y + (height - text_size.y) * 0.5f),
                t.text(), text.c_str());
}

}  // namespace

void draw_pupil_code(DrawContext& dc, const std::string& typed, const std::string& kind_message, Intents& out) {
  float width = begin_column(dc);
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
  paragraph(dc, "Type your code", true);
  paragraph(dc, "It is on your card: 6 letters and numbers.");
  ImGui::PopTextWrapPos();
  draw_typed(dc, typed, width);
  ImGui::Dummy(ImVec2(1, dc.theme.gap() * 0.5f));

  // Rows of six big keys (each well over 12 mm: the column is up to 190 mm wide).
  float gap = dc.theme.gap() * 0.5f;
  float key = (width - gap * static_cast<float>(kKeysPerRow - 1)) / static_cast<float>(kKeysPerRow);
  for (std::size_t i = 0; i < kPupilCodeAlphabet.size(); ++i) {
    if (i % kKeysPerRow != 0) ImGui::SameLine(0, gap);
    char c = kPupilCodeAlphabet[i];
    if (big_button(dc, std::string(1, c), key, ButtonStyle::Secondary, std::string("code key ") + c)) {
      out.code_key = c;
    }
  }

  if (!kind_message.empty()) {
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
    paragraph(dc, kind_message);
    ImGui::PopTextWrapPos();
  }
  ImGui::Dummy(ImVec2(1, dc.theme.gap()));
  float half = (width - dc.theme.gap()) * 0.5f;
  if (big_button(dc, "Delete", half, ButtonStyle::Secondary, "code delete")) out.code_delete = true;
  ImGui::SameLine(0, dc.theme.gap());
  if (big_button(dc, "Start", half, ButtonStyle::Primary, "code start")) out.code_submit = true;
  ImGui::EndGroup();
}

}  // namespace tt::kiosk::ui
