#!/usr/bin/env bash
# Inbound throughput, whole process on loopback: postfix's smtp-source (-s 20 -m N -l 4096) against Parley's
# listener (Release `parley serve`: store before 250 with group commit, then authenticate (SPF/DKIM/DMARC/ARC
# over a local dnsmasq), route to the alias bench@ and post to the sender's contact chatter), then the same
# load against smtp-sink. Parley's rate is counted until every message is routed (stats: routed = N), not
# only acknowledged. Samples Parley's peak RSS (VmHWM). A benchmark, not a test.
# Usage: bench/inbound.sh [N]  (default 20000). Last line:
# "inbound: parley=<msgs/s> smtp-sink=<msgs/s> ratio=<parley/smtp-sink>".
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-${INBOUND_N:-20000}}"
sink_bin=$(command -v smtp-sink || echo /usr/sbin/smtp-sink)
source_bin=$(command -v smtp-source || echo /usr/sbin/smtp-source)
dnsmasq_bin=$(command -v dnsmasq || echo /usr/sbin/dnsmasq)
for b in "$sink_bin" "$source_bin" "$dnsmasq_bin"; do [ -x "$b" ] || { echo "needs $b (postfix, dnsmasq-base)"; exit 1; }; done

dll=$(bash bench/publish-parley.sh)

work=$(mktemp -d "${INBOUND_TMPDIR:-/tmp}/parley-inbound.XXXXXX")
mkdir -p "$work/data"; chmod 755 "$work"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
http_port=$(free_port); smtp_port=$(free_port); dns_port=$(free_port)
sink_pid=""; parley_pid=""; dns_pid=""; rss_pid=""
cleanup() {
  if declare -F sink_cleanup >/dev/null; then sink_cleanup; fi
  for p in "$rss_pid" "$parley_pid" "$sink_pid" "$dns_pid"; do [ -n "$p" ] && kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# DNS for the sender's domain, so SPF and DMARC are really evaluated (and answer quickly, as a warm resolver would).
# Records carry a TTL of 300 s, as published records do (dnsmasq's default for its own records is 0: never cache).
"$dnsmasq_bin" -k --port="$dns_port" --listen-address=127.0.0.1 --bind-interfaces --no-resolv --no-hosts --local=/test/ --local-ttl=300 \
  --txt-record=source.test,"v=spf1 ip4:127.0.0.1 -all" --txt-record=_dmarc.source.test,"v=DMARC1; p=none" \
  --pid-file="$work/dnsmasq.pid" >"$work/dnsmasq.log" 2>&1 &
dns_pid=$!

api() { curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }
dotnet "$dll" serve --demo --data-dir "$work/data" --urls "http://127.0.0.1:$http_port" --smtp-listen "127.0.0.1:$smtp_port" \
  --dns "127.0.0.1:$dns_port" >"$work/parley.log" 2>&1 &
parley_pid=$!
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$http_port/healthz" >/dev/null && break; sleep 0.05; done
token=$(dotnet "$dll" token create --data-dir "$work/data" 2>/dev/null)
base="http://127.0.0.1:$http_port/api/v1"
api -X PUT "$base/settings/alias-domain" -d '{"domain":"mail.bench.test"}' >/dev/null
api -X POST "$base/inbound/aliases" -d '{"localPart":"bench","contactPolicy":"everyone"}' >/dev/null
# One sender sends everything here: loop protection would (rightly) stop it after 20, so it is off for the run.
api -X PUT "$base/inbound/settings" -d '{"loopLimit":0}' >/dev/null

peak_rss() { awk '/VmHWM/ {print $2}' "/proc/$parley_pid/status" 2>/dev/null || echo 0; }
( while kill -0 "$parley_pid" 2>/dev/null; do awk '/VmRSS/ {print $2}' "/proc/$parley_pid/status" >>"$work/rss.txt" 2>/dev/null || true; sleep 0.5; done ) &
rss_pid=$!

routed() { api "$base/inbound/stats" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["routed"], d["pending"], d["failed"], d["received"])'; }
# send COUNT EXPECTED_ROUTED: smtp-source sends COUNT messages to the listener, then waits until EXPECTED_ROUTED are
# routed; sets $accepted_s and $routed_s (seconds from the first connection).
send() {
  local count=$1 expect=$2 start out acked deadline r p f total
  start=$(date +%s.%N)
  out=$("$source_bin" -c -s 20 -m "$count" -l 4096 -f bench@source.test -t bench@mail.bench.test "127.0.0.1:$smtp_port" | tr '\r' '\n')
  accepted_s=$(echo "$(date +%s.%N) - $start" | bc)
  acked=$(echo "$out" | grep -E '^[0-9]+$' | tail -1)
  [ "${acked:-0}" -ge "$count" ] || { echo "smtp-source: only ${acked:-0} of $count acknowledged by Parley"; tail -20 "$work/parley.log"; exit 1; }
  deadline=$(( $(date +%s) + 600 ))
  while :; do
    read -r r p f total < <(routed)
    [ "$r" -ge "$expect" ] && break
    [ "$p" -eq 0 ] && [ "$r" -lt "$expect" ] && { echo "parley: routing stopped at $r routed, $f failed of $total"; exit 1; }
    [ "$(date +%s)" -gt "$deadline" ] && { echo "parley: only $r of $expect routed in time"; exit 1; }
    sleep 0.2
  done
  routed_s=$(echo "$(date +%s.%N) - $start" | bc)
}

# Warm-up (INBOUND_WARMUP messages, default 2000, not counted, then 3 s idle): a server runs for days, and its first
# seconds are spent compiling its hot code (the JIT's second tier: ~2.5 s of one core, still running for 3 s after
# the warm-up's last message). INBOUND_WARMUP=0 measures from a cold start.
warmup="${INBOUND_WARMUP:-2000}"
if [ "$warmup" -gt 0 ]; then
  send "$warmup" "$warmup"
  echo "parley warm-up: $warmup messages routed in ${routed_s}s ($(echo "scale=1; $warmup / $routed_s" | bc) msgs/s, from a cold start)"
  sleep 3
fi
# CPU seconds (user + system) the Parley process spent, from /proc (clock ticks).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$parley_pid/stat"; }
# INBOUND_ON_MEASURE: a command run in the background, with PARLEY_PID set, when the measured run starts (e.g. a
# profiler: INBOUND_ON_MEASURE='perf record -e cpu-clock -g -p $PARLEY_PID -o /tmp/p.data -- sleep 5').
if [ -n "${INBOUND_ON_MEASURE:-}" ]; then PARLEY_PID=$parley_pid bash -c "$INBOUND_ON_MEASURE" & fi
ticks_before=$(cpu_ticks)
send "$n" $(( warmup + n ))
cpu_ms_per_msg=$(awk -v t="$(( $(cpu_ticks) - ticks_before ))" -v hz="$(getconf CLK_TCK)" -v n="$n" 'BEGIN { printf "%.3f", t / hz * 1000 / n }')
accept_rate=$(echo "scale=1; $n / $accepted_s" | bc)
parley_rate=$(echo "scale=1; $n / $routed_s" | bc)
echo "parley: $n messages acknowledged in ${accepted_s}s ($accept_rate msgs/s), all routed and posted in ${routed_s}s ($parley_rate msgs/s)"
echo "parley: $cpu_ms_per_msg ms of CPU per message (user + system, whole process, while receiving and routing)"
echo "parley: peak RSS $(( $(peak_rss) / 1024 )) MB; RSS samples (MB) first/mid/last: $(awk 'NR==1{f=$1} {a[NR]=$1} END {printf "%d/%d/%d", f/1024, a[int(NR/2)+1]/1024, a[NR]/1024}' "$work/rss.txt")"
warnings=$(grep -c -E '^\S+ (warn|fail):' "$work/parley.log" || true)
echo "parley: log lines with warn/fail: $warnings"

as_nobody=(); [ "$(id -u)" -eq 0 ] && as_nobody=(-u nobody)
# The same load against smtp-sink (writes each message to a file, no fsync; median of three runs, each a fresh sink).
source bench/sink.sh
peer_median smtp-sink "$n" bench@mail.bench.test
sink_rate=$peer_rate
ratio=$(awk -v a="$parley_rate" -v b="$sink_rate" 'BEGIN { printf "%.2f", a / b }')
echo "inbound: parley=$parley_rate smtp-sink=$sink_rate ratio=$ratio"
