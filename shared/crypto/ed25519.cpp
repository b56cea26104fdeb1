#include "shared/crypto/ed25519.h"

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
struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

[[noreturn]] void fail(const std::string& operation, const char* call) {
  char reason[256];
  ERR_error_string_n(ERR_get_error(), reason, sizeof reason);
  ERR_clear_error();
  throw Error(operation + ": " + call + " failed: " + reason);
}

void check_size(const std::string& operation, const char* what, ByteView key) {
  if (key.size() != kEd25519KeySize) {
    throw Error(operation + ": " + what + " must be " + std::to_string(kEd25519KeySize) + " bytes, got " +
                std::to_string(key.size()));
  }
}

Pkey private_pkey(const std::string& operation, ByteView seed) {
  check_size(operation, "an Ed25519 private key (seed)", seed);
  Pkey key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size()));
  if (!key) fail(operation, "EVP_PKEY_new_raw_private_key");
  return key;
}

Bytes raw_public(const std::string& operation, EVP_PKEY* key) {
  Bytes out(kEd25519KeySize);
  std::size_t length = out.size();
  if (EVP_PKEY_get_raw_public_key(key, out.data(), &length) != 1) fail(operation, "EVP_PKEY_get_raw_public_key");
  if (length != kEd25519KeySize) throw Error(operation + ": OpenSSL returned a public key of unexpected size");
  return out;
}

// EVP_DigestSign/Verify with an empty message still want a valid pointer.
const std::uint8_t* message_data(ByteView message) {
  static const std::uint8_t empty = 0;
  return message.empty() ? &empty : message.data();
}

}  // namespace

Ed25519KeyPair ed25519_generate() {
  const std::string operation = "ed25519 generate";
  PkeyCtx ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr));
  if (!ctx) fail(operation, "EVP_PKEY_CTX_new_id");
  if (EVP_PKEY_keygen_init(ctx.get()) != 1) fail(operation, "EVP_PKEY_keygen_init");
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_keygen(ctx.get(), &raw) != 1) fail(operation, "EVP_PKEY_keygen");
  Pkey key(raw);

  Ed25519KeyPair pair{SecretBytes(kEd25519KeySize), {}};
  std::size_t length = pair.private_key.size();
  if (EVP_PKEY_get_raw_private_key(key.get(), pair.private_key.mutable_view().data(), &length) != 1) {
    fail(operation, "EVP_PKEY_get_raw_private_key");
  }
  if (length != kEd25519KeySize) throw Error(operation + ": OpenSSL returned a private key of unexpected size");
  pair.public_key = raw_public(operation, key.get());
  return pair;
}

Bytes ed25519_public_from_private(ByteView private_seed) {
  const std::string operation = "ed25519 public key";
  Pkey key = private_pkey(operation, private_seed);
  return raw_public(operation, key.get());
}

Bytes ed25519_sign(ByteView private_seed, ByteView message) {
  const std::string operation = "ed25519 sign";
  Pkey key = private_pkey(operation, private_seed);
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx) fail(operation, "EVP_MD_CTX_new");
  // Pure Ed25519 hashes internally, so no digest is named (NULL md).
  if (EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1) {
    fail(operation, "EVP_DigestSignInit");
  }
  Bytes signature(kEd25519SignatureSize);
  std::size_t length = signature.size();
  if (EVP_DigestSign(ctx.get(), signature.data(), &length, message_data(message), message.size()) != 1) {
    fail(operation, "EVP_DigestSign");
  }
  if (length != kEd25519SignatureSize) throw Error(operation + ": OpenSSL returned a signature of unexpected size");
  return signature;
}

bool ed25519_verify(ByteView public_key, ByteView message, ByteView signature) {
  const std::string operation = "ed25519 verify";
  check_size(operation, "an Ed25519 public key", public_key);
  if (signature.size() != kEd25519SignatureSize) return false;
  Pkey key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, public_key.data(), public_key.size()));
  if (!key) fail(operation, "EVP_PKEY_new_raw_public_key");
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx) fail(operation, "EVP_MD_CTX_new");
  if (EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1) {
    fail(operation, "EVP_DigestVerifyInit");
  }
  int result = EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message_data(message), message.size());
  if (result == 1) return true;
  if (result == 0) {
    ERR_clear_error();  // a bad signature (or a key that is not a curve point) is an answer, not a fault
    return false;
  }
  fail(operation, "EVP_DigestVerify");
}

}  // namespace tt::crypto
