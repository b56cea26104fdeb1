#pragma once
// SHA-256 for the wire protocol: the body digest in a request signature, a stored response's
// checksum, the hash kept in place of an enrolment token, the TLS key pin. (It lives here rather
// than in shared/crypto because only the protocol and its two ends use it.)
#include <array>
#include <cstdint>
#include <string>

#include "shared/common/bytes.h"

namespace tt::protocol {

using Sha256 = std::array<std::uint8_t, 32>;

Sha256 sha256(ByteView data);
std::string sha256_hex(ByteView data);  // 64 lower-case hex digits

}  // namespace tt::protocol
