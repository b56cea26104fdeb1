#pragma once
// Shared by the crash and leak tests: scratch directories, running the real tutortime-kiosk and
// tutortime-admin binaries as child processes, and a kiosk set up from scratch (keys, a signed
// survey, a store) exactly as a technician would do it with the tools.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace tt::crashtest {

namespace fs = std::filesystem;

#ifndef TUTORTIME_KIOSK_BIN
#error "TUTORTIME_KIOSK_BIN must name the tutortime-kiosk binary"
#endif
#ifndef TUTORTIME_ADMIN_BIN
#error "TUTORTIME_ADMIN_BIN must name the tutortime-admin binary"
#endif
#ifndef TUTORTIME_CRASH_DATA
#error "TUTORTIME_CRASH_DATA must name tests/crash/data"
#endif

inline const fs::path kKioskBin = TUTORTIME_KIOSK_BIN;
inline const fs::path kAdminBin = TUTORTIME_ADMIN_BIN;
inline const fs::path kDataDir = TUTORTIME_CRASH_DATA;

inline std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline void write_file(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) throw std::runtime_error("cannot write " + file.string());
}

// A fresh directory under the system temp directory, removed at the end unless the test failed
// (then it is kept and named, for a look at the database).
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& prefix) {
    std::string pattern = (fs::temp_directory_path() / (prefix + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp: " + std::string(std::strerror(errno)));
    path_ = pattern;
  }
  ~ScratchDir() {
    if (::testing::Test::HasFailure()) {
      std::cerr << "[ crash ] kept " << path_ << " for inspection\n";
      return;
    }
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Starts argv[0] with stdout and stderr on the given descriptors; every other descriptor of
// ours is close-on-exec (pipes are made with O_CLOEXEC), so the child holds only what it is given.
inline pid_t spawn(const std::vector<std::string>& argv, int stdout_fd, int stderr_fd) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, stdout_fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, stderr_fd, STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("posix_spawn " + argv[0] + ": " + std::strerror(rc));
  return pid;
}

struct Pipe {
  int read = -1;
  int write = -1;
  Pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2: " + std::string(std::strerror(errno)));
    read = fds[0];
    write = fds[1];
  }
  ~Pipe() {
    close_read();
    close_write();
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  void close_read() {
    if (read >= 0) ::close(read);
    read = -1;
  }
  void close_write() {
    if (write >= 0) ::close(write);
    write = -1;
  }
};

struct ProcessResult {
  int status = 0;  // as from waitpid
  std::string out;
  std::string err;
  bool exited_ok() const { return WIFEXITED(status) && WEXITSTATUS(status) == 0; }
  std::string describe() const {
    std::string how = WIFEXITED(status)     ? "exit code " + std::to_string(WEXITSTATUS(status))
                      : WIFSIGNALED(status) ? "signal " + std::to_string(WTERMSIG(status))
                                            : "status " + std::to_string(status);
    return how + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
  }
};

inline int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw std::runtime_error("waitpid: " + std::string(std::strerror(errno)));
  }
  return status;
}

// Appends what is readable on fd now; returns false at end of file.
inline bool read_some(int fd, std::string& into) {
  char buffer[4096];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
      into.append(buffer, static_cast<std::size_t>(n));
      return true;
    }
    if (n == 0) return false;
    if (errno != EINTR) throw std::runtime_error("read: " + std::string(std::strerror(errno)));
  }
}

// Runs a command to the end, collecting its stdout and stderr.
inline ProcessResult run(const std::vector<std::string>& argv) {
  Pipe out, err;
  pid_t pid = spawn(argv, out.write, err.write);
  out.close_write();
  err.close_write();
  ProcessResult result;
  bool out_open = true, err_open = true;
  while (out_open || err_open) {
    pollfd fds[2] = {{out_open ? out.read : -1, POLLIN, 0}, {err_open ? err.read : -1, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("poll: " + std::string(std::strerror(errno)));
    }
    if (out_open && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) out_open = read_some(out.read, result.out);
    if (err_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) err_open = read_some(err.read, result.err);
  }
  result.status = wait_for(pid);
  return result;
}

inline std::string joined(const std::vector<std::string>& argv) {
  std::string s;
  for (const std::string& a : argv) s += (s.empty() ? "" : " ") + a;
  return s;
}

// Keys, a signed survey and a set-up kiosk with the survey installed, all under `root`, made by
// the real tools. The analysis private key stays in root/keys (the central team's side).
struct Kiosk {
  fs::path root;
  fs::path keys;
  fs::path data_dir;
  fs::path survey_file;

  std::vector<std::string> kiosk(std::vector<std::string> args) const {
    args.insert(args.begin(), {kKioskBin.string(), "--data-dir", data_dir.string()});
    return args;
  }
  std::vector<std::string> run_script(const fs::path& script, const std::string& pupil_code) const {
    return kiosk({"run", "--headless", "--script", script.string(), "--pupil-code", pupil_code});
  }
};

// Fails the current test (fatally) when a setup step fails.
inline void set_up_kiosk(const fs::path& root, const fs::path& survey_source, Kiosk& out) {
  out.root = root;
  out.keys = root / "central" / "keys";
  out.data_dir = root / "kiosk";
  out.survey_file = root / "central" / survey_source.filename();
  fs::create_directories(out.survey_file.parent_path());
  fs::copy_file(survey_source, out.survey_file);
  std::vector<std::vector<std::string>> steps = {
      {kAdminBin.string(), "keygen", "--out", out.keys.string()},
      {kAdminBin.string(), "survey", "sign", out.survey_file.string(), "--key", (out.keys / "signing.key").string()},
      out.kiosk({"setup", "--analysis-public-key", (out.keys / "analysis.pub").string(), "--signing-public-key",
                 (out.keys / "signing.pub").string()}),
      out.kiosk({"survey", "install", out.survey_file.string()}),
  };
  for (const auto& step : steps) {
    ProcessResult r = run(step);
    ASSERT_TRUE(r.exited_ok()) << joined(step) << " failed: " << r.describe();
  }
}

// Lines of text as printed (complete lines only: a last line without its newline is dropped).
inline std::vector<std::string> complete_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1) {
    lines.push_back(text.substr(start, nl - start));
  }
  return lines;
}

}  // namespace tt::crashtest
