#include "shared/crypto/openssl_support.h"

#include <openssl/err.h>

#include "shared/common/error.h"

namespace tt::crypto::detail {

std::string openssl_reason() {
  char reason[256];
  ERR_error_string_n(ERR_get_error(), reason, sizeof reason);
  ERR_clear_error();
  return reason;
}

void openssl_fail(const std::string& operation, const char* call) {
  std::string reason = openssl_reason();
  throw Error(operation + ": " + call + " failed: " + reason);
}

void check_raw_key_size(const std::string& operation, const char* what, ByteView key) {
  if (key.size() != kRawKeySize) {
    throw Error(operation + ": " + what + " must be " + std::to_string(kRawKeySize) + " bytes, got " +
                std::to_string(key.size()));
  }
}

Pkey raw_private_pkey(const std::string& operation, int type, ByteView raw, const char* what) {
  check_raw_key_size(operation, what, raw);
  Pkey key(EVP_PKEY_new_raw_private_key(type, nullptr, raw.data(), raw.size()));
  if (!key) openssl_fail(operation, "EVP_PKEY_new_raw_private_key");
  return key;
}

Bytes raw_public_key(const std::string& operation, EVP_PKEY* key) {
  Bytes out(kRawKeySize);
  std::size_t length = out.size();
  if (EVP_PKEY_get_raw_public_key(key, out.data(), &length) != 1)
    openssl_fail(operation, "EVP_PKEY_get_raw_public_key");
  if (length != kRawKeySize) throw Error(operation + ": OpenSSL returned a public key of unexpected size");
  return out;
}

}  // namespace tt::crypto::detail
