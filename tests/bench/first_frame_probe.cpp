// Preloaded (LD_PRELOAD) into an unmodified program that draws with SDL_Renderer, by
// ui_cold_start: at the program's first SDL_RenderPresent it lets the frame be presented, then
// writes one line to the file descriptor in TT_PROBE_FD,
//   first_present_ms=<since TT_PROBE_T0_NS> hwm_kb=<VmHWM> rss_kb=<VmRSS>
// and ends the process at once (_exit: a benchmark run, nothing to keep). TT_PROBE_T0_NS is the
// launcher's CLOCK_MONOTONIC just before fork(), so the figure covers fork, exec, the dynamic
// loader, static initialisers, main(), SDL and ImGui start-up and the first frame.
#include <dlfcn.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

struct SDL_Renderer;  // only passed through: no SDL headers or library needed

namespace {

long status_kb(const char* field) {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (f == nullptr) return -1;
  char line[256];
  long value = -1;
  std::size_t n = std::strlen(field);
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (std::strncmp(line, field, n) == 0 && line[n] == ':') {
      value = std::strtol(line + n + 1, nullptr, 10);
      break;
    }
  }
  std::fclose(f);
  return value;
}

}  // namespace

extern "C" void SDL_RenderPresent(SDL_Renderer* renderer) {
  using Present = void (*)(SDL_Renderer*);
  static Present real = reinterpret_cast<Present>(dlsym(RTLD_NEXT, "SDL_RenderPresent"));
  real(renderer);
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  const char* t0_text = std::getenv("TT_PROBE_T0_NS");
  const char* fd_text = std::getenv("TT_PROBE_FD");
  long long t0 = t0_text != nullptr ? std::atoll(t0_text) : 0;
  long long ns = static_cast<long long>(now.tv_sec) * 1000000000LL + now.tv_nsec;
  char out[160];
  int len = std::snprintf(out, sizeof out, "first_present_ms=%.2f hwm_kb=%ld rss_kb=%ld\n",
                          static_cast<double>(ns - t0) / 1e6, status_kb("VmHWM"), status_kb("VmRSS"));
  int fd = fd_text != nullptr ? std::atoi(fd_text) : 2;
  if (len > 0 && write(fd, out, static_cast<std::size_t>(len)) < 0) _exit(3);
  _exit(0);
}
