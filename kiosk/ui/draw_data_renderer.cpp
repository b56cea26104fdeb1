#include "kiosk/ui/draw_data_renderer.h"

#include <algorithm>
#include <array>
#include <cstddef>

namespace tt::kiosk::ui {

namespace {

// The rectangle of one quad of a command without a texture, if it is an opaque, axis-aligned
// rectangle of `colour` (two triangles, as ImDrawList::AddRectFilled makes them).
bool plain_rect(const ImDrawVert* vtx, const ImDrawIdx* idx, ImU32 colour, SDL_FRect& rect) {
  const ImVec2 a = vtx[idx[0]].pos, c = vtx[idx[2]].pos;
  const float x0 = std::min(a.x, c.x), x1 = std::max(a.x, c.x), y0 = std::min(a.y, c.y), y1 = std::max(a.y, c.y);
  for (int k = 0; k < 6; ++k) {
    const ImDrawVert& v = vtx[idx[k]];
    if (v.col != colour || (v.pos.x != x0 && v.pos.x != x1) || (v.pos.y != y0 && v.pos.y != y1)) return false;
  }
  rect = SDL_FRect{x0, y0, x1 - x0, y1 - y0};
  return true;
}

}  // namespace

void render_draw_data(SDL_Renderer* renderer, const ImDrawData* data) {
  float rsx = 1.0f, rsy = 1.0f;
  SDL_RenderGetScale(renderer, &rsx, &rsy);
  const ImVec2 scale(rsx == 1.0f ? data->FramebufferScale.x : 1.0f, rsy == 1.0f ? data->FramebufferScale.y : 1.0f);
  const float fb_width = data->DisplaySize.x * scale.x, fb_height = data->DisplaySize.y * scale.y;
  if (fb_width <= 0 || fb_height <= 0) return;
  SDL_RenderSetViewport(renderer, nullptr);
  for (int n = 0; n < data->CmdListsCount; ++n) {
    const ImDrawList* list = data->CmdLists[n];
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      if (cmd.UserCallback != nullptr) {
        if (cmd.UserCallback != ImDrawCallback_ResetRenderState) cmd.UserCallback(list, &cmd);
        continue;
      }
      ImVec2 clip_min(std::max(0.0f, (cmd.ClipRect.x - data->DisplayPos.x) * scale.x),
                      std::max(0.0f, (cmd.ClipRect.y - data->DisplayPos.y) * scale.y));
      ImVec2 clip_max(std::min(fb_width, (cmd.ClipRect.z - data->DisplayPos.x) * scale.x),
                      std::min(fb_height, (cmd.ClipRect.w - data->DisplayPos.y) * scale.y));
      if (clip_max.x <= clip_min.x || clip_max.y <= clip_min.y) continue;
      SDL_Rect clip{static_cast<int>(clip_min.x), static_cast<int>(clip_min.y),
                    static_cast<int>(clip_max.x - clip_min.x), static_cast<int>(clip_max.y - clip_min.y)};
      SDL_RenderSetClipRect(renderer, &clip);
      const ImDrawVert* vtx = list->VtxBuffer.Data + cmd.VtxOffset;
      const ImDrawIdx* idx = list->IdxBuffer.Data + cmd.IdxOffset;
      const ImU32 colour = cmd.ElemCount > 0 ? vtx[idx[0]].col : 0;
      bool plain = cmd.GetTexID() == nullptr && cmd.ElemCount % 6 == 0 && (colour & IM_COL32_A_MASK) == IM_COL32_A_MASK;
      SDL_FRect rect;
      for (unsigned i = 0; plain && i < cmd.ElemCount; i += 6) plain = plain_rect(vtx, idx + i, colour, rect);
      if (plain) {
        SDL_SetRenderDrawBlendMode(renderer, SDL_BLENDMODE_NONE);
        SDL_SetRenderDrawColor(renderer, colour & 0xFF, (colour >> 8) & 0xFF, (colour >> 16) & 0xFF, 255);
        std::array<SDL_FRect, 7> batch;
        int batched = 0;
        for (unsigned i = 0; i < cmd.ElemCount; i += 6) {
          plain_rect(vtx, idx + i, colour, batch[static_cast<std::size_t>(batched++)]);
          if (batched == static_cast<int>(batch.size()) || i + 6 >= cmd.ElemCount) {
            SDL_RenderFillRectsF(renderer, batch.data(), batched);
            batched = 0;
          }
        }
        // Untextured geometry takes the renderer's draw blend mode: put blending back for it.
        SDL_SetRenderDrawBlendMode(renderer, SDL_BLENDMODE_BLEND);
        continue;
      }
      const char* base = reinterpret_cast<const char*>(vtx);
      SDL_RenderGeometryRaw(renderer, static_cast<SDL_Texture*>(cmd.GetTexID()),
                            reinterpret_cast<const float*>(base + offsetof(ImDrawVert, pos)), sizeof(ImDrawVert),
                            reinterpret_cast<const SDL_Color*>(base + offsetof(ImDrawVert, col)), sizeof(ImDrawVert),
                            reinterpret_cast<const float*>(base + offsetof(ImDrawVert, uv)), sizeof(ImDrawVert),
                            list->VtxBuffer.Size - static_cast<int>(cmd.VtxOffset), idx,
                            static_cast<int>(cmd.ElemCount), sizeof(ImDrawIdx));
    }
  }
  SDL_RenderSetClipRect(renderer, nullptr);
}

}  // namespace tt::kiosk::ui
