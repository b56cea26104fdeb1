// Request signing: the canonical string is exactly as documented, a signature verifies for the
// request it was made over, and any change to any part of the request breaks it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "shared/crypto/ed25519.h"
#include "shared/protocol/digest.h"
#include "shared/protocol/json_body.h"
#include "shared/protocol/request_signature.h"

namespace tt::protocol {
namespace {

const std::string kDevice = "3f2a9b1c0d4e5f60718293a4b5c6d7e8";
const std::string kNonce = "00112233445566778899aabbccddeeff";

TEST(ProtocolDigest, Sha256MatchesTheStandardVectors) {
  EXPECT_EQ(sha256_hex({}), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex(as_bytes("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ProtocolSignature, CanonicalStringIsAsDocumented) {
  std::string body = R"({"responses":[]})";
  EXPECT_EQ(canonical_request("POST", "/v1/batches", kDevice, 1764839100, kNonce, as_bytes(body)),
            "TUTORTIME-REQUEST-V1\nPOST\n/v1/batches\n" + kDevice + "\n1764839100\n" + kNonce + "\n" +
                sha256_hex(as_bytes(body)));
  // An empty body hashes as the empty string.
  EXPECT_THAT(canonical_request("GET", "/v1/surveys?since=3", kDevice, 1, kNonce, {}),
              ::testing::EndsWith("\n/v1/surveys?since=3\n" + kDevice + "\n1\n" + kNonce +
                                  "\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
}

struct Signed {
  crypto::Ed25519KeyPair key = crypto::ed25519_generate();
  std::string body = R"({"responses":[{"response_id":"93a86a469771626c804cb1b0fcdd1871"}]})";
  RequestCredentials credentials =
      sign_request("POST", "/v1/batches", as_bytes(body), kDevice, key.private_key.view(), 1764839100, kNonce);
};

TEST(ProtocolSignature, VerifiesTheRequestItWasMadeOver) {
  Signed s;
  EXPECT_EQ(s.credentials.signature.size(), 64u);
  EXPECT_TRUE(verify_request_signature(s.credentials, "POST", "/v1/batches", as_bytes(s.body), s.key.public_key));
}

TEST(ProtocolSignature, AnyChangeBreaksIt) {
  Signed s;
  auto verifies = [&](const RequestCredentials& c, std::string_view method, std::string_view target,
                      const std::string& body) {
    return verify_request_signature(c, method, target, as_bytes(body), s.key.public_key);
  };
  std::string tampered = s.body;
  tampered[tampered.size() - 5] ^= 1;
  EXPECT_FALSE(verifies(s.credentials, "POST", "/v1/batches", tampered)) << "body";
  EXPECT_FALSE(verifies(s.credentials, "POST", "/v1/batches", s.body + " ")) << "body, appended";
  EXPECT_FALSE(verifies(s.credentials, "PUT", "/v1/batches", s.body)) << "method";
  EXPECT_FALSE(verifies(s.credentials, "POST", "/v1/heartbeat", s.body)) << "path";
  EXPECT_FALSE(verifies(s.credentials, "POST", "/v1/batches?x=1", s.body)) << "query";
  RequestCredentials c = s.credentials;
  c.timestamp += 1;
  EXPECT_FALSE(verifies(c, "POST", "/v1/batches", s.body)) << "timestamp";
  c = s.credentials;
  c.nonce[0] = c.nonce[0] == '0' ? '1' : '0';
  EXPECT_FALSE(verifies(c, "POST", "/v1/batches", s.body)) << "nonce";
  c = s.credentials;
  c.device_id[31] = c.device_id[31] == '8' ? '9' : '8';
  EXPECT_FALSE(verifies(c, "POST", "/v1/batches", s.body)) << "device";
  c = s.credentials;
  c.signature[10] ^= 0x40;
  EXPECT_FALSE(verifies(c, "POST", "/v1/batches", s.body)) << "signature";
  EXPECT_FALSE(verify_request_signature(s.credentials, "POST", "/v1/batches", as_bytes(s.body),
                                        crypto::ed25519_generate().public_key))
      << "another device's key";
  EXPECT_FALSE(verify_request_signature(s.credentials, "POST", "/v1/batches", as_bytes(s.body), Bytes(31)))
      << "a malformed key is false, not an exception";
}

TEST(ProtocolSignature, FreshNoncesDiffer) {
  auto key = crypto::ed25519_generate();
  auto a = sign_request("GET", "/v1/x", {}, kDevice, key.private_key.view(), 1);
  auto b = sign_request("GET", "/v1/x", {}, kDevice, key.private_key.view(), 1);
  EXPECT_EQ(a.nonce.size(), 32u);
  EXPECT_NE(a.nonce, b.nonce);
}

std::string credentials_error(std::optional<std::string> device, std::optional<std::string> timestamp,
                              std::optional<std::string> nonce, std::optional<std::string> signature) {
  try {
    read_credentials_from(device, timestamp, nonce, signature);
  } catch (const ProtocolError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(ProtocolSignature, HeadersAreReadStrictly) {
  std::string sig = to_base64(Bytes(64, 7));
  EXPECT_EQ(credentials_error(kDevice, "1764839100", kNonce, sig), "(accepted)");
  EXPECT_EQ(credentials_error(std::nullopt, "1", kNonce, sig), "the header Tutortime-Device is missing");
  EXPECT_EQ(credentials_error(kDevice, std::nullopt, kNonce, sig), "the header Tutortime-Timestamp is missing");
  EXPECT_EQ(credentials_error(kDevice, "1", std::nullopt, sig), "the header Tutortime-Nonce is missing");
  EXPECT_EQ(credentials_error(kDevice, "1", kNonce, std::nullopt), "the header Tutortime-Signature is missing");
  EXPECT_EQ(credentials_error("3F2A9B1C0D4E5F60718293A4B5C6D7E8", "1", kNonce, sig),
            "the header Tutortime-Device must be 32 lower-case hex digits");
  for (const char* bad : {"", "-5", "1.5", "12345678901234", " 1", "0x10"}) {
    EXPECT_EQ(credentials_error(kDevice, bad, kNonce, sig),
              "the header Tutortime-Timestamp must be Unix seconds (decimal digits)")
        << bad;
  }
  EXPECT_EQ(credentials_error(kDevice, "1", "short", sig),
            "the header Tutortime-Nonce must be 32 lower-case hex digits");
  EXPECT_EQ(credentials_error(kDevice, "1", kNonce, to_base64(Bytes(63, 7))),
            "the header Tutortime-Signature must be the base64 of a 64-byte Ed25519 signature");
  EXPECT_EQ(credentials_error(kDevice, "1", kNonce, "!!!"),
            "the header Tutortime-Signature must be the base64 of a 64-byte Ed25519 signature");
}

TEST(ProtocolSignature, HeaderValuesRoundTrip) {
  Signed s;
  RequestCredentials back = read_credentials_from(s.credentials.device_id, timestamp_header_value(s.credentials),
                                                  s.credentials.nonce, signature_header_value(s.credentials));
  EXPECT_EQ(back.device_id, s.credentials.device_id);
  EXPECT_EQ(back.timestamp, s.credentials.timestamp);
  EXPECT_EQ(back.nonce, s.credentials.nonce);
  EXPECT_EQ(back.signature, s.credentials.signature);
  EXPECT_TRUE(verify_request_signature(back, "POST", "/v1/batches", as_bytes(s.body), s.key.public_key));
}

}  // namespace
}  // namespace tt::protocol
