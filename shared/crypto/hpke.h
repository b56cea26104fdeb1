#pragma once
// HPKE base mode (RFC 9180) with DHKEM(X25519, HKDF-SHA256) 0x0020, HKDF-SHA256 0x0001 and
// either ChaCha20-Poly1305 0x0003 or AES-128-GCM 0x0001 — built on EVP because OpenSSL 3.0
// has no HPKE of its own. Tutortime seals each response with one single-shot message
// (sequence 0); the context classes exist so the RFC's multi-message vectors can be checked.
#include <cstdint>

#include "shared/common/bytes.h"
#include "shared/crypto/aead.h"
#include "shared/crypto/secret.h"
#include "shared/crypto/x25519.h"

namespace tt::crypto {

enum class HpkeAead : std::uint16_t { Aes128Gcm = 0x0001, ChaCha20Poly1305 = 0x0003 };

inline constexpr std::size_t kHpkeEncSize = 32;

// DeriveKeyPair(ikm) of RFC 9180 section 7.1.3 for X25519.
X25519KeyPair hpke_derive_key_pair(ByteView input_key_material);

class HpkeSenderContext {
 public:
  Bytes seal(ByteView associated_data, ByteView plaintext);  // uses then increments the sequence
  ByteView encapsulated_key() const { return enc_; }
  ByteView key() const { return key_.view(); }
  ByteView base_nonce() const { return base_nonce_; }
  ByteView exporter_secret() const { return exporter_secret_.view(); }

 private:
  friend HpkeSenderContext hpke_setup_base_sender(HpkeAead, ByteView, ByteView, const X25519KeyPair*);
  HpkeAead aead_{};
  Bytes enc_;
  SecretBytes key_;
  Bytes base_nonce_;
  SecretBytes exporter_secret_;
  std::uint64_t sequence_ = 0;
};

class HpkeRecipientContext {
 public:
  SecretBytes open(ByteView associated_data, ByteView ciphertext);  // throws AuthenticationError

 private:
  friend HpkeRecipientContext hpke_setup_base_recipient(HpkeAead, ByteView, ByteView, ByteView);
  HpkeAead aead_{};
  SecretBytes key_;
  Bytes base_nonce_;
  std::uint64_t sequence_ = 0;
};

// `ephemeral` is for test vectors only; production passes nullptr and a fresh key is generated.
HpkeSenderContext hpke_setup_base_sender(HpkeAead aead, ByteView recipient_public_key, ByteView info,
                                         const X25519KeyPair* ephemeral = nullptr);
HpkeRecipientContext hpke_setup_base_recipient(HpkeAead aead, ByteView enc, ByteView recipient_private_key,
                                               ByteView info);

// Single-shot: returns enc (32 bytes) || ciphertext, the layout of a sealed response.
Bytes hpke_seal_base(HpkeAead aead, ByteView recipient_public_key, ByteView info, ByteView associated_data,
                     ByteView plaintext);
SecretBytes hpke_open_base(HpkeAead aead, ByteView recipient_private_key, ByteView info, ByteView associated_data,
                           ByteView enc_and_ciphertext);

}  // namespace tt::crypto
