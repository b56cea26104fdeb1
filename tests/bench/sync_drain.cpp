// Draining one kiosk: N waiting responses (10,000 by default) uploaded by the real uploader
// (one pass, as `tutortime-kiosk sync --once` makes) to a real tutortime-central on SQLite over
// loopback TLS. Goal (issue 4): 10,000 in under 5 s. Each run has a fresh server and a fresh
// kiosk; the kiosk's outbox is filled through the store's API on tmpfs (two durable commits per
// response cost nothing there) and then moved to --dir, so the drain itself runs on a real disk
// with the store's synchronous=FULL commits.
//
//   sync_drain [--responses N] [--runs N] [--batch N] [--dir DIR]
//
// --batch: the uploader's max_batch_responses (default: the uploader's own default). Reported
// beside the wall time: the server's own time (the sum over its log lines) and the CPU seconds
// of the server and of this process (the uploader), which share the machine's cores.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <regex>
#include <string>
#include <vector>

#include "sync/uploader/uploader.h"
#include "tests/bench/bench_stats.h"
#include "tests/bench/sync_bench_central.h"
#include "tests/sync_faults/sealed_outbox.h"

namespace {

using namespace tt;
using namespace tt::bench;

struct Options {
  std::size_t responses = 10'000;
  int runs = 5;
  std::optional<std::size_t> batch;
  std::string dir = "/var/tmp";
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (i + 1 >= argc) throw Error("sync_drain: " + a + " needs a value");
    std::string v = argv[++i];
    if (a == "--responses") {
      o.responses = std::stoul(v);
    } else if (a == "--runs") {
      o.runs = std::stoi(v);
    } else if (a == "--batch") {
      o.batch = std::stoul(v);
    } else if (a == "--dir") {
      o.dir = v;
    } else {
      throw Error("sync_drain: unknown argument " + a);
    }
  }
  if (o.responses == 0 || o.runs <= 0 || (o.batch && *o.batch == 0)) throw Error("sync_drain: counts must be positive");
  return o;
}

int run(const Options& o) {
  sync::UploadOptions defaults;
  std::size_t batch = o.batch.value_or(defaults.max_batch_responses);
  fs::path scratch = fs::exists("/dev/shm") ? fs::path("/dev/shm") : fs::path(o.dir);
  std::printf("sync drain: %zu waiting responses from one kiosk, uploader batches of %zu, one pass; %d runs\n",
              o.responses, batch, o.runs);
  std::vector<double> seconds;
  bool all_ok = true;
  for (int r = 1; r <= o.runs; ++r) {
    std::string name = "tutortime-sync-drain-" + crypto::random_id128().substr(0, 12);
    fs::path dir = fs::path(o.dir) / name;
    fs::path fill_dir = scratch / name;
    BenchCentral central(dir / "central", {});
    sync::testing::CentralAccess access{central.url(),
                                        central.pin(),
                                        central.certificate_pem(),
                                        central.admin_token(),
                                        central.analysis_public_key_pem(),
                                        central.signing_public_key_pem()};
    auto fill_start = std::chrono::steady_clock::now();
    {
      auto store = sync::testing::make_enrolled_kiosk(fill_dir / "kiosk", access);
      sync::testing::fill_outbox(*store, o.responses);
    }  // closed: the WAL is checkpointed into kiosk.db
    double fill_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - fill_start).count();
    fs::copy(fill_dir / "kiosk", dir / "kiosk", fs::copy_options::recursive);
    fs::remove_all(fill_dir);

    auto store = kiosk::KioskStore::open(dir / "kiosk");
    sync::UploadOptions options;
    options.max_batch_responses = batch;
    options.app_version = "0.1.0";
    std::vector<std::string> log;
    options.log = [&log](const std::string& line) { log.push_back(line); };
    double server0 = central.cpu_seconds(), own0 = own_cpu_seconds();
    auto t0 = std::chrono::steady_clock::now();
    sync::UploadPassResult result = sync::upload_once(*store, options);
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double server_cpu = central.cpu_seconds() - server0, own_cpu = own_cpu_seconds() - own0;
    central.stop();
    std::vector<double> batch_ms = server_batch_ms(central.log_text());
    double server_ms = 0;
    for (double ms : batch_ms) server_ms += ms;
    std::size_t batches_logged = batch_ms.size();
    bool ok = result.all_acknowledged() && result.acknowledged() == o.responses && store->outbox_summary().waiting == 0;
    all_ok = all_ok && ok;
    seconds.push_back(wall);
    std::printf(
        "run %d: %s in %.2f s (%.0f responses/s): %zu batches, %zu stored, %zu duplicates, %lld waiting "
        "after%s%s; server time in batches %.2f s (%zu logged); CPU s: server %.2f, uploader %.2f; "
        "(outbox filled in %.1f s, not timed)\n",
        r, ok ? "drained" : "NOT drained", wall, static_cast<double>(result.acknowledged()) / wall, result.batches_sent,
        result.stored, result.duplicates, static_cast<long long>(result.waiting_after),
        result.reason.empty() ? "" : ": ", result.reason.c_str(), server_ms / 1000, batches_logged, server_cpu, own_cpu,
        fill_seconds);
    std::fflush(stdout);
    store.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  double m = median(seconds);
  std::printf("summary: drained %zu responses in a median %.2f s (%.0f responses/s); goal under 5 s: %s\n", o.responses,
              m, static_cast<double>(o.responses) / m, all_ok && m < 5 ? "met" : "NOT met");
  return all_ok ? 0 : 1;
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
