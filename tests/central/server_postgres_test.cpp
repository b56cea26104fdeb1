// Two real tutortime-central processes on one PostgreSQL database, as a deployment that has
// outgrown one machine runs them: the same batches sent to both at the same time are stored
// once each, and a request replayed from one server to the other is refused.
#include "tests/central/central_server_fixture.h"
#include "tests/central/postgres_test_server.h"

namespace tt::central::testing {
namespace {

using protocol::UploadStatus;

class TwoServersOnPostgresTest : public CentralServerTest {
 protected:
  TwoServersOnPostgresTest() { start_in_setup_ = false; }

  void SetUp() override {
    CentralServerTest::SetUp();
    std::string why;
    auto admin = postgres_admin_url(why);
    if (!admin) GTEST_SKIP() << why;
    config_["storage"] = create_test_database(*admin);
    for (const char* name : {"a", "b"}) {
      fs::path data = dir_ / (std::string("data-") + name);
      std::ofstream(dir_ / "central.json") << config_.dump(2);
      auto server = std::make_unique<ServerProcess>();
      ASSERT_TRUE(server->start({"--config", (dir_ / "central.json").string(), "--data-dir", data.string()},
                                dir_ / (std::string("server-") + name + ".stderr")))
          << server->failure();
      servers_.push_back(std::move(server));
      data_dirs_.push_back(data);
    }
  }

  std::unique_ptr<httplib::SSLClient> client_of(std::size_t i) const {
    auto c = std::make_unique<httplib::SSLClient>("127.0.0.1", servers_[i]->port());
    c->set_ca_cert_path((data_dirs_[i] / "tls-certificate.pem").c_str());
    c->enable_server_certificate_verification(true);
    c->set_read_timeout(20);
    return c;
  }
  httplib::Headers admin_of(std::size_t i) const {
    std::string token = read_file_text(data_dirs_[i] / "admin-token");
    token.pop_back();
    return {{"Authorization", "Bearer " + token}};
  }
  TestDevice enrol_on(std::size_t i) {
    auto t = client_of(i)->Post(protocol::kAdminEnrolTokensPath, admin_of(i),
                                protocol::to_json(protocol::EnrolTokenRequest{"Hillside", 1}), "application/json");
    EXPECT_EQ(t->status, 201) << t->body;
    TestDevice device{"", crypto::ed25519_generate()};
    auto r = client_of(i)->Post(protocol::kEnrolPath,
                                protocol::to_json(protocol::EnrolmentRequest{
                                    protocol::parse_enrol_token_reply(t->body).token, device.key.public_key, "0.1.0"}),
                                "application/json");
    EXPECT_EQ(r->status, 201) << r->body;
    device.id = protocol::parse_enrolment_reply(r->body).device_id;
    return device;
  }
  std::vector<protocol::ExportedResponse> export_from(std::size_t i) {
    auto r = client_of(i)->Get("/v1/admin/responses?limit=1000", admin_of(i));
    EXPECT_EQ(r->status, 200) << r->body;
    return protocol::parse_responses_page(r->body).responses;
  }

  std::vector<std::unique_ptr<ServerProcess>> servers_;
  std::vector<fs::path> data_dirs_;
};

TEST_F(TwoServersOnPostgresTest, TheSameBatchesToBothAtOnceAreStoredOnceEach) {
  std::vector<TestDevice> devices;
  for (std::size_t server : {0, 1, 0}) devices.push_back(enrol_on(server));
  std::vector<std::vector<SealedUpload>> batches(5);
  for (auto& batch : batches) {
    for (int i = 0; i < 10; ++i) batch.push_back(random_upload(300));
  }
  std::atomic<int> stored{0}, duplicate{0}, failed{0};
  std::vector<std::thread> threads;
  for (const TestDevice& device : devices) {
    for (std::size_t server = 0; server < 2; ++server) {
      threads.emplace_back([&, server, &device = device] {
        auto c = client_of(server);
        for (const auto& batch : batches) {
          std::string body = protocol::batch_upload_to_json(batch);
          auto r = c->Post(protocol::kBatchesPath, signed_headers(device, "POST", protocol::kBatchesPath, body), body,
                           "application/json");
          if (!r || r->status != 200) {
            ++failed;
            continue;
          }
          for (const auto& result : protocol::parse_batch_reply(r->body)) {
            (result.status == UploadStatus::Stored      ? stored
             : result.status == UploadStatus::Duplicate ? duplicate
                                                        : failed)++;
          }
        }
      });
    }
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(stored, 50);
  EXPECT_EQ(duplicate, 250);
  // Both servers export the same 50, in one order, numbered without gaps.
  auto from_a = export_from(0);
  auto from_b = export_from(1);
  ASSERT_EQ(from_a.size(), 50u);
  EXPECT_EQ(from_a, from_b);
  for (std::size_t i = 0; i < from_a.size(); ++i) EXPECT_EQ(from_a[i].sequence, static_cast<std::int64_t>(i + 1));
}

TEST_F(TwoServersOnPostgresTest, ARequestReplayedToTheOtherServerIsRefused) {
  TestDevice device = enrol_on(0);
  std::string body = protocol::batch_upload_to_json(std::vector<SealedUpload>{random_upload()});
  httplib::Headers headers = signed_headers(device, "POST", protocol::kBatchesPath, body);
  ASSERT_EQ(client_of(0)->Post(protocol::kBatchesPath, headers, body, "application/json")->status, 200);
  expect_problem(client_of(1)->Post(protocol::kBatchesPath, headers, body, "application/json"),
                 protocol::ProblemKind::Unauthenticated, "nonce has been used before");
  // A device revoked through one server is refused by the other.
  ASSERT_EQ(client_of(1)->Post(protocol::admin_revoke_path(device.id).c_str(), admin_of(1), "", "")->status, 200);
  httplib::Headers fresh = signed_headers(device, "POST", protocol::kBatchesPath, body);
  expect_problem(client_of(0)->Post(protocol::kBatchesPath, fresh, body, "application/json"),
                 protocol::ProblemKind::DeviceRevoked);
}

}  // namespace
}  // namespace tt::central::testing
