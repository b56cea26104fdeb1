#include "sync/central/server_log.h"

#include <ctime>
#include <iostream>
#include <mutex>

namespace tt::central {

void log_line(LogLevel level, std::string_view message) {
  static std::mutex mutex;
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
  const char* word = level == LogLevel::Info ? "info" : level == LogLevel::Warning ? "warning" : "error";
  std::lock_guard lock(mutex);
  std::cerr << stamp << ' ' << word << ' ' << message << '\n' << std::flush;
}

std::string loggable(std::string_view text, std::size_t max) {
  std::string out;
  for (char c : text.substr(0, max)) {
    auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7f) ? '?' : c;
  }
  if (text.size() > max) out += "…";
  return out;
}

}  // namespace tt::central
