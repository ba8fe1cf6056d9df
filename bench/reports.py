"""bench/reports: POST /v1/reports latency with 8 clients at once (target: p99 <= 20 ms), against a running daemon
started here with the per-client limit raised for the run. Usage: python3 bench/reports.py [QARI] [REQUESTS]
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
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from reading_cost import page_html  # noqa: E402


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
        req = urllib.request.Request(base + "/v1/readings", data=page_html(text, "fr").encode(),
                                     headers={"Content-Type": "text/html"})
        reading = json.loads(urllib.request.urlopen(req).read())
        words = [(i, i + len(w)) for i, w in ((text.index(w), w) for w in text.split())]

        def run(reading_id, expect):
            """8 clients posting `total` reports about `reading_id`; the latencies of answers with status `expect`."""
            times, errors = [], []

            def client(n):
                for k in range(n):
                    s, e = words[k % len(words)]
                    body = json.dumps({"reading": reading_id, "passage": 0, "start": s, "end": e, "note": "bench"})
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
                        continue
                    if status == expect:
                        times.append((time.perf_counter() - t0) * 1000)
                    else:
                        errors.append(status)
            threads = [threading.Thread(target=client, args=(total // 8,)) for _ in range(8)]
            start = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.perf_counter() - start
            times.sort()
            return times, errors, wall

        # The peer in the same run: the same requests about a reading that does not exist (parsed, looked up,
        # answered 404, nothing stored): the HTTP and client floor under the store's cost.
        results = {}
        for name, reading_id, expect in (("unknown reading (404, no store)", "0" * 64, 404),
                                         ("report stored (201)", reading["id"], 201)):
            results[name] = run(reading_id, expect)
        for name, (times, errors, wall) in results.items():
            p99 = times[int(len(times) * 0.99) - 1]
            print(f"{name:32} {len(times)} answers ({len(errors)} other) in {wall:.1f} s "
                  f"({len(times) / wall:.0f}/s): p50 {statistics.median(times):.1f} ms, p99 {p99:.1f} ms")
        times, errors, _ = results["report stored (201)"]
        p99 = times[int(len(times) * 0.99) - 1]
        with sqlite3.connect(folder + "/reports.sqlite") as db:
            kept = db.execute("SELECT count(*) FROM reports").fetchone()[0]
        print(f"reports kept in the database: {kept} of {len(times)} answered 201")
        print(f"{'PASS' if p99 <= 20 and not errors and kept == len(times) else 'MISS'}  "
              "p99 <= 20 ms with 8 clients, every 201 kept")
    finally:
        daemon.terminate()
        daemon.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
