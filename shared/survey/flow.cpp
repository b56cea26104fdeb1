#include "shared/survey/flow.h"

namespace tt::survey {

const char* flow_state_name(Flow::State state) {
  switch (state) {
    case Flow::State::NotStarted: return "not_started";
    case Flow::State::AtQuestion: return "at_question";
    case Flow::State::AtEnd: return "at_end";
    case Flow::State::Finished: return "finished";
  }
  return "not_started";
}

Flow::Flow(std::shared_ptr<const Survey> survey) : survey_(std::move(survey)) {
  if (!survey_) throw Error("a flow needs a survey");
}

const Question* Flow::current() const {
  return state_ == State::AtQuestion ? &question_at(index_) : nullptr;
}

const Answer* Flow::answer_of(const std::string& question_id) const {
  auto it = answers_.find(question_id);
  return it == answers_.end() ? nullptr : &it->second;
}

bool Flow::is_visible(std::size_t question_index) const {
  const auto& ref = survey_->questions().at(question_index);
  auto lookup = [this](std::string_view id) -> const Answer* {
    auto it = answers_.find(id);
    return it == answers_.end() ? nullptr : &it->second;
  };
  if (!ref.section->show_if.empty() && !ref.section->show_if.evaluate(lookup)) return false;
  return ref.question->show_if.empty() || ref.question->show_if.evaluate(lookup);
}

std::optional<std::size_t> Flow::next_visible(std::size_t after) const {
  for (std::size_t i = after + 1; i < survey_->questions().size(); ++i) {
    if (is_visible(i)) return i;
  }
  return std::nullopt;
}

std::optional<std::size_t> Flow::previous_visible(std::size_t before) const {
  for (std::size_t i = before; i-- > 0;) {
    if (is_visible(i)) return i;
  }
  return std::nullopt;
}

std::optional<std::size_t> Flow::first_visible() const {
  for (std::size_t i = 0; i < survey_->questions().size(); ++i) {
    if (is_visible(i)) return i;
  }
  return std::nullopt;
}

FlowProgress Flow::progress() const {
  FlowProgress p;
  for (std::size_t i = 0; i < survey_->questions().size(); ++i) {
    if (!is_visible(i)) continue;
    ++p.total;
    if (state_ == State::AtQuestion && i <= index_) p.position = p.total;
  }
  if (state_ == State::AtEnd || state_ == State::Finished) p.position = p.total + 1;
  return p;
}

void Flow::require_state(State expected, const char* intent) const {
  if (state_ == expected) return;
  if (state_ == State::Finished)
    throw FlowError(FlowError::Kind::WrongState, std::string(intent) + ": the survey is already finished");
  if (state_ == State::NotStarted)
    throw FlowError(FlowError::Kind::WrongState, std::string(intent) + ": the survey has not started");
  if (state_ == State::AtEnd) {
    throw FlowError(FlowError::Kind::WrongState,
                    std::string(intent) + ": there are no more questions (go back, or finish)");
  }
  throw FlowError(FlowError::Kind::WrongState,
                  std::string(intent) + ": not possible at question " + question_at(index_).id);
}

void Flow::start() {
  require_state(State::NotStarted, "start");
  auto first = first_visible();
  if (!first) {
    state_ = State::AtEnd;
    return;
  }
  index_ = *first;
  state_ = State::AtQuestion;
}

void Flow::drop_hidden_answers() {
  // Earlier questions only: so visiting in order sees each question's final visibility.
  for (std::size_t i = 0; i < survey_->questions().size(); ++i) {
    const Question& q = question_at(i);
    if (answers_.count(q.id) != 0 && !is_visible(i)) answers_.erase(q.id);
  }
}

void Flow::answer(const Answer& value) {
  require_state(State::AtQuestion, "answer");
  const Question& q = question_at(index_);
  if (is_declined(value) && !q.allow_decline) {
    throw FlowError(FlowError::Kind::DeclineNotOffered, "question " + q.id + " does not offer \"I'd rather not say\"");
  }
  std::string problem = q.check_answer(value);
  if (!problem.empty()) throw FlowError(FlowError::Kind::InvalidAnswer, problem);
  answers_[q.id] = q.normalise(value);
  drop_hidden_answers();
}

void Flow::decline() {
  answer(Declined{});
}

void Flow::clear() {
  require_state(State::AtQuestion, "clear");
  answers_.erase(question_at(index_).id);
  drop_hidden_answers();
}

bool Flow::can_go_next() const {
  if (state_ != State::AtQuestion) return false;
  const Question& q = question_at(index_);
  return !q.required || answers_.count(q.id) != 0;
}

bool Flow::can_go_back() const {
  if (state_ == State::AtQuestion) return previous_visible(index_).has_value();
  return state_ == State::AtEnd && first_visible().has_value();
}

void Flow::next() {
  require_state(State::AtQuestion, "next");
  const Question& q = question_at(index_);
  if (!can_go_next()) {
    throw FlowError(FlowError::Kind::RequiredUnanswered, "question " + q.id + " needs an answer before going on" +
                                                             (q.allow_decline ? " (or \"I'd rather not say\")" : ""));
  }
  auto following = next_visible(index_);
  if (following) {
    index_ = *following;
  } else {
    state_ = State::AtEnd;
  }
}

void Flow::back() {
  if (state_ == State::AtEnd) {
    auto last = previous_visible(survey_->questions().size());
    if (!last) throw FlowError(FlowError::Kind::AtFirstQuestion, "back: there is no question to go back to");
    index_ = *last;
    state_ = State::AtQuestion;
    return;
  }
  require_state(State::AtQuestion, "back");
  auto previous = previous_visible(index_);
  if (!previous) throw FlowError(FlowError::Kind::AtFirstQuestion, "back: this is the first question");
  index_ = *previous;
}

void Flow::finish() {
  if (state_ == State::AtQuestion) {
    if (next_visible(index_)) {
      throw FlowError(FlowError::Kind::WrongState, "finish: there are more questions after " + question_at(index_).id);
    }
    next();
  }
  require_state(State::AtEnd, "finish");
  state_ = State::Finished;
}

nlohmann::json Flow::to_json() const {
  nlohmann::json answers = nlohmann::json::object();
  for (const auto& [id, value] : answers_) answers[id] = answer_to_json(value);
  nlohmann::json out = {{"state", flow_state_name(state_)}, {"answers", answers}};
  if (state_ == State::AtQuestion) out["question"] = question_at(index_).id;
  return out;
}

Flow Flow::from_json(std::shared_ptr<const Survey> survey, const nlohmann::json& state) {
  Flow flow(std::move(survey));
  auto bad = [](const std::string& why) { return FlowError(FlowError::Kind::BadDraft, "saved survey state: " + why); };
  if (!state.is_object() || !state.contains("state") || !state["state"].is_string() || !state.contains("answers") ||
      !state["answers"].is_object()) {
    throw bad("expected an object with \"state\" and \"answers\"");
  }
  const std::string word = state["state"].get<std::string>();
  for (const auto& [id, value] : state["answers"].items()) {
    const Question* q = flow.survey_->question(id);
    if (q == nullptr) throw bad("answer to \"" + id + "\", which is not a question of this survey");
    Answer a;
    try {
      a = answer_from_json(value);
    } catch (const Error& e) {
      throw bad("answer to " + id + ": " + e.what());
    }
    std::string problem = q->check_answer(a);
    if (!problem.empty()) throw bad(problem);
    flow.answers_[id] = q->normalise(a);
  }
  // Answers that the restored answers hide cannot have been saved by a correct flow.
  for (std::size_t i = 0; i < flow.survey_->questions().size(); ++i) {
    if (flow.answers_.count(flow.question_at(i).id) != 0 && !flow.is_visible(i)) {
      throw bad("question " + flow.question_at(i).id + " has an answer but is hidden by the other answers");
    }
  }
  if (word == "not_started") {
    if (!flow.answers_.empty()) throw bad("answers before the survey started");
    return flow;
  }
  if (word == "at_end" || word == "finished") {
    flow.state_ = word == "at_end" ? State::AtEnd : State::Finished;
    if (auto last = flow.previous_visible(flow.survey_->questions().size())) flow.index_ = *last;
    return flow;
  }
  if (word != "at_question") throw bad("unknown state \"" + word + "\"");
  if (!state.contains("question") || !state["question"].is_string()) throw bad("no current question");
  auto index = flow.survey_->index_of(state["question"].get<std::string>());
  if (!index) throw bad("the current question \"" + state["question"].get<std::string>() + "\" is not in this survey");
  if (!flow.is_visible(*index))
    throw bad("the current question " + state["question"].get<std::string>() + " is hidden");
  flow.index_ = *index;
  flow.state_ = State::AtQuestion;
  return flow;
}

}  // namespace tt::survey
