// libFuzzer target: any bytes given to the survey loader either load or are rejected with a
// SurveyError — never a crash, a hang, a sanitizer report or another exception. A survey that
// loads is also run through a flow to the end, so expressions are evaluated on real answers.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "shared/survey/flow.h"
#include "shared/survey/survey_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::shared_ptr<const tt::survey::Survey> survey;
  try {
    survey = std::make_shared<const tt::survey::Survey>(tt::survey::load_survey_text(text, "fuzz.json"));
  } catch (const tt::survey::SurveyError&) {
    return 0;
  }
  tt::survey::Flow flow(survey);
  flow.start();
  for (int step = 0; step < 200 && flow.state() == tt::survey::Flow::State::AtQuestion; ++step) {
    const tt::survey::Question* q = flow.current();
    try {
      if (q->allow_decline && step % 3 == 0) {
        flow.decline();
      } else if (q->is_numeric()) {
        flow.answer(q->lowest_value());
      } else if (q->type == tt::survey::QuestionType::YesNo) {
        flow.answer(step % 2 == 0);
      } else if (q->type == tt::survey::QuestionType::Single) {
        flow.answer(q->options.front().id);
      } else if (q->type == tt::survey::QuestionType::Multiple && q->max_choices > 0) {
        flow.answer(tt::survey::OptionIds{q->options.front().id});
      } else if (q->type == tt::survey::QuestionType::FreeText) {
        flow.answer(std::string("x"));
      }
      flow.next();
    } catch (const tt::survey::FlowError&) {
      return 0;
    }
  }
  return 0;
}
