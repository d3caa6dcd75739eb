#!/usr/bin/env bash
# Benchmarks: FrontDoor measured beside raw baselines in the same run, on a PostgreSQL server that keeps fsync and
# synchronous_commit on (not the test server's settings).
#   bash ops/bench.sh           the full run (about 20 minutes); results are written into docs/benchmarks.md
#   bash ops/bench.sh --quick   a smoke run (under 3 minutes, run by CI): it must finish and print its ratios,
#                               and asserts nothing about speed
#   --only append-postgres,catch-up,end-to-end,fan-out,fold,public-form,triage,deadlines,resident-search   runs some of them
#   --rates 10,30,100      the end-to-end rates, contacts/s (default 10,30,100,300)
# All traffic stays on 127.0.0.1; every loop in the benchmarks is bounded in count and time.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

QUICK=""
for arg in "$@"; do if [ "$arg" = "--quick" ]; then QUICK="--quick"; fi; done

# Thousands of dashboard WebSockets need as many file descriptors, in this process and in the server it starts.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

export FRONTDOOR_PG_PORT="${FRONTDOOR_BENCH_PG_PORT:-25433}" FRONTDOOR_PG_DURABLE=1
PG_URL="$(bash ops/postgres.sh start)"
trap 'bash ops/postgres.sh stop' EXIT

mkdir -p .artifacts
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
# The disk's own commit rate, measured next to the server's data.
"$PG_BIN/pg_test_fsync" -s "$([ -n "$QUICK" ] && echo 1 || echo 3)" -f "/tmp/frontdoor-pg-$FRONTDOOR_PG_PORT/pg_test_fsync.tmp" > .artifacts/pg_test_fsync.txt
rm -f "/tmp/frontdoor-pg-$FRONTDOOR_PG_PORT/pg_test_fsync.tmp"

dotnet build tests/FrontDoor.Benchmarks -c Release -nologo -clp:ErrorsOnly >&2
# Only a full run of every benchmark rewrites the results in docs/benchmarks.md.
OUT=(--out docs/benchmarks.md)
for arg in "$@"; do if [ "$arg" = "--quick" ] || [ "$arg" = "--only" ]; then OUT=(); fi; done
dotnet tests/FrontDoor.Benchmarks/bin/Release/net10.0/FrontDoor.Benchmarks.dll "$@" \
  --postgres "$PG_URL" \
  --server src/FrontDoor.Server/bin/Release/net10.0/FrontDoor.Server.dll \
  --pg-test-fsync .artifacts/pg_test_fsync.txt \
  "${OUT[@]+"${OUT[@]}"}"
