#include "kiosk/ui/theme.h"

#include <filesystem>

#include "kiosk/ui/drawable_text.h"

namespace tt::kiosk::ui {

namespace {

constexpr const char* kFontCandidates[] = {
    "/usr/share/fonts/truetype/andika/Andika-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
};

ImU32 rgb(int r, int g, int b) {
  return IM_COL32(r, g, b, 255);
}

}  // namespace

// Colours: dark slate text on a pale blue-grey page (contrast 13:1); white on the accent blue
// (#1D4ED8, 6.7:1) — both beyond WCAG AA's 4.5:1 for text.
ImU32 Theme::accent() const {
  return high_contrast ? rgb(0, 0, 0) : rgb(29, 78, 216);
}
ImU32 Theme::accent_text() const {
  return rgb(255, 255, 255);
}
ImU32 Theme::text() const {
  return high_contrast ? rgb(0, 0, 0) : rgb(30, 41, 59);
}
ImU32 Theme::muted() const {
  return high_contrast ? rgb(0, 0, 0) : rgb(71, 85, 105);
}
ImU32 Theme::surface() const {
  return high_contrast ? rgb(255, 255, 255) : rgb(255, 255, 255);
}
ImU32 Theme::selected() const {
  return high_contrast ? rgb(0, 0, 0) : rgb(21, 128, 61);
}
ImVec4 Theme::background() const {
  return high_contrast ? ImVec4(1, 1, 1, 1) : ImVec4(0.953f, 0.965f, 0.984f, 1.0f);
}

bool apply_theme(Theme& theme) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  float body_px = 7.0f * theme.pixels_per_mm * theme.text_scale;
  const char* font_file = nullptr;
  for (const char* candidate : kFontCandidates) {
    std::error_code ec;
    if (std::filesystem::exists(candidate, ec)) {
      font_file = candidate;
      break;
    }
  }
  // Glyphs rasterised at the size they are drawn: SDL's software renderer copies each glyph from
  // the atlas without filtering, onto whole pixels, so ImGui's default 3x horizontal oversampling
  // only made it shrink every glyph by dropping two columns in three (a slower, scaled copy, and
  // coarser letters) and tripled the atlas. Spacing is unchanged (advances are not snapped). Nor
  // is the atlas rounded up to a power of two in height.
  ImFontConfig config;
  config.OversampleH = 1;
  config.OversampleV = 1;
  io.Fonts->Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight;
  bool loaded = false;
  if (font_file != nullptr) {
    // The characters the kiosk promises to draw (drawable_text.h: surveys are checked against
    // the same list when they are installed).
    theme.body = io.Fonts->AddFontFromFileTTF(font_file, body_px, &config, kDrawableRanges);
    theme.heading = io.Fonts->AddFontFromFileTTF(font_file, body_px * 1.35f, &config, kDrawableRanges);
    loaded = theme.body != nullptr && theme.heading != nullptr;
  }
  if (!loaded) {
    theme.body = io.Fonts->AddFontDefault();
    theme.heading = theme.body;
  }
  io.Fonts->Build();

  ImGuiStyle& style = ImGui::GetStyle();
  style = ImGuiStyle();
  style.WindowPadding = ImVec2(theme.gap() * 1.5f, theme.gap() * 1.5f);
  style.ItemSpacing = ImVec2(theme.gap(), theme.gap());
  style.FramePadding = ImVec2(theme.gap(), theme.gap() * 0.5f);
  style.FrameRounding = 3.0f * theme.pixels_per_mm;
  style.WindowBorderSize = 0;
  style.ScrollbarSize = 0;
  ImVec4* c = style.Colors;
  ImVec4 text = ImGui::ColorConvertU32ToFloat4(theme.text());
  c[ImGuiCol_Text] = text;
  // The page colour comes from the renderer's clear (SdlHost::render_frame clears to
  // background()): a window background as well would be a second full-screen fill, which SDL's
  // software renderer blends pixel by pixel (about 3 ms a frame at 1280x800 here).
  c[ImGuiCol_WindowBg] = ImVec4(0, 0, 0, 0);
  c[ImGuiCol_Button] = ImGui::ColorConvertU32ToFloat4(theme.accent());
  c[ImGuiCol_ButtonHovered] = c[ImGuiCol_Button];  // nothing depends on hover
  c[ImGuiCol_ButtonActive] = ImGui::ColorConvertU32ToFloat4(theme.selected());
  return loaded;
}

}  // namespace tt::kiosk::ui
