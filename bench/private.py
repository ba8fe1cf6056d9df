"""bench/private: a private reading's first audio against a public uncached one, in the same run (target: no slower).

One daemon; ROUNDS rounds, each asking for one new public page and one new private page (`Qari-Privacy: private`)
in turn, the order alternating from round to round, each page made new by a sentence of its own so that nothing is
cached. Timed from the POST of the page to the first byte of its Ogg audio, as the reader button waits for it. The
two kinds differ only in where the reading lives (memory only, a random id) and in the diacritizer's memo, which a
private page's sentences do not enter: every sentence here is new, so neither kind is helped by it.
Usage: python3 bench/private.py [QARI] [ROUNDS]
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

sys.path.insert(0, os.path.dirname(__file__))
from reading_cost import page_html  # noqa: E402

QARI = sys.argv[1] if len(sys.argv) > 1 else ".build/release/qari"
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 40
TEXTS = {
    "fr": "Votre demande numéro {n} a bien été reçue. Le certificat de résidence sera prêt sous quarante-huit "
          "heures à l'annexe administrative de votre quartier, contre vingt dirhams.",
    "ar": "لقد توصلنا بطلبكم رقم {n}. ستكون شهادة السكنى جاهزة خلال يومين بالملحقة الإدارية لحيكم مقابل عشرين درهما.",
}


def first_audio(port, html, private):
    headers = {"Content-Type": "application/json"}
    if private:
        headers["Qari-Privacy"] = "private"
    started = time.perf_counter()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/v1/readings", json.dumps({"html": html}).encode(),
                                 headers=headers)
    with urllib.request.urlopen(req, timeout=120) as answer:
        reading = json.loads(answer.read())
    assert reading["private"] == private and reading["cached"] is False, reading
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{reading['audio']['ogg']}", timeout=120) as answer:
        assert answer.read(1) == b"O"
        seconds = time.perf_counter() - started
        answer.read()  # heard to the end, as a listener would
    return seconds * 1000


def main():
    work = tempfile.mkdtemp(prefix="qari-bench-private-")
    port = random.randint(20000, 40000)
    env = dict(os.environ, QARI_LIMITS_READINGS_PER_MINUTE="100000", QARI_LIMITS_READINGS_BURST="100000",
               QARI_CACHE_DIRECTORY=os.path.join(work, "cache"), QARI_REPORTS_DB=os.path.join(work, "r.sqlite"),
               QARI_LOG_LEVEL="error")
    daemon = subprocess.Popen([QARI, "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times = {(lang, kind): [] for lang in TEXTS for kind in ("public", "private")}
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
                break
            except OSError:
                time.sleep(0.1)  # not listening yet
        first_audio(port, page_html(TEXTS["ar"].format(n="warm"), "ar"), False)  # every worker and the model up
        n = 0
        for r in range(ROUNDS):
            for lang, text in TEXTS.items():
                kinds = ["public", "private"] if r % 2 == 0 else ["private", "public"]
                for kind in kinds:
                    n += 1
                    html = page_html(text.format(n=f"{random.randint(10**6, 10**7)}-{n}"), lang)
                    times[(lang, kind)].append(first_audio(port, html, kind == "private"))
    finally:
        daemon.terminate()
        daemon.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)

    def p(values, q):
        values = sorted(values)
        return values[min(len(values) - 1, int(q * len(values)))]

    ok = True
    for lang in TEXTS:
        pub, priv = times[(lang, "public")], times[(lang, "private")]
        print(f"{lang} public  uncached: first audio p50 {statistics.median(pub):6.1f} ms, p90 {p(pub, 0.9):6.1f} ms"
              f" ({len(pub)} readings)")
        print(f"{lang} private          : first audio p50 {statistics.median(priv):6.1f} ms, p90 {p(priv, 0.9):6.1f} ms"
              f" ({len(priv)} readings)")
        # "No slower": within the run's own noise, taken as 10% of the public median.
        ok &= statistics.median(priv) <= statistics.median(pub) * 1.10
    print(("PASS" if ok else "FAIL") + "  a private reading's first audio is no slower than a public uncached one"
          " (p50 within 10%, same run)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
