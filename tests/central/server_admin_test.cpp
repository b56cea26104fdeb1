// The admin endpoints refuse a missing or wrong token; the server refuses to start when it is
// set up wrongly, saying why; it stops cleanly on SIGTERM.
#include "tests/central/central_server_fixture.h"

namespace tt::central::testing {
namespace {

using protocol::ProblemKind;
using ::testing::HasSubstr;

TEST_F(CentralServerTest, AdminEndpointsRefuseAMissingOrWrongToken) {
  TestDevice device = enrolled_device();
  std::string body = protocol::to_json(protocol::EnrolTokenRequest{"Hillside", 1});
  for (const httplib::Headers& headers :
       {httplib::Headers{}, admin_headers("not-the-token"), admin_headers(admin_token() + "x"),
        admin_headers(admin_token().substr(1)), httplib::Headers{{"Authorization", "Basic " + admin_token()}}}) {
    auto r = post_json(protocol::kAdminEnrolTokensPath, body, headers);
    expect_problem(r, ProblemKind::AdminTokenRefused);
    EXPECT_EQ(r->get_header_value("WWW-Authenticate"), "Bearer");
    expect_problem(client()->Get(protocol::kAdminFleetPath, headers), ProblemKind::AdminTokenRefused);
    expect_problem(client()->Get(protocol::kAdminResponsesPath, headers), ProblemKind::AdminTokenRefused);
    expect_problem(client()->Post(protocol::admin_revoke_path(device.id).c_str(), headers, "", ""),
                   ProblemKind::AdminTokenRefused);
  }
  // Nothing happened: the device is not revoked and no token was made.
  auto fleet = protocol::parse_fleet_reply(client()->Get(protocol::kAdminFleetPath, admin_headers())->body);
  ASSERT_EQ(fleet.devices.size(), 1u);
  EXPECT_FALSE(fleet.devices[0].revoked_at);
}

TEST_F(CentralServerTest, RevokingAnUnknownDeviceIs404AndRevokingTwiceKeepsTheTime) {
  expect_problem(client()->Post(protocol::admin_revoke_path(crypto::random_id128()).c_str(), admin_headers(), "", ""),
                 ProblemKind::NotFound);
  TestDevice device = enrolled_device();
  auto first = client()->Post(protocol::admin_revoke_path(device.id).c_str(), admin_headers(), "", "");
  ASSERT_EQ(first->status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto second = client()->Post(protocol::admin_revoke_path(device.id).c_str(), admin_headers(), "", "");
  ASSERT_EQ(second->status, 200);
  EXPECT_EQ(protocol::parse_revoke_reply(first->body).revoked_at,
            protocol::parse_revoke_reply(second->body).revoked_at);
}

TEST_F(CentralServerTest, TheAdminTokenFileIsPrivateAndTheTokenIsLong) {
  struct stat info {};
  ASSERT_EQ(::stat((data_dir_ / "admin-token").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(admin_token().size(), 64u);
  EXPECT_THAT(server_->stdout_text(), HasSubstr("admin token: " + (data_dir_ / "admin-token").string()));
  EXPECT_EQ(server_->stdout_text().find(admin_token()), std::string::npos) << "printed where, never what";
}

TEST_F(CentralServerTest, StopsCleanlyOnSigterm) {
  EXPECT_EQ(server_->stop(), 0);
  EXPECT_THAT(read_file_text(dir_ / "server.stderr"), HasSubstr("stopping on SIGTERM"));
}

// Startup refusals: each exits with its code and a message naming the cause.
class CentralStartupTest : public CentralServerTest {
 protected:
  CentralStartupTest() { start_in_setup_ = false; }
  ProcessResult serve() {
    std::ofstream(dir_ / "central.json") << config_.dump(2);
    return run_central({"serve", "--config", (dir_ / "central.json").string(), "--data-dir", data_dir_.string()}, dir_);
  }
};

TEST_F(CentralStartupTest, RefusesToHoldTheAnalysisPrivateKey) {
  fs::create_directories(data_dir_);
  std::ofstream(data_dir_ / "analysis.key") << "-----BEGIN PRIVATE KEY-----\n";
  ProcessResult r = serve();
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_THAT(r.err, HasSubstr("must never be on the central server"));
}

TEST_F(CentralStartupTest, RefusesWithoutTheAnalysisPublicKey) {
  config_["analysis_public_key"] = "keys/missing.pub";
  ProcessResult r = serve();
  EXPECT_EQ(r.exit_code, 3) << r;
  EXPECT_THAT(r.err, HasSubstr("the analysis public key"));
  EXPECT_THAT(r.err, HasSubstr("missing.pub"));
}

TEST_F(CentralStartupTest, RefusesAnUnknownSetting) {
  config_["limits"]["max_body_byte"] = 10;
  ProcessResult r = serve();
  EXPECT_EQ(r.exit_code, 3) << r;
  EXPECT_THAT(r.err, HasSubstr("/limits has an unknown setting \"max_body_byte\""));
}

TEST_F(CentralStartupTest, NamesAnUnreachableDatabaseButNeverItsPassword) {
  config_["storage"] = "postgresql://central:hunter2secret@127.0.0.1:1/tutortime?connect_timeout=2";
  ProcessResult r = serve();
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_THAT(r.err, HasSubstr("open postgresql://…: connection to server at \"127.0.0.1\", port 1 failed"));
  EXPECT_EQ(r.err.find("hunter2secret"), std::string::npos);
}

TEST_F(CentralStartupTest, RefusesAPortInUse) {
  start_server();
  config_["listen"]["port"] = server_->port();
  ProcessResult r = serve();
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_THAT(r.err, HasSubstr("cannot listen on 127.0.0.1 port " + std::to_string(server_->port())));
}

TEST_F(CentralStartupTest, HelpAndUsage) {
  ProcessResult help = run_central({"--help"}, dir_);
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("--insecure-http-for-tests"));
  ProcessResult wrong = run_central({"serve", "--bogus"}, dir_);
  EXPECT_EQ(wrong.exit_code, 2) << wrong;
}

}  // namespace
}  // namespace tt::central::testing
