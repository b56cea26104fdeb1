#include "kiosk/store/draft_crypto.h"

#include "shared/crypto/aead.h"
#include "shared/crypto/random.h"

namespace tt::kiosk::store {
namespace {

constexpr auto kAlgorithm = crypto::AeadAlgorithm::ChaCha20Poly1305;
constexpr std::string_view kKeyCheckAssociatedData = "tutortime storage key check v1";

void append(Bytes& out, std::string_view text) {
  out.insert(out.end(), text.begin(), text.end());
  out.push_back(0);
}

}  // namespace

Bytes draft_associated_data(const DraftBinding& binding) {
  Bytes ad;
  append(ad, "tutortime draft v" + std::to_string(binding.schema_version));
  append(ad, std::to_string(binding.id));
  append(ad, binding.survey_id);
  append(ad, std::to_string(binding.survey_version));
  ad.insert(ad.end(), binding.response_id.begin(), binding.response_id.end());
  return ad;
}

SealedDraft seal_draft(ByteView key, const DraftBinding& binding, ByteView plaintext) {
  SealedDraft out;
  out.nonce = crypto::random_bytes(crypto::kAeadNonceSize);
  out.ciphertext = crypto::aead_seal(kAlgorithm, key, out.nonce, draft_associated_data(binding), plaintext);
  return out;
}

crypto::SecretBytes open_draft(ByteView key, const DraftBinding& binding, ByteView nonce, ByteView ciphertext) {
  if (nonce.size() != crypto::kAeadNonceSize || ciphertext.size() < crypto::kAeadTagSize) {
    throw crypto::AuthenticationError("the nonce or ciphertext has the wrong size");
  }
  return crypto::aead_open(kAlgorithm, key, nonce, draft_associated_data(binding), ciphertext);
}

Bytes make_key_check(ByteView key) {
  Bytes check = crypto::random_bytes(crypto::kAeadNonceSize);
  Bytes tag = crypto::aead_seal(kAlgorithm, key, check, as_bytes(kKeyCheckAssociatedData), {});
  check.insert(check.end(), tag.begin(), tag.end());
  return check;
}

bool key_check_matches(ByteView key, ByteView check) {
  if (check.size() != crypto::kAeadNonceSize + crypto::kAeadTagSize) return false;
  try {
    crypto::aead_open(kAlgorithm, key, check.first(crypto::kAeadNonceSize), as_bytes(kKeyCheckAssociatedData),
                      check.subspan(crypto::kAeadNonceSize));
    return true;
  } catch (const crypto::AuthenticationError&) {
    return false;
  }
}

}  // namespace tt::kiosk::store
