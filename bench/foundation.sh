#!/usr/bin/env bash
# Foundation figures for docs/PERFORMANCE.md: start-up time (process start → /healthz answers),
# memory at idle, and the time to open a chatter that holds 10,000 messages (the contact page,
# server-rendered, and the API timeline). Runs Parley in Release on loopback, cleans up.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v sqlite3 >/dev/null || { echo "needs sqlite3 (bash scripts/install-peers.sh)"; exit 1; }

dotnet build src/Parley -c Release -v q -nologo >/dev/null
dll=src/Parley/bin/Release/net10.0/parley.dll
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
smtp=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

dotnet "$dll" migrate --data-dir "$work" >/dev/null
start=$(date +%s.%N)
dotnet "$dll" serve --demo --data-dir "$work" --urls "http://127.0.0.1:$port" --smtp-listen "127.0.0.1:$smtp" >"$work/log" 2>&1 &
pid=$!
until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.02; done
ready=$(date +%s.%N)
startup=$(echo "$ready - $start" | bc)
sleep 5
idle_kb=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)

# 10,000 messages in the demo contact's chatter, written straight into the database.
sqlite3 "$work/parley.db" <<SQL
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
INSERT INTO Messages (RecordType, RecordId, Kind, AuthorName, BodyText, CreatedAt)
SELECT 'contact', 1, 'Note', 'Bench', 'Note number ' || i || ' with some text to render.', 638000000000000000 + i FROM n;
SQL
token=$(dotnet "$dll" token create --data-dir "$work" 2>/dev/null)
jar="$work/cookies"
csrf=$(curl -s -c "$jar" "http://127.0.0.1:$port/login" | grep -oP 'name="__RequestVerificationToken" type="hidden" value="\K[^"]+')
curl -s -b "$jar" -c "$jar" -o /dev/null -d "Email=admin@demo.parley.test&Password=parley-demo-password&__RequestVerificationToken=$csrf" "http://127.0.0.1:$port/login"

code=$(curl -s -b "$jar" -o "$work/page.html" -w "%{http_code}" "http://127.0.0.1:$port/contacts/1")
[ "$code" = 200 ] && grep -q "Note number 10000" "$work/page.html" || { echo "contact page did not render the chatter (HTTP $code)"; exit 1; }
page_times=(); api_times=()
for i in $(seq 1 11); do
  page_times+=("$(curl -s -b "$jar" -o /dev/null -w '%{time_total}' "http://127.0.0.1:$port/contacts/1")")
  api_times+=("$(curl -s -H "Authorization: Bearer $token" -o /dev/null -w '%{time_total}' "http://127.0.0.1:$port/api/v1/records/contact/1/messages")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
page_ms=$(echo "$(median "${page_times[@]}") * 1000" | bc)
api_ms=$(echo "$(median "${api_times[@]}") * 1000" | bc)
busy_kb=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
echo "startup_s=$startup idle_rss_mb=$((idle_kb / 1024)) rss_after_10k_chatter_mb=$((busy_kb / 1024))"
echo "foundation: startup=${startup}s idle_rss=$((idle_kb / 1024))MB chatter_10k_page=${page_ms}ms chatter_10k_api=${api_ms}ms"
