// The protocol's strict JSON reading: every malformed body is refused with a message that says
// what and where, and never repeats a value.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "shared/protocol/json_body.h"
#include "shared/protocol/problem.h"

namespace tt::protocol {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string parse_error(std::string_view text) {
  try {
    parse_json_object(text, "the test body");
  } catch (const ProtocolError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(ProtocolJson, AcceptsAnObject) {
  auto j = parse_json_object(R"({"a": 1, "b": {"c": [1, 2, {"d": null}]}})", "the test body");
  EXPECT_EQ(j["a"], 1);
}

TEST(ProtocolJson, RefusesWhatIsNotJsonWithThePlace) {
  EXPECT_EQ(parse_error(R"({"a": 1,})"),
            "the test body is not valid JSON: syntax error while parsing object key - unexpected '}'; expected "
            "string literal (at byte 9)");
  EXPECT_THAT(parse_error(""), HasSubstr("the test body is not valid JSON: "));
  EXPECT_THAT(parse_error(R"({"a": 1} trailing)"), HasSubstr("at byte"));
  EXPECT_THAT(parse_error("{\"a\": \"\xff\"}"), HasSubstr("not valid JSON"));  // not UTF-8
}

TEST(ProtocolJson, RefusesAnotherTypeAtTheTop) {
  EXPECT_EQ(parse_error("[1, 2]"), "the test body must be a JSON object, not an array");
  EXPECT_EQ(parse_error("\"text\""), "the test body must be a JSON object, not a string");
  EXPECT_EQ(parse_error("null"), "the test body must be a JSON object, not null");
}

TEST(ProtocolJson, RefusesAMemberGivenTwice) {
  EXPECT_EQ(parse_error(R"({"sealed": "AAAA", "sealed": "BBBB"})"),
            "the test body has the member \"sealed\" twice in one object");
  EXPECT_EQ(parse_error(R"({"a": {"x": 1, "x": 2}})"), "the test body has the member \"x\" twice in one object");
  // The same name in different objects is fine.
  EXPECT_EQ(parse_error(R"({"x": {"x": 1}, "y": [{"x": 1}, {"x": 2}]})"), "(accepted)");
}

TEST(ProtocolJson, RefusesDeepNesting) {
  std::string deep = "{\"a\":" + std::string(100, '[') + std::string(100, ']') + "}";
  EXPECT_EQ(parse_error(deep), "the test body is nested more than 16 levels deep");
  std::string hostile(1'000'000, '[');  // a body that would grow the parser's stacks
  EXPECT_THAT(parse_error("{\"a\":" + hostile), HasSubstr("nested more than 16 levels"));
}

TEST(ProtocolJson, ReaderNamesThePointerAndNeverTheValue) {
  auto j = parse_json_object(R"({"n": "secret-token-value", "o": {"k": -5}, "b": "!!"})", "the test body");
  JsonReader r(j, "the test body");
  auto message = [&](auto call) -> std::string {
    try {
      call();
    } catch (const ProtocolError& e) {
      return e.what();
    }
    return "(accepted)";
  };
  EXPECT_EQ(message([&] { r.integer("n", 0, 9); }),
            "the test body: /n must be a whole number from 0 to 9, not a string");
  EXPECT_THAT(message([&] { r.integer("n", 0, 9); }), Not(HasSubstr("secret")));
  EXPECT_EQ(message([&] { r.string("missing"); }), "the test body: /missing is missing");
  EXPECT_EQ(message([&] { r.nested(r.object("o"), "o").integer("k", 0, 10); }),
            "the test body: /o/k must be a whole number from 0 to 10");
  EXPECT_EQ(message([&] { r.base64("b"); }), "the test body: /b is not valid base64 (RFC 4648, with padding)");
  EXPECT_EQ(message([&] { r.array("o"); }), "the test body: /o must be an array, not an object");
  EXPECT_EQ(message([&] { r.integer("o", 0, 1); }),
            "the test body: /o must be a whole number from 0 to 1, not an object");
}

TEST(ProtocolJson, ReaderIntegersAtTheEdges) {
  auto j = parse_json_object(R"({"big": 18446744073709551615, "f": 1.5, "max": 9223372036854775807})", "b");
  JsonReader r(j, "b");
  EXPECT_THROW(r.integer("big", 0, INT64_MAX), ProtocolError);
  EXPECT_THROW(r.integer("f", 0, 10), ProtocolError);
  EXPECT_EQ(r.integer("max", 0, INT64_MAX), INT64_MAX);
}

TEST(ProtocolProblem, RoundTripsWithExtensions) {
  Problem p = make_problem(ProblemKind::Unauthenticated, "the request's timestamp is 900 seconds behind");
  p.extensions["server_time"] = 1764839100;
  Problem back = parse_problem(to_json(p));
  EXPECT_EQ(back.status, 401);
  EXPECT_EQ(back.type, "urn:tutortime:problem:unauthenticated");
  EXPECT_EQ(back.title, p.title);
  EXPECT_EQ(back.detail, p.detail);
  EXPECT_EQ(back.extensions["server_time"], 1764839100);
}

TEST(ProtocolProblem, EveryKindHasItsStatus) {
  EXPECT_EQ(make_problem(ProblemKind::MalformedRequest, "").status, 400);
  EXPECT_EQ(make_problem(ProblemKind::AdminTokenRefused, "").status, 401);
  EXPECT_EQ(make_problem(ProblemKind::DeviceRevoked, "").status, 403);
  EXPECT_EQ(make_problem(ProblemKind::EnrolTokenRefused, "").status, 403);
  EXPECT_EQ(make_problem(ProblemKind::NotFound, "").status, 404);
  EXPECT_EQ(make_problem(ProblemKind::MethodNotAllowed, "").status, 405);
  EXPECT_EQ(make_problem(ProblemKind::LengthRequired, "").status, 411);
  EXPECT_EQ(make_problem(ProblemKind::BodyTooLarge, "").status, 413);
  EXPECT_EQ(make_problem(ProblemKind::BatchTooLarge, "").status, 413);
  EXPECT_EQ(make_problem(ProblemKind::UnsupportedMediaType, "").status, 415);
  EXPECT_EQ(make_problem(ProblemKind::ServerError, "").status, 500);
}

TEST(ProtocolProblem, ACaptivePortalPageIsNotAProblem) {
  EXPECT_THROW(parse_problem("<html><body>Please log in to the school Wi-Fi</body></html>"), ProtocolError);
  EXPECT_THROW(parse_problem(R"({"status": 401})"), ProtocolError);  // no type
}

}  // namespace
}  // namespace tt::protocol
