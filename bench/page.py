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


def first_byte(port, path, body, content_type):
    """Seconds to the first body byte. The rest is read too: a dropped request would cost the next one a worker
    restart and skew it."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    t0 = time.perf_counter()
    conn.request("POST", path, body=body, headers={"Content-Type": content_type, "Accept": "audio/ogg"})
    response = conn.getresponse()
    if response.status != 200:
        sys.exit(f"{path}: HTTP {response.status}: {response.read()[:300]!r}")
    response.read1(1)
    t1 = time.perf_counter()
    response.read()
    conn.close()
    return t1 - t0


def first_audio(args):
    print()
    for page_path in args.page:
        page = open(page_path, "rb").read()
        plan_conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=600)
        t0 = time.perf_counter()
        plan_conn.request("POST", "/v1/read/plan", body=page, headers={"Content-Type": "text/html"})
        plan = json.loads(plan_conn.getresponse().read())
        whole = time.perf_counter() - t0
        first = plan["passages"][0]
        speech_body = json.dumps({"text": first["text"], "voice": first["voice"], "format": "ogg"}).encode()
        reads = [first_byte(args.port, "/v1/read", page, "text/html") for _ in range(args.rounds)]
        floors = [first_byte(args.port, "/v1/speech", speech_body, "application/json") for _ in range(args.rounds)]
        first_ms = statistics.median(reads) * 1000
        floor_ms = statistics.median(floors) * 1000
        name = page_path.rsplit("/", 1)[-1]
        print(f"POST /v1/read {name}: {len(page)} bytes, {len(plan['passages'])} passages, "
              f"{plan['duration_ms'] / 60000:.0f} min of audio; medians of {args.rounds}")
        print(f"  first audio byte                      {first_ms:9.1f} ms")
        print(f"  the whole page read (/v1/read/plan)   {whole * 1000:9.1f} ms   first/whole = {first_ms / (whole * 1000):.4f}")
        print(f"  /v1/speech of its first passage       {floor_ms:9.1f} ms   first audio - this floor = "
              f"{first_ms - floor_ms:.1f} ms (decode, parse, extract, plan)")
        verdict = "PASS" if first_ms / (whole * 1000) < 0.1 else "MISS"
        print(f"  {verdict}  first audio does not wait for the page (first byte < 10% of the whole read)")
    read_ms = None
    for line in open(args.extract):
        if line.startswith("page-100k.html"):
            read_ms = float(line.split()[3])
    if read_ms is not None:
        print(f"  {'PASS' if read_ms <= 5 else 'MISS'}  100 KB page extraction (after parsing) <= 5 ms: {read_ms:.2f} ms")


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("make-page")
    m.add_argument("source")
    m.add_argument("target")
    f = sub.add_parser("first-audio")
    f.add_argument("--port", type=int, required=True)
    f.add_argument("--page", action="append", required=True)
    f.add_argument("--rounds", type=int, default=5)
    f.add_argument("--extract", required=True)
    args = parser.parse_args()
    if args.command == "make-page":
        make_page(args.source, args.target)
    else:
        first_audio(args)


if __name__ == "__main__":
    main()
