#include "shared/crypto/x25519.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <memory>
#include <string>

#include "shared/common/error.h"

namespace tt::crypto {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* ctx) const { EVP_PKEY_CTX_free(ctx); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;

[[noreturn]] void fail(const std::string& operation, const char* call) {
  char reason[256];
  ERR_error_string_n(ERR_get_error(), reason, sizeof reason);
  ERR_clear_error();
  throw Error(operation + ": " + call + " failed: " + reason);
}

void check_size(const std::string& operation, const char* what, ByteView key) {
  if (key.size() != kX25519KeySize) {
    throw Error(operation + ": " + what + " must be " + std::to_string(kX25519KeySize) + " bytes, got " +
                std::to_string(key.size()));
  }
}

Pkey private_pkey(const std::string& operation, ByteView private_key) {
  check_size(operation, "an X25519 private key", private_key);
  Pkey key(EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, private_key.data(), private_key.size()));
  if (!key) fail(operation, "EVP_PKEY_new_raw_private_key");
  return key;
}

Bytes raw_public(const std::string& operation, EVP_PKEY* key) {
  Bytes out(kX25519KeySize);
  std::size_t length = out.size();
  if (EVP_PKEY_get_raw_public_key(key, out.data(), &length) != 1) fail(operation, "EVP_PKEY_get_raw_public_key");
  if (length != kX25519KeySize) throw Error(operation + ": OpenSSL returned a public key of unexpected size");
  return out;
}

}  // namespace

X25519KeyPair x25519_generate() {
  const std::string operation = "x25519 generate";
  PkeyCtx ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_X25519, nullptr));
  if (!ctx) fail(operation, "EVP_PKEY_CTX_new_id");
  if (EVP_PKEY_keygen_init(ctx.get()) != 1) fail(operation, "EVP_PKEY_keygen_init");
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_keygen(ctx.get(), &raw) != 1) fail(operation, "EVP_PKEY_keygen");
  Pkey key(raw);

  X25519KeyPair pair{SecretBytes(kX25519KeySize), {}};
  std::size_t length = pair.private_key.size();
  if (EVP_PKEY_get_raw_private_key(key.get(), pair.private_key.mutable_view().data(), &length) != 1) {
    fail(operation, "EVP_PKEY_get_raw_private_key");
  }
  if (length != kX25519KeySize) throw Error(operation + ": OpenSSL returned a private key of unexpected size");
  pair.public_key = raw_public(operation, key.get());
  return pair;
}

Bytes x25519_public_from_private(ByteView private_key) {
  const std::string operation = "x25519 public key";
  Pkey key = private_pkey(operation, private_key);
  return raw_public(operation, key.get());
}

SecretBytes x25519_shared_secret(ByteView private_key, ByteView peer_public_key) {
  const std::string operation = "x25519 shared secret";
  Pkey own = private_pkey(operation, private_key);
  check_size(operation, "the peer's X25519 public key", peer_public_key);
  Pkey peer(EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, peer_public_key.data(), peer_public_key.size()));
  if (!peer) fail(operation, "EVP_PKEY_new_raw_public_key");

  PkeyCtx ctx(EVP_PKEY_CTX_new(own.get(), nullptr));
  if (!ctx) fail(operation, "EVP_PKEY_CTX_new");
  if (EVP_PKEY_derive_init(ctx.get()) != 1) fail(operation, "EVP_PKEY_derive_init");
  if (EVP_PKEY_derive_set_peer(ctx.get(), peer.get()) != 1) fail(operation, "EVP_PKEY_derive_set_peer");

  SecretBytes secret(kX25519KeySize);
  std::size_t length = secret.size();
  if (EVP_PKEY_derive(ctx.get(), secret.mutable_view().data(), &length) != 1) {
    // OpenSSL itself refuses an all-zero result, which is what a low-order peer key gives.
    fail(operation,
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
