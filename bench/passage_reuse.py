"""One changed passage in a 20-passage page: the time to make the page's new reading against the time to make that
passage alone, in one daemon, in alternating rounds (the machine is shared and noisy).

Each round changes passage 10 of the page to a text never read before; the page's reading is then made whole
(POST /v1/readings, GET its audio to the end), and so is a page holding only another new text of the same length.
Prints the median of each and their ratio (target ≤ 1.5), and the passages made and reused (from /metrics).

Usage: bench/passage-reuse [QARI] [ROUNDS]
"""
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

SENTENCES = [
    "Le dépôt du dossier se fait au guichet de la commune de votre lieu de résidence.",
    "Présentez-vous avec votre carte nationale et un justificatif de domicile récent.",
    "Le timbre fiscal s'achète en ligne ou auprès d'un bureau de l'administration fiscale.",
    "La demande est instruite dans un délai de quinze jours ouvrables à compter du dépôt.",
    "Un message vous prévient dès que le document est prêt à être retiré.",
]


def passage(n, salt):
    return f"Étape {n}, dossier {salt}. " + SENTENCES[n % len(SENTENCES)]


def page(texts):
    return ("<html lang=fr><body><main>" + "".join(f"<p>{t}</p>" for t in texts) + "</main></body></html>").encode()


def made(url, html):
    """Seconds to make the reading of `html` whole: the request, then its audio to the last byte."""
    start = time.monotonic()
    req = urllib.request.Request(url + "v1/readings", data=html, headers={"Content-Type": "text/html"})
    with urllib.request.urlopen(req, timeout=120) as r:
        doc = json.loads(r.read())
    with urllib.request.urlopen(url + doc["audio"]["ogg"].lstrip("/"), timeout=300) as r:
        r.read()
    return time.monotonic() - start


def passages(url):
    counts = {}
    with urllib.request.urlopen(url + "metrics", timeout=10) as r:
        for line in r.read().decode().splitlines():
            if line.startswith("qari_passages_total{"):
                counts[line.split('"')[1]] = float(line.split()[-1])
    return counts


def main():
    qari = sys.argv[1] if len(sys.argv) > 1 else ".build/release/qari"
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 9
    port = random.randint(20000, 40000)
    url = f"http://127.0.0.1:{port}/"
    cache = tempfile.mkdtemp(prefix="qari-passage-reuse-")
    env = dict(os.environ, QARI_CACHE_DIRECTORY=cache, QARI_LOG_LEVEL="error",
               QARI_LIMITS_READINGS_PER_MINUTE="100000", QARI_LIMITS_READINGS_BURST="100000",
               QARI_LIMITS_REQUESTS_PER_MINUTE="1000000", QARI_LIMITS_REQUESTS_BURST="100000")
    daemon = subprocess.Popen([qari, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "health", timeout=1)
                break
            except Exception:  # noqa: BLE001
                time.sleep(0.1)
        texts = [passage(n, "base") for n in range(20)]
        whole = made(url, page(texts))
        changed, alone = [], []
        before = passages(url)
        for k in range(rounds):
            texts[10] = passage(10, f"r{k}")
            one = [passage(10, f"s{k}")]
            pair = [("changed", lambda: made(url, page(texts))), ("alone", lambda: made(url, page(one)))]
            for name, run in (pair if k % 2 == 0 else list(reversed(pair))):
                (changed if name == "changed" else alone).append(run())
        after = passages(url)
        c, a = statistics.median(changed), statistics.median(alone)
        print(f"a 20-passage page made whole, uncached: {whole * 1000:.0f} ms")
        print(f"one passage changed, the page's reading made: median {c * 1000:.0f} ms over {rounds} rounds")
        print(f"that passage alone: median {a * 1000:.0f} ms")
        print(f"ratio {c / a:.2f} (target ≤ 1.5); passages made {after.get('made', 0) - before.get('made', 0):.0f}, "
              f"reused {after.get('reused', 0) - before.get('reused', 0):.0f} in the rounds")
    finally:
        daemon.terminate()
        daemon.wait(timeout=30)
        shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
