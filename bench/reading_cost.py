"""What a reading costs against the same text as WAV: CPU seconds of the daemon's whole process tree (the daemon,
its speech, page and diacritizer workers, and the children they fork), for each page text, in one run; the first
audio byte of readings nobody made before (median of 9); 4 clients making different readings at once against 4
clients asking /v1/speech for WAV of the same pages (pages/s); and the tree's proportional set size after that load.

Usage: reading_cost.py QARI [QARI...]   (each binary gets its own daemon and a fresh cache, one after the other)
"""
import json
import os
import random
import shutil
import subprocess
import sys
import statistics
import tempfile
import threading
import time
import urllib.request

TICK = os.sysconf("SC_CLK_TCK")


def tree_cpu(root):
    """CPU seconds of `root` and its descendants (with the children they have reaped)."""
    children = {}
    stats = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ppid = int(fields[1])
        children.setdefault(ppid, []).append(int(pid))
        stats[int(pid)] = sum(int(x) for x in fields[11:15]) / TICK  # utime stime cutime cstime
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += stats.get(pid, 0)
        todo += children.get(pid, [])
    return total


def tree_pss(root):
    """Proportional set size (MB) of `root` and its descendants: shared pages counted once across them."""
    children = {}
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/stat") as f:
                    children.setdefault(int(f.read().rsplit(")", 1)[1].split()[1]), []).append(int(pid))
            except OSError:
                pass
    total, todo, parts = 0, [root], {}
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                kb = next(int(line.split()[1]) for line in f if line.startswith("Pss:"))
            with open(f"/proc/{pid}/cmdline") as f:
                args = f.read().split("\0")
            name = "diacritizer" if any("diacritizer" in a for a in args) else (
                args[1] if len(args) > 1 and pid != root else "daemon")
            total += kb
            parts[name] = parts.get(name, 0) + kb
        except (OSError, StopIteration):
            pass
        todo += children.get(pid, [])
    return total / 1024, ", ".join(f"{k} {v / 1024:.1f}" for k, v in sorted(parts.items()))


def request(port, path, body=None, content_type="application/json"):
    data = body if body is None or isinstance(body, bytes) else json.dumps(body).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data,
                                 headers={"Content-Type": content_type})
    with urllib.request.urlopen(req, timeout=600) as r:
        return r.read()


def clients(n, jobs, work):
    """`jobs` spread over `n` threads; pages (jobs) per second."""
    errors = []

    def run(mine):
        for job in mine:
            try:
                work(job)
            except Exception as e:  # noqa: BLE001 - counted, reported
                errors.append(e)
    threads = [threading.Thread(target=run, args=(jobs[i::n],)) for i in range(n)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError(f"{len(errors)} failed: {errors[0]}")
    return len(jobs) / (time.perf_counter() - start)



def page_html(text, lang):
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n") if p.strip())
    return f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>t</title></head>' \
           f"<body><main>{paragraphs}</main></body></html>"


def measure(qari, texts):
    cache = tempfile.mkdtemp(prefix="qari-cost-")
    port = random.randint(20000, 40000)
    env = dict(os.environ, QARI_LIMITS_READINGS_PER_MINUTE="100000", QARI_LIMITS_READINGS_BURST="100000")
    # Settings by their variables, which every version of the daemon reads (flags changed names once).
    env.update(QARI_CACHE_DIRECTORY=cache, QARI_LOG_LEVEL="error")
    daemon = subprocess.Popen([qari, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                request(port, "/health")
                break
            except Exception:
                time.sleep(0.1)
        # Warm: every worker started, the voices and the vowel model loaded.
        request(port, "/v1/speech", {"text": "Bonjour. مرحبا.", "voice": "ar", "format": "wav"})
        rows = []
        for name, (text, lang) in texts.items():
            before = tree_cpu(daemon.pid)
            wav = request(port, "/v1/speech", {"text": text, "voice": lang, "format": "wav"})
            wav_cpu = tree_cpu(daemon.pid) - before
            before = tree_cpu(daemon.pid)
            reading = json.loads(request(port, "/v1/readings", page_html(text, lang).encode(), "text/html"))
            ogg = request(port, reading["audio"]["ogg"])
            reading_cpu = tree_cpu(daemon.pid) - before
            seconds = (len(wav) - 44) / 2 / 22050
            rows.append((name, seconds, wav_cpu, reading_cpu, len(ogg)))
        # A new reading's first audio byte: the press of a page nobody read before, the audio asked for at once.
        firsts = []
        for k in range(9):
            text, lang = list(texts.values())[k % len(texts)]
            html = page_html(f"Page {k} {random.random()}.\n" + text[:2000], lang).encode()
            reading = json.loads(request(port, "/v1/readings", html, "text/html"))
            req = urllib.request.Request(f"http://127.0.0.1:{port}{reading['audio']['ogg']}")
            start = time.perf_counter()
            with urllib.request.urlopen(req, timeout=600) as r:
                r.read(1)
                firsts.append((time.perf_counter() - start) * 1000)
                r.read()
        rows.append(("first audio byte of a new reading", statistics.median(firsts)))
        # Four clients at once, each page different: readings made whole, against WAV of the same pages.
        def four_clients(make):
            def page(job):
                c, k = job
                text, lang = list(texts.values())[(c + k) % len(texts)]
                make(f"Client {c} page {k} {random.random()}.\n" + text, lang)
            return clients(4, [(c, k) for c in range(4) for k in range(3)], page)

        def make_reading(text, lang):
            reading = json.loads(request(port, "/v1/readings", page_html(text, lang).encode(), "text/html"))
            request(port, reading["audio"]["ogg"])

        def make_wav(text, lang):
            request(port, "/v1/speech", {"text": text, "voice": lang, "format": "wav"})

        rows.append(("4 clients, pages/s", four_clients(make_reading), four_clients(make_wav)))
        total, parts = tree_pss(daemon.pid)
        print(f"{qari:40} process tree after load: proportional set size {total:.1f} MB ({parts})")
        return rows
    finally:
        daemon.terminate()
        daemon.wait(timeout=30)
        shutil.rmtree(cache, ignore_errors=True)


def main():
    data = "../shared/bench-data" if os.path.isdir("../shared/bench-data") else "samples/texts"
    texts = {}
    for name, lang in (("fr_page", "fr"), ("ar_page", "ar")):
        with open(os.path.join(data, name + ".txt"), encoding="utf-8") as f:
            texts[name] = (f.read(), lang)
    print(f"texts from {data}")
    for qari in sys.argv[1:]:
        for row in measure(qari, texts):
            if row[0] == "first audio byte of a new reading":
                print(f"{qari:40} {row[0]}: {row[1]:.1f} ms (median of 9)")
            elif row[0] == "4 clients, pages/s":
                print(f"{qari:40} 4 clients: readings {row[1]:.2f} pages/s, WAV {row[2]:.2f} pages/s "
                      f"= {row[1] / row[2]:.2f} of WAV's")
            else:
                name, seconds, wav_cpu, reading_cpu, size = row
                print(f"{qari:40} {name:8} {seconds:6.1f} s of speech: WAV {wav_cpu:5.2f} CPU s, reading "
                      f"{reading_cpu:5.2f} CPU s = {reading_cpu / max(wav_cpu, 0.01):5.1f} x WAV (Ogg {size // 1024} kB)")


if __name__ == "__main__":
    main()
