#include "shared/crypto/random.h"

#include <openssl/err.h>
#include <openssl/rand.h>

#include <algorithm>
#include <climits>

#include "shared/common/error.h"

namespace tt::crypto {

void random_fill(std::span<std::uint8_t> out) {
  // RAND_bytes takes an int count, so very large requests go in chunks.
  constexpr std::size_t kChunk = 1u << 30;
  for (std::size_t done = 0; done < out.size();) {
    std::size_t n = std::min(kChunk, out.size() - done);
    if (RAND_bytes(out.data() + done, static_cast<int>(n)) != 1) {
      char reason[256];
      ERR_error_string_n(ERR_get_error(), reason, sizeof reason);
      ERR_clear_error();
      throw Error(std::string("random: RAND_bytes failed: ") + reason);
    }
    done += n;
  }
}

Bytes random_bytes(std::size_t count) {
  Bytes out(count);
  random_fill(out);
  return out;
}

std::string random_id128() {
  std::uint8_t id[16];
  random_fill(id);
  return to_hex(id);
}

}  // namespace tt::crypto
