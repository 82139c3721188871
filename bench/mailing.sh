#!/usr/bin/env bash
# The mailing benchmark of issue 17 (a benchmark, not a test): a mailing to N contacts (default 10,000), one template with
# three fields in two languages (every other contact reads French), through bench/outbound.sh's whole-process set-up into
# smtp-sink. Reports how long until every recipient is queued (rendered, chatter line and outbox row written; target
# <= 10 s), the delivery rate, Parley's RSS samples (memory should stay flat) and how fast the mailing's counts answer
# while it runs (GET /api/v1/mailings/{id}, the reads the mailing page makes; target <= 100 ms).
# SQLite by default; MAILING_DATABASE="Host=…;Database=…;Username=…" runs it on PostgreSQL.
# Usage: bench/mailing.sh [N]. Last line: "mailing: queued_s=… msgs_per_s=… get_ms_p50=… get_ms_max=… peak_rss_mb=…".
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-10000}"
out=$(OUTBOUND_MODE=mailing OUTBOUND_LANGUAGES=2 OUTBOUND_WARMUP="${MAILING_WARMUP:-1000}" OUTBOUND_DATABASE="${MAILING_DATABASE:-}" \
  bash bench/outbound.sh "$n" | tee /dev/stderr)
value() { echo "$out" | sed -n "s/^parley: $1=//p" | tail -1; }
echo "mailing: queued_s=$(value parley_posted_s) msgs_per_s=$(value parley_msgs_per_s) get_ms_p50=$(value parley_mailing_get_ms_p50) get_ms_max=$(value parley_mailing_get_ms_max) peak_rss_mb=$(value parley_peak_rss_mb)"
