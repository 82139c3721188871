#!/usr/bin/env bash
# The CPU budget behind #3's target, measured on this machine: at 0.5 x smtp-source's rate into smtp-sink, how much
# CPU per message is left for Parley, and how much of it the two DKIM signatures the issue requires (RSA-2048 and
# Ed25519, OpenSSL's own speed) take before anything else is done. Not a benchmark of Parley; it explains one.
# Usage: bench/outbound-budget.sh [N]  (default 20000). Last line:
# "budget: target=<msgs/s> per_message_ms=<all Parley may spend> signatures_ms=<rsa+ed25519> left_ms=<for the rest>".
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-20000}"
bash scripts/install-peers.sh >/dev/null
sink_bin=$(command -v smtp-sink || echo /usr/sbin/smtp-sink)
source_bin=$(command -v smtp-source || echo /usr/sbin/smtp-source)
work=$(mktemp -d /tmp/parley-budget.XXXXXX)
chmod 755 "$work"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cleanup() { if declare -F sink_cleanup >/dev/null; then sink_cleanup; fi; rm -rf "$work"; }
trap cleanup EXIT
as_nobody=(); [ "$(id -u)" -eq 0 ] && as_nobody=(-u nobody)
source bench/sink.sh

cores=$(nproc)
hz=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# The peer's rate and the sink's CPU per message while it receives it (the sink runs during Parley's benchmark too).
fresh_sink
sink_before=$(ticks "$sink_pid")
start=$(date +%s.%N)
/usr/bin/time -f "%U %S" -o "$work/source.time" "$source_bin" -c -s 20 -m "$n" -l 4096 -f bench@source.test -t sink@customer.test \
  "127.0.0.1:$sink_port" >/dev/null
seconds=$(echo "$(date +%s.%N) - $start" | bc)
sink_ms=$(awk -v t="$(( $(ticks "$sink_pid") - sink_before ))" -v hz="$hz" -v n="$n" 'BEGIN { printf "%.4f", t / hz * 1000 / n }')
source_ms=$(awk -v n="$n" '{ printf "%.4f", ($1 + $2) * 1000 / n }' "$work/source.time")
rate=$(echo "scale=1; $n / $seconds" | bc)
echo "smtp-source: $n messages in ${seconds}s = $rate msgs/s; CPU per message: smtp-source $source_ms ms, smtp-sink $sink_ms ms"

# OpenSSL's signing speed on one core (what .NET's RSA and Parley's Ed25519 signer cost at best).
speed=$(openssl speed -seconds 2 rsa2048 ed25519 2>/dev/null)
# Lines end with "<sign/s> <verify/s>".
rsa_ms=$(echo "$speed" | awk '/^rsa 2048 bits/ { printf "%.4f", 1000 / $(NF-1) }')
ed_ms=$(echo "$speed" | awk '/\(Ed25519\)/ { printf "%.4f", 1000 / $(NF-1) }')
echo "openssl speed, one core: RSA-2048 sign $rsa_ms ms, Ed25519 sign $ed_ms ms"

target=$(echo "scale=1; $rate / 2" | bc)
# Every core busy, nothing else running: what Parley may spend per message at the target rate, after the sink's share.
per_message=$(awk -v c="$cores" -v t="$target" -v s="$sink_ms" 'BEGIN { printf "%.4f", c * 1000 / t - s }')
signatures=$(awk -v a="$rsa_ms" -v b="$ed_ms" 'BEGIN { printf "%.4f", a + b }')
left=$(awk -v p="$per_message" -v s="$signatures" 'BEGIN { printf "%.4f", p - s }')
echo "at the target ($target msgs/s on $cores cores, all of them busy): Parley may spend $per_message ms of CPU per message;"
echo "the two signatures take $signatures ms of it; $left ms is left to render, store, build the MIME, hash the body and send"
echo "budget: target=$target per_message_ms=$per_message signatures_ms=$signatures left_ms=$left"
