"""Evaluation rate of Debian's python3-spf over the openspf RFC 7208 suite, zonedata served from memory.

pyspf's DNS entry point (spf.DNSLookup) is replaced by a function serving each scenario's zonedata with
the suite's own driver semantics (pyspf test/testspf.py): absent name -> no records (NXDOMAIN), TIMEOUT ->
spf.TempError, SPF-type records also served as TXT unless the name lists TXT. Run with /usr/bin/python3 -I.
Prints "pyspf_evals_per_sec=<rate>" on the last line.
"""
import sys
import time

import spf
import yaml

ZONE = {}


def load(path):
    work = []
    with open(path, 'rb') as f:
        docs = list(yaml.safe_load_all(f))
    for doc in docs:
        zone = {}
        for name, records in (doc.get('zonedata') or {}).items():
            out, generated, lists_txt = [], [], False
            for entry in records:
                if entry == 'TIMEOUT':
                    out.append('TIMEOUT')
                    continue
                for rtype, value in entry.items():
                    if rtype == 'TXT':
                        lists_txt = True
                    if value == 'NONE':
                        continue
                    if rtype in ('TXT', 'SPF'):
                        strings = value if isinstance(value, list) else [value]
                        value = tuple(s.encode('utf-8') for s in strings)
                        if rtype == 'SPF':
                            generated.append(('TXT', value))
                            continue
                    elif rtype == 'MX':
                        value = (value[0], value[1])
                    out.append((rtype, value))
            if not lists_txt:
                out.extend(generated)
            # keep TIMEOUT after the records, as in the suite
            out.sort(key=lambda r: r == 'TIMEOUT')
            zone[name.lower().rstrip('.')] = out
        for test in doc['tests'].values():
            work.append((zone, str(test['host']), test.get('mailfrom') or '', test.get('helo') or ''))
    return work


def lookup(name, qtype, *args, **kwargs):
    records = ZONE.get(name.lower().rstrip('.'))
    if records is None:
        return []
    result, answered = [], False
    for record in records:
        if record == 'TIMEOUT':
            if not answered:
                raise spf.TempError('DNS timeout')
            break
        rtype, value = record
        if rtype == qtype:
            answered = True
        result.append(((name, rtype), value))
    return result


spf.DNSLookup = lookup


def run(work, duration):
    global ZONE
    count = 0
    end = time.perf_counter() + duration
    while time.perf_counter() < end:
        for zone, ip, mailfrom, helo in work:
            ZONE = zone
            try:
                spf.check2(i=ip, s=mailfrom, h=helo)
            except Exception:
                pass  # a crash in pyspf still cost an evaluation
            count += 1
    return count


def main():
    path = sys.argv[1]
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
    work = load(path)
    run(work, 0.5)
    start = time.perf_counter()
    count = run(work, seconds)
    elapsed = time.perf_counter() - start
    print('cases=%d evaluations=%d seconds=%.2f' % (len(work), count, elapsed))
    print('pyspf_evals_per_sec=%.0f' % (count / elapsed))


if __name__ == '__main__':
    main()
