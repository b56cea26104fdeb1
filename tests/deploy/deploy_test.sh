#!/usr/bin/env bash
# Keeps deploy/ true without systemd running (CTest: deploy_units_and_scripts):
#  - every script parses (bash -n; shellcheck too where it is installed);
#  - both install scripts, run with --root into staging trees: the files and modes, a second
#    run that changes nothing, --dry-run that changes nothing, --prefix, the refusals, and an
#    existing data directory and central.json left as they were;
#  - the central.json written is accepted by the real server, which starts with it, prints
#    its pin and address, and exits 0 on SIGTERM;
#  - every tutortime-kiosk / tutortime-central command line in the units gets past the real
#    binary's argument parser (a throwaway data directory: nothing starts);
#  - the units: `systemd-analyze verify` where it can run (any message fails), and always a
#    structural check of our own (known sections and keys, the settings that matter, no
#    secrets);
#  - the NetworkManager dispatcher script with a fake systemctl: USR1 only for the right
#    actions, and harmless when the unit is not running.
# Usage: tests/deploy/deploy_test.sh BUILD_DIR/bin
set -uo pipefail
bin=$(cd "${1:?usage: deploy_test.sh BUILD_DIR/bin}" && pwd) || exit 2
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
deploy=$top/deploy
for b in tutortime-kiosk tutortime-central tutortime-admin; do
  [ -x "$bin/$b" ] || { echo "deploy_test: no $bin/$b: build first (deploy/build.sh)" >&2; exit 1; }
done
tmp=$(mktemp -d)
server_pid=""
cleanup() {
  [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

passed=0
failed=0
pass() {
  passed=$((passed + 1))
  echo "ok   $*"
}
fail() {
  failed=$((failed + 1))
  echo "FAIL $*"
}
# check DESCRIPTION COMMAND...: one assertion.
check() {
  local what=$1
  shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}
mode_is() { [ "$(stat -c %a "$2")" = "$1" ]; }
same() { cmp -s "$1" "$2"; }
has() { grep -q -- "$2" "$1"; }
lacks() { ! grep -q -- "$2" "$1"; }
# Names, modes, sizes and times of everything under a tree: equal before and after = unchanged.
snapshot() { (cd "$1" && find . -printf '%p %m %s %T@\n' | sort); }

echo "== scripts parse"
scripts=("$deploy"/*.sh "$deploy/networkmanager/90-tutortime-sync" "$top/tests/deploy/deploy_test.sh")
for s in "${scripts[@]}"; do check "bash -n ${s#"$top"/}" bash -n "$s"; done
check "sh -n deploy/networkmanager/90-tutortime-sync (it runs under /bin/sh)" sh -n "$deploy/networkmanager/90-tutortime-sync"
check "the dispatcher script is executable in the tree" test -x "$deploy/networkmanager/90-tutortime-sync"
if command -v shellcheck >/dev/null; then
  (cd "$deploy" && shellcheck -x install-kiosk.sh install-central.sh install-lib.sh networkmanager/90-tutortime-sync \
    "$top/tests/deploy/deploy_test.sh") >"$tmp/shellcheck.out" 2>&1
  check "shellcheck: the install scripts, the dispatcher, this test" test ! -s "$tmp/shellcheck.out"
  [ ! -s "$tmp/shellcheck.out" ] || cat "$tmp/shellcheck.out"
else
  echo "note: shellcheck is not installed: skipped"
fi

echo "== install-kiosk.sh --root"
k=$tmp/kiosk-root
bash "$deploy/install-kiosk.sh" --root "$k" --from "$bin" >"$tmp/k1.out" 2>&1
check "install-kiosk.sh exits 0" test $? -eq 0
check "the binary, mode 0755" mode_is 755 "$k/usr/local/bin/tutortime-kiosk"
check "the binary is the built one" same "$bin/tutortime-kiosk" "$k/usr/local/bin/tutortime-kiosk"
for u in tutortime-sync.service tutortime-kiosk.service; do
  check "$u installed as it is in deploy/systemd, mode 0644" same "$deploy/systemd/$u" "$k/etc/systemd/system/$u"
  check "$u mode 0644" mode_is 644 "$k/etc/systemd/system/$u"
done
check "the dispatcher script, mode 0755" mode_is 755 "$k/etc/NetworkManager/dispatcher.d/90-tutortime-sync"
check "the dispatcher script is deploy's" same "$deploy/networkmanager/90-tutortime-sync" \
  "$k/etc/NetworkManager/dispatcher.d/90-tutortime-sync"
check "the data directory, mode 0700" mode_is 700 "$k/var/lib/tutortime"
check "it prints the next steps" has "$tmp/k1.out" "systemctl enable --now tutortime-sync.service tutortime-kiosk.service"
before=$(snapshot "$k")
bash "$deploy/install-kiosk.sh" --root "$k" --from "$bin" >"$tmp/k2.out" 2>&1
check "a second run exits 0" test $? -eq 0
check "a second run changes nothing" test "$before" = "$(snapshot "$k")"
check "a second run says so" has "$tmp/k2.out" "nothing to change"

echo "== install-kiosk.sh keeps an existing data directory's contents"
printf 'not to be touched\n' >"$k/var/lib/tutortime/kiosk.db"
chmod 0644 "$k/var/lib/tutortime/kiosk.db"
touch -d '2020-01-01 00:00' "$k/var/lib/tutortime/kiosk.db"
chmod 0755 "$k/var/lib/tutortime"
contents=$(snapshot "$k/var/lib/tutortime" | grep -v '^\. ')
bash "$deploy/install-kiosk.sh" --root "$k" --from "$bin" >"$tmp/k3.out" 2>&1
check "the run exits 0" test $? -eq 0
check "the data directory's contents are unchanged" test "$contents" = "$(snapshot "$k/var/lib/tutortime" | grep -v '^\. ')"
check "the file inside still holds its bytes" test "$(cat "$k/var/lib/tutortime/kiosk.db")" = "not to be touched"
check "the directory itself is put back to mode 0700" mode_is 700 "$k/var/lib/tutortime"

echo "== install-kiosk.sh --dry-run, --prefix, refusals"
d=$tmp/dry-root
mkdir "$d"
bash "$deploy/install-kiosk.sh" --root "$d" --from "$bin" --dry-run >"$tmp/dry.out" 2>&1
check "--dry-run exits 0" test $? -eq 0
check "--dry-run changes nothing" test -z "$(find "$d" -mindepth 1)"
check "--dry-run prints the binary's install" has "$tmp/dry.out" "would install /usr/local/bin/tutortime-kiosk"
check "--dry-run prints the data directory" has "$tmp/dry.out" "would create /var/lib/tutortime (mode 0700)"
check "--dry-run prints the dispatcher script" has "$tmp/dry.out" "would install /etc/NetworkManager/dispatcher.d/90-tutortime-sync"
p=$tmp/prefix-root
bash "$deploy/install-kiosk.sh" --root "$p" --from "$bin" --prefix /opt/tutortime >/dev/null 2>&1
check "--prefix: the binary in PREFIX/bin" test -x "$p/opt/tutortime/bin/tutortime-kiosk"
check "--prefix: the units run PREFIX/bin" has "$p/etc/systemd/system/tutortime-sync.service" \
  "^ExecStart=/opt/tutortime/bin/tutortime-kiosk "
check "--prefix: no /usr/local/bin left in the units" lacks "$p/etc/systemd/system/tutortime-kiosk.service" "/usr/local/bin"
bash "$deploy/install-kiosk.sh" --root "$tmp/never" --from "$tmp/no-such-dir" >"$tmp/nobin.out" 2>&1
check "no built binary: refused, exit 1" test $? -eq 1
check "no built binary: says to build" has "$tmp/nobin.out" "deploy/build.sh"
bash "$deploy/install-kiosk.sh" --frobnicate >/dev/null 2>&1
check "an unknown option: exit 2" test $? -eq 2
bash "$deploy/install-kiosk.sh" --help >"$tmp/help.out" 2>&1
check "--help exits 0 and shows --root" has "$tmp/help.out" "--root DIR"
# Installing into / needs root: try it as an unprivileged user (nobody, when we are root).
if [ "$(id -u)" -ne 0 ]; then
  bash "$deploy/install-kiosk.sh" --from "$bin" >"$tmp/notroot.out" 2>&1
  check "not root: refused, exit 1" test $? -eq 1
  check "not root: says so" has "$tmp/notroot.out" "must run as root"
elif command -v setpriv >/dev/null; then
  # A copy of the scripts that nobody can read, wherever the checkout is.
  public=$(mktemp -d)
  cp -r "$deploy" "$public/deploy"
  chmod -R a+rX "$public"
  as_nobody() { (cd / && setpriv --reuid=65534 --regid=65534 --clear-groups bash "$@"); }
  as_nobody "$public/deploy/install-kiosk.sh" --from "$bin" >"$tmp/notroot.out" 2>&1
  check "not root: refused, exit 1" test $? -eq 1
  check "not root: says so" has "$tmp/notroot.out" "must run as root"
  as_nobody "$public/deploy/install-central.sh" --from "$bin" >"$tmp/notroot.out" 2>&1
  check "install-central.sh not root: refused, exit 1" test $? -eq 1
  rm -rf "$public"
else
  echo "note: root without setpriv: the not-root refusal is not checked"
fi

echo "== install-central.sh --root"
c=$tmp/central-root
bash "$deploy/install-central.sh" --root "$c" --from "$bin" >"$tmp/c1.out" 2>&1
check "install-central.sh exits 0" test $? -eq 0
for b in tutortime-central tutortime-admin; do
  check "$b, mode 0755, the built one" same "$bin/$b" "$c/usr/local/bin/$b"
  check "$b mode 0755" mode_is 755 "$c/usr/local/bin/$b"
done
check "tutortime-central.service as in deploy/systemd" same "$deploy/systemd/tutortime-central.service" \
  "$c/etc/systemd/system/tutortime-central.service"
check "the data directory, mode 0700" mode_is 700 "$c/var/lib/tutortime-central"
conf=$c/etc/tutortime/central.json
check "central.json, mode 0640 (it may hold a database password)" mode_is 640 "$conf"
check "central.json listens on 8443" has "$conf" '"port": 8443'
check "it prints the next steps" has "$tmp/c1.out" "systemctl enable --now tutortime-central.service"
before=$(snapshot "$c")
bash "$deploy/install-central.sh" --root "$c" --from "$bin" >"$tmp/c2.out" 2>&1
check "a second run exits 0" test $? -eq 0
check "a second run changes nothing" test "$before" = "$(snapshot "$c")"
check "a second run says so" has "$tmp/c2.out" "nothing to change"

echo "== install-central.sh keeps an existing central.json and data directory"
e=$tmp/existing-root
mkdir -p "$e/etc/tutortime" "$e/var/lib/tutortime-central"
chmod 0700 "$e/var/lib/tutortime-central"
printf '{"listen": {"port": 9443}, "storage": "postgresql://tt@db.example:5432/tt"}\n' >"$e/etc/tutortime/central.json"
chmod 0600 "$e/etc/tutortime/central.json"
printf 'the database\n' >"$e/var/lib/tutortime-central/central.db"
kept=$(snapshot "$e/etc/tutortime")$(snapshot "$e/var/lib/tutortime-central")
bash "$deploy/install-central.sh" --root "$e" --from "$bin" --port 7443 >"$tmp/c3.out" 2>&1
check "the run exits 0" test $? -eq 0
check "central.json and the data directory are exactly as they were" \
  test "$kept" = "$(snapshot "$e/etc/tutortime")$(snapshot "$e/var/lib/tutortime-central")"
check "it says central.json was kept" has "$tmp/c3.out" "kept /etc/tutortime/central.json"
check "it warns that --port was not applied" has "$tmp/c3.out" "were not applied"
bash "$deploy/install-central.sh" --root "$tmp/never" --from "$bin" --server-name 'bad"name' >/dev/null 2>&1
check "a --server-name that is not a host name: exit 2" test $? -eq 2
bash "$deploy/install-central.sh" --root "$tmp/never" --from "$bin" --port 70000 >/dev/null 2>&1
check "a --port out of range: exit 2" test $? -eq 2

echo "== the server accepts the central.json written and stops cleanly on SIGTERM"
# The file as written (port 8443) when that port is free; always one written with --port 0 and
# --server-name, which must differ from the default only in the port and the names.
n=$tmp/names-root
bash "$deploy/install-central.sh" --root "$n" --from "$bin" --port 0 --server-name central.trust.example \
  --server-name 10.0.0.5 >/dev/null 2>&1
check "--server-name: the names, with localhost, in tls.self_signed_names" has "$n/etc/tutortime/central.json" \
  '"self_signed_names": \["central.trust.example", "10.0.0.5", "localhost", "127.0.0.1", "::1"\]'
"$bin/tutortime-admin" keygen --out "$tmp/keys" >/dev/null
# serve_check CONFIG: runs the unit's own ExecStart with CONFIG and a throwaway data directory.
serve_check() {
  local config=$1 data failed_before=$failed
  data=$(mktemp -d "$tmp/central-data.XXXX")
  cp "$tmp/keys/analysis.pub" "$tmp/keys/signing.pub" "$data/"
  local line=$central_line
  line=${line//\/usr\/local\/bin\//$c/usr/local/bin/}
  line=${line//\/etc\/tutortime\/central.json/$config}
  line=${line//\/var\/lib\/tutortime-central/$data}
  # shellcheck disable=SC2086  # the unit's words, split as systemd splits them (no quotes in it)
  $line >"$tmp/serve.out" 2>"$tmp/serve.err" &
  server_pid=$!
  for _ in $(seq 100); do
    grep -q '^listening on ' "$tmp/serve.out" && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  check "serve starts with ${config#"$tmp"/}: prints where it listens" has "$tmp/serve.out" '^listening on https://'
  check "serve prints the certificate pin" has "$tmp/serve.out" '^certificate pin: sha256//'
  kill -TERM "$server_pid" 2>/dev/null
  wait "$server_pid"
  check "SIGTERM: the server exits 0" test $? -eq 0
  server_pid=""
  check "SIGTERM: the log says it stopped" has "$tmp/serve.err" 'stopped'
  [ "$failed" = "$failed_before" ] || cat "$tmp/serve.out" "$tmp/serve.err"
  "$bin/tutortime-central" pin --config "$config" --data-dir "$data" >"$tmp/pin.out" 2>&1
  check "the next steps' 'tutortime-central pin --config' prints the pin" has "$tmp/pin.out" '^sha256//'
}
central_line=$(sed -n 's/^ExecStart=//p' "$c/etc/systemd/system/tutortime-central.service")
check "the unit runs tutortime-central serve --config /etc/tutortime/central.json --data-dir /var/lib/tutortime-central" \
  test "$central_line" = "/usr/local/bin/tutortime-central serve --config /etc/tutortime/central.json --data-dir /var/lib/tutortime-central"
check "the two files differ only in the port and the names" test \
  "$(sed -e 's/"port": [0-9]*/"port": N/' -e '/self_signed_names/d' -e 's/},$/}/' "$conf")" = \
  "$(sed -e 's/"port": [0-9]*/"port": N/' -e '/self_signed_names/d' -e 's/},$/}/' "$n/etc/tutortime/central.json")"
serve_check "$n/etc/tutortime/central.json"
if (: </dev/tcp/127.0.0.1/8443) 2>/dev/null; then
  echo "note: port 8443 is in use here: the file with port 8443 itself is not served"
else
  serve_check "$conf"
fi

echo "== the kiosk units' command lines get past tutortime-kiosk's parser"
# With a data directory that does not exist the command parses its options, then the store
# refuses (exit 5); an option it does not know is exit 2 instead.
kiosk_line() { sed -n 's/^ExecStart=//p' "$k/etc/systemd/system/$1"; }
sync_line=$(kiosk_line tutortime-sync.service)
run_line=$(kiosk_line tutortime-kiosk.service)
check "the uploader runs tutortime-kiosk --data-dir /var/lib/tutortime sync" \
  test "$sync_line" = "/usr/local/bin/tutortime-kiosk --data-dir /var/lib/tutortime sync"
check "the kiosk runs cage -- tutortime-kiosk --data-dir /var/lib/tutortime run" \
  test "$run_line" = "/usr/bin/cage -- /usr/local/bin/tutortime-kiosk --data-dir /var/lib/tutortime run"
for line in "$sync_line" "${run_line#/usr/bin/cage -- }"; do
  words=${line//\/usr\/local\/bin\//$k/usr/local/bin/}
  words=${words//\/var\/lib\/tutortime/$tmp/no-kiosk}
  # shellcheck disable=SC2086
  $words >"$tmp/parse.out" 2>&1
  rc=$?
  check "'${line#/usr/local/bin/}' parses (exit 5: the store refused, not 2)" test "$rc" -eq 5
  [ "$rc" -eq 5 ] || cat "$tmp/parse.out"
  # shellcheck disable=SC2086
  $words --no-such-option >/dev/null 2>&1
  check "the same with an unknown option is refused (exit 2): the check can fail" test $? -eq 2
done
check "and nothing was created for the missing data directory" test ! -e "$tmp/no-kiosk"

echo "== the units: structure and settings"
units=("$deploy"/systemd/*.service)
# Sections and keys we allow: a misspelt key is what systemd would ignore with only a warning.
known_unit="Description Documentation Wants Requires After Before Conflicts ConditionPathExists StartLimitIntervalSec StartLimitBurst"
known_service="Type User Group ExecStart ExecStartPre ExecStop KillSignal TimeoutStopSec Restart RestartSec RestartPreventExitStatus
  StateDirectory StateDirectoryMode UMask LimitNOFILE NoNewPrivileges CapabilityBoundingSet AmbientCapabilities
  ProtectSystem ProtectHome PrivateTmp PrivateDevices ProtectKernelTunables ProtectKernelModules ProtectKernelLogs
  ProtectControlGroups ProtectClock ProtectHostname RestrictNamespaces RestrictRealtime RestrictSUIDSGID
  LockPersonality MemoryDenyWriteExecute RemoveIPC RestrictAddressFamilies SystemCallArchitectures SystemCallFilter
  ReadWritePaths PAMName TTYPath TTYReset TTYVHangup TTYVTDisallocate StandardInput StandardOutput StandardError
  UtmpIdentifier UtmpMode Environment"
known_install="WantedBy"
structure_ok() {
  local unit=$1 section="" key sections=""
  while IFS= read -r l; do
    case $l in
      '' | '#'*) continue ;;
      '['*']')
        section=${l#[}
        section=${section%]}
        sections+="$section "
        ;;
      *=*)
        key=${l%%=*}
        case $section in
          Unit) [[ " $known_unit " == *" $key "* ]] || { echo "  $unit: unknown key $key in [Unit]"; return 1; } ;;
          Service) [[ " ${known_service//$'\n'/ } " == *" $key "* ]] || { echo "  $unit: unknown key $key in [Service]"; return 1; } ;;
          Install) [[ " $known_install " == *" $key "* ]] || { echo "  $unit: unknown key $key in [Install]"; return 1; } ;;
          *) echo "  $unit: a key outside a known section: $l"; return 1 ;;
        esac
        ;;
      *) echo "  $unit: not a unit line: $l"; return 1 ;;
    esac
  done <"$unit"
  [ "$sections" = "Unit Service Install " ] || { echo "  $unit: sections are $sections"; return 1; }
}
for u in "${units[@]}"; do
  check "$(basename "$u"): only [Unit] [Service] [Install] and keys we know" structure_ok "$u"
  check "$(basename "$u"): no secret (password, token, database URL)" lacks "$u" '[Pp]assword\|postgresql://\|--token\|TOKEN='
  check "$(basename "$u"): not DynamicUser" lacks "$u" '^DynamicUser'
done
sets() { has "$deploy/systemd/$1" "^$2\$"; }
for s in "User=tutortime-central" "StateDirectory=tutortime-central" "StateDirectoryMode=0700" "Restart=on-failure" \
  "NoNewPrivileges=yes" "ProtectSystem=strict" "ProtectHome=yes" "PrivateTmp=yes" \
  "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX" "CapabilityBoundingSet=" "AmbientCapabilities=" "KillSignal=SIGTERM"; do
  check "tutortime-central.service: $s" sets tutortime-central.service "$s"
done
for s in "User=tutortime" "Restart=always" "RestartSec=[0-9][0-9]*" "RestartPreventExitStatus=8" "StateDirectory=tutortime" \
  "NoNewPrivileges=yes" "ProtectSystem=strict" "ProtectHome=yes" "PrivateTmp=yes" "CapabilityBoundingSet=" \
  "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX AF_NETLINK" "KillSignal=SIGTERM"; do
  check "tutortime-sync.service: $s" sets tutortime-sync.service "$s"
done
for s in "User=tutortime" "PAMName=login" "TTYPath=/dev/tty1" "StandardInput=tty" "StandardOutput=journal" \
  "After=systemd-user-sessions.service.*" "Conflicts=getty@tty1.service" "UtmpIdentifier=tty1" "Restart=always" \
  "RestartSec=[0-9][0-9]*" "Environment=SDL_VIDEODRIVER=wayland" "ExecStop=/bin/sh -c 'pkill -TERM -P .*"; do
  check "tutortime-kiosk.service: $s" sets tutortime-kiosk.service "$s"
done

echo "== the units: systemd-analyze verify"
# The units as installed, with their executables pointed at the staged binaries (verify checks
# that each exists) and cage at a stand-in where it is not installed.
if command -v systemd-analyze >/dev/null; then
  v=$tmp/verify
  mkdir -p "$v/good" "$v/bad" "$v/units" "$v/bin" "$tmp/stub"
  cp "$k/usr/local/bin/tutortime-kiosk" "$c/usr/local/bin/tutortime-central" "$v/bin/"
  printf '#!/bin/sh\nexit 0\n' >"$tmp/stub/cage"
  chmod +x "$tmp/stub/cage"
  cage=/usr/bin/cage
  [ -x "$cage" ] || cage=$tmp/stub/cage
  printf '[Unit]\nDescription=probe\n[Service]\nExecStart=/bin/true\n' >"$v/good/probe.service"
  printf '[Unit]\nDescription=probe\n[Service]\nExecStart=/bin/true\nRestartt=always\n' >"$v/bad/probe.service"
  verify() { SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --man=no --generators=no "$@" 2>&1; }
  probe=$(verify "$v/good/probe.service")
  probe_rc=$?
  if [ $probe_rc -ne 0 ] || [ -n "$probe" ]; then
    echo "note: systemd-analyze verify cannot work here ($probe); the structural check above stands alone"
  else
    check "verify reports a misspelt key (so silence means something)" test -n "$(verify "$v/bad/probe.service")"
    for u in "${units[@]}"; do
      sed -e "s#/usr/local/bin/#$v/bin/#g" -e "s#/usr/bin/cage #$cage #g" "$u" >"$v/units/$(basename "$u")"
      out=$(verify "$v/units/$(basename "$u")")
      rc=$?
      check "systemd-analyze verify $(basename "$u"): exit 0, no message" test $rc -eq 0 -a -z "$out"
      [ -z "$out" ] || echo "$out"
    done
  fi
else
  echo "note: systemd-analyze is not installed (Debian package systemd): only the structural check ran"
fi

echo "== the NetworkManager dispatcher script"
fake=$tmp/fakebin
mkdir -p "$fake"
# A systemctl that records its arguments; is-active answers $FAKE_ACTIVE, kill $FAKE_KILL_RC.
cat >"$fake/systemctl" <<EOF
#!/bin/sh
echo "\$*" >>"$tmp/systemctl.log"
case \$1 in
  is-active) exit \${FAKE_ACTIVE:-0} ;;
  kill) exit \${FAKE_KILL_RC:-0} ;;
esac
exit 0
EOF
chmod +x "$fake/systemctl"
script=$deploy/networkmanager/90-tutortime-sync
dispatch() {  # dispatch ACTION [VAR=VALUE...]: runs the script as NetworkManager would
  local action=$1
  shift
  rm -f "$tmp/systemctl.log"
  env PATH="$fake:$PATH" "$@" "$script" wlan0 "$action"
}
signalled() { grep -qx 'kill -s USR1 --kill-who=main tutortime-sync.service' "$tmp/systemctl.log" 2>/dev/null; }
for a in up connectivity-change dhcp4-change dhcp6-change; do
  dispatch "$a" CONNECTIVITY_STATE=FULL
  check "$a: exit 0" test $? -eq 0
  check "$a: USR1 to the uploader's main process" signalled
done
for a in down pre-up pre-down vpn-up vpn-down hostname reapply ""; do
  dispatch "$a"
  check "'$a': exit 0" test $? -eq 0
  check "'$a': no signal" test ! -e "$tmp/systemctl.log"
done
dispatch connectivity-change CONNECTIVITY_STATE=NONE
check "connectivity-change to NONE: no signal" test ! -e "$tmp/systemctl.log"
dispatch up FAKE_ACTIVE=3
check "the unit not running: exit 0" test $? -eq 0
check "the unit not running: no signal" bash -c "! grep -q '^kill' '$tmp/systemctl.log'"
dispatch up FAKE_KILL_RC=1
check "systemctl kill failing: still exit 0" test $? -eq 0
rm -f "$tmp/systemctl.log"
env PATH="$tmp/empty" /bin/sh "$script" wlan0 up
check "no systemctl at all: exit 0" test $? -eq 0
if command -v systemctl >/dev/null; then
  # The real systemctl must know the options (it stops at the bus when systemd is not running;
  # a unit name that cannot exist, in case it is).
  systemctl kill -s USR1 --kill-who=main tutortime-deploy-test-no-such.service >"$tmp/real.out" 2>&1
  check "the real systemctl accepts 'kill -s USR1 --kill-who=main'" lacks "$tmp/real.out" 'unrecognized option\|invalid option\|Unknown'
fi

echo
echo "deploy: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
