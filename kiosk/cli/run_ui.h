#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>

#include "kiosk/session/pupil_session.h"
#include "shared/common/command_line.h"

namespace tt::kiosk {

struct UiRunOptions {
  bool headless = true;
  std::filesystem::path input_file;       // empty: the live kiosk (window mode), until SIGTERM
  std::filesystem::path screenshots_dir;  // empty: no screenshots
  std::shared_ptr<const survey::Survey> survey;
  SessionOptions session;
  std::uint32_t idle_ms = 90'000;       // "Are you still there?" after this long untouched
  std::uint32_t countdown_ms = 20'000;  // then hand over after this long
  int width = 1280;
  int height = 800;
};

int run_pupil_ui(const std::filesystem::path& data_dir, const UiRunOptions& options);

}  // namespace tt::kiosk
