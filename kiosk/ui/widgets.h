#pragma once
// The few widgets pupils touch, drawn with ImGui's draw list so they look made for children, not
// like a developer tool: big rounded buttons, choice cards that show what is chosen, the five
// faces. Each records its rectangle under its visible label (widget_registry.h) and returns
// true on the frame it was tapped. Nothing here decides anything: screens turn taps into intents.
#include <string>

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
bool big_button(DrawContext& dc, const std::string& label, float width, ButtonStyle style = ButtonStyle::Primary,
                const std::string& id = {});
// One of the five faces of a feelings scale: 1 = saddest … 5 = happiest.
bool face_button(DrawContext& dc, int face, const std::string& label, float size, bool selected);
// Wrapped text in the body or heading font.
void paragraph(DrawContext& dc, const std::string& text, bool heading = false);
// A thin progress bar: position of total.
void progress_bar(DrawContext& dc, std::size_t position, std::size_t total, float width);

}  // namespace tt::kiosk::ui
