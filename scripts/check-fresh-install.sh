#!/usr/bin/env bash
# Proves scripts/install-peers.sh on a brand-new Debian 12: debootstraps a minbase root into DIR,
# runs install-peers.sh in a chroot exactly as CI does (bash scripts/install-peers.sh, as root, no stdin,
# CI=true), then drives every peer once the way the tests do (swaks -tls, smtp-sink/smtp-source,
# dovecot IMAP/POP3 with STARTTLS, dnsmasq, pyspf/dkimpy, opendkim-testmsg under unshare, PostgreSQL
# initdb/pg_ctl as postgres, headless Chromium, and Playwright's own driver when its NuGet package is here).
#
#   sudo bash scripts/check-fresh-install.sh DIR     # DIR must not exist or be empty; needs ~2 GB
#
# The mirror is the one this machine's apt sources name. Only loopback servers are started, on free ports;
# the one that needs 127.0.0.1:53 (for opendkim-testmsg) gets a private network namespace, so a test run
# of someone else's on the same machine keeps its port 53. No service of the root starts (policy-rc.d).
# Mounts are undone on exit, even on failure; DIR is removed at the end unless KEEP_ROOT=1.
# Takes 10 to 15 minutes on 2 shared cores (debootstrap 2-4, install-peers 6-9, checks 1; 285 MB downloaded).
set -euo pipefail

# ---------------------------------------------------------------------------------------------------
# Inside the root: exercise each peer as the tests do. Run by the host part below as
#   chroot DIR bash /work/parley/scripts/check-fresh-install.sh --exercise
# and usable on any machine where install-peers.sh ran (as root).
# ---------------------------------------------------------------------------------------------------
exercise() {
  [ "$(id -u)" -eq 0 ] || { echo "check: --exercise runs as root (the tests do on CI)" >&2; exit 2; }
  d="" pids=() failed=0  # globals: the EXIT trap below runs after this function returns
  d=$(mktemp -d /tmp/parley-check-XXXXXX)
  chmod 755 "$d"
  # Each server runs under coreutils timeout (as PeerProcess starts peers); TERM to timeout reaches the server too.
  stop() { kill -TERM "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
  stop_all() { local p; for p in "${pids[@]}"; do stop "$p"; done; }
  trap 'stop_all; rm -rf "$d"' EXIT
  ok() { echo "check: ok   $*"; }
  bad() { echo "check: FAIL $*" >&2; failed=1; }
  free_port() { python3 -I -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
  wait_port() { # PORT PID: until something accepts on 127.0.0.1:PORT (10 s), while PID lives
    local i
    for i in $(seq 100); do
      (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
      kill -0 "$2" 2>/dev/null || return 1
      sleep 0.1
    done
    return 1
  }

  # Plain tools the test helpers start by name.
  local c
  for c in timeout chown runuser unshare mount sh openssl swaks perl; do
    command -v "$c" >/dev/null && ok "$c is $(command -v "$c")" || bad "$c not on PATH"
  done
  for c in nobody postgres dovecot dovenull; do getent passwd "$c" >/dev/null && ok "user $c" || bad "user $c missing"; done
  getent group nogroup >/dev/null && ok "group nogroup" || bad "group nogroup missing"

  # The test certificate, made as DovecotPeer makes it.
  if openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
       -keyout "$d/key.pem" -out "$d/cert.pem" >/dev/null 2>&1; then ok "openssl req -x509 (test certificate)"; else bad "openssl req -x509"; fi

  # swaks -tls against a tiny STARTTLS server (Python's ssl module, same OpenSSL).
  cat >"$d/starttls.py" <<'PY'
import socket, ssl, sys
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(sys.argv[1], sys.argv[2])
srv = socket.socket(); srv.bind(("127.0.0.1", int(sys.argv[3]))); srv.listen(4)
def serve(conn):
    f = conn.makefile("rwb"); tls = None
    def say(s): f.write(s.encode() + b"\r\n"); f.flush()
    say("220 check ESMTP")
    while True:
        line = f.readline()  # f changes at STARTTLS: read it afresh each time
        if not line: return
        cmd = line.decode().strip().upper()
        if cmd.startswith("EHLO"):
            say("250-check"); say("250 PIPELINING" if tls else "250 STARTTLS")
        elif cmd == "STARTTLS" and not tls:
            say("220 go ahead"); conn = ctx.wrap_socket(conn, server_side=True); f = conn.makefile("rwb"); tls = conn.version()
        elif cmd == "DATA":
            say("354 go")
            while f.readline().rstrip(b"\r\n") not in (b".", b""): pass
            say("250 queued " + ("over " + tls if tls else "in clear"))
        elif cmd == "QUIT":
            say("221 bye"); return
        else:
            say("250 ok")
while True:  # until timeout kills it; the readiness probe is one short connection
    c, _ = srv.accept(); c.settimeout(30)
    try: serve(c)
    except ConnectionError: pass
    except Exception as e: print("starttls server:", e, file=sys.stderr)
    finally: c.close()
PY
  local port pid out
  port=$(free_port)
  timeout --signal=KILL 60s python3 -I "$d/starttls.py" "$d/cert.pem" "$d/key.pem" "$port" & pid=$!; pids+=("$pid")
  if wait_port "$port" "$pid"; then
    out=$(timeout --signal=KILL 30s swaks --server "127.0.0.1:$port" --from sender@client.test --to rcpt@parley.test \
            --helo client.test --timeout 20s -tls 2>&1) && grep -q "250 queued over TLS" <<<"$out" \
      && ok "swaks -tls (STARTTLS, $(grep -o 'over TLSv[0-9.]*' <<<"$out" | head -1))" || { bad "swaks -tls"; echo "$out" | tail -8 >&2; }
  else bad "STARTTLS test server did not listen"; fi
  stop "$pid"

  # smtp-sink as SmtpSinkPeer starts it (as root: -u nobody, a world-writable dump directory), fed by
  # swaks --pipeline and by smtp-source -c as LoadTests does.
  mkdir "$d/sink"; chmod 777 "$d/sink"; port=$(free_port)
  timeout --signal=KILL 60s smtp-sink -u nobody -v -d "$d/sink/m." "127.0.0.1:$port" 100 2>"$d/sink.log" & pid=$!; pids+=("$pid")
  if wait_port "$port" "$pid"; then
    timeout --signal=KILL 30s swaks --server "127.0.0.1:$port" --from a@client.test --to b@parley.test --helo client.test \
      --timeout 20s --pipeline >/dev/null 2>&1 && ok "swaks --pipeline to smtp-sink" || bad "swaks --pipeline to smtp-sink"
    out=$(timeout --signal=KILL 60s smtp-source -c -s 2 -m 4 -l 1024 -r 1 -f source@sender.test -t sink@parley.test "127.0.0.1:$port" 2>&1) \
      && [ "$(tr '\r' '\n' <<<"$out" | grep -E '^ *[0-9]+$' | tail -1 | tr -d ' ')" = 4 ] && ok "smtp-source -c: 4 acknowledged" || { bad "smtp-source"; echo "$out" >&2; }
    sleep 0.5
    local dumped; dumped=$(grep -l '^Received:' "$d"/sink/m.* 2>/dev/null | wc -l)
    [ "$dumped" -ge 5 ] && ok "smtp-sink dumped $dumped messages" || { bad "smtp-sink dumped $dumped of 5"; cat "$d/sink.log" >&2; }
  else bad "smtp-sink did not listen: $(cat "$d/sink.log")"; fi
  stop "$pid"

  # dnsmasq as DnsmasqPeer starts it (as root: --user=root), with the TXT records for SPF and DKIM.
  openssl genrsa -out "$d/dkim.pem" 2048 2>/dev/null
  local pub; pub=$(openssl rsa -in "$d/dkim.pem" -pubout -outform DER 2>/dev/null | base64 -w0)
  local dkimtxt="v=DKIM1; k=rsa; p=$pub" chunks=""
  while [ -n "$dkimtxt" ]; do chunks+=",\"${dkimtxt:0:200}\""; dkimtxt=${dkimtxt:200}; done
  dns_conf() { # PORT
    printf '%s\n' "port=$1" listen-address=127.0.0.1 bind-interfaces no-resolv no-hosts no-negcache cache-size=0 'local=/test/' \
      'txt-record=check.test,"v=spf1 ip4:192.0.2.7 -all"' "txt-record=sel._domainkey.check.test$chunks"
  }
  port=$(free_port); mkdir "$d/dns"; dns_conf "$port" >"$d/dns/dnsmasq.conf"
  timeout --signal=KILL 60s dnsmasq -k "--conf-file=$d/dns/dnsmasq.conf" --pid-file "--log-facility=$d/dns/log" --user=root 2>"$d/dns/err" & pid=$!; pids+=("$pid")
  if wait_port "$port" "$pid"; then
    ok "dnsmasq on 127.0.0.1:$port"
    # pyspf through dnspython, as PySpf does.
    out=$(python3 -I - "$port" <<'PY' 2>&1
import sys, dns.resolver, spf
r = dns.resolver.Resolver(configure=False); r.nameservers = ["127.0.0.1"]; r.port = int(sys.argv[1]); r.lifetime = 5
dns.resolver.default_resolver = r
a = spf.check2(i="192.0.2.7", s="a@check.test", h="h.check.test")[0]
b = spf.check2(i="192.0.2.8", s="a@check.test", h="h.check.test")[0]
print(a, b)
PY
)
    [ "$out" = "pass fail" ] && ok "pyspf over dnsmasq: $out" || bad "pyspf over dnsmasq: $out"
  else bad "dnsmasq did not listen: $(cat "$d/dns/err")"; fi
  stop "$pid"

  # dkimpy: RSA and Ed25519 (python3-nacl) sign and verify, as PyDkim does.
  # A Date header: Debian's libopendkim checks headers strictly and calls a message without one a "Syntax error".
  printf 'From: a@check.test\r\nTo: b@parley.test\r\nDate: Mon, 1 Jan 2024 00:00:00 +0000\r\nSubject: check\r\nMessage-ID: <1@check.test>\r\n\r\nHello.\r\n' >"$d/plain.eml"
  out=$(python3 -I - "$d/plain.eml" "$d/dkim.pem" "$pub" "$d/signed.eml" <<'PY' 2>&1
import sys, base64, dkim, nacl.signing
msg = open(sys.argv[1], "rb").read(); rsa = open(sys.argv[2], "rb").read()
sk = nacl.signing.SigningKey.generate()
records = {b"sel._domainkey.check.test.": b"v=DKIM1; k=rsa; p=" + sys.argv[3].encode(),
           b"ed._domainkey.check.test.": b"v=DKIM1; k=ed25519; p=" + base64.b64encode(bytes(sk.verify_key))}
dnsfunc = lambda name, timeout=5: records.get(name if name.endswith(b".") else name + b".")
signed = dkim.sign(msg, b"sel", b"check.test", rsa, include_headers=[b"from", b"to", b"subject"]) + msg
open(sys.argv[4], "wb").write(signed)
both = dkim.sign(signed, b"ed", b"check.test", base64.b64encode(bytes(sk)), signature_algorithm=b"ed25519-sha256") + signed
print(dkim.verify(signed, dnsfunc=dnsfunc), dkim.DKIM(both).verify(idx=0, dnsfunc=dnsfunc))
PY
)
  [ "$out" = "True True" ] && ok "dkimpy rsa-sha256 and ed25519-sha256 sign+verify" || bad "dkimpy: $out"

  # opendkim-testmsg exactly as OpenDkim.VerifyAsync runs it (unshare --mount, resolv.conf bind-mounted to point at
  # dnsmasq on 127.0.0.1:53), but inside a private network namespace: port 53 on a shared machine may be in use
  # by someone's test run, so this check takes its own loopback (brought up with an ioctl: no iproute2 needed).
  mkdir "$d/dns53"; dns_conf 53 >"$d/dns53/dnsmasq.conf"
  printf 'nameserver 127.0.0.1\noptions timeout:2 attempts:1\n' >"$d/resolv.conf"
  cat >"$d/opendkim.sh" <<'SH'
d=$1
python3 -I -c 'import socket, fcntl, struct
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
flags = struct.unpack("16sh22x", fcntl.ioctl(s, 0x8913, struct.pack("16sh22x", b"lo", 0)))[1]
fcntl.ioctl(s, 0x8914, struct.pack("16sh22x", b"lo", flags | 1))' || exit 90
timeout 50s dnsmasq -k "--conf-file=$d/dns53/dnsmasq.conf" --pid-file "--log-facility=$d/dns53/log" --user=root 2>"$d/dns53/err" & dns=$!
trap 'kill -TERM $dns 2>/dev/null; wait $dns 2>/dev/null' EXIT
trap 'exit 124' TERM
for i in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/53) 2>/dev/null && break; sleep 0.1; done
unshare --mount sh -c "mount --bind '$d/resolv.conf' /etc/resolv.conf && exec /usr/sbin/opendkim-testmsg < '$d/signed-lf.eml'"
SH
  tr -d '\r' <"$d/signed.eml" >"$d/signed-lf.eml"  # LF line ends, as the smtp-sink dumps the tests hand it
  out=$(timeout 60s unshare --net bash "$d/opendkim.sh" "$d" 2>&1) \
    && ok "opendkim-testmsg verified the dkimpy signature (unshare --mount, resolv.conf bind-mounted, dnsmasq on :53)" \
    || bad "opendkim-testmsg: $out $(cat "$d/dns53/err" 2>/dev/null)"

  # dovecot as DovecotPeer starts it, with STARTTLS, a passwd-file user and a Maildir owned by nobody.
  local imap pop3 dv="$d/dovecot"; imap=$(free_port); pop3=$(free_port)
  mkdir -p "$dv/home/support@check.test/Maildir/"{new,cur,tmp}; chmod 755 "$dv"; chmod 777 "$dv/home"
  echo 'support@check.test:{PLAIN}secret' >"$dv/users"
  printf 'From: a@check.test\nSubject: hi\n\nHello.\n' >"$dv/home/support@check.test/Maildir/new/1.check"
  chown -R nobody:nogroup "$dv/home/support@check.test"
  cat >"$dv/dovecot.conf" <<EOF
protocols = imap pop3
listen = 127.0.0.1
base_dir = $dv/run
state_dir = $dv/state
log_path = $dv/dovecot.log
ssl = yes
ssl_cert = <$d/cert.pem
ssl_key = <$d/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
login_trusted_networks = 127.0.0.0/8
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $dv/users
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$dv/home/%u
}
mail_location = maildir:~/Maildir
pop3_uidl_format = %08Xu%08Xv
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $imap
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    address = 127.0.0.1
    port = $pop3
  }
  inet_listener pop3s {
    port = 0
  }
}
EOF
  timeout --signal=KILL 120s dovecot -F -c "$dv/dovecot.conf" 2>"$dv/err" & pid=$!; pids+=("$pid")
  if wait_port "$imap" "$pid" && wait_port "$pop3" "$pid"; then
    out=$(python3 -I - "$imap" "$pop3" <<'PY' 2>&1
import sys, ssl, imaplib, poplib
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
i = imaplib.IMAP4("127.0.0.1", int(sys.argv[1])); i.starttls(ssl_context=ctx); i.login("support@check.test", "secret")
n = i.select("INBOX")[1][0].decode(); i.logout()
p = poplib.POP3("127.0.0.1", int(sys.argv[2])); p.stls(context=ctx); p.user("support@check.test"); p.pass_("secret")
m = p.stat()[0]; p.quit()
print(n, m)
PY
)
    [ "$out" = "1 1" ] && ok "dovecot $(dovecot --version | cut -d' ' -f1): IMAP and POP3 STARTTLS login, 1 message each" || { bad "dovecot: $out"; tail -5 "$dv/dovecot.log" >&2; }
    timeout --signal=KILL 20s dovecot -c "$dv/dovecot.conf" stop >/dev/null 2>&1 || true
  else bad "dovecot did not listen: $(cat "$dv/err") $(tail -5 "$dv/dovecot.log" 2>/dev/null)"; fi
  stop "$pid"

  # PostgreSQL as PostgresPeer runs it: chown to postgres, initdb and pg_ctl through runuser, from /.
  local bin pg="$d/pg"; bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1); mkdir "$pg"; chown postgres:postgres "$pg"; port=$(free_port)
  if (cd / && runuser -u postgres -- "$bin/initdb" -D "$pg/data" -U postgres --auth=trust --encoding=UTF8 --locale=C --no-sync --no-instructions >"$pg.out" 2>&1 \
      && runuser -u postgres -- "$bin/pg_ctl" -D "$pg/data" -l "$pg/log" -w -t 60 \
           -o "-k $pg -p $port -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >>"$pg.out" 2>&1 \
      && "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres parley_check >>"$pg.out" 2>&1 \
      && [ "$("$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d parley_check -Atc 'select 40 + 2' 2>>"$pg.out")" = 42 ]); then
    ok "PostgreSQL $("$bin/postgres" --version | awk '{print $3}'): initdb, pg_ctl start, createdb, query as postgres"
  else bad "PostgreSQL: $(cat "$pg.out") $(cat "$pg/log" 2>/dev/null)"; fi
  (cd / && runuser -u postgres -- "$bin/pg_ctl" -D "$pg/data" -m immediate -w -t 30 stop >/dev/null 2>&1) || true

  # Chromium headless with the flags Browser.cs gives it: the DOM, and a screenshot with real glyphs.
  local flags=(--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run --disable-sync)
  cat >"$d/page.html" <<'HTML'
<!doctype html><html><body style="margin:20px;font:32px sans-serif">
<p><span id="t">Parley renders text</span> <span id="w"></span></p>
<script>document.getElementById("w").textContent = "width=" + Math.round(document.getElementById("t").getBoundingClientRect().width);</script>
</body></html>
HTML
  out=$(timeout --signal=KILL 90s chromium "${flags[@]}" --dump-dom "file://$d/page.html" 2>"$d/chromium.err") || true
  local width; width=$(grep -o 'width=[0-9]*' <<<"$out" | cut -d= -f2)
  [ -n "$width" ] && [ "$width" -gt 100 ] && ok "chromium --dump-dom ran the page's script (text width ${width}px)" \
    || { bad "chromium --dump-dom: ${out:0:200}"; tail -5 "$d/chromium.err" >&2; }
  timeout --signal=KILL 90s chromium "${flags[@]}" --window-size=640,120 --screenshot="$d/shot.png" "file://$d/page.html" >/dev/null 2>&1 || true
  if [ "$(head -c 8 "$d/shot.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; then
    ok "chromium --screenshot: $(stat -c %s "$d/shot.png") bytes PNG (kept as /tmp/parley-check-shot.png)"; cp "$d/shot.png" /tmp/parley-check-shot.png
  else bad "chromium --screenshot made no PNG"; fi
  fc-match -f '%{family}\n' sans-serif 2>/dev/null | grep -q . && ok "fontconfig's sans-serif is $(fc-match -f '%{family[0]}' sans-serif)" || bad "no font for sans-serif"

  # Playwright's own driver (the node binary inside the Microsoft.Playwright NuGet package) driving Debian's
  # Chromium, as the browser tests do. Only when the host part copied the package in.
  if [ -x /work/playwright/node/linux-x64/node ]; then
    out=$(cd /work/playwright && timeout --signal=KILL 120s ./node/linux-x64/node - <<'JS' 2>&1
const { chromium } = require("/work/playwright/package");
(async () => {
  const b = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"] });
  const p = await b.newPage({ viewport: { width: 1280, height: 900 } });
  await p.setContent('<form><input name="Email"><button type="submit">Sign in</button></form>');
  await p.fill("input[name=Email]", "admin@parley.test");
  const v = await p.inputValue("input[name=Email]");
  await p.screenshot({ path: "/tmp/parley-check-playwright.png", fullPage: true });
  console.log(b.version(), v);
  await b.close();
})().catch(e => { console.error(e); process.exit(1); });
JS
)
    grep -q 'admin@parley.test' <<<"$out" && ok "Playwright's driver (node $(/work/playwright/node/linux-x64/node --version)) drove Chromium $(cut -d' ' -f1 <<<"$out"): fill, screenshot" \
      || bad "Playwright driver: $out"
  fi

  # What the .NET runtime itself loads (the SDK comes as a tarball on CI and brings none of it).
  local lib
  for lib in libicuuc.so.72 libssl.so.3 libz.so.1 libgssapi_krb5.so.2 libstdc++.so.6; do
    grep -q "$lib" <<<"$(ldconfig -p)" && ok ".NET native: $lib" || bad ".NET native: $lib missing"
  done
  [ -f /usr/share/zoneinfo/Europe/Lisbon ] && ok ".NET native: tzdata" || bad ".NET native: tzdata missing"
  [ -s /etc/ssl/certs/ca-certificates.crt ] && ok "ca-certificates bundle" || bad "ca-certificates bundle missing"

  if [ "$failed" -ne 0 ]; then echo "check: some peer cannot do what the tests ask (see FAIL above)." >&2; exit 1; fi
  echo "check: every peer did what the tests ask of it."
}

if [ "${1:-}" = "--exercise" ]; then
  exercise
  exit 0
fi

# ---------------------------------------------------------------------------------------------------
# On the host: make the root, run install-peers.sh in it as CI would, then the checks above.
# ---------------------------------------------------------------------------------------------------
root=${1:?usage: check-fresh-install.sh DIR   (DIR must not exist or be empty)}
[ "$(id -u)" -eq 0 ] || { echo "check-fresh-install: run as root (debootstrap, chroot, mount)" >&2; exit 2; }
here=$(cd "$(dirname "$0")/.." && pwd)
if [ -e "$root" ] && [ -n "$(ls -A "$root" 2>/dev/null)" ]; then
  echo "check-fresh-install: $root exists and is not empty" >&2; exit 2
fi

# The Debian mirror this machine's apt uses (one-line or deb822 sources), and its security mirror.
apt_uris() { # every "URI suite..." pair the machine's enabled sources name
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] && awk '$1 == "deb" { i = 2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ } print $i, $(i + 1) }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && awk 'BEGIN { RS = ""; FS = "\n" } {
      uri = ""; suites = ""; on = 1
      for (j = 1; j <= NF; j++) {
        if ($j ~ /^URIs:/) { uri = $j; sub(/^URIs:[ \t]*/, "", uri); sub(/[ \t].*/, "", uri) }
        if ($j ~ /^Suites:/) { suites = $j; sub(/^Suites:[ \t]*/, "", suites) }
        if ($j ~ /^Enabled:[ \t]*no/) on = 0
      }
      if (uri != "" && on) print uri, suites }' "$f"
  done
}
mirror=$(apt_uris | awk '$2 == "bookworm" || $0 ~ / bookworm( |$)/ { print $1; exit }')
security=$(apt_uris | awk '$0 ~ /bookworm-security/ { print $1; exit }')
[ -n "$mirror" ] || { echo "check-fresh-install: no bookworm mirror in this machine's apt sources" >&2; exit 2; }
echo "check-fresh-install: mirror $mirror${security:+, security $security}"

command -v debootstrap >/dev/null || { apt-get update -q && apt-get install -y -q --no-install-recommends debootstrap; }

mounted=()
cleanup() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" 2>/dev/null || true; done
  mounted=()
  if [ "${KEEP_ROOT:-0}" != 1 ] && [ -n "${made_root:-}" ]; then rm -rf --one-file-system "$root"; fi
}
trap cleanup EXIT
made_root=1
mkdir -p "$root"
root=$(cd "$root" && pwd)

t0=$(date +%s)
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.debootstrap.log" 2>&1 \
  || { tail -20 "$root.debootstrap.log" >&2; exit 1; }
rm -f "$root.debootstrap.log"
t1=$(date +%s)
chroot "$root" dpkg-query -W -f='${Package}\n' | sort >"$root/root/packages-minbase.txt"
echo "check-fresh-install: minbase root in $((t1 - t0)) s, $(wc -l <"$root/root/packages-minbase.txt") packages, $(du -sh --one-file-system "$root" | cut -f1)"

# A new Debian 12 machine's sources (main, updates, security) on this machine's mirror; no service starts.
rm -f "$root/etc/apt/sources.list"
{
  printf 'Types: deb\nURIs: %s\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$mirror"
  [ -z "$security" ] || printf '\nTypes: deb\nURIs: %s\nSuites: bookworm-security\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$security"
} >"$root/etc/apt/sources.list.d/debian.sources"
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"

# The root made a mount point of its own, as / is on a real machine: unshare --mount (OpenDkim's way to
# swap /etc/resolv.conf) fails with "cannot change root filesystem propagation" in a plain chroot.
mount --bind "$root" "$root" && mounted+=("$root")
mount -t proc proc "$root/proc" && mounted+=("$root/proc")
mount -t sysfs sysfs "$root/sys" && mounted+=("$root/sys")
mount -t devpts -o newinstance,ptmxmode=0666 devpts "$root/dev/pts" && mounted+=("$root/dev/pts")
mount -t tmpfs -o mode=1777 shm "$root/dev/shm" && mounted+=("$root/dev/shm")

mkdir -p "$root/work/parley/scripts"
cp "$here/scripts/install-peers.sh" "$here/scripts/check-fresh-install.sh" "$root/work/parley/scripts/"
# Playwright's driver, if this machine restored the NuGet package (it is not a Debian package).
pw=$(ls -d /root/.nuget/packages/microsoft.playwright/*/.playwright /opt/nuget/packages/microsoft.playwright/*/.playwright 2>/dev/null | sort -V | tail -1 || true)
[ -z "$pw" ] || { mkdir -p "$root/work/playwright"; cp -a "$pw/package" "$root/work/playwright/"; mkdir -p "$root/work/playwright/node/linux-x64"; cp "$pw/node/linux-x64/node" "$root/work/playwright/node/linux-x64/"; }

in_root() { chroot "$root" env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root CI=true "$@" </dev/null; }
in_root sh -c 'cd /work/parley && bash scripts/install-peers.sh' >"$root/root/install-peers.log" 2>&1 \
  || { tail -30 "$root/root/install-peers.log" >&2; echo "check-fresh-install: install-peers.sh FAILED" >&2; exit 1; }
t2=$(date +%s)
tail -1 "$root/root/install-peers.log"
chroot "$root" dpkg-query -W -f='${Package}\n' | sort >"$root/root/packages-after.txt"
added=$(comm -13 "$root/root/packages-minbase.txt" "$root/root/packages-after.txt")
echo "check-fresh-install: install-peers.sh in $((t2 - t1)) s added $(wc -l <<<"$added") packages ($(du -sh --one-file-system "$root" | cut -f1) now):"
echo "$added" | paste -sd' ' | fold -s -w 120 | sed 's/^/  /'

in_root bash /work/parley/scripts/check-fresh-install.sh --exercise
t3=$(date +%s)
[ ! -f "$root/tmp/parley-check-shot.png" ] || cp "$root/tmp/parley-check-shot.png" /tmp/parley-fresh-shot.png
[ ! -f "$root/tmp/parley-check-playwright.png" ] || cp "$root/tmp/parley-check-playwright.png" /tmp/parley-fresh-playwright.png
echo "check-fresh-install: checks in $((t3 - t2)) s; screenshots in /tmp/parley-fresh-*.png; total $((t3 - t0)) s"
