#pragma once
// One pupil's pass through a survey on this kiosk: the flow in memory, its draft in the store.
// Every intent changes the flow and then saves the draft; the call returns only after the save
// is durable, so "the answer was taken" on screen always means "the answer is on disk,
// encrypted". finish() seals the response to the analysis key and moves it to the outbox in one
// transaction. The UI and the headless script runner both drive this class, so they share one
// code path to the disk.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "kiosk/store/kiosk_store.h"
#include "shared/survey/flow.h"
#include "shared/survey/response.h"
#include "shared/survey/survey.h"

namespace tt::kiosk {

struct SessionOptions {
  std::string language = "en";
  std::optional<std::string> pupil_code;   // required by pupil_code surveys
  std::optional<std::string> tutor_group;  // from the class session, if a teacher opened one
  std::string app_version;
};

class PupilSession {
 public:
  // Creates the draft (durably) and starts the flow at the first visible question.
  static PupilSession begin(KioskStore& store, std::shared_ptr<const survey::Survey> survey,
                            const SessionOptions& options);
  // Restores a draft saved earlier. Throws StoreError / tt::Error when it cannot be read.
  static PupilSession resume(KioskStore& store, DraftId draft);

  const survey::Flow& flow() const { return flow_; }
  DraftId draft_id() const { return draft_; }
  const std::string& response_id() const { return metadata_.response_id; }
  const std::string& language() const { return metadata_.language; }

  // Intents: apply to the flow (throws FlowError and saves nothing if it refuses), then save.
  void answer(const survey::Answer& value);
  void decline();
  void clear();
  void next();
  void back();
  void set_talk_to_someone(bool wanted);
  // For a pupil coming back to a draft: moves on past the questions already answered (saving),
  // to the first one still open, or to the end. What they answered before is not shown again,
  // so a pupil who types someone else's code sees nothing of that pupil's answers.
  void skip_answered();

  // Finishes the flow, seals the response and moves it to the outbox; the draft is gone after.
  // Returns the sealed response as stored.
  SealedResponse finish();

 private:
  PupilSession(KioskStore& store, std::shared_ptr<const survey::Survey> survey, survey::Flow flow)
      : store_(&store), survey_(std::move(survey)), flow_(std::move(flow)) {}
  std::string draft_plaintext() const;
  void save();
  void apply(const std::function<void(survey::Flow&)>& intent);

  KioskStore* store_;
  std::shared_ptr<const survey::Survey> survey_;
  survey::Flow flow_;
  DraftId draft_ = 0;
  survey::ResponseMetadata metadata_;
  Bytes analysis_public_key_;  // responses are sealed to it
  std::int64_t started_at_ = 0;
};

// Device settings the session and the tools share.
inline constexpr const char* kSettingAnalysisPublicKey = "analysis_public_key_pem";
inline constexpr const char* kSettingSigningPublicKey = "signing_public_key_pem";
inline constexpr const char* kSettingDeviceId = "device_id";

// The loose shape a pupil code must have anywhere (4 to 16 ASCII letters and digits); the app's
// keypad also checks the check character (pupil_code.h: is_valid_pupil_code).
bool is_pupil_code(std::string_view code);

// Whether two times fall on the same calendar day in the kiosk's time zone ("the same day" of a
// returning pupil and of a class session).
bool same_local_day(UnixSeconds a, UnixSeconds b);

// The draft a pupil left earlier on the same (local) day in this survey, found by their code, or
// nullopt. The code is inside the encrypted draft only, so each of the day's drafts of the survey
// is opened to compare; the most recently saved match wins.
std::optional<DraftId> find_same_day_draft(const KioskStore& store, const std::string& survey_id,
                                           const std::string& pupil_code, UnixSeconds now);

// Loads an installed survey's definition (already verified at install).
std::shared_ptr<const survey::Survey> load_installed_survey(const KioskStore& store, const std::string& survey_id,
                                                            std::optional<std::int64_t> version = std::nullopt);

}  // namespace tt::kiosk
