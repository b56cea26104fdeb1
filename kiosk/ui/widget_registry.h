#pragma once
// Where each labelled widget was drawn this frame, so automation can tap a widget by its visible
// label (`tap Next`) exactly as a finger would: at the centre of its rectangle. Widgets record
// themselves; the registry is cleared at the start of each frame.
#include <optional>
#include <string>
#include <vector>

namespace tt::kiosk::ui {

struct WidgetRect {
  std::string label;  // as the pupil sees it
  float x = 0, y = 0, width = 0, height = 0;
};

class WidgetRegistry {
 public:
  void begin_frame() {
    rects_.clear();
    text_count_ = 0;
  }
  void record(std::string label, float x, float y, float width, float height);
  // The text of a paragraph drawn this frame (not tappable), so tests can check what a screen
  // says. Kept in reused buffers: recording a frame's text does not allocate once warmed up.
  void record_text(const std::string& text);
  // Whether some paragraph drawn this frame contains `fragment`.
  bool shows_text(const std::string& fragment) const;
  std::vector<std::string> texts() const { return {texts_.begin(), texts_.begin() + text_count_}; }
  // The first widget with exactly this label, or nullopt.
  std::optional<WidgetRect> find(const std::string& label) const;
  const std::vector<WidgetRect>& rects() const { return rects_; }

 private:
  std::vector<WidgetRect> rects_;
  std::vector<std::string> texts_;
  std::size_t text_count_ = 0;
};

}  // namespace tt::kiosk::ui
