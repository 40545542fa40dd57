#!/usr/bin/env bash
# `submit` on SQLite (one instance), on PostgreSQL (one instance), and on PostgreSQL behind
# NGINX with one and with two instances sharing Redis, with the shared harness
# (../shared/bench). One box: a second instance adds no cores, so the point is no collapse and
# a p99 within 2x, not a gain.
#
#   scripts/bench-scaled.sh                    # REPEAT=3 rounds of each (about 10 minutes)
#   RUNS="postgres-1-nginx postgres-2-nginx" scripts/bench-scaled.sh
#
# Needs Debian's postgresql, redis-server and nginx (as .ci/run installs them). PostgreSQL and
# Redis run throwaway in a temporary directory, with fsync on, as a server would.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export REPEAT=${REPEAT:-3}
# shellcheck source=scripts/harness.sh
source scripts/harness.sh
bin=$repo/target/release/contact-client

pg_bin=$(dirname "$(readlink -f "$(command -v initdb || ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")")
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
work=$(mktemp -d)
chmod 755 "$work"
as_postgres() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[[ $(id -u) == 0 ]] && chown postgres "$work"
pids=()
# The postmaster itself (runuser does not pass the signal on): a fast shutdown.
stop_cluster() {
  if [[ -f $work/pg/postmaster.pid ]]; then
    local postmaster
    postmaster=$(head -n 1 "$work/pg/postmaster.pid")
    kill -INT "$postmaster" 2>/dev/null || true
    while kill -0 "$postmaster" 2>/dev/null; do sleep 0.1; done
  fi
}
cleanup() {
  stop_cluster
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no >/dev/null &
pids+=($!)

# A cluster of its own for each run, so that one run's checkpoints and vacuums don't fall into
# the next one's window: its URL.
pg_port=$(free_port)
fresh_cluster() {
  stop_cluster
  rm -rf "$work/pg"
  as_postgres "$pg_bin/initdb" -D "$work/pg" -U contact --auth=trust -E UTF8 --no-locale >/dev/null
  as_postgres "$pg_bin/postgres" -D "$work/pg" -p "$pg_port" -c listen_addresses=127.0.0.1 \
    -c unix_socket_directories="$work" >"$work/pg.log" 2>&1 &
  until "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$pg_port"; do sleep 0.2; done
  "$pg_bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U contact -d postgres -c "CREATE DATABASE contact"
  echo "postgres://contact@127.0.0.1:$pg_port/contact"
}

runs=${RUNS:-sqlite-1 postgres-1 postgres-1-nginx postgres-2-nginx}
for run in $runs; do
  case $run in
    sqlite-1) "$harness/bench.sh" sqlite-1 "$bin" submit ;;
    postgres-1) SERVER_ENV="DATABASE_URL=$(fresh_cluster)" "$harness/bench.sh" postgres-1 "$bin" submit ;;
    postgres-[12]-nginx)
      n=${run:9:1}
      SERVER_ENV="DATABASE_URL=$(fresh_cluster) REDIS_URL=redis://127.0.0.1:$redis_port/$n CONTACT_BIN=$bin INSTANCES=$n" \
        "$harness/bench.sh" "$run" "$repo/scripts/behind-nginx.sh" submit
      ;;
    *) echo "bench-scaled: unknown run $run" >&2; exit 2 ;;
  esac
done

newest() { find "$RESULTS_DIR" -name "$1-[0-9]*.json" -newer "$harness/bench.sh" | sort | tail -n 1; }
files=()
for run in $runs; do files+=("$(newest "$run")"); done
"$harness/compare.sh" "${files[@]}"
