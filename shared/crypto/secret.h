#pragma once
// Secret key material: zeroed (OPENSSL_cleanse) when destroyed, never copied implicitly.
#include <cstdint>
#include <span>
#include <vector>

#include "shared/common/bytes.h"

namespace tt::crypto {

class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::size_t size);
  explicit SecretBytes(ByteView bytes);
  ~SecretBytes();
  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;

  SecretBytes clone() const { return SecretBytes(view()); }
  ByteView view() const { return {bytes_.data(), bytes_.size()}; }
  std::span<std::uint8_t> mutable_view() { return {bytes_.data(), bytes_.size()}; }
  std::size_t size() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty(); }

 private:
  std::vector<std::uint8_t> bytes_;
};

// Zeroes memory in a way the compiler may not optimise away.
void secure_zero(std::span<std::uint8_t> bytes);

}  // namespace tt::crypto
