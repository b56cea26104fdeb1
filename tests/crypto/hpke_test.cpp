#include "shared/crypto/hpke.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "shared/common/error.h"
#include "shared/crypto/random.h"

namespace tt::crypto {
namespace {

nlohmann::json load(const std::string& file) {
  std::ifstream in(std::string(TUTORTIME_TEST_DATA) + "/" + file);
  if (!in) throw std::runtime_error("cannot open " + file + " in " TUTORTIME_TEST_DATA);
  return nlohmann::json::parse(in);
}

Bytes hex_field(const nlohmann::json& j, const char* name) {
  return from_hex(j.at(name).get<std::string>());
}
std::string hex(const SecretBytes& s) {
  return to_hex(s.view());
}
std::string hex(ByteView b) {
  return to_hex(b);
}

// RFC 9180 appendix A.1 (AES-128-GCM) and A.2 (ChaCha20-Poly1305), base mode.
class HpkeRfc9180 : public ::testing::TestWithParam<const char*> {
 protected:
  nlohmann::json v = load(GetParam());
  HpkeAead aead = v.at("aead_id").get<int>() == 1 ? HpkeAead::Aes128Gcm : HpkeAead::ChaCha20Poly1305;
  AeadAlgorithm aead_algorithm =
      aead == HpkeAead::Aes128Gcm ? AeadAlgorithm::Aes128Gcm : AeadAlgorithm::ChaCha20Poly1305;
  Bytes info = hex_field(v, "info");

  HpkeSenderContext sender() {
    X25519KeyPair ephemeral = hpke_derive_key_pair(hex_field(v, "ikmE"));
    return hpke_setup_base_sender(aead, hex_field(v, "pkRm"), info, &ephemeral);
  }
  HpkeRecipientContext recipient() {
    return hpke_setup_base_recipient(aead, hex_field(v, "enc"), hex_field(v, "skRm"), info);
  }
};

TEST_P(HpkeRfc9180, IsTheSuiteWeImplement) {
  EXPECT_EQ(v.at("mode").get<int>(), 0);
  EXPECT_EQ(v.at("kem_id").get<int>(), 0x20);
  EXPECT_EQ(v.at("kdf_id").get<int>(), 1);
  int aead_id = v.at("aead_id").get<int>();
  EXPECT_TRUE(aead_id == 1 || aead_id == 3) << aead_id;
  EXPECT_GE(v.at("encryptions").size(), 1u);
}

TEST_P(HpkeRfc9180, DeriveKeyPair) {
  X25519KeyPair e = hpke_derive_key_pair(hex_field(v, "ikmE"));
  EXPECT_EQ(hex(e.private_key), v.at("skEm").get<std::string>());
  EXPECT_EQ(hex(e.public_key), v.at("pkEm").get<std::string>());
  X25519KeyPair r = hpke_derive_key_pair(hex_field(v, "ikmR"));
  EXPECT_EQ(hex(r.private_key), v.at("skRm").get<std::string>());
  EXPECT_EQ(hex(r.public_key), v.at("pkRm").get<std::string>());
}

TEST_P(HpkeRfc9180, SenderKeySchedule) {
  HpkeSenderContext s = sender();
  EXPECT_EQ(hex(s.encapsulated_key()), v.at("enc").get<std::string>());
  EXPECT_EQ(hex(s.key()), v.at("key").get<std::string>());
  EXPECT_EQ(hex(s.base_nonce()), v.at("base_nonce").get<std::string>());
  EXPECT_EQ(hex(s.exporter_secret()), v.at("exporter_secret").get<std::string>());
}

TEST_P(HpkeRfc9180, EncryptionsInOrder) {
  HpkeSenderContext s = sender();
  HpkeRecipientContext r = recipient();
  std::uint64_t next = 0;
  for (const auto& e : v.at("encryptions")) {
    const auto seq = e.at("seq").get<std::uint64_t>();
    ASSERT_GE(seq, next) << "vectors must be listed in sequence order";
    // Vectors may skip sequence numbers; both contexts must still pass through them.
    for (; next < seq; ++next) r.open({}, s.seal({}, {}));
    const Bytes aad = hex_field(e, "aad");
    const Bytes pt = hex_field(e, "pt");
    const std::string expected_ct = e.at("ct").get<std::string>();
    EXPECT_EQ(hex(s.seal(aad, pt)), expected_ct) << "seq " << seq;
    // The vector's nonce and key on their own also give that ciphertext.
    EXPECT_EQ(hex(aead_seal(aead_algorithm, hex_field(v, "key"), hex_field(e, "nonce"), aad, pt)), expected_ct)
        << "seq " << seq;
    EXPECT_EQ(hex(r.open(aad, from_hex(expected_ct))), hex(pt)) << "seq " << seq;
    ++next;
  }
}

TEST_P(HpkeRfc9180, RecipientRejectsOutOfOrderMessages) {
  const auto& encryptions = v.at("encryptions");
  ASSERT_GE(encryptions.size(), 2u);
  ASSERT_EQ(encryptions[1].at("seq").get<int>(), 1);
  HpkeRecipientContext r = recipient();
  EXPECT_THROW(r.open(hex_field(encryptions[1], "aad"), hex_field(encryptions[1], "ct")), AuthenticationError);
  // The failure did not advance the sequence: message 0 still opens, then message 1.
  EXPECT_EQ(hex(r.open(hex_field(encryptions[0], "aad"), hex_field(encryptions[0], "ct"))),
            encryptions[0].at("pt").get<std::string>());
  EXPECT_EQ(hex(r.open(hex_field(encryptions[1], "aad"), hex_field(encryptions[1], "ct"))),
            encryptions[1].at("pt").get<std::string>());
}

INSTANTIATE_TEST_SUITE_P(AppendixA, HpkeRfc9180,
                         ::testing::Values("rfc9180-a1-base-x25519-sha256-aes128gcm.json",
                                           "rfc9180-a2-base-x25519-sha256-chacha20poly1305.json"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           return std::string(info.index == 0 ? "A1_Aes128Gcm" : "A2_ChaCha20Poly1305");
                         });

// Single-shot seal/open with fresh keys, and every way an opened message can be wrong.
class HpkeSingleShot : public ::testing::TestWithParam<HpkeAead> {
 protected:
  HpkeAead aead = GetParam();
  X25519KeyPair recipient = x25519_generate();
  Bytes info = from_hex("7475746f7274696d6520726573706f6e7365");  // "tutortime response"
  Bytes aad = from_hex("0102030405");
  Bytes plaintext = random_bytes(200);
  Bytes sealed = hpke_seal_base(aead, recipient.public_key, info, aad, plaintext);

  SecretBytes open(ByteView blob) const { return hpke_open_base(aead, recipient.private_key.view(), info, aad, blob); }
};

TEST_P(HpkeSingleShot, RoundTrip) {
  ASSERT_EQ(sealed.size(), kHpkeEncSize + plaintext.size() + kAeadTagSize);
  EXPECT_EQ(hex(open(sealed)), hex(plaintext));
}

TEST_P(HpkeSingleShot, EachSealUsesAFreshEphemeralKey) {
  Bytes again = hpke_seal_base(aead, recipient.public_key, info, aad, plaintext);
  EXPECT_NE(hex(Bytes(again.begin(), again.begin() + kHpkeEncSize)),
            hex(Bytes(sealed.begin(), sealed.begin() + kHpkeEncSize)));
  EXPECT_EQ(hex(open(again)), hex(plaintext));
}

TEST_P(HpkeSingleShot, EmptyPlaintext) {
  Bytes blob = hpke_seal_base(aead, recipient.public_key, info, aad, {});
  ASSERT_EQ(blob.size(), kHpkeEncSize + kAeadTagSize);
  EXPECT_TRUE(open(blob).empty());
}

TEST_P(HpkeSingleShot, WrongKeyFails) {
  X25519KeyPair other = x25519_generate();
  EXPECT_THROW(hpke_open_base(aead, other.private_key.view(), info, aad, sealed), AuthenticationError);
}

TEST_P(HpkeSingleShot, WrongInfoFails) {
  Bytes other_info = info;
  other_info.back() ^= 0x01;
  EXPECT_THROW(hpke_open_base(aead, recipient.private_key.view(), other_info, aad, sealed), AuthenticationError);
  EXPECT_THROW(hpke_open_base(aead, recipient.private_key.view(), {}, aad, sealed), AuthenticationError);
}

TEST_P(HpkeSingleShot, WrongAadFails) {
  Bytes other_aad = aad;
  other_aad[0] ^= 0x01;
  EXPECT_THROW(hpke_open_base(aead, recipient.private_key.view(), info, other_aad, sealed), AuthenticationError);
}

TEST_P(HpkeSingleShot, WrongAeadFails) {
  HpkeAead other = aead == HpkeAead::Aes128Gcm ? HpkeAead::ChaCha20Poly1305 : HpkeAead::Aes128Gcm;
  EXPECT_THROW(hpke_open_base(other, recipient.private_key.view(), info, aad, sealed), AuthenticationError);
}

TEST_P(HpkeSingleShot, FlippedBitInEncFails) {
  Bytes low_bit = sealed;
  low_bit[0] ^= 0x01;
  EXPECT_THROW(open(low_bit), AuthenticationError);
  // X25519 ignores the top bit of a public key, so this one gives the same DH value: only
  // binding enc into kem_context catches it.
  Bytes top_bit = sealed;
  top_bit[kHpkeEncSize - 1] ^= 0x80;
  EXPECT_THROW(open(top_bit), AuthenticationError);
}

TEST_P(HpkeSingleShot, FlippedBitInCiphertextFails) {
  for (std::size_t at : {kHpkeEncSize, sealed.size() / 2, sealed.size() - 1}) {
    Bytes changed = sealed;
    changed[at] ^= 0x04;
    EXPECT_THROW(open(changed), AuthenticationError) << "byte " << at;
  }
}

TEST_P(HpkeSingleShot, TruncatedBlobFails) {
  EXPECT_THROW(open(ByteView(sealed).first(sealed.size() - 1)), AuthenticationError);
  EXPECT_THROW(open(ByteView(sealed).first(kHpkeEncSize + kAeadTagSize - 1)), Error);
  EXPECT_THROW(open(ByteView(sealed).first(kHpkeEncSize)), Error);
  EXPECT_THROW(open({}), Error);
}

TEST_P(HpkeSingleShot, LowOrderEncIsAnAuthenticationError) {
  Bytes forged = sealed;
  std::fill(forged.begin(), forged.begin() + kHpkeEncSize, 0);
  EXPECT_THROW(open(forged), AuthenticationError);
}

TEST_P(HpkeSingleShot, LowOrderRecipientKeyIsRefused) {
  EXPECT_THROW(hpke_seal_base(aead, Bytes(32, 0), info, aad, plaintext), Error);
}

TEST_P(HpkeSingleShot, WrongKeySizesAreErrors) {
  EXPECT_THROW(hpke_seal_base(aead, Bytes(31, 7), info, aad, plaintext), Error);
  EXPECT_THROW(hpke_open_base(aead, Bytes(31, 7), info, aad, sealed), Error);
}

INSTANTIATE_TEST_SUITE_P(All, HpkeSingleShot, ::testing::Values(HpkeAead::Aes128Gcm, HpkeAead::ChaCha20Poly1305),
                         [](const ::testing::TestParamInfo<HpkeAead>& info) {
                           return std::string(info.param == HpkeAead::Aes128Gcm ? "Aes128Gcm" : "ChaCha20Poly1305");
                         });

}  // namespace
}  // namespace tt::crypto
