// The survey distribution messages (shared/protocol/distribution.h): round trips, the
// definition carried byte for byte, and malformed input refused with a precise reason.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "shared/protocol/distribution.h"
#include "shared/protocol/json_body.h"
#include "shared/protocol/problem.h"
#include "shared/protocol/roster.h"

namespace tt::protocol {
namespace {

using ::testing::HasSubstr;

std::string error_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const ProtocolError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(ProtocolDistribution, PublishRequestKeepsTheDefinitionByteForByte) {
  // Odd spacing, a tab, a non-ASCII letter and no final newline: all must survive.
  PublishSurveyRequest request{"{\"id\":  \"y7\",\t\"title\": \"Ça va\"}", Bytes(64, 0x5a)};
  PublishSurveyRequest back = parse_publish_survey_request(to_json(request));
  EXPECT_EQ(back.definition, request.definition);
  EXPECT_EQ(back.signature, request.signature);
}

TEST(ProtocolDistribution, PublishRequestRefusesAWrongSignatureLengthOrNoDefinition) {
  EXPECT_THAT(error_of([] { parse_publish_survey_request(R"({"definition": "{}", "signature": "AAAA"})"); }),
              HasSubstr("/signature must be the 64-byte Ed25519 signature"));
  EXPECT_THAT(error_of([] { parse_publish_survey_request(R"({"definition": "", "signature": "AAAA"})"); }),
              HasSubstr("/definition is empty"));
  EXPECT_THAT(error_of([] { parse_publish_survey_request(R"({"signature": "AAAA"})"); }),
              HasSubstr("/definition is missing"));
}

TEST(ProtocolDistribution, SurveysReplyRoundTripsAndChecksShapes) {
  SurveysReply reply;
  reply.surveys.push_back({"y7-baseline", 2, "{\"id\": \"y7-baseline\"}", Bytes(64, 1)});
  reply.surveys.push_back({"who5", 1, "{}", Bytes(64, 2)});
  SurveysReply back = parse_surveys_reply(to_json(reply));
  EXPECT_EQ(back.surveys, reply.surveys);
  EXPECT_TRUE(parse_surveys_reply(R"({"surveys": []})").surveys.empty());
  EXPECT_THAT(error_of([] {
                parse_surveys_reply(R"({"surveys": [{"survey_id": "Bad Id", "version": 1,
      "definition": "{}", "signature": ""}]})");
              }),
              HasSubstr("/surveys/0/survey_id must be"));
  EXPECT_THAT(error_of([] { parse_surveys_reply("<html>captive portal</html>"); }), HasSubstr("not valid JSON"));
}

TEST(ProtocolDistribution, PublishReplySaysWhetherItWasNew) {
  EXPECT_FALSE(parse_publish_survey_reply(to_json(PublishSurveyReply{"y7", 1, false})).already_published);
  EXPECT_TRUE(parse_publish_survey_reply(to_json(PublishSurveyReply{"y7", 1, true})).already_published);
  EXPECT_THAT(error_of([] { parse_publish_survey_reply(R"({"survey_id": "y7", "version": 1, "status": "maybe"})"); }),
              HasSubstr("/status must be"));
}

TEST(ProtocolDistribution, NewProblemKinds) {
  EXPECT_EQ(make_problem(ProblemKind::Conflict, "").status, 409);
  EXPECT_STREQ(problem_type(ProblemKind::Conflict), "urn:tutortime:problem:conflict");
  EXPECT_EQ(make_problem(ProblemKind::RateLimited, "").status, 429);
  EXPECT_STREQ(problem_type(ProblemKind::RateLimited), "urn:tutortime:problem:rate-limited");
}

}  // namespace
}  // namespace tt::protocol

namespace tt::protocol {
namespace {

using ::testing::HasSubstr;

std::string roster_error(const std::string& text) {
  try {
    parse_roster(text);
  } catch (const ProtocolError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(ProtocolRoster, ReadsTheTutorGroupsOfOneSchool) {
  Roster r = parse_roster(
      R"({"format": "tutortime-roster/1", "school": "Hillside Academy", "version": 3, "tutor_groups": ["7A", "7B", "7 C/2"]})");
  EXPECT_EQ(r.school, "Hillside Academy");
  EXPECT_EQ(r.version, 3);
  EXPECT_EQ(r.tutor_groups, (std::vector<std::string>{"7A", "7B", "7 C/2"}));
}

TEST(ProtocolRoster, RefusesAnythingThatCouldCarryPersonalData) {
  const std::string head = R"({"format": "tutortime-roster/1", "school": "Hillside", "version": 1, )";
  EXPECT_THAT(roster_error(head + R"("tutor_groups": ["7A"], "pupils": [{"name": "Amy"}]})"),
              HasSubstr("has the member \"pupils\", which a roster does not have"));
  EXPECT_THAT(roster_error(head + R"x("tutor_groups": ["7A (Mrs Khan's group, room B12)"]})x"),
              HasSubstr("/tutor_groups/0 must be a tutor group code"));
  EXPECT_THAT(roster_error(head + R"("tutor_groups": [{"id": "7A"}]})"), HasSubstr("/tutor_groups/0 must be"));
  EXPECT_THAT(roster_error(head + R"("tutor_groups": ["7A", "7A"]})"), HasSubstr("repeats"));
  EXPECT_THAT(roster_error(head + R"("tutor_groups": []})"), HasSubstr("must hold 1 to 200"));
  EXPECT_THAT(roster_error(R"({"format": "tutortime-roster/2", "school": "H", "version": 1, "tutor_groups": ["7A"]})"),
              HasSubstr("/format must be"));
}

TEST(ProtocolRoster, MessagesRoundTrip) {
  RostersReply reply;
  reply.rosters.push_back({"Hillside Academy", 2, "{\"school\": \"Hillside Academy\"}", Bytes(64, 7)});
  EXPECT_EQ(parse_rosters_reply(to_json(reply)).rosters, reply.rosters);
  PublishRosterRequest request{"{ \"a\":1 }", Bytes(64, 9)};
  PublishRosterRequest back = parse_publish_roster_request(to_json(request));
  EXPECT_EQ(back.roster, request.roster);
  EXPECT_EQ(back.signature, request.signature);
  EXPECT_TRUE(parse_publish_roster_reply(to_json(PublishRosterReply{"H", 1, true})).already_published);
}

}  // namespace
}  // namespace tt::protocol
