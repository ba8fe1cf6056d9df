"""Warming 650 service-like pages made from the samples, with a listener reading pages all the while: pages warmed
per minute, the cache's size after, and the listener's time to first audio (p50, p99) during the warm against the
same listener with no warm running, in one run.

The pages are the sample pages with one numbered sentence added to each paragraph (so each is its own reading, and
most passages are new); a stand-in portal serves them and their sitemap. The listener asks for pages nobody warms.

Usage: bench/warm-load [QARI] [PAGES] [SECONDS]
"""
import http.server
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

SAMPLES = "samples/pages"


def variants(count):
    """`count` pages made from the samples: each paragraph gets a sentence naming the page's number."""
    sources = [open(os.path.join(SAMPLES, n), encoding="utf-8").read() for n in sorted(os.listdir(SAMPLES))
               if n.startswith("sample-") and n.endswith(".html")]
    out = []
    for n in range(count):
        html = sources[n % len(sources)]
        out.append(re.sub(r"</p>", f" Référence du dossier {n}-{random.randint(0, 10**6)}.</p>", html).encode())
    return out


class Portal(http.server.BaseHTTPRequestHandler):
    pages = {}

    def do_GET(self):
        body = self.pages.get(self.path.lstrip("/"))
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8" if self.path.endswith(".html")
                         else "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def first_audio(url, html):
    """Seconds from asking for a reading to its audio's first bytes."""
    start = time.monotonic()
    req = urllib.request.Request(url + "v1/readings", data=html, headers={"Content-Type": "text/html"})
    with urllib.request.urlopen(req, timeout=120) as r:
        doc = json.loads(r.read())
    with urllib.request.urlopen(url + doc["audio"]["ogg"].lstrip("/"), timeout=300) as r:
        r.read(4096)
        first = time.monotonic() - start
        r.read()
    return first


def listen(url, pages, seconds):
    """A listener reading pages nobody warms (each once: never cached), one after another for `seconds`: each
    one's time to first audio."""
    times = []
    end = time.monotonic() + seconds
    for page in pages:
        if time.monotonic() >= end:
            break
        times.append(first_audio(url, page))
    return times


def q(values, f):
    values = sorted(values)
    return values[min(len(values) - 1, int(f * (len(values) - 1) + 0.5))]


def main():
    qari = sys.argv[1] if len(sys.argv) > 1 else ".build/release/qari"
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 650
    seconds = int(sys.argv[3]) if len(sys.argv) > 3 else 60
    warmed = variants(count)
    Portal.pages = {f"p{n}.html": body for n, body in enumerate(warmed)}
    portal = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Portal)
    threading.Thread(target=portal.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{portal.server_port}/"
    Portal.pages["sitemap.xml"] = ("<urlset>" + "".join(f"<url><loc>{base}p{n}.html</loc></url>"
                                                        for n in range(count)) + "</urlset>").encode()
    Portal.pages["robots.txt"] = b""
    port = random.randint(20000, 40000)
    url = f"http://127.0.0.1:{port}/"
    work = tempfile.mkdtemp(prefix="qari-warm-load-")
    env = dict(os.environ, QARI_CACHE_DIRECTORY=os.path.join(work, "cache"), QARI_LOG_LEVEL="error",
               QARI_LIMITS_READINGS_PER_MINUTE="100000", QARI_LIMITS_READINGS_BURST="100000",
               QARI_LIMITS_REQUESTS_PER_MINUTE="10000000", QARI_LIMITS_REQUESTS_BURST="1000000",
               QARI_CACHE_SIZE="10G")
    daemon = subprocess.Popen([qari, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "health", timeout=1)
                break
            except Exception:  # noqa: BLE001
                time.sleep(0.1)
        alone = listen(url, variants(400), seconds)
        started = time.monotonic()
        warm = subprocess.Popen([qari, "warm", "--daemon", url, "--delay", "0", "--connections", "2", "--state",
                                 os.path.join(work, "state"), base + "sitemap.xml"], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True)
        during = listen(url, variants(400), seconds)
        summary = warm.communicate()[0].strip().splitlines()[0]
        minutes = (time.monotonic() - started) / 60
        size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(os.path.join(work, "cache"))
                   for f in fs)
        print(f"warm: {summary}")
        print(f"{count} pages in {minutes:.1f} min: {count / minutes:.0f} pages per minute (a listener reading "
              f"pages for the first {seconds} s); cache {size / 1e6:.0f} MB ({size / count / 1e3:.0f} kB a page)")
        print(f"listener's first audio with no warm: p50 {statistics.median(alone) * 1000:.0f} ms, "
              f"p99 {q(alone, .99) * 1000:.0f} ms ({len(alone)} pages)")
        print(f"listener's first audio during the warm: p50 {statistics.median(during) * 1000:.0f} ms, "
              f"p99 {q(during, .99) * 1000:.0f} ms ({len(during)} pages)")
    finally:
        daemon.terminate()
        daemon.wait(timeout=30)
        portal.shutdown()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
