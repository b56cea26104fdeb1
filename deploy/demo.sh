#!/usr/bin/env bash
# The main job, end to end on this machine. The central team makes keys and signs the Year 7
# baseline; a technician sets up a kiosk, installs it and sets the staff PINs; then
#  - with a display (and not under CI, and without --headless): the kiosk opens full screen
#    with the baseline, for you to tap through; stop it from the technician menu (hold the
#    top-left corner 3 s, PIN 246810) or with Ctrl+C here;
#  - otherwise: a simulated tutor-time session, headless: a teacher opens a class session and
#    three pupils take the survey one after another on the real app (one walks away and comes
#    back), with a screenshot of each step.
# Then the sealed responses are exported from the kiosk, checked for leaks, and opened with the
# central team's analysis key.
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

step "Technician: set up a kiosk, install the signed survey, set the staff PINs and the school's contact"
kiosk=(--data-dir "$work/kiosk")
"$bin/tutortime-kiosk" "${kiosk[@]}" setup --analysis-public-key "$work/central/keys/analysis.pub" \
  --signing-public-key "$work/central/keys/signing.pub"
"$bin/tutortime-kiosk" "${kiosk[@]}" survey install "$work/central/y7-baseline.survey.json"
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

step "Technician: the kiosk's status, its outbox, and an export for a kiosk with no network"
"$bin/tutortime-kiosk" "${kiosk[@]}" status
"$bin/tutortime-kiosk" "${kiosk[@]}" outbox list
"$bin/tutortime-kiosk" "${kiosk[@]}" outbox export --dir "$work/sealed"

step "Kiosk files hold no plaintext: searching them for the pupils' codes and free text"
if grep -rlaF -e "7K3MP8" -e "4HW9TN" -e "9PXC3N" -e "it is ok" -e "zookeeper" "$work/kiosk"; then
  echo "LEAK: plaintext found in the files above" >&2
  exit 1
fi
echo "not found in: $(cd "$work/kiosk" && ls | tr '\n' ' ')"

step "Central team: open the sealed responses with analysis.key"
if compgen -G "$work/sealed/*.bin" >/dev/null; then
  "$bin/tutortime-admin" open --key "$work/central/keys/analysis.key" "$work"/sealed/*.bin >"$work/opened.jsonl"
  echo "$(wc -l <"$work/opened.jsonl") responses opened into $work/opened.jsonl; the first:"
  head -n 1 "$work/opened.jsonl"
else
  echo "no response was finished"
fi
printf '\nDone.\n  sealed responses: %s/sealed/\n  opened:           %s/opened.jsonl\n' "$work" "$work"
if [[ $headless == 1 ]]; then printf '  screenshots:      %s/screenshots/\n' "$work"; fi
