#!/usr/bin/env bash
# A private PostgreSQL for the tests (a CTest fixture: tests/central/CMakeLists.txt):
#   postgres_cluster.sh start DIR   a fresh cluster in DIR, listening only on a Unix socket in
#                                   DIR; writes its connection URI to DIR/url
#   postgres_cluster.sh stop DIR    stops it and removes DIR
# Without PostgreSQL's server binaries it says so and exits 0: the PostgreSQL tests then skip,
# naming the reason. With TUTORTIME_TEST_POSTGRESQL_URL set the tests use that server instead.
# As root it runs the server as the postgres user (PostgreSQL refuses to run as root).
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
    "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case $action in
  start)
    stop
    if [ -z "$bindir" ]; then
      echo "postgres_cluster: no PostgreSQL server binaries (initdb); the PostgreSQL tests will skip"
      exit 0
    fi
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; fi
    "${as_owner[@]}" "$bindir/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-sync >"$dir/initdb.log" 2>&1
    # Durability is not what these tests are about: fsync off keeps them quick.
    "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-k $dir -c listen_addresses='' -c fsync=off -c max_connections=200" start >/dev/null
    echo "postgresql:///postgres?host=$dir&user=postgres" >"$dir/url"
    echo "postgres_cluster: running in $dir"
    ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
