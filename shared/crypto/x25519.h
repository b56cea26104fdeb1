#pragma once
// X25519 key agreement (RFC 7748) through EVP_PKEY. Keys are 32 raw bytes here; key_files.h
// reads and writes them as PEM.
#include "shared/common/bytes.h"
#include "shared/crypto/secret.h"

namespace tt::crypto {

inline constexpr std::size_t kX25519KeySize = 32;

struct X25519KeyPair {
  SecretBytes private_key;  // 32 bytes
  Bytes public_key;         // 32 bytes
};

X25519KeyPair x25519_generate();
Bytes x25519_public_from_private(ByteView private_key);
// Throws tt::Error if the result is all zeros (a low-order public key).
SecretBytes x25519_shared_secret(ByteView private_key, ByteView peer_public_key);

}  // namespace tt::crypto
