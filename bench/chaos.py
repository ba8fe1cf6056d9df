#!/usr/bin/env python3
"""bench/chaos: the daemon under faults and load, each figure against a baseline of the same run.

  catalogue   41 bad requests, each its precise status and problem (bench/chaos_catalogue.py)
  slow        SLOW clients (default 500) dribbling request heads: a normal client's latency against before
  overload    twice the sustainable load of Arabic page reads for DURATION s (default 60): accepted p50/p99
              against one client alone, refusals (503/429) and how fast they come, daemon memory, then normal
  kills       KILLS worker kills (default 1000, speech, diacritizer and pages) while clients read pages: responses
              complete, refused before audio, cut short, hung; daemon up and its memory, against the same load
              for as long with no kill on a fresh daemon (the memory growth that is the load's own)

Usage: bench/chaos [QARI]   (SLOW, DURATION, KILLS override; the release binary by default)
"""
import concurrent.futures
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
KEY = "chaos-key-" + "".join(random.choice("0123456789abcdef") for _ in range(24))
WORKERS = 2
SERIAL = 0


def rss_mb(pid):
    """Resident memory of the daemon alone, in MB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Daemon:
    def __init__(self, qari):
        self.port = random.randint(20000, 40000)
        self.cache = tempfile.mkdtemp(prefix="qari-chaos-")
        env = dict(os.environ, QARI_API_KEYS=KEY, QARI_LIMITS_REQUESTS_PER_MINUTE="100000000",
                   QARI_LIMITS_REQUESTS_BURST="10000000", QARI_LIMITS_READINGS_PER_MINUTE="100000000",
                   QARI_LIMITS_READINGS_BURST="10000000", QARI_LIMITS_CONCURRENT_PER_CLIENT="100000",
                   QARI_CONNECTIONS_HEADER_TIMEOUT="10")
        self.process = subprocess.Popen(
            [qari, "serve", "--port", str(self.port), "--workers-speech", str(WORKERS), "--cache-enabled", "false", "--log-level", "error"],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.cache, "log"), "w"), env=env)
        for _ in range(300):
            try:
                self.get("/health")
                return
            except Exception:
                time.sleep(0.1)
        raise RuntimeError("daemon did not start")

    def get(self, path, timeout=30):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        c.request("GET", path)
        r = c.getresponse()
        return r.status, r.read()

    def read(self, text, timeout=120):
        """POST /v1/read of a page never read before (a serial number in it, so nothing comes from a cache);
        (status, outcome, seconds): outcome complete, refused, cut or hung."""
        global SERIAL
        SERIAL += 1
        html = f"<html lang=ar><body><main><p>{text} {SERIAL}.</p></main></body></html>".encode()
        t0 = time.perf_counter()
        try:
            c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
            c.request("POST", "/v1/read", html, {"Content-Type": "text/html", "Authorization": f"Bearer {KEY}",
                                                  "Accept": "audio/ogg"})
            r = c.getresponse()
            if r.status != 200:
                r.read()
                return r.status, "refused", time.perf_counter() - t0
            r.read()
            return 200, "complete", time.perf_counter() - t0
        except http.client.IncompleteRead:
            return 200, "cut", time.perf_counter() - t0
        except socket.timeout:
            return 0, "hung", time.perf_counter() - t0
        except (ConnectionError, http.client.HTTPException):
            return 0, "cut", time.perf_counter() - t0

    def pids(self):
        _, body = self.get("/health")
        h = json.loads(body)
        return {name: [w["pid"] for w in h[name]["workers"]] for name in ("speech", "diacritizer", "pages")}

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)


def pct(values, p):
    return sorted(values)[min(len(values) - 1, int(len(values) * p))] if values else float("nan")


def sentences():
    path = os.path.join(ROOT, "samples", "texts", "ar_page.txt")
    text = open(path, encoding="utf-8").read()
    return [s.strip() for s in text.replace("\n", " ").split(".") if len(s.strip()) > 20]


def slow_clients(d, n):
    def health_latency(k):
        times = []
        for _ in range(k):
            t0 = time.perf_counter()
            d.get("/health")
            times.append((time.perf_counter() - t0) * 1000)
        return times
    before = health_latency(50)
    socks = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", d.port))
        s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        socks.append(s)
    stop = threading.Event()

    def dribble():
        while not stop.is_set():
            for s in socks:
                try:
                    s.sendall(b"a")
                except OSError:
                    pass
            time.sleep(2)
    t = threading.Thread(target=dribble)
    t.start()
    during = health_latency(50)
    time.sleep(12)  # past the header timeout (10 s here)
    closed = 0
    for s in socks:
        s.setblocking(False)
        try:
            closed += s.recv(1) == b""
        except BlockingIOError:
            pass
        except OSError:
            closed += 1
    stop.set()
    t.join()
    for s in socks:
        s.close()
    print(f"slow clients: {n} dribbling heads; /health median {statistics.median(before):.1f} ms before, "
          f"{statistics.median(during):.1f} ms during (x{statistics.median(during) / statistics.median(before):.2f}),"
          f" p99 {pct(during, 0.99):.1f} ms; {closed} of {n} cut off by the header timeout")


def overload(d, seconds):
    texts = sentences()
    # One client alone: the baseline latency; the sustainable load is one client per worker.
    alone = [d.read(random.choice(texts))[2] for _ in range(8)]
    clients = 2 * WORKERS * 2
    results = []
    lock = threading.Lock()
    stop = time.time() + seconds
    mem0 = rss_mb(d.process.pid)

    def client():
        while time.time() < stop:
            status, outcome, t = d.read(random.choice(texts))
            with lock:
                results.append((status, outcome, t))
            if outcome == "refused":
                time.sleep(0.2)
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        for f in [pool.submit(client) for _ in range(clients)]:
            f.result()
    mem1 = rss_mb(d.process.pid)
    ok = [t for s, o, t in results if o == "complete"]
    refused = [(s, t) for s, o, t in results if o == "refused"]
    after = [d.read(random.choice(texts))[2] for _ in range(4)]
    print(f"overload: {clients} clients (twice the {WORKERS} workers' sustainable load) for {seconds} s of Arabic "
          f"page reads")
    print(f"  one client alone: median {statistics.median(alone) * 1000:.0f} ms")
    print(f"  accepted {len(ok)}: p50 {pct(ok, 0.5) * 1000:.0f} ms, p99 {pct(ok, 0.99) * 1000:.0f} ms "
          f"(p99 / alone = {pct(ok, 0.99) / statistics.median(alone):.1f})")
    codes = sorted({s for s, _ in refused})
    print(f"  refused {len(refused)} ({codes}): p50 {pct([t for _, t in refused], 0.5) * 1000:.0f} ms, "
          f"p99 {pct([t for _, t in refused], 0.99) * 1000:.0f} ms")
    print(f"  cut or hung: {sum(1 for _, o, _ in results if o in ('cut', 'hung'))}; daemon memory "
          f"{mem0:.0f} -> {mem1:.0f} MB (+{mem1 - mem0:.1f}); right after: median "
          f"{statistics.median(after) * 1000:.0f} ms (x{statistics.median(after) / statistics.median(alone):.2f} alone)")


def kills(d, count, kill=True, seconds=None):
    """Clients read pages while a worker is killed every quarter second; without `kill`, the same load for
    `seconds` with no kill: the baseline that says which memory growth is the load's own. Returns the time."""
    texts = sentences()
    results = []
    lock = threading.Lock()
    done = threading.Event()
    mem0 = rss_mb(d.process.pid)

    def client():
        while not done.is_set():
            text = " . ".join(random.sample(texts, 3))
            r = d.read(text, timeout=90)
            with lock:
                results.append(r)
    killed = {"speech": 0, "diacritizer": 0, "pages": 0}
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(client) for _ in range(4)]
        t0 = time.time()
        warm = None
        while (time.time() - t0 < seconds) if seconds else sum(killed.values()) < count:
            if warm is None and ((time.time() - t0) * 10 >= seconds if seconds else sum(killed.values()) >= count // 10):
                warm = rss_mb(d.process.pid)  # after the first tenth: caches and pools warmed up
            time.sleep(0.25)
            if not kill:
                continue
            try:
                pids = d.pids()
            except Exception:
                continue
            kind = random.choice([k for k in pids if pids[k]] or ["speech"])
            if not pids.get(kind):
                continue
            try:
                os.kill(random.choice(pids[kind]), signal.SIGKILL)
                killed[kind] += 1
            except ProcessLookupError:
                pass
        done.set()
        for f in futures:
            f.result()
        elapsed = time.time() - t0
    up = d.get("/health")[0]
    mem1 = rss_mb(d.process.pid)
    outcomes = {o: sum(1 for _, oc, _ in results if oc == o) for o in ("complete", "refused", "cut", "hung")}
    if not kill:
        print(f"baseline: the same load for as long ({elapsed:.0f} s) on a fresh daemon, no kill: "
              f"responses {len(results)}: {outcomes}; memory {mem0:.0f} -> {mem1:.0f} MB "
              f"({warm or mem0:.0f} MB after the first tenth: {mem1 - (warm or mem0):+.1f} MB over the rest)")
        return elapsed
    print(f"kills: {sum(killed.values())} worker kills in {elapsed:.0f} s ({killed}) while 4 clients read pages")
    print(f"  responses {len(results)}: {outcomes}; daemon /health {up}; memory {mem0:.0f} -> {mem1:.0f} MB "
          f"({warm or mem0:.0f} MB after the first tenth of the kills: {mem1 - (warm or mem0):+.1f} MB over the rest)")
    return elapsed


def main():
    qari = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/release/qari"))
    d = Daemon(qari)
    try:
        r = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "chaos_catalogue.py"),
                            f"http://127.0.0.1:{d.port}", KEY], capture_output=True, text=True)
        print(r.stdout.strip().splitlines()[-1])
        # A section given 0 is skipped.
        if int(os.environ.get("SLOW", "500")):
            slow_clients(d, int(os.environ.get("SLOW", "500")))
        if int(os.environ.get("DURATION", "60")):
            overload(d, int(os.environ.get("DURATION", "60")))
        if int(os.environ.get("KILLS", "1000")):
            elapsed = kills(d, int(os.environ.get("KILLS", "1000")))
    finally:
        d.stop()
    if int(os.environ.get("KILLS", "1000")):
        baseline = Daemon(qari)
        try:
            kills(baseline, 0, kill=False, seconds=elapsed)
        finally:
            baseline.stop()


if __name__ == "__main__":
    main()
