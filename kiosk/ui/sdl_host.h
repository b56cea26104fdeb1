#pragma once
// The platform adapter: SDL2 window, SDL_Renderer, and Dear ImGui's SDL2 and SDL_Renderer
// backends (compiled from Debian's libimgui-dev backend sources). It implements:
//  - headless mode: SDL's dummy video driver and the software renderer, the same code path as a
//    tablet, for tests and demos;
//  - window mode: full screen without decorations;
//  - frames on demand (render_frame) and PNG screenshots of what was drawn.
#include <SDL.h>
#include <imgui.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "kiosk/ui/kiosk_app.h"

namespace tt::kiosk::ui {

struct HostOptions {
  bool headless = true;
  int width = 1280;
  int height = 800;
  float pixels_per_mm = 0;  // 0: from the display's DPI, else 4 (about 100 DPI)
};

class SdlHost {
 public:
  explicit SdlHost(const HostOptions& options);
  ~SdlHost();
  SdlHost(const SdlHost&) = delete;
  SdlHost& operator=(const SdlHost&) = delete;

  // The SDL event type start_shutdown_watcher() pushes on SIGTERM/SIGINT.
  static Uint32 shutdown_event_type();
  bool shutdown_requested() const { return shutdown_; }
  // Close requests and Escape / Alt+F4 / Ctrl+Q dropped so far (lock-down).
  long ignored_escape_attempts() const { return ignored_escape_attempts_; }
  // SDL_GetTicks() of the last touch, mouse or key event (window events do not count).
  std::uint32_t last_input_ms() const { return last_input_ms_; }

  // Feeds every pending SDL event to ImGui. Returns false once a shutdown was requested.
  bool pump_events();
  // Waits for an event for at most `timeout_ms` (-1: forever; blocks, using no CPU) and feeds it
  // and any that follow to ImGui.
  bool wait_event(int timeout_ms);
  // One ImGui frame of the app, drawn and presented; `screenshot` (if not empty) gets a PNG of it.
  void render_frame(KioskApp& app, const std::filesystem::path& screenshot = {});

  WidgetRegistry& registry() { return registry_; }
  const WidgetRegistry& registry() const { return registry_; }
  SDL_Window* window() { return window_; }
  float pixels_per_mm() const { return theme_.pixels_per_mm; }
  int width() const { return width_; }
  int height() const { return height_; }

 private:
  void save_png(const std::filesystem::path& file);
  void handle(const SDL_Event& event);
  bool handle_pointer(const SDL_Event& event);  // true when the event was the pointer's

  SDL_Window* window_ = nullptr;
  SDL_Renderer* renderer_ = nullptr;
  Theme theme_;
  WidgetRegistry registry_;
  int width_ = 0;
  int height_ = 0;
  bool shutdown_ = false;
  long ignored_escape_attempts_ = 0;
  std::uint32_t last_input_ms_ = 0;
  ImVec2 pointer_{-1.0e9f, -1.0e9f};  // where the finger or mouse last was
  bool pointer_down_ = false;
  bool press_pending_ = false;          // a press not yet shown to ImGui
  std::optional<SDL_FingerID> finger_;  // the finger being followed, while it is down
};

}  // namespace tt::kiosk::ui
