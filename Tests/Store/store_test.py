#!/usr/bin/env python3
"""The reading cache and the reports database against the faults a real host meets, on daemons of its own:

- a cached reading's file cut off, altered or deleted: the next listener still gets whole audio, the same length
  and the same marks as before, and /metrics counts the damage;
- SIGKILL at varied points of making and storing readings, 50 times: after each restart every reading the store
  holds is whole on disk (each file matches the checksum its marker lists) and its audio decodes to the length its
  marks say;
- a full disk (a small tmpfs; skipped in one line where mount is not permitted): readings keep coming, /health says
  degraded, the log says so once, reports answer 503 with Retry-After, and caching resumes when space is freed;
- a cache folder or reports database that cannot be written at start: the error names the path and the setting,
  and the exit status is 78.

Usage: store_test.py [QARI]   Prints one line per check and 'store: N passed, N failed'; exit 1 on a failure.
"""
import hashlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import wave

QARI = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/debug/qari")
WORDS = ("carte nationale dépôt demande certificat résidence commune bureau guichet dossier copie timbre "
         "passeport permis naissance mariage adresse délai service agent rendez-vous").split()
passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    passed, failed = (passed + 1, failed) if ok else (passed, failed + 1)
    print(("PASS " if ok else "FAIL ") + name + ("" if ok else f": {detail}"), flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(url, body=None, headers=None, timeout=120):
    """(status, headers, body), whatever the status."""
    req = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def until(what, condition, deadline=60):
    """Waits for `condition` (polled), at most `deadline` seconds; its last value."""
    end = time.monotonic() + deadline
    while True:
        value = condition()
        if value or time.monotonic() > end:
            if not value:
                raise TimeoutError(f"timed out waiting for {what}")
            return value
        time.sleep(0.02)


def page(n, words=12):
    rng = random.Random(n)
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return f"<html lang=fr><body><main><h1>Démarche {n}</h1><p>{text}.</p></main></body></html>".encode()


def decoded_seconds(ogg):
    """The length of Ogg Opus bytes once decoded (0 when they do not decode)."""
    with tempfile.TemporaryDirectory() as d:
        src, wav = os.path.join(d, "a.ogg"), os.path.join(d, "a.wav")
        open(src, "wb").write(ogg)
        if subprocess.run(["opusdec", "--quiet", "--rate", "22050", src, wav], capture_output=True).returncode != 0:
            return 0.0
        with wave.open(wav) as w:
            return w.getnframes() / w.getframerate()


class Daemon:
    def __init__(self, cache, log, reports=None, extra=()):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        self.log_path = log
        args = [QARI, "serve", "--port", str(self.port), "--cache-directory", cache, "--log-level", "info",
                "--reports-db", reports or "", *extra]
        env = dict(os.environ, QARI_LIMITS_REQUESTS_PER_MINUTE="10000000", QARI_LIMITS_REQUESTS_BURST="1000000",
                   QARI_LIMITS_READINGS_PER_MINUTE="100000", QARI_LIMITS_READINGS_BURST="100000",
                   QARI_LIMITS_REPORTS_PER_HOUR="100000")
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=open(log, "a"), env=env)
        until("the daemon's /health", self.up, deadline=120)

    def up(self):
        if self.process.poll() is not None:
            raise RuntimeError(f"the daemon exited ({self.process.returncode}): " + open(self.log_path).read()[-2000:])
        try:
            return request(self.base + "health", timeout=2)[0] == 200
        except OSError:
            return False

    def health(self):
        return json.loads(request(self.base + "health")[2])

    def metric(self, name):
        for line in request(self.base + "metrics")[2].decode().splitlines():
            if line.startswith(name + " ") or line.startswith(name + "{"):
                return float(line.split()[-1])
        return None

    def read(self, html):
        status, _, body = request(self.base + "v1/readings", html, {"Content-Type": "text/html"})
        assert status == 200, (status, body[:300])
        return json.loads(body)

    def file(self, reading_id, name):
        return request(self.base + f"v1/readings/{reading_id}/{name}")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=60)


def stored(cache, reading_id):
    """Whether the reading is in the store: its folder with a marker listing checksums."""
    marker = os.path.join(cache, reading_id, "complete")
    return os.path.exists(marker) and os.path.getsize(marker) > 0


def is_passage(cache, entry):
    """Whether a store entry is a reading's passage (its audio and marks, reused by readings), not a reading."""
    return os.path.exists(os.path.join(cache, entry, "passage.opus")) or " passage.opus" in open(
        os.path.join(cache, entry, "complete")).read()


def whole_on_disk(cache, reading_id):
    """'' when each file the marker lists matches its checksum, else what does not."""
    folder = os.path.join(cache, reading_id)
    lines = open(os.path.join(folder, "complete")).read().splitlines()
    if not lines:
        return "an empty marker"
    for line in lines:
        digest, name = line.split("  ", 1)
        try:
            if hashlib.sha256(open(os.path.join(folder, name), "rb").read()).hexdigest() != digest:
                return f"{name} does not match its checksum"
        except FileNotFoundError:
            return f"{name} is missing"
    return ""


def served_whole(daemon, reading_id):
    """(audio seconds, marks) as served, checking the audio decodes to the length the marks say."""
    status, _, ogg = daemon.file(reading_id, "audio.ogg")
    assert status == 200 and ogg[:4] == b"OggS", (status, ogg[:80])
    status, _, body = daemon.file(reading_id, "marks.json")
    assert status == 200, (status, body[:200])
    marks = json.loads(body)
    seconds = decoded_seconds(ogg)
    assert abs(seconds - marks["duration_ms"] / 1000) < 0.15, (seconds, marks["duration_ms"])
    return seconds, marks


def damaged_files(work):
    cache = os.path.join(work, "damage-cache")
    log = os.path.join(work, "damage.log")
    daemon = Daemon(cache, log)
    try:
        reading = daemon.read(page(1, words=20))
        rid = reading["id"]
        seconds, marks = served_whole(daemon, rid)
        until("the reading stored", lambda: stored(cache, rid))
        faults = [("truncated", "audio.ogg"), ("flipped", "audio.ogg"), ("deleted", "audio.ogg"),
                  ("flipped", "marks.json"), ("truncated", "marks.json")]
        for fault, name in faults:
            path = os.path.join(cache, rid, name)
            size = os.path.getsize(path)
            if fault == "truncated":
                os.truncate(path, size // 2)
            elif fault == "deleted":
                os.unlink(path)
            else:
                with open(path, "r+b") as f:
                    f.seek(size // 2)
                    byte = f.read(1)
                    f.seek(size // 2)
                    f.write(bytes([byte[0] ^ 0xFF]))
            again_seconds, again_marks = served_whole(daemon, rid)
            check(f"{fault} {name}: the next listener gets whole audio, the same length and marks",
                  abs(again_seconds - seconds) < 0.05 and again_marks == marks,
                  f"{again_seconds} s against {seconds} s")
            until("the reading stored again", lambda: stored(cache, rid) and not whole_on_disk(cache, rid))
        check("/metrics counts each damaged file", daemon.metric("qari_cache_damaged_total") == len(faults),
              f"qari_cache_damaged_total {daemon.metric('qari_cache_damaged_total')}")
        text = open(log).read()
        check("the log names each damage (reading id and file), never the text",
              text.count("a cached reading was damaged") == len(faults) and rid in text and "Démarche" not in text)
        # Restarted, the store checks every file again before serving it.
        daemon.stop()
        path = os.path.join(cache, rid, "audio.ogg")
        os.truncate(path, os.path.getsize(path) - 100)
        daemon = Daemon(cache, log)
        again_seconds, again_marks = served_whole(daemon, rid)
        check("a file cut off while the daemon was down is found at the first request after the restart",
              abs(again_seconds - seconds) < 0.05 and again_marks == marks and
              daemon.metric("qari_cache_damaged_total") == 1)
    finally:
        daemon.stop()


def kills(work, cycles=50):
    cache = os.path.join(work, "kill-cache")
    log = os.path.join(work, "kill.log")
    started = time.monotonic()
    rng = random.Random(35)
    checked = set()
    torn = []
    served = 0
    for cycle in range(cycles):
        daemon = Daemon(cache, log)
        # Every reading the store holds after the kill before: whole on disk and served whole.
        for rid in sorted(os.listdir(cache)):
            if len(rid) != 64 or rid in checked or not stored(cache, rid):
                continue
            problem = whole_on_disk(cache, rid)
            if problem:
                torn.append(f"{rid[:12]}: {problem}")
            if is_passage(cache, rid):
                # A reading's passage, kept for reuse: whole on disk is all it must be (it is not served).
                checked.add(rid)
                continue
            try:
                served_whole(daemon, rid)
                served += 1
            except AssertionError as e:
                torn.append(f"{rid[:12]} served torn: {e}")
            checked.add(rid)
        # Two new readings, the daemon killed at a varied point of making or storing them.
        point = cycle % 5
        readings = [daemon.read(page(1000 + 2 * cycle + k, words=rng.randint(6, 40))) for k in range(2)]
        if point >= 1:
            stream = urllib.request.urlopen(daemon.base + f"v1/readings/{readings[0]['id']}/audio.ogg", timeout=120)
            stream.read(1 if point == 1 else -1)
        if point >= 3:
            daemon.file(readings[1]["id"], "audio.ogg")
            daemon.file(readings[1]["id"], "audio.mp3")
        if point == 4:
            until("a reading stored", lambda: stored(cache, readings[0]["id"]))
        time.sleep(rng.uniform(0, 0.03))  # a varied instant around the event, not a wait
        daemon.kill()
    daemon = Daemon(cache, log)
    daemon.stop()
    seconds = time.monotonic() - started
    check(f"{cycles} SIGKILLs while writing: no torn entry on disk or served ({served} readings checked, "
          f"{seconds:.0f} s)", not torn and served > 0, "; ".join(torn[:5]))
    found = open(log).read().count("a cached reading was damaged")
    check("after the kills the store never even found a damaged file (renames are whole)", found == 0,
          f"{found} damaged")
    return seconds


def full_disk(work):
    mount = os.path.join(work, "small-disk")
    os.makedirs(mount)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", mount], capture_output=True, text=True)
    if r.returncode != 0:
        print(f"SKIP full disk: mounting a tmpfs is not permitted here ({r.stderr.strip()})")
        return
    log = os.path.join(work, "full.log")
    cache = os.path.join(mount, "cache")
    daemon = None
    try:
        daemon = Daemon(cache, log, reports=os.path.join(mount, "reports.sqlite"))
        first = daemon.read(page(5000))
        _, first_marks = served_whole(daemon, first["id"])
        until("the first reading stored", lambda: stored(cache, first["id"]))
        # The disk fills.
        with open(os.path.join(mount, "filler"), "wb") as f:
            try:
                while True:
                    f.write(b"\0" * 65536)
                    f.flush()
            except OSError:
                pass
        results = []
        for n in range(3):
            reading = daemon.read(page(5001 + n))
            results.append(served_whole(daemon, reading["id"]))
        check("a full disk: readings keep coming, whole", len(results) == 3)
        health = until("/health to say degraded", lambda: (lambda h: h if h["status"] == "degraded" else None)(
            daemon.health()))
        cache_health = health["readings"]["cache"]
        check("a full disk: /health says degraded (200), the cache says why",
              cache_health["state"] == "degraded" and "No space left" in cache_health.get("reason", ""),
              json.dumps(cache_health))
        check("a full disk: /metrics shows the cache degraded", daemon.metric("qari_cache_degraded") == 1)
        again = served_whole(daemon, reading["id"])
        check("a full disk: a reading made meanwhile is served again from memory", again == results[-1])
        word = next(m for m in first_marks["marks"] if m["type"] == "word")
        body = json.dumps({"reading": first["id"], "passage": word["passage"], "start": word["offset"],
                           "end": word["offset"] + word["length"]}).encode()
        status, headers, problem = request(daemon.base + "v1/reports", body, {"Content-Type": "application/json"})
        check("a full disk: a report answers 503 with Retry-After, as a problem",
              status == 503 and "Retry-After" in headers and json.loads(problem).get("type", "").endswith(":storage-full"),
              f"{status} {headers.get('Retry-After')} {problem[:200]}")
        check("a full disk: the daemon still answers", daemon.up() and request(daemon.base + "v1/voices")[0] == 200)
        text = open(log).read()
        check("a full disk: the log says so once", text.count("cannot store readings") == 1,
              f"{text.count('cannot store readings')} lines")
        # Space returns.
        os.unlink(os.path.join(mount, "filler"))
        later = daemon.read(page(5100))
        served_whole(daemon, later["id"])
        until("/health to say ok", lambda: daemon.health()["status"] == "ok")
        check("space freed: caching resumes by itself, the log says so once",
              stored(cache, later["id"]) and not whole_on_disk(cache, later["id"])
              and open(log).read().count("stores readings again") == 1)
        status, _, _ = request(daemon.base + "v1/reports", body, {"Content-Type": "application/json"})
        check("space freed: reports are kept again", status == 201, str(status))
    finally:
        if daemon:
            daemon.stop()
        subprocess.run(["umount", mount])


def unwritable_at_start(work):
    blocker = os.path.join(work, "a-file")
    open(blocker, "w").close()
    cases = [("--cache-directory", os.path.join(blocker, "readings"), "cache.directory"),
             ("--reports-db", os.path.join(blocker, "reports.sqlite"), "reports.db")]
    for flag, path, key in cases:
        args = [QARI, "serve", "--port", str(free_port()), flag, path]
        if flag != "--cache-directory":
            args += ["--cache-directory", os.path.join(work, "start-cache")]
        r = subprocess.run(args, capture_output=True, text=True, timeout=120)
        check(f"an unwritable {key}: exit 78, the message names the path and the setting",
              r.returncode == 78 and path in r.stderr and key in r.stderr and flag in r.stderr,
              f"exit {r.returncode}: {r.stderr.strip()[-300:]}")


def main():
    work = tempfile.mkdtemp(prefix="qari-store-")
    try:
        damaged_files(work)
        full_disk(work)
        unwritable_at_start(work)
        kills(work)
    except Exception as e:  # a check that could not run is a failure, with its reason
        check("the store test ran to its end", False, repr(e))
    finally:
        print(f"store: {passed} passed, {failed} failed")
        if failed == 0:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"logs kept in {work}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
