#pragma once
// The statistics the benchmarks report, in one place so that every figure in docs/benchmarks.md
// means the same: the median (the mean of the middle two for an even count) and nearest-rank
// percentiles. And the server's own time per batch, read from tutortime-central's log.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <regex>
#include <string>
#include <vector>

namespace tt::bench {

inline double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// Nearest rank: the smallest value with at least p of the values at or below it (p in [0, 1]).
inline double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  std::size_t i = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size())));
  return v[std::min(i == 0 ? 0 : i - 1, v.size() - 1)];
}

// The milliseconds tutortime-central logged for each batch it answered 200.
inline std::vector<double> server_batch_ms(const std::string& log) {
  static const std::regex line(R"(POST /v1/batches 200 \S+ (\d+) ms)");
  std::vector<double> out;
  for (auto it = std::sregex_iterator(log.begin(), log.end(), line); it != std::sregex_iterator(); ++it)
    out.push_back(std::stod((*it)[1].str()));
  return out;
}

}  // namespace tt::bench
