#pragma once
// The real tutortime-central as a child process, for the integration tests: started on a free
// loopback port (listen port 0; the port is read from the "listening on" line it prints), its
// standard error kept in a file for the tests to read (the log contract), stopped with SIGTERM.
// Also run_central() for one-shot commands (pin, a serve that must refuse to start), and
// run_program() for any other tool (tutortime-admin).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

namespace tt::central::testing {

namespace fs = std::filesystem;

inline const fs::path kCentralBin = TUTORTIME_CENTRAL_BIN;

// A server that closes a connection while a client still writes (as it does after refusing a
// body it will not read) must fail that write, not kill the test with SIGPIPE.
inline const bool kSigpipeIgnored = [] {
  ::signal(SIGPIPE, SIG_IGN);
  return true;
}();

inline std::string read_file_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

struct ProcessResult {
  int exit_code = -1;  // or 128 + signal
  std::string out;
  std::string err;
};

inline std::ostream& operator<<(std::ostream& os, const ProcessResult& r) {
  return os << "[exit " << r.exit_code << "]\n[stdout]\n" << r.out << "[stderr]\n" << r.err;
}

inline int exit_code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Starts `args` with stdin from /dev/null, stdout to a pipe (returned), stderr to `err_file`.
inline pid_t spawn(const std::vector<std::string>& args, int& stdout_fd, const fs::path& err_file) {
  int out_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return -1;
  std::vector<std::string> copy = args;
  std::vector<char*> argv;
  for (std::string& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid == 0) {
    // A test process that dies (a crash, a signal) takes its servers with it. (The signal comes
    // when the forking thread ends, and tests spawn from their main thread.)
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) _exit(126);
    int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    int err = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (in < 0 || err < 0) _exit(126);
    ::dup2(in, STDIN_FILENO);
    ::dup2(out_pipe[1], STDOUT_FILENO);
    ::dup2(err, STDERR_FILENO);
    ::execv(argv[0], argv.data());
    _exit(127);
  }
  ::close(out_pipe[1]);
  stdout_fd = out_pipe[0];
  return pid;
}

// Reads from `fd` into `sink` until `done(sink)` or end of file or the deadline.
template <typename Done>
inline bool read_until(int fd, std::string& sink, Done done, std::chrono::seconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done(sink)) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    struct pollfd p = {fd, POLLIN, 0};
    int n = ::poll(&p, 1, static_cast<int>(left.count()));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) continue;
    char buffer[4096];
    ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return done(sink);
    sink.append(buffer, static_cast<std::size_t>(got));
  }
  return true;
}

// Runs a program (args[0], a path) to completion (at most 60 s), stdin from /dev/null.
inline ProcessResult run_program(const std::vector<std::string>& args, const fs::path& scratch) {
  fs::path err_file = scratch / "run.stderr";
  ProcessResult result;
  int out = -1;
  pid_t pid = spawn(args, out, err_file);
  if (pid < 0) {
    ADD_FAILURE() << "cannot start " << args.front();
    return result;
  }
  // Reads to the end of its output (it closes when the process exits), then reaps it.
  read_until(
      out, result.out, [](const std::string&) { return false; }, std::chrono::seconds(60));
  ::close(out);
  int status = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ADD_FAILURE() << args.front() << " did not finish";
      ::waitpid(pid, &status, 0);
      break;
    }
    ::usleep(10000);
  }
  result.exit_code = exit_code_of(status);
  result.err = read_file_text(err_file);
  return result;
}

// Runs tutortime-central with `args` to completion (at most 60 s).
inline ProcessResult run_central(std::vector<std::string> args, const fs::path& scratch) {
  args.insert(args.begin(), kCentralBin.string());
  return run_program(args, scratch);
}

// What `tutortime-central serve` prints once it listens: "listening on URL" (and, over TLS,
// "certificate pin: sha256//…" before it).
struct ListeningServer {
  std::string url;
  int port = 0;
  std::string pin;  // empty for plain HTTP
};

// Reads the server's standard output into `sink` until it says it listens (at most 30 s).
inline std::optional<ListeningServer> wait_until_listening(int stdout_fd, std::string& sink) {
  bool listening = read_until(
      stdout_fd, sink,
      [](const std::string& s) {
        auto at = s.find("listening on ");
        return at != std::string::npos && s.find('\n', at) != std::string::npos;
      },
      std::chrono::seconds(30));
  if (!listening) return std::nullopt;
  ListeningServer server;
  std::string line = sink.substr(sink.find("listening on ") + 13);
  server.url = line.substr(0, line.find('\n'));
  server.port = std::stoi(server.url.substr(server.url.rfind(':') + 1));
  auto pin_at = sink.find("certificate pin: ");
  if (pin_at != std::string::npos) {
    server.pin = sink.substr(pin_at + 17);
    server.pin = server.pin.substr(0, server.pin.find('\n'));
  }
  return server;
}

class ServerProcess {
 public:
  ServerProcess() = default;
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  ~ServerProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (stdout_fd_ >= 0) ::close(stdout_fd_);
  }

  // Starts `tutortime-central serve ARGS` and waits (at most 30 s) until it listens. False,
  // with the output in failure(), when it exits or never says so.
  bool start(const std::vector<std::string>& serve_args, const fs::path& stderr_file) {
    stderr_file_ = stderr_file;
    std::vector<std::string> args = {kCentralBin.string(), "serve"};
    args.insert(args.end(), serve_args.begin(), serve_args.end());
    pid_ = spawn(args, stdout_fd_, stderr_file);
    if (pid_ < 0) return false;
    std::optional<ListeningServer> listening = wait_until_listening(stdout_fd_, stdout_);
    if (!listening) return false;
    url_ = listening->url;
    port_ = listening->port;
    pin_ = listening->pin;
    return true;
  }

  // SIGTERM, then the exit code (at most 20 s; then SIGKILL and a failure).
  int stop() {
    if (pid_ <= 0) return -1;
    ::kill(pid_, SIGTERM);
    int status = 0;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ADD_FAILURE() << "tutortime-central did not stop on SIGTERM";
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      ::usleep(20000);
    }
    pid_ = -1;
    return exit_code_of(status);
  }

  bool running() {
    if (pid_ <= 0) return false;
    if (::waitpid(pid_, nullptr, WNOHANG) == 0) return true;
    pid_ = -1;  // reaped: never signal that pid again
    return false;
  }
  int port() const { return port_; }
  const std::string& url() const { return url_; }
  const std::string& pin() const { return pin_; }
  const std::string& stdout_text() const { return stdout_; }
  std::string stderr_text() const { return read_file_text(stderr_file_); }
  std::string failure() const { return "[stdout]\n" + stdout_ + "[stderr]\n" + stderr_text(); }

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string stdout_;
  fs::path stderr_file_;
  std::string url_;
  std::string pin_;
  int port_ = 0;
};

}  // namespace tt::central::testing
