#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "kiosk/ui/widgets.h"

namespace tt::kiosk::ui {

namespace {

void record(DrawContext& dc, std::string_view label) {
  ImVec2 min = ImGui::GetItemRectMin();
  ImVec2 size = ImGui::GetItemRectSize();
  dc.registry.record(label, min.x, min.y, size.x, size.y);
}

}  // namespace

bool big_button(DrawContext& dc, std::string_view label, float width, ButtonStyle style, std::string_view id) {
  const Theme& t = dc.theme;
  ImFont* font = t.body;
  ImGui::PushFont(font);
  const char* label_end = label.data() + label.size();
  ImVec2 text_size = ImGui::CalcTextSize(label.data(), label_end, false, width - 2 * t.gap());
  float height = std::max(t.target_height(), text_size.y + t.gap() * 1.5f);
  std::string_view key = id.empty() ? label : id;
  ImGui::PushID(key.data(), key.data() + key.size());  // by range: no copy to terminate it
  bool tapped = ImGui::InvisibleButton("button", ImVec2(width, height));
  ImGui::PopID();
  record(dc, label);
  ImVec2 min = ImGui::GetItemRectMin();
  ImVec2 max = ImGui::GetItemRectMax();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  float rounding = ImGui::GetStyle().FrameRounding;
  ImU32 fill = t.accent();
  ImU32 ink = t.accent_text();
  if (style == ButtonStyle::Secondary || style == ButtonStyle::Choice) {
    fill = t.surface();
    ink = t.text();
  } else if (style == ButtonStyle::ChoiceSelected) {
    fill = t.selected();
  }
  if (ImGui::IsItemActive()) fill = t.selected();
  draw->AddRectFilled(min, max, fill, rounding);
  if (style == ButtonStyle::Secondary || style == ButtonStyle::Choice) {
    draw->AddRect(min, max, t.accent(), rounding, 0, 0.6f * t.pixels_per_mm);
  }
  ImVec2 text_pos(min.x + (width - text_size.x) * 0.5f, min.y + (height - text_size.y) * 0.5f);
  if (style == ButtonStyle::Choice || style == ButtonStyle::ChoiceSelected) text_pos.x = min.x + t.gap() * 2.5f;
  draw->AddText(font, font->FontSize, text_pos, ink, label.data(), label_end, width - 2 * t.gap());
  if (style == ButtonStyle::Choice || style == ButtonStyle::ChoiceSelected) {
    // A tick box at the left, filled when chosen: the choice is visible without colour alone.
    float box = font->FontSize * 0.8f;
    ImVec2 b0(min.x + t.gap() * 0.8f, min.y + (height - box) * 0.5f);
    ImVec2 b1(b0.x + box, b0.y + box);
    draw->AddRect(b0, b1, ink, 0.2f * box, 0, 0.5f * t.pixels_per_mm);
    if (style == ButtonStyle::ChoiceSelected) {
      draw->AddLine(ImVec2(b0.x + 0.2f * box, b0.y + 0.5f * box), ImVec2(b0.x + 0.42f * box, b0.y + 0.75f * box), ink,
                    0.7f * t.pixels_per_mm);
      draw->AddLine(ImVec2(b0.x + 0.42f * box, b0.y + 0.75f * box), ImVec2(b0.x + 0.82f * box, b0.y + 0.25f * box), ink,
                    0.7f * t.pixels_per_mm);
    }
  }
  ImGui::PopFont();
  return tapped;
}

bool face_button(DrawContext& dc, int face, std::string_view label, float size, bool selected) {
  const Theme& t = dc.theme;
  ImGui::PushFont(t.body);
  float label_height = ImGui::GetTextLineHeightWithSpacing() * 2;
  bool tapped = ImGui::InvisibleButton(("face" + std::to_string(face)).c_str(), ImVec2(size, size + label_height));
  record(dc, label);
  ImVec2 min = ImGui::GetItemRectMin();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  ImVec2 centre(min.x + size * 0.5f, min.y + size * 0.5f);
  float r = size * 0.42f;
  // Soft colours from a warm red (saddest) to green (happiest); the mouth says it as well.
  static const ImU32 kFills[] = {IM_COL32(252, 165, 165, 255), IM_COL32(253, 205, 150, 255),
                                 IM_COL32(253, 230, 138, 255), IM_COL32(190, 242, 100, 255),
                                 IM_COL32(134, 239, 172, 255)};
  draw->AddCircleFilled(centre, r, kFills[std::clamp(face, 1, 5) - 1], 48);
  draw->AddCircle(centre, r, selected ? t.selected() : t.text(), 48, (selected ? 1.6f : 0.6f) * t.pixels_per_mm);
  float eye = r * 0.11f;
  draw->AddCircleFilled(ImVec2(centre.x - r * 0.35f, centre.y - r * 0.25f), eye, t.text());
  draw->AddCircleFilled(ImVec2(centre.x + r * 0.35f, centre.y - r * 0.25f), eye, t.text());
  // The mouth: a curve whose bend goes from a frown (face 1) through flat (3) to a smile (5).
  float bend = (static_cast<float>(face) - 3.0f) * 0.18f * r;
  ImVec2 left(centre.x - r * 0.45f, centre.y + r * 0.35f);
  ImVec2 right(centre.x + r * 0.45f, centre.y + r * 0.35f);
  ImVec2 control(centre.x, centre.y + r * 0.35f + 2 * bend);
  draw->AddBezierQuadratic(left, control, right, t.text(), 0.7f * t.pixels_per_mm, 24);
  if (selected) {
    draw->AddCircle(centre, r + 0.9f * t.pixels_per_mm, t.selected(), 48, 0.8f * t.pixels_per_mm);
  }
  ImVec2 text_size = ImGui::CalcTextSize(label.data(), label.data() + label.size(), false, size);
  draw->AddText(t.body, t.body->FontSize, ImVec2(min.x + (size - text_size.x) * 0.5f, min.y + size + 2), t.text(),
                label.data(), label.data() + label.size(), size);
  ImGui::PopFont();
  return tapped;
}

void paragraph(DrawContext& dc, std::string_view text, bool heading) {
  ImGui::PushFont(heading ? dc.theme.heading : dc.theme.body);
  ImGui::PushStyleColor(ImGuiCol_Text, dc.theme.text());
  ImGui::PushTextWrapPos(dc.column_right > 0 ? dc.column_right
                                             : ImGui::GetCursorPosX() + ImGui::GetContentRegionAvail().x);
  ImGui::TextUnformatted(text.data(), text.data() + text.size());
  dc.registry.record_text(text);
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
  ImGui::PopFont();
}

void progress_bar(DrawContext& dc, std::size_t position, std::size_t total, float width) {
  const Theme& t = dc.theme;
  float height = 2.0f * t.pixels_per_mm;
  ImVec2 min = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(width, height));
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(min, ImVec2(min.x + width, min.y + height), IM_COL32(203, 213, 225, 255), height);
  float done = total == 0 ? 0.0f : static_cast<float>(position) / static_cast<float>(total);
  draw->AddRectFilled(min, ImVec2(min.x + width * std::clamp(done, 0.0f, 1.0f), min.y + height), t.accent(), height);
}

}  // namespace tt::kiosk::ui
