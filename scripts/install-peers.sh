#!/usr/bin/env bash
# Installs the Debian packages Parley's tests run against (real peers, no mocks):
# postfix's smtp-sink/smtp-source, swaks, dovecot, DKIM/SPF cross-checkers, PostgreSQL,
# dnsmasq and Chromium. Services are not started here: each test starts its own on loopback.
#
# apt-get runs with --no-install-recommends, so every module a peer only *recommends* but a test
# needs is named here (swaks's STARTTLS needs Net::SSLeay and IO::Socket::SSL). The checks at the
# end prove each peer can do what the tests ask of it, on a new machine as on an old one.
# scripts/check-fresh-install.sh proves this script on a minimal Debian 12 root (docs/TESTING.md).
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
  openssl                                   # test certificates (dovecot STARTTLS); brings libssl3, which .NET's SslStream loads
  util-linux mount coreutils                # runuser, unshare; mount --bind (opendkim-testmsg); timeout, chown
  sqlite3 ca-certificates
  curl                                      # scrapes /metrics as Prometheus would (MetricsEndToEndTests)
  systemd                                   # systemd-analyze verify checks deploy/parley.service
  tzdata                                    # .NET's TimeZoneInfo reads /usr/share/zoneinfo (optional priority from Debian 13 on)
  spamassassin spamd spamc rspamd           # the spam test's optional engines (SpamEngineTests; spamd is its own package in Debian 12)
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
  # Nor must dovecot or PostgreSQL start as system services (on *:143/110 and 5432) where nothing else
  # stops them (a bare machine with systemd; container images usually ship such a policy-rc.d already).
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\n# install-peers.sh: no service starts while it installs\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod 755 /usr/sbin/policy-rc.d
    trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
  fi
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
need "dovecot that starts" /usr/sbin/dovecot --version
need "dnsmasq that starts" /usr/sbin/dnsmasq --version
need "PostgreSQL initdb, pg_ctl and createdb" sh -c 'ls /usr/lib/postgresql/*/bin/initdb /usr/lib/postgresql/*/bin/pg_ctl /usr/lib/postgresql/*/bin/createdb'
need "the users peers run as (postgres, dovecot, dovenull, nobody:nogroup)" getent passwd postgres dovecot dovenull nobody
need "group nogroup" getent group nogroup
need "chromium that starts (its shared libraries)" /usr/bin/chromium --version
need "a font, so Chromium renders text in screenshots" sh -c 'find /usr/share/fonts -name "*.ttf" | grep -q .'
need "openssl (test certificates)" openssl version
need "unshare, mount, runuser, timeout and chown" sh -c 'command -v unshare && command -v mount && command -v runuser && command -v timeout && command -v chown'
need "/etc/resolv.conf, which opendkim-testmsg's private mount namespace binds over" test -f /etc/resolv.conf
# Not peers, but what .NET itself loads (the SDK comes as a tarball, which brings none of it): ICU for the
# SDK (libicu72), OpenSSL for SslStream (libssl3), zlib, GSSAPI (libgssapi-krb5-2), the time-zone database.
need ".NET's native libraries (libicu72 libssl3 zlib1g libgssapi-krb5-2)" sh -c \
  'ldconfig -p | grep -q "libicuuc\.so\.[0-9]" && ldconfig -p | grep -q "libssl\.so\.3 " && ldconfig -p | grep -q "libz\.so\.1 " && ldconfig -p | grep -q "libgssapi_krb5\.so\.2 "'
need ".NET's time-zone database (tzdata)" test -f /usr/share/zoneinfo/UTC
need "systemd-analyze (checks deploy/parley.service)" systemd-analyze --version
need "curl (scrapes /metrics)" curl --version
need "spamd, spamc and its rules" sh -c 'test -x /usr/sbin/spamd && command -v spamc && ls /usr/share/spamassassin/*.cf'
need "rspamd with its configuration and user" sh -c 'rspamd --version && test -f /etc/rspamd/rspamd.conf && getent passwd _rspamd'
if [ "$fail" -ne 0 ]; then
  echo "install-peers: a peer the tests need is missing (see above)." >&2
  exit 1
fi
echo "install-peers: every peer the tests need is ready."
