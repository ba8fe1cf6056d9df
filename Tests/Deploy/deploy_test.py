#!/usr/bin/env python3
"""The deployment under deploy/, for real: the systemd unit passes `systemd-analyze verify`, and Debian's nginx with
deploy/nginx/qari.conf in front of two daemons on loopback reads pages, loses no idempotent request when one daemon
is killed under load, and still serves cached audio once both daemons are stopped.

Usage: Tests/Deploy/deploy_test.py [QARI]   (standard library only; needs nginx and systemd-analyze)
"""
import concurrent.futures
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
KEY = "deploy-test-key-" + "".join(random.choice("0123456789abcdef") for _ in range(24))


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(url, body=None, headers=None, timeout=60):
    req = urllib.request.Request(url, data=body, headers=headers or {})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.status, dict(r.headers), r.read()


def verify_unit(qari):
    """systemd-analyze verify on the unit as shipped, but for the binary's path on this machine."""
    unit = open(os.path.join(ROOT, "deploy", "qari@.service"), encoding="utf-8").read()
    for option in ("User=qari", "ProtectSystem=strict", "NoNewPrivileges=yes", "MemoryMax=", "CacheDirectory="):
        assert option in unit, f"the unit lacks {option}"
    with tempfile.TemporaryDirectory() as d:
        local = unit.replace("/usr/bin/qari", os.path.abspath(qari))
        path = os.path.join(d, "qari@8471.service")
        open(path, "w", encoding="utf-8").write(local)
        r = subprocess.run(["systemd-analyze", "verify", path], capture_output=True, text=True)
        problems = [line for line in (r.stdout + r.stderr).splitlines() if "qari" in line]
        assert r.returncode == 0 and not problems, f"systemd-analyze verify: {r.stdout}{r.stderr}"
    print("PASS the systemd unit verifies (systemd-analyze verify)")


class Daemon:
    def __init__(self, qari, port, work):
        self.port = port
        # One cache for both, as the systemd instances share /var/cache/qari: a reading made by one is served by all.
        self.cache = os.path.join(work, "cache")
        self.log = open(os.path.join(work, f"daemon-{port}.log"), "w")
        # The load below is four scripts at full speed from one address, and the pages' readings (public and
        # private, over 10 new readings a minute from one client): limits high enough for them (the limits have
        # their own tests).
        env = dict(os.environ, QARI_API_KEYS=KEY, QARI_PROXIES_TRUSTED="127.0.0.1",
                   QARI_LIMITS_REQUESTS_PER_MINUTE="10000000", QARI_LIMITS_REQUESTS_BURST="1000000",
                   QARI_LIMITS_READINGS_PER_MINUTE="100000", QARI_LIMITS_READINGS_BURST="100000")
        self.process = subprocess.Popen(
            [qari, "serve", "--port", str(port), "--cache-directory", self.cache, "--log-level", "warning"],
            stdout=subprocess.DEVNULL, stderr=self.log, env=env)
        for _ in range(300):
            try:
                request(f"http://127.0.0.1:{port}/health", timeout=1)
                return
            except Exception:
                time.sleep(0.1)
        raise RuntimeError(f"daemon on {port} did not start")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)


def nginx_config(work, listen, ports):
    """deploy/nginx/qari.conf with this run's ports and folders, inside a minimal nginx.conf."""
    site = open(os.path.join(ROOT, "deploy", "nginx", "qari.conf"), encoding="utf-8").read()
    # The daemons' ports, in their addresses and in the names of their own upstreams (qari_PORT).
    site = site.replace("8471", str(ports[0])).replace("8472", str(ports[1]))
    site = site.replace("/var/lib/nginx/qari", os.path.join(work, "nginx-cache"))
    site = re.sub(r"listen 80;", f"listen 127.0.0.1:{listen};", site)
    user = "user root;\n" if os.getuid() == 0 else ""
    conf = f"""{user}worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log {work}/nginx-access.log;
    client_body_temp_path {work}/body; proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi; uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;
{site}
}}
"""
    path = os.path.join(work, "nginx.conf")
    open(path, "w", encoding="utf-8").write(conf)
    return path


def main():
    qari = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/debug/qari"))
    if not shutil.which("nginx") or not shutil.which("systemd-analyze"):
        sys.exit("deploy: nginx or systemd-analyze is missing (make deps installs nginx-light)")
    verify_unit(qari)
    work = tempfile.mkdtemp(prefix="qari-deploy-")
    ports = [free_port(), free_port()]
    listen = free_port()
    daemons = [Daemon(qari, p, work) for p in ports]
    conf = nginx_config(work, listen, ports)
    nginx = subprocess.Popen(["nginx", "-p", work, "-c", conf, "-g", "daemon off;"], stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{listen}/qari/"
    failures = 0
    try:
        for _ in range(100):
            if nginx.poll() is not None:
                raise RuntimeError("nginx did not start: " + nginx.stderr.read().decode(errors="replace"))
            try:
                request(base + "health", timeout=1)
                break
            except Exception:
                time.sleep(0.1)
        # Pages read through nginx: a reading per sample page, its audio and marks made and cached (the private
        # samples below).
        pages = sorted(f for f in os.listdir(os.path.join(ROOT, "samples", "pages"))
                       if f.endswith(".html") and not f.startswith("private-"))
        readings = []
        for page in pages:
            html = open(os.path.join(ROOT, "samples", "pages", page), "rb").read()
            status, _, body = request(base + "v1/readings", html, {"Content-Type": "text/html"})
            assert status == 200, page
            reading = json.loads(body)
            audio = reading["audio"]["ogg"].lstrip("/")
            status, headers, ogg = request(base + audio, timeout=300)
            assert status == 200 and ogg[:4] == b"OggS", page
            readings.append(reading)
        # Private readings live in the memory of the daemon that made them: their ids name it, and nginx sends
        # every request for one to that daemon, made by either, never from its cache.
        private = sorted(f for f in os.listdir(os.path.join(ROOT, "samples", "pages")) if f.startswith("private-"))
        makers = set()
        for page in private * 2:
            html = open(os.path.join(ROOT, "samples", "pages", page), "rb").read()
            status, headers, body = request(base + "v1/readings", html, {"Content-Type": "text/html"})
            reading = json.loads(body)
            assert status == 200 and re.fullmatch(r"p[0-9a-f]{40}-\d+", reading["id"]), reading["id"]
            makers.add(reading["id"].rsplit("-", 1)[1])
            for _ in range(3):
                for path in (f"v1/readings/{reading['id']}", reading["audio"]["ogg"].lstrip("/"),
                             reading["marks"]["json"].lstrip("/")):
                    status, headers, body = request(base + path, timeout=300)
                    assert status == 200 and "no-store" in headers.get("Cache-Control", ""), (path, headers)
                    assert "X-Cache" not in headers, (path, headers)
        assert makers == {str(p) for p in ports}, f"private readings made by {makers} of {ports}"
        print(f"PASS {2 * len(private)} private readings, made by both daemons, each served by its own through nginx")
        # The second time the finished audio comes from nginx's cache.
        first = readings[0]["audio"]["ogg"].lstrip("/")
        request(base + first)
        _, headers, cached_ogg = request(base + first)
        assert headers.get("X-Cache") == "HIT", headers
        # The portal's routes through nginx still need the key.
        try:
            request(base + "v1/speech", b'{"text":"Bonjour.","voice":"fr"}', {"Content-Type": "application/json"})
            raise AssertionError("/v1/speech answered without a key")
        except urllib.error.HTTPError as e:
            assert e.code == 401
        status, _, _ = request(base + "v1/speech", b'{"text":"Bonjour.","voice":"fr"}',
                               {"Content-Type": "application/json", "Authorization": f"Bearer {KEY}"})
        assert status == 200
        try:
            request(base + "metrics")
            raise AssertionError("/metrics is reachable through nginx")
        except urllib.error.HTTPError as e:
            assert e.code == 403
        print(f"PASS {len(pages)} pages read through nginx, finished audio served from its cache (X-Cache: HIT)")

        # Load: idempotent requests that reach the daemons (readings, marks, health, voices), 4 clients; one
        # daemon is killed in the middle.
        stop = threading.Event()
        done = {"ok": 0, "failed": []}
        lock = threading.Lock()

        def client(n):
            paths = [f"v1/readings/{r['id']}" for r in readings] + ["health", "v1/voices"]
            i = n
            while not stop.is_set():
                path = paths[i % len(paths)]
                i += 1
                try:
                    status, _, _ = request(base + path, timeout=30)
                    with lock:
                        done["ok"] += 1
                except Exception as e:  # noqa: BLE001 - every failure is what the test counts
                    with lock:
                        done["failed"].append(f"{path}: {e}")

        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            futures = [pool.submit(client, n) for n in range(4)]
            time.sleep(2)
            before = done["ok"]
            daemons[0].kill()
            time.sleep(3)
            stop.set()
            for f in futures:
                f.result()
        failures = len(done["failed"])
        print(f"    under load: {done['ok']} idempotent requests answered ({before} before the kill), "
              f"{failures} lost: {done['failed'][:3]}")
        assert failures == 0, "idempotent requests were lost when a daemon was killed"
        assert done["ok"] > before, "nothing was answered after the kill"
        print("PASS one daemon killed under load: no idempotent request lost")

        # Both daemons gone: cached audio is still served.
        for d in daemons:
            d.stop()
        status, headers, again = request(base + first)
        assert status == 200 and again == cached_ogg, "cached audio not served with both daemons down"
        ranged = urllib.request.Request(base + first, headers={"Range": "bytes=0-99"})
        with urllib.request.urlopen(ranged, timeout=10) as r:
            assert r.status == 206 and r.read() == cached_ogg[:100]
        print("PASS both daemons stopped: cached audio still served by nginx, ranges too")
    finally:
        for d in daemons:
            d.stop()
        nginx.send_signal(signal.SIGQUIT)
        try:
            nginx.wait(timeout=10)
        except subprocess.TimeoutExpired:
            nginx.kill()
        shutil.rmtree(work, ignore_errors=True)
    print("deploy: passed")


if __name__ == "__main__":
    main()
