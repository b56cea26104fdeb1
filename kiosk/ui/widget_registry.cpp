#include "kiosk/ui/widget_registry.h"

namespace tt::kiosk::ui {

void WidgetRegistry::record(std::string_view label, float x, float y, float width, float height) {
  if (rect_count_ == rects_.size()) rects_.emplace_back();
  WidgetRect& r = rects_[rect_count_++];
  r.label.assign(label);
  r.x = x;
  r.y = y;
  r.width = width;
  r.height = height;
}

void WidgetRegistry::record_text(std::string_view text) {
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
  for (std::size_t i = 0; i < rect_count_; ++i) {
    if (rects_[i].label == label) return rects_[i];
  }
  return std::nullopt;
}

}  // namespace tt::kiosk::ui
