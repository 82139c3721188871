#!/usr/bin/env bash
# Outbound throughput, whole process on loopback: Parley (Release) queues N templated emails through its REST API
# and its outbox worker delivers them to one smtp-sink; then postfix's smtp-source sends the same count and size
# (-s 20 -m N -l 4096) to the same sink. Parley's clock runs from the first POST until the sink holds N messages.
# Parley first sends a warm-up mailing of OUTBOUND_WARMUP (default 1,000) other contacts into the same sink, not
# counted, and pauses 3 s: a server runs for days, and its first seconds go to the JIT (OUTBOUND_WARMUP=0 measures
# a cold start). Samples Parley's RSS (VmHWM = peak). A benchmark, not a test. Usage: bench/outbound.sh [N]  (default 5000)
# Last line: "outbound: parley=<msgs/s> smtp-source=<msgs/s> ratio=<parley/smtp-source>".
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-${OUTBOUND_N:-5000}}"
concurrency="${OUTBOUND_CONCURRENCY:-8}"

bash scripts/install-peers.sh >/dev/null
sink_bin=$(command -v smtp-sink || echo /usr/sbin/smtp-sink)
source_bin=$(command -v smtp-source || echo /usr/sbin/smtp-source)
[ -x "$sink_bin" ] && [ -x "$source_bin" ] || { echo "needs smtp-sink and smtp-source (postfix)"; exit 1; }

build_out=$(dotnet build bench/outbound/DeliveryBench -c Release -v q -nologo 2>&1) \
  || { echo "$build_out" | grep -E 'error' | sort -u; echo "build of DeliveryBench failed"; exit 1; }
dll=$(bash bench/publish-parley.sh)

# OUTBOUND_TMPDIR=/dev/shm puts the database on tmpfs (fsync costs nothing there): a diagnostic, not the default.
work=$(mktemp -d "${OUTBOUND_TMPDIR:-/tmp}/parley-outbound.XXXXXX")
mkdir -p "$work/data"
chmod 755 "$work"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
http_port=$(free_port); smtp_port=$(free_port)
sink_pid=""; parley_pid=""
cleanup() {
  if declare -F sink_cleanup >/dev/null; then sink_cleanup; fi
  [ -n "$parley_pid" ] && kill "$parley_pid" 2>/dev/null && wait "$parley_pid" 2>/dev/null || true
  [ -n "$sink_pid" ] && kill "$sink_pid" 2>/dev/null && wait "$sink_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

as_nobody=(); [ "$(id -u)" -eq 0 ] && as_nobody=(-u nobody)
source bench/sink.sh

# 1. smtp-source: the same count and size into the same kind of sink (median of three runs, each a fresh sink).
peer_median smtp-source "$n" sink@customer.test
source_rate=$peer_rate

# 2. Diagnostic (OUTBOUND_LAYER=1): Parley's delivery layer alone, N pre-built messages through the pooled
# SmtpDeliveryClient (1 and 8 in parallel).
for parallel in $([ "${OUTBOUND_LAYER:-0}" = 1 ] && echo 1 8); do
  fresh_sink
  layer_out=$(dotnet bench/outbound/DeliveryBench/bin/Release/net10.0/DeliveryBench.dll "$sink_port" "$n" "$parallel")
  echo "delivery layer, $parallel in parallel: $(echo "$layer_out" | tr '\n' ' ')"
done

# 3. Parley, into a fresh sink like each smtp-source run: serve (demo data only for the first admin), configure, queue N templated emails, wait for the sink.
# Same concurrency as smtp-source's 20 sessions (defaults are 8, kinder to real relays).
fresh_sink
Outbox__MaxParallelDeliveries="${OUTBOUND_SESSIONS:-20}" SmtpDelivery__MaxConnectionsPerDestination="${OUTBOUND_SESSIONS:-20}" \
dotnet "$dll" serve --demo --data-dir "$work/data" --urls "http://127.0.0.1:$http_port" --smtp-listen "127.0.0.1:$smtp_port" \
  ${OUTBOUND_DATABASE:+--database "$OUTBOUND_DATABASE"} \
  >"$work/parley.log" 2>&1 &
parley_pid=$!
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$http_port/healthz" >/dev/null && break; sleep 0.05; done
token=$(dotnet "$dll" token create --data-dir "$work/data" 2>/dev/null)
parley_out=$(python3 bench/outbound/drive.py --api "http://127.0.0.1:$http_port" --token "$token" \
  --sink-dir "$sink_dir" --sink-port "$sink_port" --n "$n" --pid "$parley_pid" --concurrency "$concurrency" --mode "${OUTBOUND_MODE:-mailing}" \
  --warmup "${OUTBOUND_WARMUP:-1000}" --languages "${OUTBOUND_LANGUAGES:-1}") \
  || { echo "$parley_out"; tail -20 "$work/parley.log"; exit 1; }
echo "$parley_out" | sed 's/^/parley: /'
parley_rate=$(echo "$parley_out" | sed -n 's/^parley_msgs_per_s=//p')
cp "$work/parley.log" /tmp/parley-bench-server.log 2>/dev/null || true
warnings=$(grep -c -E '^\S+ (warn|fail):' "$work/parley.log" || true)
echo "parley: log lines with warn/fail: $warnings"
grep -E -A1 '^\S+ (warn|fail):' "$work/parley.log" | head -6 | sed 's/^/parley log: /' || true
ratio=$(awk -v a="$parley_rate" -v b="$source_rate" 'BEGIN { printf "%.2f", a / b }')
echo "outbound: parley=$parley_rate smtp-source=$source_rate ratio=$ratio"
