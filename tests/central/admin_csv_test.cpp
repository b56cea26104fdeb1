// The export's CSV (sync/admin/response_csv.h) on a small survey: RFC 4180 quoting, a code and
// a label column per question, formulas defused, and the columns the same for every row.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "shared/survey/survey_loader.h"
#include "sync/admin/response_csv.h"

namespace tt::admin {
namespace {

using nlohmann::json;

constexpr const char* kSurvey = R"({
  "format": 1, "id": "tiny", "version": 3, "title": "Tiny", "languages": ["en"],
  "audience": {"year_groups": [7]}, "identity": "anonymous", "end_message": "Thanks",
  "safeguarding": {"offer_talk_button": true, "signpost": "Ask an adult.", "alerts": []},
  "sections": [{"id": "s", "title": "S", "category": "wellbeing", "questions": [
    {"id": "mood", "type": "feelings", "text": "How do you feel?", "allow_decline": true},
    {"id": "agree", "type": "scale", "points": 3, "first_value": 1, "text": "Agree?",
     "labels": ["No", "Maybe", "Yes"]},
    {"id": "pets", "type": "multiple", "text": "Pets?",
     "options": [{"id": "cat", "label": "A cat"}, {"id": "dog", "label": "A dog, or two"}]},
    {"id": "club", "type": "yes_no", "text": "Club?"},
    {"id": "say", "type": "text", "max_length": 200, "text": "Anything else?"}]}]
})";

TEST(ResponseCsv, FieldsAreQuotedOnlyWhenTheyMustBe) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field(""), "");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field("cr\r"), "\"cr\r\"");
}

TEST(ResponseCsv, HeaderAndRowsHaveACodeAndALabelPerQuestion) {
  survey::Survey s = survey::load_survey_text(kSurvey, "tiny.json");
  ResponseCsv csv(s);
  EXPECT_EQ(csv.header(),
            "response_id,survey,version,finished_at,tutor_group,talk_to_someone,pupil_code,language,started_at,"
            "device_id,flags,mood,mood_label,agree,agree_label,pets,pets_label,club,club_label,say,say_label\r\n");
  json response = {{"response_id", "93a86a469771626c804cb1b0fcdd1871"},
                   {"survey", {{"id", "tiny"}, {"version", 3}}},
                   {"finished_at", "2026-12-04T14:07Z"},
                   {"started_at", "2026-12-04T14:05Z"},
                   {"language", "en"},
                   {"tutor_group", "7B"},
                   {"identity", {{"mode", "anonymous"}}},
                   {"talk_to_someone", true},
                   {"flags", {"low_mood", "wants_to_talk"}},
                   {"answers",
                    {{"mood", {{"declined", true}}},
                     {"agree", 2},
                     {"pets", {"cat", "dog"}},
                     {"club", false},
                     {"say", "=HYPERLINK(\"x\")"}}}};
  EXPECT_EQ(csv.row(response),
            "93a86a469771626c804cb1b0fcdd1871,tiny,3,2026-12-04T14:07Z,7B,yes,,en,2026-12-04T14:05Z,,"
            "low_mood;wants_to_talk,declined,I'd rather not say,2,Maybe,cat;dog,\"A cat; A dog, or two\",no,No,"
            "\"'=HYPERLINK(\"\"x\"\")\",\"'=HYPERLINK(\"\"x\"\")\"\r\n");
  json feeling = {{"response_id", "x"}, {"answers", {{"mood", 5}}}};
  std::string row = csv.row(feeling);
  EXPECT_THAT(row, ::testing::HasSubstr(",5,Very happy,,,,,,,,\r\n")) << row;
}

}  // namespace
}  // namespace tt::admin
