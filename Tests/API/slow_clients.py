#!/usr/bin/env python3
"""Slow and oversized request heads against a running daemon of its own (a process apart, so no other test shares
its threads): a head far over the limit gets a 4xx (or a reset, when TCP loses the answer to a client still
sending), never a 500; a head dribbled a byte at a time is cut off once the header timeout has passed, while other
clients are served meanwhile.

Usage: slow_clients.py [QARI]   Prints one line per check and 'slow-clients: N passed, N failed'; exit 1 on a failure.
"""
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

QARI = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/qari"
HEADER_TIMEOUT = 1.0


def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    return s


def receive(s):
    data = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except (ConnectionResetError, socket.timeout):
        pass
    return data


def health(port):
    s = connect(port)
    s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    answer = receive(s)
    s.close()
    return answer.startswith(b"HTTP/1.1 200")


def closed_by_peer(s):
    s.setblocking(False)
    try:
        while True:
            chunk = s.recv(4096)
            if not chunk:
                return True
    except BlockingIOError:
        return False
    except (ConnectionResetError, BrokenPipeError):
        return True
    finally:
        s.setblocking(True)


def main():
    port = random.randint(20000, 40000)
    cache = tempfile.mkdtemp(prefix="qari-slow-")
    env = dict(os.environ, QARI_CONNECTIONS_HEADER_TIMEOUT=str(HEADER_TIMEOUT))
    daemon = subprocess.Popen([QARI, "serve", "--port", str(port), "--cache-directory", cache, "--log-level", "error"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    passed = failed = 0

    def check(name, ok, detail=""):
        nonlocal passed, failed
        passed, failed = (passed + 1, failed) if ok else (passed, failed + 1)
        print(("PASS " if ok else "FAIL ") + name + ("" if ok else f": {detail}"), flush=True)

    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
                break
            except Exception:  # noqa: BLE001
                time.sleep(0.1)
        big = connect(port)
        try:
            big.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 40000 + b"\r\n\r\n")
        except (ConnectionResetError, BrokenPipeError):
            pass
        answer = receive(big)
        big.close()
        check("a head over the limit is a 4xx, never a 500", answer == b"" or answer.startswith(b"HTTP/1.1 4"),
              answer[:40])
        check("others are served after it", health(port))
        slow = connect(port)
        slow.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        start = time.monotonic()
        served = all(health(port) for _ in range(3))
        check("others are served while a head dribbles in", served)
        closed_after = None
        while time.monotonic() - start < 60 and closed_after is None:
            time.sleep(0.1)
            try:
                slow.send(b"a")
            except OSError:
                pass
            if closed_by_peer(slow):
                closed_after = time.monotonic() - start
        check("a dribbled head is cut off", closed_after is not None, "still open after 60 s")
        check("not before the header timeout", closed_after is None or closed_after >= 0.9 * HEADER_TIMEOUT,
              f"cut off after {closed_after:.2f} s")
        check("the daemon still serves", health(port))
    finally:
        daemon.terminate()
        daemon.wait(timeout=30)
    print(f"slow-clients: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
