// The flow engine: start, answer, decline, next, back, progress over visible questions,
// completion, back-and-change dropping hidden answers, and exact save/restore.
#include "shared/survey/flow.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

#include "shared/survey/scoring.h"
#include "shared/survey/survey_loader.h"

using tt::survey::Answer;
using tt::survey::Declined;
using tt::survey::Flow;
using tt::survey::FlowError;
using tt::survey::OptionIds;

namespace {

std::shared_ptr<const tt::survey::Survey> survey() {
  static auto s = std::make_shared<const tt::survey::Survey>(tt::survey::load_survey_text(R"json({
    "format": 1, "id": "flow-test", "version": 1, "title": "Flow", "languages": ["en"],
    "audience": {"year_groups": [7]}, "identity": "anonymous",
    "sections": [
      {"id": "a", "title": "A", "category": "wellbeing", "questions": [
        {"id": "hello", "type": "info", "text": "Hi"},
        {"id": "mood", "type": "feelings", "text": "Mood?", "required": true},
        {"id": "clubs", "type": "yes_no", "text": "Clubs?"},
        {"id": "which", "type": "multiple", "text": "Which?", "show_if": "clubs == true",
         "options": [{"id": "music", "label": "Music"}, {"id": "sport", "label": "Sport"},
                     {"id": "art", "label": "Art"}], "max_choices": 2},
        {"id": "sport_more", "type": "text", "text": "Which sport?", "max_length": 40,
         "show_if": "\"sport\" in which"},
        {"id": "home", "type": "single", "text": "Home?", "sensitive": true,
         "options": [{"id": "good", "label": "Good"}, {"id": "bad", "label": "Bad"}]}
      ]},
      {"id": "b", "title": "B", "category": "pshe", "show_if": "not declined(home)", "questions": [
        {"id": "safe", "type": "scale", "text": "Safe?", "points": 4, "min_label": "No", "max_label": "Yes"}
      ]}
    ],
    "scores": [{"id": "m", "label": "M", "method": "sum", "items": ["mood", "safe"], "scale": 10,
                "thresholds": [{"flag": "low", "below": 3}]}],
    "end_message": "Bye",
    "safeguarding": {"alerts": [{"id": "unsafe", "when": "safe == 0", "reason": "Feels unsafe"}]}
  })json",
                                                                                          "flow-test.json"));
  return s;
}

std::string current_id(const Flow& f) {
  return f.current() != nullptr ? f.current()->id : "-";
}

TEST(Flow, StartsAtTheFirstVisibleQuestion) {
  Flow f(survey());
  EXPECT_EQ(f.state(), Flow::State::NotStarted);
  EXPECT_EQ(f.current(), nullptr);
  EXPECT_THROW(f.next(), FlowError);
  f.start();
  EXPECT_EQ(f.state(), Flow::State::AtQuestion);
  EXPECT_EQ(current_id(f), "hello");
  EXPECT_THROW(f.start(), FlowError);
}

TEST(Flow, WalksThroughVisibleQuestionsOnly) {
  Flow f(survey());
  f.start();
  f.next();  // past the info screen
  EXPECT_EQ(current_id(f), "mood");
  f.answer(std::int64_t{4});
  f.next();
  f.answer(false);  // no clubs: which and sport_more are hidden
  f.next();
  EXPECT_EQ(current_id(f), "home");
  f.answer(std::string("good"));
  f.next();
  EXPECT_EQ(current_id(f), "safe");
  f.answer(std::int64_t{3});
  f.next();
  EXPECT_EQ(f.state(), Flow::State::AtEnd);
  f.finish();
  EXPECT_EQ(f.state(), Flow::State::Finished);
  EXPECT_THROW(f.back(), FlowError);
  EXPECT_THROW(f.answer(std::int64_t{1}), FlowError);
}

TEST(Flow, RequiredQuestionBlocksNext) {
  Flow f(survey());
  f.start();
  f.next();
  EXPECT_FALSE(f.can_go_next());
  try {
    f.next();
    FAIL();
  } catch (const FlowError& e) {
    EXPECT_EQ(e.kind(), FlowError::Kind::RequiredUnanswered);
    EXPECT_THAT(e.what(), testing::HasSubstr("mood needs an answer"));
  }
  EXPECT_EQ(current_id(f), "mood");
}

TEST(Flow, RejectsAnswersThatDoNotFit) {
  Flow f(survey());
  f.start();
  f.next();
  EXPECT_THROW(f.answer(std::int64_t{6}), FlowError);
  EXPECT_THROW(f.answer(true), FlowError);
  EXPECT_THROW(f.answer(std::string("4")), FlowError);
  try {
    f.decline();
    FAIL();
  } catch (const FlowError& e) {
    EXPECT_EQ(e.kind(), FlowError::Kind::DeclineNotOffered);
  }
  EXPECT_TRUE(f.answers().empty());
  f.answer(std::int64_t{1});
  f.next();
  f.answer(true);
  f.next();
  EXPECT_EQ(current_id(f), "which");
  EXPECT_THROW(f.answer(OptionIds{"music", "sport", "art"}), FlowError);  // max 2
  EXPECT_THROW(f.answer(OptionIds{"chess"}), FlowError);
  f.answer(OptionIds{"sport", "music", "sport"});
  EXPECT_EQ(std::get<OptionIds>(*f.answer_of("which")), (OptionIds{"music", "sport"}));  // option order, no repeats
}

TEST(Flow, DeclineCountsAsAnswerAndHidesASection) {
  Flow f(survey());
  f.start();
  f.next();
  f.answer(std::int64_t{2});
  f.next();
  f.next();  // clubs is optional
  EXPECT_EQ(current_id(f), "home");
  f.decline();
  EXPECT_TRUE(tt::survey::is_declined(*f.answer_of("home")));
  f.next();
  EXPECT_EQ(f.state(), Flow::State::AtEnd);  // section b is hidden by not declined(home)
  EXPECT_EQ(f.progress().total, 4u);
}

TEST(Flow, BackAndChangeDropsAnswersThatBecomeHidden) {
  Flow f(survey());
  f.start();
  f.next();
  f.answer(std::int64_t{5});
  f.next();
  f.answer(true);
  f.next();
  f.answer(OptionIds{"sport"});
  f.next();
  EXPECT_EQ(current_id(f), "sport_more");
  f.answer(std::string("Football"));
  f.next();
  f.answer(std::string("good"));
  f.next();
  f.answer(std::int64_t{2});
  // Go back to clubs and say no: which and sport_more must lose their answers.
  f.back();
  f.back();
  f.back();
  f.back();
  EXPECT_EQ(current_id(f), "clubs");
  EXPECT_NE(f.answer_of("sport_more"), nullptr);
  f.answer(false);
  EXPECT_EQ(f.answer_of("which"), nullptr);
  EXPECT_EQ(f.answer_of("sport_more"), nullptr);
  EXPECT_NE(f.answer_of("home"), nullptr);  // not dependent: kept
  EXPECT_NE(f.answer_of("safe"), nullptr);
  f.next();
  EXPECT_EQ(current_id(f), "home");  // hidden questions are skipped on the way forward too
}

TEST(Flow, ChangingAMultipleChoiceHidesItsFollowUp) {
  Flow f(survey());
  f.start();
  f.next();
  f.answer(std::int64_t{3});
  f.next();
  f.answer(true);
  f.next();
  f.answer(OptionIds{"sport", "art"});
  f.next();
  f.answer(std::string("Netball"));
  f.back();
  f.answer(OptionIds{"art"});
  EXPECT_EQ(f.answer_of("sport_more"), nullptr);
  f.next();
  EXPECT_EQ(current_id(f), "home");
}

TEST(Flow, ProgressCountsVisibleQuestions) {
  Flow f(survey());
  EXPECT_EQ(f.progress().position, 0u);
  f.start();
  // Visible at first: hello, mood, clubs, home, safe (which/sport_more hidden).
  EXPECT_EQ(f.progress().total, 5u);
  EXPECT_EQ(f.progress().position, 1u);
  f.next();
  f.answer(std::int64_t{3});
  f.next();
  f.answer(true);
  EXPECT_EQ(f.progress().total, 6u);  // which appears
  EXPECT_EQ(f.progress().position, 3u);
  f.next();
  f.answer(OptionIds{"sport"});
  EXPECT_EQ(f.progress().total, 7u);
}

TEST(Flow, BackFromTheFirstQuestionAndFromTheEnd) {
  Flow f(survey());
  f.start();
  EXPECT_FALSE(f.can_go_back());
  try {
    f.back();
    FAIL();
  } catch (const FlowError& e) {
    EXPECT_EQ(e.kind(), FlowError::Kind::AtFirstQuestion);
  }
  f.next();
  f.answer(std::int64_t{3});
  f.next();
  f.next();
  f.decline();
  f.next();
  ASSERT_EQ(f.state(), Flow::State::AtEnd);
  f.back();
  EXPECT_EQ(current_id(f), "home");
}

TEST(Flow, FinishFromTheLastQuestionButNotBefore) {
  Flow f(survey());
  f.start();
  f.next();
  EXPECT_THROW(f.finish(), FlowError);  // more questions follow
  f.answer(std::int64_t{3});
  f.next();
  f.next();
  f.answer(std::string("bad"));
  f.next();
  EXPECT_EQ(current_id(f), "safe");
  f.finish();
  EXPECT_EQ(f.state(), Flow::State::Finished);
}

TEST(Flow, ClearRemovesTheAnswer) {
  Flow f(survey());
  f.start();
  f.next();
  f.answer(std::int64_t{3});
  f.next();
  f.answer(true);
  f.clear();
  EXPECT_EQ(f.answer_of("clubs"), nullptr);
}

TEST(Flow, SavesAndRestoresExactly) {
  Flow f(survey());
  f.start();
  f.next();
  f.answer(std::int64_t{2});
  f.next();
  f.answer(true);
  f.next();
  f.answer(OptionIds{"sport"});
  auto saved = f.to_json();
  Flow g = Flow::from_json(survey(), saved);
  EXPECT_EQ(g.to_json(), saved);
  EXPECT_EQ(current_id(g), "which");
  EXPECT_EQ(g.answers(), f.answers());
  EXPECT_EQ(g.progress().position, f.progress().position);
  EXPECT_EQ(g.progress().total, f.progress().total);
  // The restored flow goes on exactly as the original would.
  f.next();
  g.next();
  EXPECT_EQ(current_id(g), current_id(f));
}

TEST(Flow, RestoreRejectsStatesThatDoNotFit) {
  auto bad = [](const char* text) {
    try {
      Flow::from_json(survey(), nlohmann::json::parse(text));
      ADD_FAILURE() << text;
    } catch (const FlowError& e) {
      EXPECT_EQ(e.kind(), FlowError::Kind::BadDraft) << text;
    }
  };
  bad(R"({"state": "at_question", "question": "nope", "answers": {}})");
  bad(R"({"state": "at_question", "question": "mood", "answers": {"ghost": 1}})");
  bad(R"({"state": "at_question", "question": "mood", "answers": {"mood": 9}})");
  bad(R"({"state": "at_question", "question": "which", "answers": {"clubs": false}})");  // hidden question
  bad(R"({"state": "at_question", "question": "mood", "answers": {"clubs": false, "which": ["art"]}})");
  bad(R"({"state": "flying", "answers": {}})");
  bad(R"({"state": "not_started", "answers": {"mood": 3}})");
  bad(R"({"answers": {}})");
  bad(R"([1, 2])");
}

// A random walk of intents never breaks the invariants: the current question is visible,
// no hidden question has an answer, and save/restore is exact at every step.
TEST(Flow, RandomWalksKeepTheInvariants) {
  std::mt19937 rng(20261204);
  for (int walk = 0; walk < 200; ++walk) {
    Flow f(survey());
    f.start();
    for (int step = 0; step < 40 && f.state() != Flow::State::Finished; ++step) {
      try {
        switch (rng() % 6) {
          case 0: f.next(); break;
          case 1: f.back(); break;
          case 2: f.decline(); break;
          case 3: f.finish(); break;
          default: {
            const auto* q = f.current();
            if (q == nullptr) break;
            using tt::survey::QuestionType;
            if (q->type == QuestionType::YesNo) {
              f.answer(static_cast<bool>(rng() % 2));
            } else if (q->is_numeric()) {
              f.answer(static_cast<std::int64_t>(q->lowest_value() + static_cast<std::int64_t>(rng() % 4)));
            } else if (q->type == QuestionType::Single) {
              f.answer(q->options[rng() % 2].id);
            } else if (q->type == QuestionType::Multiple) {
              f.answer(OptionIds{q->options[rng() % 3].id});
            } else if (q->type == QuestionType::FreeText) {
              f.answer(std::string("x"));
            }
          }
        }
      } catch (const FlowError&) {
      }
      if (f.state() == Flow::State::AtQuestion) {
        ASSERT_TRUE(f.is_visible(f.current_index()));
      }
      for (std::size_t i = 0; i < f.survey().questions().size(); ++i) {
        if (!f.is_visible(i)) {
          ASSERT_EQ(f.answer_of(f.survey().questions()[i].question->id), nullptr);
        }
      }
      ASSERT_EQ(Flow::from_json(survey(), f.to_json()).to_json(), f.to_json());
    }
  }
}

TEST(Scoring, SumsScalesAndFlags) {
  tt::survey::Answers answers = {{"mood", std::int64_t{1}}, {"safe", std::int64_t{0}}};
  auto scores = tt::survey::compute_scores(*survey(), answers);
  ASSERT_EQ(scores.size(), 1u);
  EXPECT_EQ(scores[0].answered, 2);
  EXPECT_DOUBLE_EQ(*scores[0].raw, 1.0);
  EXPECT_DOUBLE_EQ(*scores[0].value, 10.0);
  EXPECT_EQ(scores[0].flags, std::vector<std::string>{"low"});
  EXPECT_EQ(tt::survey::triggered_alerts(*survey(), answers), std::vector<std::string>{"unsafe"});
  answers["safe"] = Declined{};  // fewer than min_answered (all items by default): no score
  scores = tt::survey::compute_scores(*survey(), answers);
  EXPECT_FALSE(scores[0].raw.has_value());
  EXPECT_TRUE(scores[0].flags.empty());
  EXPECT_TRUE(tt::survey::triggered_alerts(*survey(), answers).empty());
}

}  // namespace
