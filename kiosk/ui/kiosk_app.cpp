#include "kiosk/ui/kiosk_app.h"

#include <imgui.h>

#include "kiosk/ui/screens.h"

namespace tt::kiosk::ui {

const char* screen_name(Screen screen) {
  switch (screen) {
    case Screen::Handover: return "handover";
    case Screen::Notice: return "notice";
    case Screen::Question: return "question";
    case Screen::End: return "end";
  }
  return "handover";
}

KioskApp::KioskApp(KioskStore& store, std::shared_ptr<const survey::Survey> survey, SessionOptions options)
    : store_(store), survey_(std::move(survey)), options_(std::move(options)) {
  if (survey_->identity == survey::IdentityMode::PupilCode && !options_.pupil_code) {
    throw Error("survey " + survey_->id +
                " asks for a pupil code; the code keypad is not built yet, so the UI runs "
                "anonymous surveys only");
  }
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
    case Screen::Notice: draw_notice(dc, *survey_, language, intents); break;
    case Screen::Question: draw_question(dc, session_->flow(), language, kind_message_, intents); break;
    case Screen::End: draw_end(dc, *survey_, language, talk_to_someone_, intents); break;
  }
  ImGui::End();
  apply(intents);
}

void KioskApp::apply(const Intents& in) {
  if (in.start && screen_ == Screen::Handover) {
    screen_ = Screen::Notice;
    return;
  }
  if (in.begin_questions && screen_ == Screen::Notice) {
    session_.emplace(PupilSession::begin(store_, survey_, options_));
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
      talk_to_someone_ = false;
      kind_message_.clear();
      screen_ = Screen::Handover;
    }
  }
}

}  // namespace tt::kiosk::ui
