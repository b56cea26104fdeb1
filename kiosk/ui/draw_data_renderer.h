#pragma once
// How the kiosk puts Dear ImGui's draw data on an SDL_Renderer (SdlHost::render_frame; the
// frame benchmark draws with it too, beside the stock backend, and checks the pixels agree).
#include <SDL.h>
#include <imgui.h>

namespace tt::kiosk::ui {

// ImGui's draw data, drawn as the backend's ImGui_ImplSDLRenderer_RenderDrawData draws it, but
// for the commands without a texture: the widgets draw only opaque, axis-aligned, whole-pixel
// rectangles so (widgets.cpp), and these become SDL_RenderFillRects without blending, where
// SDL's software renderer would blend every pixel of a rectangle that comes as geometry (about
// 3 ns a pixel here, against 0.15 for a plain fill; docs/benchmarks.md). A command that is not
// such rectangles throughout is drawn as geometry, as the backend would. Rectangles go to SDL in
// sevens: it copies up to 128 bytes of them onto its stack and allocates for more (an idle
// frame allocates nothing, tests/ui).
void render_draw_data(SDL_Renderer* renderer, const ImDrawData* data);

}  // namespace tt::kiosk::ui
