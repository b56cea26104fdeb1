#include "shared/survey/scoring.h"

#include <algorithm>

namespace tt::survey {

std::vector<ScoreResult> compute_scores(const Survey& survey, const Answers& answers) {
  std::vector<ScoreResult> results;
  for (const Score& score : survey.scores) {
    ScoreResult r;
    r.id = score.id;
    double sum = 0;
    for (const std::string& item : score.items) {
      auto it = answers.find(item);
      if (it == answers.end()) continue;
      const auto* v = std::get_if<std::int64_t>(&it->second);
      if (v == nullptr) continue;  // declined
      const Question* q = survey.question(item);
      double value = static_cast<double>(*v);
      if (std::find(score.reverse.begin(), score.reverse.end(), item) != score.reverse.end()) {
        value = static_cast<double>(q->lowest_value() + q->highest_value()) - value;
      }
      sum += value;
      ++r.answered;
    }
    if (r.answered > 0 && r.answered >= score.min_answered) {
      r.raw = score.method == Score::Method::Sum ? sum : sum / r.answered;
      r.value = *r.raw * score.scale;
      for (const Threshold& t : score.thresholds) {
        bool hit = t.kind == Threshold::Kind::Below ? *r.raw < t.value : *r.raw >= t.value;
        if (hit) r.flags.push_back(t.flag);
      }
    }
    results.push_back(std::move(r));
  }
  return results;
}

std::vector<std::string> triggered_alerts(const Survey& survey, const Answers& answers) {
  auto lookup = [&](std::string_view id) -> const Answer* {
    auto it = answers.find(std::string(id));
    return it == answers.end() ? nullptr : &it->second;
  };
  std::vector<std::string> ids;
  for (const SafeguardingAlert& alert : survey.safeguarding.alerts) {
    if (!alert.when.empty() && alert.when.evaluate(lookup)) ids.push_back(alert.id);
  }
  return ids;
}

nlohmann::json scores_to_json(const std::vector<ScoreResult>& scores) {
  nlohmann::json out = nlohmann::json::object();
  for (const ScoreResult& s : scores) {
    nlohmann::json j = {{"answered", s.answered}};
    j["raw"] = s.raw ? nlohmann::json(*s.raw) : nlohmann::json(nullptr);
    j["value"] = s.value ? nlohmann::json(*s.value) : nlohmann::json(nullptr);
    j["flags"] = s.flags;
    out[s.id] = j;
  }
  return out;
}

}  // namespace tt::survey
