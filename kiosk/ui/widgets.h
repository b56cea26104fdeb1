#pragma once
// The few widgets pupils touch, drawn with ImGui's draw list so they look made for children, not
// like a developer tool: big rounded buttons, choice cards that show what is chosen, the five
// faces. Each records its rectangle under its visible label (widget_registry.h) and returns
// true on the frame it was tapped. Nothing here decides anything: screens turn taps into intents.
#include <string>
#include <string_view>

#include "kiosk/ui/theme.h"
#include "kiosk/ui/widget_registry.h"

namespace tt::kiosk::ui {

struct DrawContext {
  const Theme& theme;
  WidgetRegistry& registry;
  float column_right = 0;  // where text wraps, in window coordinates (set by begin_column)
};

enum class ButtonStyle { Primary, Secondary, Choice, ChoiceSelected };

// `id` keeps ImGui ids unique when two widgets share a label.
// Labels and ids are views: a frame that draws the same widgets allocates nothing.
bool big_button(DrawContext& dc, std::string_view label, float width, ButtonStyle style = ButtonStyle::Primary,
                std::string_view id = {});
// One of the five faces of a feelings scale: 1 = saddest … 5 = happiest.
bool face_button(DrawContext& dc, int face, std::string_view label, float size, bool selected);
// A rounded panel with the buttons' border (e.g. behind the typed pupil code), cut for the
// software renderer like the buttons are.
void panel(DrawContext& dc, ImVec2 min, ImVec2 max);
// Wrapped text in the body or heading font.
void paragraph(DrawContext& dc, std::string_view text, bool heading = false);
// A thin progress bar: position of total.
void progress_bar(DrawContext& dc, std::size_t position, std::size_t total, float width);

}  // namespace tt::kiosk::ui
