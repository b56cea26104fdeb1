#include "shared/survey/survey_signature.h"

#include "shared/common/error.h"
#include "shared/crypto/ed25519.h"

namespace tt::survey {

std::filesystem::path signature_path_for(const std::filesystem::path& survey_file) {
  std::filesystem::path p = survey_file;
  p += ".sig";
  return p;
}

Bytes sign_survey(ByteView survey_bytes, ByteView signing_private_seed) {
  return crypto::ed25519_sign(signing_private_seed, survey_bytes);
}

void verify_survey_signature(ByteView survey_bytes, ByteView signature, ByteView signing_public_key,
                             const std::string& survey_name) {
  if (signature.size() != crypto::kEd25519SignatureSize) {
    throw Error(survey_name + " has a malformed signature: expected " + std::to_string(crypto::kEd25519SignatureSize) +
                " bytes, found " + std::to_string(signature.size()));
  }
  if (!crypto::ed25519_verify(signing_public_key, survey_bytes, signature)) {
    throw Error(survey_name +
                " has a wrong signature: it was changed after signing, or signed with a key other than "
                "this kiosk's survey-signing key");
  }
}

}  // namespace tt::survey
