#!/usr/bin/env python3
"""bench/soak: an hour of mixed load with a worker killed every 30 s; does the process tree's memory level off?

A daemon started here (its own cache folder and reports database in a temporary folder, a 50M cache so that old
readings are evicted) serves four clients for DURATION, each picking in turn one of:
  reading   POST /v1/readings of a sample page made new by a numbered sentence, its audio.ogg whole, marks.json
  cached    GET audio.ogg of a reading made before, whole or a Range of it
  speech    POST /v1/speech in fr, ar or zgh, as WAV or Ogg
  report    POST /v1/reports on a word of a public reading
  private   POST /v1/readings with Qari-Privacy: private, then its audio.ogg
Every 30 s one worker (speech, pages, diacritizer in turn) gets SIGKILL. Every minute: the PSS of the daemon and all
its descendants (the tree) and the daemon's own RSS. Responses are counted ok, refused (429/503 with Retry-After,
retried after the delay), gone (404: a reading evicted) or cut (a body that ended early, a reset connection): a cut
request is tried once more ("retried"), and a cut is put down to a kill when it comes within KILL_WINDOW s after one.
At the end: bench/results/soak-YYYYMMDD.csv and .svg, the slope of the tree's memory over the last 30 minutes
(least squares), and PASS/FAIL against the target (slope <= 5 MB/h; no cut but those of killed workers, all retried).

Usage: python3 bench/soak.py [--minutes 60] [--qari .build/debug/qari] [--out bench/results] [--private-memory 32M]
"""
import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from reading_cost import tree_pss  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
CLIENTS = 4
KILL_EVERY = 30
KILL_WINDOW = 5.0
TARGET_SLOPE = 5.0  # MB per hour over the last 30 minutes
WINDOW_MINUTES = 30
MIX = [("reading", 3), ("cached", 4), ("speech", 3), ("report", 2), ("private", 2)]
KINDS = [kind for kind, _ in MIX]
SENTENCE = {"fr": "Avis numéro {n} du service.", "ar": "إشعار رقم {n} من المصلحة.", "zgh": "ⴰⵎⵙⵙⴰⵏ {n}."}
SPEECH = {
    "fr": ["Le certificat de résidence est délivré le jour même.", "Votre demande numéro {n} a bien été reçue."],
    "ar": ["يمكنكم طلب نسخة من رسم الولادة عبر البوابة.", "تم تسجيل طلبكم رقم {n} بنجاح."],
    "zgh": ["ⴰⵣⵓⵍ ⴼⵍⵍⴰⵡⵏ. ⵜⵉⵏⵓⴼⴰ ⵜⵉⴳⴷⵓⴷⴰⵏⵉⵏ ⵏ ⵍⵎⵖⵔⵉⴱ.", "ⴰⵎⵙⵙⴰⵏ {n}."],
}


class Cut(Exception):
    """The response's body ended early or the connection was reset."""


class Hung(Exception):
    """No answer within the client's timeout."""


def rss_mb(pid):
    """The daemon's own resident memory, in MB."""
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / 1024


def children(pid):
    """The daemon's child processes, from /proc/PID/task/*/children."""
    out = set()
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/children") as f:
                out |= {int(p) for p in f.read().split()}
        except OSError:
            pass
    return out


class Soak:
    def __init__(self, qari, seconds, private_memory):
        self.seconds = seconds
        self.private_memory = private_memory
        self.folder = tempfile.mkdtemp(prefix="qari-soak-")
        self.port = random.randint(20000, 40000)
        env = dict(os.environ, QARI_LIMITS_REQUESTS_PER_MINUTE="100000000", QARI_LIMITS_REQUESTS_BURST="1000000",
                   QARI_LIMITS_READINGS_PER_MINUTE="100000000", QARI_LIMITS_READINGS_BURST="1000000",
                   QARI_LIMITS_REPORTS_PER_HOUR="100000000", QARI_LIMITS_CONCURRENT_PER_CLIENT="1000")
        self.log = open(os.path.join(self.folder, "daemon.log"), "w")
        self.daemon = subprocess.Popen(
            [qari, "serve", "--port", str(self.port), "--cache-directory", self.folder + "/cache",
             "--reports-db", self.folder + "/reports.sqlite", "--cache-size", "50M", "--log-level", "warning",
             "--private-memory", self.private_memory],
            stdout=subprocess.DEVNULL, stderr=self.log, env=env)
        self.lock = threading.Lock()
        self.public = []  # (id, ogg path, passages) of public readings made, newest last
        self.serial = 0
        self.counts = {k: 0 for k in ("ok", "refused", "gone", "cut", "cut_after_kill", "retried", "retried_ok",
                                      "hung", "other")}
        self.refused_codes = {}
        self.other = []
        self.per_minute = [dict.fromkeys(KINDS, 0)]
        self.kills = []  # (time, kind, pid)
        self.samples = []  # (minute, tree MB, daemon MB, requests by kind that minute)
        self.held = []  # (private readings' MB, private readings, cache evictions so far) at each sample
        self.uncached = 0
        self.stop = threading.Event()
        self.pages = []
        for name in sorted(os.listdir(os.path.join(ROOT, "samples", "pages"))):
            if name.startswith("sample-") and name.endswith(".html"):
                html = open(os.path.join(ROOT, "samples", "pages", name), encoding="utf-8").read()
                lang = html.split('<html lang="', 1)[1].split('"', 1)[0]
                self.pages.append((name, lang, html))
        deadline = time.time() + 60
        while True:
            try:
                if self.get_json("/health")[0] == 200:
                    break
            except (OSError, Cut, Hung):
                pass
            if time.time() > deadline or self.daemon.poll() is not None:
                raise RuntimeError("the daemon did not start; its log: " + self.log.name)
            time.sleep(0.2)
        self.voices = {}
        for voice in self.get_json("/v1/voices")[1]:
            self.voices.setdefault(voice["language"].split("-")[0], voice["id"])

    # HTTP, one connection a request.

    def exchange(self, method, path, body=None, headers=None, timeout=180):
        """(status, headers, body); Cut when the body ends early or the connection is reset, Hung on a timeout."""
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            c.request(method, path, body, headers or {})
            r = c.getresponse()
            data = r.read()
            length = r.getheader("Content-Length")
            if length is not None and len(data) != int(length):
                raise Cut(f"{len(data)} of {length} bytes")
            return r.status, r, data
        except socket.timeout as error:
            raise Hung(str(error)) from error
        except (http.client.IncompleteRead, http.client.RemoteDisconnected, ConnectionError) as error:
            raise Cut(repr(error)) from error
        finally:
            c.close()

    def get_json(self, path):
        status, _, data = self.exchange("GET", path, timeout=30)
        return status, json.loads(data) if status == 200 else None

    def call(self, kind, method, path, body=None, headers=None, expect=(200,)):
        """One request of the mix, counted: refused ones retried after Retry-After, a cut one retried once.
        The answer's (status, body), or None when it was not answered."""
        retried = False
        for _ in range(20):
            with self.lock:
                self.per_minute[-1][kind] += 1
            try:
                status, answer, data = self.exchange(method, path, body, headers)
            except Cut as error:
                now = time.time()
                with self.lock:
                    self.counts["cut"] += 1
                    after_kill = any(0 <= now - t <= KILL_WINDOW for t, _, _ in self.kills)
                    self.counts["cut_after_kill"] += after_kill
                    if retried:
                        self.other.append(f"{kind} {path}: cut again on its retry ({error})")
                        return None
                    self.counts["retried"] += 1
                    if not after_kill:
                        self.other.append(f"{kind} {path}: cut {now - self.start:.0f} s in, no kill just before "
                                          f"({error})")
                retried = True
                continue
            except Hung as error:
                with self.lock:
                    self.counts["hung"] += 1
                    self.other.append(f"{kind} {path}: hung ({error})")
                return None
            after = answer.getheader("Retry-After")
            if status in (429, 503) and after is not None:
                code = json.loads(data).get("type", "").rsplit(":", 1)[-1] if data else ""
                with self.lock:
                    self.counts["refused"] += 1
                    self.refused_codes[code or str(status)] = self.refused_codes.get(code or str(status), 0) + 1
                time.sleep(min(float(after), 30))
                continue
            with self.lock:
                if retried and status in expect:
                    self.counts["retried_ok"] += 1
                if status in expect:
                    self.counts["ok"] += 1
                elif status == 404:
                    self.counts["gone"] += 1
                else:
                    self.counts["other"] += 1
                    self.other.append(f"{kind} {path}: {status} {data[:200]!r}")
            return status, data
        return None

    # The mix.

    def page(self, private):
        name, lang, html = random.choice(self.pages)
        with self.lock:
            self.serial += 1
            n = self.serial
        sentence = SENTENCE.get(lang, SENTENCE["fr"]).format(n=n)
        made = html.replace("<p>", f"<p>{sentence} ", 1)
        return made.encode()

    def reading(self, private=False):
        kind = "private" if private else "reading"
        headers = {"Content-Type": "text/html"}
        if private:
            headers["Qari-Privacy"] = "private"
        answer = self.call(kind, "POST", "/v1/readings", self.page(private), headers, expect=(200, 201))
        if not answer or answer[0] not in (200, 201):
            return
        made = json.loads(answer[1])
        if made.get("cached"):
            with self.lock:
                self.uncached += 1  # a page that came back already made: its sentence was not read
        if not self.call(kind, "GET", made["audio"]["ogg"]):
            return
        if private:
            return
        self.call(kind, "GET", made["marks"]["json"])
        with self.lock:
            self.public.append((made["id"], made["audio"]["ogg"], made["passages"]))
            del self.public[:-300]

    def cached(self):
        with self.lock:
            made = random.choice(self.public) if self.public else None
        if made is None:
            return self.reading()
        _, ogg, _ = made
        headers = {}
        if random.random() < 0.5:
            start = random.randint(0, 20000)
            headers["Range"] = f"bytes={start}-{start + random.randint(1000, 40000)}"
        self.call("cached", "GET", ogg, headers=headers, expect=(200, 206))

    def speech(self):
        lang = random.choice(["fr", "ar", "zgh"])
        with self.lock:
            self.serial += 1
            n = self.serial
        text = random.choice(SPEECH[lang]).format(n=n)
        body = json.dumps({"text": text, "voice": self.voices.get(lang, lang), "format": random.choice(["wav", "ogg"])})
        self.call("speech", "POST", "/v1/speech", body.encode(), {"Content-Type": "application/json"})

    def report(self):
        with self.lock:
            made = random.choice(self.public) if self.public else None
        if made is None:
            return self.reading()
        reading, _, passages = made
        index = random.randrange(len(passages))
        text = passages[index]["text"]
        words, start = [], 0
        for word in text.split(" "):
            if any(c.isalnum() for c in word):
                words.append((start, start + len(word)))
            start += len(word) + 1
        if not words:
            return
        s, e = random.choice(words)
        body = json.dumps({"reading": reading, "passage": index, "start": s, "end": e, "note": "soak"})
        self.call("report", "POST", "/v1/reports", body.encode(), {"Content-Type": "application/json"},
                  expect=(201,))

    def client(self):
        kinds, weights = zip(*MIX)
        while not self.stop.is_set():
            kind = random.choices(kinds, weights)[0]
            try:
                {"reading": self.reading, "cached": self.cached, "speech": self.speech, "report": self.report,
                 "private": lambda: self.reading(private=True)}[kind]()
            except Exception as error:  # noqa: BLE001 - counted and shown, the soak goes on
                with self.lock:
                    self.counts["other"] += 1
                    self.other.append(f"{kind}: {error!r}")
                time.sleep(1)

    # Kills and memory.

    def kill(self, number):
        kind = ["speech", "pages", "diacritizer"][number % 3]
        try:
            status, health = self.get_json("/health")
            pids = [w["pid"] for w in health[kind]["workers"]] if health else []
        except (OSError, Cut, Hung, KeyError):
            pids = []
        pids = [p for p in pids if p in children(self.daemon.pid)]
        if not pids:
            print(f"  no {kind} worker to kill at {time.time() - self.start:.0f} s", flush=True)
            return
        pid = random.choice(pids)
        try:
            os.kill(pid, signal.SIGKILL)
            with self.lock:
                self.kills.append((time.time(), kind, pid))
        except ProcessLookupError:
            pass

    def metrics(self):
        """The private readings' MB and the cache's evictions so far, from /metrics (what the memory holds)."""
        try:
            _, _, data = self.exchange("GET", "/metrics", timeout=30)
        except (OSError, Cut, Hung):
            return {}
        values = {}
        for line in data.decode().splitlines():
            name, _, value = line.partition(" ")
            if name in ("qari_private_bytes", "qari_private_readings", "qari_cache_evictions_total"):
                values[name] = float(value)
        return values

    def sample(self, minute):
        tree, parts = tree_pss(self.daemon.pid)
        own = rss_mb(self.daemon.pid)
        m = self.metrics()
        private = m.get("qari_private_bytes", 0) / 1e6
        with self.lock:
            done = self.per_minute[-1]
            self.per_minute.append(dict.fromkeys(KINDS, 0))
            self.samples.append((minute, tree, own, done))
            self.held.append((private, int(m.get("qari_private_readings", 0)),
                              int(m.get("qari_cache_evictions_total", 0))))
            counts = dict(self.counts)
        print(f"minute {minute:3}: tree {tree:6.1f} MB ({parts}), daemon RSS {own:6.1f} MB, private readings "
              f"{self.held[-1][1]} ({private:.1f} MB), cache evictions {self.held[-1][2]}; "
              f"{sum(done.values())} requests; {counts}; kills {len(self.kills)}", flush=True)

    def run(self):
        self.start = time.time()
        threads = [threading.Thread(target=self.client, daemon=True) for _ in range(CLIENTS)]
        self.sample(0)
        for t in threads:
            t.start()
        minutes, kills = 0, 0
        end = self.start + self.seconds
        while True:
            next_kill = self.start + (kills + 1) * KILL_EVERY
            next_minute = self.start + (minutes + 1) * 60
            moment = min(next_kill, next_minute)
            if moment > end + 0.5:
                break
            time.sleep(max(0, moment - time.time()))
            if self.daemon.poll() is not None:
                raise RuntimeError(f"the daemon exited ({self.daemon.returncode}); its log: {self.log.name}")
            if moment == next_minute:
                minutes += 1
                self.sample(minutes)
            if moment == next_kill and moment < end - 1:
                self.kill(kills)
                kills += 1
            elif moment == next_kill:
                kills += 1
        self.stop.set()
        for t in threads:
            t.join(timeout=240)

    def close(self):
        self.daemon.send_signal(signal.SIGTERM)
        try:
            self.daemon.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.daemon.kill()
        self.log.close()


def slope(points):
    """Least-squares (slope per minute, intercept) of (minute, MB) points."""
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    b = sum((x - mx) * (y - my) for x, y in points) / sxx if sxx else 0.0
    return b, my - b * mx


def svg(samples, fit, first, title):
    """Memory over time, both series, the fitted line over the last window: a hand-written SVG."""
    w, h, left, right, top, bottom = 820, 460, 70, 20, 50, 60
    last = max(m for m, *_ in samples) or 1
    high = max(max(t, d) for _, t, d, _ in samples)
    step = next(s for s in (10, 20, 25, 50, 100, 200, 250, 500, 1000) if high / s <= 8)
    top_mb = step * (int(high / step) + 1)
    mstep = next(s for s in (1, 2, 5, 10, 15, 30) if last / s <= 12)

    def x(m):
        return left + (w - left - right) * m / last

    def y(mb):
        return h - bottom - (h - top - bottom) * mb / top_mb
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
           'font-family="sans-serif" font-size="12">',
           f'<rect width="{w}" height="{h}" fill="white"/>',
           f'<text x="{w / 2}" y="22" text-anchor="middle" font-size="15">{title}</text>']
    for k in range(0, int(top_mb / step) + 1):
        mb = k * step
        out.append(f'<line x1="{left}" x2="{w - right}" y1="{y(mb):.1f}" y2="{y(mb):.1f}" stroke="#e4e4e4"/>')
        out.append(f'<text x="{left - 6}" y="{y(mb) + 4:.1f}" text-anchor="end">{mb}</text>')
    for m in range(0, last + 1, mstep):
        out.append(f'<line x1="{x(m):.1f}" x2="{x(m):.1f}" y1="{h - bottom}" y2="{h - bottom + 5}" stroke="black"/>')
        out.append(f'<text x="{x(m):.1f}" y="{h - bottom + 19}" text-anchor="middle">{m}</text>')
    out.append(f'<line x1="{left}" x2="{w - right}" y1="{h - bottom}" y2="{h - bottom}" stroke="black"/>')
    out.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{h - bottom}" stroke="black"/>')
    out.append(f'<text x="{(left + w - right) / 2}" y="{h - 18}" text-anchor="middle">minutes</text>')
    out.append(f'<text x="18" y="{(top + h - bottom) / 2}" text-anchor="middle" '
               f'transform="rotate(-90 18 {(top + h - bottom) / 2})">memory (MB)</text>')
    for index, (colour, name) in enumerate([("#1f5fbf", "process tree (PSS, daemon and workers)"),
                                            ("#d9822b", "daemon alone (RSS)")]):
        points = " ".join(f"{x(m):.1f},{y(s[index]):.1f}" for m, *s in [(m, t, d) for m, t, d, _ in samples])
        out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        out.append(f'<line x1="{left + 14}" x2="{left + 40}" y1="{top + 10 + 18 * index}" '
                   f'y2="{top + 10 + 18 * index}" stroke="{colour}" stroke-width="2"/>')
        out.append(f'<text x="{left + 46}" y="{top + 14 + 18 * index}">{name}</text>')
    b, a = fit
    out.append(f'<line x1="{x(first):.1f}" y1="{y(a + b * first):.1f}" x2="{x(last):.1f}" y2="{y(a + b * last):.1f}" '
               'stroke="#c0392b" stroke-width="2" stroke-dasharray="6 4"/>')
    out.append(f'<line x1="{left + 14}" x2="{left + 40}" y1="{top + 46}" y2="{top + 46}" stroke="#c0392b" '
               'stroke-width="2" stroke-dasharray="6 4"/>')
    out.append(f'<text x="{left + 46}" y="{top + 50}">tree, least squares over the last {last - first} minutes: '
               f'{b * 60:+.2f} MB/h</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=60)
    parser.add_argument("--qari", default=os.path.join(ROOT, ".build", "debug", "qari"))
    parser.add_argument("--out", default=os.path.join(ROOT, "bench", "results"))
    # Small enough that the private readings reach their bound in the first half hour: the last half then shows
    # whether anything else grows, not the bound being filled.
    parser.add_argument("--private-memory", default="32M", help="the daemon's private.memory (default 32M)")
    args = parser.parse_args()
    seconds = int(args.minutes * 60)
    soak = Soak(os.path.abspath(args.qari), seconds, args.private_memory)
    print(f"soak: {args.qari}, {CLIENTS} clients for {seconds / 60:.0f} min, a worker killed every {KILL_EVERY} s; "
          f"daemon {soak.daemon.pid} on port {soak.port}, folder {soak.folder}", flush=True)
    try:
        soak.run()
        status, health = soak.get_json("/health")
    finally:
        soak.close()
    samples = soak.samples
    last = samples[-1][0]
    first = max(0, last - WINDOW_MINUTES)
    fit = slope([(m, t) for m, t, _, _ in samples if m >= first])
    per_hour = fit[0] * 60
    day = time.strftime("%Y%m%d", time.gmtime(soak.start))
    os.makedirs(args.out, exist_ok=True)
    csv = os.path.join(args.out, f"soak-{day}.csv")
    with open(csv, "w") as f:
        f.write("minute,tree_mb,daemon_mb," + ",".join(KINDS) + ",private_mb,cache_evictions\n")
        for (m, t, d, done), (private, _, evictions) in zip(samples, soak.held):
            f.write(f"{m},{t:.1f},{d:.1f}," + ",".join(str(done[k]) for k in KINDS) + f",{private:.1f},{evictions}\n")
    plot = os.path.join(args.out, f"soak-{day}.svg")
    with open(plot, "w") as f:
        f.write(svg(samples, fit, first, f"Qari soak {day}: {CLIENTS} clients, {last} min, "
                                         f"a worker killed every {KILL_EVERY} s ({len(soak.kills)} kills)"))
    c = soak.counts
    totals = {k: sum(done[k] for _, _, _, done in samples) + soak.per_minute[-1][k] for k in KINDS}
    killed = {k: sum(1 for _, kind, _ in soak.kills if kind == k) for k in ("speech", "pages", "diacritizer")}
    print(f"\nwrote {csv} and {plot}")
    print(f"memory: tree {samples[0][1]:.1f} MB at start, {samples[1][1] if len(samples) > 1 else 0:.1f} MB after "
          f"a minute, {samples[-1][1]:.1f} MB at the end (max {max(s[1] for s in samples):.1f}); daemon RSS "
          f"{samples[0][2]:.1f} -> {samples[-1][2]:.1f} MB")
    print(f"slope of tree memory over minutes {first}-{last}: {per_hour:+.2f} MB/h (daemon RSS "
          f"{slope([(m, d) for m, _, d, _ in samples if m >= first])[0] * 60:+.2f} MB/h)")
    print(f"requests by kind: {totals} (total {sum(totals.values())}); "
          f"{soak.uncached} new pages came back already made")
    print(f"responses: ok {c['ok']}, refused {c['refused']} {soak.refused_codes} (retried after Retry-After), "
          f"gone (404, evicted) {c['gone']}, cut {c['cut']} ({c['cut_after_kill']} within {KILL_WINDOW:.0f} s after a "
          f"kill), retried {c['retried']} ({c['retried_ok']} answered on the retry), hung {c['hung']}, "
          f"other {c['other']}")
    print(f"kills: {len(soak.kills)} {killed}; daemon /health {status} "
          f"({health['status'] if health else '-'}) at the end")
    for line in soak.other[:20]:
        print("  " + line)
    unexplained = c["cut"] - c["cut_after_kill"]
    passed = (per_hour <= TARGET_SLOPE and unexplained == 0 and c["retried_ok"] == c["retried"]
              and c["hung"] == 0 and c["other"] == 0)
    print(f"{'PASS' if passed else 'FAIL'}  tree slope {per_hour:+.2f} MB/h (target <= {TARGET_SLOPE:.0f}); "
          f"{unexplained} cut responses not after a kill (target 0); {c['retried_ok']} of {c['retried']} cut "
          f"responses answered on their retry; {c['hung']} hung, {c['other']} other failures")
    if passed:
        shutil.rmtree(soak.folder, ignore_errors=True)
    else:
        print(f"the daemon's log and folder are kept: {soak.folder}")


if __name__ == "__main__":
    main()
