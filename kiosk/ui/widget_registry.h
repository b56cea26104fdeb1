#pragma once
// Where each labelled widget was drawn this frame, so automation can tap a widget by its visible
// label (`tap Next`) exactly as a finger would: at the centre of its rectangle. Widgets record
// themselves; the registry is cleared at the start of each frame.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tt::kiosk::ui {

struct WidgetRect {
  std::string label;  // as the pupil sees it
  float x = 0, y = 0, width = 0, height = 0;
};

class WidgetRegistry {
 public:
  void begin_frame() {
    rect_count_ = 0;
    text_count_ = 0;
  }
  // Like record_text, kept in reused buffers: a frame's widgets cost no allocation once warmed up.
  void record(std::string_view label, float x, float y, float width, float height);
  // The text of a paragraph drawn this frame (not tappable), so tests can check what a screen
  // says. Kept in reused buffers: recording a frame's text does not allocate once warmed up.
  void record_text(std::string_view text);
  // Whether some paragraph drawn this frame contains `fragment`.
  bool shows_text(const std::string& fragment) const;
  std::vector<std::string> texts() const { return {texts_.begin(), texts_.begin() + text_count_}; }
  // The first widget with exactly this label, or nullopt.
  std::optional<WidgetRect> find(const std::string& label) const;
  std::vector<WidgetRect> rects() const { return {rects_.begin(), rects_.begin() + rect_count_}; }

 private:
  std::vector<WidgetRect> rects_;
  std::size_t rect_count_ = 0;
  std::vector<std::string> texts_;
  std::size_t text_count_ = 0;
};

}  // namespace tt::kiosk::ui
