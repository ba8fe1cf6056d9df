#!/usr/bin/env python3
"""A catalogue of bad requests against a running daemon: each must get its precise status and problem, none a 500,
and the daemon must stay up. Malformed HTTP goes through a raw socket (what an HTTP library will not send).

Usage: bench/chaos_catalogue.py URL KEY   (the daemon with QARI_API_KEYS=KEY); exit status 1 if any answer is wrong.
Run by `make test` (Tests/API/catalogue.sh) and by bench/chaos.
"""
import json
import socket
import sys
import urllib.error
import urllib.parse
import urllib.request

URL = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8470"
KEY = sys.argv[2] if len(sys.argv) > 2 else ""
AUTH = {"Authorization": f"Bearer {KEY}"} if KEY else {}
HOST, PORT = urllib.parse.urlsplit(URL).hostname, urllib.parse.urlsplit(URL).port


def http(method, path, body=None, headers=None):
    headers = dict(headers or {})
    req = urllib.request.Request(URL + path, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def raw(data, read=True):
    """Sends bytes as they are; the status line of the answer, or 'closed'."""
    with socket.create_connection((HOST, PORT), timeout=20) as s:
        s.sendall(data)
        if not read:
            return "sent"
        s.shutdown(socket.SHUT_WR)
        answer = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                answer += chunk
        except (ConnectionResetError, socket.timeout):
            pass
    if not answer:
        return "closed", b""
    head, _, body = answer.partition(b"\r\n\r\n")
    return head.split(b"\r\n")[0].decode(errors="replace"), body


JSON = {"Content-Type": "application/json"}
HTML = {"Content-Type": "text/html"}


def speech(body, extra=None):
    return ("POST", "/v1/speech", body if isinstance(body, bytes) else json.dumps(body).encode(),
            {**JSON, **AUTH, **(extra or {})})


def cases(reading_id):
    deep_html = b"<html><body>" + b"<div>" * 20000 + b"x" + b"</div>" * 20000 + b"</body></html>"
    deep_json = b"[" * 100000 + b"]" * 100000
    audio = f"/v1/readings/{reading_id}/audio.ogg"
    return [
        ("JSON that does not parse", speech(b'{"text": "x", "voice": '), 400, "invalid-json"),
        ("JSON of the wrong shape (an array)", speech([1, 2]), 400, "invalid-json"),
        ("a number where text goes", speech({"text": 5, "voice": "fr"}), 400, "invalid-json"),
        ("no voice", speech({"text": "Bonjour."}), 400, "missing-voice"),
        ("an unknown voice", speech({"text": "Bonjour.", "voice": "xx"}), 404, "unknown-voice"),
        ("empty text", speech({"text": "   ", "voice": "fr"}), 400, "empty-text"),
        ("text over the limit", speech({"text": "a" * 100_001, "voice": "fr"}), 413, "text-too-long"),
        ("rate out of range", speech({"text": "Bonjour.", "voice": "fr", "rate": 10000}), 400, "out-of-range"),
        ("invalid UTF-8", speech(b'{"text": "\xff\xfe", "voice": "fr"}'), 400, None),
        ("SSML that does not parse", speech({"text": "<speak><p>x</speak>", "voice": "fr", "ssml": True}), 400,
         "invalid-ssml"),
        ("an unknown audio format", speech({"text": "x", "voice": "fr", "format": "flac"}), 415, "unknown-format"),
        ("an Accept nothing can meet", speech({"text": "x", "voice": "fr"}, {"Accept": "image/png"}), 406,
         "not-acceptable"),
        ("a body that is not JSON", ("POST", "/v1/speech", b"text=x", {"Content-Type": "text/plain", **AUTH}), 415,
         "unsupported-media-type"),
        ("a body over the limit", speech(b'{"text": "' + b"a" * 1_300_000 + b'", "voice": "fr"}'), 413,
         "text-too-long"),
        ("the portal's route without its key", ("POST", "/v1/speech", b'{"text":"x","voice":"fr"}', JSON), 401,
         "unauthorized"),
        ("a wrong key", ("POST", "/v1/speech", b'{"text":"x","voice":"fr"}', {**JSON, "Authorization": "Bearer x"}),
         401, "unauthorized"),
        ("a page as text/plain", ("POST", "/v1/readings", b"<p>x</p>", {"Content-Type": "text/plain"}), 415,
         "unsupported-media-type"),
        ("an empty page", ("POST", "/v1/readings", b"  \n", HTML), 400, "empty-page"),
        ("a page over the limit", ("POST", "/v1/readings", b"<p>" + b"a" * (11 << 20), HTML), 413,
         "page-too-large"),
        ("a page nested 20,000 deep", ("POST", "/v1/readings", deep_html, HTML), 422, "page-too-complex"),
        ("a charset nobody knows", ("POST", "/v1/readings", b"<p>x</p>", {"Content-Type": "text/html; charset=x-qq"}),
         415, "unsupported-charset"),
        ("a page with nothing to read", ("POST", "/v1/readings", b"<nav><a href=/>x</a></nav>", HTML), 422,
         "nothing-to-read"),
        ("JSON page request with html of the wrong type",
         ("POST", "/v1/readings", b'{"html": 5}', JSON), 400, "invalid-json"),
        ("JSON nested 100,000 deep", ("POST", "/v1/readings", deep_json, JSON), 400, "invalid-json"),
        ("an unknown display mode", ("GET", "/v1/transform.css?mode=loud", None, {}), 400, "unknown-mode"),
        ("a reading id that is not one", ("GET", "/v1/readings/abc", None, {}), 404, None),
        ("a reading nobody asked for", ("GET", "/v1/readings/" + "0" * 64, None, {}), 404, "unknown-reading"),
        ("a file a reading does not have", ("GET", f"/v1/readings/{reading_id}/secret.txt", None, {}), 404, None),
        ("a range past the end", ("GET", audio, None, {"Range": "bytes=999999999-"}), 416, "range-not-satisfiable"),
        ("a range the wrong way round", ("GET", audio, None, {"Range": "bytes=50-10"}), 416, None),
        ("path traversal on /widget/", ("GET", "/widget/..%2f..%2fPackage.swift", None, {}), 404, None),
        ("path traversal, encoded dots", ("GET", "/widget/%2e%2e/%2e%2e/etc/passwd", None, {}), 404, None),
        ("path traversal on /demo/", ("GET", "/demo/..%2f..%2f..%2fetc%2fpasswd", None, {}), 404, None),
        ("a method the route does not take", ("DELETE", "/v1/readings", None, {}), 405, "method-not-allowed"),
    ]


RAW = [
    ("chunked body with a bad chunk size",
     b"POST /v1/readings HTTP/1.1\r\nHost: x\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n<p>x</p>\r\n0\r\n\r\n",
     "400"),
    ("Content-Length and chunked at once (smuggling)",
     b"POST /v1/readings HTTP/1.1\r\nHost: x\r\nContent-Type: text/html\r\nContent-Length: 4\r\n"
     b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "4"),
    ("a header line with no colon", b"GET /health HTTP/1.1\r\nHost: x\r\nBroken header\r\n\r\n", "4"),
    ("a header with a bare CR (injection)", b"GET /health HTTP/1.1\r\nHost: x\r\nX-Request-Id: a\rSet-Cookie: b\r\n\r\n",
     "4"),
    ("a head of 64 KiB", b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 65536 + b"\r\n\r\n", "4"),
    ("not HTTP at all", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64, "4"),
    ("a body shorter than its Content-Length, then the connection closed",
     b"POST /v1/readings HTTP/1.1\r\nHost: x\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n<p>short</p>",
     "closed-or-4"),
]


def main():
    status, _, body = http("POST", "/v1/readings", b"<main><p>Votre demande est bien re\xc3\xa7ue.</p></main>", HTML)
    reading = json.loads(body)
    http("GET", reading["audio"]["ogg"])  # made, so that ranges are answered from the finished file
    wrong = 0
    rows = []
    for name, (method, path, body, headers), want, code in cases(reading["id"]):
        status, headers_back, answer = http(method, path, body, headers)
        problem = {}
        if headers_back.get("Content-Type", "").startswith("application/problem+json"):
            problem = json.loads(answer)
        got = problem.get("type", "").rsplit(":", 1)[-1]
        ok = status == want and (code is None or got == code) and bool(problem) and status < 500
        wrong += not ok
        rows.append((ok, name, status, got, want, code))
    for name, data, want in RAW:
        line, _ = raw(data)
        status = line.split(" ")[1] if line.startswith("HTTP/") else line
        ok = status.startswith(want) or (want == "closed-or-4" and status in ("closed", "400"))
        wrong += not ok
        rows.append((ok, name + " (raw)", status, "", want, None))
    for ok, name, status, got, want, code in rows:
        print(f"  {'ok  ' if ok else 'FAIL'} {status!s:>6} {got:<24} {name}" + ("" if ok else f"   (want {want} {code})"))
    up = http("GET", "/health")[0]
    print(f"catalogue: {len(rows)} bad requests, {len(rows) - wrong} answered as they should; daemon after: {up}")
    sys.exit(1 if wrong or up != 200 else 0)


if __name__ == "__main__":
    main()
