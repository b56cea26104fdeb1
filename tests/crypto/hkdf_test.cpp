#include "shared/crypto/hkdf.h"

#include <gtest/gtest.h>

#include "shared/common/error.h"

namespace tt::crypto {
namespace {

std::string hex(const SecretBytes& s) {
  return to_hex(s.view());
}

// RFC 5869 appendix A.1, test case 1.
TEST(Hkdf, Rfc5869TestCase1) {
  const Bytes ikm = from_hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
  const Bytes salt = from_hex("000102030405060708090a0b0c");
  const Bytes info = from_hex("f0f1f2f3f4f5f6f7f8f9");
  SecretBytes prk = hkdf_sha256_extract(salt, ikm);
  EXPECT_EQ(hex(prk), "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
  SecretBytes okm = hkdf_sha256_expand(prk.view(), info, 42);
  EXPECT_EQ(hex(okm), "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
}

// RFC 5869 appendix A.3, test case 3: empty salt and info, which HPKE's LabeledExtract relies on.
TEST(Hkdf, Rfc5869TestCase3EmptySaltAndInfo) {
  const Bytes ikm = from_hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
  SecretBytes prk = hkdf_sha256_extract({}, ikm);
  EXPECT_EQ(hex(prk), "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04");
  SecretBytes okm = hkdf_sha256_expand(prk.view(), {}, 42);
  EXPECT_EQ(hex(okm), "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
}

TEST(Hkdf, ExpandPrefixesAgree) {
  SecretBytes prk = hkdf_sha256_extract(from_hex("01"), from_hex("02"));
  SecretBytes short_okm = hkdf_sha256_expand(prk.view(), from_hex("03"), 16);
  SecretBytes long_okm = hkdf_sha256_expand(prk.view(), from_hex("03"), 100);
  ASSERT_EQ(long_okm.size(), 100u);
  EXPECT_EQ(to_hex(long_okm.view().first(16)), hex(short_okm));
}

TEST(Hkdf, ExpandRejectsBadLengths) {
  SecretBytes prk = hkdf_sha256_extract({}, from_hex("02"));
  EXPECT_THROW(hkdf_sha256_expand(prk.view(), {}, 0), Error);
  EXPECT_THROW(hkdf_sha256_expand(prk.view(), {}, 255 * 32 + 1), Error);
  EXPECT_EQ(hkdf_sha256_expand(prk.view(), {}, 255 * 32).size(), 255u * 32);
  EXPECT_THROW(hkdf_sha256_expand(from_hex("0102"), {}, 32), Error);  // PRK shorter than HashLen
}

}  // namespace
}  // namespace tt::crypto
