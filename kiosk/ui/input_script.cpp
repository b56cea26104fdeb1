#include "kiosk/ui/input_script.h"

#include <charconv>

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

void tap_at(SdlHost& host, KioskApp& app, int x, int y) {
  // A real SDL mouse move (SDL updates its own mouse state, which the ImGui backend reads), then
  // a press and a release as SDL events, each in its own frame, as a finger's tap arrives.
  SDL_WarpMouseInWindow(host.window(), x, y);
  settle(host, app, 1);
  SDL_Event event{};
  event.type = SDL_MOUSEBUTTONDOWN;
  event.button.button = SDL_BUTTON_LEFT;
  event.button.state = SDL_PRESSED;
  event.button.clicks = 1;
  event.button.x = x;
  event.button.y = y;
  event.button.windowID = SDL_GetWindowID(host.window());
  SDL_PushEvent(&event);
  settle(host, app, 1);
  event.type = SDL_MOUSEBUTTONUP;
  event.button.state = SDL_RELEASED;
  SDL_PushEvent(&event);
  settle(host, app, 2);
}

std::string labels_on_screen(const SdlHost& host) {
  std::string out;
  for (const WidgetRect& r : host.registry().rects()) out += (out.empty() ? "\"" : ", \"") + r.label + "\"";
  return out.empty() ? "(none)" : out;
}

void tap_label(SdlHost& host, KioskApp& app, const std::string& label, const std::string& where) {
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
  tap_at(host, app, x, y);
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
    } else if (verb == "expect-screen") {
      s.kind = InputStep::Kind::ExpectScreen;
    } else if (verb == "screenshot") {
      s.kind = InputStep::Kind::Screenshot;
    } else if (verb == "key") {
      s.kind = InputStep::Kind::Key;
      key_event(rest, where);  // checks the name now, before anything runs
    } else if (verb == "close") {
      s.kind = InputStep::Kind::Close;
    } else {
      throw InputScriptError(where + "unknown action \"" + verb +
                             "\"; expected tap, tap-at, type, wait, expect-screen, screenshot, key or close");
    }
    if (s.kind != InputStep::Kind::TapAt && s.kind != InputStep::Kind::Wait && s.kind != InputStep::Kind::Close &&
        s.text.empty()) {
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
    std::string where = "line " + std::to_string(s.line) + ": ";
    switch (s.kind) {
      case InputStep::Kind::Tap: tap_label(host, app, s.text, where); break;
      case InputStep::Kind::TapAt: tap_at(host, app, s.x, s.y); break;
      case InputStep::Kind::Type:
        for (char c : s.text) tap_label(host, app, c == ' ' ? std::string("Space") : std::string(1, c), where);
        break;
      case InputStep::Kind::Wait: {
        Uint32 until = SDL_GetTicks() + static_cast<Uint32>(s.seconds * 1000);
        while (SDL_GetTicks() < until) {
          host.wait_event(static_cast<int>(std::min<Uint32>(100, until - SDL_GetTicks())));
          host.render_frame(app);
        }
        break;
      }
      case InputStep::Kind::ExpectScreen:
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
        std::filesystem::create_directories(screenshots_dir);
        host.render_frame(app, screenshots_dir / (s.text + ".png"));
        break;
    }
  }
}

}  // namespace tt::kiosk::ui
