#!/usr/bin/env bash
# Builds Tutortime (Release) with the benchmarks and runs them: answer-save latency against a
# bare durable SQLite write, seal/open rates, then the pupil UI (frame time headless and in a real
# window, cold start, idle CPU, peak resident memory). Benchmarks are not tests (tests/run.sh
# runs those).
#   tests/bench/run.sh [--samples N] [--dir DIR] [--runs N] [--ui-only] [--sync-only] [--no-build]
# BUILD_DIR (default build-bench/) chooses the build directory; BENCH_DIR (default /var/tmp) or
# --dir where the latency benchmark makes its temporary store — a real disk, not tmpfs.
# --runs N repeats the latency benchmark and the headless UI frame benchmark N times (default 1).
# --ui-only skips the store and crypto benchmarks; --no-build uses what BUILD_DIR already holds.
# The window figures need xvfb-run (deploy/setup-debian.sh installs it); without it they are
# skipped. --sync-only runs only the sync's: the central server's ingest rate with 200 kiosks on
# SQLite and on PostgreSQL (a private, durable cluster; skipped without PostgreSQL's server),
# each beside a bare batched insert, SYNC_RUNS (default 5) runs each, and the drain of 10,000
# waiting responses from one kiosk by the real uploader.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build_dir=${BUILD_DIR:-$top/build-bench}
bench_dir=${BENCH_DIR:-/var/tmp}
samples=2000
runs=1
ui_only=0
sync_only=0
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --samples) samples=$2; shift 2 ;;
    --dir) bench_dir=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --ui-only) ui_only=1; shift ;;
    --sync-only) sync_only=1; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
bin=$build_dir/bin

if [ "$build" = 1 ]; then
  echo "== build (Release, $build_dir)"
  BUILD_DIR=$build_dir BUILD_TYPE=Release "$top/deploy/build.sh" -DTUTORTIME_BENCHMARKS=ON >/dev/null
fi

echo "== machine"
echo "cpus: $(nproc)"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "kernel: $(uname -r)"
mkdir -p "$bench_dir"
if command -v findmnt >/dev/null; then
  echo "bench dir: $bench_dir on $(findmnt -n -o FSTYPE,SOURCE,OPTIONS -T "$bench_dir")"
else
  echo "bench dir: $bench_dir on $(stat -f -c %T "$bench_dir")"
fi
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- The sync ----------------------------------------------------------------------------------
sync_benchmarks() {
  local sync_runs=${SYNC_RUNS:-5}
  echo
  echo "== sync_ingest_rate, SQLite (the server's data and the bare insert's file in $bench_dir)"
  "$bin/sync_ingest_rate" --storage sqlite --kiosks 200 --batches 2 --batch 50 --runs "$sync_runs" \
    --dir "$bench_dir" || echo "sync_ingest_rate: not every batch was stored (see above)"
  local pg_dir
  pg_dir=$(mktemp -d "$bench_dir/tutortime-bench-pg-XXXXXX")
  if "$top/tests/central/postgres_cluster.sh" start "$pg_dir" --durable >/dev/null; then
    echo
    echo "== sync_ingest_rate, PostgreSQL (a private cluster in $pg_dir: fsync on, synchronous_commit on)"
    "$bin/sync_ingest_rate" --storage postgresql --postgres-socket "$pg_dir" --kiosks 200 --batches 2 \
      --batch 50 --runs "$sync_runs" --dir "$bench_dir" ||
      echo "sync_ingest_rate: not every batch was stored (see above)"
    "$top/tests/central/postgres_cluster.sh" stop "$pg_dir"
  else
    echo "PostgreSQL's server is not installed: the PostgreSQL ingest figures are skipped"
    rm -rf "$pg_dir"
  fi
  if [ -x "$bin/sync_drain" ]; then
    echo
    echo "== sync_drain: 10,000 waiting responses from one kiosk, the real uploader, loopback TLS"
    "$bin/sync_drain" --responses 10000 --runs "$sync_runs" --dir "$bench_dir" ||
      echo "sync_drain: the outbox was not drained (see above)"
  fi
}

if [ "$sync_only" = 1 ]; then
  sync_benchmarks
  exit 0
fi

if [ "$ui_only" = 0 ]; then
  for run in $(seq 1 "$runs"); do
    echo
    echo "== answer_save_latency (run $run of $runs)"
    "$bin/answer_save_latency" --samples "$samples" --dir "$bench_dir"
  done

  echo
  echo "== seal_open_rates"
  "$bin/seal_open_rates" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
    --benchmark_counters_tabular=true

  sync_benchmarks
fi

# --- The pupil UI -------------------------------------------------------------------------------
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The value of "key":number in a JSON line.
json_number() { sed -n "s/.*\"$1\":\\([0-9.]*\\).*/\\1/p" "$2" | head -n 1; }

for run in $(seq 1 "$runs"); do
  echo
  echo "== ui_frame_bench, headless: dummy video driver, software renderer (run $run of $runs)"
  "$bin/ui_frame_bench" --frames 300 | tee "$work/headless-$run.txt"
done

# A kiosk as a technician sets one up, for the real binary's runs below.
keys=$work/keys
"$bin/tutortime-admin" keygen --out "$keys" >/dev/null
cp "$top/assets/surveys/who5.survey.json" "$work/"
"$bin/tutortime-admin" survey sign "$work/who5.survey.json" --key "$keys/signing.key" >/dev/null
kiosk_dir=$work/kiosk
"$bin/tutortime-kiosk" --data-dir "$kiosk_dir" setup --analysis-public-key "$keys/analysis.pub" \
  --signing-public-key "$keys/signing.pub" >/dev/null
"$bin/tutortime-kiosk" --data-dir "$kiosk_dir" survey install "$work/who5.survey.json" >/dev/null
printf 'wait 0.05\n' >"$work/wait.input"
cold=("$bin/ui_cold_start" --probe "$bin/libfirst_frame_probe.so" --runs 7)

echo
echo "== cold start of tutortime-kiosk, headless (fork to the first presented frame)"
"${cold[@]}" --label "headless" -- "$bin/tutortime-kiosk" --data-dir "$kiosk_dir" run --headless \
  --input "$work/wait.input" | tee "$work/cold-headless.txt"

# The untouched live kiosk in a real window: CPU over 30 s and its peak resident memory.
idle() {
  xvfb-run -a -s "-screen 0 1280x800x24" env "$@" sh -c '
    "$0" --data-dir "$1" run > "$2/run.out" &
    pid=$!
    sleep 2
    t0=$(awk "{print \$14+\$15}" /proc/$pid/stat)
    sleep 30
    t1=$(awk "{print \$14+\$15}" /proc/$pid/stat)
    hwm=$(awk "/^VmHWM:/ {print \$2, \$3}" /proc/$pid/status)
    kill -TERM $pid; wait $pid
    echo "CPU over 30 s untouched: $((t1 - t0)) ticks of 1/$(getconf CLK_TCK) s; peak resident $hwm"
    cat "$2/run.out"' "$bin/tutortime-kiosk" "$kiosk_dir" "$work"
}

if command -v xvfb-run >/dev/null; then
  # As the kiosk starts (SdlHost asks for the software renderer; a build that lets SDL choose gets
  # OpenGL, on Mesa's llvmpipe without a GPU), and with the software renderer forced from the
  # environment (the framebuffer too: SDL 2.26 otherwise puts the software renderer's pixels on
  # screen through an OpenGL texture, which loads Mesa all the same).
  soft=(SDL_RENDER_DRIVER=software SDL_FRAMEBUFFER_ACCELERATION=0)
  for mode in default software; do
    envs=()
    [ "$mode" = software ] && envs=("${soft[@]}")
    echo
    echo "== ui_frame_bench in a real window (Xvfb 1280x800), renderer: $mode"
    xvfb-run -a -s "-screen 0 1280x800x24" env "${envs[@]}" "$bin/ui_frame_bench" --window --frames 300 |
      tee "$work/window-$mode.txt"
    echo
    echo "== cold start of tutortime-kiosk in a real window (Xvfb), renderer: $mode"
    xvfb-run -a -s "-screen 0 1280x800x24" env "${envs[@]}" "${cold[@]}" --label "window, $mode" -- \
      "$bin/tutortime-kiosk" --data-dir "$kiosk_dir" run | tee "$work/cold-window-$mode.txt"
    echo
    echo "== the untouched live kiosk in a real window (Xvfb), renderer: $mode"
    idle "${envs[@]}" | tee "$work/idle-$mode.txt"
  done
else
  echo
  echo "xvfb-run is not installed: the window figures are skipped"
fi

echo
echo "== UI summary"
for run in $(seq 1 "$runs"); do
  f=$work/headless-$run.txt
  echo "headless run $run: frame p50 $(json_number all_p50 "$f") ms, p99 $(json_number all_p99 "$f") ms (all" \
    "screens); first frame $(json_number first_frame_ms "$f") ms after main(); peak resident" \
    "$(json_number peak_rss_mb "$f") MB"
done
echo "cold start, headless: $(json_number first_present_ms "$work/cold-headless.txt") ms (median)"
for mode in default software; do
  [ -f "$work/window-$mode.txt" ] || continue
  f=$work/window-$mode.txt
  renderer=$(sed -n 's/.*"renderer":"\([^"]*\)".*/\1/p' "$f")
  echo "window, $mode ($renderer): frame p50 $(json_number all_p50 "$f") ms, p99 $(json_number all_p99 "$f") ms;" \
    "cold start $(json_number first_present_ms "$work/cold-window-$mode.txt") ms (median), resident then" \
    "$(json_number peak_rss_mb "$work/cold-window-$mode.txt") MB; $(head -n 1 "$work/idle-$mode.txt")"
done
