#include "shared/crypto/secret.h"

#include <openssl/crypto.h>

#include <utility>

namespace tt::crypto {

void secure_zero(std::span<std::uint8_t> bytes) {
  // OPENSSL_cleanse is written so the compiler cannot drop it as a dead store.
  if (!bytes.empty()) OPENSSL_cleanse(bytes.data(), bytes.size());
}

SecretBytes::SecretBytes(std::size_t size) : bytes_(size) {}

SecretBytes::SecretBytes(ByteView bytes) : bytes_(bytes.begin(), bytes.end()) {}

SecretBytes::~SecretBytes() {
  secure_zero(bytes_);
}

// Moving hands the heap buffer over (std::allocator always steals it), so no copy of the secret
// is left behind. The source is zeroed anyway in case it kept anything, then emptied.
SecretBytes::SecretBytes(SecretBytes&& other) noexcept : bytes_(std::move(other.bytes_)) {
  secure_zero(other.bytes_);
  other.bytes_.clear();
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    secure_zero(bytes_);  // the secret this object held until now is about to be freed
    bytes_ = std::move(other.bytes_);
    secure_zero(other.bytes_);
    other.bytes_.clear();
  }
  return *this;
}

}  // namespace tt::crypto
