#include "kiosk/session/survey_update.h"

#include "kiosk/session/pupil_session.h"
#include "shared/common/command_line.h"
#include "shared/crypto/key_files.h"
#include "shared/protocol/distribution.h"
#include "shared/survey/survey_loader.h"
#include "shared/survey/survey_signature.h"

namespace tt::kiosk {

const char* survey_update_outcome_name(SurveyUpdateOutcome outcome) {
  switch (outcome) {
    case SurveyUpdateOutcome::Installed: return "installed";
    case SurveyUpdateOutcome::AlreadyInstalled: return "already installed";
    case SurveyUpdateOutcome::Refused: return "refused";
  }
  return "refused";
}

survey::Survey check_signed_survey(std::string_view definition, ByteView signature, ByteView signing_public_key,
                                   const std::string& name, const UndrawableTextFinder& find_undrawable_text) {
  const std::string refusing = "refusing to install " + name + ": ";
  try {
    survey::verify_survey_signature(as_bytes(definition), signature, signing_public_key, name);
  } catch (const Error& e) {
    throw InvalidInputError(refusing + e.what());
  }
  survey::Survey s;
  try {
    s = survey::load_survey_text(definition, name);
  } catch (const survey::SurveyError& e) {
    throw InvalidInputError(refusing + e.what());
  }
  if (auto undrawable = find_undrawable_text(nlohmann::json::parse(definition))) {
    throw InvalidInputError(refusing + "the kiosk cannot show it to pupils: " + *undrawable);
  }
  return s;
}

std::vector<SurveyUpdateResult> install_survey_updates(KioskStore& store, std::string_view surveys_reply_body,
                                                       const UndrawableTextFinder& find_undrawable_text) {
  protocol::SurveysReply reply = protocol::parse_surveys_reply(surveys_reply_body);
  std::optional<std::string> pem = store.setting(kSettingSigningPublicKey);
  if (!pem)
    throw StoreError(StoreErrorKind::NotSetUp, "this kiosk has no survey-signing key; run setup or enrol first");
  Bytes signing_key = crypto::public_key_from_pem(*pem, crypto::KeyAlgorithm::Ed25519);

  std::vector<SurveyUpdateResult> results;
  for (const protocol::SignedSurvey& offered : reply.surveys) {
    SurveyUpdateResult result{offered.survey_id, offered.version, SurveyUpdateOutcome::Refused, {}};
    std::string name = "survey " + offered.survey_id + " version " + std::to_string(offered.version);
    try {
      survey::Survey s =
          check_signed_survey(offered.definition, offered.signature, signing_key, name, find_undrawable_text);
      if (s.id != offered.survey_id || s.version != offered.version) {
        throw InvalidInputError("refusing to install " + name + ": the signed definition is survey " + s.id +
                                " version " + std::to_string(s.version));
      }
      if (auto existing = store.survey(s.id, s.version)) {
        if (existing->definition_json != offered.definition) {
          throw InvalidInputError("refusing to install " + name +
                                  ": it is installed already with different contents; a changed survey needs a "
                                  "new version");
        }
        result.outcome = SurveyUpdateOutcome::AlreadyInstalled;
      } else {
        InstalledSurvey installed;
        installed.survey_id = s.id;
        installed.version = s.version;
        installed.definition_json = offered.definition;
        installed.signature = offered.signature;
        store.install_survey(installed);
        result.outcome = SurveyUpdateOutcome::Installed;
      }
    } catch (const InvalidInputError& e) {
      result.reason = e.what();
    }
    results.push_back(std::move(result));
  }
  return results;
}

}  // namespace tt::kiosk
