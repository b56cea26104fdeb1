#pragma once
// Key files, exactly as `openssl genpkey -algorithm X25519|ED25519` writes them: PKCS#8 PEM for
// private keys ("-----BEGIN PRIVATE KEY-----"), SubjectPublicKeyInfo PEM for public keys
// ("-----BEGIN PUBLIC KEY-----"), so the central team can use standard tools on them.
//
// Contract:
// - read_private_key refuses (tt::Error naming the file) a private key file readable or writable
//   by group or others, a file of the wrong algorithm, or one that is not PEM.
// - write_* replace the file atomically (temp file, fsync, rename, fsync directory); private keys
//   are created with mode 0600, public keys 0644. They refuse to overwrite unless `overwrite`.
#include <filesystem>

#include "shared/common/bytes.h"
#include "shared/crypto/secret.h"

namespace tt::crypto {

enum class KeyAlgorithm { X25519, Ed25519 };
const char* key_algorithm_name(KeyAlgorithm algorithm);  // "X25519" / "Ed25519"

SecretBytes read_private_key(const std::filesystem::path& file, KeyAlgorithm algorithm);
Bytes read_public_key(const std::filesystem::path& file, KeyAlgorithm algorithm);

void write_private_key(const std::filesystem::path& file, KeyAlgorithm algorithm, ByteView raw_private_key,
                       bool overwrite = false);
void write_public_key(const std::filesystem::path& file, KeyAlgorithm algorithm, ByteView raw_public_key,
                      bool overwrite = false);

// PEM text without touching the disk (for the wire and for tests).
std::string private_key_to_pem(KeyAlgorithm algorithm, ByteView raw_private_key);
std::string public_key_to_pem(KeyAlgorithm algorithm, ByteView raw_public_key);
SecretBytes private_key_from_pem(std::string_view pem, KeyAlgorithm algorithm);
Bytes public_key_from_pem(std::string_view pem, KeyAlgorithm algorithm);

}  // namespace tt::crypto
