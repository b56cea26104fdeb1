// `tutortime-kiosk run --headless --script FILE`: one pupil, driven by a script, through the same
// PupilSession the pupil UI uses — so every line is saved exactly as a tap would be.
#include <cstdio>
#include <iostream>

#include "kiosk/cli/commands.h"
#include "kiosk/cli/open_store.h"
#include "kiosk/cli/run_ui.h"
#include "kiosk/session/pupil_script.h"
#include "kiosk/session/pupil_session.h"
#include "shared/common/files.h"

namespace tt::kiosk {

namespace {

// The survey to run: the one named, else the only one installed. With several and none named,
// the script runner needs --survey; the app (`allow_none`) waits for a teacher's class session.
std::shared_ptr<const survey::Survey> choose_survey(const KioskStore& store, const std::optional<std::string>& id,
                                                    bool allow_none = false) {
  if (id) return load_installed_survey(store, *id);
  auto installed = store.installed_surveys();
  if (installed.empty()) {
    throw StoreError(StoreErrorKind::NotFound, "no survey is installed on this kiosk; install one with survey install");
  }
  std::string first = installed.front().survey_id;
  for (const InstalledSurvey& s : installed) {
    if (s.survey_id == first) continue;
    if (allow_none) return nullptr;
    throw UsageError("several surveys are installed: choose one with --survey ID");
  }
  return load_installed_survey(store, first);
}

std::string where_in(const survey::Flow& flow) {
  auto p = flow.progress();
  if (flow.state() == survey::Flow::State::AtQuestion) {
    return "at question " + flow.current()->id + " (" + std::to_string(p.position) + " of " + std::to_string(p.total) +
           ")";
  }
  if (flow.state() == survey::Flow::State::AtEnd) return "at the end, ready to finish";
  return survey::flow_state_name(flow.state());
}

// Checks that an action naming a question names the one on screen.
void expect_current(const survey::Flow& flow, const ScriptAction& a) {
  const survey::Question* q = flow.current();
  if (q == nullptr) throw ScriptError("there is no question on screen now (" + where_in(flow) + ")");
  if (q->id != a.question_id) {
    throw ScriptError("the question on screen is " + q->id + ", not " + a.question_id);
  }
}

const char* verb_of(ScriptAction::Kind kind) {
  switch (kind) {
    case ScriptAction::Kind::Answer: return "answer";
    case ScriptAction::Kind::Decline: return "decline";
    case ScriptAction::Kind::Clear: return "clear";
    case ScriptAction::Kind::Next: return "next";
    case ScriptAction::Kind::Back: return "back";
    case ScriptAction::Kind::Finish: return "finish";
    case ScriptAction::Kind::TalkToSomeone: return "talk-to-someone";
  }
  return "?";
}

}  // namespace

int command_run(const std::filesystem::path& data_dir, CommandLine& args) {
  bool headless = args.flag("--headless");
  auto script_file = args.option("--script");
  auto input_file = args.option("--input");
  auto screenshots = args.option("--screenshots");
  auto size = args.option("--size");
  auto idle_seconds = args.option("--idle-seconds");
  auto countdown_seconds = args.option("--countdown-seconds");
  auto survey_id = args.option("--survey");
  auto dpi = args.option("--dpi");
  SessionOptions options;
  options.language = args.option("--language").value_or("en");
  options.pupil_code = args.option("--pupil-code");
  options.app_version = TUTORTIME_VERSION;
  args.expect_done();
  if (!script_file) {
    // The pupil app: headless or in a window, played by --input taps or live until SIGTERM.
    if (headless && !input_file)
      throw UsageError("run --headless needs --script FILE (actions) or --input FILE (taps)");
    UiRunOptions ui;
    ui.headless = headless;
    if (input_file) ui.input_file = *input_file;
    if (screenshots) ui.screenshots_dir = *screenshots;
    auto number = [](const std::optional<std::string>& text, const char* name, int min,
                     int max) -> std::optional<std::uint32_t> {
      if (!text) return std::nullopt;
      int v = 0;
      char extra = 0;
      if (std::sscanf(text->c_str(), "%d%c", &v, &extra) != 1 || v < min || v > max) {
        throw UsageError(std::string(name) + " takes a whole number from " + std::to_string(min) + " to " +
                         std::to_string(max));
      }
      return static_cast<std::uint32_t>(v);
    };
    ui.idle_seconds = number(idle_seconds, "--idle-seconds", 1, 3600);
    ui.countdown_seconds = number(countdown_seconds, "--countdown-seconds", 1, 3600);
    ui.display_dpi = number(dpi, "--dpi", 50, 1000);
    if (size && std::sscanf(size->c_str(), "%dx%d", &ui.width, &ui.height) != 2) {
      throw UsageError("--size is WIDTHxHEIGHT, e.g. 1280x800");
    }
    {
      auto store = open_store_for_command(data_dir);
      ui.survey = choose_survey(*store, survey_id, /*allow_none=*/true);
    }
    ui.session = options;
    return run_pupil_ui(data_dir, ui);
  }
  if (input_file) throw UsageError("give --script (actions) or --input (taps), not both");
  if (!headless) throw UsageError("--script runs headless: add --headless");
  std::vector<ScriptAction> actions;
  try {
    actions = parse_pupil_script(read_text_file(*script_file));
  } catch (const ScriptError& e) {
    throw InvalidInputError(*script_file + ": " + e.what());
  }
  auto store = open_store_for_command(data_dir);
  PupilSession session = PupilSession::begin(*store, choose_survey(*store, survey_id), options);
  std::cout << "started response " << session.response_id() << " in draft " << session.draft_id() << ", "
            << where_in(session.flow()) << std::endl;
  for (const ScriptAction& a : actions) {
    try {
      switch (a.kind) {
        case ScriptAction::Kind::Answer:
          expect_current(session.flow(), a);
          session.answer(interpret_script_value(*session.flow().current(), a.raw_value));
          break;
        case ScriptAction::Kind::Decline:
          expect_current(session.flow(), a);
          session.decline();
          break;
        case ScriptAction::Kind::Clear:
          expect_current(session.flow(), a);
          session.clear();
          break;
        case ScriptAction::Kind::Next: session.next(); break;
        case ScriptAction::Kind::Back: session.back(); break;
        case ScriptAction::Kind::TalkToSomeone: session.set_talk_to_someone(true); break;
        case ScriptAction::Kind::Finish: {
          SealedResponse sealed = session.finish();
          std::cout << "line " << a.line << ": finish: saved; response " << sealed.response_id << " sealed ("
                    << sealed.sealed.size() << " bytes) and waiting in the outbox" << std::endl;
          return kExitOk;
        }
      }
    } catch (const ScriptError& e) {
      std::cerr << "tutortime-kiosk: " << *script_file << " line " << a.line << ": " << verb_of(a.kind) << ": "
                << e.what() << "\nThe answers before it are saved in draft " << session.draft_id() << ".\n";
      return kExitRejected;
    } catch (const survey::FlowError& e) {
      std::cerr << "tutortime-kiosk: " << *script_file << " line " << a.line << ": " << verb_of(a.kind) << ": "
                << e.what() << "\nThe answers before it are saved in draft " << session.draft_id() << ".\n";
      return kExitRejected;
    }
    // Printed only after the save returned: a reader of this line knows the action is durable.
    std::cout << "line " << a.line << ": " << verb_of(a.kind) << ": saved; " << where_in(session.flow()) << std::endl;
  }
  std::cout << "the script ended before finish; draft " << session.draft_id() << " is saved, encrypted" << std::endl;
  return kExitOk;
}

}  // namespace tt::kiosk
