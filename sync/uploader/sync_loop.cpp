#include "sync/uploader/sync_loop.h"

#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <iostream>
#include <memory>
#include <set>

namespace tt::sync {

namespace {

constexpr char kWakeStop = 's';
constexpr char kWakePass = 'p';

// The loop the signal handlers talk to (one per process: `tutortime-kiosk sync`).
std::atomic<SyncLoop*> signalled_loop{nullptr};

void on_stop_signal(int) {
  if (SyncLoop* loop = signalled_loop.load()) loop->request_stop();
}
void on_pass_signal(int) {
  if (SyncLoop* loop = signalled_loop.load()) loop->request_pass_now();
}

// An rtnetlink socket that becomes readable when a link or an address changes; -1 if the
// kernel refuses (then only SIGUSR1 and the timers wake the loop).
int open_network_watch() {
  int fd = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
  if (fd < 0) return -1;
  sockaddr_nl address{};
  address.nl_family = AF_NETLINK;
  address.nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

void drain(int fd) {
  char buffer[8192];
  while (::read(fd, buffer, sizeof buffer) > 0) {
  }
}

}  // namespace

SyncLoop::SyncLoop(kiosk::KioskStore& store, SyncLoopOptions options) : store_(store), options_(std::move(options)) {
  if (::pipe2(wake_pipe_, O_CLOEXEC | O_NONBLOCK) != 0) throw Error("cannot create the sync loop's wake-up pipe");
  if (options_.watch_network) netlink_ = open_network_watch();
  if (!options_.random) options_.random = default_unit_random();
}

SyncLoop::~SyncLoop() {
  SyncLoop* self = this;
  signalled_loop.compare_exchange_strong(self, nullptr);
  for (int fd : wake_pipe_) {
    if (fd >= 0) ::close(fd);
  }
  if (netlink_ >= 0) ::close(netlink_);
}

void SyncLoop::request_stop() {
  stop_.store(true);
  ssize_t ignored = ::write(wake_pipe_[1], &kWakeStop, 1);
  (void)ignored;
}

void SyncLoop::request_pass_now() {
  ssize_t ignored = ::write(wake_pipe_[1], &kWakePass, 1);
  (void)ignored;
}

void SyncLoop::install_signal_handlers() {
  signalled_loop.store(this);
  struct sigaction action {};
  sigemptyset(&action.sa_mask);
  action.sa_handler = on_stop_signal;
  ::sigaction(SIGTERM, &action, nullptr);
  ::sigaction(SIGINT, &action, nullptr);
  action.sa_handler = on_pass_signal;
  ::sigaction(SIGUSR1, &action, nullptr);
}

void SyncLoop::log(const std::string& line) const {
  if (options_.upload.log) {
    options_.upload.log(line);
  } else {
    std::cerr << line << "\n";
  }
}

SyncLoop::Wake SyncLoop::wait(std::chrono::milliseconds delay) {
  auto deadline = std::chrono::steady_clock::now() + delay;
  for (;;) {
    if (stop_.load()) return Wake::Stop;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return Wake::Timeout;
    pollfd fds[2] = {{wake_pipe_[0], POLLIN, 0}, {netlink_, POLLIN, 0}};
    int n = ::poll(fds, netlink_ >= 0 ? 2 : 1, static_cast<int>(std::min<std::int64_t>(left.count(), 1 << 30)));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) continue;
    bool pass_now = false;
    if ((fds[0].revents & POLLIN) != 0) {
      char buffer[64];
      ssize_t got;
      while ((got = ::read(wake_pipe_[0], buffer, sizeof buffer)) > 0) {
        for (ssize_t i = 0; i < got; ++i) {
          if (buffer[i] == kWakeStop) return Wake::Stop;
          pass_now = true;
        }
      }
    }
    if (netlink_ >= 0 && (fds[1].revents & POLLIN) != 0) {
      drain(netlink_);
      pass_now = true;
    }
    if (pass_now) return Wake::PassNow;
  }
}

SyncLoopEnd SyncLoop::run() {
  FailureLog failures;
  // A response the server keeps rejecting is tried again every pass, but said once per process;
  // so is a survey update refused, or not fetched, for the same reason every pass.
  auto said = std::make_shared<std::set<std::string>>();
  UploadOptions upload = options_.upload;
  // A stop abandons a request in flight (nothing is acknowledged unless its reply came), so a
  // SIGTERM is obeyed within a second even while the server stalls.
  upload.timeouts.cancel = &stop_;
  upload.log = [this, said](const std::string& line) {
    bool repeats = line.rfind("response ", 0) == 0 || line.rfind("refusing to install ", 0) == 0 ||
                   line.rfind("survey updates not ", 0) == 0;
    if (repeats && !said->insert(line).second) return;
    log(line);
  };
  for (;;) {
    if (stop_.load()) return SyncLoopEnd::Stopped;
    UploadPassResult result;
    bool failed = false;
    std::string why;
    try {
      result = upload_once(store_, upload);
      failed = result.outcome != UploadOutcome::AllAcknowledged && result.outcome != UploadOutcome::SomeRejected;
      why = result.reason;
    } catch (const Error& e) {
      failed = true;  // the store or the settings; still retried: the technician may fix it meanwhile
      why = e.what();
    }
    if (stop_.load()) return SyncLoopEnd::Stopped;  // a cancelled pass is not a failure to report
    if (result.outcome == UploadOutcome::Revoked) {
      log("upload stopped: " + result.reason);
      return SyncLoopEnd::Revoked;
    }
    std::chrono::milliseconds delay = options_.interval;
    if (failed) {
      delay = backoff_delay(failures.failures_in_a_row() + 1, options_.random(), options_.backoff);
      if (auto line = failures.on_failure(why, delay)) log(*line);
    } else {
      if (auto line = failures.on_success()) log(*line);
      if (result.acknowledged() > 0)
        log("uploaded " + std::to_string(result.acknowledged()) + " response(s); " +
            std::to_string(result.waiting_after) + " waiting");
    }
    if (wait(delay) == Wake::Stop) return SyncLoopEnd::Stopped;
  }
}

}  // namespace tt::sync
