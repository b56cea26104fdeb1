#include "shared/protocol/batch.h"

#include <limits>

#include "shared/protocol/identifiers.h"
#include "shared/protocol/json_body.h"

namespace tt::protocol {

using nlohmann::json;

namespace {

constexpr std::int64_t kMaxSurveyVersion = std::numeric_limits<std::int32_t>::max();

// Reads one entry; throws ProtocolError whose message is the entry's rejection reason.
SealedUpload read_upload(const JsonReader& r) {
  SealedUpload u;
  u.response_id = r.string("response_id");
  if (!is_id128(u.response_id)) r.fail("response_id", "must be 32 lower-case hex digits");
  u.survey_id = r.string("survey_id");
  if (!is_survey_id(u.survey_id)) r.fail("survey_id", "must be 1 to 64 of a-z, 0-9, _ and -, starting with a letter");
  u.survey_version = r.integer("survey_version", 1, kMaxSurveyVersion);
  u.finished_at = r.string("finished_at");
  if (!is_utc_minute(u.finished_at)) r.fail("finished_at", "must be a UTC time to the minute, like 2026-12-04T14:07Z");
  u.sealed = r.base64("sealed");
  if (u.sealed.size() < kMinSealedBytes) {
    r.fail("sealed", "is " + std::to_string(u.sealed.size()) + " bytes; a sealed response is at least " +
                         std::to_string(kMinSealedBytes) + " (32-byte enc, 16-byte tag, the plaintext)");
  }
  return u;
}

}  // namespace

const char* upload_status_name(UploadStatus status) {
  switch (status) {
    case UploadStatus::Stored: return "stored";
    case UploadStatus::Duplicate: return "duplicate";
    case UploadStatus::Rejected: return "rejected";
  }
  return "rejected";
}

std::string batch_upload_to_json(std::span<const SealedUpload> uploads) {
  json entries = json::array();
  for (const SealedUpload& u : uploads) {
    entries.push_back({{"response_id", u.response_id},
                       {"survey_id", u.survey_id},
                       {"survey_version", u.survey_version},
                       {"finished_at", u.finished_at},
                       {"sealed", to_base64(u.sealed)}});
  }
  return json{{"responses", std::move(entries)}}.dump();
}

std::vector<BatchEntry> parse_batch_upload(std::string_view body) {
  const char* what = "the batch upload";
  json j = parse_json_object(body, what);
  JsonReader top(j, what);
  const json& entries = top.array("responses");
  std::vector<BatchEntry> out;
  out.reserve(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    BatchEntry entry;
    const json& e = entries[i];
    if (e.is_object()) {
      auto id = e.find("response_id");
      if (id != e.end() && id->is_string() && is_id128(id->get<std::string>())) entry.response_id = *id;
    }
    try {
      entry.upload = read_upload(top.nested(e, "responses/" + std::to_string(i)));
    } catch (const ProtocolError& error) {
      // The rejection names the member but not the batch ("/responses/3/sealed is not …").
      std::string reason = error.what();
      std::string prefix = std::string(what) + ": ";
      if (reason.rfind(prefix, 0) == 0) reason = reason.substr(prefix.size());
      entry.rejection = std::move(reason);
    }
    out.push_back(std::move(entry));
  }
  return out;
}

std::string batch_reply_to_json(std::span<const UploadResult> results) {
  json entries = json::array();
  for (const UploadResult& r : results) {
    json e = {{"index", r.index}, {"status", upload_status_name(r.status)}};
    if (!r.response_id.empty()) e["response_id"] = r.response_id;
    if (r.status == UploadStatus::Rejected) e["reason"] = r.reason;
    entries.push_back(std::move(e));
  }
  return json{{"results", std::move(entries)}}.dump();
}

std::vector<UploadResult> parse_batch_reply(std::string_view body) {
  const char* what = "the batch reply";
  json j = parse_json_object(body, what);
  JsonReader top(j, what);
  const json& entries = top.array("results");
  std::vector<UploadResult> out;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    JsonReader r = top.nested(entries[i], "results/" + std::to_string(i));
    UploadResult result;
    result.index = static_cast<std::size_t>(r.integer("index", 0, std::numeric_limits<std::int32_t>::max()));
    std::string status = r.string("status");
    if (status == "stored") {
      result.status = UploadStatus::Stored;
    } else if (status == "duplicate") {
      result.status = UploadStatus::Duplicate;
    } else if (status == "rejected") {
      result.status = UploadStatus::Rejected;
      result.reason = r.optional_string("reason").value_or("");
    } else {
      r.fail("status", "must be \"stored\", \"duplicate\" or \"rejected\"");
    }
    result.response_id = r.optional_string("response_id").value_or("");
    if (!result.response_id.empty() && !is_id128(result.response_id)) {
      r.fail("response_id", "must be 32 lower-case hex digits");
    }
    if (result.status != UploadStatus::Rejected && result.response_id.empty()) {
      r.fail("response_id", "is missing: a stored or duplicate result must name its response");
    }
    out.push_back(std::move(result));
  }
  return out;
}

}  // namespace tt::protocol
