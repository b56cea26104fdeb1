// One question per screen: the progress bar, the question, its answer area by type, "I'd rather
// not say" where offered, and Back / Next. Every tap becomes an intent; the flow holds the answer
// (nothing is cached here), so what is drawn is always what is saved.
#include <imgui.h>

#include <algorithm>

#include "kiosk/ui/screens.h"
#include "kiosk/ui/ui_text.h"

namespace tt::kiosk::ui {

namespace {

using survey::Answer;
using survey::Question;
using survey::QuestionType;

constexpr UiText kDefaultFaces[] = {UiText::FaceVerySad, UiText::FaceSad, UiText::FaceOk, UiText::FaceHappy,
                                    UiText::FaceVeryHappy};

// Rows of the on-screen keyboard; each key's label is what it types.
const char* const kKeyRows[] = {"1234567890", "qwertyuiop", "asdfghjkl'", "zxcvbnm,.?"};

void draw_faces(DrawContext& dc, const Question& q, const Answer* current, const std::string& language, float width,
                Intents& out) {
  float gap = dc.theme.gap();
  float size = std::min((width - 4 * gap) / 5.0f, 38.0f * dc.theme.pixels_per_mm);
  for (int face = 1; face <= 5; ++face) {
    if (face > 1) ImGui::SameLine(0, gap);
    std::string label =
        q.labels.size() == 5 ? q.labels[face - 1].in(language) : ui_text(kDefaultFaces[face - 1], language);
    const auto* value = current ? std::get_if<std::int64_t>(current) : nullptr;
    if (face_button(dc, face, label, size, value != nullptr && *value == face)) out.answer = std::int64_t{face};
  }
}

void draw_scale(DrawContext& dc, const Question& q, const Answer* current, const std::string& language, float width,
                Intents& out) {
  const auto* value = current ? std::get_if<std::int64_t>(current) : nullptr;
  if (static_cast<int>(q.labels.size()) == q.points) {
    // A label for every point: one big card each, top to bottom.
    for (int i = 0; i < q.points; ++i) {
      std::int64_t v = q.first_value + i;
      bool chosen = value != nullptr && *value == v;
      ImGui::PushID(i);
      if (big_button(dc, q.labels[i].in(language), width, chosen ? ButtonStyle::ChoiceSelected : ButtonStyle::Choice,
                     "point")) {
        out.answer = v;
      }
      ImGui::PopID();
    }
    return;
  }
  // End labels only: a row of numbered buttons between them.
  static std::string ends;  // reused between frames (one UI thread): a steady frame allocates nothing
  ends.assign(q.labels.front().in(language)).append("  →  ").append(q.labels.back().in(language));
  paragraph(dc, ends);
  float gap = dc.theme.gap() * 0.5f;
  float button = (width - gap * static_cast<float>(q.points - 1)) / static_cast<float>(q.points);
  for (int i = 0; i < q.points; ++i) {
    if (i > 0) ImGui::SameLine(0, gap);
    std::int64_t v = q.first_value + i;
    bool chosen = value != nullptr && *value == v;
    ImGui::PushID(i);
    if (big_button(dc, std::to_string(v), button, chosen ? ButtonStyle::ChoiceSelected : ButtonStyle::Choice,
                   "point")) {
      out.answer = v;
    }
    ImGui::PopID();
  }
}

// Long option lists go in two columns so Back and Next stay on the screen.
struct OptionLayout {
  float width;
  int columns;
};
OptionLayout option_layout(const DrawContext& dc, const Question& q, float width) {
  if (q.options.size() <= 5) return {width, 1};
  return {(width - dc.theme.gap()) * 0.5f, 2};
}
void next_option_cell(const DrawContext& dc, const OptionLayout& layout, std::size_t index) {
  if (layout.columns == 2 && index % 2 == 1) ImGui::SameLine(0, dc.theme.gap());
}

void draw_single(DrawContext& dc, const Question& q, const Answer* current, const std::string& language, float width,
                 Intents& out) {
  const auto* chosen = current ? std::get_if<std::string>(current) : nullptr;
  OptionLayout layout = option_layout(dc, q, width);
  for (std::size_t i = 0; i < q.options.size(); ++i) {
    const survey::Option& o = q.options[i];
    next_option_cell(dc, layout, i);
    bool on = chosen != nullptr && *chosen == o.id;
    ImGui::PushID("option");
    if (big_button(dc, o.label.in(language), layout.width, on ? ButtonStyle::ChoiceSelected : ButtonStyle::Choice,
                   o.id)) {
      out.answer = o.id;
    }
    ImGui::PopID();
  }
}

void draw_multiple(DrawContext& dc, const Question& q, const Answer* current, const std::string& language, float width,
                   Intents& out) {
  static const survey::OptionIds kNone;
  const auto* ids = current ? std::get_if<survey::OptionIds>(current) : nullptr;
  const survey::OptionIds& chosen = ids != nullptr ? *ids : kNone;
  OptionLayout layout = option_layout(dc, q, width);
  for (std::size_t i = 0; i < q.options.size(); ++i) {
    const survey::Option& o = q.options[i];
    next_option_cell(dc, layout, i);
    auto it = std::find(chosen.begin(), chosen.end(), o.id);
    bool on = it != chosen.end();
    ImGui::PushID("option");
    bool tapped = big_button(dc, o.label.in(language), layout.width,
                             on ? ButtonStyle::ChoiceSelected : ButtonStyle::Choice, o.id);
    ImGui::PopID();
    if (tapped) {
      survey::OptionIds next = chosen;
      if (on) {
        next.erase(next.begin() + (it - chosen.begin()));
      } else {
        next.push_back(o.id);
      }
      if (next.empty()) {
        out.clear = true;
      } else {
        out.answer = next;
      }
    }
  }
}

void draw_yes_no(DrawContext& dc, const Answer* current, const std::string& language, float width, Intents& out) {
  const auto* value = current ? std::get_if<bool>(current) : nullptr;
  float half = (width - dc.theme.gap()) * 0.5f;
  if (big_button(dc, ui_text(UiText::Yes, language), half,
                 value && *value ? ButtonStyle::ChoiceSelected : ButtonStyle::Choice))
    out.answer = true;
  ImGui::SameLine(0, dc.theme.gap());
  if (big_button(dc, ui_text(UiText::No, language), half,
                 value && !*value ? ButtonStyle::ChoiceSelected : ButtonStyle::Choice)) {
    out.answer = false;
  }
}

void draw_number(DrawContext& dc, const Question& q, const Answer* current, const std::string& language, float width,
                 Intents& out) {
  const auto* value = current ? std::get_if<std::int64_t>(current) : nullptr;
  std::int64_t shown = value ? *value : (q.min + q.max) / 2;
  float third = (width - 2 * dc.theme.gap()) / 3.0f;
  if (big_button(dc, "-", third, ButtonStyle::Secondary) && shown > q.min) out.answer = value ? shown - 1 : shown;
  ImGui::SameLine(0, dc.theme.gap());
  std::string text = value ? std::to_string(*value) : "?";
  if (q.unit) text += " " + q.unit->in(language);
  big_button(dc, text, third, ButtonStyle::Choice, "number value");
  ImGui::SameLine(0, dc.theme.gap());
  if (big_button(dc, "+", third, ButtonStyle::Secondary) && shown < q.max) out.answer = value ? shown + 1 : shown;
}

void draw_free_text(DrawContext& dc, const Question& q, const Answer* current, const std::string& language, float width,
                    Intents& out) {
  static const std::string kNothing;
  const auto* typed_so_far = current ? std::get_if<std::string>(current) : nullptr;
  const std::string& text = typed_so_far != nullptr ? *typed_so_far : kNothing;
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
  if (text.empty()) {
    paragraph(dc, q.placeholder ? std::string_view(q.placeholder->in(language))
                                : std::string_view(ui_text(UiText::TapTheLetters, language)));
  } else {
    // The text with a cursor after it, in a buffer kept between frames (the UI has one thread),
    // so a steady frame does not allocate.
    static std::string shown;
    shown.assign(text).push_back('_');
    paragraph(dc, shown);
  }
  ImGui::PopTextWrapPos();
  float gap = dc.theme.gap() * 0.3f;
  float key = (width - 9 * gap) / 10.0f;
  std::optional<char> tapped;
  bool erase = false;
  for (const char* row : kKeyRows) {
    for (const char* k = row; *k != '\0'; ++k) {
      if (k != row) ImGui::SameLine(0, gap);
      char id[] = {'k', 'e', 'y', ' ', *k};
      if (big_button(dc, std::string_view(k, 1), key, ButtonStyle::Secondary, std::string_view(id, sizeof id))) {
        tapped = *k;
      }
    }
  }
  float half = (width - gap) * 0.5f;
  if (big_button(dc, ui_text(UiText::Space, language), half, ButtonStyle::Secondary, "key space")) tapped = ' ';
  ImGui::SameLine(0, gap);
  if (big_button(dc, ui_text(UiText::Delete, language), half, ButtonStyle::Secondary, "key delete")) erase = true;
  if (!tapped && !(erase && !text.empty())) return;
  std::string typed = text;
  if (tapped) {
    typed.push_back(*tapped);
  } else {
    typed.pop_back();
  }
  if (static_cast<int>(typed.size()) > q.max_length) return;
  if (typed.empty()) {
    out.clear = true;
  } else {
    out.answer = typed;
  }
}

}  // namespace

void draw_question(DrawContext& dc, const survey::Flow& flow, const std::string& language,
                   const std::string& kind_message, bool allow_back, Intents& out) {
  const Question& q = *flow.current();
  const Answer* current = flow.answer_of(q.id);
  float width = begin_column(dc);
  ImGui::BeginGroup();
  auto progress = flow.progress();
  progress_bar(dc, progress.position, progress.total, width);
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
  paragraph(dc, q.text.in(language), true);
  if (q.help) paragraph(dc, q.help->in(language));
  ImGui::PopTextWrapPos();
  switch (q.type) {
    case QuestionType::Feelings: draw_faces(dc, q, current, language, width, out); break;
    case QuestionType::Scale: draw_scale(dc, q, current, language, width, out); break;
    case QuestionType::Single: draw_single(dc, q, current, language, width, out); break;
    case QuestionType::Multiple: draw_multiple(dc, q, current, language, width, out); break;
    case QuestionType::YesNo: draw_yes_no(dc, current, language, width, out); break;
    case QuestionType::Number: draw_number(dc, q, current, language, width, out); break;
    case QuestionType::FreeText: draw_free_text(dc, q, current, language, width, out); break;
    case QuestionType::Info: break;
  }
  if (q.allow_decline) {
    bool declined = current != nullptr && survey::is_declined(*current);
    if (big_button(dc, ui_text(UiText::RatherNotSay, language), width,
                   declined ? ButtonStyle::ChoiceSelected : ButtonStyle::Choice)) {
      out.decline = true;
    }
  }
  if (!kind_message.empty()) paragraph(dc, kind_message);
  ImGui::Dummy(ImVec2(1, dc.theme.gap()));
  float half = (width - dc.theme.gap()) * 0.5f;
  if (allow_back && flow.can_go_back()) {
    if (big_button(dc, ui_text(UiText::Back, language), half, ButtonStyle::Secondary, "back")) out.back = true;
    ImGui::SameLine(0, dc.theme.gap());
  } else {
    ImGui::Dummy(ImVec2(half, 1));
    ImGui::SameLine(0, dc.theme.gap());
  }
  if (big_button(dc, ui_text(UiText::Next, language), half, ButtonStyle::Primary, "next")) out.next = true;
  ImGui::EndGroup();
}

}  // namespace tt::kiosk::ui
