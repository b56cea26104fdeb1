// `tutortime-kiosk run --headless --input FILE [--screenshots DIR]`: the real pupil app under
// SDL's dummy driver and the software renderer, played by an input script of taps.
#include "kiosk/cli/run_ui.h"

#include <iostream>

#include "kiosk/cli/open_store.h"
#include "kiosk/session/kiosk_config.h"
#include "kiosk/ui/input_script.h"
#include "kiosk/ui/kiosk_loop.h"
#include "kiosk/ui/sdl_host.h"
#include "shared/common/files.h"

namespace tt::kiosk {

int run_pupil_ui(const std::filesystem::path& data_dir, const UiRunOptions& options) {
  std::vector<ui::InputStep> steps;
  if (!options.input_file.empty()) {
    try {
      steps = ui::parse_input_script(read_text_file(options.input_file));
    } catch (const ui::InputScriptError& e) {
      throw InvalidInputError(options.input_file.string() + ": " + e.what());
    }
  }
  auto store = open_store_for_command(data_dir);
  KioskConfig config = load_kiosk_config(*store);
  ui::AppSettings settings;
  settings.idle.ask_after_ms = options.idle_seconds.value_or(config.idle_seconds) * 1000;
  settings.idle.countdown_ms = options.countdown_seconds.value_or(config.countdown_seconds) * 1000;
  settings.school_contact = config.school_contact;
  settings.draft_max_age_hours = config.draft_max_age_hours;
  ui::HostOptions host_options;
  host_options.headless = options.headless;
  host_options.width = options.width;
  host_options.height = options.height;
  std::uint32_t dpi = options.display_dpi.value_or(config.display_dpi);
  if (dpi > 0) host_options.pixels_per_mm = static_cast<float>(dpi) / 25.4f;
  if (options.input_file.empty()) ui::start_shutdown_watcher();  // before SDL starts threads
  ui::SdlHost host(host_options);
  ui::KioskApp app(*store, options.survey, options.session, settings);
  if (options.input_file.empty()) {
    std::cout << "the kiosk is running (stop it from the technician menu, with Ctrl+C or with SIGTERM)" << std::endl;
    long frames = ui::run_kiosk_loop(host, app);
    std::cout << (app.exit_requested() ? "the technician closed the kiosk after " : "stopped after ") << frames
              << " frames; " << app.finished_count() << " responses sealed" << std::endl;
    return kExitOk;
  }
  try {
    ui::play_input_script(host, app, steps, options.screenshots_dir);
  } catch (const ui::InputScriptError& e) {
    std::cerr << "tutortime-kiosk: " << options.input_file.string() << " " << e.what() << "\n";
    return kExitRejected;
  }
  std::cout << "played " << steps.size() << " input steps; " << app.finished_count() << " response"
            << (app.finished_count() == 1 ? "" : "s") << " sealed into the outbox; now on the "
            << ui::screen_name(app.screen()) << " screen; " << host.ignored_escape_attempts()
            << " attempts to leave were ignored" << (app.exit_requested() ? "; the technician closed the kiosk" : "")
            << std::endl;
  if (!options.screenshots_dir.empty()) std::cout << "screenshots in " << options.screenshots_dir.string() << std::endl;
  return kExitOk;
}

}  // namespace tt::kiosk
