#pragma once
// The pupil-facing look: a calm light theme (or high contrast), large rounded targets, and the
// Andika font designed for young readers (DejaVu Sans where Andika is missing). Sizes scale with
// the display: `pixels_per_mm` comes from the display's DPI or a setting.
#include <imgui.h>

namespace tt::kiosk::ui {

struct Theme {
  float pixels_per_mm = 4.0f;  // ~100 DPI; a tablet reports its own
  float text_scale = 1.0f;     // the pupil's text-size choice: 1.0, 1.25, 1.5
  bool high_contrast = false;
  ImFont* body = nullptr;
  ImFont* heading = nullptr;

  float target_height() const { return 14.0f * pixels_per_mm; }  // ≥ 12 mm touch targets
  float gap() const { return 4.0f * pixels_per_mm; }
  ImU32 accent() const;
  ImU32 accent_text() const;
  ImU32 text() const;
  ImU32 muted() const;
  ImU32 surface() const;
  ImU32 selected() const;
  ImVec4 background() const;
};

// Loads the fonts at the theme's sizes and applies the colours and spacing to ImGui's style.
// Returns false (and keeps ImGui's own font) when no font file is found.
bool apply_theme(Theme& theme);

}  // namespace tt::kiosk::ui
