// The pupil app's cost per frame, headless as in the tests (SDL's dummy driver, the software
// renderer, 1280x800 unless --size), or in a real window with --window (under Xvfb in run.sh):
//  - frame time p50/p90/p99/max on each screen a pupil sees (pump_events + render_frame, the
//    live loop's work per frame), after 0.25 s of untimed frames so the screen has settled;
//  - where a frame's time goes: the same frame's draw data replayed through the renderer in
//    parts (clear, ImGui's triangles through the stock backend, present; each flushed), the rest
//    being ImGui and the app; and the same draw data through the kiosk's own renderer
//    (draw_data_renderer.h: "kiosk-draw"), with a check that both draw the same pixels;
//  - what is drawn: ImGui's vertices, indices and draw commands, and how SDL's software renderer
//    will take them (SDL_RenderGeometryRaw on the software renderer turns each pair of triangles
//    forming an axis-aligned, single-coloured rectangle into a rectangle fill or blit; every
//    other triangle is rasterised pixel by pixel over its whole bounding box);
//  - the time from main() to the first drawn frame, the font atlas, and the peak resident memory.
// The untouched kiosk's CPU use needs a live event loop and a display, so tests/bench/run.sh
// measures it under Xvfb; cold start of the real binary is ui_cold_start's.
//   ui_frame_bench [--frames N] [--size WxH] [--window] [--json-only]
#include <SDL.h>
#include <imgui.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "imgui_impl_sdlrenderer.h"
#include "kiosk/session/pupil_session.h"
#include "kiosk/ui/draw_data_renderer.h"
#include "kiosk/ui/input_script.h"
#include "kiosk/ui/sdl_host.h"
#include "shared/common/files.h"
#include "shared/crypto/key_files.h"
#include "shared/crypto/x25519.h"
#include "shared/survey/survey_loader.h"
#include "tests/bench/bench_stats.h"

namespace {

using tt::bench::median;
using tt::bench::percentile;

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// kB from /proc/self/status ("VmHWM", "VmRSS").
long status_kb(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) == 0 && line.size() > std::strlen(field) && line[std::strlen(field)] == ':') {
      return std::stol(line.substr(std::strlen(field) + 1));
    }
  }
  return -1;
}

// What one frame asks of SDL's software renderer (an estimate that follows SDL 2.26's
// SDL_SW_RenderGeometryRaw: two consecutive triangles sharing two indices, whose four corners
// form an axis-aligned rectangle of one colour, become a rectangle).
struct DrawStats {
  long vertices = 0, indices = 0, commands = 0;
  long fill_rects = 0, fill_px = 0;          // untextured (ImGui's white pixel): SDL_RenderFillRect, blended
  long blit_rects = 0, blit_px = 0;          // textured (glyphs): SDL_RenderCopy, colour-modulated and blended
  long triangles = 0, triangle_bbox_px = 0;  // rasterised per pixel of their bounding boxes
};

DrawStats draw_stats(const ImDrawData* data, float tex_w, float tex_h) {
  DrawStats s;
  s.vertices = data->TotalVtxCount;
  s.indices = data->TotalIdxCount;
  auto clipped_area = [](float x0, float y0, float x1, float y1, const ImVec4& clip) {
    x0 = std::max(x0, clip.x);
    y0 = std::max(y0, clip.y);
    x1 = std::min(x1, clip.z);
    y1 = std::min(y1, clip.w);
    return (x1 > x0 && y1 > y0) ? static_cast<long>((x1 - x0) * (y1 - y0)) : 0L;
  };
  for (int n = 0; n < data->CmdListsCount; ++n) {
    const ImDrawList* list = data->CmdLists[n];
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      if (cmd.UserCallback != nullptr || cmd.ElemCount == 0) continue;
      ++s.commands;
      const ImDrawIdx* idx = list->IdxBuffer.Data + cmd.IdxOffset;
      const ImDrawVert* vtx = list->VtxBuffer.Data + cmd.VtxOffset;
      auto triangle = [&](const ImDrawIdx* t) {
        const ImVec2 &a = vtx[t[0]].pos, &b = vtx[t[1]].pos, &c = vtx[t[2]].pos;
        ++s.triangles;
        s.triangle_bbox_px += clipped_area(std::min({a.x, b.x, c.x}), std::min({a.y, b.y, c.y}),
                                           std::max({a.x, b.x, c.x}), std::max({a.y, b.y, c.y}), cmd.ClipRect);
      };
      const ImDrawIdx* pending = nullptr;
      for (unsigned i = 0; i + 2 < cmd.ElemCount; i += 3) {
        const ImDrawIdx* t = idx + i;
        if (pending != nullptr) {
          int shared = 0;
          for (int a = 0; a < 3; ++a)
            for (int b = 0; b < 3; ++b) shared += pending[a] == t[b];
          bool rect = shared == 2;
          ImDrawIdx corners[4] = {pending[0], pending[1], pending[2], 0};
          for (int b = 0; b < 3 && rect; ++b) {
            if (t[b] != pending[0] && t[b] != pending[1] && t[b] != pending[2]) corners[3] = t[b];
          }
          float xs[2] = {vtx[corners[0]].pos.x, 0}, ys[2] = {vtx[corners[0]].pos.y, 0};
          int nx = 1, ny = 1;
          for (int k = 0; k < 4 && rect; ++k) {
            const ImDrawVert& v = vtx[corners[k]];
            rect = v.col == vtx[corners[0]].col;
            if (v.pos.x != xs[0]) {
              if (nx == 1) xs[nx++] = v.pos.x;
              rect = rect && v.pos.x == xs[1];
            }
            if (v.pos.y != ys[0]) {
              if (ny == 1) ys[ny++] = v.pos.y;
              rect = rect && v.pos.y == ys[1];
            }
          }
          rect = rect && nx == 2 && ny == 2;
          if (rect) {
            float u0 = vtx[corners[0]].uv.x, u1 = u0, v0 = vtx[corners[0]].uv.y, v1 = v0;
            for (const ImDrawIdx c : corners) {
              u0 = std::min(u0, vtx[c].uv.x);
              u1 = std::max(u1, vtx[c].uv.x);
              v0 = std::min(v0, vtx[c].uv.y);
              v1 = std::max(v1, vtx[c].uv.y);
            }
            long area = clipped_area(std::min(xs[0], xs[1]), std::min(ys[0], ys[1]), std::max(xs[0], xs[1]),
                                     std::max(ys[0], ys[1]), cmd.ClipRect);
            if (static_cast<int>(u1 * tex_w) - static_cast<int>(u0 * tex_w) > 0 &&
                static_cast<int>(v1 * tex_h) - static_cast<int>(v0 * tex_h) > 0) {
              ++s.blit_rects;
              s.blit_px += area;
            } else {
              ++s.fill_rects;
              s.fill_px += area;
            }
            pending = nullptr;
            continue;
          }
          triangle(pending);
        }
        pending = t;
      }
      if (pending != nullptr) triangle(pending);
    }
  }
  return s;
}

// A hash of each row of what the renderer holds (row by row: no frame-sized buffer, which would
// show in the peak resident memory this benchmark reports).
std::vector<std::uint64_t> row_hashes(SDL_Renderer* renderer) {
  int w = 0, h = 0;
  SDL_GetRendererOutputSize(renderer, &w, &h);
  std::vector<Uint32> row(static_cast<std::size_t>(w));
  std::vector<std::uint64_t> hashes;
  for (int y = 0; y < h; ++y) {
    SDL_Rect line{0, y, w, 1};
    SDL_RenderReadPixels(renderer, &line, SDL_PIXELFORMAT_ARGB8888, row.data(), w * 4);
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (Uint32 p : row) hash = (hash ^ p) * 0x100000001b3ULL;
    hashes.push_back(hash);
  }
  return hashes;
}

struct Options {
  int frames = 300, width = 1280, height = 800;
  bool window = false, json_only = false;
};

}  // namespace

int main(int argc, char** argv) {
  auto started = Clock::now();
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    bool has_value = i + 1 < argc;
    if (a == "--frames" && has_value) {
      o.frames = std::max(1, std::stoi(argv[++i]));
    } else if (a == "--size" && has_value) {
      if (std::sscanf(argv[++i], "%dx%d", &o.width, &o.height) != 2) return 2;
    } else if (a == "--window") {
      o.window = true;
    } else if (a == "--json-only") {
      o.json_only = true;
    } else {
      std::fprintf(stderr, "usage: ui_frame_bench [--frames N] [--size WxH] [--window] [--json-only]\n");
      return 2;
    }
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
  options.headless = !o.window;
  options.width = o.width;
  options.height = o.height;
  tt::kiosk::ui::SdlHost host(options);
  tt::kiosk::ui::KioskApp app(*store, survey, tt::kiosk::SessionOptions{});
  host.render_frame(app);
  double first_frame_ms = ms_since(started);

  SDL_Renderer* renderer = SDL_GetRenderer(host.window());
  SDL_RendererInfo info{};
  SDL_GetRendererInfo(renderer, &info);
  const ImGuiIO& io = ImGui::GetIO();
  const float tex_w = static_cast<float>(io.Fonts->TexWidth), tex_h = static_cast<float>(io.Fonts->TexHeight);

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
  if (!o.json_only) {
    std::printf("ui_frame_bench: %dx%d, %s, renderer %s, %d frames per screen; font atlas %dx%d\n", o.width, o.height,
                o.window ? "window" : "headless", info.name, o.frames, io.Fonts->TexWidth, io.Fonts->TexHeight);
    std::printf("%-36s %7s %7s %7s %7s | %6s %6s %6s %6s | %9s %s\n", "frame time (ms)", "p50", "p90", "p99", "max",
                "imgui", "clear", "draw", "pres", "kiosk-draw", "pixels");
  }
  std::string json = "{\"benchmark\":\"ui_frame\",\"mode\":\"" + std::string(o.window ? "window" : "headless") +
                     "\",\"renderer\":\"" + info.name + "\",\"width\":" + std::to_string(o.width) +
                     ",\"height\":" + std::to_string(o.height) + ",\"screens\":[";
  std::vector<double> all_frames;
  std::vector<std::pair<std::string, DrawStats>> stats;
  for (std::size_t s = 0; s < screens.size(); ++s) {
    if (!screens[s].first.empty()) {
      tt::kiosk::ui::play_input_script(host, app, tt::kiosk::ui::parse_input_script(screens[s].first), {});
    }
    // Untimed: let the screen settle (a screen change may animate for a moment).
    for (auto t0 = Clock::now(); ms_since(t0) < 250;) {
      host.pump_events();
      host.render_frame(app);
    }
    std::vector<double> ms;
    for (int f = 0; f < o.frames; ++f) {
      auto t0 = Clock::now();
      host.pump_events();
      host.render_frame(app);
      ms.push_back(ms_since(t0));
    }
    all_frames.insert(all_frames.end(), ms.begin(), ms.end());
    // The last frame's draw data (valid until the next NewFrame), replayed in parts.
    ImDrawData* data = ImGui::GetDrawData();
    DrawStats st = draw_stats(data, tex_w, tex_h);
    std::vector<double> clear_ms, draw_ms, present_ms, kiosk_draw_ms;
    for (int f = 0; f < std::min(o.frames, 100); ++f) {
      auto t0 = Clock::now();
      SDL_RenderClear(renderer);
      SDL_RenderFlush(renderer);
      clear_ms.push_back(ms_since(t0));
      t0 = Clock::now();
      ImGui_ImplSDLRenderer_RenderDrawData(data);
      SDL_RenderFlush(renderer);
      draw_ms.push_back(ms_since(t0));
      t0 = Clock::now();
      SDL_RenderPresent(renderer);
      present_ms.push_back(ms_since(t0));
      SDL_RenderClear(renderer);
      t0 = Clock::now();
      tt::kiosk::ui::render_draw_data(renderer, data);
      SDL_RenderFlush(renderer);
      kiosk_draw_ms.push_back(ms_since(t0));
    }
    // Does the kiosk's renderer draw the same pixels as the stock backend?
    SDL_RenderClear(renderer);
    ImGui_ImplSDLRenderer_RenderDrawData(data);
    std::vector<std::uint64_t> usual = row_hashes(renderer);
    SDL_RenderClear(renderer);
    tt::kiosk::ui::render_draw_data(renderer, data);
    std::vector<std::uint64_t> kiosk_drawn = row_hashes(renderer);
    long differing = 0;  // rows
    for (std::size_t i = 0; i < usual.size() && i < kiosk_drawn.size(); ++i) differing += usual[i] != kiosk_drawn[i];
    double p50 = percentile(ms, 0.5), p90 = percentile(ms, 0.9), p99 = percentile(ms, 0.99);
    double max = *std::max_element(ms.begin(), ms.end());
    double clear = percentile(clear_ms, 0.5), draw = percentile(draw_ms, 0.5), present = percentile(present_ms, 0.5);
    double draw_kiosk = percentile(kiosk_draw_ms, 0.5);
    double imgui = std::max(0.0, p50 - clear - draw - present);
    const char* name = screens[s].second.c_str();
    if (!o.json_only) {
      std::printf("%-36.36s %7.3f %7.3f %7.3f %7.3f | %6.3f %6.3f %6.3f %6.3f | %9.3f %s\n", name, p50, p90, p99, max,
                  imgui, clear, draw, present, draw_kiosk, differing == 0 ? "same" : "DIFFER");
    }
    stats.push_back({name, st});
    char entry[1024];
    std::snprintf(entry, sizeof entry,
                  "%s{\"screen\":\"%s\",\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,\"max\":%.3f,\"imgui_ms\":%.3f,"
                  "\"clear_ms\":%.3f,\"draw_ms\":%.3f,\"present_ms\":%.3f,\"vertices\":%ld,\"triangles\":%ld,"
                  "\"commands\":%ld,\"fill_rects\":%ld,\"fill_px\":%ld,\"blit_rects\":%ld,\"blit_px\":%ld,"
                  "\"raster_triangles\":%ld,\"triangle_bbox_px\":%ld,\"draw_kiosk_ms\":%.3f,"
                  "\"kiosk_rows_differing\":%ld}",
                  s ? "," : "", name, p50, p90, p99, max, imgui, clear, draw, present, st.vertices, st.indices / 3,
                  st.commands, st.fill_rects, st.fill_px, st.blit_rects, st.blit_px, st.triangles, st.triangle_bbox_px,
                  draw_kiosk, differing);
    json += entry;
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  double peak_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;
  double all_p50 = percentile(all_frames, 0.5), all_p99 = percentile(all_frames, 0.99);
  if (!o.json_only) {
    std::printf("all screens: p50 %.3f ms, p99 %.3f ms\n", all_p50, all_p99);
    std::printf("%-36s %6s %6s %4s | %5s %8s | %5s %7s | %5s %8s\n", "what is drawn (last frame)", "vtx", "tris",
                "cmds", "fills", "fill px", "blits", "blit px", "tris*", "bbox px");
    for (const auto& [name, st] : stats) {
      std::printf("%-36.36s %6ld %6ld %4ld | %5ld %8ld | %5ld %7ld | %5ld %8ld\n", name.c_str(), st.vertices,
                  st.indices / 3, st.commands, st.fill_rects, st.fill_px, st.blit_rects, st.blit_px, st.triangles,
                  st.triangle_bbox_px);
    }
    std::printf("first frame %.1f ms after main(); peak resident memory %.1f MB (now %.1f MB)\n", first_frame_ms,
                peak_mb, static_cast<double>(status_kb("VmRSS")) / 1024.0);
  }
  std::printf(
      "JSON %s],\"all_p50\":%.3f,\"all_p99\":%.3f,\"first_frame_ms\":%.1f,\"peak_rss_mb\":%.1f,\"atlas\":\"%dx%d\"}\n",
      json.c_str(), all_p50, all_p99, first_frame_ms, peak_mb, io.Fonts->TexWidth, io.Fonts->TexHeight);
  fs::remove_all(dir);
  return 0;
}
