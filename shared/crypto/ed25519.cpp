#include "shared/crypto/ed25519.h"

#include <openssl/err.h>
#include <openssl/evp.h>

#include <memory>
#include <string>

#include "shared/common/error.h"
#include "shared/crypto/openssl_support.h"

namespace tt::crypto {
namespace {

using namespace detail;

// EVP_DigestSign/Verify with an empty message still want a valid pointer.
const std::uint8_t* message_data(ByteView message) {
  static const std::uint8_t empty = 0;
  return message.empty() ? &empty : message.data();
}

}  // namespace

Ed25519KeyPair ed25519_generate() {
  const std::string operation = "ed25519 generate";
  PkeyCtx ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr));
  if (!ctx) openssl_fail(operation, "EVP_PKEY_CTX_new_id");
  if (EVP_PKEY_keygen_init(ctx.get()) != 1) openssl_fail(operation, "EVP_PKEY_keygen_init");
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_keygen(ctx.get(), &raw) != 1) openssl_fail(operation, "EVP_PKEY_keygen");
  Pkey key(raw);

  Ed25519KeyPair pair{SecretBytes(kEd25519KeySize), {}};
  std::size_t length = pair.private_key.size();
  if (EVP_PKEY_get_raw_private_key(key.get(), pair.private_key.mutable_view().data(), &length) != 1) {
    openssl_fail(operation, "EVP_PKEY_get_raw_private_key");
  }
  if (length != kEd25519KeySize) throw Error(operation + ": OpenSSL returned a private key of unexpected size");
  pair.public_key = raw_public_key(operation, key.get());
  return pair;
}

Bytes ed25519_public_from_private(ByteView private_seed) {
  const std::string operation = "ed25519 public key";
  Pkey key = raw_private_pkey(operation, EVP_PKEY_ED25519, private_seed, "an Ed25519 private key (seed)");
  return raw_public_key(operation, key.get());
}

Bytes ed25519_sign(ByteView private_seed, ByteView message) {
  const std::string operation = "ed25519 sign";
  Pkey key = raw_private_pkey(operation, EVP_PKEY_ED25519, private_seed, "an Ed25519 private key (seed)");
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx) openssl_fail(operation, "EVP_MD_CTX_new");
  // Pure Ed25519 hashes internally, so no digest is named (NULL md).
  if (EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1) {
    openssl_fail(operation, "EVP_DigestSignInit");
  }
  Bytes signature(kEd25519SignatureSize);
  std::size_t length = signature.size();
  if (EVP_DigestSign(ctx.get(), signature.data(), &length, message_data(message), message.size()) != 1) {
    openssl_fail(operation, "EVP_DigestSign");
  }
  if (length != kEd25519SignatureSize) throw Error(operation + ": OpenSSL returned a signature of unexpected size");
  return signature;
}

bool ed25519_verify(ByteView public_key, ByteView message, ByteView signature) {
  const std::string operation = "ed25519 verify";
  check_raw_key_size(operation, "an Ed25519 public key", public_key);
  if (signature.size() != kEd25519SignatureSize) return false;
  Pkey key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, public_key.data(), public_key.size()));
  if (!key) openssl_fail(operation, "EVP_PKEY_new_raw_public_key");
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx) openssl_fail(operation, "EVP_MD_CTX_new");
  if (EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1) {
    openssl_fail(operation, "EVP_DigestVerifyInit");
  }
  int result = EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message_data(message), message.size());
  if (result == 1) return true;
  if (result == 0) {
    ERR_clear_error();  // a bad signature (or a key that is not a curve point) is an answer, not a fault
    return false;
  }
  openssl_fail(operation, "EVP_DigestVerify");
}

}  // namespace tt::crypto
