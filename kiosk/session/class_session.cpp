#include "kiosk/session/class_session.h"

#include <nlohmann/json.hpp>

#include "kiosk/session/pupil_session.h"

namespace tt::kiosk {

namespace {

constexpr const char* kSetting = "class_session";

}  // namespace

bool is_tutor_group(std::string_view text) {
  if (text.empty() || text.size() > kMaxTutorGroupLength) return false;
  for (char c : text) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

std::optional<ClassSession> current_class_session(const KioskStore& store, UnixSeconds now) {
  auto stored = store.setting(kSetting);
  if (!stored || stored->empty()) return std::nullopt;
  nlohmann::json j = nlohmann::json::parse(*stored, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;  // unreadable: as if none were open
  ClassSession s;
  s.survey_id = j.value("survey_id", "");
  s.tutor_group = j.value("tutor_group", "");
  s.opened_at = j.value("opened_at", UnixSeconds{0});
  if (!is_tutor_group(s.tutor_group) || !store.survey(s.survey_id) || !same_local_day(s.opened_at, now)) {
    return std::nullopt;
  }
  return s;
}

void open_class_session(KioskStore& store, const ClassSession& session) {
  if (!is_tutor_group(session.tutor_group)) throw Error("a tutor group is 1 to 8 capital letters and digits");
  if (!store.survey(session.survey_id)) throw Error("survey " + session.survey_id + " is not installed on this kiosk");
  nlohmann::json j = {
      {"survey_id", session.survey_id}, {"tutor_group", session.tutor_group}, {"opened_at", session.opened_at}};
  store.set_setting(kSetting, j.dump());
}

void close_class_session(KioskStore& store) {
  store.set_setting(kSetting, "");
}

}  // namespace tt::kiosk
