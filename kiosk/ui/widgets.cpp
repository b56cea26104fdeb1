#include "kiosk/ui/widgets.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <utility>

namespace tt::kiosk::ui {

namespace {

void record(DrawContext& dc, std::string_view label) {
  ImVec2 min = ImGui::GetItemRectMin();
  ImVec2 size = ImGui::GetItemRectSize();
  dc.registry.record(label, min.x, min.y, size.x, size.y);
}

// How the shapes are drawn, for SDL's software renderer (the tablets' renderer, and headless).
// It rasterises a triangle by testing every pixel of the triangle's bounding box, a textured one
// (ImGui sends every shape with its font atlas bound, for the white pixel) with 64-bit divisions
// and a blend per pixel; ImGui fills a rounded card as one polygon, a fan of long thin triangles
// each spanning the card, so most of a frame went there. But two triangles that form an
// axis-aligned, single-coloured rectangle it fills as a rectangle. So a rounded rectangle here
// is the same anti-aliased shape as ImGui's, cut differently: whole-pixel rectangles for its
// flat inside, its border and the straight runs of its one-pixel anti-aliased rim (which there
// is exactly half the colour's opacity), and triangles only round the corners. The pieces never
// overlap, and the vertices of the straight runs fall on whole pixels, so any renderer draws
// them alike. Opaque rectangles are drawn without the texture: no renderer needs it for them,
// and the host can then fill them without blending (proposed in docs/benchmarks.md).

constexpr float kPi = 3.14159265358979f;

bool is_opaque(ImU32 colour) {
  return (colour & IM_COL32_A_MASK) == IM_COL32_A_MASK;
}

ImU32 with_alpha(ImU32 colour, ImU32 alpha) {
  return (colour & ~IM_COL32_A_MASK) | (alpha << IM_COL32_A_SHIFT);
}

// An axis-aligned rectangle with corners on whole pixels.
void flat_rect(ImDrawList* draw, ImVec2 min, ImVec2 max, ImU32 colour) {
  if (max.x <= min.x || max.y <= min.y || (colour & IM_COL32_A_MASK) == 0) return;
  bool untextured = is_opaque(colour);  // a translucent one keeps the texture, and so its blending
  if (untextured) draw->PushTextureID(ImTextureID{});
  draw->AddRectFilled(min, max, colour);
  if (untextured) draw->PopTextureID();
}

ImVec2 whole_pixels(ImVec2 p) {
  return ImVec2(std::round(p.x), std::round(p.y));
}

// A rounded rectangle covering the whole pixels [min, max): its corners are quarter circles of
// radius r + 0.5 about whole-pixel centres, so its outline runs half a pixel outside [min, max)
// (as ImGui's anti-aliased fill of such a shape does), and the rim pixels just outside get half
// the colour. r = 0: square corners, no rim (as ImGui draws a rectangle without rounding).
struct RoundedBox {
  ImVec2 min, max;
  float r = 0;
  int steps = 0;  // segments per quarter circle

  ImVec2 centre(int q) const {  // q: 0 top-left, 1 top-right, 2 bottom-right, 3 bottom-left
    return ImVec2(q == 0 || q == 3 ? min.x + r : max.x - r, q < 2 ? min.y + r : max.y - r);
  }
  // The point `distance` from corner q's centre, k of `steps` along its quarter turn (clockwise).
  ImVec2 arc(int q, int k, float distance) const {
    float a = kPi * (1.0f + 0.5f * static_cast<float>(q) + 0.5f * static_cast<float>(k) / static_cast<float>(steps));
    ImVec2 n(std::cos(a), std::sin(a));
    if (k == 0 || k == steps) n = ImVec2(std::round(n.x), std::round(n.y));  // exactly on the axes
    ImVec2 c = centre(q);
    return ImVec2(c.x + n.x * distance, c.y + n.y * distance);
  }
};

RoundedBox rounded_box(const ImDrawList* draw, ImVec2 min, ImVec2 max, float rounding) {
  RoundedBox b;
  b.min = whole_pixels(min);
  b.max = whole_pixels(max);
  b.r = std::floor(std::min({rounding, (b.max.x - b.min.x) * 0.5f, (b.max.y - b.min.y) * 0.5f}));
  if (b.r < 1.0f) b.r = 0;
  if (b.r > 0) b.steps = std::max(2, (draw->_CalcCircleAutoSegmentCount(b.r + 0.5f) + 3) / 4);
  return b;
}

// Triangles joining two arcs round every corner, at `inner` and `outer` from the centres (a
// fan from the centre when inner is 0), in the colours given for each.
void corner_strips(ImDrawList* draw, const RoundedBox& b, float inner, ImU32 inner_colour, float outer,
                   ImU32 outer_colour) {
  const ImVec2 uv = ImGui::GetFontTexUvWhitePixel();
  const unsigned n = static_cast<unsigned>(b.steps) + 1;
  const bool fan = inner <= 0;
  const unsigned per_corner = fan ? n + 1 : 2 * n;
  draw->PrimReserve(4 * b.steps * (fan ? 3 : 6), 4 * static_cast<int>(per_corner));
  const unsigned base = draw->_VtxCurrentIdx;
  for (int q = 0; q < 4; ++q) {
    if (fan) draw->PrimWriteVtx(b.centre(q), uv, inner_colour);
    for (int k = 0; k <= b.steps; ++k) {
      if (!fan) draw->PrimWriteVtx(b.arc(q, k, inner), uv, inner_colour);
      draw->PrimWriteVtx(b.arc(q, k, outer), uv, outer_colour);
    }
  }
  auto index = [&](unsigned i) { draw->PrimWriteIdx(static_cast<ImDrawIdx>(i)); };
  for (unsigned q = 0; q < 4; ++q) {
    unsigned c = base + q * per_corner;
    for (unsigned k = 0; k < static_cast<unsigned>(b.steps); ++k) {
      if (fan) {
        for (unsigned i : {c, c + 1 + k, c + 2 + k}) index(i);
      } else {
        unsigned i0 = c + 2 * k, i1 = i0 + 2;  // inner at even, outer at odd
        for (unsigned i : {i0, i0 + 1, i1 + 1, i0, i1 + 1, i1}) index(i);
      }
    }
  }
}

// The inside, out to the rim: three flat rectangles (the middle at full height, the sides
// between the corners) and a fan in each corner.
void fill_inside(ImDrawList* draw, const RoundedBox& b, ImU32 colour) {
  if (b.r <= 0) {
    flat_rect(draw, b.min, b.max, colour);
    return;
  }
  flat_rect(draw, ImVec2(b.min.x + b.r, b.min.y), ImVec2(b.max.x - b.r, b.max.y), colour);
  flat_rect(draw, ImVec2(b.min.x, b.min.y + b.r), ImVec2(b.min.x + b.r, b.max.y - b.r), colour);
  flat_rect(draw, ImVec2(b.max.x - b.r, b.min.y + b.r), ImVec2(b.max.x, b.max.y - b.r), colour);
  corner_strips(draw, b, 0.0f, colour, b.r, colour);
}

// The one-pixel anti-aliased rim just outside [min, max), from the colour to transparent.
void rim(ImDrawList* draw, const RoundedBox& b, ImU32 colour) {
  if (b.r <= 0) return;
  ImU32 half = with_alpha(colour, ((colour >> IM_COL32_A_SHIFT) & 0xFF) / 2);
  flat_rect(draw, ImVec2(b.min.x + b.r, b.min.y - 1), ImVec2(b.max.x - b.r, b.min.y), half);
  flat_rect(draw, ImVec2(b.min.x + b.r, b.max.y), ImVec2(b.max.x - b.r, b.max.y + 1), half);
  flat_rect(draw, ImVec2(b.min.x - 1, b.min.y + b.r), ImVec2(b.min.x, b.max.y - b.r), half);
  flat_rect(draw, ImVec2(b.max.x, b.min.y + b.r), ImVec2(b.max.x + 1, b.max.y - b.r), half);
  corner_strips(draw, b, b.r, colour, b.r + 1.0f, with_alpha(colour, 0));
}

// A band `t` whole pixels wide just inside [min, max) (a border): flat rectangles along the
// edges, a strip round each corner. For an opaque colour: the pieces overlap when t > r.
void band(ImDrawList* draw, const RoundedBox& b, float t, ImU32 colour) {
  flat_rect(draw, ImVec2(b.min.x + b.r, b.min.y), ImVec2(b.max.x - b.r, b.min.y + t), colour);
  flat_rect(draw, ImVec2(b.min.x + b.r, b.max.y - t), ImVec2(b.max.x - b.r, b.max.y), colour);
  flat_rect(draw, ImVec2(b.min.x, b.min.y + b.r), ImVec2(b.min.x + t, b.max.y - b.r), colour);
  flat_rect(draw, ImVec2(b.max.x - t, b.min.y + b.r), ImVec2(b.max.x, b.max.y - b.r), colour);
  if (b.r > 0) corner_strips(draw, b, std::max(0.0f, b.r - t), colour, b.r, colour);
}

// A filled rounded rectangle, anti-aliased.
void rounded_rect(ImDrawList* draw, ImVec2 min, ImVec2 max, float rounding, ImU32 colour) {
  RoundedBox b = rounded_box(draw, min, max, rounding);
  if (b.max.x <= b.min.x || b.max.y <= b.min.y) return;
  fill_inside(draw, b, colour);
  rim(draw, b, colour);
}

// A rounded rectangle with a border `thickness` wide (whole pixels) inside its edge, the fill's
// own rounded shape within it (concentric corners), both anti-aliased.
void bordered_rounded_rect(ImDrawList* draw, ImVec2 min, ImVec2 max, float rounding, ImU32 fill, ImU32 border,
                           float thickness) {
  float t = std::max(1.0f, std::ceil(thickness));
  // ImGui's border is a line along the rounded edge: its middle follows `rounding`.
  RoundedBox outer = rounded_box(draw, min, max, rounding + 0.5f * t);
  if (outer.max.x - outer.min.x <= 2 * t || outer.max.y - outer.min.y <= 2 * t) {
    rounded_rect(draw, min, max, rounding, border);
    return;
  }
  RoundedBox inner = rounded_box(draw, ImVec2(outer.min.x + t, outer.min.y + t),
                                 ImVec2(outer.max.x - t, outer.max.y - t), outer.r - t);
  rim(draw, outer, border);
  band(draw, outer, t, border);
  fill_inside(draw, inner, fill);
  rim(draw, inner, fill);
}

// A filled disc as horizontal bands of flat rectangles, for a disc whose edge is covered by an
// outline `edge` pixels wide (as the faces' are): each band's ends stay within edge / 2 of the
// circle, under the outline, which hides the steps. (ImGui's disc is a fan of 40-odd triangles,
// each tested over a bounding box up to the size of the whole disc.)
void outlined_disc_fill(ImDrawList* draw, ImVec2 centre, float radius, float edge, ImU32 colour) {
  const float e = std::max(0.5f, 0.5f * edge);
  const float outer = (radius + e) * (radius + e), inner = (radius - e) * (radius - e);
  // For the rows [y0, y1): the squared half-widths (lo, hi) that keep the band's ends out to
  // radius - e on its row nearest the centre, and its corners inside radius + e.
  auto limits = [&](float y0, float y1) {
    float a = y0 - centre.y, b = y1 - centre.y;
    float near = (a < 0 && b > 0) ? 0.0f : std::min(std::fabs(a), std::fabs(b));
    float far = std::max(std::fabs(a), std::fabs(b));
    return std::make_pair(inner - near * near, outer - far * far);
  };
  const float bottom = std::round(centre.y + radius);
  for (float y0 = std::round(centre.y - radius); y0 < bottom;) {
    float y1 = y0 + 1;  // grow the band a row at a time while one width still fits
    while (y1 < bottom && limits(y0, y1 + 1).first <= limits(y0, y1 + 1).second) y1 += 1;
    auto [lo, hi] = limits(y0, y1);
    float half = std::sqrt(std::max(0.0f, 0.5f * (std::max(lo, 0.0f) + hi)));
    if (hi > 0) {
      flat_rect(draw, ImVec2(std::round(centre.x - half), y0), ImVec2(std::round(centre.x + half), y1), colour);
    }
    y0 = y1;
  }
}

}  // namespace

void panel(DrawContext& dc, ImVec2 min, ImVec2 max) {
  const Theme& t = dc.theme;
  bordered_rounded_rect(ImGui::GetWindowDrawList(), min, max, 3.0f * t.pixels_per_mm, t.surface(), t.accent(),
                        0.6f * t.pixels_per_mm);
}

bool big_button(DrawContext& dc, std::string_view label, float width, ButtonStyle style, std::string_view id) {
  const Theme& t = dc.theme;
  ImFont* font = t.body;
  ImGui::PushFont(font);
  const char* label_end = label.data() + label.size();
  ImVec2 text_size = ImGui::CalcTextSize(label.data(), label_end, false, width - 2 * t.gap());
  float height = std::max(t.target_height(), text_size.y + t.gap() * 1.5f);
  std::string_view key = id.empty() ? label : id;
  ImGui::PushID(key.data(), key.data() + key.size());  // by range: no copy to terminate it
  bool tapped = ImGui::InvisibleButton("button", ImVec2(width, height));
  ImGui::PopID();
  record(dc, label);
  ImVec2 min = ImGui::GetItemRectMin();
  ImVec2 max = ImGui::GetItemRectMax();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  float rounding = ImGui::GetStyle().FrameRounding;
  ImU32 fill = t.accent();
  ImU32 ink = t.accent_text();
  if (style == ButtonStyle::Secondary || style == ButtonStyle::Choice) {
    fill = t.surface();
    ink = t.text();
  } else if (style == ButtonStyle::ChoiceSelected) {
    fill = t.selected();
  }
  if (ImGui::IsItemActive()) fill = t.selected();
  if (style == ButtonStyle::Secondary || style == ButtonStyle::Choice) {
    bordered_rounded_rect(draw, min, max, rounding, fill, t.accent(), 0.6f * t.pixels_per_mm);
  } else {
    rounded_rect(draw, min, max, rounding, fill);
  }
  ImVec2 text_pos(min.x + (width - text_size.x) * 0.5f, min.y + (height - text_size.y) * 0.5f);
  // A choice's tick box, at the left; its label starts after it (at the larger text sizes too).
  const float box = font->FontSize * 0.8f;
  const ImVec2 b0(min.x + t.gap() * 0.8f, min.y + (height - box) * 0.5f);
  if (style == ButtonStyle::Choice || style == ButtonStyle::ChoiceSelected) {
    text_pos.x = std::max(min.x + t.gap() * 2.5f, b0.x + box + t.gap() * 0.3f);
  }
  draw->AddText(font, font->FontSize, text_pos, ink, label.data(), label_end, width - 2 * t.gap());
  if (style == ButtonStyle::Choice || style == ButtonStyle::ChoiceSelected) {
    // The tick box, ticked when chosen: the choice is visible without colour alone.
    ImVec2 b1(b0.x + box, b0.y + box);
    draw->AddRect(b0, b1, ink, 0.2f * box, 0, 0.5f * t.pixels_per_mm);
    if (style == ButtonStyle::ChoiceSelected) {
      draw->AddLine(ImVec2(b0.x + 0.2f * box, b0.y + 0.5f * box), ImVec2(b0.x + 0.42f * box, b0.y + 0.75f * box), ink,
                    0.7f * t.pixels_per_mm);
      draw->AddLine(ImVec2(b0.x + 0.42f * box, b0.y + 0.75f * box), ImVec2(b0.x + 0.82f * box, b0.y + 0.25f * box), ink,
                    0.7f * t.pixels_per_mm);
    }
  }
  ImGui::PopFont();
  return tapped;
}

bool face_button(DrawContext& dc, int face, std::string_view label, float size, bool selected) {
  const Theme& t = dc.theme;
  ImGui::PushFont(t.body);
  float label_height = ImGui::GetTextLineHeightWithSpacing() * 2;
  bool tapped = ImGui::InvisibleButton(("face" + std::to_string(face)).c_str(), ImVec2(size, size + label_height));
  record(dc, label);
  ImVec2 min = ImGui::GetItemRectMin();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  ImVec2 centre(min.x + size * 0.5f, min.y + size * 0.5f);
  float r = size * 0.42f;
  // Soft colours from a warm red (saddest) to green (happiest); the mouth says it as well.
  static const ImU32 kFills[] = {IM_COL32(252, 165, 165, 255), IM_COL32(253, 205, 150, 255),
                                 IM_COL32(253, 230, 138, 255), IM_COL32(190, 242, 100, 255),
                                 IM_COL32(134, 239, 172, 255)};
  float outline = (selected ? 1.6f : 0.6f) * t.pixels_per_mm;
  outlined_disc_fill(draw, centre, r, outline, kFills[std::clamp(face, 1, 5) - 1]);
  draw->AddCircle(centre, r, selected ? t.selected() : t.text(), 48, outline);
  float eye = r * 0.11f;
  draw->AddCircleFilled(ImVec2(centre.x - r * 0.35f, centre.y - r * 0.25f), eye, t.text());
  draw->AddCircleFilled(ImVec2(centre.x + r * 0.35f, centre.y - r * 0.25f), eye, t.text());
  // The mouth: a curve whose bend goes from a frown (face 1) through flat (3) to a smile (5).
  float bend = (static_cast<float>(face) - 3.0f) * 0.18f * r;
  ImVec2 left(centre.x - r * 0.45f, centre.y + r * 0.35f);
  ImVec2 right(centre.x + r * 0.45f, centre.y + r * 0.35f);
  ImVec2 control(centre.x, centre.y + r * 0.35f + 2 * bend);
  draw->AddBezierQuadratic(left, control, right, t.text(), 0.7f * t.pixels_per_mm, 24);
  if (selected) {
    draw->AddCircle(centre, r + 0.9f * t.pixels_per_mm, t.selected(), 48, 0.8f * t.pixels_per_mm);
  }
  ImVec2 text_size = ImGui::CalcTextSize(label.data(), label.data() + label.size(), false, size);
  draw->AddText(t.body, t.body->FontSize, ImVec2(min.x + (size - text_size.x) * 0.5f, min.y + size + 2), t.text(),
                label.data(), label.data() + label.size(), size);
  ImGui::PopFont();
  return tapped;
}

void paragraph(DrawContext& dc, std::string_view text, bool heading) {
  ImGui::PushFont(heading ? dc.theme.heading : dc.theme.body);
  ImGui::PushStyleColor(ImGuiCol_Text, dc.theme.text());
  ImGui::PushTextWrapPos(dc.column_right > 0 ? dc.column_right
                                             : ImGui::GetCursorPosX() + ImGui::GetContentRegionAvail().x);
  ImGui::TextUnformatted(text.data(), text.data() + text.size());
  dc.registry.record_text(text);
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
  ImGui::PopFont();
}

void progress_bar(DrawContext& dc, std::size_t position, std::size_t total, float width) {
  const Theme& t = dc.theme;
  float height = 2.0f * t.pixels_per_mm;
  ImVec2 min = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(width, height));
  ImDrawList* draw = ImGui::GetWindowDrawList();
  rounded_rect(draw, min, ImVec2(min.x + width, min.y + height), height, IM_COL32(203, 213, 225, 255));
  float done = total == 0 ? 0.0f : static_cast<float>(position) / static_cast<float>(total);
  rounded_rect(draw, min, ImVec2(min.x + width * std::clamp(done, 0.0f, 1.0f), min.y + height), height, t.accent());
}

}  // namespace tt::kiosk::ui
