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
// before anything is stored. A code with a draft from earlier the same day carries on from the
// first question still open, and Back stops there: the earlier answers are never shown again.)
//
//   Handover ──3 s press in the top-left corner──▶ Staff ──▶ StaffPin ──right PIN──▶
//            Technician (status, exit) | ClassSession (survey, tutor group)  ──▶ Handover
// Staff screens are only reachable from the hand-over screen, so no pupil's answers are ever
// behind them; they hand over on idle like any other screen.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kiosk/session/class_session.h"
#include "kiosk/session/kiosk_status.h"
#include "kiosk/session/pupil_session.h"
#include "kiosk/session/staff_pin.h"
#include "kiosk/ui/theme.h"
#include "kiosk/ui/widget_registry.h"
#include "kiosk/ui/widgets.h"

namespace tt::kiosk::ui {

// What the class-session screen shows (kept by the app between frames).
struct ClassSessionView {
  std::vector<std::pair<std::string, std::string>> surveys;  // installed: id, title
  std::string chosen_survey;
  std::string typed_group;
  std::vector<std::string> roster_groups;  // the school's tutor groups, from its signed roster
  std::optional<ClassSession> open;
  std::string open_title;
  std::string message;
};

enum class Screen { Handover, PupilCode, Language, Notice, Question, End, Staff, StaffPin, Technician, ClassSession };
// "handover", "pupil_code", "language", "notice", "question", "end", "staff", "staff_pin",
// "technician", "class_session"
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

  // Staff screens.
  std::optional<PinRole> staff_role;  // "Teacher" or "Technician" chosen
  std::optional<char> pin_key;
  bool pin_delete = false;
  bool pin_submit = false;
  bool staff_cancel = false;  // back to the hand-over screen
  bool tech_refresh = false;
  bool tech_exit = false;
  std::optional<std::string> class_survey;
  std::optional<std::string> class_group;  // a tutor group of the roster tapped
  std::optional<char> group_key;
  bool group_delete = false;
  bool class_open = false;
  bool class_close = false;
};

// When an untouched kiosk asks "Are you still there?", and how long it waits for an answer.
struct IdleSettings {
  std::uint32_t ask_after_ms = 90'000;
  std::uint32_t countdown_ms = 20'000;
};

// What the app takes from the kiosk's configuration (kiosk/session/kiosk_config.h).
struct AppSettings {
  IdleSettings idle;
  std::string school_contact;              // shown on the end screen; empty: none configured
  std::uint32_t draft_max_age_hours = 12;  // older unfinished drafts are discarded
  // The wall clock, for PIN delays, draft ages and class sessions; tests may move it.
  std::function<UnixSeconds()> clock;
};

class KioskApp {
 public:
  // `survey` is what pupils take when no class session is open; it may be null (several surveys
  // installed and none chosen), and then the hand-over screen asks for a teacher.
  KioskApp(KioskStore& store, std::shared_ptr<const survey::Survey> survey, SessionOptions options,
           AppSettings settings = {});

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
  // The language of the pupil's screens now (their choice, or the survey's first).
  const std::string& language() const { return session_ ? session_->language() : language_; }
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
  // The technician chose "Exit the kiosk".
  bool exit_requested() const { return exit_requested_; }
  const std::string& last_response_id() const { return last_response_id_; }

 private:
  void apply(const Intents& intents);
  // Which view is up (screen and question), to notice a change and start a transition.
  std::pair<Screen, std::size_t> view() const;
  float transition_offset(std::uint32_t now_ms, float width) const;
  void hand_over_after_idle();
  void to_handover();  // forgets everything of the pupil or staff member who was here
  bool pupil_present() const { return screen_ != Screen::Handover; }
  void draw_screen(DrawContext& dc, Intents& intents);
  void apply_pupil_code(const Intents& in);
  void begin_or_resume();
  void apply_staff(const Intents& in);
  void watch_corner_press(std::uint32_t now_ms);
  void open_class_screen();
  UnixSeconds wall_now() const;
  // The survey the next pupil takes: the class session's, else the one the kiosk was given, in
  // the newest version installed (a sync may have installed one since the last pupil; a pupil
  // who started an older one resumes that). Parsed again only when the id or version changes.
  std::shared_ptr<const survey::Survey> pupil_survey();
  // Drafts nobody came back to within the configured age are dropped: at start, then between
  // pupils at most once an hour (a write each time).
  void discard_old_drafts_now_and_then();

  KioskStore& store_;
  std::shared_ptr<const survey::Survey> default_survey_;
  std::shared_ptr<const survey::Survey> survey_;         // the current pupil's (or the next one's)
  std::shared_ptr<const survey::Survey> loaded_survey_;  // pupil_survey()'s last parse
  std::optional<UnixSeconds> drafts_discarded_at_;
  SessionOptions options_;
  AppSettings settings_;
  Screen screen_ = Screen::Handover;
  std::optional<PupilSession> session_;
  bool talk_to_someone_ = false;
  std::uint32_t last_input_ms_ = 0;
  std::optional<std::uint32_t> still_there_since_;
  std::uint32_t now_ms_ = 0;
  std::string typed_code_;  // the pupil code being typed; cleared at every hand-over
  std::string language_;    // the pupil's choice, or the survey's first language
  DisplayChoice display_;
  std::string kind_message_;  // e.g. "Please choose an answer to go on."
  std::optional<std::uint32_t> transition_started_ms_;
  float transition_direction_ = 1.0f;  // +1 going on, -1 going back
  int finished_ = 0;
  std::string last_response_id_;
  // A returning pupil's draft: Back stops at the question they came back to.
  std::optional<std::size_t> back_floor_;
  bool resuming_ = false;

  // Staff.
  std::optional<std::uint32_t> corner_since_;
  float dpi_pixels_per_mm_ = 4.0f;  // the theme's, for sizing the corner
  PinRole staff_role_ = PinRole::Technician;
  std::string typed_pin_;
  std::string staff_message_;
  KioskStatus status_;
  std::optional<ClassSession> class_session_;
  ClassSessionView class_view_;
  bool exit_requested_ = false;
};

}  // namespace tt::kiosk::ui
