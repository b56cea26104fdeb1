#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>

#include "kiosk/session/pupil_session.h"
#include "shared/common/command_line.h"

namespace tt::kiosk {

struct UiRunOptions {
  bool headless = true;
  std::filesystem::path input_file;       // empty: the live kiosk (window mode), until SIGTERM
  std::filesystem::path screenshots_dir;  // empty: no screenshots
  // What pupils take when no class session is open; null when several surveys are installed and
  // none was chosen (a teacher then opens a class session).
  std::shared_ptr<const survey::Survey> survey;
  SessionOptions session;
  // Given on the command line, these win over the kiosk's configuration (config set).
  std::optional<std::uint32_t> idle_seconds;       // "Are you still there?" after this long untouched
  std::optional<std::uint32_t> countdown_seconds;  // then hand over after this long
  std::optional<std::uint32_t> display_dpi;
  int width = 1280;
  int height = 800;
};

int run_pupil_ui(const std::filesystem::path& data_dir, const UiRunOptions& options);

}  // namespace tt::kiosk
