#pragma once
// One draw function per screen (each in its own file). They read what they show and write
// intents; none of them changes the flow or the store.
#include <string>

#include "kiosk/ui/kiosk_app.h"
#include "kiosk/ui/widgets.h"
#include "shared/survey/flow.h"

namespace tt::kiosk::ui {

void draw_handover(DrawContext& dc, Intents& out);
void draw_notice(DrawContext& dc, const survey::Survey& survey, const std::string& language, Intents& out);
void draw_question(DrawContext& dc, const survey::Flow& flow, const std::string& language,
                   const std::string& kind_message, Intents& out);
void draw_end(DrawContext& dc, const survey::Survey& survey, const std::string& language, bool talk_to_someone,
              Intents& out);
// The pupil types the code from their card on a keypad of the code alphabet (pupil_code.h).
void draw_pupil_code(DrawContext& dc, const std::string& typed, const std::string& kind_message, Intents& out);

// One big button per language of the survey, each named in its own language.
void draw_language(DrawContext& dc, const survey::Survey& survey, Intents& out);
// The reading controls at the top of the pupil's screens: text size and high contrast.
void draw_display_bar(DrawContext& dc, const DisplayChoice& choice, Intents& out);

// "Are you still there?" with the seconds left.
void draw_still_there(DrawContext& dc, int seconds_left, Intents& out);

// The content column: centred, at most ~190 mm wide, so lines stay short enough to read.
float begin_column(DrawContext& dc);

}  // namespace tt::kiosk::ui
