#pragma once
// Ed25519 signatures (RFC 8032, pure, no context) through EVP_DigestSign/Verify.
#include "shared/common/bytes.h"
#include "shared/crypto/secret.h"

namespace tt::crypto {

inline constexpr std::size_t kEd25519KeySize = 32;
inline constexpr std::size_t kEd25519SignatureSize = 64;

struct Ed25519KeyPair {
  SecretBytes private_key;  // the 32-byte seed
  Bytes public_key;         // 32 bytes
};

Ed25519KeyPair ed25519_generate();
Bytes ed25519_public_from_private(ByteView private_seed);
Bytes ed25519_sign(ByteView private_seed, ByteView message);
// False for a wrong signature or key; throws only for a malformed key length.
bool ed25519_verify(ByteView public_key, ByteView message, ByteView signature);

}  // namespace tt::crypto
