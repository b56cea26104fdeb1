#include "shared/protocol/roster.h"

#include <limits>
#include <set>

#include "shared/crypto/ed25519.h"
#include "shared/protocol/admin.h"
#include "shared/protocol/distribution.h"
#include "shared/protocol/json_body.h"

namespace tt::protocol {

using nlohmann::json;

namespace {

constexpr std::int64_t kMaxVersion = std::numeric_limits<std::int32_t>::max();

bool is_tutor_group(std::string_view g) {
  if (g.empty() || g.size() > 16) return false;
  for (char c : g) {
    bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' ' || c == '-' || c == '/';
    if (!ok) return false;
  }
  return true;
}

std::string read_school(const JsonReader& r) {
  std::string school = r.string("school");
  if (school.empty() || school.size() > kMaxSchoolNameLength) {
    r.fail("school", "must be 1 to " + std::to_string(kMaxSchoolNameLength) + " characters");
  }
  return school;
}

Bytes read_signature(const JsonReader& r) {
  Bytes signature = r.base64("signature");
  if (signature.size() != kSurveySignatureBytes) {
    r.fail("signature",
           "must be the 64-byte Ed25519 signature (FILE.sig), not " + std::to_string(signature.size()) + " bytes");
  }
  return signature;
}

}  // namespace

Roster parse_roster(std::string_view text) {
  const char* what = "the roster";
  if (text.size() > kMaxRosterBytes) {
    throw ProtocolError(std::string(what) + " is larger than " + std::to_string(kMaxRosterBytes) + " bytes");
  }
  json j = parse_json_object(text, what);
  JsonReader r(j, what);
  // Strict, unlike the messages: an unknown member could be personal data a roster must not carry.
  for (auto it = j.begin(); it != j.end(); ++it) {
    static const std::set<std::string> known = {"format", "school", "version", "tutor_groups"};
    if (known.count(it.key()) == 0) {
      throw ProtocolError(std::string(what) + " has the member \"" + it.key().substr(0, 40) +
                          "\", which a roster does not have (format, school, version, tutor_groups only: a roster "
                          "never carries pupils' or staff names)");
    }
  }
  if (r.string("format") != kRosterFormat) r.fail("format", std::string("must be \"") + kRosterFormat + "\"");
  Roster roster;
  roster.school = read_school(r);
  roster.version = r.integer("version", 1, kMaxVersion);
  const json& groups = r.array("tutor_groups");
  if (groups.empty() || groups.size() > kMaxTutorGroups) {
    r.fail("tutor_groups", "must hold 1 to " + std::to_string(kMaxTutorGroups) + " tutor groups");
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    std::string pointer = "tutor_groups/" + std::to_string(i);
    if (!groups[i].is_string() || !is_tutor_group(groups[i].get<std::string>())) {
      throw ProtocolError(std::string(what) + ": /" + pointer +
                          " must be a tutor group code: 1 to 16 of letters, digits, space, - and /");
    }
    if (!seen.insert(groups[i].get<std::string>()).second) {
      throw ProtocolError(std::string(what) + ": /" + pointer + " repeats an earlier tutor group");
    }
    roster.tutor_groups.push_back(groups[i].get<std::string>());
  }
  return roster;
}

Roster verify_signed_roster(std::string_view text, ByteView signature, ByteView signing_public_key) {
  if (signature.size() != crypto::kEd25519SignatureSize ||
      !crypto::ed25519_verify(signing_public_key, as_bytes(text), signature)) {
    throw ProtocolError(
        "the roster has a wrong signature: it was changed after signing, or signed with another key than the "
        "central team's signing key");
  }
  return parse_roster(text);
}

std::string to_json(const PublishRosterRequest& request) {
  return json{{"roster", request.roster}, {"signature", to_base64(request.signature)}}.dump();
}

PublishRosterRequest parse_publish_roster_request(std::string_view body) {
  const char* what = "the roster to publish";
  json j = parse_json_object(body, what);
  JsonReader r(j, what);
  PublishRosterRequest request;
  request.roster = r.string("roster");
  if (request.roster.empty()) r.fail("roster", "is empty");
  request.signature = read_signature(r);
  return request;
}

std::string to_json(const PublishRosterReply& reply) {
  return json{{"school", reply.school},
              {"version", reply.version},
              {"status", reply.already_published ? "already_published" : "published"}}
      .dump();
}

PublishRosterReply parse_publish_roster_reply(std::string_view body) {
  const char* what = "the roster publish reply";
  json j = parse_json_object(body, what);
  JsonReader r(j, what);
  PublishRosterReply reply;
  reply.school = r.string("school");
  reply.version = r.integer("version", 1, kMaxVersion);
  std::string status = r.string("status");
  if (status != "published" && status != "already_published") {
    r.fail("status", "must be \"published\" or \"already_published\"");
  }
  reply.already_published = status == "already_published";
  return reply;
}

std::string to_json(const RostersReply& reply) {
  json rosters = json::array();
  for (const SignedRoster& s : reply.rosters) {
    rosters.push_back(
        {{"school", s.school}, {"version", s.version}, {"roster", s.roster}, {"signature", to_base64(s.signature)}});
  }
  return json{{"rosters", std::move(rosters)}}.dump();
}

RostersReply parse_rosters_reply(std::string_view body) {
  const char* what = "the rosters reply";
  json j = parse_json_object(body, what);
  JsonReader top(j, what);
  RostersReply reply;
  const json& rosters = top.array("rosters");
  for (std::size_t i = 0; i < rosters.size(); ++i) {
    JsonReader r = top.nested(rosters[i], "rosters/" + std::to_string(i));
    SignedRoster s;
    s.school = read_school(r);
    s.version = r.integer("version", 1, kMaxVersion);
    s.roster = r.string("roster");
    s.signature = read_signature(r);
    reply.rosters.push_back(std::move(s));
  }
  return reply;
}

}  // namespace tt::protocol
