// `tutortime-kiosk sync`, the long-running uploader, as a real process: the first failure is
// logged and the next ones are not, SIGUSR1 makes it try at once, the recovery is logged with
// the count, and SIGTERM stops it cleanly.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include "tests/sync/kiosk_sync_fixture.h"

namespace tt::sync::testing {
namespace {

using ::testing::HasSubstr;

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

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

  void start_loop() {
    log_file_ = dir_ / "sync.stderr";
    pid_ = central::testing::spawn(
        {cli_testing::kKioskBin.string(), "--data-dir", kiosk_.string(), "sync", "--interval-seconds", "1"}, stdout_fd_,
        log_file_);
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

}  // namespace
}  // namespace tt::sync::testing
