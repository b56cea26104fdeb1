#include "shared/crypto/aead.h"

#include <gtest/gtest.h>

#include <functional>

#include "shared/crypto/random.h"

namespace tt::crypto {
namespace {

Bytes to_bytes(const SecretBytes& s) {
  return Bytes(s.view().begin(), s.view().end());
}

// RFC 8439 section 2.8.2: AEAD_CHACHA20_POLY1305 example.
TEST(Aead, ChaCha20Poly1305MatchesRfc8439Section282) {
  const Bytes key = from_hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
  const Bytes nonce = from_hex("070000004041424344454647");
  const Bytes aad = from_hex("50515253c0c1c2c3c4c5c6c7");
  const std::string plaintext =
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, "
      "sunscreen would be it.";
  const std::string expected_ciphertext =
      "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b"
      "1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
      "3ff4def08e4b7a9de576d26586cec64b6116";
  const std::string expected_tag = "1ae10b594f09e26a7e902ecbd0600691";

  Bytes sealed = aead_seal(AeadAlgorithm::ChaCha20Poly1305, key, nonce, aad, as_bytes(plaintext));
  EXPECT_EQ(to_hex(sealed), expected_ciphertext + expected_tag);

  SecretBytes opened =
      aead_open(AeadAlgorithm::ChaCha20Poly1305, key, nonce, aad, from_hex(expected_ciphertext + expected_tag));
  EXPECT_EQ(to_string(opened.view()), plaintext);
}

TEST(Aead, KeySizes) {
  EXPECT_EQ(aead_key_size(AeadAlgorithm::ChaCha20Poly1305), 32u);
  EXPECT_EQ(aead_key_size(AeadAlgorithm::Aes256Gcm), 32u);
  EXPECT_EQ(aead_key_size(AeadAlgorithm::Aes128Gcm), 16u);
}

class AeadAlgorithms : public ::testing::TestWithParam<AeadAlgorithm> {
 protected:
  AeadAlgorithm algorithm = GetParam();
  Bytes key = random_bytes(aead_key_size(GetParam()));
  Bytes nonce = random_bytes(kAeadNonceSize);
  Bytes aad = as_bytes_copy("response 3f2a, survey v7");
  Bytes plaintext = as_bytes_copy("{\"q1\": 4, \"q2\": \"sometimes\"}");

  static Bytes as_bytes_copy(std::string_view s) {
    ByteView v = as_bytes(s);
    return Bytes(v.begin(), v.end());
  }
  Bytes seal() const { return aead_seal(algorithm, key, nonce, aad, plaintext); }
};

TEST_P(AeadAlgorithms, RoundTrip) {
  Bytes sealed = seal();
  ASSERT_EQ(sealed.size(), plaintext.size() + kAeadTagSize);
  EXPECT_NE(Bytes(sealed.begin(), sealed.begin() + static_cast<std::ptrdiff_t>(plaintext.size())), plaintext);
  EXPECT_EQ(to_bytes(aead_open(algorithm, key, nonce, aad, sealed)), plaintext);
}

TEST_P(AeadAlgorithms, RoundTripOfEmptyPlaintextAndAad) {
  Bytes sealed = aead_seal(algorithm, key, nonce, {}, {});
  ASSERT_EQ(sealed.size(), kAeadTagSize);
  EXPECT_TRUE(aead_open(algorithm, key, nonce, {}, sealed).empty());
  EXPECT_THROW(aead_open(algorithm, key, nonce, aad, sealed), AuthenticationError);
}

TEST_P(AeadAlgorithms, RoundTripOfALargeMessage) {
  Bytes big = random_bytes(1 << 20);
  Bytes sealed = aead_seal(algorithm, key, nonce, aad, big);
  EXPECT_EQ(to_bytes(aead_open(algorithm, key, nonce, aad, sealed)), big);
}

TEST_P(AeadAlgorithms, DetectsAFlippedCiphertextBit) {
  Bytes sealed = seal();
  sealed[3] ^= 0x01;
  EXPECT_THROW(aead_open(algorithm, key, nonce, aad, sealed), AuthenticationError);
}

TEST_P(AeadAlgorithms, DetectsAFlippedTagBit) {
  Bytes sealed = seal();
  sealed.back() ^= 0x80;
  EXPECT_THROW(aead_open(algorithm, key, nonce, aad, sealed), AuthenticationError);
}

TEST_P(AeadAlgorithms, DetectsChangedAssociatedData) {
  Bytes sealed = seal();
  Bytes other_aad = aad;
  other_aad[0] ^= 0x01;
  EXPECT_THROW(aead_open(algorithm, key, nonce, other_aad, sealed), AuthenticationError);
  EXPECT_THROW(aead_open(algorithm, key, nonce, {}, sealed), AuthenticationError);
}

TEST_P(AeadAlgorithms, DetectsAChangedNonce) {
  Bytes sealed = seal();
  Bytes other_nonce = nonce;
  other_nonce[11] ^= 0x01;
  EXPECT_THROW(aead_open(algorithm, key, other_nonce, aad, sealed), AuthenticationError);
}

TEST_P(AeadAlgorithms, DetectsAWrongKey) {
  Bytes sealed = seal();
  Bytes other_key = key;
  other_key[0] ^= 0x01;
  EXPECT_THROW(aead_open(algorithm, other_key, nonce, aad, sealed), AuthenticationError);
}

TEST_P(AeadAlgorithms, DetectsTruncation) {
  Bytes sealed = seal();
  Bytes shorter(sealed.begin(), sealed.end() - 1);
  EXPECT_THROW(aead_open(algorithm, key, nonce, aad, shorter), AuthenticationError);
  Bytes shorter_than_tag(sealed.begin(), sealed.begin() + kAeadTagSize - 1);
  EXPECT_THROW(aead_open(algorithm, key, nonce, aad, shorter_than_tag), AuthenticationError);
  EXPECT_THROW(aead_open(algorithm, key, nonce, aad, {}), AuthenticationError);
}

// A size error must be a plain tt::Error, not reported as a forged message.
void expect_size_error(const std::function<void()>& call, const std::string& fragment) {
  try {
    call();
    ADD_FAILURE() << "no exception";
  } catch (const AuthenticationError& e) {
    ADD_FAILURE() << "size error reported as AuthenticationError: " << e.what();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST_P(AeadAlgorithms, RejectsAWrongKeySize) {
  Bytes short_key(key.begin(), key.end() - 1);
  Bytes long_key = key;
  long_key.push_back(0);
  Bytes sealed = seal();
  expect_size_error([&] { aead_seal(algorithm, short_key, nonce, aad, plaintext); }, "key");
  expect_size_error([&] { aead_seal(algorithm, long_key, nonce, aad, plaintext); }, "key");
  expect_size_error([&] { aead_open(algorithm, short_key, nonce, aad, sealed); }, "key");
}

TEST_P(AeadAlgorithms, RejectsAWrongNonceSize) {
  Bytes short_nonce(nonce.begin(), nonce.end() - 1);
  expect_size_error([&] { aead_seal(algorithm, key, short_nonce, aad, plaintext); }, "nonce");
  expect_size_error([&] { aead_open(algorithm, key, short_nonce, aad, seal()); }, "nonce");
}

INSTANTIATE_TEST_SUITE_P(All, AeadAlgorithms,
                         ::testing::Values(AeadAlgorithm::ChaCha20Poly1305, AeadAlgorithm::Aes256Gcm,
                                           AeadAlgorithm::Aes128Gcm),
                         [](const ::testing::TestParamInfo<AeadAlgorithm>& info) {
                           switch (info.param) {
                             case AeadAlgorithm::ChaCha20Poly1305: return std::string("ChaCha20Poly1305");
                             case AeadAlgorithm::Aes256Gcm: return std::string("Aes256Gcm");
                             case AeadAlgorithm::Aes128Gcm: return std::string("Aes128Gcm");
                           }
                           return std::string("Unknown");
                         });

}  // namespace
}  // namespace tt::crypto
