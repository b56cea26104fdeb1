#pragma once
// The server's log: one line per event on standard error (systemd's journal keeps it),
//   2026-12-04T09:05:01Z info POST /v1/batches 200 127.0.0.1 4 ms: device 3f2a…: stored 10, …
// Contract: a line never holds a request or response body, a header's value, a token or a
// key — only what the server itself chose to say (ServiceReply::log_note and its own errors).
#include <string>
#include <string_view>

namespace tt::central {

enum class LogLevel { Info, Warning, Error };

void log_line(LogLevel level, std::string_view message);

// Text from a request (a path) made safe for one log line: control characters replaced,
// at most `max` bytes kept.
std::string loggable(std::string_view text, std::size_t max = 200);

}  // namespace tt::central
