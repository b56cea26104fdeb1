#pragma once
// Installing the surveys the central server distributes (GET /v1/surveys,
// shared/protocol/distribution.h) on a kiosk, with exactly the checks of
// `tutortime-kiosk survey install`: a kiosk runs nothing unsigned.
//
// For each survey in the reply, in order, the first failing check refuses it:
//   1. its detached Ed25519 signature verifies over the definition's exact bytes with the
//      kiosk's survey-signing public key (from setup or enrolment);
//   2. the definition is a valid survey (shared/survey/survey_loader.h), and is the id and
//      version the reply says it is;
//   3. the kiosk can draw all its text (the caller passes kiosk/ui's find_undrawable_text: the
//      font ranges belong to the UI, which this library does not link);
//   4. an (id, version) installed already must have identical bytes (then nothing changes);
//      a changed survey needs a new version.
// What passes is installed (KioskStore::install_survey, one statement: all or nothing). A
// pupil mid-survey keeps their version: drafts record survey_version, and an install never
// removes an older version. One refused survey does not stop the others.
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/store/kiosk_store.h"
#include "shared/common/bytes.h"
#include "shared/survey/survey.h"

namespace tt::kiosk {

// The first text in a survey definition the kiosk cannot draw, described; nullopt when all can.
using UndrawableTextFinder = std::function<std::optional<std::string>(const nlohmann::json& definition)>;

// Checks 1–3 for one signed survey. Returns the loaded survey, or throws InvalidInputError whose
// message starts "refusing to install NAME: " and says why.
survey::Survey check_signed_survey(std::string_view definition, ByteView signature, ByteView signing_public_key,
                                   const std::string& name, const UndrawableTextFinder& find_undrawable_text);

enum class SurveyUpdateOutcome { Installed, AlreadyInstalled, Refused };
const char* survey_update_outcome_name(SurveyUpdateOutcome outcome);  // "installed", …

struct SurveyUpdateResult {
  std::string survey_id;  // as the reply named it
  std::int64_t version = 0;
  SurveyUpdateOutcome outcome = SurveyUpdateOutcome::Refused;
  std::string reason;  // for Refused
};

// Checks and installs every survey of a GET /v1/surveys reply body. Throws
// protocol::ProtocolError when the body is not such a reply (nothing installed), and
// StoreError(NotSetUp) when the kiosk has no survey-signing key.
std::vector<SurveyUpdateResult> install_survey_updates(KioskStore& store, std::string_view surveys_reply_body,
                                                       const UndrawableTextFinder& find_undrawable_text);

}  // namespace tt::kiosk
