#!/usr/bin/env bash
# Report import and the DMARC page (issue 18; a benchmark, not a test). Generates N aggregate reports for the demo's
# sending domain (bench/reports/generate.py: 60 % gzip, 30 % zip, 10 % plain XML; mostly a few rows, REPORTS_LARGE of
# 50,000 rows), then, side by side in one run:
#   - `parley reports import FOLDER` into a running `parley serve --demo` (SQLite): every report parsed, checked
#     against the limits, deduplicated and stored with its rows, durably — reports/s over the whole folder;
#   - Debian's dmarc-cat (Go) over the same files, one call per file, -N (no DNS): it parses and prints, it stores
#     nothing, so it is the distance to "parse only", not the same work. (parsedmarc, the tool admins use, is on
#     PyPI only, which this machine cannot reach.)
# Then the domain's DMARC overview for the last 30 days (GET /api/v1/domains/{d}/dmarc, what the DMARC page shows),
# 20 times, PTR look-ups answered by a local dnsmasq. Targets: import >= 500 reports/s, overview <= 200 ms.
# Usage: bench/reports.sh [N]   (default 10000; the machine should be otherwise idle). Last line:
# "reports: parley_import=… dmarc_cat=… (reports/s) overview_ms_p50=… overview_ms_max=… rows=…".
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-10000}"
large="${REPORTS_LARGE:-5}"
domain=demo.parley.test

bash scripts/install-peers.sh >/dev/null
command -v dmarc-cat >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dmarc-cat >/dev/null
dll=$(bash bench/publish-parley.sh)
work=$(mktemp -d /tmp/parley-reports.XXXXXX)
mkdir -p "$work/data"; chmod 755 "$work"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
http_port=$(free_port); smtp_port=$(free_port); dns_port=$(free_port)
parley_pid=""; dns_pid=""
cleanup() {
  for p in "$parley_pid" "$dns_pid"; do [ -n "$p" ] && kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
seconds() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$1" "$2"; }

rows=$(python3 bench/reports/generate.py "$work/reports" "$n" "$domain" --large "$large" | sed -n 's/^rows=//p')
echo "corpus: $n reports, $rows rows, $(du -sh "$work/reports" | cut -f1) on disk"

# Loopback DNS: the overview looks up the PTR of its top sources; every name answers NXDOMAIN here, quickly.
/usr/sbin/dnsmasq -k --port="$dns_port" --listen-address=127.0.0.1 --bind-interfaces --no-resolv --no-hosts \
  --local=/test/ --local=/arpa/ --pid-file="$work/dnsmasq.pid" >"$work/dnsmasq.log" 2>&1 &
dns_pid=$!
dotnet "$dll" serve --demo --data-dir "$work/data" --urls "http://127.0.0.1:$http_port" --smtp-listen "127.0.0.1:$smtp_port" \
  --dns "127.0.0.1:$dns_port" >"$work/parley.log" 2>&1 &
parley_pid=$!
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$http_port/healthz" >/dev/null && break; sleep 0.05; done
token=$(dotnet "$dll" token create --data-dir "$work/data" 2>/dev/null)

# 1. Parley: one import of the whole folder (its process start, about a second, included).
start=$(date +%s.%N)
dotnet "$dll" reports import --data-dir "$work/data" "$work/reports" >"$work/import.out" 2>"$work/import.err" || true
end=$(date +%s.%N)
tail -1 "$work/import.err"
import_s=$(seconds "$start" "$end")
stored=$(grep -c '^stored' "$work/import.out" || true)
[ "$stored" -eq "$n" ] || { echo "parley stored $stored of $n reports:"; grep -v '^stored' "$work/import.out" | head -5; exit 1; }
parley_rate=$(python3 -c "print(f'{$n / $import_s:.0f}')")
echo "parley: $n reports in ${import_s} s"

# 2. dmarc-cat over the same files, one call per file (parse and print, nothing stored).
start=$(date +%s.%N)
for f in "$work"/reports/*; do dmarc-cat -N -j 1 "$f" >/dev/null; done
end=$(date +%s.%N)
cat_s=$(seconds "$start" "$end")
cat_rate=$(python3 -c "print(f'{$n / $cat_s:.0f}')")
echo "dmarc-cat: $n reports in ${cat_s} s"

# 3. The 30-day overview the DMARC page reads, 20 times (the first one warms the caches and is reported apart).
url="http://127.0.0.1:$http_port/api/v1/domains/$domain/dmarc"
times=()
for i in $(seq 1 21); do
  t=$(curl -sf -o "$work/overview.json" -w '%{time_total}' -H "Authorization: Bearer $token" "$url")
  if [ "$i" -eq 1 ]; then echo "overview: first answer in $(python3 -c "print(f'{$t * 1000:.0f}')") ms"; else times+=("$t"); fi
done
read -r p50 max < <(python3 -c "import statistics, sys; t = sorted(float(x) * 1000 for x in sys.argv[1:]); print(f'{statistics.median(t):.0f} {t[-1]:.0f}')" "${times[@]}")
python3 -c "import json, sys; d = json.load(open(sys.argv[1])); print('overview:', len(d['sources']), 'sources,', d['totals'])" "$work/overview.json"
echo "reports: parley_import=$parley_rate dmarc_cat=$cat_rate (reports/s) overview_ms_p50=$p50 overview_ms_max=$max rows=$rows"
