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
  Uint32 draw_until = SDL_GetTicks() + kSettleMs;
  while (!host.shutdown_requested()) {
    Uint32 now = SDL_GetTicks();
    if (SDL_TICKS_PASSED(now, draw_until)) {
      // Nothing to animate: sleep in the event wait until something happens.
      if (!host.wait_event(-1)) break;
      draw_until = SDL_GetTicks() + kSettleMs;
    } else if (!host.wait_event(kFrameMs)) {
      break;
    }
    host.render_frame(app);
    ++frames;
    if (host.had_input()) draw_until = SDL_GetTicks() + kSettleMs;
  }
  return frames;
}

}  // namespace tt::kiosk::ui
