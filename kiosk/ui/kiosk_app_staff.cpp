// The staff side of the app: the PIN, the technician menu and the teacher's class session. PINs
// are checked through the guard (kiosk/session/staff_pin.h), which counts wrong tries in the
// store and makes the kiosk wait after 5; the typed PIN is forgotten as soon as it was checked.
#include <imgui.h>

#include "kiosk/session/roster_update.h"
#include "kiosk/ui/kiosk_app.h"

namespace tt::kiosk::ui {

namespace {

std::string seconds_text(std::int64_t seconds) {
  if (seconds >= 120) return std::to_string((seconds + 59) / 60) + " minutes";
  return std::to_string(seconds) + (seconds == 1 ? " second" : " seconds");
}

// What a staff member reads after a try; it never repeats the PIN.
std::string pin_message(const PinCheck& check) {
  switch (check.outcome) {
    case PinOutcome::Accepted: return "";
    case PinOutcome::NotSet: return "No PIN is set for this on this kiosk. A technician can set one.";
    case PinOutcome::Wrong:
      if (check.seconds_until_next_try > 0) {
        return "That PIN is not right. Too many wrong tries: please wait " +
               seconds_text(check.seconds_until_next_try) + ".";
      }
      return "That PIN is not right. " + std::to_string(check.tries_before_delay) +
             (check.tries_before_delay == 1 ? " more try" : " more tries") + " before a wait.";
    case PinOutcome::Locked:
      return "Too many wrong tries. Please wait " + seconds_text(check.seconds_until_next_try) + " and try again.";
  }
  return "";
}

}  // namespace

void KioskApp::open_class_screen() {
  class_view_ = ClassSessionView{};
  for (const InstalledSurvey& s : store_.installed_surveys()) {
    bool seen = false;
    for (const auto& [id, title] : class_view_.surveys) seen = seen || id == s.survey_id;
    if (seen) continue;  // newest version first: one entry per survey
    std::string title = s.survey_id;
    try {
      title = load_installed_survey(store_, s.survey_id)->title.in("en");
    } catch (const Error&) {
    }
    class_view_.surveys.emplace_back(s.survey_id, title + " (v" + std::to_string(s.version) + ")");
  }
  // The roster lists the school's groups (only those a class session takes: short codes).
  if (std::optional<protocol::Roster> roster = installed_roster(store_)) {
    for (const std::string& group : roster->tutor_groups) {
      if (is_tutor_group(group)) class_view_.roster_groups.push_back(group);
    }
  }
  class_session_ = current_class_session(store_, wall_now());
  class_view_.open = class_session_;
  if (class_session_) {
    class_view_.chosen_survey = class_session_->survey_id;
    class_view_.typed_group = class_session_->tutor_group;
    for (const auto& [id, title] : class_view_.surveys) {
      if (id == class_session_->survey_id) class_view_.open_title = title;
    }
  } else if (class_view_.surveys.size() == 1) {
    class_view_.chosen_survey = class_view_.surveys.front().first;
  }
  screen_ = Screen::ClassSession;
}

void KioskApp::apply_staff(const Intents& in) {
  if (in.staff_cancel) {
    to_handover();
    return;
  }
  switch (screen_) {
    case Screen::Staff:
      if (in.staff_role) {
        staff_role_ = *in.staff_role;
        typed_pin_.clear();
        staff_message_.clear();
        screen_ = Screen::StaffPin;
      }
      break;
    case Screen::StaffPin:
      if (in.pin_key && typed_pin_.size() < kMaxPinDigits) {
        typed_pin_.push_back(*in.pin_key);
      } else if (in.pin_delete && !typed_pin_.empty()) {
        typed_pin_.pop_back();
      } else if (in.pin_submit) {
        if (typed_pin_.size() < kMinPinDigits) {
          // Too short to be anyone's PIN: a slip of the finger, not a guess, so not counted.
          staff_message_ = "A PIN has at least " + std::to_string(kMinPinDigits) + " digits.";
          break;
        }
        PinCheck check;
        try {
          check = check_pin(store_, staff_role_, typed_pin_, wall_now());
        } catch (const Error& e) {
          typed_pin_.clear();
          staff_message_ = std::string("The PIN could not be checked: ") + e.what();
          break;
        }
        typed_pin_.clear();
        staff_message_ = pin_message(check);
        if (check.outcome != PinOutcome::Accepted) break;
        if (staff_role_ == PinRole::Technician) {
          status_ = gather_kiosk_status(store_);
          screen_ = Screen::Technician;
        } else {
          open_class_screen();
        }
      }
      break;
    case Screen::Technician:
      if (in.tech_refresh) status_ = gather_kiosk_status(store_);
      if (in.tech_exit) exit_requested_ = true;
      break;
    case Screen::ClassSession:
      if (in.class_survey) {
        class_view_.chosen_survey = *in.class_survey;
        class_view_.message.clear();
      } else if (in.class_group) {
        class_view_.typed_group = *in.class_group;
        class_view_.message.clear();
      } else if (in.group_key && class_view_.typed_group.size() < kMaxTutorGroupLength) {
        class_view_.typed_group.push_back(*in.group_key);
        class_view_.message.clear();
      } else if (in.group_delete && !class_view_.typed_group.empty()) {
        class_view_.typed_group.pop_back();
      } else if (in.class_close) {
        close_class_session(store_);
        class_session_.reset();
        to_handover();
      } else if (in.class_open) {
        if (class_view_.chosen_survey.empty()) {
          class_view_.message = "Choose a survey first.";
        } else if (!is_tutor_group(class_view_.typed_group)) {
          class_view_.message = "Type the tutor group first (capital letters and numbers, up to 8).";
        } else {
          ClassSession session{class_view_.chosen_survey, class_view_.typed_group, wall_now()};
          open_class_session(store_, session);
          class_session_ = session;
          to_handover();
        }
      }
      break;
    default: break;
  }
}

}  // namespace tt::kiosk::ui
