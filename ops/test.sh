#!/usr/bin/env bash
# The test command: installs what the tests need, starts a throwaway PostgreSQL, builds with warnings as errors,
# runs every test project and the benchmarks' smoke run, and prints one closing line "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."

RESULTS=.artifacts/test-results
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v dotnet >/dev/null; then
  echo "test.sh: the .NET SDK (see global.json) is required" >&2
  exit 1
fi

# Browser tests drive Debian's Chromium (Playwright's own browser download is never used).
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -ne 0 ]; then echo "test.sh: install Debian's chromium package first" >&2; exit 1; fi
  echo "test.sh: installing chromium from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq chromium >&2
fi

if ! command -v npm >/dev/null; then
  echo "test.sh: Node.js and npm are required for the pages' packages" >&2
  exit 1
fi
(cd src/FrontDoor.Server && npm ci --no-audit --no-fund >&2)

FRONTDOOR_TEST_POSTGRES="$(bash ops/postgres.sh start)"
export FRONTDOOR_TEST_POSTGRES

dotnet build FrontDoor.sln -c Release -nologo -clp:ErrorsOnly
dotnet format FrontDoor.sln --verify-no-changes --no-restore

rm -rf "$RESULTS"
mkdir -p "$RESULTS"
status=0
for project in tests/*.Tests/*.Tests.csproj; do
  name="$(basename "$project" .csproj)"
  echo "== $name" >&2
  if ! dotnet test "$project" -c Release --no-build --nologo \
      --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
      --results-directory "$RESULTS"; then
    status=1
  fi
done

# The fault scenarios started a PostgreSQL server of their own (they crash it); it is not needed any more.
FRONTDOOR_PG_PORT="${FRONTDOOR_FAULT_PG_PORT:-25434}" bash ops/postgres.sh stop >/dev/null 2>&1 || true

# The benchmarks' smoke run: it must finish and print its ratios; it asserts nothing about speed.
echo "== benchmarks (bash ops/bench.sh --quick)" >&2
if ! bash ops/bench.sh --quick; then
  echo "test.sh: the benchmark smoke run failed" >&2
  status=1
fi

passed=0; failed=0; skipped=0; found=0
for trx in "$RESULTS"/*.trx; do
  [ -f "$trx" ] || continue
  found=$((found + 1))
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  value() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed)))
  skipped=$((skipped + $(value notExecuted)))
done

if [ "$found" -eq 0 ]; then
  echo "test.sh: no test results were written" >&2
  status=1
fi

# A failed test is named here with the first lines of its message, just above the closing line, so the end of the
# output alone says what to look at (CI keeps only the end).
for trx in "$RESULTS"/*.trx; do
  [ -f "$trx" ] || continue
  awk '
    /<UnitTestResult / && /outcome="Failed"/ { failed = 1; match($0, /testName="[^"]*"/); print "failed: " substr($0, RSTART + 10, RLENGTH - 11); lines = 0 }
    failed && /<Message>/ { inMessage = 1; sub(/.*<Message>/, "") }
    failed && inMessage { line = $0; sub(/<\/Message>.*/, "", line); if (lines < 8) print "  " line; lines++; if ($0 ~ /<\/Message>/) { inMessage = 0; failed = 0 } }
  ' "$trx" || true
done

echo "$passed passed, $failed failed, $skipped skipped"
if [ "$failed" -gt 0 ] || [ "$status" -ne 0 ]; then
  exit 1
fi
