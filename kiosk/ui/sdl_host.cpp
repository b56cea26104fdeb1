#include "kiosk/ui/sdl_host.h"

#include <imgui.h>
#include <png.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <vector>

#include "imgui_impl_sdl.h"
#include "imgui_impl_sdlrenderer.h"
#include "kiosk/ui/draw_data_renderer.h"
#include "shared/common/error.h"

namespace tt::kiosk::ui {

SdlHost::SdlHost(const HostOptions& options) {
  last_input_ms_ = 0;
  // SDL would turn SIGTERM/SIGINT into SDL_QUIT, which pupils' attempts share; the kiosk loop
  // takes the signals itself (kiosk_loop.h).
  SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
  if (options.headless) SDL_SetHint(SDL_HINT_VIDEODRIVER, "dummy");
  // The software renderer in a window too, and its pixels put on screen without an OpenGL
  // texture: on a tablet without a usable GPU, SDL would otherwise pick OpenGL on Mesa's
  // llvmpipe (115 MB resident, 470 ms to the first frame under Xvfb, against 27 MB and 185 ms;
  // docs/benchmarks.md), and the kiosk's shapes are cut to be cheap for the software rasteriser.
  // A hint yields to the environment, so a tablet whose GPU does better can set
  // SDL_RENDER_DRIVER=opengl.
  SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
  SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER | SDL_INIT_EVENTS) != 0) {
    throw Error(std::string("start the display: ") + SDL_GetError());
  }
  Uint32 flags = options.headless ? 0 : SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_BORDERLESS;
  window_ = SDL_CreateWindow("Tutortime", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, options.width, options.height,
                             flags | SDL_WINDOW_ALLOW_HIGHDPI);
  if (window_ == nullptr) throw Error(std::string("open the kiosk window: ") + SDL_GetError());
  renderer_ = SDL_CreateRenderer(window_, -1, 0);
  if (renderer_ == nullptr) renderer_ = SDL_CreateRenderer(window_, -1, SDL_RENDERER_SOFTWARE);
  if (renderer_ == nullptr) throw Error(std::string("create a renderer: ") + SDL_GetError());
  SDL_GetWindowSize(window_, &width_, &height_);
  theme_.pixels_per_mm = options.pixels_per_mm;
  if (theme_.pixels_per_mm <= 0) {
    float ddpi = 0;
    theme_.pixels_per_mm =
        (!options.headless && SDL_GetDisplayDPI(0, &ddpi, nullptr, nullptr) == 0 && ddpi > 50) ? ddpi / 25.4f : 4.0f;
  }
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;  // nothing of a session is written to disk
  ImGui_ImplSDL2_InitForSDLRenderer(window_);
  ImGui_ImplSDLRenderer_Init(renderer_);
  apply_theme(theme_);
}

SdlHost::~SdlHost() {
  ImGui_ImplSDLRenderer_Shutdown();
  ImGui_ImplSDL2_Shutdown();
  ImGui::DestroyContext();
  if (renderer_ != nullptr) SDL_DestroyRenderer(renderer_);
  if (window_ != nullptr) SDL_DestroyWindow(window_);
  SDL_Quit();
}

Uint32 SdlHost::shutdown_event_type() {
  static const Uint32 type = SDL_RegisterEvents(1);
  return type;
}

namespace {

// Keys and requests that would leave or disturb the kiosk: pupils' attempts are dropped.
bool is_escape_attempt(const SDL_Event& event) {
  if (event.type == SDL_QUIT) return true;
  if (event.type == SDL_WINDOWEVENT && event.window.event == SDL_WINDOWEVENT_CLOSE) return true;
  if (event.type == SDL_KEYDOWN || event.type == SDL_KEYUP) {
    SDL_Keycode key = event.key.keysym.sym;
    Uint16 mod = event.key.keysym.mod;
    if (key == SDLK_ESCAPE || key == SDLK_F4 || (key == SDLK_q && (mod & KMOD_CTRL)) || (mod & KMOD_ALT)) return true;
  }
  return false;
}

bool is_input(const SDL_Event& event) {
  switch (event.type) {
    case SDL_MOUSEMOTION:
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
    case SDL_MOUSEWHEEL:
    case SDL_FINGERDOWN:
    case SDL_FINGERUP:
    case SDL_FINGERMOTION:
    case SDL_KEYDOWN:
    case SDL_KEYUP:
    case SDL_TEXTINPUT: return true;
    default: return false;
  }
}

}  // namespace

void SdlHost::handle(const SDL_Event& event) {
  if (event.type == shutdown_event_type()) {
    shutdown_ = true;
    return;
  }
  if (is_escape_attempt(event)) {
    ++ignored_escape_attempts_;
    return;
  }
  if (is_input(event)) last_input_ms_ = SDL_GetTicks();
  if (handle_pointer(event)) return;
  ImGui_ImplSDL2_ProcessEvent(&event);
}

// One pointer for ImGui, fed by a finger or a real mouse. SDL also turns every touch into mouse
// events (marked SDL_TOUCH_MOUSEID); those are dropped, so a tap is counted once whatever order
// the two arrive in. Only the first finger down is followed: a second finger or a resting palm
// does not move the pointer or tap anything.
bool SdlHost::handle_pointer(const SDL_Event& event) {
  auto press = [this](float x, float y) {
    pointer_ = ImVec2(x, y);
    pointer_down_ = true;
    press_pending_ = true;  // held for at least one frame, however short the tap
  };
  switch (event.type) {
    case SDL_MOUSEMOTION:
      if (event.motion.which == SDL_TOUCH_MOUSEID) return true;
      if (!finger_) pointer_ = ImVec2(static_cast<float>(event.motion.x), static_cast<float>(event.motion.y));
      return true;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
      if (event.button.which == SDL_TOUCH_MOUSEID || event.button.button != SDL_BUTTON_LEFT || finger_) return true;
      if (event.type == SDL_MOUSEBUTTONDOWN) {
        press(static_cast<float>(event.button.x), static_cast<float>(event.button.y));
      } else {
        pointer_ = ImVec2(static_cast<float>(event.button.x), static_cast<float>(event.button.y));
        pointer_down_ = false;
      }
      return true;
    case SDL_FINGERDOWN:
      if (!finger_) {
        finger_ = event.tfinger.fingerId;
        press(event.tfinger.x * static_cast<float>(width_), event.tfinger.y * static_cast<float>(height_));
      }
      return true;
    case SDL_FINGERMOTION:
      if (finger_ == event.tfinger.fingerId) {
        pointer_ = ImVec2(event.tfinger.x * static_cast<float>(width_), event.tfinger.y * static_cast<float>(height_));
      }
      return true;
    case SDL_FINGERUP:
      if (finger_ == event.tfinger.fingerId) {
        pointer_ = ImVec2(event.tfinger.x * static_cast<float>(width_), event.tfinger.y * static_cast<float>(height_));
        pointer_down_ = false;
        finger_.reset();
      }
      return true;
    default: return false;
  }
}

bool SdlHost::pump_events() {
  SDL_Event event;
  while (SDL_PollEvent(&event)) handle(event);
  return !shutdown_;
}

bool SdlHost::wait_event(int timeout_ms) {
  SDL_Event event;
  int got = timeout_ms < 0 ? SDL_WaitEvent(&event) : SDL_WaitEventTimeout(&event, timeout_ms);
  if (got == 1) handle(event);
  return pump_events();
}

void SdlHost::render_frame(KioskApp& app, const std::filesystem::path& screenshot) {
  SDL_GetWindowSize(window_, &width_, &height_);
  ImGui_ImplSDLRenderer_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  // The pointer is ours (handle_pointer), not the backend's: ImGui 1.86's backend reads SDL's
  // mouse state, which knows nothing of fingers, and under the dummy driver never has focus.
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = pointer_;
  io.MouseDown[0] = pointer_down_ || press_pending_;
  io.MouseDown[1] = io.MouseDown[2] = false;
  press_pending_ = false;
  ImGui::NewFrame();
  registry_.begin_frame();
  app.frame(theme_, registry_, SDL_GetTicks(), last_input_ms_);
  ImGui::Render();
  ImVec4 bg = theme_.background();
  SDL_SetRenderDrawColor(renderer_, static_cast<Uint8>(bg.x * 255), static_cast<Uint8>(bg.y * 255),
                         static_cast<Uint8>(bg.z * 255), 255);
  SDL_RenderClear(renderer_);
  render_draw_data(renderer_, ImGui::GetDrawData());
  if (!screenshot.empty()) save_png(screenshot);
  SDL_RenderPresent(renderer_);
  // The pupil changed the text size or the contrast: rebuild fonts and colours between frames.
  const DisplayChoice& wanted = app.display();
  if (wanted.text_scale() != theme_.text_scale || wanted.high_contrast != theme_.high_contrast) {
    theme_.text_scale = wanted.text_scale();
    theme_.high_contrast = wanted.high_contrast;
    ImGui_ImplSDLRenderer_DestroyFontsTexture();
    apply_theme(theme_);
    ImGui_ImplSDLRenderer_CreateFontsTexture();
  }
}

void SdlHost::save_png(const std::filesystem::path& file) {
  int w = 0, h = 0;
  SDL_GetRendererOutputSize(renderer_, &w, &h);
  std::vector<unsigned char> pixels(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4);
  if (SDL_RenderReadPixels(renderer_, nullptr, SDL_PIXELFORMAT_RGBA32, pixels.data(), w * 4) != 0) {
    throw Error("screenshot " + file.string() + ": " + SDL_GetError());
  }
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  image.width = static_cast<png_uint_32>(w);
  image.height = static_cast<png_uint_32>(h);
  image.format = PNG_FORMAT_RGBA;
  if (png_image_write_to_file(&image, file.c_str(), 0, pixels.data(), w * 4, nullptr) == 0) {
    throw Error("screenshot " + file.string() + ": " + image.message);
  }
}

}  // namespace tt::kiosk::ui
