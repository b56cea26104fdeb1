#!/usr/bin/env bash
# Installs the central server on this Debian 12 machine from the binaries deploy/build.sh
# made: tutortime-central and tutortime-admin, the system user `tutortime-central`, its data
# directory, a starting /etc/tutortime/central.json (only when there is none) and the systemd
# unit. Idempotent; never touches an existing data directory's contents or configuration.
# deploy/README.md is the server admin's guide.
set -euo pipefail
name=install-central
source "$(dirname "${BASH_SOURCE[0]}")/install-lib.sh"

usage() {
  cat <<'EOF'
Usage: sudo bash deploy/install-central.sh [--port N] [--server-name NAME]... [--prefix DIR]
                                           [--from DIR] [--dry-run] [--root DIR]

Installs the central server: PREFIX/bin/tutortime-central and tutortime-admin, the system
user tutortime-central, /var/lib/tutortime-central (mode 0700, kept as it is when it exists),
/etc/tutortime/central.json (written only when there is none), and
/etc/systemd/system/tutortime-central.service; then reloads systemd and prints the next
steps. Running it again changes only what differs.

  --port N            the port in a new central.json (default 8443; below 1024 the unit
                      needs a capability, see deploy/README.md)
  --server-name NAME  a host name or IP address kiosks use to reach the server, for the
                      self-signed certificate made on the first start (repeat for several;
                      localhost, 127.0.0.1 and ::1 are added). Default: the server's own
                      defaults (those three and the host name). Only for a new central.json
  --prefix DIR        where the binaries go: DIR/bin (default /usr/local)
  --from DIR          where the built binaries are (default build/bin, or $BUILD_DIR/bin)
  --dry-run           print every action and change nothing (no root needed)
  --root DIR          install the files under DIR instead of / (a staging tree, for tests):
                      no user, no owners, no systemctl
  --help              this text
EOF
}

port=8443
names=()
while [ $# -gt 0 ]; do
  case $1 in
    --port | --server-name) [ $# -ge 2 ] || usage_error "$1 needs a value" ;;&
    --port)
      port=$2
      shift 2
      ;;
    --server-name)
      names+=("$2")
      shift 2
      ;;
    *)
      common_option "$@"
      shift "$consumed"
      ;;
  esac
done
check_common_options
if ! [[ $port =~ ^[0-9]{1,5}$ ]] || [ "$port" -gt 65535 ]; then usage_error "--port takes a number from 0 to 65535"; fi
for n in "${names[@]}"; do
  # Host names and IPv4/IPv6 addresses only, so they go into JSON as they are.
  [[ $n =~ ^[A-Za-z0-9.:-]+$ ]] || usage_error "--server-name \"$n\" is not a host name or IP address"
done
for b in tutortime-central tutortime-admin; do
  [ -x "$from/$b" ] || die "no $from/$b: build it first (bash deploy/build.sh) or give --from DIR"
done

# A starting configuration: only valid settings (the server refuses unknown ones, and JSON
# has no comments: deploy/README.md explains each). No "storage": the default,
# sqlite:DATA_DIR/central.db, follows the unit's --data-dir.
config=$(mktemp)
trap 'rm -f "$config"' EXIT
{
  echo '{'
  echo '  "data_dir": "/var/lib/tutortime-central",'
  if [ ${#names[@]} -gt 0 ]; then
    echo "  \"listen\": {\"address\": \"0.0.0.0\", \"port\": $((10#$port))},"
    all=()
    for n in "${names[@]}" localhost 127.0.0.1 ::1; do
      [[ " ${all[*]} " == *" $n "* ]] || all+=("$n")
    done
    list=$(printf '"%s", ' "${all[@]}")
    echo "  \"tls\": {\"self_signed_names\": [${list%, }]}"
  else
    echo "  \"listen\": {\"address\": \"0.0.0.0\", \"port\": $((10#$port))}"
  fi
  echo '}'
} >"$config"

bin=$prefix/bin
data=/var/lib/tutortime-central
install_file "$from/tutortime-central" "$bin/tutortime-central" 0755
binary_changed=$last_changed
install_file "$from/tutortime-admin" "$bin/tutortime-admin" 0755
ensure_user tutortime-central "Tutortime central server"
ensure_data_dir "$data" tutortime-central
ensure_dir /etc/tutortime 0755
# Group-readable by the server only: it may come to hold a PostgreSQL password.
install_if_absent "$config" /etc/tutortime/central.json 0640 root:tutortime-central
if [ "$last_changed" = 0 ] && { [ "$port" != 8443 ] || [ ${#names[@]} -gt 0 ]; }; then
  warn "--port and --server-name were not applied: /etc/tutortime/central.json exists; edit it instead"
fi
[ "$port" -ge 1024 ] || [ "$port" = 0 ] ||
  warn "port $port is below 1024: the unit needs CAP_NET_BIND_SERVICE (deploy/README.md, \"A port below 1024\")"
install_unit tutortime-central.service
daemon_reload
check_libraries "$from/tutortime-central"
summary

cat <<EOF

Next steps (deploy/README.md has them in full):
  1. Put the central team's PUBLIC keys in the data directory (never analysis.key):
       install -o tutortime-central -g tutortime-central -m 0644 analysis.pub signing.pub $data/
  2. Check /etc/tutortime/central.json before the first start, which makes the self-signed
     certificate: its names must include the one kiosks use (tls.self_signed_names).
  3. Start the server, now and at every boot, and read what it printed:
       systemctl enable --now tutortime-central.service
       journalctl -u tutortime-central
  4. The pin to give technicians with each enrolment token:
       $bin/tutortime-central pin --config /etc/tutortime/central.json
  5. An enrolment token for one kiosk:
       $bin/tutortime-admin enrol-token --school "Hillside Academy" --server https://localhost:$port --central-data-dir $data
EOF
if [ "$binary_changed" = 1 ] && [ -z "$root" ] && [ "$dry_run" = 0 ]; then
  echo "  Upgrading? Restart to use the new binary: systemctl try-restart tutortime-central.service"
fi
