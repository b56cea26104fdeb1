#pragma once
// HKDF-SHA256 (RFC 5869) through EVP_KDF, as separate extract and expand steps because HPKE's
// labelled variants need them apart.
#include "shared/common/bytes.h"
#include "shared/crypto/secret.h"

namespace tt::crypto {

SecretBytes hkdf_sha256_extract(ByteView salt, ByteView input_key_material);
SecretBytes hkdf_sha256_expand(ByteView pseudo_random_key, ByteView info, std::size_t length);

}  // namespace tt::crypto
