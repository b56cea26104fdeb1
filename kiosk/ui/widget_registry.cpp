#include "kiosk/ui/widget_registry.h"

namespace tt::kiosk::ui {

void WidgetRegistry::record(std::string label, float x, float y, float width, float height) {
  rects_.push_back({std::move(label), x, y, width, height});
}

void WidgetRegistry::record_text(const std::string& text) {
  if (text_count_ == texts_.size()) texts_.emplace_back();
  texts_[text_count_++].assign(text);
}

bool WidgetRegistry::shows_text(const std::string& fragment) const {
  for (std::size_t i = 0; i < text_count_; ++i) {
    if (texts_[i].find(fragment) != std::string::npos) return true;
  }
  return false;
}

std::optional<WidgetRect> WidgetRegistry::find(const std::string& label) const {
  for (const WidgetRect& r : rects_) {
    if (r.label == label) return r;
  }
  return std::nullopt;
}

}  // namespace tt::kiosk::ui
