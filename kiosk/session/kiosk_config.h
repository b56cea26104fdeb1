#pragma once
// The kiosk's local configuration: what a technician sets on this tablet for this school, kept
// in the store's settings (plaintext: none of it is about a pupil). Each value has a default, so
// an unconfigured kiosk behaves sensibly; `tutortime-kiosk config set KEY VALUE` checks a value
// before it is stored, and the app reads the whole configuration once at start.
//
//   school-contact       who a pupil can talk to at this school, shown on the end screen beside
//                        Childline ("Mrs Khan in Student Support, room B12"); default: none
//   idle-seconds         untouched this long, the app asks "Are you still there?" (default 90)
//   countdown-seconds    how long that question waits before handing over (default 20)
//   draft-max-age-hours  unfinished drafts older than this are discarded (default 12: a
//                        returning pupil can carry on the same day, never the next)
//   display-dpi          the display's dots per inch where it does not report them (0: ask the
//                        display, else 100); touch targets are sized in millimetres from it
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "kiosk/store/kiosk_store.h"

namespace tt::kiosk {

struct KioskConfig {
  std::string school_contact;
  std::uint32_t idle_seconds = 90;
  std::uint32_t countdown_seconds = 20;
  std::uint32_t draft_max_age_hours = 12;
  std::uint32_t display_dpi = 0;
};

// Throws InvalidInputError naming the key and what it accepts ("idle-seconds takes 10 to 3600").
void set_kiosk_config_value(KioskStore& store, const std::string& key, const std::string& value);
// Settings that are missing take their default; a stored value that no longer parses (written by
// hand) is reported as a tt::Error naming the key rather than silently replaced.
KioskConfig load_kiosk_config(const KioskStore& store);
// KEY and VALUE pairs in the order above, as `config show` prints them.
std::vector<std::pair<std::string, std::string>> kiosk_config_entries(const KioskConfig& config);

}  // namespace tt::kiosk
