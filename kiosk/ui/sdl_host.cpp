#include "kiosk/ui/sdl_host.h"

#include <imgui.h>
#include <png.h>

#include <vector>

#include "imgui_impl_sdl.h"
#include "imgui_impl_sdlrenderer.h"
#include "shared/common/error.h"

namespace tt::kiosk::ui {

SdlHost::SdlHost(const HostOptions& options) : headless_(options.headless) {
  last_input_ms_ = 0;
  // SDL would turn SIGTERM/SIGINT into SDL_QUIT, which pupils' attempts share; the kiosk loop
  // takes the signals itself (kiosk_loop.h).
  SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
  if (options.headless) {
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "dummy");
    SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
  }
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER | SDL_INIT_EVENTS) != 0) {
    throw Error(std::string("start the display: ") + SDL_GetError());
  }
  Uint32 flags = options.headless ? 0 : SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_BORDERLESS;
  window_ = SDL_CreateWindow("Tutortime", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, options.width, options.height,
                             flags | SDL_WINDOW_ALLOW_HIGHDPI);
  if (window_ == nullptr) throw Error(std::string("open the kiosk window: ") + SDL_GetError());
  renderer_ = SDL_CreateRenderer(window_, -1, options.headless ? SDL_RENDERER_SOFTWARE : 0);
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
  ImGui_ImplSDL2_ProcessEvent(&event);
  if (event.type == SDL_MOUSEMOTION)
    pointer_ = ImVec2(static_cast<float>(event.motion.x), static_cast<float>(event.motion.y));
  if (event.type == SDL_MOUSEBUTTONDOWN || event.type == SDL_MOUSEBUTTONUP) {
    pointer_ = ImVec2(static_cast<float>(event.button.x), static_cast<float>(event.button.y));
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
  // SDL's dummy driver never gives a window mouse focus, so ImGui 1.86's backend (which reads
  // the position only for a focused or hovered window) drops it; headless, the position comes
  // from the same SDL mouse events instead. Button presses reach ImGui through the backend.
  if (headless_) ImGui::GetIO().MousePos = pointer_;
  ImGui::NewFrame();
  registry_.begin_frame();
  app.frame(theme_, registry_, SDL_GetTicks(), last_input_ms_);
  ImGui::Render();
  ImVec4 bg = theme_.background();
  SDL_SetRenderDrawColor(renderer_, static_cast<Uint8>(bg.x * 255), static_cast<Uint8>(bg.y * 255),
                         static_cast<Uint8>(bg.z * 255), 255);
  SDL_RenderClear(renderer_);
  ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
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
