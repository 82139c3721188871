#!/usr/bin/env bash
# Spam-test throughput on one corpus, side by side in one run: `parley score` (built-in checks, DNS answered by a
# local dnsmasq, link fetching off) vs `spamc` → spamd (-L, local tests only) vs `rspamc` → rspamd, each called once per
# message, sequentially, as a client would. Target (issue 15): parley ≥ 10 × spamd and ≥ 1 × rspamd.
# Last line: spamtest: parley=… spamd=… rspamd=… (messages/s). Run as root (spamd -u, rspamd -u _rspamd).
# Usage: bench/spamtest.sh [MESSAGES]   (default 200)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-200}
out=$(mktemp -d)
chmod 755 "$out"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$out"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 240); do (echo > "/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.5; done; echo "port $1 did not open" >&2; exit 1; }

dotnet build src/Parley -c Release -o "$out/parley" >/dev/null

# The corpus: half clean (text + HTML), half spammy (shouting, shortener, HTML only), ~3 KB each.
mkdir "$out/corpus"
for i in $(seq 1 "$count"); do
  if (( i % 2 )); then
    printf 'From: Shop <news@shop.test>\r\nTo: ana@customer.test\r\nSubject: Your order %d has shipped\r\nDate: %s\r\nMessage-ID: <%d@shop.test>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>%s</p><p><a href="https://shop.test/orders/%d">Your order</a></p>\r\n--b--\r\n' \
      "$i" "$(date -R)" "$i" "$(head -c 1200 /usr/share/common-licenses/GPL-3 | tr -d '\r')" "$(head -c 1200 /usr/share/common-licenses/GPL-3 | tr -d '\r<>')" "$i" > "$out/corpus/$i.eml"
  else
    printf 'From: Deals <deals@spoof.test>\r\nTo: ana@customer.test\r\nSubject: WIN A FREE PRIZE NOW %d!!!\r\nDate: %s\r\nMessage-ID: <%d@spoof.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Act now! 100%% free, no credit check.</p><p><a href="https://bit.ly/x%d">https://www.paypal.com/verify</a></p><p>%s</p>\r\n' \
      "$i" "$(date -R)" "$i" "$i" "$(head -c 2000 /usr/share/common-licenses/GPL-3 | tr -d '\r<>%')" > "$out/corpus/$i.eml"
  fi
done

# DNS on loopback only: the lists and names the checks ask about answer NXDOMAIN or REFUSED, nothing leaves the machine.
dns=$(free_port)
/usr/sbin/dnsmasq -k --port="$dns" --listen-address=127.0.0.1 --bind-interfaces --no-resolv --no-hosts --local=/test/ \
  --txt-record=shop.test,"v=spf1 ip4:127.0.0.1 -all" --txt-record=_dmarc.shop.test,"v=DMARC1; p=reject" --user=root --pid-file &
pids+=($!)
spamd_port=$(free_port)
/usr/sbin/spamd --listen="127.0.0.1:$spamd_port" -L -x -m 2 -u nobody --pidfile="$out/spamd.pid" 2>"$out/spamd.log" &
pids+=($!)
mkdir -p "$out/rspamd/local/override.d"
rs_normal=$(free_port); rs_controller=$(free_port); rs_proxy=$(free_port)
printf 'bind_socket = "127.0.0.1:%s";\ncount = 1;\n' "$rs_normal" > "$out/rspamd/local/override.d/worker-normal.inc"
printf 'bind_socket = "127.0.0.1:%s";\ncount = 1;\n' "$rs_controller" > "$out/rspamd/local/override.d/worker-controller.inc"
printf 'bind_socket = "127.0.0.1:%s";\ncount = 1;\n' "$rs_proxy" > "$out/rspamd/local/override.d/worker-proxy.inc"
printf 'dns { nameserver = ["127.0.0.1:%s"]; }\n' "$dns" > "$out/rspamd/local/override.d/options.inc"
chown -R _rspamd:_rspamd "$out/rspamd"
rspamd -f -u _rspamd -g _rspamd -c /etc/rspamd/rspamd.conf --var=DBDIR="$out/rspamd" --var=RUNDIR="$out/rspamd" --var=LOGDIR="$out/rspamd" \
  --var=LOCAL_CONFDIR="$out/rspamd/local" >"$out/rspamd.out" 2>&1 &
pids+=($!)
wait_port "$dns"; wait_port "$spamd_port"; wait_port "$rs_normal"

rate() { # rate NAME COMMAND-PREFIX...: messages per second over the corpus, one call per message
  local name=$1; shift
  local start end
  start=$(date +%s.%N)
  for f in "$out"/corpus/*.eml; do "$@" "$f" >/dev/null; done
  end=$(date +%s.%N)
  python3 -c "print(f'{$count/($end-$start):.1f}')"
}
parley() { dotnet "$out/parley/parley.dll" score "$1" --ip 127.0.0.1 --mail-from news@shop.test --dns "127.0.0.1:$dns" --no-links; }
spamc_one() { spamc -d 127.0.0.1 -p "$spamd_port" -R < "$1"; }
rspamc_one() { rspamc -h "127.0.0.1:$rs_normal" "$1"; }
p=$(rate parley parley); s=$(rate spamd spamc_one); r=$(rate rspamd rspamc_one)
echo "spamtest: parley=$p spamd=$s rspamd=$r (messages/s, $count messages, one client call per message)"
