#pragma once
// Scores and safeguarding alerts, computed when a pupil finishes. They are sealed with the
// answers as evidence for a person to review (the ICO Children's Code treats an "at risk" flag as
// profiling: it needs human review, never an automatic action); the kiosk never shows them.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "shared/survey/survey.h"

namespace tt::survey {

struct ScoreResult {
  std::string id;
  int answered = 0;             // items with a (non-declined) answer
  std::optional<double> raw;    // sum or mean of the answered items; none below min_answered
  std::optional<double> value;  // raw × scale
  std::vector<std::string> flags;
};

std::vector<ScoreResult> compute_scores(const Survey& survey, const Answers& answers);
// Ids of the alerts whose expression is true, in survey order.
std::vector<std::string> triggered_alerts(const Survey& survey, const Answers& answers);

nlohmann::json scores_to_json(const std::vector<ScoreResult>& scores);

}  // namespace tt::survey
