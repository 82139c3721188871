#!/usr/bin/env bash
# DKIM signing speed per message: Parley's signer (MimeKit) vs python3-dkim, RSA-2048 and
# Ed25519, on the same ~4 KB messages and keys. Last line: dkim: parley_rsa=… pydkim_rsa=… …
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
dotnet run --project bench/dkim -c Release -- "$out" 2000 | tee "$out/parley.txt"
/usr/bin/python3 -I bench/dkim/pydkim.py "$out" | tee "$out/py.txt"
rate() { grep "^$1:" "$2" | awk '{print $2}'; }
echo "dkim: parley_rsa=$(rate rsa "$out/parley.txt") pydkim_rsa=$(rate rsa "$out/py.txt") parley_ed25519=$(rate ed25519 "$out/parley.txt") pydkim_ed25519=$(rate ed25519 "$out/py.txt") (signatures/s, one core)"
