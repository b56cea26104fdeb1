#pragma once
// The long-running uploader (`tutortime-kiosk sync`): passes of the uploader, spaced by a
// minimum interval when all is well and by capped, jittered backoff after failures, woken early
// when connectivity may have returned. Stops cleanly when asked (SIGTERM).
//
// Wake-ups (any of them starts a pass at once, backoff or not):
//  - SIGUSR1 (e.g. from a NetworkManager dispatcher script, or the technician);
//  - a change in the kernel's links or addresses (an rtnetlink socket: a Wi-Fi association or a
//    new DHCP lease), which costs nothing while nothing changes.
// Revoked stops the loop (there is nothing to retry); a pin mismatch is retried with backoff
// like any failure, but logged as such.
#include <atomic>
#include <chrono>
#include <functional>

#include "kiosk/store/kiosk_store.h"
#include "sync/uploader/backoff.h"
#include "sync/uploader/uploader.h"

namespace tt::sync {

struct SyncLoopOptions {
  UploadOptions upload;
  BackoffPolicy backoff;
  std::chrono::milliseconds interval{60'000};  // between passes when the last one succeeded
  bool watch_network = true;                   // wake on rtnetlink link/address changes
  UnitRandom random;                           // default: default_unit_random()
};

enum class SyncLoopEnd { Stopped, Revoked };

// Runs until stop_requested() is true (checked at every wake-up; the signal handlers below set
// it and wake the loop). `wake` becomes true to start a pass at once.
class SyncLoop {
 public:
  SyncLoop(kiosk::KioskStore& store, SyncLoopOptions options);
  ~SyncLoop();
  SyncLoop(const SyncLoop&) = delete;
  SyncLoop& operator=(const SyncLoop&) = delete;

  SyncLoopEnd run();
  // Async-signal-safe: both only write a byte to a pipe.
  void request_stop();
  void request_pass_now();
  // Installs SIGTERM/SIGINT → request_stop and SIGUSR1 → request_pass_now for this loop.
  void install_signal_handlers();

 private:
  enum class Wake { Timeout, PassNow, Stop };
  Wake wait(std::chrono::milliseconds delay);
  void log(const std::string& line) const;

  kiosk::KioskStore& store_;
  SyncLoopOptions options_;
  int wake_pipe_[2] = {-1, -1};
  int netlink_ = -1;
  std::atomic<bool> stop_{false};
};

}  // namespace tt::sync
