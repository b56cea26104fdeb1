// The technician menu: this kiosk at a glance (kiosk/session/kiosk_status.h) and the way out.
#include <imgui.h>

#include "kiosk/ui/screens.h"

namespace tt::kiosk::ui {

void draw_technician(DrawContext& dc, const KioskStatus& status, UnixSeconds now, Intents& out) {
  float width = begin_column(dc);
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
  paragraph(dc, "Technician menu", true);
  paragraph(dc, "Device: " + (status.device_id.empty() ? std::string("(no id)") : status.device_id));
  std::string surveys;
  for (const InstalledSurvey& s : status.surveys) {
    surveys += (surveys.empty() ? "" : ", ") + s.survey_id + " v" + std::to_string(s.version);
  }
  paragraph(dc, "Surveys: " + (surveys.empty() ? std::string("none installed") : surveys));
  std::string waiting = "Waiting to upload: ";
  if (status.outbox.waiting == 0) {
    waiting += "nothing";
  } else {
    waiting += std::to_string(status.outbox.waiting) + (status.outbox.waiting == 1 ? " response" : " responses");
    if (status.outbox.oldest_waiting_finished_at) {
      waiting += ", the oldest finished " + describe_duration(now - *status.outbox.oldest_waiting_finished_at) + " ago";
    }
  }
  paragraph(dc, waiting);
  paragraph(dc, "Unfinished drafts: " + std::to_string(status.drafts));
  paragraph(dc, "Free disk: " + (status.free_disk_bytes ? describe_bytes(*status.free_disk_bytes) : "unknown"));
  ImGui::PopTextWrapPos();
  ImGui::Dummy(ImVec2(1, dc.theme.gap()));
  float half = (width - dc.theme.gap()) * 0.5f;
  if (big_button(dc, "Refresh", half, ButtonStyle::Secondary)) out.tech_refresh = true;
  ImGui::SameLine(0, dc.theme.gap());
  if (big_button(dc, "Close menu", half, ButtonStyle::Secondary)) out.staff_cancel = true;
  if (big_button(dc, "Exit the kiosk", width)) out.tech_exit = true;
  ImGui::EndGroup();
}

}  // namespace tt::kiosk::ui
