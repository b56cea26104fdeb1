#include "shared/crypto/secret.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <utility>

namespace tt::crypto {
namespace {

const Bytes kSecret = {0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x04};

TEST(SecretBytes, HoldsACopyOfItsInput) {
  SecretBytes s(kSecret);
  EXPECT_EQ(Bytes(s.view().begin(), s.view().end()), kSecret);
  EXPECT_NE(s.view().data(), kSecret.data());
}

TEST(SecretBytes, SizedConstructorIsZeroFilled) {
  SecretBytes s(16);
  ASSERT_EQ(s.size(), 16u);
  EXPECT_TRUE(std::all_of(s.view().begin(), s.view().end(), [](std::uint8_t b) { return b == 0; }));
}

TEST(SecretBytes, MoveConstructionEmptiesTheSourceAndHandsOverTheBuffer) {
  SecretBytes source(kSecret);
  const std::uint8_t* buffer = source.view().data();
  SecretBytes target(std::move(source));
  // The source no longer sees any secret bytes...
  EXPECT_TRUE(source.empty());  // NOLINT(bugprone-use-after-move): checking the moved-from state
  EXPECT_EQ(source.size(), 0u);
  EXPECT_TRUE(source.view().empty());
  // ...and the secret was not copied: the target owns the very same buffer.
  EXPECT_EQ(target.view().data(), buffer);
  EXPECT_EQ(Bytes(target.view().begin(), target.view().end()), kSecret);
}

TEST(SecretBytes, MoveAssignmentEmptiesTheSourceAndReplacesTheTarget) {
  SecretBytes source(kSecret);
  const std::uint8_t* buffer = source.view().data();
  SecretBytes target(Bytes{9, 9, 9});
  target = std::move(source);
  EXPECT_TRUE(source.empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(target.view().data(), buffer);
  EXPECT_EQ(Bytes(target.view().begin(), target.view().end()), kSecret);
}

TEST(SecretBytes, SelfMoveAssignmentKeepsTheSecret) {
  SecretBytes s(kSecret);
  SecretBytes& alias = s;
  s = std::move(alias);
  EXPECT_EQ(Bytes(s.view().begin(), s.view().end()), kSecret);
}

TEST(SecretBytes, CloneIsAnIndependentCopy) {
  SecretBytes original(kSecret);
  SecretBytes copy = original.clone();
  copy.mutable_view()[0] = 0;
  EXPECT_EQ(original.view()[0], 0xde);
  EXPECT_EQ(copy.view()[0], 0);
}

TEST(SecureZero, ZeroesEveryByte) {
  Bytes buffer = kSecret;
  secure_zero(buffer);
  EXPECT_EQ(buffer, Bytes(kSecret.size(), 0));
  secure_zero({});  // an empty span is fine
}

}  // namespace
}  // namespace tt::crypto
