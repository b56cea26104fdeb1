#pragma once
// The pupil-facing app, apart from any window: which screen is up, drawn from the session's
// flow, with taps turned into intents that are applied after the frame (screens decide nothing;
// the flow does). The hand-over screen shows nothing about anyone, and once a response is
// finished nothing in the app holds it any more.
//
//   Handover ──"Tap to start"──▶ [PupilCode ──"Start"──▶] [Language ──tap──▶] Notice ──"Start"──▶
//            Question ⇄ (Next/Back)
//            ──▶ End ──"Done"──▶ Handover
// (PupilCode only in pupil_code surveys: the typed code is checked, check character and all,
// before anything is stored.)
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "kiosk/session/pupil_session.h"
#include "kiosk/ui/theme.h"
#include "kiosk/ui/widget_registry.h"

namespace tt::kiosk::ui {

enum class Screen { Handover, PupilCode, Language, Notice, Question, End };
// "handover", "pupil_code", "language", "notice", "question", "end"
const char* screen_name(Screen screen);

// What the pupil chose for reading: three text sizes and a high-contrast look. Reset for every
// pupil at the hand-over.
struct DisplayChoice {
  int text_step = 0;  // 0, 1, 2: 100%, 125%, 150%
  bool high_contrast = false;
  bool operator==(const DisplayChoice&) const = default;
  float text_scale() const { return 1.0f + 0.25f * static_cast<float>(text_step); }
};

// What a screen asks for; applied after the frame, at most one of each.
struct Intents {
  bool start = false;            // hand-over: a new pupil begins
  bool begin_questions = false;  // notice read
  bool next = false;
  bool back = false;
  bool decline = false;
  bool clear = false;
  std::optional<survey::Answer> answer;
  bool toggle_talk = false;  // end screen: "I'd like to talk to someone"
  bool still_here = false;   // "Are you still there?" answered
  bool done = false;         // end screen: seal and hand over

  // Pupil-code screen: a keypad character tapped, "Delete", "Start" with the code typed.
  std::optional<char> code_key;
  bool code_delete = false;
  bool code_submit = false;

  std::optional<std::string> language;  // language screen: the tag chosen
  bool cycle_text_size = false;         // display bar
  bool toggle_contrast = false;
};

// When an untouched kiosk asks "Are you still there?", and how long it waits for an answer.
struct IdleSettings {
  std::uint32_t ask_after_ms = 90'000;
  std::uint32_t countdown_ms = 20'000;
};

class KioskApp {
 public:
  KioskApp(KioskStore& store, std::shared_ptr<const survey::Survey> survey, SessionOptions options,
           IdleSettings idle = {});

  // Draws the current screen into the current ImGui frame, then applies what was tapped.
  // `now_ms` and `last_input_ms` drive the idle question: after `ask_after_ms` untouched the
  // screen is replaced by "Are you still there?" (nothing of the answers stays visible); when its
  // countdown ends the pupil is handed over: a draft stays saved (encrypted), a pupil at the end
  // screen has their response sealed, and the hand-over screen returns.
  void frame(Theme& theme, WidgetRegistry& registry, std::uint32_t now_ms, std::uint32_t last_input_ms);
  // When the app next needs a frame with no input (the idle question, its countdown); nullopt
  // when nothing is pending.
  std::optional<std::uint32_t> wake_at(std::uint32_t now_ms) const;
  // The reading choices the host applies to its theme between frames.
  const DisplayChoice& display() const { return display_; }

  Screen screen() const { return screen_; }
  // The id of the question on screen, or "" when no question is.
  std::string current_question_id() const;

  // A screen change slides the new screen in from the side the pupil is heading (from the right
  // going on, from the left going back) for kTransitionMs. Taps during it are ignored, so an
  // impatient double tap cannot answer or skip a question the pupil has not seen yet.
  static constexpr std::uint32_t kTransitionMs = 180;

  // The technician's hidden gesture: a finger held this long in the top-left square this big,
  // on the hand-over screen (where no pupil's answers are behind it).
  static constexpr float kCornerMm = 15.0f;
  static constexpr std::uint32_t kCornerHoldMs = 3000;
  bool in_transition(std::uint32_t now_ms) const;
  // Responses sealed by this app since it started (for the technician and for tests).
  int finished_count() const { return finished_; }
  const std::string& last_response_id() const { return last_response_id_; }

 private:
  void apply(const Intents& intents);
  // Which view is up (screen and question), to notice a change and start a transition.
  std::pair<Screen, std::size_t> view() const;
  float transition_offset(std::uint32_t now_ms, float width) const;
  void hand_over_after_idle();
  bool pupil_present() const { return screen_ != Screen::Handover; }

  KioskStore& store_;
  std::shared_ptr<const survey::Survey> survey_;
  SessionOptions options_;
  Screen screen_ = Screen::Handover;
  std::optional<PupilSession> session_;
  bool talk_to_someone_ = false;
  IdleSettings idle_;
  std::uint32_t last_input_ms_ = 0;
  std::optional<std::uint32_t> still_there_since_;
  std::uint32_t now_ms_ = 0;
  std::string typed_code_;
  std::string language_;      // the pupil's choice, or the survey's first language
  DisplayChoice display_;     // the pupil code being typed; cleared at every hand-over
  std::string kind_message_;  // e.g. "Please choose an answer to go on."
  std::optional<std::uint32_t> transition_started_ms_;
  float transition_direction_ = 1.0f;  // +1 going on, -1 going back
  int finished_ = 0;
  std::string last_response_id_;
};

}  // namespace tt::kiosk::ui
