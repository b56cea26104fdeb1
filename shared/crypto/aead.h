#pragma once
// Authenticated encryption with associated data over OpenSSL EVP.
// Contract: seal returns ciphertext || 16-byte tag; open verifies the tag and throws
// tt::crypto::AuthenticationError (never returns partial plaintext) if the key, nonce,
// associated data or ciphertext do not match.
#include "shared/common/bytes.h"
#include "shared/common/error.h"
#include "shared/crypto/secret.h"

namespace tt::crypto {

enum class AeadAlgorithm { ChaCha20Poly1305, Aes256Gcm, Aes128Gcm };

inline constexpr std::size_t kAeadTagSize = 16;
inline constexpr std::size_t kAeadNonceSize = 12;
std::size_t aead_key_size(AeadAlgorithm algorithm);

class AuthenticationError : public Error {
 public:
  using Error::Error;
};

Bytes aead_seal(AeadAlgorithm algorithm, ByteView key, ByteView nonce, ByteView associated_data, ByteView plaintext);
SecretBytes aead_open(AeadAlgorithm algorithm, ByteView key, ByteView nonce, ByteView associated_data,
                      ByteView ciphertext_and_tag);

}  // namespace tt::crypto
