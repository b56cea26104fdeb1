// answer_save_latency: the latency of one answer save on the kiosk's real path, and a bare
// durable SQLite write run side by side as the baseline.
//
// Store path, per sample: one PupilSession::answer() or next() — the flow change, the draft as
// JSON, ChaCha20-Poly1305 under the storage key, BEGIN IMMEDIATE / SELECT / UPDATE / COMMIT on
// kiosk.db (WAL, synchronous=FULL, secure_delete=ON).
// Bare baseline, per sample: BEGIN IMMEDIATE / UPDATE of one row / COMMIT on a separate database
// (WAL, synchronous=FULL, statements prepared once) writing a random blob of the same size as the
// draft ciphertext just written — the closest analogue of save_draft(), which UPDATEs its row.
// The two alternate in one process, in one directory (store first on even pairs, bare first on
// odd ones), so both see the same disk, cache and neighbours. Percentiles are nearest-rank.
//
// A plain program rather than Google Benchmark: that reports statistics of batch means, and
// the goal here is the per-operation p99.
#include <sqlite3.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "kiosk/session/pupil_session.h"
#include "kiosk/store/kiosk_store.h"
#include "shared/common/files.h"
#include "shared/crypto/aead.h"
#include "shared/crypto/key_files.h"
#include "shared/crypto/random.h"
#include "shared/crypto/x25519.h"
#include "shared/survey/survey_loader.h"
#include "tests/bench/bench_support.h"

#ifndef TUTORTIME_Y7_SURVEY
#error "TUTORTIME_Y7_SURVEY (the path of y7-baseline.survey.json) must be defined"
#endif

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr double kGoalP99Ms = 5.0;
constexpr double kGoalRatio = 1.5;

struct Options {
  std::size_t samples = 2000;
  std::size_t warmup = 200;
  std::optional<fs::path> dir;
  fs::path survey = TUTORTIME_Y7_SURVEY;
  bool keep = false;
};

[[noreturn]] void usage(int code) {
  std::fprintf(code == 0 ? stdout : stderr,
               "usage: answer_save_latency [--samples N] [--warmup N] [--dir DIR] [--survey FILE] [--keep]\n"
               "  --samples N   timed saves of each kind (default 2000)\n"
               "  --warmup N    untimed pairs first (default 200)\n"
               "  --dir DIR     where to make the temporary directory (default /var/tmp); must be a\n"
               "                real disk, not tmpfs, or durability is not measured\n"
               "  --survey FILE the survey to install (default the Year 7 baseline)\n"
               "  --keep        leave the temporary directory in place\n");
  std::exit(code);
}

std::size_t parse_count(const char* text) {
  char* end = nullptr;
  unsigned long long v = std::strtoull(text, &end, 10);
  if (end == text || *end != '\0' || v == 0) {
    std::fprintf(stderr, "answer_save_latency: \"%s\" is not a positive whole number\n", text);
    usage(2);
  }
  return static_cast<std::size_t>(v);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) usage(2);
      return argv[++i];
    };
    if (a == "--samples") {
      o.samples = parse_count(value());
    } else if (a == "--warmup") {
      o.warmup = std::strtoull(value(), nullptr, 10);
    } else if (a == "--dir") {
      o.dir = value();
    } else if (a == "--survey") {
      o.survey = value();
    } else if (a == "--keep") {
      o.keep = true;
    } else if (a == "--help" || a == "-h") {
      usage(0);
    } else {
      std::fprintf(stderr, "answer_save_latency: unknown argument %s\n", a.c_str());
      usage(2);
    }
  }
  return o;
}

// ---- The filesystem under a directory ------------------------------------------------------

struct FsInfo {
  std::string type;    // from /proc/self/mounts, e.g. "ext4"
  std::string source;  // e.g. "/dev/vda"
  std::string mount_point;
  bool in_memory = false;  // tmpfs / ramfs: fsync is free, so durability is not measured
};

FsInfo filesystem_of(const fs::path& dir) {
  FsInfo info;
  std::string path = fs::canonical(dir).string();
  std::ifstream mounts("/proc/self/mounts");
  std::string line;
  std::size_t best = 0;
  while (std::getline(mounts, line)) {
    std::istringstream in(line);
    std::string source, point, type;
    if (!(in >> source >> point >> type)) continue;
    bool covers = point == "/" || path == point || path.rfind(point + "/", 0) == 0;
    if (covers && point.size() >= best) {
      best = point.size();
      info = FsInfo{type, source, point, false};
    }
  }
  struct statfs st {};
  if (::statfs(dir.c_str(), &st) == 0) {
    constexpr long kTmpfsMagic = 0x01021994;
    constexpr long kRamfsMagic = 0x858458f6;
    info.in_memory = st.f_type == kTmpfsMagic || st.f_type == kRamfsMagic;
    if (info.type.empty()) info.type = "statfs magic " + std::to_string(st.f_type);
  }
  info.in_memory = info.in_memory || info.type == "tmpfs" || info.type == "ramfs";
  return info;
}

// ---- Percentiles ------------------------------------------------------------------------

struct Summary {
  double p50 = 0, p90 = 0, p99 = 0, max = 0, mean = 0;
  std::size_t count = 0;
};

double nearest_rank(const std::vector<double>& sorted, double p) {
  std::size_t rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

Summary summarise(std::vector<double> ms) {
  Summary s;
  if (ms.empty()) return s;
  std::sort(ms.begin(), ms.end());
  s.count = ms.size();
  s.p50 = nearest_rank(ms, 0.50);
  s.p90 = nearest_rank(ms, 0.90);
  s.p99 = nearest_rank(ms, 0.99);
  s.max = ms.back();
  double total = 0;
  for (double v : ms) total += v;
  s.mean = total / static_cast<double>(ms.size());
  return s;
}

nlohmann::json to_json(const Summary& s) {
  auto r = [](double v) { return std::round(v * 10000.0) / 10000.0; };
  return {{"p50", r(s.p50)}, {"p90", r(s.p90)},   {"p99", r(s.p99)},
          {"max", r(s.max)}, {"mean", r(s.mean)}, {"n", s.count}};
}

double elapsed_ms(Clock::time_point since) {
  return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
}

// ---- The bare baseline --------------------------------------------------------------------

class BareDatabase {
 public:
  explicit BareDatabase(const fs::path& file) {
    check(sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr), "open");
    exec("PRAGMA journal_mode = WAL");
    exec("PRAGMA synchronous = FULL");
    exec(
        "CREATE TABLE drafts(id INTEGER PRIMARY KEY, nonce BLOB NOT NULL, ciphertext BLOB NOT NULL,"
        " updated_at INTEGER NOT NULL) STRICT;"
        "INSERT INTO drafts VALUES(1, x'', x'', 0)");
    begin_ = prepare("BEGIN IMMEDIATE");
    update_ = prepare("UPDATE drafts SET nonce = ?, ciphertext = ?, updated_at = ? WHERE id = 1");
    commit_ = prepare("COMMIT");
  }
  ~BareDatabase() {
    sqlite3_finalize(begin_);
    sqlite3_finalize(update_);
    sqlite3_finalize(commit_);
    sqlite3_close_v2(db_);
  }
  BareDatabase(const BareDatabase&) = delete;
  BareDatabase& operator=(const BareDatabase&) = delete;

  // One durable transaction writing `nonce` and `ciphertext` into the row.
  void save(tt::ByteView nonce, tt::ByteView ciphertext, std::int64_t now) {
    run(begin_);
    check(sqlite3_bind_blob64(update_, 1, nonce.data(), nonce.size(), SQLITE_STATIC), "bind");
    check(sqlite3_bind_blob64(update_, 2, ciphertext.data(), ciphertext.size(), SQLITE_STATIC), "bind");
    check(sqlite3_bind_int64(update_, 3, now), "bind");
    run(update_);
    run(commit_);
  }

 private:
  void check(int rc, const char* what) const {
    if (rc != SQLITE_OK) throw tt::Error(std::string("bare database: ") + what + ": " + sqlite3_errmsg(db_));
  }
  void exec(const char* sql) { check(sqlite3_exec(db_, sql, nullptr, nullptr, nullptr), sql); }
  sqlite3_stmt* prepare(const char* sql) {
    sqlite3_stmt* st = nullptr;
    check(sqlite3_prepare_v2(db_, sql, -1, &st, nullptr), sql);
    return st;
  }
  void run(sqlite3_stmt* st) {
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) check(rc, sqlite3_sql(st));
  }

  sqlite3* db_ = nullptr;
  sqlite3_stmt* begin_ = nullptr;
  sqlite3_stmt* update_ = nullptr;
  sqlite3_stmt* commit_ = nullptr;
};

// ---- The store path ------------------------------------------------------------------------

// Walks pupils through the survey, one save per step(); finishes and begins anew at the end.
class Pupils {
 public:
  Pupils(tt::kiosk::KioskStore& store, std::shared_ptr<const tt::survey::Survey> survey)
      : store_(store), survey_(std::move(survey)) {
    begin();
  }

  struct Step {
    double ms = 0;
    bool was_answer = false;
  };

  // One timed save: answer() the current question if it has no answer yet, else next().
  Step step() {
    using State = tt::survey::Flow::State;
    while (session_->flow().state() != State::AtQuestion) {
      auto start = Clock::now();
      session_->finish();  // seal + move to the outbox; timed apart, not a save sample
      finish_ms_.push_back(elapsed_ms(start));
      begin();
    }
    const tt::survey::Question& q = *session_->flow().current();
    std::optional<tt::survey::Answer> a = answered_ ? std::nullopt : tt::bench::pick_answer(q, pupil_);
    Step out;
    auto start = Clock::now();
    if (a) {
      session_->answer(*a);
    } else {
      session_->next();
    }
    out.ms = elapsed_ms(start);
    out.was_answer = a.has_value();
    answered_ = a.has_value();
    return out;
  }

  // The plaintext of the draft just saved (read back outside the timing).
  std::size_t draft_plaintext_size() const { return store_.load_draft(session_->draft_id()).size(); }
  const std::vector<double>& finish_ms() const { return finish_ms_; }
  std::uint64_t pupils() const { return pupil_; }

 private:
  void begin() {
    tt::kiosk::SessionOptions options;
    options.pupil_code = "BENCH1";
    options.app_version = "bench";
    session_.reset();
    session_.emplace(tt::kiosk::PupilSession::begin(store_, survey_, options));
    ++pupil_;
    answered_ = false;
  }

  tt::kiosk::KioskStore& store_;
  std::shared_ptr<const tt::survey::Survey> survey_;
  std::optional<tt::kiosk::PupilSession> session_;
  std::uint64_t pupil_ = 0;
  bool answered_ = false;
  std::vector<double> finish_ms_;
};

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

fs::path make_temp_dir(const fs::path& parent) {
  fs::create_directories(parent);
  std::string pattern = (parent / "tutortime-bench-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw tt::Error("cannot make a temporary directory in " + parent.string() + ": " + std::strerror(errno));
  }
  return pattern;
}

void print_row(const char* name, const Summary& s) {
  std::printf("  %-22s %9.3f %9.3f %9.3f %9.3f %9.3f %7zu\n", name, s.p50, s.p90, s.p99, s.max, s.mean, s.count);
}

int run(const Options& options) {
  fs::path top = make_temp_dir(options.dir.value_or("/var/tmp"));
  FsInfo fsinfo = filesystem_of(top);
  std::printf("answer_save_latency: %zu samples each after %zu warm-up pairs\n", options.samples, options.warmup);
  std::printf("directory: %s\nfilesystem: %s on %s (mounted at %s)\nsqlite: %s\n", top.c_str(), fsinfo.type.c_str(),
              fsinfo.source.c_str(), fsinfo.mount_point.c_str(), sqlite3_libversion());
  if (fsinfo.in_memory) {
    std::fprintf(stderr,
                 "WARNING: %s is in memory (%s): fsync costs nothing there, so these figures say nothing about "
                 "durable saves. Use --dir on a real disk.\n",
                 top.c_str(), fsinfo.type.c_str());
  }

  struct Cleanup {
    fs::path dir;
    bool keep;
    ~Cleanup() {
      std::error_code ec;
      if (!keep) fs::remove_all(dir, ec);
    }
  } cleanup{top, options.keep};
  fs::path data_dir = top / "kiosk";
  nlohmann::json result;
  {
    auto store = tt::kiosk::KioskStore::create(data_dir);
    auto analysis = tt::crypto::x25519_generate();
    store->set_setting(tt::kiosk::kSettingAnalysisPublicKey,
                       tt::crypto::public_key_to_pem(tt::crypto::KeyAlgorithm::X25519, analysis.public_key));
    std::string definition = tt::read_text_file(options.survey);
    tt::survey::Survey parsed = tt::survey::load_survey_text(definition, options.survey.string());
    store->install_survey(
        tt::kiosk::InstalledSurvey{parsed.id, parsed.version, definition, tt::Bytes(64, 0), unix_now()});
    auto survey = tt::kiosk::load_installed_survey(*store, parsed.id, parsed.version);

    BareDatabase bare(data_dir / "bare.db");  // the same directory as kiosk.db
    Pupils pupils(*store, survey);

    std::vector<double> store_ms, bare_ms, answer_ms, next_ms;
    std::vector<double> plaintext_sizes;
    store_ms.reserve(options.samples);
    bare_ms.reserve(options.samples);
    tt::Bytes nonce(tt::crypto::kAeadNonceSize);
    tt::Bytes blob;

    std::size_t total = options.warmup + options.samples;
    for (std::size_t i = 0; i < total; ++i) {
      bool timed = i >= options.warmup;
      bool bare_first = (i % 2) == 1;
      // The bare write's blob is the size of the store's latest ciphertext (from the previous
      // store save when the bare write goes first).
      auto bare_save = [&]() -> double {
        tt::crypto::random_fill(nonce);
        tt::crypto::random_fill(blob);
        auto start = Clock::now();
        bare.save(nonce, blob, unix_now());
        return elapsed_ms(start);
      };
      if (blob.empty()) blob.resize(pupils.draft_plaintext_size() + tt::crypto::kAeadTagSize);
      double bare_time = bare_first ? bare_save() : 0;
      Pupils::Step s = pupils.step();
      std::size_t plaintext = pupils.draft_plaintext_size();
      blob.resize(plaintext + tt::crypto::kAeadTagSize);
      if (!bare_first) bare_time = bare_save();
      if (!timed) continue;
      store_ms.push_back(s.ms);
      (s.was_answer ? answer_ms : next_ms).push_back(s.ms);
      bare_ms.push_back(bare_time);
      plaintext_sizes.push_back(static_cast<double>(plaintext));
    }

    Summary st = summarise(store_ms), ba = summarise(bare_ms);
    Summary an = summarise(answer_ms), nx = summarise(next_ms), fi = summarise(pupils.finish_ms());
    Summary sizes = summarise(plaintext_sizes);
    double ratio50 = st.p50 / ba.p50, ratio99 = st.p99 / ba.p99;

    std::printf("\nlatency (ms)                 p50       p90       p99       max      mean       n\n");
    print_row("store save (all)", st);
    print_row("bare durable UPDATE", ba);
    print_row("  store answer()", an);
    print_row("  store next()", nx);
    print_row("finish() (not a save)", fi);
    std::printf("\nratio store/bare: p50 %.2fx, p99 %.2fx\n", ratio50, ratio99);
    double smallest = plaintext_sizes.empty() ? 0 : *std::min_element(plaintext_sizes.begin(), plaintext_sizes.end());
    std::printf("draft plaintext: min %.0f, median %.0f, max %.0f bytes (ciphertext = plaintext + %zu-byte tag)\n",
                smallest, sizes.p50, sizes.max, tt::crypto::kAeadTagSize);
    std::printf("pupils walked through: %llu\n", static_cast<unsigned long long>(pupils.pupils()));
    std::printf("goals: p99 < %.1f ms: %s; p99 ratio < %.1fx: %s\n", kGoalP99Ms,
                st.p99 < kGoalP99Ms ? "met" : "NOT met", kGoalRatio, ratio99 < kGoalRatio ? "met" : "NOT met");

    result = {{"benchmark", "answer_save_latency"},
              {"unit", "ms"},
              {"samples", options.samples},
              {"warmup", options.warmup},
              {"filesystem", fsinfo.type},
              {"in_memory_fs", fsinfo.in_memory},
              {"sqlite", sqlite3_libversion()},
              {"store", to_json(st)},
              {"bare", to_json(ba)},
              {"store_answer", to_json(an)},
              {"store_next", to_json(nx)},
              {"finish", to_json(fi)},
              {"ratio_p50", std::round(ratio50 * 1000.0) / 1000.0},
              {"ratio_p99", std::round(ratio99 * 1000.0) / 1000.0},
              {"draft_plaintext_bytes_min", smallest},
              {"draft_plaintext_bytes_median", sizes.p50},
              {"draft_plaintext_bytes_max", sizes.max},
              {"goal_p99_met", st.p99 < kGoalP99Ms},
              {"goal_ratio_met", ratio99 < kGoalRatio}};
  }
  std::printf("JSON %s\n", result.dump().c_str());
  if (options.keep) std::printf("kept %s\n", top.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options = parse(argc, argv);
  try {
    return run(options);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "answer_save_latency: %s\n", e.what());
    return 1;
  }
}
