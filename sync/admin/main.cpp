// tutortime-admin: the central team's tool — keys, survey checking and signing, and opening
// sealed responses.
#include <iostream>

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
  open --key analysis.key FILE...
        Opens sealed responses (FILE named <response id>.bin, as `outbox export` writes them;
        or give --response-id ID for a single FILE) and prints each as one line of JSON.

Options:
  --help    this text

Exit codes: 0 ok · 1 failed · 2 wrong arguments · 3 invalid survey, signature or key file
(for open: at least one file did not open; the others are still printed). See
docs/exit-codes.md.
)";

}  // namespace

int main(int argc, char** argv) {
  using namespace tt;
  try {
    CommandLine args(argc, argv);
    if (args.empty()) {
      std::cout << kHelp;
      return kExitUsage;
    }
    if (args.flag("--help") || args.flag("-h")) {
      std::cout << kHelp;
      return kExitOk;
    }
    std::string command = args.required_positional("a command (keygen, survey, open)");
    if (command == "keygen") return admin::command_keygen(args);
    if (command == "survey") return admin::command_survey(args);
    if (command == "open") return admin::command_open(args);
    throw UsageError("unknown command \"" + command + "\"");
  } catch (const UsageError& e) {
    std::cerr << "tutortime-admin: " << e.what() << "\nTry 'tutortime-admin --help'.\n";
    return kExitUsage;
  } catch (const InvalidInputError& e) {
    std::cerr << "tutortime-admin: " << e.what() << "\n";
    return kExitInvalidInput;
  } catch (const survey::SurveyError& e) {
    std::cerr << e.what() << "\n";
    return kExitInvalidInput;
  } catch (const std::exception& e) {
    std::cerr << "tutortime-admin: " << e.what() << "\n";
    return kExitFailure;
  }
}
