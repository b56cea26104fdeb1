// tutortime-kiosk: the kiosk's command line: the pupil app (run), and the technician's and the
// test suite's ways in.
#include <cstdlib>
#include <string>

#include "kiosk/cli/commands.h"
#include "kiosk/store/kiosk_store.h"
#include "shared/common/tool_main.h"
#include "shared/survey/survey_loader.h"

namespace {

constexpr const char* kHelp = R"(tutortime-kiosk — the Tutortime survey kiosk

Usage: tutortime-kiosk [--data-dir DIR] COMMAND [OPTIONS]

Commands:
  setup --analysis-public-key FILE --signing-public-key FILE
        Creates the kiosk's encrypted store in DIR: a new device storage key (DIR/storage.key,
        mode 0600) and database (DIR/kiosk.db). FILE are the central team's X25519 analysis
        public key (responses are sealed to it) and Ed25519 survey-signing public key (surveys
        must verify against it). Refuses to run twice on one DIR.
  survey install FILE
        Verifies FILE against FILE.sig with the signing key, checks it, and installs it.
  survey list [--json]
        The installed surveys.
  run --headless --script FILE [--survey ID] [--language LANG] [--pupil-code CODE]
        Runs one pupil through a survey from a script (see below). Every answer is saved,
        encrypted, before the next line runs. --survey is needed when more than one survey is
        installed; --pupil-code for pupil_code surveys.
  run [--headless --input FILE] [--screenshots DIR] [--size WxH] [--survey ID]
      [--idle-seconds N] [--countdown-seconds N] [--dpi N]
        The pupil app. With --headless --input it runs under SDL's dummy video driver and the
        software renderer and plays an input script of taps (see below); screenshots are PNG.
        Without --headless it opens full screen (with --input: plays it, then exits; without:
        runs until SIGTERM or the technician menu's exit — pupils cannot close it). After
        --idle-seconds untouched it asks "Are you still there?" for --countdown-seconds, then
        hands over: a draft stays saved, encrypted. --dpi sizes touch targets for a display that
        does not report its DPI. These three default to the kiosk's configuration (config).
        With several surveys installed and no --survey, pupils wait for a teacher to open a
        class session (a 3-second press in the top-left corner, then the teacher PIN).
  config set KEY VALUE | config show [--json]
        This kiosk's settings: school-contact (shown on the end screen beside Childline),
        idle-seconds (90), countdown-seconds (20), draft-max-age-hours (12: unfinished drafts
        older than this are discarded; a pupil can carry on the same day), display-dpi (0: ask
        the display).
  pin set technician|teacher
        Reads a new staff PIN (4 to 12 digits) from the first line of standard input, never
        from the command line (other users can see arguments in ps); on a terminal it asks
        twice and does not show what is typed. Stores only a salted PBKDF2 hash and clears any
        lock on that PIN. The technician PIN opens the technician menu (device, surveys,
        uploads waiting, free disk, exit); the teacher PIN opens class sessions.
  pin status [--json]
        Whether each PIN is set and whether it is locked now (never a PIN or its hash). From
        the 5th wrong try in a row, each wrong try locks that PIN for 30 s, then 60 s, 120 s,
        ... up to an hour; a right PIN or pin set ends it.
  outbox list [--json]
        Sealed responses waiting to upload (ids, survey, size, time; never their contents).
  outbox export --dir OUT
        Writes each waiting sealed response to OUT/<response id>.bin, for a kiosk that never
        gets a network (the central team imports them). The outbox keeps them.
  status [--json]
        Device id, surveys, drafts and the outbox at a glance.
  enrol --server URL --token TOKEN [--pin sha256//...] [--force]
        Registers this kiosk (set up already) with the central server: makes the device's
        Ed25519 key (DIR/device.key, mode 0600), presents the one-time TOKEN, and keeps the
        device id, the server's key pin and certificate, and the central team's keys. With
        --pin (from `tutortime-central pin`) nothing is sent unless the server's key matches it;
        without, the certificate must verify against the system's CAs and the pin received is
        printed to compare. Refuses a kiosk enrolled already unless --force (a new key and
        device id), and a server whose analysis or signing key differs from the set-up ones
        while responses or drafts are kept for the old key.
  sync --once [--json] [--server-url-override URL] [--max-batch N] [--no-heartbeat]
              [--no-survey-updates]
        Uploads every waiting sealed response in signed batches (at most N, default 100, each),
        pinned to the enrolled server's key. A response leaves the outbox only when the
        server's reply names it stored or duplicate. Then fetches the central team's signed
        surveys and installs each one that passes the checks of `survey install` (signature,
        validity, drawable text) beside the versions already installed, and the school's
        signed roster (tutor groups for class sessions) when it is newer; refusals are logged,
        and neither they nor a failed fetch change the exit code (--no-survey-updates skips
        both). Then sends a heartbeat. Exit 0: everything acknowledged; 6: not everything (the
        reason is printed); 7: pin mismatch; 8: revoked. --server-url-override talks to
        another URL (a proxy) with the same pin.
  sync [--interval-seconds N] [--server-url-override URL] [--no-survey-updates]
        The uploader process beside the pupil app: a pass every N s (default 60) while all is
        well, capped exponential backoff with full jitter (2 s up to 15 min) after failures, and
        a pass at once on SIGUSR1 or a network change; SIGTERM stops it. Logs the first failure
        in a row and "upload recovered after N failures", not every failure. See docs/sync.md.

Script lines (one action each; # starts a comment):
  answer QID VALUE   a number, yes or no, an option id, a list [a, b] for multiple choice,
                     or a "quoted string" for text
  decline QID        "I'd rather not say" (only where the question offers it)
  clear QID          take the current answer back
  next | back | finish | talk-to-someone
  An action that does not fit the current question stops the run with a message and exit
  code 4; what was answered before it stays saved in the draft.

Input lines (the pupil app; # starts a comment):
  tap LABEL          tap the centre of the visible widget with that label (a touch, with the
                     mouse events SDL makes from it)
  double-tap LABEL   two taps at once (the second lands during the screen's transition)
  tap-at X Y         tap a point (window pixels)
  type TEXT          type through the on-screen keyboard or keypad
  wait SECONDS       let time pass
  press-corner SECS  hold a finger in the top-left corner (3 s opens the staff screens)
  resize WxH         resize the window (a tablet turned on its side)
  key COMBO | close  a key press (Escape, Alt+F4, Ctrl+Q) or a window close request
  expect-screen NAME handover, pupil_code, language, notice, question, end, staff,
                     staff_pin, technician or class_session
  expect-question ID the question on screen
  expect-text TEXT   some text on screen contains TEXT (expect-no-text: none does)
  expect-no-widget LABEL  no widget with that label is on screen
  screenshot NAME    DIR/NAME.png
  A label that is not on screen stops the run (exit 4) and lists the labels that are.

Options:
  --data-dir DIR     the kiosk's data directory (default: $TUTORTIME_DATA_DIR, else
                     /var/lib/tutortime)
  --help             this text

Exit codes: 0 ok · 1 failed · 2 wrong arguments · 3 invalid survey, signature, key file,
setting, PIN or enrolment token · 4 a script action was refused · 5 the store refused (not set
up, wrong key, newer schema, disk full, read-only) · 6 sync: not everything was acknowledged ·
7 the server's key is not the pinned one · 8 the kiosk is revoked · 9 enrol: the server is
unreachable. See docs/exit-codes.md.
)";

}  // namespace

int main(int argc, char** argv) {
  using namespace tt;
  auto dispatch = [](CommandLine& args) {
    auto dir_option = args.option("--data-dir");
    const char* env = std::getenv("TUTORTIME_DATA_DIR");
    std::filesystem::path data_dir = dir_option ? *dir_option : (env != nullptr ? env : "/var/lib/tutortime");
    std::string command =
        args.required_positional("a command (setup, survey, run, outbox, status, config, pin, enrol, sync)");
    if (command == "setup") return kiosk::command_setup(data_dir, args);
    if (command == "survey") return kiosk::command_survey(data_dir, args);
    if (command == "run") return kiosk::command_run(data_dir, args);
    if (command == "outbox") return kiosk::command_outbox(data_dir, args);
    if (command == "status") return kiosk::command_status(data_dir, args);
    if (command == "config") return kiosk::command_config(data_dir, args);
    if (command == "pin") return kiosk::command_pin(data_dir, args);
    if (command == "enrol") return kiosk::command_enrol(data_dir, args);
    if (command == "sync") return kiosk::command_sync(data_dir, args);
    throw UsageError("unknown command \"" + command + "\"");
  };
  auto exit_code_of = [](const std::exception& e) -> std::optional<int> {
    if (dynamic_cast<const survey::SurveyError*>(&e) != nullptr) return kExitInvalidInput;
    if (dynamic_cast<const kiosk::StoreError*>(&e) != nullptr) return kExitStore;
    return std::nullopt;
  };
  return run_tool({"tutortime-kiosk", kHelp, dispatch, exit_code_of}, argc, argv);
}
