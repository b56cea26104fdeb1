#include "kiosk/session/pupil_session.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>

#include "shared/crypto/key_files.h"
#include "shared/crypto/random.h"
#include "shared/survey/survey_loader.h"

namespace tt::kiosk {

namespace {

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

constexpr int kDraftFormat = 1;

// Read when a session starts, not when it finishes: a kiosk that cannot seal must not let a
// pupil begin, and the PEM parse (slow in OpenSSL 3.0) runs once per pupil.
Bytes analysis_public_key_of(const KioskStore& store) {
  auto pem = store.setting(kSettingAnalysisPublicKey);
  if (!pem) throw StoreError(StoreErrorKind::NotSetUp, "this kiosk has no analysis public key; run setup");
  return crypto::public_key_from_pem(*pem, crypto::KeyAlgorithm::X25519);
}

}  // namespace

bool is_pupil_code(std::string_view code) {
  if (code.size() < 4 || code.size() > 16) return false;
  for (char c : code) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

std::shared_ptr<const survey::Survey> load_installed_survey(const KioskStore& store, const std::string& survey_id,
                                                            std::optional<std::int64_t> version) {
  auto installed = store.survey(survey_id, version);
  if (!installed) {
    throw StoreError(StoreErrorKind::NotFound, "survey " + survey_id +
                                                   (version ? " version " + std::to_string(*version) : std::string()) +
                                                   " is not installed on this kiosk");
  }
  return std::make_shared<const survey::Survey>(
      survey::load_survey_text(installed->definition_json, survey_id + " (installed)"));
}

PupilSession PupilSession::begin(KioskStore& store, std::shared_ptr<const survey::Survey> survey,
                                 const SessionOptions& options) {
  if (std::find(survey->languages.begin(), survey->languages.end(), options.language) == survey->languages.end()) {
    throw Error("survey " + survey->id + " has no language \"" + options.language + "\"");
  }
  if (survey->identity == survey::IdentityMode::PupilCode) {
    if (!options.pupil_code) throw Error("survey " + survey->id + " needs a pupil code before it starts");
    if (!is_pupil_code(*options.pupil_code)) {
      throw Error("a pupil code is 4 to 16 letters and digits; the one given is not (it is not repeated here)");
    }
  }
  survey::Flow flow(survey);
  flow.start();
  PupilSession session(store, survey, std::move(flow));
  session.analysis_public_key_ = analysis_public_key_of(store);
  session.metadata_.response_id = crypto::random_id128();
  session.metadata_.language = options.language;
  if (survey->identity == survey::IdentityMode::PupilCode) session.metadata_.pupil_code = options.pupil_code;
  session.metadata_.app_version = options.app_version;
  session.metadata_.tutor_group = options.tutor_group;
  session.metadata_.device_id = store.setting(kSettingDeviceId).value_or("");
  session.started_at_ = now_seconds();
  session.metadata_.started_at = survey::utc_minute(session.started_at_);
  std::string plaintext = session.draft_plaintext();
  session.draft_ = store.create_draft(session.metadata_.response_id, survey->id, survey->version, as_bytes(plaintext));
  return session;
}

PupilSession PupilSession::resume(KioskStore& store, DraftId draft) {
  auto info = store.draft_info(draft);
  if (!info) throw StoreError(StoreErrorKind::NotFound, "draft " + std::to_string(draft) + " does not exist");
  auto survey = load_installed_survey(store, info->survey_id, info->survey_version);
  crypto::SecretBytes plaintext = store.load_draft(draft);
  nlohmann::json j = nlohmann::json::parse(plaintext.view().begin(), plaintext.view().end(), nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("draft_format", 0) != kDraftFormat) {
    throw StoreError(StoreErrorKind::Corrupt, "draft " + std::to_string(draft) + " is not a draft this kiosk can read");
  }
  PupilSession session(store, survey, survey::Flow::from_json(survey, j.at("flow")));
  session.analysis_public_key_ = analysis_public_key_of(store);
  session.draft_ = draft;
  session.metadata_.response_id = info->response_id;
  session.metadata_.language = j.value("language", "en");
  if (j.contains("pupil_code") && j["pupil_code"].is_string())
    session.metadata_.pupil_code = j["pupil_code"].get<std::string>();
  session.metadata_.app_version = j.value("app_version", "");
  if (j.contains("tutor_group") && j["tutor_group"].is_string())
    session.metadata_.tutor_group = j["tutor_group"].get<std::string>();
  session.metadata_.device_id = store.setting(kSettingDeviceId).value_or("");
  session.metadata_.talk_to_someone = j.value("talk_to_someone", false);
  session.started_at_ = j.value("started_at", std::int64_t{0});
  session.metadata_.started_at = survey::utc_minute(session.started_at_);
  return session;
}

void PupilSession::skip_answered() {
  bool moved = false;
  while (flow_.state() == survey::Flow::State::AtQuestion && flow_.answer_of(flow_.current()->id) != nullptr &&
         flow_.can_go_next()) {
    flow_.next();
    moved = true;
  }
  if (moved) save();
}

bool same_local_day(UnixSeconds a, UnixSeconds b) {
  std::time_t ta = static_cast<std::time_t>(a), tb = static_cast<std::time_t>(b);
  std::tm da{}, db{};
  localtime_r(&ta, &da);
  localtime_r(&tb, &db);
  return da.tm_year == db.tm_year && da.tm_yday == db.tm_yday;
}

std::optional<DraftId> find_same_day_draft(const KioskStore& store, const std::string& survey_id,
                                           const std::string& pupil_code, UnixSeconds now) {
  std::optional<DraftId> found;
  UnixSeconds found_at = 0;
  for (const DraftInfo& d : store.drafts()) {
    if (d.survey_id != survey_id || !same_local_day(d.created_at, now)) continue;
    crypto::SecretBytes plaintext = store.load_draft(d.id);
    nlohmann::json j = nlohmann::json::parse(plaintext.view().begin(), plaintext.view().end(), nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("pupil_code") || !j["pupil_code"].is_string()) continue;
    if (j["pupil_code"].get<std::string>() != pupil_code) continue;
    if (!found || d.updated_at >= found_at) {
      found = d.id;
      found_at = d.updated_at;
    }
  }
  return found;
}

std::string PupilSession::draft_plaintext() const {
  nlohmann::json j = {{"draft_format", kDraftFormat},
                      {"language", metadata_.language},
                      {"app_version", metadata_.app_version},
                      {"started_at", started_at_},
                      {"talk_to_someone", metadata_.talk_to_someone},
                      {"flow", flow_.to_json()}};
  if (metadata_.pupil_code) j["pupil_code"] = *metadata_.pupil_code;
  if (metadata_.tutor_group) j["tutor_group"] = *metadata_.tutor_group;
  return j.dump();
}

void PupilSession::save() {
  store_->save_draft(draft_, as_bytes(draft_plaintext()));
}

void PupilSession::apply(const std::function<void(survey::Flow&)>& intent) {
  intent(flow_);
  save();
}

void PupilSession::answer(const survey::Answer& value) {
  apply([&](survey::Flow& f) { f.answer(value); });
}
void PupilSession::decline() {
  apply([](survey::Flow& f) { f.decline(); });
}
void PupilSession::clear() {
  apply([](survey::Flow& f) { f.clear(); });
}
void PupilSession::next() {
  apply([](survey::Flow& f) { f.next(); });
}
void PupilSession::back() {
  apply([](survey::Flow& f) { f.back(); });
}
void PupilSession::set_talk_to_someone(bool wanted) {
  metadata_.talk_to_someone = wanted;
  save();
}

SealedResponse PupilSession::finish() {
  survey::Flow finished = flow_;
  finished.finish();
  std::int64_t now = now_seconds();
  survey::ResponseMetadata metadata = metadata_;
  metadata.finished_at = survey::utc_minute(now);
  nlohmann::json plaintext = survey::build_response(finished, metadata);
  SealedResponse response;
  response.response_id = metadata.response_id;
  response.survey_id = survey_->id;
  response.survey_version = survey_->version;
  response.sealed = survey::seal_response(plaintext, analysis_public_key_);
  response.finished_at = now;
  store_->finish_draft(draft_, response);
  flow_ = std::move(finished);
  return response;
}

}  // namespace tt::kiosk
