#pragma once
// Cryptographic randomness from OpenSSL's DRBG (seeded from the OS). Throws tt::Error if the
// generator fails, which must never be ignored.
#include <span>
#include <string>

#include "shared/common/bytes.h"

namespace tt::crypto {

void random_fill(std::span<std::uint8_t> out);
Bytes random_bytes(std::size_t count);
// A random 128-bit identifier as 32 lower-case hex digits (response ids, device ids).
std::string random_id128();

}  // namespace tt::crypto
