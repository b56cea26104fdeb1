// `tutortime-kiosk sync --once` when things go wrong: another server's key on the way, a captive
// portal, a response the server has already, a revoked kiosk. In each, nothing is acknowledged
// that the central server did not store, and nothing is deleted.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "tests/sync/kiosk_sync_fixture.h"

namespace tt::sync::testing {
namespace {

using ::testing::HasSubstr;

class SyncFailureTest : public KioskSyncTest {
 protected:
  std::vector<std::string> waiting_ids() const {
    std::vector<std::string> ids;
    for (const auto& r : open_kiosk_store()->outbox_all()) {
      if (!r.acknowledged_at) ids.push_back(r.response_id);
    }
    return ids;
  }
};

// An HTTPS server that answers every request with a 200 HTML page, like a hotel's Wi-Fi. It
// serves the central server's own certificate and key, so the pin passes: only the reply can
// give it away.
class CaptivePortal {
 public:
  CaptivePortal(const fs::path& certificate, const fs::path& key) : server_(certificate.c_str(), key.c_str()) {
    auto page = [this](const httplib::Request&, httplib::Response& response) {
      ++requests_;
      response.status = 200;
      response.set_content("<html><body>Welcome to School Wi-Fi. Accept the terms to continue.</body></html>",
                           "text/html");
    };
    server_.Get(".*", page);
    server_.Post(".*", page);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~CaptivePortal() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }
  int requests() const { return requests_.load(); }

 private:
  httplib::SSLServer server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<int> requests_{0};
};

TEST_F(SyncFailureTest, AnotherServersKeyOnTheEnrolledAddressGetsNothing) {
  ASSERT_NO_FATAL_FAILURE(enrolled_kiosk());
  add_outbox_responses(3);
  auto before = waiting_ids();
  // A second server with a certificate of its own (its own data directory).
  central::testing::ServerProcess impostor;
  fs::path impostor_data = dir_ / "impostor-data";
  ASSERT_TRUE(impostor.start({"--config", (dir_ / "central.json").string(), "--data-dir", impostor_data.string()},
                             dir_ / "impostor.stderr"))
      << impostor.failure();
  ASSERT_NE(impostor.pin(), server_->pin());

  RunResult r = sync_once({"--server-url-override", impostor.url()});
  EXPECT_EQ(r.exit_code, 7) << r;
  EXPECT_THAT(r.err, HasSubstr("not the one this kiosk enrolled with"));
  EXPECT_EQ(waiting_ids(), before) << "the outbox is unchanged";
  EXPECT_EQ(stored_count(), 0u);

  // The real server, through the same override option, still works.
  RunResult real = sync_once({"--server-url-override", server_->url()});
  EXPECT_EQ(real.exit_code, 0) << real;
  EXPECT_EQ(stored_count(), 3u);
}

TEST_F(SyncFailureTest, ACaptivePortalsPageAcknowledgesNothing) {
  ASSERT_NO_FATAL_FAILURE(enrolled_kiosk());
  add_outbox_responses(4);
  auto before = waiting_ids();
  CaptivePortal portal(certificate_file(), data_dir_ / "tls-private-key.pem");

  RunResult r = sync_once({"--server-url-override", portal.url()});
  EXPECT_EQ(r.exit_code, 6) << r;
  EXPECT_GE(portal.requests(), 1) << "the kiosk did reach the portal";
  EXPECT_THAT(r.err, HasSubstr("captive portal"));
  nlohmann::json summary = summary_of(r);
  EXPECT_EQ(summary["outcome"], "failed");
  EXPECT_EQ(summary["stored"], 0);
  EXPECT_EQ(summary["waiting"], 4);
  EXPECT_EQ(waiting_ids(), before);
  EXPECT_EQ(open_kiosk_store()->outbox_summary().acknowledged_not_purged, 0);
}

TEST_F(SyncFailureTest, AResponseUploadedTwiceIsStoredOnceAndAcknowledgedAsDuplicate) {
  ASSERT_NO_FATAL_FAILURE(enrolled_kiosk());
  auto added = add_outbox_responses(3);
  ASSERT_EQ(sync_once().exit_code, 0);
  ASSERT_TRUE(waiting_ids().empty());
  // The acknowledgement of the second was lost: the kiosk still has it, with the same bytes.
  {
    auto store = open_kiosk_store();
    add_outbox_response(*store, added[1].response_id, 0, added[1].sealed);
    add_outbox_responses(1);
  }
  RunResult r = sync_once();
  ASSERT_EQ(r.exit_code, 0) << r;
  nlohmann::json summary = summary_of(r);
  EXPECT_EQ(summary["duplicates"], 1);
  EXPECT_EQ(summary["stored"], 1);
  EXPECT_TRUE(waiting_ids().empty());
  EXPECT_EQ(stored_count(), 4u);
}

TEST_F(SyncFailureTest, AConflictingResponseIsRejectedAndKept) {
  ASSERT_NO_FATAL_FAILURE(enrolled_kiosk());
  auto added = add_outbox_responses(1);
  ASSERT_EQ(sync_once().exit_code, 0);
  // The same id with other bytes: the server keeps its first bytes and rejects these.
  {
    auto store = open_kiosk_store();
    add_outbox_response(*store, added[0].response_id);
  }
  add_outbox_responses(2);
  RunResult r = sync_once();
  EXPECT_EQ(r.exit_code, 6) << r;
  nlohmann::json summary = summary_of(r);
  EXPECT_EQ(summary["outcome"], "some-rejected");
  EXPECT_EQ(summary["stored"], 2) << "the others still went";
  EXPECT_EQ(summary["rejected"], nlohmann::json::array({added[0].response_id}));
  EXPECT_THAT(r.err, HasSubstr("rejected by the server"));
  EXPECT_THAT(r.err, HasSubstr("conflict"));
  EXPECT_EQ(waiting_ids(), std::vector<std::string>{added[0].response_id}) << "never deleted";
  EXPECT_EQ(stored_count(), 3u);
}

TEST_F(SyncFailureTest, ARevokedKioskStopsAndKeepsItsData) {
  ASSERT_NO_FATAL_FAILURE(enrolled_kiosk());
  add_outbox_responses(2);
  auto before = waiting_ids();
  auto revoked = client()->Post(protocol::admin_revoke_path(kiosk_device_id()).c_str(), admin_headers(), "", "");
  ASSERT_TRUE(revoked);
  ASSERT_EQ(revoked->status, 200) << revoked->body;

  RunResult r = sync_once();
  EXPECT_EQ(r.exit_code, 8) << r;
  EXPECT_THAT(r.err, HasSubstr("revoked"));
  EXPECT_THAT(r.err, HasSubstr("kept"));
  EXPECT_EQ(waiting_ids(), before);
  EXPECT_EQ(stored_count(), 0u);
}

TEST_F(SyncFailureTest, ARevokedKioskWithNothingToUploadIsToldSoToo) {
  // Nothing waits, so the survey fetch or the heartbeat is the first request the server refuses.
  ASSERT_NO_FATAL_FAILURE(enrolled_kiosk());
  auto revoked = client()->Post(protocol::admin_revoke_path(kiosk_device_id()).c_str(), admin_headers(), "", "");
  ASSERT_TRUE(revoked);
  ASSERT_EQ(revoked->status, 200) << revoked->body;
  for (std::vector<std::string> options :
       {std::vector<std::string>{}, std::vector<std::string>{"--no-survey-updates"}}) {
    RunResult r = sync_once(options);
    EXPECT_EQ(r.exit_code, 8) << r;
    EXPECT_EQ(summary_of(r)["outcome"], "revoked") << r;
    EXPECT_THAT(r.err, HasSubstr("revoked"));
  }
}

TEST_F(SyncFailureTest, AnUnreachableServerIsNotEverythingAcknowledged) {
  ASSERT_NO_FATAL_FAILURE(enrolled_kiosk());
  add_outbox_responses(2);
  server_->stop();
  RunResult r = sync_once();
  EXPECT_EQ(r.exit_code, 6) << r;
  EXPECT_THAT(r.err, HasSubstr("could not connect"));
  EXPECT_EQ(waiting_ids().size(), 2u);
}

TEST_F(SyncFailureTest, SyncOnAKioskThatIsNotEnrolledSaysSo) {
  ASSERT_NO_FATAL_FAILURE(setup_kiosk());
  RunResult r = sync_once();
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_THAT(r.err, HasSubstr("not enrolled"));
}

}  // namespace
}  // namespace tt::sync::testing
