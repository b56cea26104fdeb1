#!/usr/bin/env bash
# Installs a kiosk on this Debian 12 machine from the binaries deploy/build.sh made: the
# binary, the system user `tutortime`, its data directory, the systemd units (the pupil app
# under cage, the uploader) and the NetworkManager dispatcher script. Idempotent; never
# touches an existing data directory's contents. deploy/README.md is the technician's guide.
set -euo pipefail
name=install-kiosk
source "$(dirname "${BASH_SOURCE[0]}")/install-lib.sh"

usage() {
  cat <<'EOF'
Usage: sudo bash deploy/install-kiosk.sh [--prefix DIR] [--from DIR] [--dry-run] [--root DIR]

Installs the kiosk: PREFIX/bin/tutortime-kiosk, the system user tutortime, /var/lib/tutortime
(mode 0700, kept as it is when it exists), /etc/systemd/system/tutortime-kiosk.service and
tutortime-sync.service, /etc/NetworkManager/dispatcher.d/90-tutortime-sync; then reloads
systemd and prints the next steps. Running it again changes only what differs.

  --prefix DIR   where the binary goes: DIR/bin (default /usr/local)
  --from DIR     where the built binaries are (default build/bin, or $BUILD_DIR/bin)
  --dry-run      print every action and change nothing (no root needed)
  --root DIR     install the files under DIR instead of / (a staging tree, for tests):
                 no user, no owners, no systemctl
  --help         this text
EOF
}

while [ $# -gt 0 ]; do
  common_option "$@"
  shift "$consumed"
done
check_common_options
[ -x "$from/tutortime-kiosk" ] || die "no $from/tutortime-kiosk: build it first (bash deploy/build.sh) or give --from DIR"

bin=$prefix/bin
data=/var/lib/tutortime
install_file "$from/tutortime-kiosk" "$bin/tutortime-kiosk" 0755
binary_changed=$last_changed
ensure_user tutortime "Tutortime kiosk"
ensure_data_dir "$data" tutortime
install_unit tutortime-sync.service
install_unit tutortime-kiosk.service
# NetworkManager runs only root-owned scripts that others cannot write.
install_file "$deploy_dir/networkmanager/90-tutortime-sync" /etc/NetworkManager/dispatcher.d/90-tutortime-sync 0755
daemon_reload
check_libraries "$from/tutortime-kiosk"
# cage 0.1.4 (Debian 12) will not start without Xwayland, though the pupil app does not use it.
if [ ! -x /usr/bin/cage ] || [ ! -x /usr/bin/Xwayland ]; then
  warn "the pupil app runs under cage, which needs: apt-get install cage xwayland"
fi
summary

as="runuser -u tutortime -- $bin/tutortime-kiosk --data-dir $data"
cat <<EOF

Next steps (deploy/README.md has them in full). Run the kiosk's commands as its user:
  1. Set up the store with the central team's public keys (copied where tutortime can read them):
       install -D -m 0644 -t /etc/tutortime analysis.pub signing.pub
       $as setup \\
           --analysis-public-key /etc/tutortime/analysis.pub --signing-public-key /etc/tutortime/signing.pub
  2. Staff PINs, typed when asked (never on the command line):
       $as pin set technician
       $as pin set teacher
  3. Enrol with the central team's one-time token and the server's pin:
       $as enrol --server https://central.example:8443 --token TOKEN --pin sha256//...
  4. First sync (uploads, and installs the signed surveys and roster):
       $as sync --once
     With no network: $as survey install FILE   (FILE.sig beside it)
  5. Start the uploader and the pupil app, now and at every boot:
       systemctl enable --now tutortime-sync.service tutortime-kiosk.service
EOF
if [ "$binary_changed" = 1 ] && [ -z "$root" ] && [ "$dry_run" = 0 ]; then
  echo "  Upgrading? Restart to use the new binary: systemctl try-restart tutortime-sync.service tutortime-kiosk.service"
fi
