"""bench/reports: POST /v1/reports latency with 8 clients at once (target: p99 <= 20 ms), against a running daemon
started here with the per-client limit raised for the run. Three phases in one run:
- the peer: the same requests about a reading that does not exist (parsed, answered 404, nothing stored): the HTTP
  and client floor under the store's cost;
- reports of words reported before (phonemes remembered): the store's cost;
- first reports of every word of French and Arabic service passages after the reading was listened to (its audio
  made): phonemes from the speech workers, the Arabic sentences' vowels as restored for the audio;
- the same on passages nobody listened to: the Arabic vowels restored for the report (the diacritizer's time).
Usage: python3 bench/reports.py [QARI] [REQUESTS]
"""
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from reading_cost import clients, page_html  # noqa: E402

CLIENTS = 8
ROOT = os.path.join(os.path.dirname(__file__), "..")


def post(base, path, data, content_type):
    request = urllib.request.Request(base + path, data=data, headers={"Content-Type": content_type})
    with urllib.request.urlopen(request) as answer:
        return json.loads(answer.read())


def words_of(passages):
    """(passage, start, end) of every space-separated word, in code points."""
    out = []
    for index, passage in enumerate(passages):
        text, start = passage["text"], 0
        for word in text.split(" "):
            if word.strip():
                out.append((index, start, start + len(word)))
            start += len(word) + 1
    return out


def run(base, jobs, expect):
    """`jobs` (reading, passage, start, end) spread over 8 clients; the latencies of answers with status `expect`."""
    times, errors = [], []

    def report(job):
        reading, passage, s, e = job
        body = json.dumps({"reading": reading, "passage": passage, "start": s, "end": e, "note": "bench"})
        r = urllib.request.Request(base + "/v1/reports", data=body.encode(),
                                   headers={"Content-Type": "application/json"})
        t0 = time.perf_counter()
        try:
            with urllib.request.urlopen(r) as answer:
                answer.read()
                status = answer.status
        except urllib.error.HTTPError as error:
            error.read()
            status = error.code
        except Exception as error:  # noqa: BLE001 - counted
            errors.append(error)
            return
        if status == expect:
            times.append((time.perf_counter() - t0) * 1000)
        else:
            errors.append(status)
    rate = clients(CLIENTS, jobs, report)
    times.sort()
    return times, errors, len(jobs) / rate


def main():
    qari = sys.argv[1] if len(sys.argv) > 1 else ".build/release/qari"
    total = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    folder = tempfile.mkdtemp(prefix="qari-reports-bench-")
    port = random.randint(20000, 40000)
    env = dict(os.environ, QARI_CACHE_DIRECTORY=folder + "/cache", QARI_REPORTS_DB=folder + "/reports.sqlite",
               QARI_LOG_LEVEL="error", QARI_LIMITS_REPORTS_PER_HOUR="10000000",
               QARI_LIMITS_REQUESTS_PER_MINUTE="100000000", QARI_LIMITS_REQUESTS_BURST="1000000")
    daemon = subprocess.Popen([qari, "serve", "--port", str(port)], env=env, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/health").read()
                break
            except Exception:
                time.sleep(0.1)
        text = "Le certificat de résidence est délivré le jour même au commissariat de Tanger."
        warm = post(base, "/v1/readings", page_html(text, "fr").encode(), "text/html")["id"]
        warm_words = words_of([{"text": text}])
        lines = [(lang, line.strip()) for lang in ("fr", "ar")
                 for line in open(os.path.join(ROOT, f"samples/texts/{lang}_services.txt"), encoding="utf-8")
                 if line.strip()]

        def reading_of(part):
            page = "".join(f'<p lang="{lang}">{line}</p>' for lang, line in part)
            made = post(base, "/v1/readings", f"<html><body><main>{page}</main></body></html>".encode(), "text/html")
            # Only words: a lone dash or slash is refused (422: it holds no word).
            return [(made["id"], p, s, e) for p, s, e in words_of(made["passages"])
                    if any(c.isalnum() for c in made["passages"][p]["text"][s:e])], made
        heard, heard_reading = reading_of(lines[0::2])
        urllib.request.urlopen(base + heard_reading["audio"]["ogg"]).read()
        unheard, _ = reading_of(lines[1::2])
        phases = [
            ("unknown reading (404, no store)", [("0" * 64,) + warm_words[k % len(warm_words)] for k in range(total)],
             404),
            ("report stored (201)", [(warm,) + warm_words[k % len(warm_words)] for k in range(total)], 201),
            ("first report, reading heard (201)", heard, 201),
            ("first report, unheard (201)", unheard, 201),
        ]
        results = {name: run(base, jobs, expect) for name, jobs, expect in phases}
        for name, (times, errors, wall) in results.items():
            p99 = times[max(0, int(len(times) * 0.99) - 1)]
            print(f"{name:34} {len(times):5} answers ({len(errors)} other) in {wall:4.1f} s "
                  f"({len(times) / wall:4.0f}/s): p50 {statistics.median(times):5.1f} ms, p99 {p99:5.1f} ms")
        stored = sum(len(times) for name, (times, _, _) in results.items() if "201" in name)
        with sqlite3.connect(folder + "/reports.sqlite") as db:
            kept = db.execute("SELECT count(*) FROM reports").fetchone()[0]
            bare = db.execute("SELECT count(*) FROM reports WHERE phonemes = ''").fetchone()[0]
        print(f"reports kept in the database: {kept} of {stored} answered 201; "
              f"{bare} kept without phonemes")
        times, errors, _ = results["report stored (201)"]
        p99 = times[int(len(times) * 0.99) - 1]
        failed = sum(len(r[1]) for r in results.values())
        print(f"{'PASS' if p99 <= 20 and not failed and kept == stored and not bare else 'MISS'}  "
              "p99 <= 20 ms with 8 clients, every 201 kept with its phonemes")
    finally:
        daemon.terminate()
        daemon.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
