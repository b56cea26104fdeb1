# shellcheck shell=bash disable=SC2034,SC2154  # variables shared with the two install scripts
# Shared by deploy/install-kiosk.sh and deploy/install-central.sh (sourced, not run): the
# options both take and the idempotent actions they are made of. Every action that would
# change the machine goes through `act`, so --dry-run can print it instead, and is preceded by
# a check, so a second run changes nothing. --root DIR puts every file under DIR (a staging
# tree for tests) and then skips what only makes sense on the real machine: users, owners,
# systemctl.

deploy_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$deploy_dir/.." && pwd)
prefix=/usr/local
root=""
dry_run=0
from=${BUILD_DIR:-$top/build}/bin
changes=0        # actions that changed something (or would, under --dry-run)
units_changed=0  # whether systemd must re-read its units
last_changed=0   # whether the last install_file changed its file

log() { printf '%s: %s\n' "$name" "$*"; }
warn() { printf '%s: warning: %s\n' "$name" "$*" >&2; }
die() {
  printf '%s: %s\n' "$name" "$*" >&2
  exit 1
}
usage_error() {
  printf '%s: %s\nTry: bash deploy/%s.sh --help\n' "$name" "$*" "$name" >&2
  exit 2
}

# The options both scripts take. Sets `consumed` to how many arguments it used.
common_option() {
  consumed=2
  case $1 in
    --prefix | --root | --from) [ $# -ge 2 ] || usage_error "$1 needs a directory" ;;
  esac
  case $1 in
    --prefix) prefix=$2 ;;
    --root) root=$2 ;;
    --from) from=$2 ;;
    --dry-run)
      dry_run=1
      consumed=1
      ;;
    --help | -h)
      usage
      exit 0
      ;;
    *) usage_error "unknown option $1" ;;
  esac
}

# Checks the common options once all are parsed.
check_common_options() {
  case $prefix in
    /*) ;;
    *) usage_error "--prefix must be an absolute path" ;;
  esac
  # The prefix is substituted into the units with sed and must be one systemd path word.
  case $prefix in *[[:space:]\#\\%]*) usage_error "--prefix may not contain spaces, #, % or \\" ;; esac
  prefix=${prefix%/}
  if [ -n "$root" ]; then
    [ "$dry_run" = 1 ] || mkdir -p "$root" || die "cannot create the staging root $root"
    [ ! -d "$root" ] || root=$(cd "$root" && pwd)
  fi
  if [ -z "$root" ] && [ "$dry_run" = 0 ] && [ "$(id -u)" -ne 0 ]; then
    die "must run as root to install (sudo bash deploy/$name.sh); --dry-run shows what it would do"
  fi
}

# The path of a file of the machine: under the staging root when there is one.
at() { printf '%s%s' "$root" "$1"; }

# act DESCRIPTION COMMAND...: runs a changing action, or only prints it under --dry-run.
act() {
  local what=$1
  shift
  changes=$((changes + 1))
  if [ "$dry_run" = 1 ]; then
    log "would $what"
    return 0
  fi
  log "$what"
  "$@"
}

# install_file SOURCE DEST MODE [OWNER]: DEST gets SOURCE's bytes and MODE (and OWNER:OWNER's
# group when given, outside --root), unless it has them already.
install_file() {
  local source=$1 dest=$2 mode=$3 owner=${4:-} path
  path=$(at "$dest")
  last_changed=0
  local -a own=()
  if [ -n "$owner" ] && [ -z "$root" ]; then own=(-o "${owner%%:*}" -g "${owner#*:}"); fi
  if [ -f "$path" ] && cmp -s "$source" "$path" && [ "$(stat -c %a "$path")" = "${mode#0}" ] &&
    { [ ${#own[@]} -eq 0 ] || [ "$(stat -c %U:%G "$path")" = "${own[1]}:${own[3]}" ]; }; then
    log "unchanged $dest"
    return 0
  fi
  last_changed=1
  local verb=install
  [ ! -e "$path" ] || verb=update
  act "$verb $dest (mode $mode${owner:+, owner $owner})" install -D -m "$mode" "${own[@]}" "$source" "$path"
}

# install_if_absent SOURCE DEST MODE [OWNER]: like install_file, but an existing DEST is kept
# as it is, whatever it holds (an admin's edited configuration).
install_if_absent() {
  if [ -e "$(at "$2")" ]; then
    log "kept $2 (it exists: not changed)"
    last_changed=0
    return 0
  fi
  install_file "$@"
}

# install_unit NAME: deploy/systemd/NAME into /etc/systemd/system, with the binaries' prefix.
install_unit() {
  local generated
  generated=$(mktemp)
  sed "s#/usr/local/bin/#$prefix/bin/#g" "$deploy_dir/systemd/$1" >"$generated"
  install_file "$generated" "/etc/systemd/system/$1" 0644
  rm -f "$generated"
  [ "$last_changed" = 0 ] || units_changed=1
}

# ensure_user NAME COMMENT: a system user and its group, with no home and no login shell.
ensure_user() {
  if [ -n "$root" ]; then
    log "skipped under --root: the system user $1"
  elif getent passwd "$1" >/dev/null; then
    log "unchanged user $1"
  else
    act "create the system user $1" useradd --system --user-group --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin --comment "$2" "$1"
  fi
}

# ensure_data_dir DIR OWNER: DIR exists, mode 0700, owned by OWNER. An existing DIR's contents
# are never touched: only the directory itself is corrected, and a file inside owned by
# someone else (a command run as root) is reported with the command that fixes it.
ensure_data_dir() {
  local dir=$1 owner=$2 path
  path=$(at "$dir")
  if [ ! -d "$path" ]; then
    if [ -n "$root" ]; then
      act "create $dir (mode 0700)" install -d -m 0700 "$path"
    else
      act "create $dir (mode 0700, owner $owner)" install -d -m 0700 -o "$owner" -g "$owner" "$path"
    fi
    return 0
  fi
  local fixed=0
  if [ "$(stat -c %a "$path")" != 700 ]; then
    act "set $dir to mode 0700 (the directory only; its contents are left alone)" chmod 0700 "$path"
    fixed=1
  fi
  if [ -z "$root" ]; then
    if [ "$(stat -c %U:%G "$path")" != "$owner:$owner" ]; then
      act "give $dir to $owner (the directory only; its contents are left alone)" chown "$owner:$owner" "$path"
      fixed=1
    fi
    if [ -n "$(find "$path" -mindepth 1 ! -user "$owner" -print -quit 2>/dev/null)" ]; then
      warn "files in $dir are not owned by $owner, which cannot use them; check, then: chown -R $owner:$owner $dir"
    fi
  fi
  [ "$fixed" = 1 ] || log "unchanged $dir (its contents are left alone)"
}

# ensure_dir DIR MODE: a root-owned directory for configuration.
ensure_dir() {
  if [ -d "$(at "$1")" ]; then
    log "unchanged $1"
  else
    act "create $1 (mode $2)" install -d -m "$2" "$(at "$1")"
  fi
}

# Makes systemd read the units again when one changed, where it is running.
daemon_reload() {
  if [ "$units_changed" = 0 ]; then
    return 0
  elif [ -n "$root" ]; then
    log "skipped under --root: systemctl daemon-reload"
  elif [ ! -d /run/systemd/system ]; then
    warn "systemd is not running here: run 'systemctl daemon-reload' once it is"
  else
    act "reload systemd's units" systemctl daemon-reload
  fi
}

# Warns about shared libraries a binary needs and this machine lacks (deploy/README.md lists
# the runtime packages).
check_libraries() {
  local missing
  missing=$(ldd "$1" 2>/dev/null | awk '/not found/ {print $1}' | tr '\n' ' ')
  [ -z "$missing" ] || warn "$(basename "$1") needs libraries this machine lacks: $missing(deploy/README.md: packages)"
}

# Says what the run did: "nothing to change" is what a second run prints.
summary() {
  if [ "$changes" = 0 ]; then
    log "nothing to change: everything is in place"
  elif [ "$dry_run" = 1 ]; then
    log "$changes change(s) to make; nothing was changed (--dry-run)"
  else
    log "$changes change(s) made"
  fi
}
