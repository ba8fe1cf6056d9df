#!/usr/bin/env python3
"""A citizen's own pages stay private, checked against a daemon of its own.

Private pages (French and Arabic, with a made-up name, identity card number and address) are read through the API,
each of the three private marks alone: the page's `<meta name="qari" content="private">`, the request's
`Qari-Privacy: private`, and a page address matching `--private-pages`. Every answer about them says
`Cache-Control: no-store, private`, their ids are random, reports of them are refused (403), and a public page read
before and after still caches. Once a private reading has expired, a second client cannot fetch it. Last, the raw
bytes of every file under the cache folder, the reports database (and its -wal/-shm), the daemon's temporary folder,
its whole log (at debug level) and its /metrics are searched for the name, the number, the address and every word
of the private passages that no public page holds: none may be there.

Usage: private_pages_test.py [QARI]   One line per check, then 'privacy: N passed, N failed'; exit 1 on a failure.
"""
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

QARI = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/qari"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PAGES = os.path.join(ROOT, "samples", "pages")
# What the private samples say of their citizen; none of it may be left anywhere.
SECRETS = ["Tazrouti", "تازروتي", "BK482913", "118734", "Lmsalla", "المصلى"]
TTL = 2  # seconds: --private-ttl for this daemon
DEADLINE = 60

passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
    print(("PASS " if ok else "FAIL ") + name + ("" if ok else f": {detail}"), flush=True)


def request(port, method, path, body=None, headers=None):
    data = body if body is None or isinstance(body, bytes) else json.dumps(body).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method, headers=headers or {})
    if isinstance(body, dict):
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=120) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def page(name):
    with open(os.path.join(PAGES, name), encoding="utf-8") as f:
        return f.read()


def without_meta(html):
    return re.sub(r'<meta name="qari" content="private">\n?', "", html)


def words(text):
    return {w for w in re.findall(r"[\w\u0600-\u06FF]+", text) if len(w) >= 5 and not w.isdigit()}


def read(port, html, headers=None, url=None, html_type=False):
    if html_type:
        return request(port, "POST", "/v1/readings", html.encode(),
                       dict(headers or {}, **{"Content-Type": "text/html; charset=utf-8"}))
    body = {"html": html}
    if url:
        body["url"] = url
    return request(port, "POST", "/v1/readings", body, headers)


def private_reading_is_private(port, label, status, headers, body):
    document = json.loads(body) if status == 200 else {}
    rid = document.get("id", "")
    check(f"{label}: read (200)", status == 200, f"{status} {body[:200]!r}")
    check(f"{label}: a random id, not a content hash", re.fullmatch(r"p[0-9a-f]{40}-\d+", rid) is not None, rid)
    check(f"{label}: the reading says it is private", document.get("private") is True, document.get("private"))
    check(f"{label}: no-store, private", headers.get("Cache-Control") == "no-store, private",
          headers.get("Cache-Control"))
    return document


def main():
    port = random.randint(20000, 40000)
    work = tempfile.mkdtemp(prefix="qari-privacy-")
    cache, tmp = os.path.join(work, "cache"), os.path.join(work, "tmp")
    reports = os.path.join(work, "reports.sqlite")
    log_path = os.path.join(work, "daemon.log")
    os.makedirs(tmp)
    log = open(log_path, "wb")
    env = dict(os.environ, TMPDIR=tmp)
    daemon = subprocess.Popen(
        [QARI, "serve", "--port", str(port), "--cache-directory", cache, "--reports-db", reports,
         "--log-level", "debug", "--private-ttl", str(TTL), "--private-pages", "/mon-espace/*"],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        started = time.monotonic()
        while time.monotonic() - started < DEADLINE:
            try:
                if request(port, "GET", "/health")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)  # not listening yet: poll again
        public_words = set()

        # A public page before: made once, cached, reported.
        status, headers, body = read(port, page("sample-fr.html"))
        public = json.loads(body)
        public_words |= words(" ".join(p["text"] for p in public["passages"]))
        check("public: a content id", re.fullmatch(r"[0-9a-f]{64}", public.get("id", "")) is not None, public)
        check("public: may be kept by caches", "no-store" not in headers.get("Cache-Control", ""), headers)
        request(port, "GET", f"/v1/readings/{public['id']}/audio.ogg")
        status, _, body = read(port, page("sample-fr.html"))
        check("public: cached the second time", json.loads(body).get("cached") is True, body[:200])
        started = time.monotonic()
        while not os.path.isdir(os.path.join(cache, public["id"])) and time.monotonic() - started < DEADLINE:
            time.sleep(0.05)  # poll: the store writes a finished reading just after its last byte is sent
        check("public: in the cache folder", os.path.isdir(os.path.join(cache, public["id"])), os.listdir(cache))
        first = public["passages"][0]["text"]
        end = first.index(" ") if " " in first else len(first)
        status, _, body = request(port, "POST", "/v1/reports",
                                  {"reading": public["id"], "passage": 0, "start": 0, "end": end})
        check("public: a report is taken (201)", status == 201, f"{status} {body[:200]!r}")

        private_ids = []
        marks = [
            ("fr, by the page's meta", lambda: read(port, page("private-fr.html"))),
            ("ar, by the page's meta", lambda: read(port, page("private-ar.html"))),
            ("fr, by Qari-Privacy alone",
             lambda: read(port, without_meta(page("private-fr.html")), {"Qari-Privacy": "private"}, html_type=True)),
            ("ar, by the page's address alone",
             lambda: read(port, without_meta(page("private-ar.html")),
                          url="https://www.service-public.ma/mon-espace/demandes/118734")),
        ]
        private_words = set()
        for label, make in marks:
            document = private_reading_is_private(port, label, *make())
            rid = document.get("id", "")
            if not rid:
                continue
            private_ids.append(rid)
            private_words |= words(" ".join(p["text"] for p in document.get("passages", [])))
            for file in ["", "/audio.ogg", "/marks.json", "/marks.vtt", "/marks.ndjson", "/audio.mp3"]:
                status, headers, body = request(port, "GET", f"/v1/readings/{rid}{file}")
                check(f"{label}: GET {file or 'the reading'} 200, no-store, private",
                      status == 200 and headers.get("Cache-Control") == "no-store, private",
                      f"{status} {headers.get('Cache-Control')}")
                if file == "/audio.ogg":
                    check(f"{label}: whole Ogg audio", body[:4] == b"OggS" and len(body) > 2000, len(body))
            status, headers, body = request(port, "POST", "/v1/reports",
                                            {"reading": rid, "passage": 0, "start": 0, "end": 3})
            problem = json.loads(body) if body.startswith(b"{") else {}
            check(f"{label}: a report is refused (403 private-reading)",
                  status == 403 and problem.get("type", "").endswith(":private-reading")
                  and headers.get("Content-Type", "").startswith("application/problem+json"),
                  f"{status} {body[:200]!r}")
        check("private ids are all different", len(set(private_ids)) == len(private_ids), private_ids)
        check("the private readings are not in the cache folder",
              not any(name in os.listdir(cache) for name in private_ids), os.listdir(cache))

        # A public page whose address matches no pattern stays public; a public page after still caches.
        status, _, body = read(port, page("sample-fr.html"), url="https://www.service-public.ma/services/residence")
        check("an address outside the patterns is public and cached",
              json.loads(body).get("id") == public["id"] and json.loads(body).get("cached") is True, body[:200])
        status, _, body = read(port, page("sample-zgh.html"))
        after = json.loads(body)
        public_words |= words(" ".join(p["text"] for p in after["passages"]))
        request(port, "GET", f"/v1/readings/{after['id']}/audio.ogg")
        status, _, body = read(port, page("sample-zgh.html"))
        check("public after: cached the second time", json.loads(body).get("cached") is True, body[:200])

        # The other ways in: speech and transforms of the same personal text, a query string with it too.
        status, _, body = request(port, "POST", "/v1/speech?about=Tazrouti-BK482913",
                                  {"text": "Madame Yasmina Tazrouti, carte BK482913, 17 derb Lmsalla.",
                                   "voice": "fr", "format": "ogg"})
        check("speech of personal text answered (200)", status == 200 and body[:4] == b"OggS", status)
        status, _, body = request(port, "POST", "/v1/transform?mode=contrast:dark&who=Tazrouti",
                                  page("private-ar.html").encode(), {"Content-Type": "text/html; charset=utf-8"})
        check("transform of a private page answered (200)", status == 200 and "تازروتي".encode() in body, status)

        # Expired: the metrics say when (no page text in them), then a second client gets 404.
        metrics = ""
        started = time.monotonic()
        while time.monotonic() - started < DEADLINE:
            metrics = request(port, "GET", "/metrics")[2].decode()
            if re.search(r"^qari_private_readings(\{[^}]*\})? 0(\.0)?$", metrics, re.M):
                break
            time.sleep(0.2)  # poll: the sweeper runs a few times per time to live
        check("/metrics: private readings dropped once expired",
              re.search(r"^qari_private_readings_expired_total(\{[^}]*\})? [1-9]", metrics, re.M) is not None,
              [l for l in metrics.splitlines() if "private" in l])
        for rid in private_ids:
            status, headers, _ = request(port, "GET", f"/v1/readings/{rid}/audio.ogg",
                                         headers={"X-Forwarded-For": "198.51.100.7"})
            check("expired: a second client cannot fetch it (404)", status == 404, status)
    finally:
        daemon.send_signal(signal.SIGTERM)
        try:
            daemon.wait(timeout=30)
        except subprocess.TimeoutExpired:
            daemon.kill()
        log.close()

    # Nothing of the private pages is left anywhere the daemon writes.
    needles = [s.encode() for s in SECRETS] + [w.encode() for w in sorted(private_words - public_words)]
    check("the private pages have words of their own to look for", len(needles) > len(SECRETS) + 5, len(needles))
    places = []
    for folder in [cache, tmp]:
        for base, _, files in os.walk(folder):
            # A store entry's `complete` lists SHA-256 digests in hex, where digits turn up by chance.
            places += [os.path.join(base, f) for f in files if f != "complete"]
    places += [p for p in [reports, reports + "-wal", reports + "-shm", log_path] if os.path.exists(p)]
    check("the reports database exists (a public report was kept)", os.path.exists(reports), places)
    # The search finds what is there: the public page's words are in the cache, as they should be.
    public_found = set()
    for path in places:
        with open(path, "rb") as f:
            data = f.read()
        public_found |= {w for w in public_words if w.encode() in data}
    check("the search finds the public page's words in the cache", len(public_found) >= 5, len(public_found))
    found = []
    for path in places:
        with open(path, "rb") as f:
            data = f.read()
        found += [f"{path}: {n.decode()}" for n in needles if n in data]
    found += [f"/metrics: {n.decode()}" for n in needles if n in metrics.encode()]
    # The same search as an operator would type it: grep over raw bytes (-a), fixed strings, every place at once.
    patterns = os.path.join(work, "needles.txt")
    with open(patterns, "wb") as f:
        f.write(b"\n".join(needles) + b"\n")
    command = ["grep", "-r", "-a", "-l", "-F", "-f", patterns, cache, tmp, log_path] + \
        [p for p in [reports, reports + "-wal", reports + "-shm"] if os.path.exists(p)]
    print("  " + " ".join(command), flush=True)
    grep = subprocess.run(command, capture_output=True)
    check("grep -r -a -F finds none of them", grep.returncode == 1, grep.stdout.decode()[:500])
    with open(log_path, encoding="utf-8", errors="replace") as f:
        lines = [l for l in f if "request" in l and "route=" in l]
    check("the request log keeps method, route, status, bytes and time",
          any(all(k in l for k in ["method=POST", "route=/v1/speech", "status=200", "bytes=", "ms="]) for l in lines),
          lines[:3])
    print(f"  searched {len(places)} files and /metrics for {len(needles)} words", flush=True)
    check("no name, number, address or private word in cache, reports, tmp, log or metrics", not found, found[:10])
    if failed == 0:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"  left for inspection: {work}")
    print(f"privacy: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
