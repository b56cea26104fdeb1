#pragma once
// POST /v1/batches (signed): a kiosk uploads sealed responses from its outbox, and the server
// says, for each one, what it did.
//
//   request {"responses": [{"response_id": "93a8…", "survey_id": "y7-baseline",
//            "survey_version": 1, "finished_at": "2026-12-04T14:07Z", "sealed": "<base64>"}, …]}
//   reply   {"results": [{"index": 0, "response_id": "93a8…", "status": "stored"},
//            {"index": 1, "response_id": "…", "status": "duplicate"},
//            {"index": 2, "status": "rejected", "reason": "response_id must be 32 lower-case hex digits"}]}
//
// Exactly once (docs/protocol.md): `stored` and `duplicate` both mean "the server has these
// bytes under this id" and the kiosk may forget the response; `rejected` means it is not stored
// (the reason says why) and the kiosk keeps it. The reply has one result per entry, in order.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "shared/common/bytes.h"

namespace tt::protocol {

inline constexpr const char* kBatchesPath = "/v1/batches";
// enc (32) + the AEAD tag (16) + at least one byte of plaintext.
inline constexpr std::size_t kMinSealedBytes = 49;

// One sealed response as it travels: the blob and the clear facts beside it (the same as the
// kiosk's outbox row holds; docs/sealed-response.md).
struct SealedUpload {
  std::string response_id;
  std::string survey_id;
  std::int64_t survey_version = 0;
  std::string finished_at;  // UTC to the minute, "2026-12-04T14:07Z"
  Bytes sealed;             // enc || ciphertext
  bool operator==(const SealedUpload&) const = default;
};

// One entry of an upload as the server read it: a well-formed upload, or why it is not one.
struct BatchEntry {
  std::optional<SealedUpload> upload;
  std::string response_id;  // when the entry has a valid one (even if something else is wrong)
  std::string rejection;    // set when !upload
};

std::string batch_upload_to_json(std::span<const SealedUpload> uploads);
// Throws ProtocolError when the body as a whole is not a batch (not JSON, no "responses"
// array); an entry that is malformed is returned with its rejection, the others are kept.
std::vector<BatchEntry> parse_batch_upload(std::string_view body);

enum class UploadStatus { Stored, Duplicate, Rejected };
const char* upload_status_name(UploadStatus status);  // "stored", "duplicate", "rejected"

struct UploadResult {
  std::size_t index = 0;
  std::string response_id;  // empty when the entry had no valid id
  UploadStatus status = UploadStatus::Rejected;
  std::string reason;  // for Rejected
  bool operator==(const UploadResult&) const = default;
};

std::string batch_reply_to_json(std::span<const UploadResult> results);
// Strict, because a kiosk forgets a response only on this reply's word: a captive portal's page
// or a reply that does not parse is a ProtocolError, not an acknowledgement.
std::vector<UploadResult> parse_batch_reply(std::string_view body);

}  // namespace tt::protocol
