// tutortime-central: the central server kiosks upload sealed responses to.
#include "shared/common/tool_main.h"
#include "sync/central/commands.h"

namespace {

constexpr const char* kHelp = R"(tutortime-central — the Tutortime central server

Usage: tutortime-central COMMAND [OPTIONS]

Commands:
  serve [--config FILE] [--data-dir DIR] [--insecure-http-for-tests]
        Serves the /v1 protocol (docs/protocol.md) over HTTPS until SIGTERM or SIGINT.
        FILE is the JSON configuration (docs/central-server.md; every setting has a default;
        "storage" is sqlite:PATH, the default, or a postgresql:// URI).
        DIR holds the database (central.db), and whatever is made on the first run: a
        self-signed TLS certificate and key (tls-certificate.pem, tls-private-key.pem, mode
        0600) unless the configuration names others, and the admin token (admin-token, mode
        0600). It must also hold analysis.pub and signing.pub from `tutortime-admin keygen`
        unless the configuration names them; the analysis private key never belongs here.
        Prints the certificate's public-key pin (give it to kiosks at enrolment) and the
        address it listens on. --insecure-http-for-tests serves plain HTTP: for tests only,
        never with real kiosks.
  pin [--config FILE] [--data-dir DIR] [--certificate FILE]
        Prints the public-key pin of the server's certificate (or of FILE), in the form
        libcurl's CURLOPT_PINNEDPUBLICKEY takes: sha256//BASE64.

Options:
  --help    this text

The data directory is --data-dir, else the configuration's data_dir, else
$TUTORTIME_CENTRAL_DATA_DIR, else /var/lib/tutortime-central.

Exit codes: 0 ok (serve: stopped by a signal) · 1 failed (the message says why: storage, TLS,
a port in use, a key file) · 2 wrong arguments · 3 invalid configuration or key file. See
docs/central-server.md.
)";

}  // namespace

int main(int argc, char** argv) {
  using namespace tt;
  return run_tool({"tutortime-central", kHelp,
                   [](CommandLine& args) {
                     std::string command = args.required_positional("a command (serve, pin)");
                     if (command == "serve") return central::command_serve(args);
                     if (command == "pin") return central::command_pin(args);
                     throw UsageError("unknown command \"" + command + "\"");
                   }},
                  argc, argv);
}
