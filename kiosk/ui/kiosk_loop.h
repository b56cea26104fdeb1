#pragma once
// The kiosk's main loop on a real display. Event-driven: after any input it draws for a short
// while (ImGui settles a tap over a couple of frames), then blocks in SDL_WaitEvent and uses no
// CPU until the next touch, a timer it set, or an event another thread pushed.
//
// Lock-down: pupils cannot leave. Window close requests, Alt+F4, Escape and Ctrl+Q do nothing
// (SdlHost drops them in pupil mode); SIGTERM from the system (systemd stopping the kiosk) is
// the way out, turned into an SDL event by a thread that waits for the signal.
#include "kiosk/ui/kiosk_app.h"
#include "kiosk/ui/sdl_host.h"

namespace tt::kiosk::ui {

// Blocks SIGTERM and SIGINT in the calling thread (call before any other thread starts, so every
// thread inherits the mask) and starts the thread that waits for them.
void start_shutdown_watcher();

// Runs until SIGTERM/SIGINT. Returns the number of frames drawn (for tests and benchmarks).
long run_kiosk_loop(SdlHost& host, KioskApp& app);

}  // namespace tt::kiosk::ui
