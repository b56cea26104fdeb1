#pragma once
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
  int width = 1280;
  int height = 800;
};

int run_pupil_ui(const std::filesystem::path& data_dir, const UiRunOptions& options);

}  // namespace tt::kiosk
