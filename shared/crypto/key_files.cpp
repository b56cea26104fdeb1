#include "shared/crypto/key_files.h"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "shared/common/error.h"
#include "shared/common/files.h"
#include "shared/crypto/openssl_support.h"

namespace tt::crypto {
namespace {

constexpr off_t kMaxKeyFileSize = 64 * 1024;  // a key PEM is ~120 bytes; anything huge is not a key

using namespace detail;

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using Bio = std::unique_ptr<BIO, BioFree>;

// A std::string that is zeroed when it goes out of scope, for PEM text holding a private key.
struct CleansedString {
  std::string text;
  ~CleansedString() {
    text.resize(text.capacity());  // never reallocates; covers bytes past a shrink as well
    OPENSSL_cleanse(text.data(), text.size());
  }
};

int pkey_type(KeyAlgorithm algorithm) {
  switch (algorithm) {
    case KeyAlgorithm::X25519: return EVP_PKEY_X25519;
    case KeyAlgorithm::Ed25519: return EVP_PKEY_ED25519;
  }
  throw Error("key files: unknown key algorithm " + std::to_string(static_cast<int>(algorithm)));
}

// A readable name for whatever algorithm a PEM file turned out to hold.
std::string type_name(EVP_PKEY* key) {
  switch (EVP_PKEY_get_id(key)) {
    case EVP_PKEY_X25519: return "X25519";
    case EVP_PKEY_ED25519: return "Ed25519";
    case EVP_PKEY_X448: return "X448";
    case EVP_PKEY_ED448: return "Ed448";
    case EVP_PKEY_RSA: return "RSA";
    case EVP_PKEY_EC: return "EC";
  }
  const char* name = EVP_PKEY_get0_type_name(key);
  return name != nullptr ? name : "unknown";
}

void check_type(EVP_PKEY* key, KeyAlgorithm algorithm, const std::string& source) {
  if (EVP_PKEY_get_id(key) != pkey_type(algorithm)) {
    throw Error(source + " holds an " + type_name(key) + " key, expected " + key_algorithm_name(algorithm));
  }
}

void check_raw_size(const std::string& operation, KeyAlgorithm algorithm, ByteView raw) {
  if (raw.size() != kRawKeySize) {
    throw Error(operation + ": a raw " + key_algorithm_name(algorithm) + " key must be " + std::to_string(kRawKeySize) +
                " bytes, got " + std::to_string(raw.size()));
  }
}

std::string bio_text(const std::string& operation, BIO* bio) {
  char* data = nullptr;
  long length = BIO_get_mem_data(bio, &data);
  if (length <= 0 || data == nullptr) throw Error(operation + ": OpenSSL wrote no PEM text");
  return std::string(data, static_cast<std::size_t>(length));
}

Bio read_bio(const std::string& operation, std::string_view pem) {
  if (pem.size() > INT_MAX) throw Error(operation + ": the PEM text is too large");
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) openssl_fail(operation, "BIO_new_mem_buf");
  return bio;
}

// Never prompt for a passphrase (OpenSSL's default would read the terminal): an encrypted key
// simply fails to load.
int no_passphrase(char*, int, int, void*) {
  return -1;
}

// `source` names where the PEM came from ("key file /x/y.key" or "PEM text") for every error.
SecretBytes parse_private(std::string_view pem, KeyAlgorithm algorithm, const std::string& source) {
  Bio bio = read_bio(source, pem);
  Pkey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr));
  if (!key && pem.find("-----BEGIN ENCRYPTED PRIVATE KEY-----") != std::string_view::npos) {
    ERR_clear_error();
    throw Error(source + " is encrypted with a passphrase; Tutortime needs an unencrypted key (mode 0600)");
  }
  if (!key) {
    throw Error(source + " is not a readable PEM private key (\"BEGIN PRIVATE KEY\"): " + openssl_reason());
  }
  check_type(key.get(), algorithm, source);
  SecretBytes raw(kRawKeySize);
  std::size_t length = raw.size();
  if (EVP_PKEY_get_raw_private_key(key.get(), raw.mutable_view().data(), &length) != 1) {
    openssl_fail(source, "EVP_PKEY_get_raw_private_key");
  }
  if (length != kRawKeySize) throw Error(source + ": the private key has an unexpected size");
  return raw;
}

Bytes parse_public(std::string_view pem, KeyAlgorithm algorithm, const std::string& source) {
  Bio bio = read_bio(source, pem);
  Pkey key(PEM_read_bio_PUBKEY(bio.get(), nullptr, no_passphrase, nullptr));
  if (!key) {
    throw Error(source + " is not a readable PEM public key (\"BEGIN PUBLIC KEY\"): " + openssl_reason());
  }
  check_type(key.get(), algorithm, source);
  Bytes raw(kRawKeySize);
  std::size_t length = raw.size();
  if (EVP_PKEY_get_raw_public_key(key.get(), raw.data(), &length) != 1) {
    openssl_fail(source, "EVP_PKEY_get_raw_public_key");
  }
  if (length != kRawKeySize) throw Error(source + ": the public key has an unexpected size");
  return raw;
}

// Reads a private key file through one descriptor, so the mode checked is that of the file read.
CleansedString read_private_key_file(const std::filesystem::path& file) {
  const std::string name = file.string();
  auto os_error = [&](const char* what) { return Error(std::string(what) + " " + name + ": " + std::strerror(errno)); };

  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw os_error("cannot open key file");
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};

  struct stat info {};
  if (::fstat(fd, &info) != 0) throw os_error("cannot stat key file");
  if (!S_ISREG(info.st_mode)) throw Error("key file " + name + " is not a regular file");
  if ((info.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(info.st_mode & 07777));
    throw Error("key file " + name + " has mode " + mode +
                ": a private key must not be accessible by group or others; run chmod 600 " + name);
  }
  if (info.st_size > kMaxKeyFileSize) {
    throw Error("key file " + name + " is " + std::to_string(info.st_size) + " bytes, too large to be a key");
  }

  CleansedString contents;
  contents.text.resize(static_cast<std::size_t>(kMaxKeyFileSize) + 1);
  std::size_t used = 0;
  for (;;) {
    ssize_t n = ::read(fd, contents.text.data() + used, contents.text.size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw os_error("cannot read key file");
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
    if (used == contents.text.size()) throw Error("key file " + name + " is too large to be a key");
  }
  // Shrinking within capacity does not reallocate, so no copy of the key is left behind.
  contents.text.resize(used);
  return contents;
}

}  // namespace

const char* key_algorithm_name(KeyAlgorithm algorithm) {
  switch (algorithm) {
    case KeyAlgorithm::X25519: return "X25519";
    case KeyAlgorithm::Ed25519: return "Ed25519";
  }
  return "unknown";
}

std::string private_key_to_pem(KeyAlgorithm algorithm, ByteView raw_private_key) {
  const std::string operation = std::string("encode ") + key_algorithm_name(algorithm) + " private key";
  check_raw_size(operation, algorithm, raw_private_key);
  Pkey key(EVP_PKEY_new_raw_private_key(pkey_type(algorithm), nullptr, raw_private_key.data(), raw_private_key.size()));
  if (!key) openssl_fail(operation, "EVP_PKEY_new_raw_private_key");
  // Secure-heap memory BIO: zeroed by OpenSSL when freed.
  Bio bio(BIO_new(BIO_s_secmem()));
  if (!bio) openssl_fail(operation, "BIO_new");
  // Unencrypted PKCS#8, the format `openssl genpkey` writes.
  if (PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    openssl_fail(operation, "PEM_write_bio_PrivateKey");
  }
  return bio_text(operation, bio.get());
}

std::string public_key_to_pem(KeyAlgorithm algorithm, ByteView raw_public_key) {
  const std::string operation = std::string("encode ") + key_algorithm_name(algorithm) + " public key";
  check_raw_size(operation, algorithm, raw_public_key);
  Pkey key(EVP_PKEY_new_raw_public_key(pkey_type(algorithm), nullptr, raw_public_key.data(), raw_public_key.size()));
  if (!key) openssl_fail(operation, "EVP_PKEY_new_raw_public_key");
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio) openssl_fail(operation, "BIO_new");
  if (PEM_write_bio_PUBKEY(bio.get(), key.get()) != 1) openssl_fail(operation, "PEM_write_bio_PUBKEY");
  return bio_text(operation, bio.get());
}

SecretBytes private_key_from_pem(std::string_view pem, KeyAlgorithm algorithm) {
  return parse_private(pem, algorithm, "PEM text");
}

Bytes public_key_from_pem(std::string_view pem, KeyAlgorithm algorithm) {
  return parse_public(pem, algorithm, "PEM text");
}

SecretBytes read_private_key(const std::filesystem::path& file, KeyAlgorithm algorithm) {
  CleansedString pem = read_private_key_file(file);
  return parse_private(pem.text, algorithm, "key file " + file.string());
}

Bytes read_public_key(const std::filesystem::path& file, KeyAlgorithm algorithm) {
  std::string pem = read_text_file(file);  // its errors name the file
  return parse_public(pem, algorithm, "key file " + file.string());
}

void write_private_key(const std::filesystem::path& file, KeyAlgorithm algorithm, ByteView raw_private_key,
                       bool overwrite) {
  try {
    CleansedString pem{private_key_to_pem(algorithm, raw_private_key)};
    write_file_atomically(file, as_bytes(pem.text), 0600, overwrite);
  } catch (const Error&) {
    rethrow_with_context("write private key file " + file.string());
  }
}

void write_public_key(const std::filesystem::path& file, KeyAlgorithm algorithm, ByteView raw_public_key,
                      bool overwrite) {
  try {
    write_file_atomically(file, as_bytes(public_key_to_pem(algorithm, raw_public_key)), 0644, overwrite);
  } catch (const Error&) {
    rethrow_with_context("write public key file " + file.string());
  }
}

}  // namespace tt::crypto
