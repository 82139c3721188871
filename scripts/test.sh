#!/usr/bin/env bash
# The one test command (README and CI run exactly this): installs the peers, restores NuGet
# packages, builds once, then runs every test project, the end-to-end ones included.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-peers.sh
dotnet restore Parley.slnx
# House style (ADR 0022, 0024): whitespace, code style and analyzers are verified here (about a minute);
# braces, file-scoped namespaces and CA2007 also fail the build below.
dotnet format Parley.slnx --verify-no-changes --no-restore
dotnet build Parley.slnx --no-restore -c Release -warnaserror

# Test projects run one after another: the machine has 2 cores and the end-to-end tests
# start real servers. Each prints its own summary.
log=$(mktemp)
status=0
dotnet test Parley.slnx --no-build -c Release -m:1 --logger "console;verbosity=normal" 2>&1 | tee "$log" || status=$?

# One plain closing line over all projects.
count() { awk -v key="$1:" '$1 == key && $2 ~ /^[0-9]+$/ {s += $2} END {print s + 0}' "$log"; }
passed=$(count Passed)
failed=$(count Failed)
skipped=$(count Skipped)
grep -E '^\s+Failed [A-Za-z]' "$log" | sed 's/^ */failed: /' || true
rm -f "$log"
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
