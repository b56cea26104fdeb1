// tutortime-central serve: open the storage, make what a first run needs, and serve until a signal.
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <thread>

#include "shared/crypto/key_files.h"
#include "sync/central/admin_token.h"
#include "sync/central/central_config.h"
#include "sync/central/central_service.h"
#include "sync/central/commands.h"
#include "sync/central/http_server.h"
#include "sync/central/server_log.h"
#include "sync/central/storage.h"

namespace tt::central {
namespace {

void prepare_data_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  if (std::filesystem::exists(dir, ec)) return;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error("cannot create the data directory " + dir.string() + ": " + ec.message());
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
}

// The public key of `algorithm` in `file`, as PEM for the enrolment reply.
std::string public_key_pem(const std::filesystem::path& file, crypto::KeyAlgorithm algorithm, const char* role) {
  try {
    return crypto::public_key_to_pem(algorithm, crypto::read_public_key(file, algorithm));
  } catch (const Error& e) {
    throw InvalidInputError(std::string(role) + ": " + e.what() + " (copy it from `tutortime-admin keygen`, or set " +
                            (algorithm == crypto::KeyAlgorithm::X25519 ? "analysis_public_key" : "signing_public_key") +
                            " in the configuration)");
  }
}

// The server must never hold the analysis private key (DESIGN.md, "Security model").
void refuse_analysis_private_key(const CentralConfig& config) {
  for (const std::filesystem::path& dir : {config.data_dir, config.analysis_public_key.parent_path()}) {
    std::error_code ec;
    std::filesystem::path key = dir / "analysis.key";
    if (std::filesystem::exists(key, ec)) {
      throw Error("refusing to start: " + key.string() +
                  " is the analysis private key, and it must never be on the central server; keep it offline "
                  "with the central team and remove it from here");
    }
  }
}

std::string url_of(bool tls, const std::string& address, int port) {
  bool ipv6 = address.find(':') != std::string::npos;
  return std::string(tls ? "https" : "http") + "://" + (ipv6 ? "[" + address + "]" : address) + ":" +
         std::to_string(port);
}

}  // namespace

int command_serve(CommandLine& args) {
  std::optional<std::filesystem::path> config_file, data_dir;
  if (auto v = args.option("--config")) config_file = *v;
  if (auto v = args.option("--data-dir")) data_dir = *v;
  bool insecure = args.flag("--insecure-http-for-tests");
  args.expect_done();

  CentralConfig config = load_central_config(config_file, data_dir);
  ::umask(077);
  ::signal(SIGPIPE, SIG_IGN);  // a client gone mid-reply is an error return, not a signal
  prepare_data_dir(config.data_dir);
  refuse_analysis_private_key(config);

  ServiceSettings settings;
  settings.version = TUTORTIME_VERSION;
  settings.max_batch_responses = config.limits.max_batch_responses;
  settings.max_sealed_bytes = config.limits.max_sealed_bytes;
  settings.clock_skew_seconds = config.limits.clock_skew_seconds;
  settings.device_rate_limit = {config.limits.device_requests_per_minute, config.limits.device_request_burst};
  settings.analysis_public_key_pem =
      public_key_pem(config.analysis_public_key, crypto::KeyAlgorithm::X25519, "the analysis public key");
  settings.signing_public_key_pem =
      public_key_pem(config.signing_public_key, crypto::KeyAlgorithm::Ed25519, "the survey-signing public key");

  std::unique_ptr<Storage> storage = open_storage(config.storage_url);
  AdminToken admin_token = load_or_create_admin_token(config.admin_token_file);
  settings.admin_token = admin_token.value;

  HttpServerSettings http;
  http.address = config.listen_address;
  http.port = config.listen_port;
  http.limits = config.limits;
  std::cout << "tutortime-central " << TUTORTIME_VERSION << "\n"
            << "storage: " << storage->describe() << "\n"
            << "admin token: " << config.admin_token_file.string()
            << (admin_token.created ? " (created, mode 0600)" : "") << "\n";
  if (insecure) {
    log_line(LogLevel::Warning, "serving plain HTTP (--insecure-http-for-tests): never use this with real kiosks");
  } else {
    TlsIdentity identity =
        load_or_create_tls_identity(config.tls_certificate, config.tls_private_key, config.tls_self_signed_names, true);
    settings.server_pin = identity.pin;
    settings.server_certificate_pem = identity.certificate_pem;
    std::cout << "certificate: " << identity.certificate_file.string()
              << (identity.created ? " (created: self-signed ECDSA P-256)" : "") << "\n"
              << "certificate pin: " << identity.pin << "\n";
    http.tls = std::move(identity);
  }

  CentralService service(*storage, std::move(settings));
  // Signals are taken by one thread with sigwait; block them before any other thread starts,
  // so cpp-httplib's workers inherit the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  HttpServer server(service, std::move(http));
  int port = server.bind();
  std::cout << "listening on " << url_of(!insecure, config.listen_address, port) << std::endl;
  log_line(LogLevel::Info,
           "listening on " + url_of(!insecure, config.listen_address, port) + ", storage " + storage->describe());

  std::atomic<bool> finished{false};
  std::thread watcher([&] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    if (finished) return;
    log_line(LogLevel::Info, std::string("stopping on ") + (signal_number == SIGINT ? "SIGINT" : "SIGTERM"));
    // stop() is lost if it lands before the server is running, so repeat it until it is done.
    while (!finished) {
      server.stop();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  bool served = server.run();
  finished = true;
  ::kill(::getpid(), SIGTERM);  // wakes the watcher if no signal came (it returns at once)
  watcher.join();
  if (!served) throw Error("the server stopped listening unexpectedly");
  log_line(LogLevel::Info, "stopped");
  return kExitOk;
}

}  // namespace tt::central
