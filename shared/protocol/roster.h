#pragma once
// A roster: the tutor groups of one school, so a teacher opening a class session on a kiosk picks
// the group from a list instead of typing it. Signed by the central team like a survey (a
// detached Ed25519 signature over the file's exact bytes, FILE.sig) and distributed the same way.
//
//   {"format": "tutortime-roster/1", "school": "Hillside Academy", "version": 3,
//    "tutor_groups": ["7A", "7B", "7C"]}
//
// A roster never carries personal data: no pupil names, no pupil codes, no staff names. The
// reader is strict to keep it so: any member other than these four is refused, and a tutor
// group is a short code (1–16 of letters, digits, space, - and /), not a sentence.
//
//   POST /v1/admin/rosters (admin)  {"roster": "<the roster JSON text, verbatim>", "signature": "<base64>"}
//                                 → 201 {"school": "…", "version": 3, "status": "published"}
//                                   200 "already_published" (identical bytes), 409 other bytes
//   GET  /v1/rosters (signed)     → {"rosters": [{"school", "version", "roster", "signature"}]}:
//                                   the latest roster of the device's own school (or none)
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shared/common/bytes.h"

namespace tt::protocol {

inline constexpr const char* kRosterFormat = "tutortime-roster/1";
inline constexpr const char* kAdminRostersPath = "/v1/admin/rosters";
inline constexpr const char* kRostersPath = "/v1/rosters";
inline constexpr std::size_t kMaxTutorGroups = 200;
inline constexpr std::size_t kMaxRosterBytes = 64 * 1024;

struct Roster {
  std::string school;
  std::int64_t version = 0;
  std::vector<std::string> tutor_groups;
};
// Throws ProtocolError saying what is wrong and where ("the roster: /tutor_groups/2 …").
Roster parse_roster(std::string_view text);
// Verifies `signature` over the exact bytes of `text` with the central team's signing key,
// then parses it. Throws ProtocolError when either fails.
Roster verify_signed_roster(std::string_view text, ByteView signature, ByteView signing_public_key);

struct PublishRosterRequest {
  std::string roster;  // the roster's JSON text, exactly the signed bytes
  Bytes signature;     // 64 bytes
};
std::string to_json(const PublishRosterRequest& request);
PublishRosterRequest parse_publish_roster_request(std::string_view body);

struct PublishRosterReply {
  std::string school;
  std::int64_t version = 0;
  bool already_published = false;
};
std::string to_json(const PublishRosterReply& reply);
PublishRosterReply parse_publish_roster_reply(std::string_view body);

struct SignedRoster {
  std::string school;
  std::int64_t version = 0;
  std::string roster;  // verbatim, as signed
  Bytes signature;
  bool operator==(const SignedRoster&) const = default;
};
struct RostersReply {
  std::vector<SignedRoster> rosters;
};
std::string to_json(const RostersReply& reply);
RostersReply parse_rosters_reply(std::string_view body);  // shapes only: the kiosk verifies each

}  // namespace tt::protocol
