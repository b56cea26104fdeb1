#!/usr/bin/env bash
# The main job, end to end on this machine: the central team makes keys and signs the Year 7
# baseline; a kiosk is set up and installs it; a scripted pupil answers it headless; the sealed
# response is exported from the kiosk and opened with the central team's analysis key.
# Usage: deploy/demo.sh [WORK_DIR]   (default: out/demo, replaced on each run)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$top/out/demo}

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

step "Technician: set up a kiosk and install the signed survey"
kiosk=(--data-dir "$work/kiosk")
"$bin/tutortime-kiosk" "${kiosk[@]}" setup --analysis-public-key "$work/central/keys/analysis.pub" \
  --signing-public-key "$work/central/keys/signing.pub"
"$bin/tutortime-kiosk" "${kiosk[@]}" survey install "$work/central/y7-baseline.survey.json"

step "Pupil: answers the survey (headless, scripted: $top/assets/scripts/y7-baseline-pupil.script)"
"$bin/tutortime-kiosk" "${kiosk[@]}" run --headless --script "$top/assets/scripts/y7-baseline-pupil.script" \
  --pupil-code 7K2M4Q | tail -n 3

step "Two pupils on the pupil app (headless: SDL dummy driver, software renderer), tapping WHO-5"
cp "$top/assets/surveys/who5.survey.json" "$work/central/"
"$bin/tutortime-admin" survey sign "$work/central/who5.survey.json" --key "$work/central/keys/signing.key" >/dev/null
"$bin/tutortime-kiosk" "${kiosk[@]}" survey install "$work/central/who5.survey.json"
"$bin/tutortime-kiosk" "${kiosk[@]}" run --headless --survey who5 --input "$top/assets/scripts/who5-two-pupils.input" \
  --screenshots "$work/screenshots"

step "Technician: the outbox, and an export for a kiosk with no network"
"$bin/tutortime-kiosk" "${kiosk[@]}" outbox list
"$bin/tutortime-kiosk" "${kiosk[@]}" outbox export --dir "$work/rescued"

step "Kiosk files hold no plaintext: searching them for the pupil's free text and code"
if grep -rlaF -e "art club on Tuesdays" -e "7K2M4Q" "$work/kiosk"; then
  echo "LEAK: plaintext found in the files above" >&2
  exit 1
fi
echo "not found in: $(cd "$work/kiosk" && ls | tr '\n' ' ')"

step "Central team: open the sealed response with analysis.key"
"$bin/tutortime-admin" open --key "$work/central/keys/analysis.key" "$work"/rescued/*.bin | tee "$work/opened.jsonl"
printf '\nDone. Everything is in %s (screenshots of the pupil app in %s/screenshots)\n' "$work" "$work"
