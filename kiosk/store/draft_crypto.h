#pragma once
// How drafts and the storage-key check value are encrypted (ChaCha20-Poly1305 under the
// 32-byte storage key). Kept apart from SQL so the binding rules are in one short file.
#include <cstdint>
#include <string>

#include "kiosk/store/kiosk_store.h"
#include "shared/common/bytes.h"
#include "shared/crypto/secret.h"

namespace tt::kiosk::store {

inline constexpr std::size_t kStorageKeySize = 32;

// The plaintext columns a draft's ciphertext is bound to.
struct DraftBinding {
  int schema_version = 0;
  DraftId id = 0;
  std::string survey_id;
  std::int64_t survey_version = 0;
  std::string response_id;
};

// "tutortime draft v<schema>\0<id>\0<survey_id>\0<survey_version>\0<response_id>": a ciphertext
// copied to another row, survey, response or schema no longer authenticates.
Bytes draft_associated_data(const DraftBinding& binding);

struct SealedDraft {
  Bytes nonce;       // 12 fresh random bytes for every save
  Bytes ciphertext;  // ciphertext || 16-byte tag
};
SealedDraft seal_draft(ByteView key, const DraftBinding& binding, ByteView plaintext);
// Throws tt::crypto::AuthenticationError if anything does not match.
crypto::SecretBytes open_draft(ByteView key, const DraftBinding& binding, ByteView nonce, ByteView ciphertext);

// The value kept in meta under kKeyCheckName: nonce || AEAD tag over an empty message with a
// constant associated data. It proves a key opens this database without revealing anything.
inline constexpr const char* kKeyCheckName = "storage_key_check";
Bytes make_key_check(ByteView key);
bool key_check_matches(ByteView key, ByteView check);

}  // namespace tt::kiosk::store
