// `tutortime-kiosk sync`, the long-running uploader, as a real process: the first failure is
// logged and the next ones are not, SIGUSR1 makes it try at once, the recovery is logged with
// the count, and SIGTERM stops it cleanly.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "tests/sync/kiosk_sync_fixture.h"

namespace tt::sync::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// A server that takes connections and never answers: what a kiosk meets behind a dead proxy or
// a half-working Wi-Fi. It counts connections accepted and those still open.
class SilentServer {
 public:
  SilentServer() {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener_, 16) != 0 || ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      throw std::runtime_error("SilentServer: cannot listen on loopback");
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~SilentServer() {
    done_ = true;
    thread_.join();
    for (int fd : open_) ::close(fd);
    ::close(listener_);
  }
  int port() const { return port_; }
  std::size_t accepted() const { return accepted_.load(); }
  std::size_t open_now() {
    std::lock_guard lock(mutex_);
    return open_.size();
  }

 private:
  void serve() {
    while (!done_) {
      std::vector<pollfd> fds{{listener_, POLLIN, 0}};
      {
        std::lock_guard lock(mutex_);
        for (int fd : open_) fds.push_back({fd, POLLIN, 0});
      }
      if (::poll(fds.data(), fds.size(), 50) <= 0) continue;
      if ((fds[0].revents & POLLIN) != 0) {
        int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd >= 0) {
          std::lock_guard lock(mutex_);
          open_.push_back(fd);
          ++accepted_;
        }
      }
      for (std::size_t i = 1; i < fds.size(); ++i) {
        if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
        char buffer[4096];
        if (::recv(fds[i].fd, buffer, sizeof buffer, 0) > 0) continue;  // read, never answered
        std::lock_guard lock(mutex_);
        std::erase(open_, fds[i].fd);
        ::close(fds[i].fd);
      }
    }
  }

  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> done_{false};
  std::atomic<std::size_t> accepted_{0};
  std::mutex mutex_;
  std::vector<int> open_;
  std::thread thread_;
};

class SyncLoopTest : public KioskSyncTest {
 protected:
  void TearDown() override {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (stdout_fd_ >= 0) ::close(stdout_fd_);
    KioskSyncTest::TearDown();
  }

  void start_loop(std::vector<std::string> extra = {}) {
    log_file_ = dir_ / "sync.stderr";
    std::vector<std::string> argv = {
        cli_testing::kKioskBin.string(), "--data-dir", kiosk_.string(), "sync", "--interval-seconds", "1"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    pid_ = central::testing::spawn(argv, stdout_fd_, log_file_);
    ASSERT_GT(pid_, 0);
    ASSERT_TRUE(wait_for_log("sync: uploading to")) << log();  // the signal handlers are in place
  }
  std::string log() const { return central::testing::read_file_text(log_file_); }
  bool wait_for_log(const std::string& what, std::chrono::seconds limit = std::chrono::seconds(15)) const {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      if (log().find(what) != std::string::npos) return true;
      ::usleep(50'000);
    }
    return false;
  }
  int stop_loop() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ADD_FAILURE() << "sync did not stop on SIGTERM";
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      ::usleep(20'000);
    }
    pid_ = -1;
    return central::testing::exit_code_of(status);
  }

  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  fs::path log_file_;
};

TEST_F(SyncLoopTest, LogsTheFirstFailureOnlyRetriesOnSigusr1AndLogsTheRecovery) {
  ASSERT_NO_FATAL_FAILURE(enrolled_kiosk());
  add_outbox_responses(3);
  int port = server_->port();
  server_->stop();

  ASSERT_NO_FATAL_FAILURE(start_loop());
  ASSERT_TRUE(wait_for_log("upload failed: ")) << log();
  EXPECT_THAT(log(), HasSubstr("; retrying in "));
  // Two more tries at once, both failing, both silent.
  for (int i = 0; i < 2; ++i) {
    ::kill(pid_, SIGUSR1);
    ::usleep(400'000);
  }
  EXPECT_EQ(count_of(log(), "upload failed"), 1u) << log();

  // The server comes back on the same address (same certificate and pin); a nudge, not the
  // backoff, starts the next pass.
  config_["listen"]["port"] = port;
  ASSERT_NO_FATAL_FAILURE(start_server());
  ::kill(pid_, SIGUSR1);
  ASSERT_TRUE(wait_for_log("upload recovered after ", std::chrono::seconds(5))) << log();
  EXPECT_EQ(count_of(log(), "upload recovered"), 1u) << log();
  EXPECT_THAT(log(), ::testing::ContainsRegex("upload recovered after ([3-9]|[1-9][0-9]+) failures"));
  ASSERT_TRUE(wait_for_log("uploaded 3 response(s); 0 waiting")) << log();
  EXPECT_EQ(stored_count(), 3u);

  EXPECT_EQ(stop_loop(), 0);
  EXPECT_THAT(log(), HasSubstr("sync: stopped"));
  EXPECT_TRUE(outbox_ids().empty());
}

TEST_F(SyncLoopTest, UploadsWhatIsFinishedWhileItRuns) {
  ASSERT_NO_FATAL_FAILURE(enrolled_kiosk());
  ASSERT_NO_FATAL_FAILURE(start_loop());
  // The pupil app finishes a response while the uploader has the store open (WAL: both may).
  add_outbox_responses(2);
  ASSERT_TRUE(wait_for_log("uploaded 2 response(s)")) << log();
  EXPECT_EQ(stored_count(), 2u);
  EXPECT_EQ(stop_loop(), 0);
}

TEST_F(SyncLoopTest, ARevokedKioskStopsTheLoop) {
  ASSERT_NO_FATAL_FAILURE(enrolled_kiosk());
  add_outbox_responses(1);
  auto revoked = client()->Post(protocol::admin_revoke_path(kiosk_device_id()).c_str(), admin_headers(), "", "");
  ASSERT_TRUE(revoked);
  ASSERT_NO_FATAL_FAILURE(start_loop());
  int status = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (::waitpid(pid_, &status, WNOHANG) == 0 && std::chrono::steady_clock::now() < deadline) ::usleep(20'000);
  ASSERT_TRUE(WIFEXITED(status)) << log();
  pid_ = -1;
  EXPECT_EQ(WEXITSTATUS(status), 8) << log();
  EXPECT_THAT(log(), HasSubstr("revoked"));
  EXPECT_EQ(outbox_ids().size(), 1u);
}

TEST_F(SyncLoopTest, PupilsCarryOnWhileTheUploadHangsAndAStopDoesNotWaitForIt) {
  ASSERT_NO_FATAL_FAILURE(enrolled_kiosk());
  // WHO-5 (anonymous), signed by the team and installed, for the real pupil app.
  fs::path survey = dir_ / "who5.survey.json";
  fs::copy_file(cli_testing::kSurveysDir / "who5.survey.json", survey);
  ASSERT_EQ(admin({"survey", "sign", survey.string(), "--key", (team_ / "private" / "signing.key").string()}).exit_code,
            0);
  ASSERT_EQ(kiosk({"survey", "install", survey.string()}).exit_code, 0);
  add_outbox_responses(1);  // waiting already, so the uploader has a batch to send

  SilentServer silent;
  ASSERT_NO_FATAL_FAILURE(start_loop({"--server-url-override", "https://127.0.0.1:" + std::to_string(silent.port())}));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (silent.open_now() == 0 && std::chrono::steady_clock::now() < deadline) ::usleep(20'000);
  ASSERT_EQ(silent.open_now(), 1u) << "the uploader is waiting on the silent server\n" << log();

  // Two pupils take WHO-5 on the real app (headless) while the upload hangs.
  std::size_t accepted_before = silent.accepted();
  RunResult pupils =
      kiosk({"run", "--headless", "--input", (cli_testing::kScriptsDir / "who5-two-pupils.input").string()});
  ASSERT_EQ(pupils.exit_code, 0) << pupils;
  EXPECT_THAT(pupils.out, HasSubstr("2 responses sealed")) << pupils;
  EXPECT_EQ(outbox_ids().size(), 3u);
  // Proof that they overlapped: the connection the uploader was stuck on when the pupils began
  // (or a retry of it) was still open when they were done.
  EXPECT_GE(silent.open_now() + (silent.accepted() - accepted_before), 1u) << log();

  // SIGTERM while a request hangs: obeyed at once, not after the HTTP timeouts (20 s and more).
  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (silent.open_now() == 0 && std::chrono::steady_clock::now() < deadline) ::usleep(20'000);
  ASSERT_EQ(silent.open_now(), 1u) << log();
  auto stopping = std::chrono::steady_clock::now();
  EXPECT_EQ(stop_loop(), 0) << log();
  EXPECT_LT(std::chrono::steady_clock::now() - stopping, std::chrono::seconds(5));
  EXPECT_THAT(log(), HasSubstr("sync: stopped"));
  EXPECT_THAT(log(), Not(HasSubstr("stopped before the server replied"))) << "a stop is not reported as a failure";

  // Nothing was lost: the real server gets all three.
  RunResult synced = sync_once();
  ASSERT_EQ(synced.exit_code, 0) << synced;
  EXPECT_EQ(summary_of(synced)["stored"], 3) << synced;
  EXPECT_TRUE(outbox_ids().empty());
}

}  // namespace
}  // namespace tt::sync::testing
