#pragma once
// The real tutortime-central as a child process that a test can SIGKILL from any thread, mid-
// batch (the fault proxy's kill hook runs on a proxy thread), and start again on the same data
// directory on a new port. tests/central/server_process.h's ServerProcess stops servers with
// SIGTERM (finishing the requests in progress) and keeps its pid to itself; this reuses its
// spawn() and wait_until_listening().
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <string>
#include <vector>

#include "tests/central/server_process.h"

namespace tt::sync::testing {

namespace fs = std::filesystem;

class KillableCentral {
 public:
  KillableCentral() = default;
  KillableCentral(const KillableCentral&) = delete;
  KillableCentral& operator=(const KillableCentral&) = delete;
  ~KillableCentral() { kill_and_reap(); }

  // `tutortime-central serve ARGS`, from the test's main thread (the child dies with the thread
  // that forked it). Waits until it listens; false with its output in failure() otherwise.
  bool start(const std::vector<std::string>& serve_args, const fs::path& stderr_file) {
    kill_and_reap();
    stderr_file_ = stderr_file;
    std::vector<std::string> args = {central::testing::kCentralBin.string(), "serve"};
    args.insert(args.end(), serve_args.begin(), serve_args.end());
    stdout_.clear();
    pid_t pid = central::testing::spawn(args, stdout_fd_, stderr_file);
    if (pid < 0) return false;
    pid_ = pid;
    std::optional<central::testing::ListeningServer> listening =
        central::testing::wait_until_listening(stdout_fd_, stdout_);
    if (!listening) return false;
    port_ = listening->port;
    pin_ = listening->pin;
    return true;
  }

  // SIGKILL, safe from any thread; the main thread reaps it with kill_and_reap() or start().
  void kill() {
    pid_t pid = pid_;
    if (pid > 0) ::kill(pid, SIGKILL);
  }

  void kill_and_reap() {
    pid_t pid = pid_.exchange(-1);
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
    if (stdout_fd_ >= 0) ::close(stdout_fd_);
    stdout_fd_ = -1;
  }

  int port() const { return port_; }
  const std::string& pin() const { return pin_; }  // "sha256//…", as it printed it
  std::string failure() const {
    return "[stdout]\n" + stdout_ + "[stderr]\n" + central::testing::read_file_text(stderr_file_);
  }

 private:
  std::atomic<pid_t> pid_{-1};
  int stdout_fd_ = -1;
  std::string stdout_;
  fs::path stderr_file_;
  int port_ = 0;
  std::string pin_;
};

}  // namespace tt::sync::testing
