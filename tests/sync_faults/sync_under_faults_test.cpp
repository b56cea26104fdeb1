// The fault test: four enrolled kiosks with 260 sealed responses each (1,040 in all)
// upload through the fault proxy to the real tutortime-central over loopback TLS, with the real
// uploader, while the proxy's plan cycles through every fault it has — connections refused,
// dropped mid-request and mid-reply, stalled, 500s, a captive portal's 200 page, the same
// request delivered twice, the server SIGKILLed mid-batch and started again on another port.
// The kiosks retry (one pass each per round, all at once) until every outbox is empty. Then the
// server's export holds every response exactly once, with the kiosk's id, bytes and device.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "sync/uploader/uploader.h"
#include "tests/central/central_server_fixture.h"
#include "tests/sync_faults/fault_proxy.h"
#include "tests/sync_faults/killable_central.h"
#include "tests/sync_faults/sealed_outbox.h"

namespace tt::sync::testing {
namespace {

using central::testing::CentralServerTest;
using central::testing::read_file_text;

constexpr std::size_t kKiosks = 4;
constexpr std::size_t kResponsesPerKiosk = 260;
constexpr int kMaxRounds = 120;

// Every fault, and pass-through connections that carry a batch or a few before they drop (a
// kiosk's pass reuses its connection, so an unlimited one would drain a kiosk at once).
std::vector<Fault> every_fault() {
  using K = FaultKind;
  return {{K::PassThrough, 0},
          {K::Refuse},
          {K::DropMidRequest, 200},  // inside the request's headers
          {K::PassThrough, 100'000},
          {K::Stall, 0, std::chrono::milliseconds(5000)},
          {K::DropMidReply, 30},  // inside the reply's headers
          {K::Answer500},
          {K::PassThrough, 60'000},
          {K::CaptivePortal},
          {K::DeliverTwice},
          {K::DropMidReply, 400},  // inside the reply's body
          {K::KillUpstream},
          {K::DropMidRequest, 20'000}};  // inside the request's body
}

struct Kiosk {
  std::unique_ptr<kiosk::KioskStore> store;
  std::map<std::string, std::string> sealed_digests;  // what it made: id → sha256
  std::string device_id;
  std::vector<std::string> log;
};

class SyncUnderFaultsTest : public CentralServerTest {
 protected:
  SyncUnderFaultsTest() { start_in_setup_ = false; }

  void SetUp() override {
    CentralServerTest::SetUp();
    if (HasFatalFailure()) return;
    config_["limits"]["threads"] = 8;
    std::ofstream(dir_ / "central.json") << config_.dump(2);
    ASSERT_NO_FATAL_FAILURE(start_central());
    proxy_ = std::make_unique<FaultProxy>(central_.port(),
                                          ProxyTlsFiles{certificate_file(), data_dir_ / "tls-private-key.pem"});
    // Killed at a few moments after the request is upstream: before, during or after the commit.
    proxy_->set_kill_hook([this] {
      std::this_thread::sleep_for(std::chrono::milliseconds(kills_.load() % 3 * 3));
      ++kills_;
      central_.kill();
      killed_ = true;
    });
  }

  void TearDown() override {
    proxy_.reset();
    central_.kill_and_reap();
    CentralServerTest::TearDown();
  }

  void start_central() {
    ++starts_;
    ASSERT_TRUE(central_.start({"--config", (dir_ / "central.json").string(), "--data-dir", data_dir_.string()},
                               dir_ / ("central-" + std::to_string(starts_) + ".stderr")))
        << central_.failure();
  }

  CentralAccess access() const {
    return {"https://127.0.0.1:" + std::to_string(central_.port()),
            central_.pin(),
            read_file_text(certificate_file()),
            admin_token(),
            analysis_pem_,
            signing_pem_};
  }

  UploadOptions options_through_proxy(Kiosk& kiosk) {
    UploadOptions options;
    options.max_batch_responses = 20;  // the test server's limit
    options.server_url_override = proxy_->url();
    options.timeouts = HttpTimeouts{1000, 64, 2, 6000};  // a stall costs a second
    options.app_version = "0.1.0";
    options.log = [&kiosk](const std::string& line) { kiosk.log.push_back(line); };
    return options;
  }

  KillableCentral central_;
  int starts_ = 0;
  std::atomic<int> kills_{0};
  std::atomic<bool> killed_{false};
  std::unique_ptr<FaultProxy> proxy_;
};

TEST_F(SyncUnderFaultsTest, EveryResponseIsStoredExactlyOnceAndEveryOutboxEmpties) {
  // Four kiosks, enrolled directly, filled at once.
  auto t0 = std::chrono::steady_clock::now();
  std::vector<Kiosk> kiosks(kKiosks);
  for (std::size_t k = 0; k < kKiosks; ++k) {
    kiosks[k].store = make_enrolled_kiosk(dir_ / ("kiosk-" + std::to_string(k)), access());
    kiosks[k].device_id = load_enrolled_server(*kiosks[k].store).device_id;
  }
  {
    std::vector<std::thread> fill;
    for (Kiosk& kiosk : kiosks)
      fill.emplace_back([&kiosk] { kiosk.sealed_digests = fill_outbox(*kiosk.store, kResponsesPerKiosk); });
    for (auto& t : fill) t.join();
  }
  for (const Kiosk& kiosk : kiosks) ASSERT_EQ(kiosk.store->outbox_summary().waiting, kResponsesPerKiosk);

  auto filled = std::chrono::steady_clock::now();

  // Rounds: every kiosk with something waiting makes one pass through the proxy, all at once;
  // a server killed in the round is started again, on a new port, before the next.
  proxy_->set_plan(every_fault());
  std::size_t stored = 0, duplicates = 0, failed_passes = 0;
  int rounds = 0;
  auto waiting = [&] {
    std::int64_t n = 0;
    for (const Kiosk& kiosk : kiosks) n += kiosk.store->outbox_summary().waiting;
    return n;
  };
  for (; rounds < kMaxRounds && waiting() > 0; ++rounds) {
    std::vector<UploadPassResult> results(kKiosks);
    std::vector<std::string> errors(kKiosks);
    std::vector<std::thread> passes;
    for (std::size_t k = 0; k < kKiosks; ++k) {
      if (kiosks[k].store->outbox_summary().waiting == 0) continue;
      passes.emplace_back([&, k] {
        try {
          results[k] = upload_once(*kiosks[k].store, options_through_proxy(kiosks[k]));
        } catch (const std::exception& e) {
          errors[k] = e.what();
        }
      });
    }
    for (auto& t : passes) t.join();
    for (std::size_t k = 0; k < kKiosks; ++k) {
      ASSERT_EQ(errors[k], "") << "kiosk " << k << ": a pass threw";
      stored += results[k].stored;
      duplicates += results[k].duplicates;
      if (!results[k].all_acknowledged()) ++failed_passes;
      // A fault may make a pass fail; it must never make the server reject a response.
      EXPECT_THAT(results[k].rejected_ids, ::testing::IsEmpty()) << results[k].reason;
      EXPECT_NE(results[k].outcome, UploadOutcome::PinMismatch) << results[k].reason;
    }
    if (killed_.exchange(false)) {
      central_.kill_and_reap();
      ASSERT_NO_FATAL_FAILURE(start_central());
      proxy_->set_upstream_port(central_.port());
    }
  }
  auto uploaded = std::chrono::steady_clock::now();
  std::size_t made = kKiosks * kResponsesPerKiosk;
  ASSERT_EQ(waiting(), 0) << "after " << rounds << " rounds";
  for (const Kiosk& kiosk : kiosks) {
    EXPECT_THAT(kiosk.store->outbox_all(), ::testing::IsEmpty());  // acknowledged and purged
    EXPECT_EQ(kiosk.store->integrity_check(), "ok");
  }

  // Every fault happened, and the lost replies were retried into duplicates, not copies.
  auto applied = proxy_->applied();
  for (const Fault& fault : every_fault()) EXPECT_GE(applied[fault.kind], 1u) << fault_name(fault.kind);
  EXPECT_GE(kills_.load(), 1);
  EXPECT_GT(failed_passes, 0u);
  EXPECT_GT(duplicates, 0u);
  // The replays were refused (401: the nonce is used), or found the server killed by another
  // kiosk's fault (0: no reply); never taken.
  EXPECT_THAT(proxy_->second_delivery_statuses(), ::testing::Each(::testing::AnyOf(401, 0)));
  EXPECT_THAT(proxy_->second_delivery_statuses(), ::testing::Contains(401));
  // Each response was acknowledged once: as new, or as a duplicate when the batch that stored it
  // lost its reply.
  EXPECT_EQ(stored + duplicates, made);

  // The server holds each response once: the kiosk's id, bytes and device.
  central_.kill_and_reap();
  start_server();
  auto exported_responses = exported();
  ASSERT_EQ(exported_responses.size(), made);
  std::map<std::string, std::string> device_of;
  std::map<std::string, std::string> digest_of;
  for (const Kiosk& kiosk : kiosks) {
    for (const auto& [id, digest] : kiosk.sealed_digests) {
      device_of[id] = kiosk.device_id;
      digest_of[id] = digest;
    }
  }
  std::set<std::string> seen;
  for (const auto& r : exported_responses) {
    EXPECT_TRUE(seen.insert(r.response_id).second) << "stored twice: " << r.response_id;
    ASSERT_TRUE(digest_of.count(r.response_id)) << "a response no kiosk made: " << r.response_id;
    EXPECT_EQ(r.sha256, digest_of[r.response_id]);
    EXPECT_EQ(protocol::sha256_hex(r.sealed), r.sha256);
    EXPECT_EQ(r.device_id, device_of[r.response_id]);
  }
  EXPECT_EQ(seen.size(), made);
  std::cout << "[ faults   ] " << made << " responses, " << rounds << " rounds, " << proxy_->connections()
            << " connections, " << kills_.load() << " kills, " << failed_passes << " failed passes, " << stored
            << " stored + " << duplicates << " duplicates acknowledged; "
            << std::chrono::duration<double>(filled - t0).count() << " s to make the kiosks, "
            << std::chrono::duration<double>(uploaded - filled).count() << " s to upload\n";
}

// The proxy answers with the server's own certificate, so the pin passes: the uploader must
// refuse these replies for what they say.
TEST_F(SyncUnderFaultsTest, APortalPageOrA500AcknowledgesNothing) {
  Kiosk kiosk;
  kiosk.store = make_enrolled_kiosk(dir_ / "kiosk", access());
  fill_outbox(*kiosk.store, 5);
  for (FaultKind fault : {FaultKind::CaptivePortal, FaultKind::Answer500}) {
    proxy_->set_plan({{fault}});
    UploadPassResult result = upload_once(*kiosk.store, options_through_proxy(kiosk));
    EXPECT_EQ(result.outcome, UploadOutcome::Failed) << fault_name(fault) << ": " << result.reason;
    EXPECT_EQ(result.acknowledged(), 0u) << fault_name(fault);
    EXPECT_NE(result.transport_error, std::optional<TransportErrorKind>(TransportErrorKind::PinMismatch));
    EXPECT_EQ(kiosk.store->outbox_summary().waiting, 5) << fault_name(fault);
  }
  proxy_->set_plan({});
  UploadPassResult result = upload_once(*kiosk.store, options_through_proxy(kiosk));
  EXPECT_TRUE(result.all_acknowledged()) << result.reason;
  EXPECT_EQ(result.stored, 5u);
  EXPECT_EQ(kiosk.store->outbox_summary().waiting, 0);
}

}  // namespace
}  // namespace tt::sync::testing
