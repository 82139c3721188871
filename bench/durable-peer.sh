#!/usr/bin/env bash
# Calibration for the inbound ratio: what a real MTA that stores durably before its 250 — Postfix itself (smtpd →
# cleanup, which fsyncs the queue file before the reply → qmgr → the discard transport) — reaches on this machine
# with the same load as bench/inbound.sh (postfix's smtp-source -s 20 -m N -l 4096), next to smtp-sink (no fsync, no
# parsing). Postfix's rate is counted until its queue is empty (every message delivered to discard), as Parley's is
# counted until every message is routed. A benchmark, not a test; needs root (Postfix's master runs as root) and
# mkfs.ext4 (the queue, like the sinks, gets a new ext4 file system: see bench/sink.sh for why).
# Usage: bench/durable-peer.sh [N]  (default 20000). Last line:
# "durable-peer: postfix=<msgs/s> smtp-sink=<msgs/s> ratio=<postfix/smtp-sink>".
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-20000}"
[ "$(id -u)" -eq 0 ] || { echo "needs root: Postfix's master starts as root"; exit 1; }
sink_bin=$(command -v smtp-sink || echo /usr/sbin/smtp-sink)
source_bin=$(command -v smtp-source || echo /usr/sbin/smtp-source)
for b in "$sink_bin" "$source_bin" /usr/sbin/postfix /usr/lib/postfix/sbin/master /etc/postfix/post-install /etc/postfix/master.cf /usr/sbin/mkfs.ext4; do
  [ -e "$b" ] || { echo "needs $b (postfix, e2fsprogs)"; exit 1; }
done

work=$(mktemp -d /tmp/parley-durable-peer.XXXXXX)
chmod 755 "$work"
conf="$work/etc"; queue="$work/queue"
mkdir -p "$conf" "$queue" "$work/data"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
smtp_port=$(free_port)
sink_pid=""; postfix_up=0; queue_mounted=0
cleanup() {
  if [ "$postfix_up" = 1 ]; then postfix -c "$conf" stop >/dev/null 2>&1 || true; sleep 1; fi
  if declare -F sink_cleanup >/dev/null; then sink_cleanup; fi
  if [ "$queue_mounted" = 1 ]; then umount "$queue" 2>/dev/null || umount -l "$queue" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Loopback only, and nothing leaves: every transport is discard, no DNS. in_flow_delay 0: Postfix's smtpd would
# otherwise pause before each message while deliveries lag behind arrivals (its flow control), which caps the rate
# it accepts at the rate it delivers — here the point is how fast it stores.
if truncate -s 4G "$work/queue.img" && mkfs.ext4 -q -F "$work/queue.img" && mount -o loop "$work/queue.img" "$queue"; then
  queue_mounted=1
else
  echo "warning: Postfix's queue is on $queue, a file system with a history (the loop mount failed); its rate may be depressed"
fi
chown postfix:postfix "$work/data"
cat >"$conf/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $queue
data_directory = $work/data
mail_owner = postfix
setgid_group = postdrop
myhostname = postfix.bench.test
mydomain = bench.test
myorigin = postfix.bench.test
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mydestination = mail.bench.test
mynetworks = 127.0.0.0/8
local_recipient_maps =
alias_maps =
alias_database =
local_transport = discard:
default_transport = discard:
relay_transport = discard:
smtp_dns_support_level = disabled
smtpd_peername_lookup = no
smtpd_client_connection_count_limit = 0
smtpd_client_connection_rate_limit = 0
in_flow_delay = 0
biff = no
EOF
# Debian's master.cf with the SMTP service on our port and no chroot (the chroot would need copies of /etc).
awk -v port="$smtp_port" 'BEGIN { OFS = "  " }
  /^smtp[ \t]+inet/ { $1 = "127.0.0.1:" port }
  /^[a-z0-9]/ && $5 == "y" { $5 = "n" }
  { print }' /etc/postfix/master.cf >"$conf/master.cf"
/etc/postfix/post-install config_directory="$conf" daemon_directory=/usr/lib/postfix/sbin command_directory=/usr/sbin \
  queue_directory="$queue" meta_directory=/etc/postfix create-missing >/dev/null 2>&1
postfix -c "$conf" start >/dev/null 2>&1 && postfix_up=1 || { echo "postfix did not start (postfix -c $conf check)"; postfix -c "$conf" check; exit 1; }
for _ in $(seq 1 200); do (exec 3<>"/dev/tcp/127.0.0.1/$smtp_port") 2>/dev/null && break; sleep 0.05; done
(exec 3<>"/dev/tcp/127.0.0.1/$smtp_port") 2>/dev/null || { echo "postfix is not listening on 127.0.0.1:$smtp_port after 10 s"; exit 1; }

queued() { find "$queue/incoming" "$queue/active" "$queue/deferred" "$queue/hold" "$queue/maildrop" -type f 2>/dev/null | wc -l; }
# postfix_run COUNT: smtp-source sends COUNT messages to Postfix, then waits until its queue is empty; sets $rate.
postfix_run() {
  local count=$1 start out acked deadline seconds
  start=$(date +%s.%N)
  out=$("$source_bin" -c -s 20 -m "$count" -l 4096 -f bench@source.test -t bench@mail.bench.test "127.0.0.1:$smtp_port" | tr '\r' '\n')
  acked=$(echo "$out" | grep -E '^[0-9]+$' | tail -1)
  [ "${acked:-0}" -ge "$count" ] || { echo "smtp-source: only ${acked:-0} of $count acknowledged by Postfix"; exit 1; }
  deadline=$(( $(date +%s) + 300 ))
  until [ "$(queued)" -eq 0 ]; do
    [ "$(date +%s)" -gt "$deadline" ] && { echo "postfix: $(queued) messages still queued after 300 s"; exit 1; }
    sleep 0.1
  done
  seconds=$(echo "$(date +%s.%N) - $start" | bc)
  rate=$(echo "scale=1; $count / $seconds" | bc)
}

postfix_run 500 # warm-up: Postfix starts its smtpd, cleanup and trivial-rewrite processes on demand
rates=()
for attempt in 1 2 3; do
  postfix_run "$n"
  rates+=("$rate")
  echo "postfix run $attempt: $n messages stored (fsync before 250) and delivered to discard at $rate msgs/s"
done
postfix_rate=$(printf '%s\n' "${rates[@]}" | sort -n | sed -n 2p)
echo "postfix: median $postfix_rate msgs/s"

as_nobody=(-u nobody)
source bench/sink.sh
peer_median smtp-sink "$n" bench@mail.bench.test
ratio=$(awk -v a="$postfix_rate" -v b="$peer_rate" 'BEGIN { printf "%.2f", a / b }')
echo "durable-peer: postfix=$postfix_rate smtp-sink=$peer_rate ratio=$ratio"
