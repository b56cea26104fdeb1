// The pupil app's cost per frame, headless as in the tests (SDL's dummy driver, the software
// renderer, 1280x800 unless --size): frame time p50/p90/p99 on each screen a pupil sees, the time
// from main() to the first drawn frame, and the peak resident memory. The untouched kiosk's CPU
// use needs a live event loop and a display, so tests/bench/run.sh measures it under Xvfb.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "kiosk/session/pupil_session.h"
#include "kiosk/ui/input_script.h"
#include "kiosk/ui/sdl_host.h"
#include "shared/common/files.h"
#include "shared/crypto/key_files.h"
#include "shared/crypto/x25519.h"
#include "shared/survey/survey_loader.h"

namespace {

using Clock = std::chrono::steady_clock;

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  std::size_t i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  auto started = Clock::now();
  int frames = 300, width = 1280, height = 800;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--frames") frames = std::stoi(argv[i + 1]);
    if (a == "--size") std::sscanf(argv[i + 1], "%dx%d", &width, &height);
  }
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("tt-ui-bench-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  auto store = tt::kiosk::KioskStore::create(dir);
  store->set_setting(
      tt::kiosk::kSettingAnalysisPublicKey,
      tt::crypto::public_key_to_pem(tt::crypto::KeyAlgorithm::X25519, tt::crypto::x25519_generate().public_key));
  std::string survey_text = tt::read_text_file(TUTORTIME_Y7_SURVEY);
  auto survey = std::make_shared<const tt::survey::Survey>(tt::survey::load_survey_text(survey_text, "y7"));
  tt::kiosk::ui::HostOptions options;
  options.width = width;
  options.height = height;
  tt::kiosk::ui::SdlHost host(options);
  tt::kiosk::ui::KioskApp app(*store, survey, tt::kiosk::SessionOptions{});
  host.render_frame(app);
  double first_frame_ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();

  // Each screen: (how to get there from the one before, its name).
  const std::vector<std::pair<std::string, std::string>> screens = {
      {"", "handover"},
      {"tap Tap to start\n", "pupil code keypad"},
      {"tap 7\ntap K\ntap 3\ntap M\ntap P\ntap 8\ntap Start\n", "notice"},
      {"tap Start\ntap Next\n", "question: 6 labelled cards (WHO-5)"},
      {"tap Some of the time\ntap Next\ntap Some of the time\ntap Next\ntap Some of the time\ntap Next\n"
       "tap Some of the time\ntap Next\ntap Some of the time\ntap Next\n",
       "question: five faces"},
      {"tap Sad\ntap Next\n", "question: 9 options in two columns"},
  };
  std::printf("ui_frame_bench: %dx%d, software renderer, %d frames per screen\n", width, height, frames);
  std::printf("%-40s %8s %8s %8s %8s\n", "screen", "p50 ms", "p90 ms", "p99 ms", "max ms");
  std::string json = "{\"benchmark\":\"ui_frame\",\"width\":" + std::to_string(width) +
                     ",\"height\":" + std::to_string(height) + ",\"screens\":[";
  for (std::size_t s = 0; s < screens.size(); ++s) {
    if (!screens[s].first.empty()) {
      tt::kiosk::ui::play_input_script(host, app, tt::kiosk::ui::parse_input_script(screens[s].first), {});
    }
    std::vector<double> ms;
    for (int f = 0; f < frames; ++f) {
      auto t0 = Clock::now();
      host.pump_events();
      host.render_frame(app);
      ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
    std::printf("%-40s %8.3f %8.3f %8.3f %8.3f\n", screens[s].second.c_str(), percentile(ms, 0.5), percentile(ms, 0.9),
                percentile(ms, 0.99), *std::max_element(ms.begin(), ms.end()));
    char entry[256];
    std::snprintf(entry, sizeof entry, "%s{\"screen\":\"%s\",\"p50\":%.3f,\"p99\":%.3f}", s ? "," : "",
                  screens[s].second.c_str(), percentile(ms, 0.5), percentile(ms, 0.99));
    json += entry;
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("first frame %.1f ms after main(); peak resident memory %.1f MB\n", first_frame_ms,
              static_cast<double>(usage.ru_maxrss) / 1024.0);
  std::printf("JSON %s],\"first_frame_ms\":%.1f,\"peak_rss_mb\":%.1f}\n", json.c_str(), first_frame_ms,
              static_cast<double>(usage.ru_maxrss) / 1024.0);
  fs::remove_all(dir);
  return 0;
}
