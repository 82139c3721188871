#!/usr/bin/env bash
# Installs the Debian packages Parley's tests run against (real peers, no mocks):
# postfix's smtp-sink/smtp-source, swaks, dovecot, DKIM/SPF cross-checkers, PostgreSQL,
# dnsmasq and Chromium. Services are not started here: each test starts its own on loopback.
set -euo pipefail

packages=(postfix swaks dovecot-imapd dovecot-pop3d opendkim-tools python3-dkim python3-spf
          postgresql chromium dnsmasq-base sqlite3 openssl util-linux)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-peers: all test peers are installed."
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# postfix must not ask its configuration question, and must not start a system MTA.
echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
echo "install-peers: installing ${missing[*]}"
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
