#include "shared/crypto/aead.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <algorithm>
#include <memory>
#include <string>

#include "shared/crypto/openssl_support.h"

namespace tt::crypto {
namespace {

using namespace detail;

// EVP_*Update take an int length; longer inputs are fed in pieces of this size.
constexpr std::size_t kChunk = 1u << 30;

const char* algorithm_name(AeadAlgorithm algorithm) {
  switch (algorithm) {
    case AeadAlgorithm::ChaCha20Poly1305: return "ChaCha20-Poly1305";
    case AeadAlgorithm::Aes256Gcm: return "AES-256-GCM";
    case AeadAlgorithm::Aes128Gcm: return "AES-128-GCM";
  }
  throw Error("aead: unknown algorithm " + std::to_string(static_cast<int>(algorithm)));
}

const EVP_CIPHER* cipher_for(AeadAlgorithm algorithm) {
  switch (algorithm) {
    case AeadAlgorithm::ChaCha20Poly1305: return EVP_chacha20_poly1305();
    case AeadAlgorithm::Aes256Gcm: return EVP_aes_256_gcm();
    case AeadAlgorithm::Aes128Gcm: return EVP_aes_128_gcm();
  }
  throw Error("aead: unknown algorithm " + std::to_string(static_cast<int>(algorithm)));
}

// Wrong key or nonce sizes are programming errors, so they are tt::Error, not
// AuthenticationError.
void check_sizes(const std::string& operation, AeadAlgorithm algorithm, ByteView key, ByteView nonce) {
  if (key.size() != aead_key_size(algorithm)) {
    throw Error(operation + ": " + algorithm_name(algorithm) + " needs a " + std::to_string(aead_key_size(algorithm)) +
                "-byte key, got " + std::to_string(key.size()) + " bytes");
  }
  if (nonce.size() != kAeadNonceSize) {
    throw Error(operation + ": the nonce must be " + std::to_string(kAeadNonceSize) + " bytes, got " +
                std::to_string(nonce.size()));
  }
}

// Creates a context keyed for encryption (encrypt = 1) or decryption (0) with a 12-byte nonce.
CipherCtx make_context(const std::string& operation, AeadAlgorithm algorithm, ByteView key, ByteView nonce,
                       int encrypt) {
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx) openssl_fail(operation, "EVP_CIPHER_CTX_new");
  if (EVP_CipherInit_ex(ctx.get(), cipher_for(algorithm), nullptr, nullptr, nullptr, encrypt) != 1) {
    openssl_fail(operation, "EVP_CipherInit_ex");
  }
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_IVLEN, static_cast<int>(kAeadNonceSize), nullptr) != 1) {
    openssl_fail(operation, "EVP_CTRL_AEAD_SET_IVLEN");
  }
  if (EVP_CipherInit_ex(ctx.get(), nullptr, nullptr, key.data(), nonce.data(), encrypt) != 1) {
    openssl_fail(operation, "EVP_CipherInit_ex (key and nonce)");
  }
  return ctx;
}

void add_associated_data(const std::string& operation, EVP_CIPHER_CTX* ctx, ByteView associated_data) {
  for (std::size_t done = 0; done < associated_data.size();) {
    std::size_t n = std::min(kChunk, associated_data.size() - done);
    int out_len = 0;
    if (EVP_CipherUpdate(ctx, nullptr, &out_len, associated_data.data() + done, static_cast<int>(n)) != 1) {
      openssl_fail(operation, "EVP_CipherUpdate (associated data)");
    }
    done += n;
  }
}

// Runs `in` through the cipher into `out` (same length: both AEADs here are stream modes).
void process(const std::string& operation, EVP_CIPHER_CTX* ctx, ByteView in, std::uint8_t* out) {
  for (std::size_t done = 0; done < in.size();) {
    std::size_t n = std::min(kChunk, in.size() - done);
    int out_len = 0;
    if (EVP_CipherUpdate(ctx, out + done, &out_len, in.data() + done, static_cast<int>(n)) != 1 ||
        static_cast<std::size_t>(out_len) != n) {
      openssl_fail(operation, "EVP_CipherUpdate");
    }
    done += n;
  }
}

}  // namespace

std::size_t aead_key_size(AeadAlgorithm algorithm) {
  switch (algorithm) {
    case AeadAlgorithm::ChaCha20Poly1305: return 32;
    case AeadAlgorithm::Aes256Gcm: return 32;
    case AeadAlgorithm::Aes128Gcm: return 16;
  }
  throw Error("aead: unknown algorithm " + std::to_string(static_cast<int>(algorithm)));
}

Bytes aead_seal(AeadAlgorithm algorithm, ByteView key, ByteView nonce, ByteView associated_data, ByteView plaintext) {
  const std::string operation = std::string("aead seal (") + algorithm_name(algorithm) + ")";
  check_sizes(operation, algorithm, key, nonce);
  CipherCtx ctx = make_context(operation, algorithm, key, nonce, 1);
  add_associated_data(operation, ctx.get(), associated_data);

  Bytes out(plaintext.size() + kAeadTagSize);
  process(operation, ctx.get(), plaintext, out.data());
  std::uint8_t tail[EVP_MAX_BLOCK_LENGTH];
  int tail_len = 0;
  if (EVP_EncryptFinal_ex(ctx.get(), tail, &tail_len) != 1) openssl_fail(operation, "EVP_EncryptFinal_ex");
  if (tail_len != 0) throw Error(operation + ": the cipher produced unexpected trailing output");
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG, static_cast<int>(kAeadTagSize),
                          out.data() + plaintext.size()) != 1) {
    openssl_fail(operation, "EVP_CTRL_AEAD_GET_TAG");
  }
  return out;
}

SecretBytes aead_open(AeadAlgorithm algorithm, ByteView key, ByteView nonce, ByteView associated_data,
                      ByteView ciphertext_and_tag) {
  const std::string operation = std::string("aead open (") + algorithm_name(algorithm) + ")";
  check_sizes(operation, algorithm, key, nonce);
  if (ciphertext_and_tag.size() < kAeadTagSize) {
    throw AuthenticationError(operation + ": the message is " + std::to_string(ciphertext_and_tag.size()) +
                              " bytes, shorter than its " + std::to_string(kAeadTagSize) + "-byte tag");
  }
  const std::size_t ciphertext_size = ciphertext_and_tag.size() - kAeadTagSize;
  ByteView ciphertext = ciphertext_and_tag.first(ciphertext_size);
  // SET_TAG wants a non-const pointer; copy the tag rather than cast away const.
  std::uint8_t tag[kAeadTagSize];
  std::copy_n(ciphertext_and_tag.begin() + static_cast<std::ptrdiff_t>(ciphertext_size), kAeadTagSize, tag);

  CipherCtx ctx = make_context(operation, algorithm, key, nonce, 0);
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG, static_cast<int>(kAeadTagSize), tag) != 1) {
    openssl_fail(operation, "EVP_CTRL_AEAD_SET_TAG");
  }
  add_associated_data(operation, ctx.get(), associated_data);

  // Plaintext lives in SecretBytes from the start, so if the tag fails it is zeroed as the
  // exception unwinds and nothing unauthenticated ever reaches the caller.
  SecretBytes plaintext(ciphertext_size);
  process(operation, ctx.get(), ciphertext, plaintext.mutable_view().data());
  std::uint8_t tail[EVP_MAX_BLOCK_LENGTH];
  int tail_len = 0;
  if (EVP_DecryptFinal_ex(ctx.get(), tail, &tail_len) != 1) {
    ERR_clear_error();  // a tag mismatch is an expected outcome, not an OpenSSL fault
    throw AuthenticationError(operation +
                              ": authentication failed (wrong key, nonce or associated data, "
                              "or the message was altered)");
  }
  if (tail_len != 0) throw Error(operation + ": the cipher produced unexpected trailing output");
  return plaintext;
}

}  // namespace tt::crypto
