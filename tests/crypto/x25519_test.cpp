#include "shared/crypto/x25519.h"

#include <gtest/gtest.h>

#include "shared/common/error.h"

namespace tt::crypto {
namespace {

// RFC 7748 section 6.1.
const char* kAlicePrivate = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
const char* kAlicePublic = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
const char* kBobPrivate = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
const char* kBobPublic = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
const char* kShared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

TEST(X25519, Rfc7748PublicKeys) {
  EXPECT_EQ(to_hex(x25519_public_from_private(from_hex(kAlicePrivate))), kAlicePublic);
  EXPECT_EQ(to_hex(x25519_public_from_private(from_hex(kBobPrivate))), kBobPublic);
}

TEST(X25519, Rfc7748SharedSecretBothWays) {
  EXPECT_EQ(to_hex(x25519_shared_secret(from_hex(kAlicePrivate), from_hex(kBobPublic)).view()), kShared);
  EXPECT_EQ(to_hex(x25519_shared_secret(from_hex(kBobPrivate), from_hex(kAlicePublic)).view()), kShared);
}

TEST(X25519, GeneratedPairsAreConsistentAndDistinct) {
  X25519KeyPair a = x25519_generate();
  X25519KeyPair b = x25519_generate();
  ASSERT_EQ(a.private_key.size(), kX25519KeySize);
  ASSERT_EQ(a.public_key.size(), kX25519KeySize);
  EXPECT_EQ(x25519_public_from_private(a.private_key.view()), a.public_key);
  EXPECT_NE(a.public_key, b.public_key);
  EXPECT_EQ(to_hex(x25519_shared_secret(a.private_key.view(), b.public_key).view()),
            to_hex(x25519_shared_secret(b.private_key.view(), a.public_key).view()));
}

TEST(X25519, RejectsLowOrderPeerKeys) {
  Bytes zero(32, 0);  // u = 0
  Bytes one(32, 0);   // u = 1
  one[0] = 1;
  // u = 325606250916557431795983626356110631294008115727848805560023387167927233504 (order 8)
  Bytes order8 = from_hex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800");
  for (const Bytes& peer : {zero, one, order8}) {
    try {
      x25519_shared_secret(from_hex(kAlicePrivate), peer);
      ADD_FAILURE() << "accepted low-order point " << to_hex(peer);
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("low-order"), std::string::npos) << e.what();
    }
  }
}

TEST(X25519, RejectsWrongSizes) {
  EXPECT_THROW(x25519_public_from_private(Bytes(31, 1)), Error);
  EXPECT_THROW(x25519_shared_secret(Bytes(33, 1), from_hex(kBobPublic)), Error);
  EXPECT_THROW(x25519_shared_secret(from_hex(kAlicePrivate), Bytes(31, 9)), Error);
}

}  // namespace
}  // namespace tt::crypto
