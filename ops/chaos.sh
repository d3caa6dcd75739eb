#!/usr/bin/env bash
# The fault scenarios at length (tests/FrontDoor.Reliability.Tests with FRONTDOOR_RELIABILITY_SCALE=long): more kills,
# more database crashes, longer two-node load, more racing rounds, more pushes to a stalled dashboard.
#   bash ops/chaos.sh              every scenario (about 10 minutes); the figures go into docs/reliability.md
#   bash ops/chaos.sh KillNine     only the scenarios whose test name contains this
# The test command (ops/test.sh) runs the same scenarios at small scale. Everything runs on 127.0.0.1, on a
# PostgreSQL server of the scenarios' own (port FRONTDOOR_FAULT_PG_PORT, default 25434) that they crash at will.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
FILTER="${1:-}"
FIGURES=.artifacts/reliability

if ! command -v python3 >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then echo "chaos.sh: python3 is needed to write the results" >&2; exit 1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 >&2
fi

dotnet build FrontDoor.sln -c Release -nologo -clp:ErrorsOnly >&2
rm -rf "$FIGURES"
status=0
FRONTDOOR_RELIABILITY_SCALE=long dotnet test tests/FrontDoor.Reliability.Tests -c Release --no-build --nologo \
  --logger "console;verbosity=normal" ${FILTER:+--filter "FullyQualifiedName~$FILTER"} || status=$?
FRONTDOOR_PG_PORT="${FRONTDOOR_FAULT_PG_PORT:-25434}" bash ops/postgres.sh stop || true

# Only a run of every scenario, all passing, rewrites the results in docs/reliability.md.
if [ "$status" -eq 0 ] && [ -z "$FILTER" ]; then
  python3 - "$FIGURES" docs/reliability.md <<'PY'
import json, pathlib, subprocess, sys
figures, doc = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
begin, end = "<!-- chaos:begin -->", "<!-- chaos:end -->"
commit = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True, text=True).stdout.strip()
lines = [begin, "", f"Last long run: commit `{commit}`, `bash ops/chaos.sh`, this machine (2 cores).", ""]
lines += ["| scenario | figures |", "|---|---|"]
for path in sorted(figures.glob("*.json")):
    data = json.loads(path.read_text())
    name = data.pop("scenario"); data.pop("scale", None); at = data.pop("at", "")[:19].replace("T", " ")
    text = " · ".join(f"{key} **{value:,}**" if isinstance(value, int) else f"{key} **{value}**" for key, value in data.items())
    lines.append(f"| `{name}` ({at} UTC) | {text} |")
lines += ["", end]
content = doc.read_text()
head, rest = content.split(begin, 1)
doc.write_text(head + "\n".join(lines) + rest.split(end, 1)[1])
print(f"chaos.sh: results written to {doc}")
PY
fi
exit "$status"
