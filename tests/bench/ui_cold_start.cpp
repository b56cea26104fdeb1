// Cold start of an unmodified program: the time from fork() to its first presented frame, and
// its resident memory then, over several runs. The program is started with first_frame_probe
// preloaded (LD_PRELOAD), which ends it right after its first SDL_RenderPresent and reports back
// through a pipe. The file cache is warm after the first run; the first run is shown apart.
//   ui_cold_start --probe PATH/libfirst_frame_probe.so [--runs N] [--label TEXT] -- PROGRAM ARGS...
// Environment variables (DISPLAY, SDL_RENDER_DRIVER, ...) pass through to the program.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "tests/bench/bench_stats.h"

namespace {

using tt::bench::median;

long long monotonic_ns() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<long long>(now.tv_sec) * 1000000000LL + now.tv_nsec;
}

struct Sample {
  double ms = 0;
  long hwm_kb = 0;
};

// One run; false if the program ended without presenting a frame.
bool run_once(const std::string& probe, char** command, Sample& out) {
  int fds[2];
  if (pipe(fds) != 0) return false;
  long long t0 = monotonic_ns();
  pid_t pid = fork();
  if (pid < 0) return false;
  if (pid == 0) {
    close(fds[0]);
    setenv("TT_PROBE_T0_NS", std::to_string(t0).c_str(), 1);
    setenv("TT_PROBE_FD", std::to_string(fds[1]).c_str(), 1);
    const char* preload = std::getenv("LD_PRELOAD");
    setenv("LD_PRELOAD", (preload != nullptr && *preload ? probe + ":" + preload : probe).c_str(), 1);
    int null = open("/dev/null", O_WRONLY);
    if (null >= 0) {
      dup2(null, 1);
      dup2(null, 2);
    }
    execvp(command[0], command);
    _exit(127);
  }
  close(fds[1]);
  std::string line;
  char buffer[256];
  ssize_t n;
  while ((n = read(fds[0], buffer, sizeof buffer)) > 0) line.append(buffer, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  long rss = 0;
  return std::sscanf(line.c_str(), "first_present_ms=%lf hwm_kb=%ld rss_kb=%ld", &out.ms, &out.hwm_kb, &rss) == 3;
}

}  // namespace

int main(int argc, char** argv) {
  std::string probe, label = "cold start";
  int runs = 5;
  int i = 1;
  for (; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--") {
      ++i;
      break;
    }
    if (a == "--probe" && i + 1 < argc) {
      probe = argv[++i];
    } else if (a == "--runs" && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--label" && i + 1 < argc) {
      label = argv[++i];
    } else {
      break;
    }
  }
  if (probe.empty() || i >= argc) {
    std::fprintf(stderr, "usage: ui_cold_start --probe PATH [--runs N] [--label TEXT] -- PROGRAM ARGS...\n");
    return 2;
  }
  std::vector<double> ms, mb;
  for (int r = 0; r < runs; ++r) {
    Sample s;
    if (!run_once(probe, argv + i, s)) {
      std::fprintf(stderr, "ui_cold_start: %s ended without presenting a frame\n", argv[i]);
      return 1;
    }
    ms.push_back(s.ms);
    mb.push_back(static_cast<double>(s.hwm_kb) / 1024.0);
  }
  std::printf(
      "%s: first presented frame %.1f ms after fork (median of %d; first run %.1f, range %.1f-%.1f); "
      "peak resident then %.1f MB\n",
      label.c_str(), median(ms), runs, ms.front(), *std::min_element(ms.begin(), ms.end()),
      *std::max_element(ms.begin(), ms.end()), median(mb));
  std::printf(
      "JSON {\"benchmark\":\"ui_cold_start\",\"label\":\"%s\",\"runs\":%d,\"first_present_ms\":%.1f,"
      "\"first_run_ms\":%.1f,\"min_ms\":%.1f,\"max_ms\":%.1f,\"peak_rss_mb\":%.1f}\n",
      label.c_str(), runs, median(ms), ms.front(), *std::min_element(ms.begin(), ms.end()),
      *std::max_element(ms.begin(), ms.end()), median(mb));
  return 0;
}
