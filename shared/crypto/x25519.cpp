#include "shared/crypto/x25519.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <memory>
#include <string>

#include "shared/common/error.h"
#include "shared/crypto/openssl_support.h"

namespace tt::crypto {
namespace {

using namespace detail;

}  // namespace

X25519KeyPair x25519_generate() {
  const std::string operation = "x25519 generate";
  PkeyCtx ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_X25519, nullptr));
  if (!ctx) openssl_fail(operation, "EVP_PKEY_CTX_new_id");
  if (EVP_PKEY_keygen_init(ctx.get()) != 1) openssl_fail(operation, "EVP_PKEY_keygen_init");
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_keygen(ctx.get(), &raw) != 1) openssl_fail(operation, "EVP_PKEY_keygen");
  Pkey key(raw);

  X25519KeyPair pair{SecretBytes(kX25519KeySize), {}};
  std::size_t length = pair.private_key.size();
  if (EVP_PKEY_get_raw_private_key(key.get(), pair.private_key.mutable_view().data(), &length) != 1) {
    openssl_fail(operation, "EVP_PKEY_get_raw_private_key");
  }
  if (length != kX25519KeySize) throw Error(operation + ": OpenSSL returned a private key of unexpected size");
  pair.public_key = raw_public_key(operation, key.get());
  return pair;
}

Bytes x25519_public_from_private(ByteView private_key) {
  const std::string operation = "x25519 public key";
  Pkey key = raw_private_pkey(operation, EVP_PKEY_X25519, private_key, "an X25519 private key");
  return raw_public_key(operation, key.get());
}

SecretBytes x25519_shared_secret(ByteView private_key, ByteView peer_public_key) {
  const std::string operation = "x25519 shared secret";
  Pkey own = raw_private_pkey(operation, EVP_PKEY_X25519, private_key, "an X25519 private key");
  check_raw_key_size(operation, "the peer's X25519 public key", peer_public_key);
  Pkey peer(EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, peer_public_key.data(), peer_public_key.size()));
  if (!peer) openssl_fail(operation, "EVP_PKEY_new_raw_public_key");

  PkeyCtx ctx(EVP_PKEY_CTX_new(own.get(), nullptr));
  if (!ctx) openssl_fail(operation, "EVP_PKEY_CTX_new");
  if (EVP_PKEY_derive_init(ctx.get()) != 1) openssl_fail(operation, "EVP_PKEY_derive_init");
  if (EVP_PKEY_derive_set_peer(ctx.get(), peer.get()) != 1) openssl_fail(operation, "EVP_PKEY_derive_set_peer");

  SecretBytes secret(kX25519KeySize);
  std::size_t length = secret.size();
  if (EVP_PKEY_derive(ctx.get(), secret.mutable_view().data(), &length) != 1) {
    // OpenSSL itself refuses an all-zero result, which is what a low-order peer key gives.
    openssl_fail(operation,
                 "EVP_PKEY_derive (it refuses an all-zero result, so the peer's public key is likely a "
                 "low-order point)");
  }
  if (length != kX25519KeySize) throw Error(operation + ": OpenSSL returned a secret of unexpected size");
  // RFC 7748 section 6.1: an all-zero output means the peer sent a low-order point. Checked here
  // too so the contract does not depend on the OpenSSL version.
  const std::uint8_t zeros[kX25519KeySize] = {};
  if (CRYPTO_memcmp(secret.view().data(), zeros, kX25519KeySize) == 0) {
    throw Error(operation + ": the result is all zeros (the peer's public key is a low-order point)");
  }
  return secret;
}

}  // namespace tt::crypto
