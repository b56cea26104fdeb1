#include "kiosk/ui/kiosk_loop.h"

#include <pthread.h>
#include <signal.h>

#include <thread>

namespace tt::kiosk::ui {

namespace {

// After input, keep drawing this long: ImGui acts on a release in the next frame, and a screen
// change needs one more frame to show. While settling, frames are paced (an event still wakes
// the loop at once), so a burst of input costs a dozen frames, not a busy loop.
constexpr Uint32 kSettleMs = 250;
constexpr int kFrameMs = 16;

}  // namespace

void start_shutdown_watcher() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([set] {
    int signal = 0;
    sigwait(&set, &signal);
    SDL_Event event{};
    event.type = SdlHost::shutdown_event_type();
    SDL_PushEvent(&event);  // thread-safe; wakes SDL_WaitEvent
  }).detach();
}

long run_kiosk_loop(SdlHost& host, KioskApp& app) {
  long frames = 0;
  while (!host.shutdown_requested() && !app.exit_requested()) {
    Uint32 now = SDL_GetTicks();
    bool settling = !SDL_TICKS_PASSED(now, host.last_input_ms() + kSettleMs) || frames < 2;
    int timeout = kFrameMs;
    if (!settling) {
      // Nothing moving: sleep until an event, or until the app's own next deadline (the idle
      // question, its countdown).
      auto wake = app.wake_at(now);
      timeout = wake ? static_cast<int>(SDL_TICKS_PASSED(now, *wake) ? 0 : *wake - now) : -1;
    }
    if (!host.wait_event(timeout)) break;
    host.render_frame(app);
    ++frames;
  }
  return frames;
}

}  // namespace tt::kiosk::ui
