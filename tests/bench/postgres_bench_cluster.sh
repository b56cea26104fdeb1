#!/usr/bin/env bash
# A private PostgreSQL for the sync benchmarks, as tests/central/postgres_cluster.sh makes one
# for the tests (a fresh cluster in DIR, a Unix socket in DIR only, as the postgres user when
# run as root) but durable as a deployment runs it: fsync and synchronous_commit stay on, so a
# commit is on disk before the server acknowledges a batch, like SQLite's synchronous=FULL.
#   postgres_bench_cluster.sh start DIR   prints the socket directory on success
#   postgres_bench_cluster.sh stop DIR    stops it and removes DIR
# Exits 3 (saying so) when PostgreSQL's server binaries are not installed.
set -euo pipefail
action=${1:?start or stop}
dir=${2:?a directory}

bindir=""
if command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ]; then
  bindir=$(pg_config --bindir)
else
  for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$candidate/initdb" ]; then bindir=$candidate; break; fi
  done
fi

as_owner=()
if [ "$(id -u)" -eq 0 ]; then as_owner=(runuser -u postgres --); fi

stop() {
  if [ -n "$bindir" ] && [ -f "$dir/data/postmaster.pid" ]; then
    "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case $action in
  start)
    stop
    if [ -z "$bindir" ]; then
      echo "postgres_bench_cluster: no PostgreSQL server binaries (initdb)" >&2
      exit 3
    fi
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; fi
    "${as_owner[@]}" "$bindir/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 >"$dir/initdb.log" 2>&1
    "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-k $dir -c listen_addresses='' -c max_connections=100" start >/dev/null
    echo "$dir"
    ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
