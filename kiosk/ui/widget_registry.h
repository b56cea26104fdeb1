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
  void begin_frame() { rects_.clear(); }
  void record(std::string label, float x, float y, float width, float height);
  // The first widget with exactly this label, or nullopt.
  std::optional<WidgetRect> find(const std::string& label) const;
  const std::vector<WidgetRect>& rects() const { return rects_; }

 private:
  std::vector<WidgetRect> rects_;
};

}  // namespace tt::kiosk::ui
