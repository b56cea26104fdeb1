#include "shared/crypto/hpke.h"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include "shared/crypto/hkdf.h"

// Section numbers below refer to RFC 9180. Only what Tutortime needs is here: mode_base, one KEM
// (DHKEM(X25519, HKDF-SHA256)), one KDF (HKDF-SHA256), two AEADs. No PSK, auth or export API.
namespace tt::crypto {
namespace {

constexpr std::uint16_t kKemId = 0x0020;  // DHKEM(X25519, HKDF-SHA256)
constexpr std::uint16_t kKdfId = 0x0001;  // HKDF-SHA256
constexpr std::uint8_t kModeBase = 0x00;
constexpr std::size_t kNsecret = 32;  // KEM shared secret size
constexpr std::size_t kNh = 32;       // KDF output size
constexpr std::size_t kNn = kAeadNonceSize;

Bytes concat(std::initializer_list<ByteView> parts) {
  Bytes out;
  for (ByteView part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

// Same as concat, for inputs that include secrets: the result is zeroed when dropped.
SecretBytes concat_secret(std::initializer_list<ByteView> parts) {
  std::size_t size = 0;
  for (ByteView part : parts) size += part.size();
  SecretBytes out(size);
  std::uint8_t* cursor = out.mutable_view().data();
  for (ByteView part : parts) cursor = std::copy(part.begin(), part.end(), cursor);
  return out;
}

ByteView label(std::string_view text) {
  return as_bytes(text);
}

std::array<std::uint8_t, 2> i2osp2(std::size_t value) {
  return {static_cast<std::uint8_t>(value >> 8), static_cast<std::uint8_t>(value & 0xff)};
}

// suite_id of section 4.1 (KEM) and section 5.1 (key schedule).
Bytes kem_suite_id() {
  return concat({label("KEM"), i2osp2(kKemId)});
}
Bytes hpke_suite_id(HpkeAead aead) {
  return concat({label("HPKE"), i2osp2(kKemId), i2osp2(kKdfId), i2osp2(static_cast<std::uint16_t>(aead))});
}

// Section 4: LabeledExtract and LabeledExpand.
SecretBytes labeled_extract(ByteView suite_id, ByteView salt, std::string_view name, ByteView ikm) {
  SecretBytes labeled_ikm = concat_secret({label("HPKE-v1"), suite_id, label(name), ikm});
  return hkdf_sha256_extract(salt, labeled_ikm.view());
}

SecretBytes labeled_expand(ByteView suite_id, ByteView prk, std::string_view name, ByteView info, std::size_t length) {
  Bytes labeled_info = concat({i2osp2(length), label("HPKE-v1"), suite_id, label(name), info});
  return hkdf_sha256_expand(prk, labeled_info, length);
}

// Section 4.1: ExtractAndExpand(dh, kem_context).
SecretBytes extract_and_expand(ByteView dh, ByteView kem_context) {
  const Bytes suite_id = kem_suite_id();
  SecretBytes eae_prk = labeled_extract(suite_id, {}, "eae_prk", dh);
  return labeled_expand(suite_id, eae_prk.view(), "shared_secret", kem_context, kNsecret);
}

AeadAlgorithm aead_algorithm(HpkeAead aead) {
  switch (aead) {
    case HpkeAead::Aes128Gcm: return AeadAlgorithm::Aes128Gcm;
    case HpkeAead::ChaCha20Poly1305: return AeadAlgorithm::ChaCha20Poly1305;
  }
  throw Error("hpke: unsupported AEAD id " + std::to_string(static_cast<unsigned>(aead)));
}

struct Schedule {
  SecretBytes key;
  Bytes base_nonce;
  SecretBytes exporter_secret;
};

// Section 5.1: KeySchedule for mode_base, with the default (empty) psk and psk_id.
Schedule key_schedule(HpkeAead aead, ByteView shared_secret, ByteView info) {
  const Bytes suite_id = hpke_suite_id(aead);
  const std::uint8_t mode[] = {kModeBase};
  SecretBytes psk_id_hash = labeled_extract(suite_id, {}, "psk_id_hash", {});
  SecretBytes info_hash = labeled_extract(suite_id, {}, "info_hash", info);
  Bytes context = concat({mode, psk_id_hash.view(), info_hash.view()});
  SecretBytes secret = labeled_extract(suite_id, shared_secret, "secret", {});

  Schedule schedule;
  schedule.key = labeled_expand(suite_id, secret.view(), "key", context, aead_key_size(aead_algorithm(aead)));
  SecretBytes nonce = labeled_expand(suite_id, secret.view(), "base_nonce", context, kNn);
  schedule.base_nonce.assign(nonce.view().begin(), nonce.view().end());
  schedule.exporter_secret = labeled_expand(suite_id, secret.view(), "exp", context, kNh);
  return schedule;
}

// Section 5.2: ComputeNonce(seq) = base_nonce XOR I2OSP(seq, Nn).
Bytes compute_nonce(ByteView base_nonce, std::uint64_t sequence) {
  Bytes nonce(base_nonce.begin(), base_nonce.end());
  for (std::size_t i = 0; i < sizeof sequence; ++i) {
    nonce[kNn - 1 - i] ^= static_cast<std::uint8_t>(sequence >> (8 * i));
  }
  return nonce;
}

void check_key_size(const std::string& operation, const char* what, ByteView key) {
  if (key.size() != kX25519KeySize) {
    throw Error(operation + ": " + what + " must be " + std::to_string(kX25519KeySize) + " bytes, got " +
                std::to_string(key.size()));
  }
}

// Prefixes errors from the layers below with the HPKE step, keeping AuthenticationError's type
// (tt::rethrow_with_context would turn it into a plain Error).
template <typename Function>
auto in_step(const std::string& operation, Function&& function) {
  try {
    return function();
  } catch (const AuthenticationError& e) {
    throw AuthenticationError(operation + ": " + e.what());
  } catch (const Error& e) {
    throw Error(operation + ": " + e.what());
  }
}

}  // namespace

X25519KeyPair hpke_derive_key_pair(ByteView input_key_material) {
  return in_step("hpke derive key pair", [&] {
    // Section 7.1.3. For X25519 the expanded bytes are the private key as they stand (X25519
    // clamps when it uses them), so no rejection sampling is needed.
    const Bytes suite_id = kem_suite_id();
    SecretBytes dkp_prk = labeled_extract(suite_id, {}, "dkp_prk", input_key_material);
    X25519KeyPair pair;
    pair.private_key = labeled_expand(suite_id, dkp_prk.view(), "sk", {}, kX25519KeySize);
    pair.public_key = x25519_public_from_private(pair.private_key.view());
    return pair;
  });
}

HpkeSenderContext hpke_setup_base_sender(HpkeAead aead, ByteView recipient_public_key, ByteView info,
                                         const X25519KeyPair* ephemeral) {
  const std::string operation = "hpke setup sender";
  return in_step(operation, [&] {
    aead_algorithm(aead);  // rejects an unknown id before any work
    check_key_size(operation, "the recipient's public key", recipient_public_key);
    X25519KeyPair generated;
    if (ephemeral == nullptr) {
      generated = x25519_generate();
      ephemeral = &generated;
    }
    // Section 4.1 Encap: enc = SerializePublicKey(pkE), kem_context = enc || pkRm.
    Bytes enc = x25519_public_from_private(ephemeral->private_key.view());
    if (!ephemeral->public_key.empty() && ephemeral->public_key != enc) {
      throw Error("the ephemeral public key does not belong to the ephemeral private key");
    }
    SecretBytes dh = x25519_shared_secret(ephemeral->private_key.view(), recipient_public_key);
    SecretBytes shared_secret = extract_and_expand(dh.view(), concat({enc, recipient_public_key}));
    Schedule schedule = key_schedule(aead, shared_secret.view(), info);

    HpkeSenderContext context;
    context.aead_ = aead;
    context.enc_ = std::move(enc);
    context.key_ = std::move(schedule.key);
    context.base_nonce_ = std::move(schedule.base_nonce);
    context.exporter_secret_ = std::move(schedule.exporter_secret);
    return context;
  });
}

HpkeRecipientContext hpke_setup_base_recipient(HpkeAead aead, ByteView enc, ByteView recipient_private_key,
                                               ByteView info) {
  const std::string operation = "hpke setup recipient";
  return in_step(operation, [&] {
    aead_algorithm(aead);
    check_key_size(operation, "enc", enc);
    check_key_size(operation, "the recipient's private key", recipient_private_key);
    Bytes recipient_public_key = x25519_public_from_private(recipient_private_key);
    // Section 4.1 Decap. The private key is known to be good by now, so a failing DH means enc
    // is a low-order point: a forged or corrupted message, reported as such.
    SecretBytes dh;
    try {
      dh = x25519_shared_secret(recipient_private_key, enc);
    } catch (const Error& e) {
      throw AuthenticationError(std::string("enc is not a usable X25519 public key: ") + e.what());
    }
    SecretBytes shared_secret = extract_and_expand(dh.view(), concat({enc, recipient_public_key}));
    Schedule schedule = key_schedule(aead, shared_secret.view(), info);

    HpkeRecipientContext context;
    context.aead_ = aead;
    context.key_ = std::move(schedule.key);
    context.base_nonce_ = std::move(schedule.base_nonce);
    return context;
  });
}

Bytes HpkeSenderContext::seal(ByteView associated_data, ByteView plaintext) {
  const std::string operation = "hpke seal (sequence " + std::to_string(sequence_) + ")";
  // Section 5.2: the sequence must never wrap, or a nonce would repeat.
  if (sequence_ == std::numeric_limits<std::uint64_t>::max()) throw Error(operation + ": message limit reached");
  Bytes ciphertext = in_step(operation, [&] {
    return aead_seal(aead_algorithm(aead_), key_.view(), compute_nonce(base_nonce_, sequence_), associated_data,
                     plaintext);
  });
  ++sequence_;
  return ciphertext;
}

SecretBytes HpkeRecipientContext::open(ByteView associated_data, ByteView ciphertext) {
  const std::string operation = "hpke open (sequence " + std::to_string(sequence_) + ")";
  if (sequence_ == std::numeric_limits<std::uint64_t>::max()) throw Error(operation + ": message limit reached");
  SecretBytes plaintext = in_step(operation, [&] {
    return aead_open(aead_algorithm(aead_), key_.view(), compute_nonce(base_nonce_, sequence_), associated_data,
                     ciphertext);
  });
  ++sequence_;  // only after success, so a forged message does not desynchronise the context
  return plaintext;
}

Bytes hpke_seal_base(HpkeAead aead, ByteView recipient_public_key, ByteView info, ByteView associated_data,
                     ByteView plaintext) {
  HpkeSenderContext context = hpke_setup_base_sender(aead, recipient_public_key, info);
  Bytes ciphertext = context.seal(associated_data, plaintext);
  return concat({context.encapsulated_key(), ciphertext});
}

SecretBytes hpke_open_base(HpkeAead aead, ByteView recipient_private_key, ByteView info, ByteView associated_data,
                           ByteView enc_and_ciphertext) {
  if (enc_and_ciphertext.size() < kHpkeEncSize + kAeadTagSize) {
    throw AuthenticationError("hpke open: the sealed message is " + std::to_string(enc_and_ciphertext.size()) +
                              " bytes, shorter than enc and tag (" + std::to_string(kHpkeEncSize + kAeadTagSize) + ")");
  }
  HpkeRecipientContext context =
      hpke_setup_base_recipient(aead, enc_and_ciphertext.first(kHpkeEncSize), recipient_private_key, info);
  return context.open(associated_data, enc_and_ciphertext.subspan(kHpkeEncSize));
}

}  // namespace tt::crypto
