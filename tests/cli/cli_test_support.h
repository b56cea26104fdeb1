#pragma once
// Helpers for the command-line tests: run the real tutortime-admin / tutortime-kiosk (or
// openssl) in a child process with stdout and stderr captured apart, a fresh temporary
// directory per test, and small file helpers. The tests only ever touch their own directory:
// TUTORTIME_DATA_DIR is pointed inside it, so a missing --data-dir can never reach
// /var/lib/tutortime.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "kiosk/store/kiosk_store.h"

extern char** environ;

namespace tt::cli_testing {

namespace fs = std::filesystem;

inline const fs::path kKioskBin = TUTORTIME_KIOSK_BIN;
inline const fs::path kAdminBin = TUTORTIME_ADMIN_BIN;
inline const fs::path kSourceDir = TUTORTIME_SOURCE_DIR;
inline const fs::path kSurveysDir = kSourceDir / "assets" / "surveys";
inline const fs::path kScriptsDir = kSourceDir / "assets" / "scripts";
inline const fs::path kDataDir = kSourceDir / "tests" / "cli" / "data";

struct RunResult {
  int exit_code = -1;  // the exit status, or 128 + signal
  std::string out;
  std::string err;
  std::string command;  // for messages
};

inline std::ostream& operator<<(std::ostream& os, const RunResult& r) {
  return os << "$ " << r.command << "\n[exit " << r.exit_code << "]\n[stdout]\n" << r.out << "[stderr]\n" << r.err;
}

struct RunOptions {
  std::optional<fs::path> cwd;
  std::map<std::string, std::string> env;  // added to (or replacing in) the environment
  std::vector<std::string> unset_env;
};

// Runs `argv` (argv[0] is looked up in PATH unless it contains a '/'), stdin from /dev/null,
// and waits for it (at most 120 s; then it is killed and the test fails).
inline RunResult run_process(const std::vector<std::string>& argv, const RunOptions& options = {}) {
  RunResult result;
  for (const std::string& a : argv) result.command += (result.command.empty() ? "" : " ") + a;
  int out_pipe[2];
  int err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0) {
    ADD_FAILURE() << "pipe: " << std::strerror(errno);
    return result;
  }
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry = *e;
    std::string name = entry.substr(0, entry.find('='));
    if (options.env.count(name) != 0) continue;
    bool unset = false;
    for (const std::string& u : options.unset_env) unset = unset || u == name;
    if (!unset) env_strings.push_back(entry);
  }
  for (const auto& [name, value] : options.env) env_strings.push_back(name + "=" + value);
  std::vector<char*> env_pointers;
  for (std::string& s : env_strings) env_pointers.push_back(s.data());
  env_pointers.push_back(nullptr);
  std::vector<std::string> args = argv;
  std::vector<char*> arg_pointers;
  for (std::string& s : args) arg_pointers.push_back(s.data());
  arg_pointers.push_back(nullptr);

  pid_t pid = ::fork();
  if (pid < 0) {
    ADD_FAILURE() << "fork: " << std::strerror(errno);
    return result;
  }
  if (pid == 0) {
    int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null >= 0) ::dup2(null, STDIN_FILENO);
    ::dup2(out_pipe[1], STDOUT_FILENO);
    ::dup2(err_pipe[1], STDERR_FILENO);
    if (options.cwd && ::chdir(options.cwd->c_str()) != 0) _exit(126);
    environ = env_pointers.data();
    ::execvp(arg_pointers[0], arg_pointers.data());
    const char* message = "exec failed\n";
    ssize_t ignored = ::write(STDERR_FILENO, message, std::strlen(message));
    (void)ignored;
    _exit(127);
  }
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  struct pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_count = 2;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  bool timed_out = false;
  while (open_count > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    int n = ::poll(fds, 2, static_cast<int>(left.count()));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      char buffer[8192];
      ssize_t got = ::read(fds[i].fd, buffer, sizeof buffer);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_count;
      } else {
        sinks[i]->append(buffer, static_cast<std::size_t>(got));
      }
    }
  }
  if (timed_out) {
    ::kill(pid, SIGKILL);
    ADD_FAILURE() << "timed out: " << result.command;
  }
  for (auto& f : fds) {
    if (f.fd >= 0) ::close(f.fd);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.exit_code = 128 + WTERMSIG(status);
  }
  return result;
}

inline std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void write_text(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  ASSERT_TRUE(out) << "cannot write " << file;
}

inline unsigned mode_of(const fs::path& file) {
  struct stat st;
  if (::stat(file.c_str(), &st) != 0) return 0xFFFFFFFFu;
  return static_cast<unsigned>(st.st_mode & 07777);
}

// Every regular file under `dir` and its bytes (for "nothing changed" checks).
inline std::map<std::string, std::string> contents_of(const fs::path& dir) {
  std::map<std::string, std::string> out;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) out[fs::relative(e.path(), dir).string()] = read_text(e.path());
  }
  return out;
}

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

// Parses one JSON document printed on stdout; a failure names the output.
inline nlohmann::json parse_json(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) ADD_FAILURE() << "not JSON:\n" << text;
  return j;
}

// The output with things that are random by nature taken out (32-hex-digit ids, the test's
// temporary directory), so "the value is not echoed" checks cannot match an id by chance.
inline std::string scrubbed(std::string text, const fs::path& temp_dir) {
  const std::string dir = temp_dir.string();
  for (std::size_t at; !dir.empty() && (at = text.find(dir)) != std::string::npos;)
    text.replace(at, dir.size(), "<TMP>");
  static const std::regex hex_id("[0-9a-f]{32}");
  return std::regex_replace(text, hex_id, "<ID>");
}

// A fresh temporary directory per test, with the two tools one call away.
class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "tutortime-cli-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr) << std::strerror(errno);
    root_ = pattern;
    data_ = root_ / "kiosk";
    keys_ = root_ / "keys";
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  RunOptions options() const {
    RunOptions o;
    o.cwd = root_;
    o.env["TUTORTIME_DATA_DIR"] = (root_ / "default-data-dir-not-used").string();
    return o;
  }

  RunResult admin(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {kAdminBin.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, options());
  }
  // tutortime-kiosk --data-dir <data_> ARGS
  RunResult kiosk(const std::vector<std::string>& args) const { return kiosk_in(data_, args); }
  RunResult kiosk_in(const fs::path& data_dir, const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {kKioskBin.string(), "--data-dir", data_dir.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, options());
  }
  // tutortime-kiosk ARGS, without --data-dir.
  RunResult kiosk_bare(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {kKioskBin.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, options());
  }
  RunResult openssl(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {"openssl"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, options());
  }

  // keygen into `dir` (default keys_), asserting success.
  void keygen(const fs::path& dir) {
    RunResult r = admin({"keygen", "--out", dir.string()});
    ASSERT_EQ(r.exit_code, 0) << r;
  }
  void keygen() { keygen(keys_); }

  // Copies a survey into the test directory and returns the copy's path.
  fs::path copy_in(const fs::path& source, const std::string& name = "") {
    fs::path target = root_ / (name.empty() ? source.filename().string() : name);
    fs::copy_file(source, target, fs::copy_options::overwrite_existing);
    fs::permissions(target, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::add);
    return target;
  }

  void sign(const fs::path& survey, const fs::path& key) {
    RunResult r = admin({"survey", "sign", survey.string(), "--key", key.string()});
    ASSERT_EQ(r.exit_code, 0) << r;
  }

  void setup_kiosk() {
    RunResult r = kiosk({"setup", "--analysis-public-key", (keys_ / "analysis.pub").string(), "--signing-public-key",
                         (keys_ / "signing.pub").string()});
    ASSERT_EQ(r.exit_code, 0) << r;
  }

  // Copies, signs with keys_/signing.key and installs a survey; returns the copy.
  fs::path install(const fs::path& source) {
    fs::path copy = copy_in(source);
    sign(copy, keys_ / "signing.key");
    RunResult r = kiosk({"survey", "install", copy.string()});
    EXPECT_EQ(r.exit_code, 0) << r;
    return copy;
  }

  // keygen, setup, and the given surveys installed.
  void ready_kiosk(const std::vector<fs::path>& surveys) {
    ASSERT_NO_FATAL_FAILURE(keygen());
    ASSERT_NO_FATAL_FAILURE(setup_kiosk());
    for (const fs::path& s : surveys) ASSERT_NO_FATAL_FAILURE(install(s));
  }

  fs::path write_script(const std::string& name, const std::string& text) {
    fs::path file = root_ / name;
    write_text(file, text);
    return file;
  }

  // Every draft in the kiosk store, decrypted, as the JSON the session saved (oldest first).
  std::vector<nlohmann::json> draft_plaintexts() const {
    auto store = kiosk::KioskStore::open(data_);
    std::vector<nlohmann::json> out;
    for (const auto& d : store->drafts())
      out.push_back(nlohmann::json::parse(to_string(store->load_draft(d.id).view())));
    return out;
  }

  nlohmann::json status_json() {
    RunResult r = kiosk({"status", "--json"});
    EXPECT_EQ(r.exit_code, 0) << r;
    return parse_json(r.out);
  }

  fs::path root_;
  fs::path data_;
  fs::path keys_;
};

}  // namespace tt::cli_testing

namespace tt::cli_testing {

// run_process() with `input` on standard input instead of /dev/null, for commands that read a
// secret there (a PIN) rather than from their arguments. The input is written to `input_file`
// and redirected by /bin/sh, so the child's argv holds no secret either.
inline RunResult run_process_with_stdin(const std::vector<std::string>& argv, const std::string& input,
                                        const fs::path& input_file, const RunOptions& options = {}) {
  write_text(input_file, input);
  std::vector<std::string> shell = {"/bin/sh", "-c", "exec \"$@\" < \"$0\"", input_file.string()};
  shell.insert(shell.end(), argv.begin(), argv.end());
  RunResult result = run_process(shell, options);
  result.command.clear();
  for (const std::string& a : argv) result.command += a + " ";
  result.command += "< " + input_file.string();
  return result;
}

}  // namespace tt::cli_testing
