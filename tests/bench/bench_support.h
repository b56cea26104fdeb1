#pragma once
// Helpers the benchmarks share: a deterministic "pupil" that gives a valid, varied answer to any
// question, and a scripted pass through a whole survey. Benchmarks only: not used by the product.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

#include "shared/common/error.h"
#include "shared/survey/flow.h"
#include "shared/survey/survey.h"

namespace tt::bench {

// A valid answer to `question` for pupil number `pupil` (varies with the pupil and the question,
// so follow-up questions are sometimes shown and sometimes hidden). nullopt for info screens.
inline std::optional<survey::Answer> pick_answer(const survey::Question& question, std::uint64_t pupil) {
  using survey::QuestionType;
  std::uint64_t h = pupil * 0x9E3779B97F4A7C15ULL;
  for (char c : question.id) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001B3ULL;
  h ^= h >> 29;
  std::optional<survey::Answer> answer;
  switch (question.type) {
    case QuestionType::Info: return std::nullopt;
    case QuestionType::Feelings:
    case QuestionType::Scale:
    case QuestionType::Number: {
      std::int64_t low = question.lowest_value();
      std::int64_t span = question.highest_value() - low + 1;
      answer = low + static_cast<std::int64_t>(h % static_cast<std::uint64_t>(span > 0 ? span : 1));
      break;
    }
    case QuestionType::YesNo: answer = (h % 3) != 0; break;
    case QuestionType::Single: answer = question.options[h % question.options.size()].id; break;
    case QuestionType::Multiple: {
      std::size_t n = question.options.size();
      std::size_t want = question.max_choices > 0 ? std::min<std::size_t>(2, question.max_choices) : 2;
      want = std::max<std::size_t>(want, static_cast<std::size_t>(question.min_choices));
      survey::OptionIds ids;
      for (std::size_t i = 0; i < want && i < n; ++i) ids.push_back(question.options[(h + 3 * i) % n].id);
      answer = question.normalise(ids);
      if (!question.check_answer(*answer).empty()) answer = survey::OptionIds{question.options[h % n].id};
      break;
    }
    case QuestionType::FreeText: {
      std::string text = (h % 2) != 0 ? "A vet, because I love animals and I help at the farm"
                                      : "I like art club on Tuesdays and football after school";
      if (question.max_length > 0 && text.size() > static_cast<std::size_t>(question.max_length))
        text.resize(static_cast<std::size_t>(question.max_length));
      answer = text;
      break;
    }
  }
  if (answer && question.check_answer(*answer).empty()) return answer;
  if (question.allow_decline) return survey::Answer{survey::Declined{}};
  throw Error("bench: no valid answer for question " + question.id);
}

// Drives `flow` (started) to AtEnd, answering every question on the way.
inline void answer_all(survey::Flow& flow, std::uint64_t pupil) {
  while (flow.state() == survey::Flow::State::AtQuestion) {
    if (auto a = pick_answer(*flow.current(), pupil)) flow.answer(*a);
    flow.next();
  }
}

}  // namespace tt::bench
