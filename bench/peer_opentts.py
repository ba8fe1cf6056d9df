"""bench/peer-opentts: OpenTTS (espeak only) and Qari in one run. See bench/peer-opentts.

Both serve from 127.0.0.1; one client program measures both, so the client's own cost falls on both alike.
"""
import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from reading_cost import clients, page_html, tree_cpu, tree_pss  # noqa: E402


def fetch(url, data=None, content_type="application/json", first_byte=False):
    req = urllib.request.Request(url, data=data, headers={"Content-Type": content_type} if data else {})
    start = time.perf_counter()
    with urllib.request.urlopen(req, timeout=600) as r:
        first = r.read(1)
        t_first = time.perf_counter() - start
        body = first + r.read()
    return (body, t_first * 1000, (time.perf_counter() - start) * 1000) if first_byte else body


def wait_up(url):
    for _ in range(600):
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except Exception:
            time.sleep(0.1)
    raise RuntimeError(f"{url} never answered")


class Peer:
    """How each server is asked for speech of a text in a language."""

    def __init__(self, name, process, base):
        self.name, self.process, self.base = name, process, base


def opentts_wav(base, text, lang, cache=False):
    query = urllib.parse.urlencode({"voice": f"espeak:{lang}", "cache": "true" if cache else "false"})
    return f"{base}/api/tts?{query}", text.encode()


def texts(data):
    out = {}
    for name in ("fr_short", "ar_short", "fr_page", "ar_page"):
        with open(os.path.join(data, name + ".txt"), encoding="utf-8") as f:
            out[name] = f.read().strip()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--opentts", required=True)
    ap.add_argument("--python", required=True)
    ap.add_argument("--qari", required=True)
    ap.add_argument("--rounds", type=int, default=9)
    args = ap.parse_args()
    data = "../shared/bench-data" if os.path.isdir("../shared/bench-data") else "samples/texts"
    t = texts(data)
    print(f"texts from {data}; {args.rounds} rounds; medians")
    cache_o = tempfile.mkdtemp(prefix="opentts-cache-")
    cache_q = tempfile.mkdtemp(prefix="qari-cache-")
    port_o, port_q = random.randint(20000, 30000), random.randint(30001, 40000)
    opentts = subprocess.Popen(
        [args.python, "app.py", "--host", "127.0.0.1", "--port", str(port_o), "--no-flite", "--no-festival",
         "--no-nanotts", "--no-marytts", "--no-larynx", "--no-glow-speak", "--no-coqui", "--cache", cache_o],
        cwd=args.opentts, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = dict(os.environ, QARI_CACHE_DIRECTORY=cache_q, QARI_LOG_LEVEL="error",
               QARI_LIMITS_READINGS_PER_MINUTE="1000000", QARI_LIMITS_READINGS_BURST="100000",
               QARI_LIMITS_REQUESTS_PER_MINUTE="100000000", QARI_LIMITS_REQUESTS_BURST="1000000",
               QARI_LIMITS_CONCURRENT_PER_CLIENT="64")
    qari = subprocess.Popen([args.qari, "serve", "--port", str(port_q)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    o, q = f"http://127.0.0.1:{port_o}", f"http://127.0.0.1:{port_q}"
    try:
        wait_up(f"{o}/api/voices")
        wait_up(f"{q}/health")
        # Warm both: engines loaded, Qari's workers and the vowel model started.
        for lang in ("fr", "ar"):
            fetch(*opentts_wav(o, "Bonjour.", lang), content_type="text/plain")
            fetch(f"{q}/v1/speech", json.dumps({"text": "Bonjour.", "voice": lang, "format": "wav"}).encode())
        rows = []

        def qari_wav(text, lang):
            return f"{q}/v1/speech", json.dumps({"text": text, "voice": lang, "format": "wav"}).encode()

        # Sentence latency: a new sentence each round (nothing cached), the whole WAV.
        for name in ("fr_short", "ar_short"):
            lang = name[:2]
            ot, qt = [], []
            for i in range(args.rounds):
                text = f"{t[name]} {i}{random.randint(0, 10**6)}."
                ot.append(fetch(*opentts_wav(o, text, lang), content_type="text/plain", first_byte=True)[2])
                qt.append(fetch(*qari_wav(text, lang), first_byte=True)[2])
            rows.append((f"sentence {name}, whole WAV (ms)", statistics.median(ot), statistics.median(qt)))
        # A page: first byte and whole, WAV; and a reading made (POST, then its Ogg whole).
        for name in ("fr_page", "ar_page"):
            lang = name[:2]
            of, ow, qf, qw, rf, rw, rcpu, ocpu = [], [], [], [], [], [], [], []
            for i in range(3):
                text = f"Page {i} {random.randint(0, 10**6)}.\n{t[name]}"
                before = tree_cpu(opentts.pid)
                _, a, b = fetch(*opentts_wav(o, text, lang), content_type="text/plain", first_byte=True)
                ocpu.append(tree_cpu(opentts.pid) - before)
                of.append(a)
                ow.append(b)
                _, a, b = fetch(*qari_wav(text, lang), first_byte=True)
                qf.append(a)
                qw.append(b)
                before = tree_cpu(qari.pid)
                start = time.perf_counter()
                reading = json.loads(fetch(f"{q}/v1/readings", page_html(text, lang).encode(), "text/html"))
                _, a, b = fetch(q + reading["audio"]["ogg"], first_byte=True)
                rf.append((time.perf_counter() - start) * 1000 - b + a)
                rw.append((time.perf_counter() - start) * 1000)
                rcpu.append(tree_cpu(qari.pid) - before)
            rows.append((f"{name}: first byte (ms), WAV", statistics.median(of), statistics.median(qf)))
            rows.append((f"{name}: whole (ms), WAV", statistics.median(ow), statistics.median(qw)))
            rows.append((f"{name}: Qari reading made (POST + Ogg) first byte / whole (ms)", None,
                         f"{statistics.median(rf):.1f} / {statistics.median(rw):.1f}"))
            rows.append((f"{name}: CPU s, OpenTTS whole WAV / Qari reading made", statistics.median(ocpu),
                         statistics.median(rcpu)))
        # Four clients, each page different.
        jobs = [(k, "fr_page" if k % 2 == 0 else "ar_page") for k in range(8)]

        def o_page(job):
            k, name = job
            fetch(*opentts_wav(o, f"Client page {k} {random.random()}.\n{t[name]}", name[:2]), content_type="text/plain")

        def q_reading(job):
            k, name = job
            r = json.loads(fetch(f"{q}/v1/readings", page_html(f"Client page {k} {random.random()}.\n{t[name]}",
                                                                  name[:2]).encode(), "text/html"))
            fetch(q + r["audio"]["ogg"])

        def q_wav(job):
            k, name = job
            fetch(*qari_wav(f"Client page {k} {random.random()}.\n{t[name]}", name[:2]))
        rows.append(("4 clients, pages/s: OpenTTS WAV / Qari readings", clients(4, jobs, o_page),
                     clients(4, jobs, q_reading)))
        rows.append(("4 clients, pages/s: Qari WAV", None, clients(4, jobs, q_wav)))
        # Cached page audio: OpenTTS's --cache (cache=true) against a finished reading's Ogg.
        fetch(*opentts_wav(o, t["fr_page"], "fr", cache=True), content_type="text/plain")
        reading = json.loads(fetch(f"{q}/v1/readings", page_html(t["fr_page"], "fr").encode(), "text/html"))
        fetch(q + reading["audio"]["ogg"])
        n = 40
        o_rate = clients(4, list(range(n)), lambda _: fetch(*opentts_wav(o, t["fr_page"], "fr", cache=True),
                                                             content_type="text/plain"))
        q_rate = clients(4, list(range(n * 20)), lambda _: fetch(q + reading["audio"]["ogg"]))
        # As a client asks by default (no cache=true): OpenTTS's --cache is not used and the page is spoken again.
        o_default = clients(4, list(range(8)), lambda _: fetch(*opentts_wav(o, t["fr_page"], "fr"),
                                                                content_type="text/plain"))
        rows.append(("cached page audio, requests/s (4 clients; OpenTTS cache=true)", o_rate, q_rate))
        rows.append(("  OpenTTS --cache asked without cache=true (its default)", o_default, None))
        po, parts_o = tree_pss(opentts.pid)
        pq, parts_q = tree_pss(qari.pid)
        rows.append(("process tree after load, PSS MB", po, pq))
        print(f"{'':62} {'OpenTTS':>12} {'Qari':>14}")
        for label, a, b in rows:
            fa = "" if a is None else (f"{a:12.2f}" if isinstance(a, float) else f"{a:>12}")
            fb = "" if b is None else (f"{b:14.2f}" if isinstance(b, float) else f"{b:>14}")
            print(f"{label:62} {fa:>12} {fb}")
        print(f"Qari's tree: {parts_q}")
        print(f"cached audio: Qari / OpenTTS = {q_rate / o_rate:.0f}x with OpenTTS's cache asked for "
              f"(Qari's Ogg is a tenth of the WAV's bytes); {q_rate / o_default:.0f}x against OpenTTS asked as "
              f"by default (target >= 100x)")
    finally:
        for p in (opentts, qari):
            p.terminate()
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(cache_o, ignore_errors=True)
        shutil.rmtree(cache_q, ignore_errors=True)


if __name__ == "__main__":
    main()
