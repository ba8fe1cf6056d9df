"""Helpers of bench/page: build the 100 KB page, time /v1/read's first audio byte."""
import argparse
import http.client
import json
import statistics
import sys
import time


def make_page(source, target):
    html = open(source, encoding="utf-8").read()
    start = html.index("<main")
    start = html.index(">", start) + 1
    end = html.index("</main>")
    body = html[start:end]
    copies = max(1, (100_000 - (len(html.encode()) - len(body.encode()))) // len(body.encode()))
    page = html[:start] + body * copies + html[end:]
    open(target, "w", encoding="utf-8").write(page)


def post(port, path, body, content_type):
    """Returns (seconds to the first body byte, seconds to the whole body, body bytes)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    t0 = time.perf_counter()
    conn.request("POST", path, body=body, headers={"Content-Type": content_type, "Accept": "audio/ogg"})
    response = conn.getresponse()
    if response.status != 200:
        sys.exit(f"{path}: HTTP {response.status}: {response.read()[:300]!r}")
    first = response.read1(1)
    t1 = time.perf_counter()
    rest = response.read()
    t2 = time.perf_counter()
    conn.close()
    return t1 - t0, t2 - t0, len(first) + len(rest)


def first_audio(args):
    page = open(args.page, "rb").read()
    plan_conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=600)
    plan_conn.request("POST", "/v1/read/plan", body=page, headers={"Content-Type": "text/html"})
    plan = json.loads(plan_conn.getresponse().read())
    first = plan["passages"][0]
    speech_body = json.dumps({"text": first["text"], "voice": first["voice"], "format": "ogg"}).encode()
    reads, speeches = [], []
    for _ in range(args.rounds):
        reads.append(post(args.port, "/v1/read", page, "text/html"))
        speeches.append(post(args.port, "/v1/speech", speech_body, "application/json"))
    first_ms = statistics.median(r[0] for r in reads) * 1000
    total_ms = statistics.median(r[1] for r in reads) * 1000
    floor_ms = statistics.median(s[0] for s in speeches) * 1000
    print()
    print(f"POST /v1/read, {len(page)} bytes, {len(plan['passages'])} passages, "
          f"{plan['duration_ms'] / 1000:.0f} s of audio; {args.rounds} rounds (medians)")
    print(f"  first audio byte            {first_ms:9.1f} ms")
    print(f"  whole audio                 {total_ms:9.1f} ms   first/whole = {first_ms / total_ms:.3f}")
    print(f"  /v1/speech, first passage   {floor_ms:9.1f} ms   first audio / this floor = {first_ms / floor_ms:.2f}")
    read_ms = None
    for line in open(args.extract):
        if line.startswith("page-100k.html"):
            read_ms = float(line.split()[3])
    print()
    print("targets")
    if read_ms is not None:
        print(f"  {'PASS' if read_ms <= 5 else 'MISS'}  100 KB page read (decode, parse, extract) <= 5 ms: {read_ms:.2f} ms")
    print(f"  {'PASS' if first_ms / total_ms < 0.1 else 'MISS'}  first audio does not wait for the page "
          f"(first byte < 10% of the whole): {first_ms / total_ms:.3f}")


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("make-page")
    m.add_argument("source")
    m.add_argument("target")
    f = sub.add_parser("first-audio")
    f.add_argument("--port", type=int, required=True)
    f.add_argument("--page", required=True)
    f.add_argument("--rounds", type=int, default=5)
    f.add_argument("--extract", required=True)
    args = parser.parse_args()
    if args.command == "make-page":
        make_page(args.source, args.target)
    else:
        first_audio(args)


if __name__ == "__main__":
    main()
