#pragma once
// What every crypto file needs around OpenSSL: owning handles that free themselves, an error
// that carries the operation and OpenSSL's reason, and the raw 32-byte key import and export
// that X25519 and Ed25519 share. Private to shared/crypto.
#include <openssl/evp.h>
#include <openssl/kdf.h>

#include <memory>
#include <string>

#include "shared/common/bytes.h"

namespace tt::crypto::detail {

template <typename T, void (*Free)(T*)>
struct OpenSslFree {
  void operator()(T* p) const { Free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, OpenSslFree<EVP_PKEY, EVP_PKEY_free>>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, OpenSslFree<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, OpenSslFree<EVP_MD_CTX, EVP_MD_CTX_free>>;
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, OpenSslFree<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>>;
using Kdf = std::unique_ptr<EVP_KDF, OpenSslFree<EVP_KDF, EVP_KDF_free>>;
using KdfCtx = std::unique_ptr<EVP_KDF_CTX, OpenSslFree<EVP_KDF_CTX, EVP_KDF_CTX_free>>;

// OpenSSL's reason for the last failure (and clears its error queue).
std::string openssl_reason();
// Throws tt::Error "<operation>: <call> failed: <OpenSSL's reason>".
[[noreturn]] void openssl_fail(const std::string& operation, const char* call);

// A 32-byte raw private key of `type` (EVP_PKEY_X25519 / EVP_PKEY_ED25519) as an EVP_PKEY;
// `what` names it in the size error ("an X25519 private key").
Pkey raw_private_pkey(const std::string& operation, int type, ByteView raw, const char* what);
// The 32-byte raw public key of `key`.
Bytes raw_public_key(const std::string& operation, EVP_PKEY* key);
// Throws tt::Error unless `key` is 32 bytes.
void check_raw_key_size(const std::string& operation, const char* what, ByteView key);

inline constexpr std::size_t kRawKeySize = 32;  // X25519 and Ed25519 alike

}  // namespace tt::crypto::detail
