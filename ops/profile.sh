#!/usr/bin/env bash
# Where a FrontDoor server spends its CPU under the simulator's load, by assembly (perf + the JIT's perf map).
#   bash ops/profile.sh [contacts per second, default 100] [seconds sampled, default 10]
# Needs Debian's linux-perf. Starts a durable PostgreSQL on port 25433 as ops/bench.sh does, a server on
# 127.0.0.1:5091 with a fresh schema, warms it up for 10 s, then samples it while the simulator keeps the load on.
set -euo pipefail
cd "$(dirname "$0")/.."
RATE="${1:-100}"
SECONDS_SAMPLED="${2:-10}"
command -v perf >/dev/null || { echo "profile.sh: install Debian's linux-perf first" >&2; exit 1; }

export FRONTDOOR_PG_PORT="${FRONTDOOR_BENCH_PG_PORT:-25433}" FRONTDOOR_PG_DURABLE=1
PG_URL="$(bash ops/postgres.sh start)"
dotnet build src/FrontDoor.Server -c Release -nologo -clp:ErrorsOnly >&2
SCHEMA="profile_$(date +%s)"
WORK="$(mktemp -d)"
SERVER_DIR=src/FrontDoor.Server/bin/Release/net10.0
(cd "$SERVER_DIR" && DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 ASPNETCORE_ENVIRONMENT=Development Triage__Model=none \
  ASPNETCORE_URLS=http://127.0.0.1:5091 Auth__Mode=Development Store__ConnectionString="$PG_URL" PersonalData__KeyRingFile="$WORK/personal-data.keyring" \
  Store__Schema="$SCHEMA" Store__DataFolder="$WORK" RateLimits__PerUserPerMinute=1000000 Logging__LogLevel__Default=Warning \
  exec dotnet FrontDoor.Server.dll) > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 60); do curl -sf http://127.0.0.1:5091/health/ready >/dev/null && break; sleep 0.5; done

dotnet src/FrontDoor.Server/bin/Release/net10.0/FrontDoor.Server.dll simulate --url http://127.0.0.1:5091 --rate "$RATE" \
  --duration "$((SECONDS_SAMPLED + 15))s" > "$WORK/simulate.log" 2>&1 &
SIMULATOR=$!
sleep 10
perf record -F 999 -p "$SERVER" -o "$WORK/perf.data" -- sleep "$SECONDS_SAMPLED" 2>/dev/null
wait "$SIMULATOR" || true
cat "$WORK/simulate.log"
perf report -i "$WORK/perf.data" --no-children --sort dso,symbol 2>/dev/null | grep -v '^#' | grep '%' | python3 ops/perf-by-assembly.py
