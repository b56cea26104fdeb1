#!/usr/bin/env bash
# Builds Tutortime (Release) with the benchmarks and runs them: answer-save latency against a
# bare durable SQLite write, then seal/open rates. Benchmarks are not tests (tests/run.sh runs
# those).
#   tests/bench/run.sh [--samples N] [--dir DIR] [--runs N]
# BUILD_DIR (default build-bench/) chooses the build directory; BENCH_DIR (default /var/tmp) or
# --dir where the latency benchmark makes its temporary store — a real disk, not tmpfs.
# --runs N repeats the whole latency benchmark N times (default 1).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build_dir=${BUILD_DIR:-$top/build-bench}
bench_dir=${BENCH_DIR:-/var/tmp}
samples=2000
runs=1
while [ $# -gt 0 ]; do
  case "$1" in
    --samples) samples=$2; shift 2 ;;
    --dir) bench_dir=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

echo "== build (Release, $build_dir)"
BUILD_DIR=$build_dir BUILD_TYPE=Release "$top/deploy/build.sh" -DTUTORTIME_BENCHMARKS=ON >/dev/null

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

for run in $(seq 1 "$runs"); do
  echo
  echo "== answer_save_latency (run $run of $runs)"
  "$build_dir/bin/answer_save_latency" --samples "$samples" --dir "$bench_dir"
done

echo
echo "== seal_open_rates"
"$build_dir/bin/seal_open_rates" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_counters_tabular=true

echo
echo "== ui_frame_bench (headless: dummy video driver, software renderer)"
"$build_dir/bin/ui_frame_bench" --frames 300

echo
echo "== the untouched live kiosk: CPU over 30 s in a real window (Xvfb)"
if command -v xvfb-run >/dev/null; then
  idle_dir=$(mktemp -d)
  keys=$idle_dir/keys
  "$build_dir/bin/tutortime-admin" keygen --out "$keys" >/dev/null
  cp "$top/assets/surveys/who5.survey.json" "$idle_dir/"
  "$build_dir/bin/tutortime-admin" survey sign "$idle_dir/who5.survey.json" --key "$keys/signing.key" >/dev/null
  "$build_dir/bin/tutortime-kiosk" --data-dir "$idle_dir/kiosk" setup --analysis-public-key "$keys/analysis.pub" \
    --signing-public-key "$keys/signing.pub" >/dev/null
  "$build_dir/bin/tutortime-kiosk" --data-dir "$idle_dir/kiosk" survey install "$idle_dir/who5.survey.json" >/dev/null
  xvfb-run -a -s "-screen 0 1280x800x24" sh -c '
    "$0" --data-dir "$1" run > "$2/run.out" &
    pid=$!
    sleep 2
    t0=$(awk "{print \$14+\$15}" /proc/$pid/stat)
    sleep 30
    t1=$(awk "{print \$14+\$15}" /proc/$pid/stat)
    hwm=$(grep VmHWM /proc/$pid/status | tr -s " ")
    kill -TERM $pid; wait $pid
    echo "CPU over 30 s untouched: $((t1 - t0)) ticks of 1/$(getconf CLK_TCK) s; peak resident: $hwm"
    cat "$2/run.out"' "$build_dir/bin/tutortime-kiosk" "$idle_dir/kiosk" "$idle_dir"
  rm -rf "$idle_dir"
else
  echo "xvfb-run is not installed: skipped"
fi
