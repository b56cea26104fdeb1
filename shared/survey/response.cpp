#include "shared/survey/response.h"

#include <ctime>

#include "shared/crypto/hpke.h"
#include "shared/survey/scoring.h"

namespace tt::survey {

bool is_response_id(std::string_view text) {
  if (text.size() != 32) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string utc_minute(std::int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%MZ", &tm);
  return buffer;
}

nlohmann::json build_response(const Flow& flow, const ResponseMetadata& metadata) {
  if (flow.state() != Flow::State::Finished) throw Error("build response: the survey is not finished");
  if (!is_response_id(metadata.response_id))
    throw Error("build response: \"" + metadata.response_id + "\" is not a response id");
  const Survey& survey = flow.survey();
  nlohmann::json answers = nlohmann::json::object();
  for (const auto& [id, value] : flow.answers()) answers[id] = answer_to_json(value);
  auto scores = compute_scores(survey, flow.answers());
  std::vector<std::string> flags;
  for (const ScoreResult& s : scores) flags.insert(flags.end(), s.flags.begin(), s.flags.end());
  for (const std::string& alert : triggered_alerts(survey, flow.answers())) flags.push_back(alert);
  nlohmann::json identity = {{"mode", survey.identity == IdentityMode::PupilCode ? "pupil_code" : "anonymous"}};
  if (survey.identity == IdentityMode::PupilCode) {
    if (!metadata.pupil_code) throw Error("build response: survey " + survey.id + " needs a pupil code");
    identity["pupil_code"] = *metadata.pupil_code;
  }
  return {
      {"format", kResponseFormat},
      {"response_id", metadata.response_id},
      {"survey", {{"id", survey.id}, {"version", survey.version}}},
      {"device_id", metadata.device_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(metadata.device_id)},
      {"app_version", metadata.app_version},
      {"language", metadata.language},
      {"started_at", metadata.started_at},
      {"finished_at", metadata.finished_at},
      {"identity", identity},
      {"answers", answers},
      {"scores", scores_to_json(scores)},
      {"flags", flags},
      {"talk_to_someone", metadata.talk_to_someone},
      {"tutor_group", metadata.tutor_group ? nlohmann::json(*metadata.tutor_group) : nlohmann::json(nullptr)},
  };
}

Bytes seal_response(const nlohmann::json& plaintext, ByteView analysis_public_key) {
  std::string response_id = plaintext.value("response_id", "");
  if (!is_response_id(response_id)) throw Error("seal response: the plaintext has no valid response_id");
  std::string text = plaintext.dump();
  try {
    return crypto::hpke_seal_base(crypto::HpkeAead::ChaCha20Poly1305, analysis_public_key, as_bytes(kResponseHpkeInfo),
                                  as_bytes(response_id), as_bytes(text));
  } catch (...) {
    rethrow_with_context("seal response " + response_id);
  }
}

nlohmann::json open_response(ByteView sealed, const std::string& response_id, ByteView analysis_private_key) {
  const std::string operation = "open response " + response_id;
  crypto::SecretBytes plaintext;
  try {
    plaintext = crypto::hpke_open_base(crypto::HpkeAead::ChaCha20Poly1305, analysis_private_key,
                                       as_bytes(kResponseHpkeInfo), as_bytes(response_id), sealed);
  } catch (const crypto::AuthenticationError&) {
    throw Error(operation +
                ": it does not open with this analysis key (a wrong key, a different response id, or "
                "altered bytes)");
  } catch (...) {
    rethrow_with_context(operation);
  }
  nlohmann::json j = nlohmann::json::parse(plaintext.view().begin(), plaintext.view().end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw Error(operation + ": the plaintext is not a JSON object");
  if (j.value("response_id", "") != response_id) throw Error(operation + ": the plaintext names another response id");
  if (j.value("format", "") != kResponseFormat) throw Error(operation + ": unknown format " + j.value("format", "?"));
  return j;
}

}  // namespace tt::survey
