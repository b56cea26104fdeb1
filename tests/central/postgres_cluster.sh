#!/usr/bin/env bash
# A private PostgreSQL, for the tests (a CTest fixture: tests/central/CMakeLists.txt) and the
# sync benchmarks (tests/bench/run.sh):
#   postgres_cluster.sh start DIR [--durable]
#                                   a fresh cluster in DIR, listening only on a Unix socket in
#                                   DIR; writes its connection URI to DIR/url. Without --durable
#                                   fsync is off (durability is not what the tests are about,
#                                   and it keeps them quick); with it fsync and synchronous_commit
#                                   stay on, as a deployment runs it, for benchmarks.
#   postgres_cluster.sh stop DIR    stops it and removes DIR
# Without PostgreSQL's server binaries it says so and exits 0 (the PostgreSQL tests then skip,
# naming the reason), or 3 with --durable (a benchmark has nothing to measure). With
# TUTORTIME_TEST_POSTGRESQL_URL set the tests use that server instead.
# As root it runs the server as the postgres user (PostgreSQL refuses to run as root).
set -euo pipefail
action=${1:?start or stop}
dir=${2:?a directory}
durable=0
if [ "${3:-}" = "--durable" ]; then durable=1; fi

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
    "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case $action in
  start)
    stop
    if [ -z "$bindir" ]; then
      echo "postgres_cluster: no PostgreSQL server binaries (initdb); the PostgreSQL tests will skip" >&2
      exit $((durable == 1 ? 3 : 0))
    fi
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; fi
    initdb_options=(-A trust -U postgres -E UTF8)
    server_options="-k $dir -c listen_addresses='' -c max_connections=200"
    if [ $durable -eq 0 ]; then
      initdb_options+=(--no-sync)
      server_options+=" -c fsync=off"
    fi
    "${as_owner[@]}" "$bindir/initdb" -D "$dir/data" "${initdb_options[@]}" >"$dir/initdb.log" 2>&1
    "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "$server_options" start >/dev/null
    echo "postgresql:///postgres?host=$dir&user=postgres" >"$dir/url"
    echo "postgres_cluster: running in $dir"
    ;;
  stop) stop ;;
  *) echo "usage: $0 start DIR [--durable] | stop DIR" >&2; exit 2 ;;
esac
