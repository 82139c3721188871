#!/usr/bin/env bash
# Memory under concurrent large messages, whole process on loopback: postfix's smtp-source sends SESSIONS parallel
# messages of SIZE bytes (default 40 × 24 MB, from one address) to a `parley serve`, and Parley's RSS is sampled every
# 0.2 s until every message is stored and routed. A lab measurement, not a test; figures go to docs/lab/.
# Usage: bench/large-messages.sh [PARLEY_DLL] [SESSIONS] [SIZE]
# Last line: "large-messages: sessions=<n> size=<bytes> acked=<n> rss_start_mb=<n> rss_peak_mb=<n> rss_anon_peak_mb=<n> seconds=<s>"
# (RssAnon: the process's own memory, without the file pages it maps).
set -euo pipefail
cd "$(dirname "$0")/.."
dll="${1:-}"
sessions="${2:-40}"
size="${3:-$((24 * 1000 * 1000))}"
source_bin=$(command -v smtp-source || echo /usr/sbin/smtp-source)
[ -x "$source_bin" ] || { echo "needs smtp-source (postfix)"; exit 1; }
if [ -z "$dll" ]; then
  dotnet build src/Parley -c Release -v q -nologo >/dev/null
  dll=src/Parley/bin/Release/net10.0/parley.dll
fi

work=$(mktemp -d /tmp/parley-large.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
http_port=$(free_port); smtp_port=$(free_port)
parley_pid=""; rss_pid=""
cleanup() {
  local rc=$?
  if [ "$rc" -ne 0 ] && [ -f "$work/parley.log" ]; then
    echo "large-messages: failed (exit $rc); parley alive: $(kill -0 "$parley_pid" 2>/dev/null && echo yes || echo no); its log ends:"
    grep -vE 'Doctor|Outbox|SmtpDeliveryClient' "$work/parley.log" | tail -5 | cut -c1-300
  fi
  for p in "$rss_pid" "$parley_pid"; do [ -n "$p" ] && kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

dotnet "$dll" serve --demo --data-dir "$work/data" --urls "http://127.0.0.1:$http_port" --smtp-listen "127.0.0.1:$smtp_port" >"$work/parley.log" 2>&1 &
parley_pid=$!
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$http_port/healthz" >/dev/null && break; sleep 0.05; done
token=$(dotnet "$dll" token create --data-dir "$work/data" 2>/dev/null)
api() { curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }
base="http://127.0.0.1:$http_port/api/v1"
api -X PUT "$base/settings/alias-domain" -d '{"domain":"mail.lab.test"}' >/dev/null
api -X PUT "$base/inbound/settings" -d '{"loopLimit":0}' >/dev/null
sleep 2
rss() { awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$parley_pid/status"; }
anon() { awk '/RssAnon/ {print int($2 / 1024)}' "/proc/$parley_pid/status"; }
start_rss=$(rss)
( while kill -0 "$parley_pid" 2>/dev/null; do rss >>"$work/rss.txt" 2>/dev/null || true; anon >>"$work/anon.txt" 2>/dev/null || true; sleep 0.2; done ) &
rss_pid=$!

start=$(date +%s.%N)
out=$("$source_bin" -c -s "$sessions" -m "$sessions" -l "$size" -f lab@source.test -t anyone@mail.lab.test "127.0.0.1:$smtp_port" 2>&1 | tr '\r' '\n')
acked=$(echo "$out" | grep -E '^[0-9]+$' | tail -1 || true)
deadline=$(( $(date +%s) + 300 ))
while :; do
  pending=$(api "$base/inbound/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["pending"])')
  [ "$pending" -eq 0 ] && break
  [ "$(date +%s)" -gt "$deadline" ] && { echo "still $pending pending after 300 s"; break; }
  sleep 0.5
done
seconds=$(echo "$(date +%s.%N) - $start" | bc)
sleep 1
peak=$(sort -n "$work/rss.txt" | tail -1)
peak_anon=$(sort -n "$work/anon.txt" | tail -1)
grep -E 'fail|error' -i "$work/parley.log" | head -5 || true
echo "large-messages: sessions=$sessions size=$size acked=${acked:-0} rss_start_mb=$start_rss rss_peak_mb=$peak rss_anon_peak_mb=$peak_anon seconds=$seconds"
