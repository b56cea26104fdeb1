#!/usr/bin/env bash
# The main job, end to end on this machine. The central team makes keys, signs the Year 7
# baseline and starts a local central server (tutortime-central: SQLite, a self-signed TLS
# certificate, on a loopback port); it publishes the survey there and makes an enrolment token.
# A technician sets up a kiosk, enrols it against the server (pinned to its key), installs the
# survey and sets the staff PINs; then
#  - with a display (and not under CI, and without --headless): the kiosk opens full screen
#    with the baseline, for you to tap through; stop it from the technician menu (hold the
#    top-left corner 3 s, PIN 246810) or with Ctrl+C here;
#  - otherwise: a simulated tutor-time session, headless: a teacher opens a class session and
#    three pupils take the survey one after another on the real app (one walks away and comes
#    back), with a screenshot of each step.
# Then the kiosk's files are checked for leaks, the kiosk syncs its sealed responses to the
# server, and the central team exports them (CSV and JSON lines) with the analysis key, and
# looks at the fleet. The server is stopped at the end.
# Usage: deploy/demo.sh [--headless] [WORK_DIR]   (default: out/demo, replaced on each run)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
headless=0
if [[ "${1:-}" == "--headless" ]]; then
  headless=1
  shift
fi
work=${1:-$top/out/demo}
if [[ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" || -n "${CI:-}" ]]; then headless=1; fi

"$top/deploy/setup-debian.sh"
"$top/deploy/build.sh"
bin=${BUILD_DIR:-$top/build}/bin

rm -rf "$work"
mkdir -p "$work"
step() { printf '\n== %s\n' "$*"; }

step "Central team: keys (analysis X25519, signing Ed25519)"
"$bin/tutortime-admin" keygen --out "$work/central/keys"

step "Central team: check and sign the Year 7 baseline"
cp "$top/assets/surveys/y7-baseline.survey.json" "$work/central/"
"$bin/tutortime-admin" survey check "$work/central/y7-baseline.survey.json"
"$bin/tutortime-admin" survey sign "$work/central/y7-baseline.survey.json" --key "$work/central/keys/signing.key"

step "Central team: start a local central server (SQLite, self-signed TLS, loopback)"
server_dir=$work/central/server
mkdir -p "$server_dir"
cp "$work/central/keys/analysis.pub" "$work/central/keys/signing.pub" "$server_dir/"  # never analysis.key
printf '{"listen": {"address": "127.0.0.1", "port": 0}}\n' >"$work/central/central.json"
"$bin/tutortime-central" serve --config "$work/central/central.json" --data-dir "$server_dir" \
  >"$work/central/server.out" 2>"$work/central/server.log" &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q '^listening on ' "$work/central/server.out" && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/central/server.log" >&2; exit 1; }
  sleep 0.1
done
cat "$work/central/server.out"
server_url=$(sed -n 's/^listening on //p' "$work/central/server.out")
server_pin=$("$bin/tutortime-central" pin --data-dir "$server_dir")
export TUTORTIME_SERVER=$server_url TUTORTIME_CENTRAL_DATA_DIR=$server_dir

step "Central team: publish the signed survey and the school's roster (its tutor groups) on the server, and make an enrolment token"
"$bin/tutortime-admin" survey publish "$work/central/y7-baseline.survey.json"
cp "$top/assets/rosters/hillside-academy.roster.json" "$work/central/"
"$bin/tutortime-admin" roster sign "$work/central/hillside-academy.roster.json" --key "$work/central/keys/signing.key"
"$bin/tutortime-admin" roster publish "$work/central/hillside-academy.roster.json"
token=$("$bin/tutortime-admin" enrol-token --school "Hillside Academy" --expires-in-hours 24 | head -n 1)
echo "enrolment token: $token"

step "Technician: set up a kiosk, enrol it (pinned to the server's key), sync to get the survey and roster, set the staff PINs and the school's contact"
kiosk=(--data-dir "$work/kiosk")
"$bin/tutortime-kiosk" "${kiosk[@]}" setup --analysis-public-key "$work/central/keys/analysis.pub" \
  --signing-public-key "$work/central/keys/signing.pub"
"$bin/tutortime-kiosk" "${kiosk[@]}" enrol --server "$server_url" --token "$token" --pin "$server_pin"
# The first sync brings the signed survey and roster (verified with signing.pub before install).
"$bin/tutortime-kiosk" "${kiosk[@]}" sync --once
"$bin/tutortime-kiosk" "${kiosk[@]}" survey list
# Demo PINs only: a real kiosk gets its own (the PIN is read from standard input, never argv).
echo 246810 | "$bin/tutortime-kiosk" "${kiosk[@]}" pin set technician
echo 1357 | "$bin/tutortime-kiosk" "${kiosk[@]}" pin set teacher
"$bin/tutortime-kiosk" "${kiosk[@]}" config set school-contact "Mrs Khan in Student Support, room B12"

if [[ $headless == 0 ]]; then
  step "The kiosk, full screen on $DISPLAY: tap through the survey as a pupil would"
  echo "Leave it from the technician menu (hold the top-left corner 3 s on the start screen, PIN 246810),"
  echo "or press Ctrl+C in this terminal. The teacher PIN is 1357."
  trap ':' INT  # Ctrl+C stops the kiosk (it handles SIGINT), not this script
  "$bin/tutortime-kiosk" "${kiosk[@]}" run --survey y7-baseline || true
  trap - INT
else
  step "Tutor time, simulated headless (SDL dummy driver, software renderer): a teacher and three pupils"
  echo "input script: $top/assets/scripts/tutor-time-session.input"
  "$bin/tutortime-kiosk" "${kiosk[@]}" run --headless --input "$top/assets/scripts/tutor-time-session.input" \
    --screenshots "$work/screenshots" --idle-seconds 3 --countdown-seconds 2
fi

step "Technician: the kiosk's status and its outbox (sealed responses waiting to upload)"
"$bin/tutortime-kiosk" "${kiosk[@]}" status
"$bin/tutortime-kiosk" "${kiosk[@]}" outbox list
"$bin/tutortime-kiosk" "${kiosk[@]}" outbox export --dir "$work/sealed"

step "Kiosk files hold no plaintext: searching them for the pupils' codes and free text"
if grep -rlaF -e "7K3MP8" -e "4HW9TN" -e "9PXC3N" -e "it is ok" -e "zookeeper" "$work/kiosk"; then
  echo "LEAK: plaintext found in the files above" >&2
  exit 1
fi
echo "not found in: $(cd "$work/kiosk" && ls | tr '\n' ' ')"

step "Kiosk: sync with the central server (every response acknowledged, then forgotten)"
"$bin/tutortime-kiosk" "${kiosk[@]}" sync --once
"$bin/tutortime-kiosk" "${kiosk[@]}" outbox list

step "The server holds ciphertext only: searching its files and log for the same"
if grep -rlaF -e "7K3MP8" -e "4HW9TN" -e "9PXC3N" -e "it is ok" -e "zookeeper" "$work/central/server" "$work/central/server.log"; then
  echo "LEAK: plaintext found in the files above" >&2
  exit 1
fi
echo "not found in: $(cd "$work/central/server" && ls | tr '\n' ' ') and server.log"

step "Central team: export what arrived, opened with analysis.key (CSV for Excel, and JSON lines)"
"$bin/tutortime-admin" export --key "$work/central/keys/analysis.key" --format csv --out "$work/responses.csv"
"$bin/tutortime-admin" export --key "$work/central/keys/analysis.key" --format jsonl --out "$work/responses.jsonl"
count=$(wc -l <"$work/responses.jsonl")
if [[ $count -gt 0 ]]; then
  echo "$count responses in $work/responses.csv and $work/responses.jsonl; the first:"
  head -n 1 "$work/responses.jsonl"
else
  echo "no responses were finished on the kiosk, so none reached the server"
fi

step "Central team: the fleet"
"$bin/tutortime-admin" fleet

kill "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
trap - EXIT
printf '\nDone.\n  answers (CSV):    %s/responses.csv\n  answers (JSONL):  %s/responses.jsonl\n' "$work" "$work"
printf '  sealed responses: %s/sealed/ (as exported from the kiosk before the sync)\n' "$work"
printf '  server log:       %s/central/server.log\n' "$work"
if [[ $headless == 1 ]]; then printf '  screenshots:      %s/screenshots/\n' "$work"; fi
