#include "kiosk/session/kiosk_config.h"

#include <charconv>

#include "shared/common/command_line.h"
#include "shared/survey/text_utf8.h"

namespace tt::kiosk {

namespace {

// One entry per key: its setting name, its bounds (numbers) and where it lives in KioskConfig.
struct NumberKey {
  const char* key;
  std::uint32_t min;
  std::uint32_t max;
  std::uint32_t KioskConfig::*field;
};

constexpr NumberKey kNumberKeys[] = {
    {"idle-seconds", 10, 3600, &KioskConfig::idle_seconds},
    {"countdown-seconds", 5, 600, &KioskConfig::countdown_seconds},
    {"draft-max-age-hours", 1, 24 * 30, &KioskConfig::draft_max_age_hours},
    {"display-dpi", 0, 1000, &KioskConfig::display_dpi},
};

constexpr const char* kSchoolContact = "school-contact";
constexpr std::size_t kSchoolContactMax = 200;  // two short lines on the end screen

std::string setting_name(const std::string& key) {
  return "config." + key;
}

std::optional<std::uint32_t> parse_number(const std::string& text) {
  std::uint32_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

const NumberKey* number_key(const std::string& key) {
  for (const NumberKey& k : kNumberKeys) {
    if (key == k.key) return &k;
  }
  return nullptr;
}

std::string known_keys() {
  std::string out = kSchoolContact;
  for (const NumberKey& k : kNumberKeys) out += std::string(", ") + k.key;
  return out;
}

}  // namespace

void set_kiosk_config_value(KioskStore& store, const std::string& key, const std::string& value) {
  if (key == kSchoolContact) {
    std::string problem = survey::check_pupil_text(value, kSchoolContactMax);
    if (!value.empty() && !problem.empty()) throw InvalidInputError("school-contact: " + problem);
    store.set_setting(setting_name(key), value);
    return;
  }
  const NumberKey* k = number_key(key);
  if (k == nullptr) throw InvalidInputError("unknown setting \"" + key + "\"; the settings are " + known_keys());
  auto v = parse_number(value);
  if (!v || *v < k->min || *v > k->max) {
    throw InvalidInputError(key + " takes a whole number from " + std::to_string(k->min) + " to " +
                            std::to_string(k->max) + ", not \"" + value + "\"");
  }
  store.set_setting(setting_name(key), std::to_string(*v));
}

KioskConfig load_kiosk_config(const KioskStore& store) {
  KioskConfig config;
  config.school_contact = store.setting(setting_name(kSchoolContact)).value_or("");
  for (const NumberKey& k : kNumberKeys) {
    auto stored = store.setting(setting_name(k.key));
    if (!stored) continue;
    auto v = parse_number(*stored);
    if (!v || *v < k.min || *v > k.max) {
      throw Error(std::string("the kiosk setting ") + k.key + " holds \"" + *stored + "\", which is not " +
                  std::to_string(k.min) + " to " + std::to_string(k.max) + "; set it again with config set");
    }
    config.*k.field = *v;
  }
  return config;
}

std::vector<std::pair<std::string, std::string>> kiosk_config_entries(const KioskConfig& config) {
  std::vector<std::pair<std::string, std::string>> out{{kSchoolContact, config.school_contact}};
  for (const NumberKey& k : kNumberKeys) out.emplace_back(k.key, std::to_string(config.*k.field));
  return out;
}

}  // namespace tt::kiosk
