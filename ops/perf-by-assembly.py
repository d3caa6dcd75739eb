"""Sums `perf report --sort dso,symbol` lines by .NET assembly (JIT-compiled frames carry it in brackets)."""
import collections
import re
import sys

GROUPS = ["System.Private.CoreLib", "Microsoft.AspNetCore", "System.Text.Json", "Npgsql", "FrontDoor",
          "Microsoft.IdentityModel", "System.Net", "OpenTelemetry", "Microsoft.Extensions"]
totals = collections.Counter()
for line in sys.stdin:
    match = re.match(r"\s*([\d.]+)%\s+(.*?)\s{2,}(\[[.k]\].*)", line)
    if not match:
        continue
    percent, dso, symbol = float(match.group(1)), match.group(2), match.group(3)
    assembly = re.search(r"\[([A-Za-z][\w.]+)\]", symbol[4:])
    if dso.startswith("[kernel"):
        key = "kernel (sockets, scheduling)"
    elif "libcoreclr" in dso:
        key = "runtime (GC, type system)"
    elif "libclrjit" in dso:
        key = "JIT compiler"
    elif assembly:
        key = next((g for g in GROUPS if assembly.group(1).startswith(g)), assembly.group(1))
    elif "stub" in symbol:
        key = "runtime stubs"
    else:
        key = dso.split()[0]
    totals[key] += percent
for key, percent in totals.most_common(15):
    print(f"{percent:6.1f}%  {key}")
