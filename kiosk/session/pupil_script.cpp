#include "kiosk/session/pupil_script.h"

#include <charconv>
#include <sstream>

#include "shared/common/script_lines.h"

namespace tt::kiosk {

std::vector<ScriptAction> parse_pupil_script(const std::string& text) {
  std::vector<ScriptAction> actions;
  for (const ScriptLine& l : split_script_lines(text)) {
    const std::string& verb = l.verb;
    const std::string& rest = l.rest;
    ScriptAction a;
    a.line = l.number;
    const std::string where = l.where();
    auto no_arguments = [&](ScriptAction::Kind kind) {
      if (!rest.empty()) throw ScriptError(where + verb + " takes no arguments");
      a.kind = kind;
    };
    if (verb == "answer") {
      auto split = rest.find_first_of(" \t");
      if (rest.empty() || split == std::string::npos)
        throw ScriptError(where + "answer needs a question id and a value");
      a.kind = ScriptAction::Kind::Answer;
      a.question_id = rest.substr(0, split);
      a.raw_value = trim_spaces(rest.substr(split));
    } else if (verb == "decline" || verb == "clear") {
      if (rest.empty() || rest.find_first_of(" \t") != std::string::npos) {
        throw ScriptError(where + verb + " needs exactly one question id");
      }
      a.kind = verb == "decline" ? ScriptAction::Kind::Decline : ScriptAction::Kind::Clear;
      a.question_id = rest;
    } else if (verb == "next") {
      no_arguments(ScriptAction::Kind::Next);
    } else if (verb == "back") {
      no_arguments(ScriptAction::Kind::Back);
    } else if (verb == "finish") {
      no_arguments(ScriptAction::Kind::Finish);
    } else if (verb == "talk-to-someone") {
      no_arguments(ScriptAction::Kind::TalkToSomeone);
    } else {
      throw ScriptError(where + "unknown action \"" + verb +
                        "\"; expected answer, decline, clear, next, back, finish or talk-to-someone");
    }
    if (!actions.empty() && actions.back().kind == ScriptAction::Kind::Finish) {
      // After finish the response is sealed: a later action (say, talk-to-someone) could no
      // longer reach it, so the script is refused before anything runs.
      throw ScriptError(where + verb + " comes after finish (line " + std::to_string(actions.back().line) +
                        "); finish must be the last action");
    }
    actions.push_back(std::move(a));
  }
  return actions;
}

namespace {

std::string unquote(const std::string& raw) {
  if (raw.size() < 2 || raw.front() != '"' || raw.back() != '"')
    throw ScriptError("text answers are written in double quotes");
  std::string out;
  for (std::size_t i = 1; i + 1 < raw.size(); ++i) {
    char c = raw[i];
    if (c == '\\') {
      if (i + 2 >= raw.size()) throw ScriptError("the quoted text ends with a lone backslash");
      char e = raw[++i];
      if (e == 'n') {
        out.push_back('\n');
      } else if (e == '"' || e == '\\') {
        out.push_back(e);
      } else {
        throw ScriptError("unknown escape in the quoted text (use \\\", \\\\ or \\n)");
      }
    } else if (c == '"') {
      throw ScriptError("a quote inside the text must be written \\\"");
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

survey::Answer interpret_script_value(const survey::Question& question, const std::string& raw) {
  using survey::QuestionType;
  std::string kind = std::string(survey::question_type_name(question.type)) + " question " + question.id;
  switch (question.type) {
    case QuestionType::Feelings:
    case QuestionType::Scale:
    case QuestionType::Number: {
      std::int64_t v = 0;
      auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), v);
      if (ec != std::errc() || end != raw.data() + raw.size()) throw ScriptError(kind + " needs a whole number");
      return v;
    }
    case QuestionType::YesNo:
      if (raw == "yes" || raw == "true") return true;
      if (raw == "no" || raw == "false") return false;
      throw ScriptError(kind + " needs yes or no");
    case QuestionType::Single:
      if (!raw.empty() && raw.front() == '"') return unquote(raw);
      return raw;
    case QuestionType::Multiple: {
      std::string list = raw;
      if (!list.empty() && list.front() == '[') {
        if (list.back() != ']') throw ScriptError(kind + " needs a list such as [a, b]");
        list = list.substr(1, list.size() - 2);
      }
      survey::OptionIds ids;
      std::istringstream in(list);
      std::string item;
      while (std::getline(in, item, ',')) {
        item = trim_spaces(item);
        if (item.size() >= 2 && item.front() == '"') item = unquote(item);
        if (!item.empty()) ids.push_back(item);
      }
      return ids;
    }
    case QuestionType::FreeText: return unquote(raw);
    case QuestionType::Info: break;
  }
  throw ScriptError(kind + " is an information screen and takes no answer");
}

}  // namespace tt::kiosk
