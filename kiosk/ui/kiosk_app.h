#pragma once
// The pupil-facing app, apart from any window: which screen is up, drawn from the session's
// flow, with taps turned into intents that are applied after the frame (screens decide nothing;
// the flow does). The hand-over screen shows nothing about anyone, and once a response is
// finished nothing in the app holds it any more.
//
//   Handover ──"Tap to start"──▶ [PupilCode ──"Start"──▶] Notice ──"Start"──▶ Question ⇄ (Next/Back)
//            ──▶ End ──"Done"──▶ Handover
// (PupilCode only in pupil_code surveys: the typed code is checked, check character and all,
// before anything is stored.)
#include <memory>
#include <optional>
#include <string>

#include "kiosk/session/pupil_session.h"
#include "kiosk/ui/theme.h"
#include "kiosk/ui/widget_registry.h"

namespace tt::kiosk::ui {

enum class Screen { Handover, PupilCode, Notice, Question, End };
const char* screen_name(Screen screen);  // "handover", "pupil_code", "notice", "question", "end"

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
  bool done = false;         // end screen: seal and hand over

  // Pupil-code screen: a keypad character tapped, "Delete", "Start" with the code typed.
  std::optional<char> code_key;
  bool code_delete = false;
  bool code_submit = false;
};

class KioskApp {
 public:
  KioskApp(KioskStore& store, std::shared_ptr<const survey::Survey> survey, SessionOptions options);

  // Draws the current screen into the current ImGui frame, then applies what was tapped.
  void frame(Theme& theme, WidgetRegistry& registry);

  Screen screen() const { return screen_; }
  const survey::Survey& survey() const { return *survey_; }
  // Responses sealed by this app since it started (for the technician and for tests).
  int finished_count() const { return finished_; }
  const std::string& last_response_id() const { return last_response_id_; }

 private:
  void apply(const Intents& intents);

  KioskStore& store_;
  std::shared_ptr<const survey::Survey> survey_;
  SessionOptions options_;
  Screen screen_ = Screen::Handover;
  std::optional<PupilSession> session_;
  bool talk_to_someone_ = false;
  std::string typed_code_;    // the pupil code being typed; cleared at every hand-over
  std::string kind_message_;  // e.g. "Please choose an answer to go on."
  int finished_ = 0;
  std::string last_response_id_;
};

}  // namespace tt::kiosk::ui
