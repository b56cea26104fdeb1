#include "kiosk/ui/widget_registry.h"

namespace tt::kiosk::ui {

void WidgetRegistry::record(std::string label, float x, float y, float width, float height) {
  rects_.push_back({std::move(label), x, y, width, height});
}

std::optional<WidgetRect> WidgetRegistry::find(const std::string& label) const {
  for (const WidgetRect& r : rects_) {
    if (r.label == label) return r;
  }
  return std::nullopt;
}

}  // namespace tt::kiosk::ui
