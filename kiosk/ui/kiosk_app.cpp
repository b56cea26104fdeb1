#include "kiosk/ui/kiosk_app.h"

#include <imgui.h>

#include "kiosk/session/pupil_code.h"
#include "kiosk/ui/screens.h"

namespace tt::kiosk::ui {

const char* screen_name(Screen screen) {
  switch (screen) {
    case Screen::Handover: return "handover";
    case Screen::PupilCode: return "pupil_code";
    case Screen::Notice: return "notice";
    case Screen::Question: return "question";
    case Screen::End: return "end";
  }
  return "handover";
}

KioskApp::KioskApp(KioskStore& store, std::shared_ptr<const survey::Survey> survey, SessionOptions options)
    : store_(store), survey_(std::move(survey)), options_(std::move(options)) {
  options_.pupil_code.reset();  // in the app, each pupil types their own
}

void KioskApp::frame(Theme& theme, WidgetRegistry& registry) {
  ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->Pos);
  ImGui::SetNextWindowSize(viewport->Size);
  ImGui::Begin("kiosk", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus);
  DrawContext dc{theme, registry};
  Intents intents;
  const std::string language = session_ ? session_->language() : options_.language;
  switch (screen_) {
    case Screen::Handover: draw_handover(dc, intents); break;
    case Screen::PupilCode: draw_pupil_code(dc, typed_code_, kind_message_, intents); break;
    case Screen::Notice: draw_notice(dc, *survey_, language, intents); break;
    case Screen::Question: draw_question(dc, session_->flow(), language, kind_message_, intents); break;
    case Screen::End: draw_end(dc, *survey_, language, talk_to_someone_, intents); break;
  }
  ImGui::End();
  apply(intents);
}

void KioskApp::apply(const Intents& in) {
  if (in.start && screen_ == Screen::Handover) {
    typed_code_.clear();
    kind_message_.clear();
    screen_ = survey_->identity == survey::IdentityMode::PupilCode ? Screen::PupilCode : Screen::Notice;
    return;
  }
  if (screen_ == Screen::PupilCode) {
    if (in.code_key && typed_code_.size() < kPupilCodeLength) {
      if (auto c = normalise_pupil_code_character(*in.code_key)) typed_code_.push_back(*c);
      kind_message_.clear();
    } else if (in.code_delete && !typed_code_.empty()) {
      typed_code_.pop_back();
      kind_message_.clear();
    } else if (in.code_submit) {
      if (is_valid_pupil_code(typed_code_)) {
        kind_message_.clear();
        screen_ = Screen::Notice;
      } else {
        kind_message_ = "That code does not look right. Please check your card and try again.";
      }
    }
    return;
  }
  if (in.begin_questions && screen_ == Screen::Notice) {
    SessionOptions options = options_;
    if (survey_->identity == survey::IdentityMode::PupilCode) options.pupil_code = typed_code_;
    session_.emplace(PupilSession::begin(store_, survey_, options));
    typed_code_.clear();  // it now lives only in the encrypted draft
    talk_to_someone_ = false;
    kind_message_.clear();
    screen_ = session_->flow().state() == survey::Flow::State::AtQuestion ? Screen::Question : Screen::End;
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
      session_->back();
      kind_message_.clear();
    } else if (in.next) {
      if (!session_->flow().can_go_next()) {
        kind_message_ = "Please choose an answer to go on.";
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
      session_.reset();
      typed_code_.clear();
      talk_to_someone_ = false;
      kind_message_.clear();
      screen_ = Screen::Handover;
    }
  }
}

}  // namespace tt::kiosk::ui
