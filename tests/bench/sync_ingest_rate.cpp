// The central server's ingest rate under a fleet of kiosks, beside a bare batched insert of the
// same rows into the same kind of database, run side by side (server, then bare, per run), with
// medians over the runs. Goals (issue 4): 5,000 responses/s on SQLite and 3,000/s on
// PostgreSQL with 200 concurrent kiosks, without errors.
//
//   sync_ingest_rate [--storage sqlite|postgresql] [--postgres-socket DIR] [--kiosks N]
//                    [--batches N] [--batch N] [--runs N] [--threads N] [--dir DIR]
//
// --postgres-socket: the directory of a PostgreSQL server's Unix socket (user postgres; run.sh
// starts a private one). --dir: where the SQLite files and the server's data go (a real disk).
// Where the time goes is reported too: the kiosks' round trips (p50, p99), the server's own
// time per batch (from its log), and CPU seconds of the server and of the load generator (both
// share this machine's cores).
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <regex>
#include <string>
#include <vector>

#include "shared/crypto/random.h"
#include "tests/bench/bench_stats.h"
#include "tests/bench/sync_bare_insert.h"
#include "tests/bench/sync_bench_central.h"
#include "tests/bench/sync_kiosk_fleet.h"

namespace {

using namespace tt;
using namespace tt::bench;

struct Options {
  std::string storage = "sqlite";
  std::string postgres_socket;
  FleetLoad load;
  int runs = 5;
  int threads = 16;
  std::string dir = "/var/tmp";
};

std::size_t positive(const std::string& text, const char* name) {
  long long v = std::stoll(text);
  if (v <= 0) throw Error(std::string("sync_ingest_rate: ") + name + " must be positive");
  return static_cast<std::size_t>(v);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw Error("sync_ingest_rate: " + a + " needs a value");
      return argv[++i];
    };
    if (a == "--storage") {
      o.storage = value();
    } else if (a == "--postgres-socket") {
      o.postgres_socket = value();
    } else if (a == "--kiosks") {
      o.load.kiosks = positive(value(), "--kiosks");
    } else if (a == "--batches") {
      o.load.batches_per_kiosk = positive(value(), "--batches");
    } else if (a == "--batch") {
      o.load.responses_per_batch = positive(value(), "--batch");
    } else if (a == "--runs") {
      o.runs = static_cast<int>(positive(value(), "--runs"));
    } else if (a == "--threads") {
      o.threads = static_cast<int>(positive(value(), "--threads"));
    } else if (a == "--dir") {
      o.dir = value();
    } else {
      throw Error("sync_ingest_rate: unknown argument " + a);
    }
  }
  if (o.storage != "sqlite" && o.storage != "postgresql") throw Error("sync_ingest_rate: --storage sqlite|postgresql");
  if (o.storage == "postgresql" && o.postgres_socket.empty())
    throw Error("sync_ingest_rate: --storage postgresql needs --postgres-socket DIR");
  return o;
}

int run(const Options& o) {
  bool pg = o.storage == "postgresql";
  std::printf(
      "sync ingest, %s: %zu kiosks at once, each %zu batches of %zu responses (%zu-%zu bytes sealed); "
      "server threads %d; %d runs\n",
      o.storage.c_str(), o.load.kiosks, o.load.batches_per_kiosk, o.load.responses_per_batch, o.load.min_sealed_bytes,
      o.load.max_sealed_bytes, o.threads, o.runs);
  std::vector<double> server_rates, bare_rates, bare2_rates;
  std::size_t total_errors = 0;
  std::string first_error;
  for (int r = 1; r <= o.runs; ++r) {
    fs::path dir = fs::path(o.dir) / ("tutortime-sync-bench-" + crypto::random_id128().substr(0, 12));
    fs::create_directories(dir);
    BenchCentralOptions central_options;
    central_options.threads = o.threads;
    if (pg) {
      std::string name =
          create_postgres_database(o.postgres_socket, "tt_bench_" + crypto::random_id128().substr(0, 12));
      central_options.storage_url = postgres_url(o.postgres_socket, name);
    }
    std::vector<SimulatedKiosk> fleet;
    FleetResult result;
    double server_cpu = 0, own_cpu = 0, postgres_cpu = 0;
    std::vector<double> server_ms;
    {
      BenchCentral central(dir / "central", central_options);
      auto endpoint = endpoint_of(central.url(), central.pin(), central.certificate_pem());
      fleet = enrol_fleet(endpoint, central.admin_token(), o.load);
      fs::path pg_data = fs::path(o.postgres_socket) / "data";
      double server0 = central.cpu_seconds(), own0 = own_cpu_seconds();
      double pg0 = pg ? postgres_cpu_seconds(pg_data) : 0;
      result = run_fleet(endpoint, fleet);
      server_cpu = central.cpu_seconds() - server0;
      own_cpu = own_cpu_seconds() - own0;
      if (pg) postgres_cpu = postgres_cpu_seconds(pg_data) - pg0;
      central.stop();
      server_ms = server_batch_ms(central.log_text());
    }
    std::vector<std::vector<protocol::SealedUpload>> all;
    for (const auto& kiosk : fleet) all.insert(all.end(), kiosk.batches.begin(), kiosk.batches.end());
    auto rows = bare_batches_of(all);
    std::size_t row_count = o.load.kiosks * o.load.batches_per_kiosk * o.load.responses_per_batch;
    auto bare = [&](bool remember_nonce) {
      if (pg) {
        std::string name =
            create_postgres_database(o.postgres_socket, "tt_bare_" + crypto::random_id128().substr(0, 12));
        return bare_postgres_insert(postgres_url(o.postgres_socket, name), rows, remember_nonce);
      }
      return bare_sqlite_insert(dir / (remember_nonce ? "bare-server-writes.db" : "bare.db"), rows, remember_nonce);
    };
    double bare_seconds = bare(false);
    double bare2_seconds = bare(true);
    double server_rate = static_cast<double>(result.stored) / result.seconds;
    double bare_rate = static_cast<double>(row_count) / bare_seconds;
    double bare2_rate = static_cast<double>(row_count) / bare2_seconds;
    server_rates.push_back(server_rate);
    bare_rates.push_back(bare_rate);
    bare2_rates.push_back(bare2_rate);
    total_errors += result.errors;
    if (first_error.empty()) first_error = result.first_error;
    char pg_cpu_text[64] = "";
    if (pg) std::snprintf(pg_cpu_text, sizeof pg_cpu_text, ", PostgreSQL %.2f", postgres_cpu);
    std::string pg_cpu_note = pg_cpu_text;
    double server_ms_mean = 0;
    for (double m : server_ms) server_ms_mean += m / static_cast<double>(server_ms.size());
    std::printf(
        "run %d: server %.0f responses/s (%zu stored in %.2f s, %zu errors); bare insert %.0f rows/s "
        "(%.2f s), with the server's other writes %.0f rows/s (%.2f s); kiosk round trip p50 %.1f ms "
        "p99 %.1f ms; server time per batch mean %.1f ms (%zu logged); CPU s: server %.2f, load "
        "generator %.2f%s\n",
        r, server_rate, result.stored, result.seconds, result.errors, bare_rate, bare_seconds, bare2_rate,
        bare2_seconds, percentile(result.batch_ms, 0.5), percentile(result.batch_ms, 0.99), server_ms_mean,
        server_ms.size(), server_cpu, own_cpu, pg_cpu_note.c_str());
    std::fflush(stdout);
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  double server_median = median(server_rates), bare_median = median(bare_rates), bare2_median = median(bare2_rates);
  std::printf(
      "summary, %s: server median %.0f responses/s; bare insert median %.0f rows/s, server/bare %.2f; "
      "bare with the server's other writes (the nonce and last_seen, in the batch's one commit) %.0f rows/s, "
      "server/that %.2f; errors %zu%s%s\n",
      o.storage.c_str(), server_median, bare_median, server_median / bare_median, bare2_median,
      server_median / bare2_median, total_errors,
      first_error.empty() ? "" : "; first: ", first_error.substr(0, 200).c_str());
  return total_errors == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse(argc, argv));
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
}
