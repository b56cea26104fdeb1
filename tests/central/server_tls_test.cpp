// The server's TLS: HTTPS only, TLS 1.2 or newer, a self-signed certificate made on the first
// run with its pin printed, the same certificate on the next run, and the pin in the form
// libcurl checks.
#include <openssl/ssl.h>

#include "sync/central/tls_identity.h"
#include "tests/central/central_server_fixture.h"

namespace tt::central::testing {
namespace {

using ::testing::HasSubstr;

TEST_F(CentralServerTest, AnswersHealthOverVerifiedTls) {
  auto r = client()->Get(protocol::kHealthPath);
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store");
  auto health = protocol::parse_health_reply(r->body);
  EXPECT_EQ(health.status, "ok");
  EXPECT_EQ(health.protocol, 1);
}

TEST_F(CentralServerTest, MakesASelfSignedCertificateOnTheFirstRunAndPrintsItsPin) {
  EXPECT_THAT(server_->stdout_text(), HasSubstr("(created: self-signed ECDSA P-256)"));
  EXPECT_EQ(server_->url(), "https://127.0.0.1:" + std::to_string(server_->port()));
  struct stat key {};
  ASSERT_EQ(::stat((data_dir_ / "tls-private-key.pem").c_str(), &key), 0);
  EXPECT_EQ(key.st_mode & 0777, 0600u);
  // The printed pin is the certificate's, and `tutortime-central pin` prints the same.
  std::string pin = public_key_pin_of_certificate(read_file_text(certificate_file()));
  EXPECT_EQ(server_->pin(), pin);
  EXPECT_THAT(pin, ::testing::StartsWith("sha256//"));
  EXPECT_EQ(pin.size(), 8u + 44u);  // base64 of 32 bytes
  ProcessResult printed = run_central({"pin", "--data-dir", data_dir_.string()}, dir_);
  EXPECT_EQ(printed.exit_code, 0) << printed;
  EXPECT_EQ(printed.out, pin + "\n");
}

TEST_F(CentralServerTest, KeepsItsCertificateAcrossRestarts) {
  std::string first_pin = server_->pin();
  EXPECT_EQ(server_->stop(), 0);
  start_server();
  EXPECT_EQ(server_->pin(), first_pin);
  EXPECT_THAT(server_->stdout_text(), ::testing::Not(HasSubstr("created")));
  EXPECT_EQ(client()->Get(protocol::kHealthPath)->status, 200);
}

TEST_F(CentralServerTest, AClientThatTrustsAnotherCertificateCannotConnect) {
  // Another self-signed certificate: verification against it must fail (as a pin mismatch
  // would in the kiosk's libcurl).
  fs::path other = dir_ / "other";
  fs::create_directories(other);
  load_or_create_tls_identity(other / "cert.pem", other / "key.pem", {"127.0.0.1"}, true);
  httplib::SSLClient c("127.0.0.1", server_->port());
  c.set_ca_cert_path((other / "cert.pem").c_str());
  c.enable_server_certificate_verification(true);
  auto r = c.Get(protocol::kHealthPath);
  EXPECT_FALSE(r);
  EXPECT_EQ(r.error(), httplib::Error::SSLServerVerification);
}

// A TLS handshake limited to `max_version`; true when it completes.
bool handshake_succeeds(int port, int max_version) {
  SSL_CTX* context = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_min_proto_version(context, TLS1_VERSION);
  SSL_CTX_set_max_proto_version(context, max_version);
  SSL_CTX_set_security_level(context, 0);  // let the client offer old versions at all
  SSL_CTX_set_cipher_list(context, "ALL:@SECLEVEL=0");
  BIO* bio = BIO_new_ssl_connect(context);
  BIO_set_conn_hostname(bio, ("127.0.0.1:" + std::to_string(port)).c_str());
  bool ok = BIO_do_handshake(bio) == 1;
  BIO_free_all(bio);
  SSL_CTX_free(context);
  return ok;
}

TEST_F(CentralServerTest, RefusesTlsOlderThan12) {
  EXPECT_FALSE(handshake_succeeds(server_->port(), TLS1_VERSION));
  EXPECT_FALSE(handshake_succeeds(server_->port(), TLS1_1_VERSION));
  EXPECT_TRUE(handshake_succeeds(server_->port(), TLS1_2_VERSION));
  EXPECT_TRUE(handshake_succeeds(server_->port(), TLS1_3_VERSION));
  // And it keeps serving after the refused handshakes.
  EXPECT_EQ(client()->Get(protocol::kHealthPath)->status, 200);
}

TEST_F(CentralServerTest, DoesNotSpeakPlainHttp) {
  httplib::Client plain("127.0.0.1", server_->port());
  plain.set_read_timeout(5);
  auto r = plain.Get(protocol::kHealthPath);
  EXPECT_TRUE(!r || r->status == 400) << "a plain HTTP request must not be served";
  if (r) {
    EXPECT_EQ(r->body.find("tutortime-central"), std::string::npos);
  }
}

TEST_F(CentralServerTest, LibcurlAcceptsThePinAndRefusesAnother) {
  if (::access("/usr/bin/curl", X_OK) != 0) GTEST_SKIP() << "no curl command to check the pin format with";
  std::string url = "https://localhost:" + std::to_string(server_->port()) + protocol::kHealthPath;
  auto curl = [&](const std::string& pin) {
    std::string command = "/usr/bin/curl -sS --max-time 10 --cacert '" + certificate_file().string() +
                          "' --pinnedpubkey '" + pin + "' '" + url + "' >/dev/null 2>&1";
    return WEXITSTATUS(std::system(command.c_str()));
  };
  EXPECT_EQ(curl(server_->pin()), 0);
  EXPECT_EQ(curl("sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="), 90);  // CURLE_SSL_PINNEDPUBKEYNOTMATCH
}

class InsecureHttpServerTest : public CentralServerTest {
 protected:
  InsecureHttpServerTest() { start_in_setup_ = false; }
};

TEST_F(InsecureHttpServerTest, PlainHttpOnlyBehindTheTestFlag) {
  start_server({"--insecure-http-for-tests"});
  EXPECT_EQ(server_->url().rfind("http://", 0), 0u);
  EXPECT_THAT(server_->stderr_text(), HasSubstr("never use this with real kiosks"));
  EXPECT_FALSE(fs::exists(certificate_file())) << "no certificate is made for plain HTTP";
  httplib::Client plain("127.0.0.1", server_->port());
  auto r = plain.Get(protocol::kHealthPath);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

}  // namespace
}  // namespace tt::central::testing
