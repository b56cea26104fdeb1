#pragma once
// The input script of `tutortime-kiosk run --headless --input FILE`: it plays a pupil's taps on
// the real app through real SDL mouse events.
//   tap LABEL          the centre of the visible widget with that label (as drawn last frame),
//                      as a touchscreen's finger events with the mouse events SDL adds to them
//   double-tap LABEL   two taps in a row at once, as an impatient finger does
//   tap-at X Y         a point in window pixels
//   press-corner SECS  a finger held still in the top-left corner (the technician's gesture)
//   resize WxH         the window resized (a window manager, a tablet turned on its side)
//   type TEXT          each character through the on-screen keyboard ("Space" for a space)
//   wait SECONDS       let time pass (frames keep being drawn)
//   expect-screen NAME the screen showing (screen_name(): handover, pupil_code, … end)
//   expect-question ID the question showing
//   expect-text TEXT   some paragraph on screen contains TEXT (expect-no-text: none does)
//   expect-no-widget LABEL  no widget with that label is on screen
//   screenshot NAME    DIR/NAME.png (with --screenshots DIR)
//   key COMBO          a key press as SDL events: Escape, Alt+F4, Ctrl+Q, or a letter
//   close              a window close request and a quit request (what a window manager sends)
// A label that is not on screen fails with the labels that are there.
#include <filesystem>
#include <string>
#include <vector>

#include "kiosk/ui/kiosk_app.h"
#include "kiosk/ui/sdl_host.h"
#include "shared/common/error.h"

namespace tt::kiosk::ui {

struct InputStep {
  enum class Kind {
    Tap,
    DoubleTap,
    TapAt,
    Type,
    Wait,
    PressCorner,
    Resize,
    ExpectScreen,
    ExpectQuestion,
    ExpectText,
    ExpectNoText,
    ExpectNoWidget,
    Screenshot,
    Key,
    Close
  } kind = Kind::Tap;
  std::size_t line = 0;
  std::string text;  // Tap: the label; Type: the text; ExpectScreen/Screenshot: the name
  int x = 0, y = 0;
  double seconds = 0;
};

class InputScriptError : public Error {
 public:
  using Error::Error;
};

std::vector<InputStep> parse_input_script(const std::string& text);

// Plays every step; throws InputScriptError("line 7: tap \"Nxt\": no widget … on screen: …").
void play_input_script(SdlHost& host, KioskApp& app, const std::vector<InputStep>& steps,
                       const std::filesystem::path& screenshots_dir);

}  // namespace tt::kiosk::ui
