#pragma once
// Loads and validates a survey definition (docs/survey-format.md). Every malformed definition is
// rejected with problems that each name the file, the JSON path, the line where known and what
// was expected; no input can crash or hang the loader (sizes and nesting are bounded before
// parsing).
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "shared/common/error.h"
#include "shared/survey/survey.h"

namespace tt::survey {

struct SurveyProblem {
  std::string pointer;   // RFC 6901 JSON pointer; "" for the whole document
  std::size_t line = 0;  // 1-based; 0 when unknown
  std::string message;
};

class SurveyError : public Error {
 public:
  SurveyError(std::string file, std::vector<SurveyProblem> problems);
  const std::string& file() const { return file_; }
  const std::vector<SurveyProblem>& problems() const { return problems_; }

 private:
  std::string file_;
  std::vector<SurveyProblem> problems_;
};

inline constexpr std::size_t kMaxSurveyBytes = 2 * 1024 * 1024;
inline constexpr std::size_t kMaxSurveyNesting = 32;
inline constexpr std::size_t kMaxReportedProblems = 50;

// `file_name` appears in messages only. Throws SurveyError.
Survey load_survey_text(std::string_view json_text, const std::string& file_name);
// Reads then loads; an unreadable file is a SurveyError too.
Survey load_survey_file(const std::filesystem::path& file);

// "FILE: /sections/0/id (line 12): expected …", one problem per line.
std::string format_problems(const std::string& file, const std::vector<SurveyProblem>& problems);

}  // namespace tt::survey
