#!/usr/bin/env python3
"""What an operator checks once the package is installed (scripts/package-test.sh runs it against the daemon in the
bare root): a sentence in Arabic with its vowels restored, in French and in Amazigh, each a WAV whose header gives
its true length; a page's reading and its audio; a listener's report, kept in /var/lib/qari.

Usage: package_check.py BASE_URL ROOT STARTED first|upgraded
  (STARTED: when apt-get install began, in seconds since the epoch, for the install-to-first-answer time)
"""

import hashlib
import json
import os
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request

BASE, ROOT, STARTED, PHASE = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
STATE = os.path.join(REPO, ".build", "package-test", "reading.json")
SENTENCES = {
    "ar": "يمكنكم طلب نسخة من رسم الولادة عبر الإنترنت",
    "fr": "Votre demande de passeport est prête.",
    "zgh": "ⴰⵣⵓⵍ ⴼⵍⴰⴽ ⵎⴰⵙ ⵜⵍⵍⵉⴷ",
}
failures = 0


def check(what, ok, detail=""):
    global failures
    print(("PASS " if ok else "FAIL ") + what + ("" if ok or not detail else f": {detail}"))
    failures += 0 if ok else 1


def request(path, body=None, headers=None, timeout=120):
    data = body if body is None or isinstance(body, bytes) else json.dumps(body).encode()
    req = urllib.request.Request(BASE + path, data=data, headers=headers or {})
    if data is not None and "Content-Type" not in (headers or {}):
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def first_answer():
    """Polls until the daemon answers a sentence; the seconds since apt-get install began."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            status, _, _ = request("/v1/speech", {"text": "Bonjour.", "voice": "fr", "stream": False}, timeout=10)
            if status == 200:
                return time.time() - STARTED
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    log = open(os.path.join(REPO, ".build", "package-test", "daemon.log")).read()[-2000:]
    sys.exit(f"FAIL the daemon never answered; its log ends:\n{log}")


def wav_length(body):
    """Seconds of PCM16 mono audio by the header, checked against the bytes that came."""
    riff, data_tag, data_size = struct.unpack("<I", body[4:8])[0], body[36:40], struct.unpack("<I", body[40:44])[0]
    rate = struct.unpack("<I", body[24:28])[0]
    true = data_tag == b"data" and data_size == len(body) - 44 and riff == len(body) - 8
    return true, data_size / 2 / rate


def diacritized(text):
    """`qari diacritize` as the qari user in the root, text on stdin (`-`)."""
    uid, gid = (os.stat(os.path.join(ROOT, "var/lib/qari")).st_uid, os.stat(os.path.join(ROOT, "var/lib/qari")).st_gid)
    r = subprocess.run(["/usr/sbin/chroot", f"--userspec={uid}:{gid}", ROOT, "/usr/bin/qari", "diacritize", "-"],
                       input=text, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    return r.returncode, r.stdout.strip(), r.stderr.strip()


if PHASE == "first":
    seconds = first_answer()
    print(f"INFO install to first answer: {seconds:.1f} s (target ≤ 60 s, packages downloaded beforehand)")
    for voice, text in SENTENCES.items():
        status, headers, body = request("/v1/speech", {"text": text, "voice": voice, "format": "wav", "stream": False})
        true, length = wav_length(body) if status == 200 and len(body) > 44 else (False, 0)
        check(f"{voice}: a sentence read, its WAV header giving its true length ({length:.2f} s)",
              status == 200 and true and length > 1.0, f"{status} {body[:200]!r}")
    code, out, err = diacritized(SENTENCES["ar"])
    marks = sum(1 for c in out if "\u064b" <= c <= "\u0652")
    check(f"ar: the packaged diacritizer restores the vowels ({marks} marks: {out})", code == 0 and marks >= 8, err)
    status, _, metrics = request("/metrics")
    check("the daemon's diacritizer is up (qari_diacritizer_up 1)", b"qari_diacritizer_up 1" in metrics)

    page = open(os.path.join(REPO, "samples", "pages", "sample-ar-zgh.html"), "rb").read()
    status, _, body = request("/v1/readings", page, {"Content-Type": "text/html; charset=utf-8"})
    reading = json.loads(body) if status == 200 else {}
    check(f"a page read: {len(reading.get('passages', []))} passages in {sorted({p['lang'] for p in reading.get('passages', [])})}",
          status == 200 and len(reading.get("passages", [])) >= 2, body[:300])
    status, headers, audio = request(reading["audio"]["ogg"])
    check(f"its audio served ({len(audio)} bytes of Ogg Opus)", status == 200 and audio[:4] == b"OggS")
    status, _, marks_body = request(reading["marks"]["json"])
    word = next(m for m in json.loads(marks_body)["marks"] if m["type"] == "word")
    status, _, body = request("/v1/reports", {"reading": reading["id"], "passage": word["passage"],
                                              "start": word["offset"], "end": word["offset"] + word["length"]})
    check("a listener's report taken (201)", status == 201, body[:300])
    db = os.path.join(ROOT, "var/lib/qari/reports.sqlite")
    owner = os.stat(db).st_uid if os.path.exists(db) else None
    check("the report kept in /var/lib/qari/reports.sqlite, the qari user's", owner is not None and owner != 0)
    json.dump({"id": reading["id"], "sha256": hashlib.sha256(audio).hexdigest(), "ogg": reading["audio"]["ogg"],
               "word": json.loads(body).get("word")}, open(STATE, "w"))
else:
    first_answer()
    kept = json.load(open(STATE))
    status, headers, audio = request(kept["ogg"])
    # A finished file from the store has a validator; one made again would stream without it.
    check("after the upgrade the reading is served from the kept cache, the same bytes",
          status == 200 and headers.get("ETag") and hashlib.sha256(audio).hexdigest() == kept["sha256"],
          f"{status} {headers.get('ETag')}")
    uid = os.stat(os.path.join(ROOT, "var/lib/qari")).st_uid
    r = subprocess.run(["/usr/sbin/chroot", f"--userspec={uid}:{os.stat(os.path.join(ROOT, 'var/lib/qari')).st_gid}", ROOT, "/usr/bin/qari", "reports", "list", "--json",
                        "--db", "/var/lib/qari/reports.sqlite"], capture_output=True, text=True,
                       env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    words = [g.get("word") for g in json.loads(r.stdout)] if r.returncode == 0 else []
    check(f"after the upgrade the report is still there ({kept['word']})", kept["word"] in words, r.stderr or r.stdout)
sys.exit(1 if failures else 0)
