#include "kiosk/ui/input_script.h"

#include <charconv>

#include "kiosk/ui/ui_text.h"
#include "shared/common/script_lines.h"

namespace tt::kiosk::ui {

namespace {

int parse_int(const std::string& text, const std::string& where) {
  int v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) throw InputScriptError(where + "expected a whole number");
  return v;
}

// Frames drawn after each input so the app settles (ImGui acts on a click in the frame after
// the release).
void settle(SdlHost& host, KioskApp& app, int frames = 2) {
  for (int i = 0; i < frames; ++i) {
    host.pump_events();
    host.render_frame(app);
  }
}

// Lets time pass as the live loop would: frames when the app asks for one or an event comes.
void wait_frames(SdlHost& host, KioskApp& app, double seconds) {
  Uint32 until = SDL_GetTicks() + static_cast<Uint32>(seconds * 1000);
  while (SDL_GetTicks() < until) {
    host.wait_event(static_cast<int>(std::min<Uint32>(100, until - SDL_GetTicks())));
    host.render_frame(app);
  }
}

// Frames until the screen has stopped moving: a pupil taps what they can see, after it arrived.
void settle_transition(SdlHost& host, KioskApp& app) {
  while (app.in_transition(SDL_GetTicks())) {
    host.wait_event(5);
    host.render_frame(app);
  }
}

// A finger event as a touchscreen sends it, followed by the mouse event SDL synthesises from it
// (marked SDL_TOUCH_MOUSEID), so every scripted tap also checks that a tap is counted once.
void push_touch(SdlHost& host, Uint32 finger_type, int x, int y) {
  SDL_Event finger{};
  finger.type = finger_type;
  finger.tfinger.touchId = 1;
  finger.tfinger.fingerId = 0;
  finger.tfinger.x = static_cast<float>(x) / static_cast<float>(host.width());
  finger.tfinger.y = static_cast<float>(y) / static_cast<float>(host.height());
  finger.tfinger.pressure = finger_type == SDL_FINGERUP ? 0.0f : 1.0f;
  finger.tfinger.windowID = SDL_GetWindowID(host.window());
  SDL_PushEvent(&finger);
  SDL_Event mouse{};
  mouse.type = finger_type == SDL_FINGERDOWN ? SDL_MOUSEBUTTONDOWN : SDL_MOUSEBUTTONUP;
  mouse.button.which = SDL_TOUCH_MOUSEID;
  mouse.button.button = SDL_BUTTON_LEFT;
  mouse.button.state = finger_type == SDL_FINGERDOWN ? SDL_PRESSED : SDL_RELEASED;
  mouse.button.clicks = 1;
  mouse.button.x = x;
  mouse.button.y = y;
  mouse.button.windowID = finger.tfinger.windowID;
  SDL_PushEvent(&mouse);
}

// A finger down and, a frame later, up again at one point; then frames for the app to act.
void tap_at(SdlHost& host, KioskApp& app, int x, int y) {
  push_touch(host, SDL_FINGERDOWN, x, y);
  settle(host, app, 1);
  push_touch(host, SDL_FINGERUP, x, y);
  settle(host, app, 2);
}

std::string labels_on_screen(const SdlHost& host) {
  std::string out;
  for (const WidgetRect& r : host.registry().rects()) out += (out.empty() ? "\"" : ", \"") + r.label + "\"";
  return out.empty() ? "(none)" : out;
}

// Where a pupil would tap the widget with this label; throws with the labels on screen if none.
SDL_Point centre_of(SdlHost& host, KioskApp& app, const std::string& label, const std::string& where) {
  auto rect = host.registry().find(label);
  if (!rect) {
    throw InputScriptError(where + "no widget labelled \"" + label + "\" is on screen (" + screen_name(app.screen()) +
                           "); the labels there are: " + labels_on_screen(host));
  }
  int x = static_cast<int>(rect->x + rect->width / 2);
  int y = static_cast<int>(rect->y + rect->height / 2);
  if (x < 0 || y < 0 || x >= host.width() || y >= host.height()) {
    throw InputScriptError(where + "\"" + label + "\" is drawn off the screen, at " + std::to_string(x) + "," +
                           std::to_string(y) + " on a " + std::to_string(host.width()) + "x" +
                           std::to_string(host.height()) + " display: a pupil could not tap it");
  }
  return SDL_Point{x, y};
}

void tap_label(SdlHost& host, KioskApp& app, const std::string& label, const std::string& where) {
  settle_transition(host, app);
  SDL_Point at = centre_of(host, app, label, where);
  tap_at(host, app, at.x, at.y);
}

// "Alt+F4" → F4 with the Alt modifier.
SDL_Event key_event(const std::string& combo, const std::string& where) {
  SDL_Event event{};
  event.type = SDL_KEYDOWN;
  event.key.state = SDL_PRESSED;
  std::string rest = combo;
  Uint16 mod = KMOD_NONE;
  for (auto [prefix, flag] : {std::pair<const char*, Uint16>{"Ctrl+", KMOD_LCTRL}, {"Alt+", KMOD_LALT}}) {
    std::string p = prefix;
    if (rest.rfind(p, 0) == 0) {
      mod |= flag;
      rest = rest.substr(p.size());
    }
  }
  SDL_Keycode key = SDL_GetKeyFromName(rest.c_str());
  if (key == SDLK_UNKNOWN) throw InputScriptError(where + "unknown key \"" + rest + "\"");
  event.key.keysym.sym = key;
  event.key.keysym.scancode = SDL_GetScancodeFromKey(key);
  event.key.keysym.mod = mod;
  return event;
}

}  // namespace

std::vector<InputStep> parse_input_script(const std::string& text) {
  std::vector<InputStep> steps;
  for (const ScriptLine& l : split_script_lines(text)) {
    const std::string& verb = l.verb;
    const std::string& rest = l.rest;
    const std::string where = l.where();
    InputStep s;
    s.line = l.number;
    s.text = rest;
    if (verb == "tap") {
      s.kind = InputStep::Kind::Tap;
    } else if (verb == "tap-at") {
      s.kind = InputStep::Kind::TapAt;
      auto split = rest.find(' ');
      if (split == std::string::npos) throw InputScriptError(where + "tap-at needs X and Y");
      s.x = parse_int(rest.substr(0, split), where);
      s.y = parse_int(trim_spaces(rest.substr(split)), where);
    } else if (verb == "resize") {
      s.kind = InputStep::Kind::Resize;
      auto split = rest.find('x');
      if (split == std::string::npos) throw InputScriptError(where + "resize needs WIDTHxHEIGHT, e.g. 800x1280");
      s.x = parse_int(rest.substr(0, split), where);
      s.y = parse_int(rest.substr(split + 1), where);
      if (s.x < 320 || s.y < 320 || s.x > 8192 || s.y > 8192) {
        throw InputScriptError(where + "resize takes 320 to 8192 pixels each way");
      }
    } else if (verb == "type") {
      s.kind = InputStep::Kind::Type;
    } else if (verb == "wait") {
      s.kind = InputStep::Kind::Wait;
      try {
        s.seconds = std::stod(rest);
      } catch (const std::exception&) {
        throw InputScriptError(where + "wait needs a number of seconds");
      }
      if (s.seconds < 0 || s.seconds > 3600) throw InputScriptError(where + "wait takes 0 to 3600 seconds");
    } else if (verb == "double-tap") {
      s.kind = InputStep::Kind::DoubleTap;
    } else if (verb == "press-corner") {
      s.kind = InputStep::Kind::PressCorner;
      try {
        s.seconds = std::stod(rest);
      } catch (const std::exception&) {
        throw InputScriptError(where + "press-corner needs a number of seconds");
      }
      if (s.seconds < 0 || s.seconds > 60) throw InputScriptError(where + "press-corner takes 0 to 60 seconds");
    } else if (verb == "expect-screen") {
      s.kind = InputStep::Kind::ExpectScreen;
    } else if (verb == "expect-question") {
      s.kind = InputStep::Kind::ExpectQuestion;
    } else if (verb == "expect-text") {
      s.kind = InputStep::Kind::ExpectText;
    } else if (verb == "expect-no-text") {
      s.kind = InputStep::Kind::ExpectNoText;
    } else if (verb == "expect-no-widget") {
      s.kind = InputStep::Kind::ExpectNoWidget;
    } else if (verb == "screenshot") {
      s.kind = InputStep::Kind::Screenshot;
    } else if (verb == "key") {
      s.kind = InputStep::Kind::Key;
      key_event(rest, where);  // checks the name now, before anything runs
    } else if (verb == "close") {
      s.kind = InputStep::Kind::Close;
    } else {
      throw InputScriptError(
          where + "unknown action \"" + verb +
          "\"; expected tap, double-tap, tap-at, type, wait, press-corner, resize, expect-screen, "
          "expect-question, expect-text, expect-no-text, expect-no-widget, screenshot, key or close");
    }
    if (s.kind != InputStep::Kind::TapAt && s.kind != InputStep::Kind::Wait && s.kind != InputStep::Kind::Close &&
        s.kind != InputStep::Kind::PressCorner && s.text.empty()) {
      throw InputScriptError(where + verb + " needs an argument");
    }
    steps.push_back(std::move(s));
  }
  return steps;
}

void play_input_script(SdlHost& host, KioskApp& app, const std::vector<InputStep>& steps,
                       const std::filesystem::path& screenshots_dir) {
  settle(host, app);
  for (const InputStep& s : steps) {
    if (app.exit_requested()) {
      throw InputScriptError("line " + std::to_string(s.line) + ": the kiosk was closed from the technician menu");
    }
    std::string where = "line " + std::to_string(s.line) + ": ";
    switch (s.kind) {
      case InputStep::Kind::Tap: tap_label(host, app, s.text, where); break;
      case InputStep::Kind::TapAt:
        settle_transition(host, app);
        tap_at(host, app, s.x, s.y);
        break;
      case InputStep::Kind::DoubleTap: {
        // Twice at the same point, as fast as a finger can, without waiting for the screen.
        settle_transition(host, app);
        SDL_Point at = centre_of(host, app, s.text, where);
        tap_at(host, app, at.x, at.y);
        tap_at(host, app, at.x, at.y);
        break;
      }
      case InputStep::Kind::PressCorner: {
        // A finger held still in the top-left corner: no events while it rests, as on glass.
        settle_transition(host, app);
        int at = static_cast<int>(KioskApp::kCornerMm * 0.5f * host.pixels_per_mm());
        push_touch(host, SDL_FINGERDOWN, at, at);
        wait_frames(host, app, s.seconds);
        push_touch(host, SDL_FINGERUP, at, at);
        settle(host, app, 2);
        break;
      }
      case InputStep::Kind::Type:
        for (char c : s.text) {
          tap_label(host, app, c == ' ' ? std::string(ui_text(UiText::Space, app.language())) : std::string(1, c),
                    where);
        }
        break;
      case InputStep::Kind::Wait: wait_frames(host, app, s.seconds); break;
      case InputStep::Kind::Resize:
        // As a window manager (or a tablet turned on its side) resizes the window.
        SDL_SetWindowSize(host.window(), s.x, s.y);
        settle(host, app);
        if (host.width() != s.x || host.height() != s.y) {
          throw InputScriptError(where + "the window did not become " + s.text + " (it is " +
                                 std::to_string(host.width()) + "x" + std::to_string(host.height()) + ")");
        }
        break;
      case InputStep::Kind::ExpectQuestion: {
        settle_transition(host, app);
        std::string shown = app.current_question_id();
        if (s.text != shown) {
          throw InputScriptError(where + "expected question \"" + s.text + "\", but " +
                                 (shown.empty() ? std::string("no question") : "question \"" + shown + "\"") +
                                 " is showing (" + screen_name(app.screen()) + " screen)");
        }
        break;
      }
      case InputStep::Kind::ExpectText:
      case InputStep::Kind::ExpectNoText: {
        settle_transition(host, app);
        bool shown = host.registry().shows_text(s.text);
        if (shown != (s.kind == InputStep::Kind::ExpectText)) {
          std::string texts;
          for (const std::string& t : host.registry().texts()) texts += (texts.empty() ? "\"" : ", \"") + t + "\"";
          throw InputScriptError(where + (shown ? "did not expect" : "expected") + " text with \"" + s.text +
                                 "\" on the " + screen_name(app.screen()) +
                                 " screen; its text is: " + (texts.empty() ? std::string("(none)") : texts));
        }
        break;
      }
      case InputStep::Kind::ExpectNoWidget:
        settle_transition(host, app);
        if (host.registry().find(s.text)) {
          throw InputScriptError(where + "did not expect a widget labelled \"" + s.text + "\" on the " +
                                 screen_name(app.screen()) + " screen");
        }
        break;
      case InputStep::Kind::ExpectScreen:
        settle_transition(host, app);
        if (s.text != screen_name(app.screen())) {
          throw InputScriptError(where + "expected the " + s.text + " screen, but the " + screen_name(app.screen()) +
                                 " screen is showing");
        }
        break;
      case InputStep::Kind::Key: {
        SDL_Event down = key_event(s.text, where);
        SDL_PushEvent(&down);
        SDL_Event up = down;
        up.type = SDL_KEYUP;
        up.key.state = SDL_RELEASED;
        SDL_PushEvent(&up);
        settle(host, app);
        break;
      }
      case InputStep::Kind::Close: {
        SDL_Event close{};
        close.type = SDL_WINDOWEVENT;
        close.window.event = SDL_WINDOWEVENT_CLOSE;
        close.window.windowID = SDL_GetWindowID(host.window());
        SDL_PushEvent(&close);
        SDL_Event quit{};
        quit.type = SDL_QUIT;
        SDL_PushEvent(&quit);
        settle(host, app);
        break;
      }
      case InputStep::Kind::Screenshot:
        if (screenshots_dir.empty()) break;
        settle_transition(host, app);
        std::filesystem::create_directories(screenshots_dir);
        host.render_frame(app, screenshots_dir / (s.text + ".png"));
        break;
    }
  }
}

}  // namespace tt::kiosk::ui
