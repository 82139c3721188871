#!/usr/bin/env python3
"""Drives a running `parley serve` for bench/outbound.sh: configures it through the REST API, imports N
contacts, creates a ~4 KB template, then queues one templated email per contact with a few concurrent
HTTP clients and waits until smtp-sink has dumped N messages. Samples the server's RSS meanwhile.
Standard library only. Prints key=value lines."""
import argparse
import concurrent.futures
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse

FILLER = (
    "We are writing to confirm the details of your request and to share what happens next. "
    "Our team reviews every order by hand, so if anything looks wrong simply reply to this email "
    "and the message will reach the person handling your file. "
)


def send_mailing(api, template_id, tag):
    """Makes a mailing to the tag and sends it; returns its id (the worker queues it)."""
    mailing = api.call("POST", "/api/v1/mailings", {"name": f"Bench {tag}", "templateId": template_id, "tag": tag})
    api.call("POST", f"/api/v1/mailings/{mailing['id']}/send", {})
    return mailing["id"]


def queued_mailing(api, mailing_id, timeout):
    """Waits until every recipient of the mailing is queued (rendered, chatter line and outbox row written)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        mailing = api.call("GET", f"/api/v1/mailings/{mailing_id}")
        if mailing["queuedAt"] or mailing["state"] in ("sent", "cancelled"):
            return mailing
        time.sleep(0.02)
    sys.exit(f"mailing {mailing_id} was not queued within {timeout} s")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--api", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--sink-dir", required=True)
    p.add_argument("--sink-port", type=int, required=True)
    p.add_argument("--n", type=int, required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--timeout", type=float, default=900)
    p.add_argument("--warmup", type=int, default=0,
                   help="first send a mailing to this many other contacts (not counted), then pause 3 s: a server runs for days")
    p.add_argument("--mode", choices=["mailing", "per-message"], default="mailing",
                   help="mailing: one POST /api/v1/mailings for all N; per-message: one POST per contact")
    p.add_argument("--languages", type=int, choices=[1, 2], default=1,
                   help="2: every other contact reads French, and the template has a French translation (bench/mailing.sh)")
    a = p.parse_args()

    api = Api(a.api, a.token)
    api.call("PUT", "/api/v1/settings/alias-domain", {"domain": "bench.parley.test"})
    api.call("POST", "/api/v1/outgoing-servers",
             {"name": "smtp-sink", "host": "127.0.0.1", "port": a.sink_port, "security": "none", "priority": 10})
    language = (lambda i: "fr" if i % 2 == 0 else "") if a.languages == 2 else (lambda i: "")
    csv = "name,email,tags,language\n" + "".join(f"Contact {i},contact{i}@customer.test,bench,{language(i)}\n" for i in range(1, a.n + 1)) \
        + "".join(f"Warm-up {i},warmup{i}@customer.test,warmup,\n" for i in range(1, a.warmup + 1))
    imported = api.call("POST", "/api/v1/contacts/import", csv.encode(), content_type="text/csv")
    ids, seen = [], 0
    while len(ids) < a.n:
        page = api.call("GET", f"/api/v1/contacts?skip={seen}&take=500")
        if not page["items"]:
            break
        seen += len(page["items"])
        ids += [c["id"] for c in page["items"] if c["email"].startswith("contact") and c["email"].endswith("@customer.test")]
    if len(ids) < a.n:
        sys.exit(f"only {len(ids)} contacts after import: {imported}")
    body = "Hello {{ record.name }},\n\n" + (FILLER * 7) + "\n\nYour reference: {{ record.email }}\n\nBest regards,\n{{ user.name }}\n"
    template = api.call("POST", "/api/v1/templates",
                        {"name": "Bench", "recordType": "contact", "subject": "Your order, {{ record.name }}", "body": body})
    if a.languages == 2:
        api.call("PUT", f"/api/v1/templates/{template['id']}/translations/fr",
                 {"subject": "Votre commande, {{ record.name }}", "body": "Bonjour {{ record.name }},\n\n" + (FILLER * 7) + "\n\n{{ record.email }}\n"})

    def delivered():
        return sum(1 for name in os.listdir(a.sink_dir) if name.startswith("m."))

    if a.warmup:
        w0 = time.monotonic()
        send_mailing(api, template["id"], "warmup")
        while delivered() < a.warmup:
            if time.monotonic() - w0 > a.timeout:
                sys.exit(f"warm-up timed out: {delivered()} of {a.warmup} delivered")
            time.sleep(0.05)
        print(f"parley_warmup={a.warmup} in {time.monotonic() - w0:.2f} s ({a.warmup / (time.monotonic() - w0):.1f} msgs/s, from a cold start)")
        time.sleep(3)
    base = delivered()

    rss = RssSampler(a.pid)
    rss.start()
    local = threading.local()

    def post(contact_id):
        if not hasattr(local, "api"):
            local.api = Api(a.api, a.token)
        local.api.call("POST", f"/api/v1/records/contact/{contact_id}/messages",
                       {"kind": "email", "templateId": template["id"]})

    cpu0, own0 = cpu_seconds(a.pid), time.process_time()
    t0 = time.monotonic()
    if a.mode == "mailing":
        mailing_id = send_mailing(api, template["id"], "bench")
        probe = PageProbe(a.api, a.token, f"/api/v1/mailings/{mailing_id}")
        probe.start()
        result = queued_mailing(api, mailing_id, a.timeout)
        if result["total"] != a.n or result["suppressed"] or result["skipped"]:
            sys.exit(f"the mailing queued {result['total']} of {a.n} ({result['suppressed']} suppressed, {result['skipped']} skipped)")
    else:
        with concurrent.futures.ThreadPoolExecutor(a.concurrency) as pool:
            list(pool.map(post, ids[: a.n]))
    posted = time.monotonic() - t0
    delivered_when_posted = delivered() - base

    count = 0
    deadline = t0 + a.timeout
    while time.monotonic() < deadline:
        count = delivered() - base
        if count >= a.n:
            break
        time.sleep(0.05)
    elapsed = time.monotonic() - t0
    if a.mode == "mailing":
        probe.stop()
        print(f"parley_mailing_get_ms_p50={probe.percentile(50):.1f}")
        print(f"parley_mailing_get_ms_max={probe.percentile(100):.1f}")
    cpu, own = cpu_seconds(a.pid) - cpu0, time.process_time() - own0
    rss.stop()
    sample = next((os.path.join(a.sink_dir, f) for f in sorted(os.listdir(a.sink_dir)) if f.startswith("m.")), None)
    text = open(sample, encoding="utf-8", errors="replace").read() if sample else ""
    print(f"parley_mode={a.mode}")
    print(f"parley_posted_s={posted:.2f}")
    print(f"parley_delivered_while_queueing={delivered_when_posted}")
    print(f"parley_delivered={count}")
    print(f"parley_elapsed_s={elapsed:.2f}")
    print(f"parley_msgs_per_s={count / elapsed:.1f}")
    print(f"parley_peak_rss_mb={rss.peak_hwm_kb / 1024:.0f}")
    print(f"parley_rss_samples_mb={' '.join(str(round(kb / 1024)) for kb in rss.trail())}")
    print(f"parley_cpu_ms_per_msg={cpu * 1000 / max(count, 1):.2f}")
    print(f"parley_cpu_cores_busy={cpu / elapsed:.2f}")
    print(f"driver_cpu_ms_per_msg={own * 1000 / max(count, 1):.2f}")
    print(f"sample_bytes={len(text)}")
    print(f"sample_dkim={'yes' if 'DKIM-Signature:' in text else 'no'}")
    if count < a.n:
        sys.exit(f"timed out: the sink holds {count} of {a.n} messages after {elapsed:.0f} s")


def cpu_seconds(pid):
    """utime + stime of the process (all threads), from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Api:
    def __init__(self, base, token):
        u = urllib.parse.urlparse(base)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
        self.token = token

    def call(self, method, path, body=None, content_type="application/json"):
        headers = {"Authorization": f"Bearer {self.token}"}
        if body is not None:
            if not isinstance(body, bytes):
                body = json.dumps(body).encode()
            headers["Content-Type"] = content_type
        self.conn.request(method, path, body=body, headers=headers)
        r = self.conn.getresponse()
        data = r.read()
        if r.status >= 300:
            raise RuntimeError(f"{method} {path}: HTTP {r.status} {data[:500]!r}")
        return json.loads(data) if data else None


class PageProbe(threading.Thread):
    """Times GET of the mailing (its counts, as the mailing page reads them) every 200 ms while it runs."""

    def __init__(self, base, token, path):
        super().__init__(daemon=True)
        self.api, self.path, self.times, self.done = Api(base, token), path, [], threading.Event()

    def run(self):
        while not self.done.is_set():
            t = time.monotonic()
            self.api.call("GET", self.path)
            self.times.append((time.monotonic() - t) * 1000)
            self.done.wait(0.2)

    def stop(self):
        self.done.set()
        self.join()

    def percentile(self, p):
        if not self.times:
            return 0.0
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


class RssSampler(threading.Thread):
    """Reads VmRSS and VmHWM (peak RSS) of the server every 200 ms."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.samples, self.peak_hwm_kb, self._done = pid, [], 0, threading.Event()

    def run(self):
        while not self._done.is_set():
            self.read()
            self._done.wait(0.2)

    def read(self):
        with open(f"/proc/{self.pid}/status") as f:
            fields = dict(line.split(":", 1) for line in f if ":" in line)
        self.samples.append(int(fields["VmRSS"].split()[0]))
        self.peak_hwm_kb = max(self.peak_hwm_kb, int(fields["VmHWM"].split()[0]))

    def stop(self):
        self._done.set()
        self.join()
        self.read()

    def trail(self):
        step = max(1, len(self.samples) // 10)
        return self.samples[::step]


if __name__ == "__main__":
    main()
