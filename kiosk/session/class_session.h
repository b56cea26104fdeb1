#pragma once
// A class session: a teacher, with the teacher PIN, chooses the survey their tutor group takes
// on this kiosk today. Every response started while it is open records the tutor group, so the
// central team can compare groups without knowing who anyone is. It lasts until a teacher closes
// it or the day ends (a kiosk restarted mid-lesson keeps it), and is kept in the store's settings.
#include <optional>
#include <string>
#include <string_view>

#include "kiosk/store/kiosk_store.h"

namespace tt::kiosk {

struct ClassSession {
  std::string survey_id;
  std::string tutor_group;  // e.g. "7B", "7RDS"
  UnixSeconds opened_at = 0;
};

inline constexpr std::size_t kMaxTutorGroupLength = 8;
// 1 to 8 capital letters and digits: what a school calls a tutor group, and nothing personal.
bool is_tutor_group(std::string_view text);

// The session open now: opened on the same local day as `now`; nullopt otherwise.
std::optional<ClassSession> current_class_session(const KioskStore& store, UnixSeconds now);
// Throws tt::Error if the tutor group is not one or the survey is not installed.
void open_class_session(KioskStore& store, const ClassSession& session);
void close_class_session(KioskStore& store);

}  // namespace tt::kiosk
