#include "shared/crypto/hkdf.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <memory>
#include <string>

#include "shared/common/error.h"
#include "shared/crypto/openssl_support.h"

namespace tt::crypto {
namespace {

using namespace detail;

constexpr std::size_t kSha256Size = 32;

// OSSL_PARAM octet strings must not point to NULL, even when empty.
void* param_data(ByteView bytes) {
  static std::uint8_t empty = 0;
  return bytes.empty() ? &empty : const_cast<std::uint8_t*>(bytes.data());
}

KdfCtx make_hkdf(const std::string& operation) {
  Kdf kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr));
  if (!kdf) openssl_fail(operation, "EVP_KDF_fetch(HKDF)");
  KdfCtx ctx(EVP_KDF_CTX_new(kdf.get()));  // holds its own reference to the KDF
  if (!ctx) openssl_fail(operation, "EVP_KDF_CTX_new");
  return ctx;
}

// Runs HKDF in `mode` with the key and, when non-empty, the salt or info parameter.
SecretBytes derive(const std::string& operation, int mode, ByteView key, const char* extra_name, ByteView extra,
                   std::size_t length) {
  KdfCtx ctx = make_hkdf(operation);
  char digest[] = "SHA256";
  OSSL_PARAM params[5];
  std::size_t n = 0;
  params[n++] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
  params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0);
  params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, param_data(key), key.size());
  if (!extra.empty()) {
    params[n++] = OSSL_PARAM_construct_octet_string(extra_name, param_data(extra), extra.size());
  }
  params[n] = OSSL_PARAM_construct_end();

  SecretBytes out(length);
  if (EVP_KDF_derive(ctx.get(), out.mutable_view().data(), out.size(), params) != 1) {
    openssl_fail(operation, "EVP_KDF_derive");
  }
  return out;
}

}  // namespace

SecretBytes hkdf_sha256_extract(ByteView salt, ByteView input_key_material) {
  // RFC 5869 2.2: an absent salt means HashLen zero bytes. Passing them explicitly gives the same
  // HMAC key and avoids relying on how OpenSSL treats an empty salt parameter.
  const std::uint8_t zeros[kSha256Size] = {};
  ByteView effective_salt = salt.empty() ? ByteView(zeros, kSha256Size) : salt;
  return derive("hkdf-sha256 extract", EVP_KDF_HKDF_MODE_EXTRACT_ONLY, input_key_material, OSSL_KDF_PARAM_SALT,
                effective_salt, kSha256Size);
}

SecretBytes hkdf_sha256_expand(ByteView pseudo_random_key, ByteView info, std::size_t length) {
  const std::string operation = "hkdf-sha256 expand";
  if (length == 0 || length > 255 * kSha256Size) {
    throw Error(operation + ": output length " + std::to_string(length) + " is outside 1.." +
                std::to_string(255 * kSha256Size) + " (RFC 5869 2.3)");
  }
  if (pseudo_random_key.size() < kSha256Size) {
    throw Error(operation + ": the pseudo-random key is " + std::to_string(pseudo_random_key.size()) +
                " bytes; RFC 5869 needs at least " + std::to_string(kSha256Size));
  }
  return derive(operation, EVP_KDF_HKDF_MODE_EXPAND_ONLY, pseudo_random_key, OSSL_KDF_PARAM_INFO, info, length);
}

}  // namespace tt::crypto
