#!/usr/bin/env bash
# Installs the Debian packages Parley's tests run against (real peers, no mocks):
# postfix's smtp-sink/smtp-source, swaks, dovecot, DKIM/SPF cross-checkers, PostgreSQL,
# dnsmasq and Chromium. Services are not started here: each test starts its own on loopback.
#
# apt-get runs with --no-install-recommends, so every module a peer only *recommends* but a test
# needs is named here (swaks's STARTTLS needs Net::SSLeay and IO::Socket::SSL). The checks at the
# end prove each peer can do what the tests ask of it, on a new machine as on an old one.
set -euo pipefail

packages=(
  postfix                                   # smtp-sink, smtp-source (relay and load peers)
  swaks libnet-ssleay-perl libio-socket-ssl-perl   # real SMTP client; -tls needs both Perl modules
  dovecot-imapd dovecot-pop3d               # mailboxes to fetch from
  opendkim-tools                            # opendkim-testmsg, an independent DKIM verifier
  python3-dkim python3-nacl python3-dnspython python3-spf   # DKIM (RSA, Ed25519) and SPF cross-checks
  postgresql                                # the scale-out database
  chromium fonts-dejavu-core                # the browser tests (a font so pages render text)
  dnsmasq-base                              # real DNS on loopback
  sqlite3 openssl util-linux coreutils ca-certificates
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-peers: all test peers are installed."
else
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  # postfix must not ask its configuration question, and must not start a system MTA.
  echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
  echo "install-peers: installing ${missing[*]}"
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# What the tests need of each peer, checked rather than assumed.
fail=0
need() { # need DESCRIPTION COMMAND...
  local what=$1; shift
  if ! "$@" >/dev/null 2>&1; then echo "install-peers: MISSING: $what ($*)" >&2; fail=1; fi
}
need "swaks with STARTTLS" perl -MNet::SSLeay -MIO::Socket::SSL -e 1
need "swaks" sh -c 'swaks --version'
need "python3-dkim with Ed25519, python3-spf" /usr/bin/python3 -I -c 'import dkim, nacl.signing, spf, dns.resolver'
need "smtp-sink and smtp-source" sh -c 'command -v /usr/sbin/smtp-sink && command -v /usr/sbin/smtp-source'
need "opendkim-testmsg" test -x /usr/sbin/opendkim-testmsg
need "dovecot" test -x /usr/sbin/dovecot
need "dnsmasq" test -x /usr/sbin/dnsmasq
need "PostgreSQL initdb and pg_ctl" sh -c 'ls /usr/lib/postgresql/*/bin/initdb /usr/lib/postgresql/*/bin/pg_ctl'
need "chromium" test -x /usr/bin/chromium
need "unshare and runuser" sh -c 'command -v unshare && command -v runuser'
if [ "$fail" -ne 0 ]; then
  echo "install-peers: a peer the tests need is missing (see above)." >&2
  exit 1
fi
echo "install-peers: every peer the tests need is ready."
