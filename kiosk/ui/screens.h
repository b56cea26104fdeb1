#pragma once
// One draw function per screen (each in its own file). They read what they show and write
// intents; none of them changes the flow or the store.
#include <string>
#include <utility>
#include <vector>

#include "kiosk/session/class_session.h"
#include "kiosk/session/kiosk_status.h"
#include "kiosk/ui/kiosk_app.h"
#include "kiosk/ui/widgets.h"
#include "shared/survey/flow.h"

namespace tt::kiosk::ui {

// `class_line` names the open class session ("Class 7B"), or is empty; with no survey to take,
// the screen asks for the teacher instead of offering to start.
void draw_handover(DrawContext& dc, bool can_start, const std::string& class_line, Intents& out);
// `welcome_back`: a pupil carrying on with their draft from earlier today.
void draw_notice(DrawContext& dc, const survey::Survey& survey, const std::string& language, bool welcome_back,
                 Intents& out);
// `allow_back` is false where Back must stop (the question a returning pupil came back to).
void draw_question(DrawContext& dc, const survey::Flow& flow, const std::string& language,
                   const std::string& kind_message, bool allow_back, Intents& out);
// The school's own contact (from the kiosk's configuration) joins the survey's signposting.
void draw_end(DrawContext& dc, const survey::Survey& survey, const std::string& language, bool talk_to_someone,
              const std::string& school_contact, Intents& out);
// The pupil types the code from their card on a keypad of the code alphabet (pupil_code.h).
void draw_pupil_code(DrawContext& dc, const std::string& typed, const std::string& kind_message, Intents& out);

// One big button per language of the survey, each named in its own language.
void draw_language(DrawContext& dc, const survey::Survey& survey, Intents& out);
// The reading controls at the top of the pupil's screens: text size and high contrast.
void draw_display_bar(DrawContext& dc, const DisplayChoice& choice, const std::string& language, Intents& out);

// Staff only: who is asking, then their PIN (shown as one star per digit).
void draw_staff_choice(DrawContext& dc, Intents& out);
void draw_staff_pin(DrawContext& dc, PinRole role, std::size_t typed_digits, const std::string& message, Intents& out);
void draw_technician(DrawContext& dc, const KioskStatus& status, UnixSeconds now, Intents& out);

void draw_class_session(DrawContext& dc, const ClassSessionView& view, Intents& out);

// "Are you still there?" with the seconds left.
void draw_still_there(DrawContext& dc, int seconds_left, const std::string& language, Intents& out);

// The content column: centred, at most ~190 mm wide, so lines stay short enough to read.
float begin_column(DrawContext& dc);

}  // namespace tt::kiosk::ui
