#!/usr/bin/env bash
# Publishes Parley the way it is deployed (Release, ReadyToRun: precompiled, so a fresh process does not spend its
# first minute in the JIT) into artifacts/bench/parley and prints the path of parley.dll. Shared by the benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."
out=artifacts/bench/parley
rid="linux-$(uname -m | sed -e 's/x86_64/x64/' -e 's/aarch64/arm64/')"
publish_out=$(dotnet publish src/Parley -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true -o "$out" -v q -nologo 2>&1) \
  || { echo "$publish_out" | grep -E 'error' | sort -u >&2; echo "publishing Parley failed" >&2; exit 1; }
echo "$out/parley.dll"
