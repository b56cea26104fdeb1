#include <iostream>
#include <nlohmann/json.hpp>

#include "kiosk/cli/commands.h"
#include "kiosk/cli/open_store.h"
#include "kiosk/session/pupil_session.h"
#include "kiosk/session/survey_update.h"
#include "kiosk/store/kiosk_store.h"
#include "kiosk/ui/drawable_text.h"
#include "shared/common/files.h"
#include "shared/crypto/key_files.h"
#include "shared/survey/survey_signature.h"

namespace tt::kiosk {

namespace {

int install(const std::filesystem::path& data_dir, const std::filesystem::path& file) {
  auto store = open_store_for_command(data_dir);
  auto pem = store->setting(kSettingSigningPublicKey);
  if (!pem) throw StoreError(StoreErrorKind::NotSetUp, "this kiosk has no survey-signing key; run setup first");
  std::string text = read_text_file(file);
  std::filesystem::path sig_file = survey::signature_path_for(file);
  std::error_code ec;
  if (!std::filesystem::exists(sig_file, ec)) {
    throw InvalidInputError(file.string() + " is not signed: " + sig_file.string() +
                            " is missing (the central team signs surveys with tutortime-admin survey sign)");
  }
  Bytes signature = read_binary_file(sig_file);
  // The same checks as the survey updates the uploader fetches (survey_update.h): signature,
  // validity, drawable text.
  survey::Survey s = check_signed_survey(
      text, signature, crypto::public_key_from_pem(*pem, crypto::KeyAlgorithm::Ed25519), file.string(),
      [](const nlohmann::json& definition) { return ui::find_undrawable_text(definition); });
  if (auto existing = store->survey(s.id, s.version)) {
    if (existing->definition_json == text) {
      std::cout << "Survey " << s.id << " version " << s.version << " is already installed.\n";
      return kExitOk;
    }
    throw InvalidInputError("refusing to install " + file.string() + ": survey " + s.id + " version " +
                            std::to_string(s.version) +
                            " is already installed with different contents; a changed survey needs a new version");
  }
  InstalledSurvey installed;
  installed.survey_id = s.id;
  installed.version = s.version;
  installed.definition_json = text;
  installed.signature = signature;
  store->install_survey(installed);
  std::cout << "Installed survey " << s.id << " version " << s.version << " (" << s.answerable_count()
            << " questions).\n";
  return kExitOk;
}

int list(const std::filesystem::path& data_dir, bool as_json) {
  auto store = open_store_for_command(data_dir);
  nlohmann::json out = nlohmann::json::array();
  for (const InstalledSurvey& s : store->installed_surveys()) {
    out.push_back({{"survey_id", s.survey_id}, {"version", s.version}, {"installed_at", s.installed_at}});
    if (!as_json) std::cout << s.survey_id << "\tversion " << s.version << "\n";
  }
  if (as_json) std::cout << out.dump() << "\n";
  return kExitOk;
}

}  // namespace

int command_survey(const std::filesystem::path& data_dir, CommandLine& args) {
  std::string verb = args.required_positional("a survey command (install or list)");
  if (verb == "install") {
    std::string file = args.required_positional("the survey FILE to install");
    args.expect_done();
    return install(data_dir, file);
  }
  if (verb == "list") {
    bool as_json = args.flag("--json");
    args.expect_done();
    return list(data_dir, as_json);
  }
  throw UsageError("unknown survey command \"" + verb + "\" (expected install or list)");
}

}  // namespace tt::kiosk
