// tutortime-admin: the central team's tool — keys, survey checking and signing, opening sealed
// responses, and the central server's admin side (enrolment tokens, revocation, the fleet,
// export, import, survey publishing).
#include "shared/common/tool_main.h"
#include "shared/survey/survey_loader.h"
#include "sync/admin/commands.h"

namespace {

constexpr const char* kHelp = R"(tutortime-admin — the Tutortime central team's tool

Usage: tutortime-admin COMMAND [OPTIONS]

Commands:
  keygen --out DIR [--force]
        Creates the central team's keys in DIR: analysis.key / analysis.pub (X25519: kiosks
        seal responses to analysis.pub; only analysis.key opens them) and signing.key /
        signing.pub (Ed25519: surveys are signed with signing.key, kiosks check signing.pub).
        Private keys are PKCS#8 PEM with mode 0600, public keys SubjectPublicKeyInfo PEM, as
        `openssl genpkey` writes them. Refuses to overwrite existing keys unless --force.
        Keep *.key offline and backed up: a lost analysis.key means lost responses.
  survey check FILE...
        Validates each survey definition and prints every problem with its JSON path and
        line, or a short summary when it is valid.
  survey sign FILE --key signing.key
        Checks FILE, then writes its detached Ed25519 signature to FILE.sig (64 raw bytes;
        `openssl pkeyutl -verify -pubin -inkey signing.pub -rawin -in FILE -sigfile FILE.sig`
        verifies it too).
  roster check FILE | roster sign FILE --key signing.key
        A school's tutor groups for class sessions: {"format": "tutortime-roster/1",
        "school": NAME, "version": N, "tutor_groups": ["7A", "7B"]} and nothing else (a roster
        never carries a pupil's or a teacher's name). sign writes FILE.sig like survey sign.
  open --key analysis.key FILE...
        Opens sealed responses (FILE named <response id>.bin, as `outbox export` writes them;
        or give --response-id ID for a single FILE) and prints each as one line of JSON.

Commands that talk to the central server (tutortime-central):
  enrol-token --school NAME [--expires-in-hours N] [--json]
        Makes a one-time enrolment token for one kiosk of that school (valid N hours, 1-720,
        default 72) and prints it on the first line.
  revoke DEVICE
        Revokes a device (its id from `fleet`): the server refuses its requests from now on.
  fleet [--json] [--silent-after-hours N]
        Every device: school, app version, last seen, responses waiting and the oldest's age
        (from its last heartbeat), survey versions. Devices not heard from for more than N
        hours (default 72) are flagged SILENT; revoked ones say so.
  export --key analysis.key --format csv|jsonl [--out FILE] [--survey FILE]
        Fetches every stored response, checks each one's sha256, opens it with the analysis
        key and writes them in the order received: jsonl is each response's plaintext as
        sealed, one per line; csv is UTF-8 with a BOM for Excel, one row per response, a code
        and a _label column per question of the survey FILE (default: the one survey the
        responses answer, as published on the server). --out writes FILE (mode 0600) instead
        of standard output.
  import DIR --key analysis.key
        Sends responses rescued with `tutortime-kiosk outbox export` (DIR/<id>.bin) to the
        server, which stores each once as it would an upload (stored / duplicate / rejected).
  survey publish FILE
        Sends FILE and FILE.sig to the server, which verifies and validates it and hands it
        to kiosks. The same version again is fine when identical, refused when different.
  roster publish FILE
        The same for a roster (FILE + FILE.sig): the kiosks of its school fetch it.

  Finding the server (an option, else the environment variable):
    --server URL               $TUTORTIME_SERVER              https://central.example:8443
    --admin-token-file FILE    $TUTORTIME_ADMIN_TOKEN_FILE    the server's admin-token file
    --server-certificate FILE  $TUTORTIME_SERVER_CERTIFICATE  its tls-certificate.pem when
                                                              self-signed (else system CAs)
    --central-data-dir DIR     $TUTORTIME_CENTRAL_DATA_DIR    both of the above from the
                                                              server's data directory

Options:
  --help    this text

Exit codes: 0 ok · 1 failed (including the server unreachable or refusing) · 2 wrong
arguments · 3 invalid survey, signature or key file (for open and export: at least one
response did not open; the others are still written) · 6 import: not every file was stored.
See docs/exit-codes.md and docs/admin-tool.md.
)";

}  // namespace

int main(int argc, char** argv) {
  using namespace tt;
  auto dispatch = [](CommandLine& args) {
    std::string command = args.required_positional(
        "a command (keygen, survey, roster, open, enrol-token, revoke, fleet, export, import)");
    if (command == "keygen") return admin::command_keygen(args);
    if (command == "survey") return admin::command_survey(args);
    if (command == "open") return admin::command_open(args);
    if (command == "enrol-token") return admin::command_enrol_token(args);
    if (command == "revoke") return admin::command_revoke(args);
    if (command == "fleet") return admin::command_fleet(args);
    if (command == "export") return admin::command_export(args);
    if (command == "import") return admin::command_import(args);
    if (command == "roster") return admin::command_roster(args);
    throw UsageError("unknown command \"" + command + "\"");
  };
  auto exit_code_of = [](const std::exception& e) -> std::optional<int> {
    if (dynamic_cast<const survey::SurveyError*>(&e) != nullptr) return kExitInvalidInput;
    return std::nullopt;
  };
  return run_tool({"tutortime-admin", kHelp, dispatch, exit_code_of}, argc, argv);
}
