#pragma once
// Signed surveys. The signature is detached: FILE.sig holds the raw 64-byte Ed25519 signature
// over the exact bytes of FILE, so anyone can check it with standard tools:
//   openssl pkeyutl -verify -pubin -inkey signing.pub -rawin -in FILE -sigfile FILE.sig
#include <filesystem>

#include "shared/common/bytes.h"

namespace tt::survey {

std::filesystem::path signature_path_for(const std::filesystem::path& survey_file);  // FILE.sig

Bytes sign_survey(ByteView survey_bytes, ByteView signing_private_seed);
// Throws tt::Error with a clear message ("… is not signed: FILE.sig is missing",
// "… has a wrong signature: it was changed after signing, or signed with another key").
void verify_survey_signature(ByteView survey_bytes, ByteView signature, ByteView signing_public_key,
                             const std::string& survey_name);

}  // namespace tt::survey
