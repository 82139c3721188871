#!/usr/bin/env python3
"""Writes N DMARC aggregate reports (RFC 7489 appendix C) for one policy domain into a folder, the way receivers
send them: most gzipped, some zipped, some plain XML; most with a few rows (a small business's daily report from
one receiver), a few with many (LARGE_ROWS rows, a big receiver on a busy day). Deterministic for a given seed, so
runs compare. Rows vary (addresses, counts, results) so the files compress like real ones, not like a bomb.

Usage: generate.py OUT_DIR N DOMAIN [--large K] [--large-rows R] [--seed S]
"""
import argparse
import gzip
import io
import random
import time
import zipfile
from pathlib import Path

REPORTERS = [("google.com", "noreply-dmarc-support@google.com"), ("yahoo.com", "dmarc_support@yahoo.com"),
             ("Outlook.com", "dmarcreport@microsoft.com"), ("mail.ru", "dmarc_support@corp.mail.ru"),
             ("web.de", "dmarc@web.de"), ("comcast.net", "dmarc_support@comcast.net")]
DKIM = ["pass"] * 8 + ["fail", "none"]
SPF = ["pass"] * 7 + ["fail", "softfail", "neutral"]


# A domain's senders as receivers see them: a few own servers, some forwarders and other services, and forgers, each
# coming back day after day (so a month of reports names a few thousand sources, not one per row).
OWN = [f"203.0.113.{i}" for i in range(1, 21)]
OTHERS = [f"198.51.{i // 250}.{i % 250 + 1}" for i in range(300)]
FORGERS = [f"192.0.{i // 250}.{i % 250 + 1}" for i in range(2000)]


def row(rng, domain):
    own = rng.random() < 0.7
    ip = rng.choice(OWN) if own else rng.choice(OTHERS if rng.random() < 0.5 else FORGERS)
    dkim, spf = (rng.choice(DKIM), rng.choice(SPF)) if own else (rng.choice(["fail", "none"]), rng.choice(["fail", "softfail", "pass"]))
    aligned_dkim = dkim == "pass" and own
    aligned_spf = spf == "pass" and own
    disposition = "none" if aligned_dkim or aligned_spf else rng.choice(["none", "quarantine", "reject"])
    selector = rng.choice(["parley1", "s1", "google"])
    spf_domain = domain if own else f"bounce{rng.randint(1, 50)}.example.net"
    return (f"<record><row><source_ip>{ip}</source_ip><count>{rng.randint(1, 400)}</count><policy_evaluated>"
            f"<disposition>{disposition}</disposition><dkim>{'pass' if aligned_dkim else 'fail'}</dkim>"
            f"<spf>{'pass' if aligned_spf else 'fail'}</spf></policy_evaluated></row>"
            f"<identifiers><header_from>{domain}</header_from></identifiers><auth_results>"
            f"<dkim><domain>{domain if own else 'example.net'}</domain><result>{dkim}</result><selector>{selector}</selector></dkim>"
            f"<spf><domain>{spf_domain}</domain><result>{spf}</result></spf></auth_results></record>\n")


def report(rng, domain, number, rows, day):
    org, email = REPORTERS[number % len(REPORTERS)]
    begin = day
    end = day + 86399
    head = (f'<?xml version="1.0" encoding="UTF-8" ?>\n<feedback>\n<version>1.0</version>\n<report_metadata>'
            f"<org_name>{org}</org_name><email>{email}</email><report_id>bench-{number}-{rng.getrandbits(40)}</report_id>"
            f"<date_range><begin>{begin}</begin><end>{end}</end></date_range></report_metadata>\n"
            f"<policy_published><domain>{domain}</domain><adkim>r</adkim><aspf>r</aspf><p>none</p><sp>none</sp>"
            f"<pct>100</pct></policy_published>\n")
    return (head + "".join(row(rng, domain) for _ in range(rows)) + "</feedback>\n").encode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("n", type=int)
    parser.add_argument("domain")
    parser.add_argument("--large", type=int, default=5)
    parser.add_argument("--large-rows", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    today = int(time.time()) // 86400 * 86400
    large = set(rng.sample(range(args.n), min(args.large, args.n)))
    total_rows = 0
    for i in range(args.n):
        rows = args.large_rows if i in large else max(1, int(rng.expovariate(1 / 4)))
        total_rows += rows
        day = today - 86400 * (1 + i % 30)
        xml = report(rng, args.domain, i, rows, day)
        org = REPORTERS[i % len(REPORTERS)][0].lower()
        name = f"{org}!{args.domain}!{day}!{day + 86399}!{i}"
        kind = i % 10
        if kind < 6:
            (out / f"{name}.xml.gz").write_bytes(gzip.compress(xml, 6))
        elif kind < 9:
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(f"{name}.xml", xml)
            (out / f"{name}.zip").write_bytes(buffer.getvalue())
        else:
            (out / f"{name}.xml").write_bytes(xml)
    print(f"rows={total_rows}")


if __name__ == "__main__":
    main()
