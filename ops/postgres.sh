#!/usr/bin/env bash
# A throwaway PostgreSQL server on 127.0.0.1 for tests, benchmarks and local runs.
#   ops/postgres.sh start   install if absent, start (or reuse) the server, print its connection string
#   ops/postgres.sh stop    stop it (safe to repeat)
#   ops/postgres.sh url     print the connection string
#   ops/postgres.sh crash   stop it the way a power cut would (pg_ctl stop -m immediate): recovery runs on resume
#   ops/postgres.sh resume  start the crashed server again on its own data
#   ops/postgres.sh restart-immediate   crash and resume in one step (pg_ctl restart -m immediate)
# FRONTDOOR_PG_PORT (default 25432) and FRONTDOOR_PG_DIR choose the instance; FRONTDOOR_PG_DURABLE=1 keeps
# fsync and synchronous_commit on (benchmarks that claim durability must use it).
set -euo pipefail

# The default ports (25432 for tests, 25433 for benchmarks, 25434 for the fault scenarios) sit below Linux's
# ephemeral range (32768-60999). A port in that range can be held at any moment by one of the suite's own client
# sockets, or by its TIME_WAIT, and a server started mid-run would then fail to bind.
PORT="${FRONTDOOR_PG_PORT:-25432}"
ROOT="${FRONTDOOR_PG_DIR:-/tmp/frontdoor-pg-$PORT}"
DATA="$ROOT/data"
SOCKET="$ROOT/socket"
LOG="$ROOT/server.log"
ROLE=frontdoor
PASSWORD=frontdoor
DATABASE=frontdoor

log() { echo "postgres.sh: $*" >&2; }

url() { echo "Host=127.0.0.1;Port=$PORT;Username=$ROLE;Password=$PASSWORD;Database=$DATABASE"; }

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

install_if_absent() {
  if [ -n "$(find_bin)" ] && [ -x "$(find_bin)/pg_ctl" ]; then return; fi
  log "installing PostgreSQL from Debian's packages"
  if [ "$(id -u)" -ne 0 ]; then log "PostgreSQL is not installed and this is not root: run 'apt-get install -y postgresql' first"; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
}

# The server refuses to run as root, so as root every server command runs as the postgres user.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

is_running() { [ -f "$DATA/PG_VERSION" ] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

settings() {
  local settings="-p $PORT -k $SOCKET -c listen_addresses=127.0.0.1 -c max_connections=400 -c shared_buffers=256MB"
  if [ "${FRONTDOOR_PG_DURABLE:-0}" != "1" ]; then
    # Test data is thrown away: trading durability for speed is fine here and nowhere else.
    settings="$settings -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  fi
  # Extra server settings for a profiling run, e.g. -c shared_preload_libraries=pg_stat_statements.
  echo "$settings ${FRONTDOOR_PG_SETTINGS:-}"
}

start() {
  install_if_absent
  BIN="$(find_bin)"
  if is_running; then
    url
    return
  fi

  rm -rf "$ROOT"
  # The data, the logs (statements and connection errors name what they touched) and the password file are the
  # server account's alone; initdb insists on a 0700 data folder and pg_ctl writes its log 0600 as well.
  umask 077
  mkdir -p "$DATA" "$SOCKET"
  local pwfile="$ROOT/pwfile"
  echo "$PASSWORD" > "$pwfile"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$ROOT"; fi
  chmod 700 "$ROOT" "$DATA"

  as_owner "$BIN/initdb" -D "$DATA" -U postgres --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 --no-sync >"$ROOT/initdb.log" 2>&1 || { cat "$ROOT/initdb.log" >&2; exit 1; }

  as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 30 start -o "$(settings)" >&2 || { cat "$LOG" >&2; exit 1; }

  local psql=("$BIN/psql" -h "$SOCKET" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA)
  if [ "$(as_owner "${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != "1" ]; then
    as_owner "${psql[@]}" -c "CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD' CREATEDB" >&2
  fi
  if [ "$(as_owner "${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" != "1" ]; then
    as_owner "${psql[@]}" -c "CREATE DATABASE $DATABASE OWNER $ROLE" >&2
  fi
  log "PostgreSQL $(basename "$(dirname "$BIN")") running on 127.0.0.1:$PORT (data in $DATA)"
  url
}

stop() {
  BIN="$(find_bin)"
  if [ -z "$BIN" ]; then return; fi
  if is_running; then as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >&2; fi
}

# The fault tests' database crash: no shutdown checkpoint, every connection cut, crash recovery on the next start.
crash() {
  BIN="$(find_bin)"
  if is_running; then as_owner "$BIN/pg_ctl" -D "$DATA" -m immediate -w stop >&2; fi
}

resume() {
  BIN="$(find_bin)"
  if [ ! -f "$DATA/PG_VERSION" ]; then log "no server in $DATA to resume; use start"; exit 1; fi
  if ! is_running; then
    as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start -o "$(settings)" >&2 || { cat "$LOG" >&2; exit 1; }
  fi
  url
}

restart_immediate() {
  BIN="$(find_bin)"
  as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -m immediate -w -t 60 restart -o "$(settings)" >&2 || { cat "$LOG" >&2; exit 1; }
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) url ;;
  crash) crash ;;
  resume) resume ;;
  restart-immediate) restart_immediate ;;
  *) echo "usage: $0 start|stop|url|crash|resume|restart-immediate" >&2; exit 2 ;;
esac
