#pragma once
// The headless pupil script of `tutortime-kiosk run --headless --script FILE`: one action a line.
//   answer QID VALUE   a number, yes/no, an option id, a list "[a, b]" (or "a,b") for multiple
//                      choice, a "quoted string" for text (\" and \\ escape)
//   decline QID        "I'd rather not say"
//   clear QID          take the answer back
//   next | back | finish
//   talk-to-someone    the pupil asks to talk to an adult (marks the response for the DSL)
// Blank lines and lines starting with # are ignored. finish, when present, must be the last action.
#include <cstddef>
#include <string>
#include <vector>

#include "shared/common/error.h"
#include "shared/survey/answer.h"
#include "shared/survey/survey.h"

namespace tt::kiosk {

struct ScriptAction {
  enum class Kind { Answer, Decline, Clear, Next, Back, Finish, TalkToSomeone } kind = Kind::Next;
  std::size_t line = 0;
  std::string question_id;  // Answer, Decline, Clear
  std::string raw_value;    // Answer: as written, interpreted against the question at run time
};

class ScriptError : public Error {
 public:
  using Error::Error;
};

// Throws ScriptError("line 4: unknown action \"anwser\"; expected answer, decline, …").
std::vector<ScriptAction> parse_pupil_script(const std::string& text);

// Reads `raw` as an answer to `question`. Throws ScriptError naming what was expected (never
// repeating the value).
survey::Answer interpret_script_value(const survey::Question& question, const std::string& raw);

}  // namespace tt::kiosk
