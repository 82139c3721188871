#!/usr/bin/env bash
# SPF evaluation rate: Parley's evaluator vs Debian's python3-spf, both over the openspf RFC 7208
# suite with each scenario's zonedata served from memory (no network). Same cases, sequential,
# one core each. Last line: "spf: parley=<evals/s> pyspf=<evals/s> ratio=<parley/pyspf>".
# Needs: dotnet, /usr/bin/python3 with python3-spf and python3-yaml.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
suite="$(cd "$root/.." && pwd)/shared/conformance/spf/rfc7208-tests.yml"
seconds="${SPF_BENCH_SECONDS:-3}"

dotnet build "$here/spf/SpfBench.csproj" -c Release -nologo -v quiet >/dev/null
parley_out="$(dotnet "$here/spf/bin/Release/net10.0/SpfBench.dll" "$suite" "$seconds")"
echo "$parley_out" | sed "s/^/parley: /"
py_out="$(cd "$here/spf" && /usr/bin/python3 -I pyspf_bench.py "$suite" "$seconds")"
echo "$py_out" | sed "s/^/pyspf: /"

parley="$(echo "$parley_out" | sed -n 's/^parley_evals_per_sec=//p')"
pyspf="$(echo "$py_out" | sed -n 's/^pyspf_evals_per_sec=//p')"
ratio="$(awk -v a="$parley" -v b="$pyspf" 'BEGIN { printf "%.1f", a / b }')"
echo "spf: parley=$parley pyspf=$pyspf ratio=$ratio"
