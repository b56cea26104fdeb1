#pragma once
// Opened responses (docs/sealed-response.md) as CSV for a spreadsheet: UTF-8 with a byte-order
// mark (so Excel reads it as UTF-8), CRLF line ends and RFC 4180 quoting; one row per response
// and, per answerable question of the survey in its order, two columns: `q_id` the code as the
// response holds it (an option id, a number, yes/no) and `q_id_label` its English words.
//
// Columns: response_id, survey, version, finished_at, tutor_group, talk_to_someone, pupil_code,
// language, started_at, device_id, flags, then q_id / q_id_label for each question, then
// score_<id> (the score's value) for each score. A question the pupil did not see or skipped is
// empty in both; "I'd rather not say" is `declined` / "I'd rather not say". Several option ids
// (multiple choice) are joined with ";", their labels with "; ".
//
// A text cell that starts with = + - @ or a tab gets a leading apostrophe, so a pupil's free
// text can never run as a spreadsheet formula.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "shared/survey/survey.h"

namespace tt::admin {

inline constexpr const char* kUtf8ByteOrderMark = "\xEF\xBB\xBF";

// One field, quoted when it holds a comma, a quote, CR or LF (quotes doubled).
std::string csv_field(std::string_view value);

class ResponseCsv {
 public:
  explicit ResponseCsv(const survey::Survey& survey) : survey_(survey) {}
  // The header line, CRLF-terminated (without the byte-order mark).
  std::string header() const;
  // One response's plaintext as a line, CRLF-terminated.
  std::string row(const nlohmann::json& response) const;

 private:
  const survey::Survey& survey_;
};

}  // namespace tt::admin
