#include "shared/protocol/digest.h"

#include <openssl/evp.h>

#include "shared/common/error.h"

namespace tt::protocol {

Sha256 sha256(ByteView data) {
  Sha256 out{};
  unsigned int length = 0;
  static const std::uint8_t empty = 0;  // EVP_Digest wants a valid pointer even for no data
  if (EVP_Digest(data.empty() ? &empty : data.data(), data.size(), out.data(), &length, EVP_sha256(), nullptr) != 1 ||
      length != out.size()) {
    throw Error("sha256: EVP_Digest failed");
  }
  return out;
}

std::string sha256_hex(ByteView data) {
  Sha256 digest = sha256(data);
  return to_hex(digest);
}

}  // namespace tt::protocol
