#include "shared/crypto/ed25519.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "shared/common/error.h"

namespace tt::crypto {
namespace {

struct Vector {
  std::string name;
  Bytes seed, public_key, message, signature;
};

std::vector<Vector> load_vectors() {
  std::ifstream in(std::string(TUTORTIME_TEST_DATA) + "/rfc8032-ed25519.json");
  if (!in) throw std::runtime_error("cannot open rfc8032-ed25519.json in " TUTORTIME_TEST_DATA);
  nlohmann::json doc = nlohmann::json::parse(in);
  std::vector<Vector> out;
  for (const auto& t : doc.at("tests")) {
    out.push_back({t.at("name").get<std::string>(), from_hex(t.at("secret_key").get<std::string>()),
                   from_hex(t.at("public_key").get<std::string>()), from_hex(t.at("message").get<std::string>()),
                   from_hex(t.at("signature").get<std::string>())});
  }
  return out;
}

class Ed25519Rfc8032 : public ::testing::Test {
 protected:
  std::vector<Vector> vectors = load_vectors();
};

TEST_F(Ed25519Rfc8032, HasTests1To3) {
  ASSERT_EQ(vectors.size(), 3u);
  EXPECT_EQ(vectors[0].name, "TEST 1");
  EXPECT_EQ(vectors[2].name, "TEST 3");
}

TEST_F(Ed25519Rfc8032, PublicKeyFromSeed) {
  for (const Vector& v : vectors)
    EXPECT_EQ(to_hex(ed25519_public_from_private(v.seed)), to_hex(v.public_key)) << v.name;
}

TEST_F(Ed25519Rfc8032, SignatureMatchesExactly) {
  for (const Vector& v : vectors) EXPECT_EQ(to_hex(ed25519_sign(v.seed, v.message)), to_hex(v.signature)) << v.name;
}

TEST_F(Ed25519Rfc8032, Verifies) {
  for (const Vector& v : vectors) EXPECT_TRUE(ed25519_verify(v.public_key, v.message, v.signature)) << v.name;
}

TEST_F(Ed25519Rfc8032, RejectsAChangedMessage) {
  for (const Vector& v : vectors) {
    Bytes longer = v.message;
    longer.push_back(0x00);
    EXPECT_FALSE(ed25519_verify(v.public_key, longer, v.signature)) << v.name;
    if (!v.message.empty()) {
      Bytes flipped = v.message;
      flipped[0] ^= 0x01;
      EXPECT_FALSE(ed25519_verify(v.public_key, flipped, v.signature)) << v.name;
    }
  }
}

TEST_F(Ed25519Rfc8032, RejectsAChangedSignature) {
  for (const Vector& v : vectors) {
    for (std::size_t at : {std::size_t{0}, std::size_t{31}, std::size_t{32}, std::size_t{63}}) {
      Bytes changed = v.signature;
      changed[at] ^= 0x01;
      EXPECT_FALSE(ed25519_verify(v.public_key, v.message, changed)) << v.name << " byte " << at;
    }
    Bytes truncated(v.signature.begin(), v.signature.end() - 1);
    EXPECT_FALSE(ed25519_verify(v.public_key, v.message, truncated)) << v.name;
    EXPECT_FALSE(ed25519_verify(v.public_key, v.message, {})) << v.name;
  }
}

TEST_F(Ed25519Rfc8032, RejectsTheWrongKey) {
  for (std::size_t i = 0; i < vectors.size(); ++i) {
    const Vector& v = vectors[i];
    const Vector& other = vectors[(i + 1) % vectors.size()];
    EXPECT_FALSE(ed25519_verify(other.public_key, v.message, v.signature)) << v.name;
  }
}

TEST(Ed25519, MalformedKeyLengthThrows) {
  EXPECT_THROW(ed25519_verify(Bytes(31, 1), {}, Bytes(64, 0)), Error);
  EXPECT_THROW(ed25519_sign(Bytes(33, 1), {}), Error);
  EXPECT_THROW(ed25519_public_from_private(Bytes(0)), Error);
}

TEST(Ed25519, GeneratedKeySignsAndVerifies) {
  Ed25519KeyPair pair = ed25519_generate();
  ASSERT_EQ(pair.private_key.size(), kEd25519KeySize);
  EXPECT_EQ(ed25519_public_from_private(pair.private_key.view()), pair.public_key);
  const Bytes message = from_hex("54757465727469");
  Bytes signature = ed25519_sign(pair.private_key.view(), message);
  ASSERT_EQ(signature.size(), kEd25519SignatureSize);
  EXPECT_TRUE(ed25519_verify(pair.public_key, message, signature));
  EXPECT_FALSE(ed25519_verify(ed25519_generate().public_key, message, signature));
}

}  // namespace
}  // namespace tt::crypto
