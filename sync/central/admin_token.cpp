#include "sync/central/admin_token.h"

#include <sys/stat.h>

#include "shared/common/error.h"
#include "shared/common/files.h"
#include "shared/crypto/random.h"

namespace tt::central {

AdminToken load_or_create_admin_token(const std::filesystem::path& file) {
  AdminToken token;
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    std::string value = to_hex(crypto::random_bytes(32));
    write_file_atomically(file, as_bytes(value + "\n"), 0600, false);
    return {value, true};
  }
  struct stat info {};
  if (::stat(file.c_str(), &info) == 0 && (info.st_mode & 077) != 0) {
    throw Error("admin token file " + file.string() + " is readable or writable by others: chmod 600 " + file.string());
  }
  token.value = read_text_file(file);
  while (!token.value.empty() && (token.value.back() == '\n' || token.value.back() == '\r')) token.value.pop_back();
  if (token.value.size() < 16) {
    throw Error("admin token file " + file.string() + " holds fewer than 16 characters: use a long random token");
  }
  for (char c : token.value) {
    if (c <= ' ' || c > '~') {
      throw Error("admin token file " + file.string() + " must hold one line of printable ASCII without spaces");
    }
  }
  return token;
}

}  // namespace tt::central
