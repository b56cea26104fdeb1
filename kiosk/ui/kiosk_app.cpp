#include "kiosk/ui/kiosk_app.h"

#include <imgui.h>

#include <ctime>

#include "kiosk/session/pupil_code.h"
#include "kiosk/ui/screens.h"
#include "kiosk/ui/ui_text.h"

namespace tt::kiosk::ui {

const char* screen_name(Screen screen) {
  switch (screen) {
    case Screen::Handover: return "handover";
    case Screen::PupilCode: return "pupil_code";
    case Screen::Language: return "language";
    case Screen::Notice: return "notice";
    case Screen::Question: return "question";
    case Screen::End: return "end";
    case Screen::Staff: return "staff";
    case Screen::StaffPin: return "staff_pin";
    case Screen::Technician: return "technician";
    case Screen::ClassSession: return "class_session";
  }
  return "handover";
}

KioskApp::KioskApp(KioskStore& store, std::shared_ptr<const survey::Survey> survey, SessionOptions options,
                   AppSettings settings)
    : store_(store), default_survey_(std::move(survey)), options_(std::move(options)), settings_(std::move(settings)) {
  options_.pupil_code.reset();  // in the app, each pupil types their own
  class_session_ = current_class_session(store_, wall_now());
  to_handover();
}

UnixSeconds KioskApp::wall_now() const {
  return settings_.clock ? settings_.clock() : static_cast<UnixSeconds>(std::time(nullptr));
}

std::shared_ptr<const survey::Survey> KioskApp::pupil_survey() {
  std::string id = class_session_ ? class_session_->survey_id : default_survey_ ? default_survey_->id : std::string();
  if (id.empty()) return default_survey_;
  try {
    std::optional<std::int64_t> newest = store_.newest_survey_version(id);
    if (!newest) return default_survey_;  // not installed (removed since, or a test's own)
    for (const auto& known : {loaded_survey_, default_survey_}) {
      if (known && known->id == id && known->version == *newest) return loaded_survey_ = known;
    }
    return loaded_survey_ = load_installed_survey(store_, id, *newest);
  } catch (const Error&) {
    return default_survey_;  // unreadable: the kiosk's own survey, as it started
  }
}

void KioskApp::discard_old_drafts_now_and_then() {
  UnixSeconds now = wall_now();
  if (drafts_discarded_at_ && now >= *drafts_discarded_at_ && now - *drafts_discarded_at_ < 3600) return;
  store_.discard_drafts_older_than(now - static_cast<UnixSeconds>(settings_.draft_max_age_hours) * 3600);
  drafts_discarded_at_ = now;
}

std::string KioskApp::current_question_id() const {
  if (screen_ != Screen::Question || !session_ || session_->flow().current() == nullptr) return "";
  return session_->flow().current()->id;
}

bool KioskApp::in_transition(std::uint32_t now_ms) const {
  return transition_started_ms_ && now_ms - *transition_started_ms_ < kTransitionMs;
}

std::pair<Screen, std::size_t> KioskApp::view() const {
  return {screen_, screen_ == Screen::Question && session_ ? session_->flow().current_index() : 0};
}

// Ease-out: the new screen moves quickly at first and settles gently, over a short distance, so
// it reads as "going on" without anything to wait for.
float KioskApp::transition_offset(std::uint32_t now_ms, float width) const {
  if (!in_transition(now_ms)) return 0.0f;
  float t = static_cast<float>(now_ms - *transition_started_ms_) / static_cast<float>(kTransitionMs);
  float remaining = (1.0f - t) * (1.0f - t) * (1.0f - t);
  return transition_direction_ * remaining * width * 0.08f;
}

std::optional<std::uint32_t> KioskApp::wake_at(std::uint32_t now_ms) const {
  if (in_transition(now_ms)) return now_ms + 16;  // the next step of the slide
  if (corner_since_) return *corner_since_ + kCornerHoldMs;
  if (!pupil_present()) return std::nullopt;
  if (still_there_since_) {
    std::uint32_t elapsed = now_ms - *still_there_since_;
    return now_ms + (1000 - elapsed % 1000);  // the countdown's next second
  }
  return last_input_ms_ + settings_.idle.ask_after_ms;
}

void KioskApp::to_handover() {
  session_.reset();
  typed_code_.clear();
  typed_pin_.clear();
  staff_message_.clear();
  class_view_ = ClassSessionView{};
  talk_to_someone_ = false;
  kind_message_.clear();
  still_there_since_.reset();
  back_floor_.reset();
  resuming_ = false;
  display_ = DisplayChoice{};
  screen_ = Screen::Handover;
  survey_ = pupil_survey();
  if (survey_) language_ = survey_->languages.front();
  discard_old_drafts_now_and_then();
}

void KioskApp::hand_over_after_idle() {
  if (screen_ == Screen::End && session_) {
    // They reached the end: their answers are complete, so seal them rather than leave a draft.
    last_response_id_ = session_->finish().response_id;
    ++finished_;
  }
  // A draft mid-survey stays in the store, encrypted; nothing of it stays in memory.
  to_handover();
}

// The technician's gesture: a finger held still in the top-left corner of the hand-over screen.
void KioskApp::watch_corner_press(std::uint32_t now_ms) {
  const ImGuiIO& io = ImGui::GetIO();
  float corner = kCornerMm * dpi_pixels_per_mm_;
  bool held = screen_ == Screen::Handover && io.MouseDown[0] && io.MousePos.x >= 0 && io.MousePos.y >= 0 &&
              io.MousePos.x < corner && io.MousePos.y < corner;
  if (!held) {
    corner_since_.reset();
    return;
  }
  if (!corner_since_) corner_since_ = now_ms;
  if (now_ms - *corner_since_ >= kCornerHoldMs) {
    corner_since_.reset();
    screen_ = Screen::Staff;
    transition_started_ms_ = now_ms;
    transition_direction_ = 1.0f;
  }
}

void KioskApp::frame(Theme& theme, WidgetRegistry& registry, std::uint32_t now_ms, std::uint32_t last_input_ms) {
  now_ms_ = now_ms;
  dpi_pixels_per_mm_ = theme.pixels_per_mm;
  if (!pupil_present()) {
    last_input_ms_ = now_ms;  // the idle clock starts when a pupil does
  } else if (last_input_ms != 0 && static_cast<std::int32_t>(last_input_ms - last_input_ms_) > 0) {
    last_input_ms_ = last_input_ms;
  }
  if (pupil_present() && !still_there_since_ && now_ms - last_input_ms_ >= settings_.idle.ask_after_ms) {
    still_there_since_ = now_ms;
  }
  if (still_there_since_ && now_ms - *still_there_since_ >= settings_.idle.countdown_ms) hand_over_after_idle();
  watch_corner_press(now_ms);
  ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(viewport->Pos.x + transition_offset(now_ms, viewport->Size.x), viewport->Pos.y));
  ImGui::SetNextWindowSize(viewport->Size);
  ImGui::Begin("kiosk", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus);
  DrawContext dc{theme, registry};
  Intents intents;
  if (still_there_since_) {
    int left = static_cast<int>((settings_.idle.countdown_ms - (now_ms - *still_there_since_) + 999) / 1000);
    draw_still_there(dc, left, session_ ? session_->language() : language_, intents);
    ImGui::End();
    if (intents.still_here) {
      still_there_since_.reset();
      last_input_ms_ = now_ms;
    }
    return;
  }
  draw_screen(dc, intents);
  ImGui::End();
  if (in_transition(now_ms)) return;  // the pupil cannot have seen what they tapped yet
  const auto before = view();
  apply(intents);
  const auto after = view();
  if (after != before) {
    transition_started_ms_ = now_ms;
    bool going_back = after.first < before.first || (after.first == before.first && after.second < before.second);
    transition_direction_ = going_back && after.first != Screen::Handover ? -1.0f : 1.0f;
  }
}

void KioskApp::draw_screen(DrawContext& dc, Intents& intents) {
  const std::string language = session_ ? session_->language() : language_;
  if (screen_ == Screen::Notice || screen_ == Screen::Question || screen_ == Screen::End) {
    draw_display_bar(dc, display_, language, intents);
  }
  switch (screen_) {
    case Screen::Handover:
      draw_handover(dc, survey_ != nullptr, class_session_ ? "Class " + class_session_->tutor_group : std::string(),
                    intents);
      break;
    case Screen::PupilCode: draw_pupil_code(dc, typed_code_, kind_message_, intents); break;
    case Screen::Language: draw_language(dc, *survey_, intents); break;
    case Screen::Notice: draw_notice(dc, *survey_, language, resuming_, intents); break;
    case Screen::Question: {
      bool at_floor = back_floor_ && session_->flow().current_index() <= *back_floor_;
      draw_question(dc, session_->flow(), language, kind_message_, !at_floor, intents);
      break;
    }
    case Screen::End: draw_end(dc, *survey_, language, talk_to_someone_, settings_.school_contact, intents); break;
    case Screen::Staff: draw_staff_choice(dc, intents); break;
    case Screen::StaffPin: draw_staff_pin(dc, staff_role_, typed_pin_.size(), staff_message_, intents); break;
    case Screen::Technician: draw_technician(dc, status_, wall_now(), intents); break;
    case Screen::ClassSession: draw_class_session(dc, class_view_, intents); break;
  }
}

void KioskApp::apply_pupil_code(const Intents& in) {
  if (in.code_key && typed_code_.size() < kPupilCodeLength) {
    if (auto c = normalise_pupil_code_character(*in.code_key)) typed_code_.push_back(*c);
    kind_message_.clear();
  } else if (in.code_delete && !typed_code_.empty()) {
    typed_code_.pop_back();
    kind_message_.clear();
  } else if (in.code_submit) {
    if (!is_valid_pupil_code(typed_code_)) {
      kind_message_ = "That code does not look right. Please check your card and try again.";
      return;
    }
    kind_message_.clear();
    if (auto draft = find_same_day_draft(store_, survey_->id, typed_code_, wall_now())) {
      // Back the same day: carry on from the first question still open (their language, their
      // survey version), with a word of welcome on the notice.
      session_.emplace(PupilSession::resume(store_, *draft));
      session_->skip_answered();
      typed_code_.clear();
      resuming_ = true;
      screen_ = Screen::Notice;
      return;
    }
    screen_ = survey_->languages.size() > 1 ? Screen::Language : Screen::Notice;
  }
}

void KioskApp::begin_or_resume() {
  if (!session_) {
    SessionOptions options = options_;
    options.language = language_;
    if (survey_->identity == survey::IdentityMode::PupilCode) options.pupil_code = typed_code_;
    if (class_session_) options.tutor_group = class_session_->tutor_group;
    session_.emplace(PupilSession::begin(store_, survey_, options));
  }
  typed_code_.clear();  // it now lives only in the encrypted draft
  talk_to_someone_ = false;
  kind_message_.clear();
  const survey::Flow& flow = session_->flow();
  if (resuming_ && flow.state() == survey::Flow::State::AtQuestion) back_floor_ = flow.current_index();
  screen_ = flow.state() == survey::Flow::State::AtQuestion ? Screen::Question : Screen::End;
}

void KioskApp::apply(const Intents& in) {
  if (screen_ >= Screen::Staff) {
    apply_staff(in);
    return;
  }
  if (in.start && screen_ == Screen::Handover && survey_) {
    typed_code_.clear();
    kind_message_.clear();
    language_ = survey_->languages.front();
    display_ = DisplayChoice{};
    if (survey_->identity == survey::IdentityMode::PupilCode) {
      screen_ = Screen::PupilCode;
    } else {
      screen_ = survey_->languages.size() > 1 ? Screen::Language : Screen::Notice;
    }
    return;
  }
  if (in.cycle_text_size) display_.text_step = (display_.text_step + 1) % 3;
  if (in.toggle_contrast) display_.high_contrast = !display_.high_contrast;
  if (screen_ == Screen::Language && in.language) {
    language_ = *in.language;
    screen_ = Screen::Notice;
    return;
  }
  if (screen_ == Screen::PupilCode) {
    apply_pupil_code(in);
    return;
  }
  if (in.begin_questions && screen_ == Screen::Notice) {
    begin_or_resume();
    return;
  }
  if (screen_ == Screen::Question && session_) {
    if (in.answer) {
      session_->answer(*in.answer);
      kind_message_.clear();
    } else if (in.decline) {
      session_->decline();
      kind_message_.clear();
    } else if (in.clear) {
      session_->clear();
    } else if (in.back) {
      if (back_floor_ && session_->flow().current_index() <= *back_floor_) return;
      session_->back();
      kind_message_.clear();
    } else if (in.next) {
      if (!session_->flow().can_go_next()) {
        kind_message_ = ui_text(UiText::ChooseToGoOn, session_->language());
        return;
      }
      session_->next();
      kind_message_.clear();
      if (session_->flow().state() == survey::Flow::State::AtEnd) screen_ = Screen::End;
    }
    return;
  }
  if (screen_ == Screen::End && session_) {
    if (in.toggle_talk) {
      talk_to_someone_ = !talk_to_someone_;
      session_->set_talk_to_someone(talk_to_someone_);
    }
    if (in.done) {
      last_response_id_ = session_->finish().response_id;
      ++finished_;
      // The response is sealed: drop every trace of it before the next pupil.
      to_handover();
    }
  }
}

}  // namespace tt::kiosk::ui
