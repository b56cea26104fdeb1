#pragma once
// The real tutortime-central for the sync benchmarks: a fresh directory with the central team's
// public keys and a configuration, the server on a free loopback port over TLS (self-signed on
// this first run), on SQLite in that directory or on a PostgreSQL database given by URL. It is
// tests/central/server_process.h's ServerProcess underneath (the same child process the
// integration tests use), plus what a benchmark reads: the server's CPU time and its log.
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>

#include "shared/crypto/ed25519.h"
#include "shared/crypto/key_files.h"
#include "shared/crypto/x25519.h"
#include "tests/central/server_process.h"

namespace tt::bench {

namespace fs = std::filesystem;

// User + system CPU seconds of process `pid` so far (0 when it is gone).
inline double process_cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; fields >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
    if (i == 15) break;
  }
  return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// CPU seconds of a PostgreSQL cluster's postmaster and its backends so far: the postmaster's
// pid is the first line of DATA/postmaster.pid; its children are read from /proc.
inline double postgres_cpu_seconds(const fs::path& data_dir) {
  std::ifstream pid_file(data_dir / "postmaster.pid");
  pid_t postmaster = 0;
  if (!(pid_file >> postmaster)) return 0;
  double total = process_cpu_seconds(postmaster);
  std::ifstream children("/proc/" + std::to_string(postmaster) + "/task/" + std::to_string(postmaster) + "/children");
  pid_t child = 0;
  while (children >> child) total += process_cpu_seconds(child);
  return total;
}

struct BenchCentralOptions {
  std::optional<std::string> storage_url;  // default: SQLite in the directory
  int threads = 16;                        // the server's default worker pool
  int max_batch_responses = 500;           // the server's defaults
};

class BenchCentral {
 public:
  // Throws tt::Error when the server does not start (with its output).
  BenchCentral(const fs::path& dir, const BenchCentralOptions& options) : dir_(dir) {
    fs::create_directories(dir / "keys");
    auto analysis = crypto::x25519_generate();
    auto signing = crypto::ed25519_generate();
    crypto::write_public_key(dir / "keys" / "analysis.pub", crypto::KeyAlgorithm::X25519, analysis.public_key);
    crypto::write_public_key(dir / "keys" / "signing.pub", crypto::KeyAlgorithm::Ed25519, signing.public_key);
    analysis_pem_ = crypto::public_key_to_pem(crypto::KeyAlgorithm::X25519, analysis.public_key);
    signing_pem_ = crypto::public_key_to_pem(crypto::KeyAlgorithm::Ed25519, signing.public_key);
    nlohmann::json config = {
        {"listen", {{"address", "127.0.0.1"}, {"port", 0}}},
        {"analysis_public_key", "keys/analysis.pub"},
        {"signing_public_key", "keys/signing.pub"},
        {"limits", {{"threads", options.threads}, {"max_batch_responses", options.max_batch_responses}}}};
    if (options.storage_url) config["storage"] = *options.storage_url;
    std::ofstream(dir / "central.json") << config.dump(2);
    server_ = std::make_unique<central::testing::ServerProcess>();
    if (!server_->start({"--config", (dir / "central.json").string(), "--data-dir", (dir / "data").string()},
                        dir / "server.stderr")) {
      throw Error("bench: tutortime-central did not start:\n" + server_->failure());
    }
    pid_ = find_child_pid();
  }

  const std::string& url() const { return server_->url(); }
  const std::string& pin() const { return server_->pin(); }
  std::string certificate_pem() const {
    return central::testing::read_file_text(dir_ / "data" / "tls-certificate.pem");
  }
  std::string admin_token() const {
    std::string t = central::testing::read_file_text(dir_ / "data" / "admin-token");
    while (!t.empty() && t.back() == '\n') t.pop_back();
    return t;
  }
  const std::string& analysis_public_key_pem() const { return analysis_pem_; }
  const std::string& signing_public_key_pem() const { return signing_pem_; }
  std::string log_text() const { return server_->stderr_text(); }
  int stop() { return server_->stop(); }

  // User + system CPU seconds the server has used so far (0 when its pid is unknown).
  double cpu_seconds() const { return pid_ > 0 ? process_cpu_seconds(pid_) : 0; }

 private:
  // The newest child of this process's main thread: the server just spawned.
  static pid_t find_child_pid() {
    std::ifstream in("/proc/self/task/" + std::to_string(::getpid()) + "/children");
    pid_t pid = 0, last = 0;
    while (in >> pid) last = pid;
    return last;
  }

  fs::path dir_;
  std::unique_ptr<central::testing::ServerProcess> server_;
  pid_t pid_ = 0;
  std::string analysis_pem_;
  std::string signing_pem_;
};

// This process's CPU seconds (user + system, every thread).
inline double own_cpu_seconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace tt::bench
