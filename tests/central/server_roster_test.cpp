// Roster distribution on the real server: tutortime-admin roster sign and publish, GET
// /v1/rosters hands a device its own school's latest roster only, and a roster that is tampered
// with, unsigned or carries more than tutor groups is refused.
#include "shared/crypto/ed25519.h"
#include "shared/protocol/roster.h"
#include "tests/central/admin_tool_fixture.h"

namespace tt::central::testing {
namespace {

using ::testing::HasSubstr;

class RosterDistributionTest : public AdminToolTest {
 protected:
  static std::string roster_text(const std::string& school, int version, const std::string& groups) {
    return R"({"format": "tutortime-roster/1", "school": ")" + school + R"(", "version": )" + std::to_string(version) +
           R"(, "tutor_groups": )" + groups + "}\n";
  }
  httplib::Result publish(const std::string& text, const Bytes& signature) {
    return post_json(protocol::kAdminRostersPath, protocol::to_json(protocol::PublishRosterRequest{text, signature}),
                     admin_headers());
  }
  Bytes sign(const std::string& text) const {
    return crypto::ed25519_sign(signing_keys_.private_key.view(), as_bytes(text));
  }
  protocol::RostersReply fetch(const TestDevice& device) {
    auto r = client()->Get(protocol::kRostersPath, signed_headers(device, "GET", protocol::kRostersPath, ""));
    EXPECT_TRUE(r);
    if (!r) return {};
    EXPECT_EQ(r->status, 200) << r->body;
    return protocol::parse_rosters_reply(r->body);
  }
};

TEST_F(RosterDistributionTest, PublishedWithTheToolAndHandedToThatSchoolsKiosksOnly) {
  fs::path file = dir_ / "hillside.roster.json";
  std::string text = roster_text("Hillside Academy", 1, R"(["7A", "7B", "7C"])");
  std::ofstream(file, std::ios::binary) << text;
  ProcessResult signed_run = admin({"roster", "sign", file.string(), "--key", signing_key_file().string()}, false);
  ASSERT_EQ(signed_run.exit_code, 0) << signed_run;
  ProcessResult published = admin({"roster", "publish", file.string()});
  ASSERT_EQ(published.exit_code, 0) << published;
  EXPECT_THAT(published.out, HasSubstr("Published: Hillside Academy version 1: 3 tutor groups"));
  EXPECT_THAT(admin({"roster", "publish", file.string()}).out, HasSubstr("Already published"));

  protocol::RostersReply mine = fetch(enrolled_device("Hillside Academy"));
  ASSERT_EQ(mine.rosters.size(), 1u);
  EXPECT_EQ(mine.rosters[0].roster, text) << "verbatim";
  // What the kiosk does with it: verify with the signing key from enrolment, then read.
  protocol::Roster roster =
      protocol::verify_signed_roster(mine.rosters[0].roster, mine.rosters[0].signature, signing_keys_.public_key);
  EXPECT_EQ(roster.tutor_groups, (std::vector<std::string>{"7A", "7B", "7C"}));
  EXPECT_TRUE(fetch(enrolled_device("Riverside School")).rosters.empty()) << "another school's roster is not theirs";
}

TEST_F(RosterDistributionTest, TheLatestVersionWinsAndAChangedVersionIsAConflict) {
  std::string v1 = roster_text("Hillside Academy", 1, R"(["7A"])");
  std::string v2 = roster_text("Hillside Academy", 2, R"(["7A", "7B"])");
  for (const std::string& text : {v2, v1}) {
    auto r = publish(text, sign(text));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 201) << r->body;
  }
  std::string changed = roster_text("Hillside Academy", 2, R"(["7A", "7Z"])");
  expect_problem(publish(changed, sign(changed)), protocol::ProblemKind::Conflict, "new version");
  protocol::RostersReply reply = fetch(enrolled_device("Hillside Academy"));
  ASSERT_EQ(reply.rosters.size(), 1u);
  EXPECT_EQ(reply.rosters[0].version, 2);
  EXPECT_EQ(reply.rosters[0].roster, v2);
}

TEST_F(RosterDistributionTest, TamperedWronglySignedOrPersonalRostersAreRefused) {
  std::string text = roster_text("Hillside Academy", 1, R"(["7A"])");
  std::string tampered = roster_text("Hillside Academy", 1, R"(["7B"])");
  expect_problem(publish(tampered, sign(text)), protocol::ProblemKind::MalformedRequest, "wrong signature");
  auto other = crypto::ed25519_generate();
  expect_problem(publish(text, crypto::ed25519_sign(other.private_key.view(), as_bytes(text))),
                 protocol::ProblemKind::MalformedRequest, "wrong signature");
  std::string names = R"({"format": "tutortime-roster/1", "school": "Hillside Academy", "version": 1,
    "tutor_groups": ["7A"], "pupils": ["Amy Smith"]})";
  expect_problem(publish(names, sign(names)), protocol::ProblemKind::MalformedRequest, "never carries");
  expect_problem(
      post_json(protocol::kAdminRostersPath, protocol::to_json(protocol::PublishRosterRequest{text, sign(text)})),
      protocol::ProblemKind::AdminTokenRefused);
  EXPECT_TRUE(fetch(enrolled_device("Hillside Academy")).rosters.empty());
  expect_problem(client()->Get(protocol::kRostersPath), protocol::ProblemKind::Unauthenticated);
}

}  // namespace
}  // namespace tt::central::testing
