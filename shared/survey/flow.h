#pragma once
// The survey flow: a pure, deterministic state machine over one pupil's pass through a survey.
// It knows nothing of screens, storage or time; the kiosk draws from it and sends it intents,
// the store saves what to_json() gives after every change.
//
//             start()                 next() on the last visible question
//  NotStarted ───────▶ AtQuestion(i) ───────────────────────────────────▶ AtEnd
//                      │  ▲   ▲  │ next()/back(): to the next/previous        │  │
//                      │  │   └──┘ visible question                          │  │ finish()
//                      │  └──────────────────────── back() ──────────────────┘  ▼
//                      │                                                    Finished
//                      └ answer()/decline()/clear(): stays at i, drops the answers of later
//                        questions that the change hid
//
// What holds in each state:
//  - NotStarted: no answers.
//  - AtQuestion(i): question i is visible (its section's and its own show_if are true for the
//    answers given), every visible question before i that is required has an answer (a value,
//    or "I'd rather not say" where offered); no hidden question has an answer.
//  - AtEnd: as AtQuestion, for every visible question; the pupil can still go back.
//  - Finished: as AtEnd, and no intent changes anything any more (they throw FlowError).
// Visibility only ever depends on earlier questions (the loader checks), so one pass in
// document order after each change settles every question.
#include <cstddef>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "shared/common/error.h"
#include "shared/survey/survey.h"

namespace tt::survey {

class FlowError : public Error {
 public:
  enum class Kind {
    WrongState,          // e.g. answer() before start() or after finish()
    InvalidAnswer,       // the value does not fit the current question
    DeclineNotOffered,   // decline() on a question without "I'd rather not say"
    RequiredUnanswered,  // next() past a required question with no answer
    AtFirstQuestion,     // back() on the first visible question
    BadDraft,            // from_json(): the saved state does not fit this survey
  };
  FlowError(Kind kind, const std::string& message) : Error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

struct FlowProgress {
  std::size_t position = 0;  // 1-based among visible questions; 0 before start, total+1 at the end
  std::size_t total = 0;     // visible questions (info screens included), for the answers so far
};

class Flow {
 public:
  enum class State { NotStarted, AtQuestion, AtEnd, Finished };

  explicit Flow(std::shared_ptr<const Survey> survey);

  const Survey& survey() const { return *survey_; }
  State state() const { return state_; }
  // The question on screen; nullptr unless AtQuestion.
  const Question* current() const;
  std::size_t current_index() const { return index_; }
  FlowProgress progress() const;
  const Answers& answers() const { return answers_; }
  const Answer* answer_of(const std::string& question_id) const;
  bool is_visible(std::size_t question_index) const;
  // True when next() would succeed now (the UI enables its button from this).
  bool can_go_next() const;
  bool can_go_back() const;

  // Intents. Each either does all it says or throws FlowError and changes nothing.
  void start();
  void answer(const Answer& value);  // Declined is accepted only where offered
  void decline();
  void clear();  // removes the current question's answer
  void next();
  void back();
  // From AtEnd, or from the last visible question (as next() then finish()).
  void finish();

  // The whole state, exactly: restoring it gives a Flow equal in every observable way.
  nlohmann::json to_json() const;
  static Flow from_json(std::shared_ptr<const Survey> survey, const nlohmann::json& state);

 private:
  void require_state(State expected, const char* intent) const;
  void drop_hidden_answers();
  std::optional<std::size_t> next_visible(std::size_t after) const;
  std::optional<std::size_t> previous_visible(std::size_t before) const;
  std::optional<std::size_t> first_visible() const;
  const Question& question_at(std::size_t i) const { return *survey_->questions()[i].question; }

  std::shared_ptr<const Survey> survey_;
  State state_ = State::NotStarted;
  std::size_t index_ = 0;
  Answers answers_;
};

const char* flow_state_name(Flow::State state);

}  // namespace tt::survey
