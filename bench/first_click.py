"""A first click on a page nobody has opened, step by step, for two builds of the daemon in the same run.

Each page of mozilla/readability's suite (or a folder of .html) is served by a stand-in portal with the reader button's
tag, once per daemon; Listen is clicked with a real mouse, uncached, then again after a reload (cached). The widget's
own profile of the press (qari.state().profile) and the browser's CDP Network events give the steps: gathering the
page, the request, the page read into passages (the daemon's Server-Timing), the first passage's audio up to its first
bytes, the browser starting to play, the first word highlighted. With LOAD=N, N other clients make readings of other
pages all the while, of the daemon being clicked (so each build meets the same load on the machine: N clients and
the readings still under way on the other daemon); LOAD_ON=each gives each daemon its own N clients all the time.

Usage: [PAGES=a,b] [LOAD=4 [LOAD_ON=each]] [LIMIT=n] bench/first-click PATH QARI [BASELINE_QARI]
"""
import http.server
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "Tests", "Browser"))
sys.path.insert(0, os.path.dirname(__file__))
import qari_browser  # noqa: E402
from readability_pages import pages  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

OUT = ".build/bench/first-click"
STEPS = ["gather", "request", "page", "answer", "first bytes", "play", "highlight"]


class Portal(http.server.BaseHTTPRequestHandler):
    """The stand-in portal: /LABEL/PAGE is PAGE with the tag of daemon LABEL first in <head>."""
    pages = {}
    tags = {}

    def do_GET(self):
        parts = self.path.strip("/").split("?")[0].split("/", 1)
        body = self.pages.get(parts[-1]) if len(parts) == 2 and parts[0] in self.tags else None
        if body is None:
            self.send_error(404)
            return
        at = body[:4096].lower().find(b"<head")
        tag = self.tags[parts[0]]
        body = body[:body.index(b">", at) + 1] + tag + body[body.index(b">", at) + 1:] if at >= 0 else tag + body
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Daemon:
    def __init__(self, label, qari, portal):
        self.label, self.port = label, random.randint(20000, 40000)
        self.url = f"http://127.0.0.1:{self.port}/"
        self.cache = tempfile.mkdtemp(prefix=f"qari-first-click-{label}-")
        # Both daemons serve this checkout's widget (QARI_HOME): the builds differ by their daemon alone.
        env = dict(os.environ, QARI_HOME=os.getcwd(), QARI_CORS_ORIGINS=portal, QARI_CACHE_DIRECTORY=self.cache,
                   QARI_LOG_LEVEL=os.environ.get("QARI_LOG_LEVEL", "warning"),
                   QARI_LIMITS_READINGS_PER_MINUTE="100000", QARI_LIMITS_READINGS_BURST="100000",
                   QARI_LIMITS_REQUESTS_PER_MINUTE="1000000", QARI_LIMITS_REQUESTS_BURST="100000",
                   QARI_LIMITS_CONCURRENT_PER_CLIENT="1000")
        # Its warnings and errors, to say why a press missed.
        self.log = open(os.path.join(OUT, f"{label}.log"), "wb")
        self.process = subprocess.Popen([qari, "serve", "--port", str(self.port)], env=env,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(600):
            try:
                urllib.request.urlopen(self.url + "health", timeout=1)
                return
            except Exception:  # noqa: BLE001
                time.sleep(0.1)
        raise SystemExit(f"{qari} never answered")

    def tag(self):
        return f'<script src="{self.url}widget/qari.js" data-qari-endpoint="{self.url}" defer></script>'.encode()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()
        shutil.rmtree(self.cache, ignore_errors=True)


def network(d):
    """Per request id: url, method, sent (epoch ms), response (epoch ms), first data (epoch ms), Server-Timing."""
    seen = {}
    for entry in d.get_log("performance"):
        m = json.loads(entry["message"])["message"]
        p = m.get("params", {})
        method = m.get("method")
        if method == "Network.requestWillBeSent":
            seen[p["requestId"]] = {"url": p["request"]["url"], "method": p["request"]["method"],
                                    "sent": p["wallTime"] * 1000, "offset": p["wallTime"] - p["timestamp"]}
        r = seen.get(p.get("requestId"))
        if not r:
            continue
        if method == "Network.responseReceived":
            r["response"] = (p["timestamp"] + r["offset"]) * 1000
            r["status"] = p["response"].get("status")
            timing = {k.lower(): v for k, v in p["response"].get("headers", {}).items()}.get("server-timing", "")
            r["server"] = {part.split(";")[0].strip(): float(part.split("dur=")[1]) for part in timing.split(",")
                           if "dur=" in part}
        elif method == "Network.loadingFailed":
            r["failed"] = p.get("errorText") or "failed"
        elif method == "Network.loadingFinished":
            r["finished"] = True
        elif method == "Network.dataReceived" and "data" not in r:
            r["data"] = (p["timestamp"] + r["offset"]) * 1000
    return seen


def press(d, url):
    """Opens `url`, clicks Listen, waits for the first highlighted word; the steps in ms, or why not."""
    d.get(url)
    end = time.time() + 15
    while time.time() < end and not d.execute_script("return !!document.querySelector('.qari-listen')"):
        time.sleep(0.05)
    listen = d.find_elements(By.CSS_SELECTOR, ".qari-listen")
    if not listen:
        return None, "no button"
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", listen[0])
    network(d)  # what the page's load asked is not the click's
    ActionChains(d).move_to_element(listen[0]).click().perform()
    end = time.time() + 30
    profile = None
    while time.time() < end:
        profile = d.execute_script("const s = window.qari && window.qari.state(); return s && s.profile")
        if profile and "highlighted" in profile:
            break
        time.sleep(0.05)
    else:
        if not profile:
            return None, "no press"
        shown = d.execute_script(
            "const m = document.querySelector('.qari-message'); return m && !m.hidden ? m.textContent : ''")
        steps_reached = ", ".join(f"{k} {v}" for k, v in profile.items() if k != "at")
        # The daemon's answers to this press, and any request that broke off.
        asked = "; ".join(f"{r['method']} {r['url'].rsplit('/', 1)[-1]} {r.get('status', '-')}"
                          f"{' ' + r['failed'] if 'failed' in r else ''}{'' if r.get('finished') else ' unfinished'}"
                          for r in network(d).values() if "/v1/" in r["url"])
        return None, (f"no highlight in 30 s ({steps_reached}{'; shown: ' + shown if shown else ''}; {asked}; "
                      f"widget: {d.execute_script('return JSON.stringify(window.qari.state())')})")
    requests = network(d).values()
    post = next((r for r in requests if r["method"] == "POST" and r["url"].endswith("/v1/readings")), None)
    audio = next((r for r in requests if "/audio.ogg" in r["url"] and "data" in r), None)
    return {"profile": profile, "post": post, "audio": audio}, None


def steps(result):
    """The click's steps in ms, each from one clock: the widget's profile (ms after the press) for what the page saw,
    CDP's own timestamps for the daemon's time (Server-Timing) and the audio's first bytes; they add up to the total."""
    p = result["profile"]
    out = {"total": p["highlighted"], "gather": p.get("gathered", 0)}
    post, audio = result["post"], result["audio"]
    page = post.get("server", {}).get("page", 0) if post else 0
    if "answered" in p:
        out["page"] = page
        out["request"] = p["answered"] - p.get("gathered", 0) - page
    if "asked" in p and "answered" in p:
        out["answer"] = p["asked"] - p["answered"]
    first_bytes = audio["data"] - audio["sent"] if audio else None
    out["first bytes"] = first_bytes
    if "playing" in p and "asked" in p and first_bytes is not None:
        out["play"] = p["playing"] - p["asked"] - first_bytes
    out["highlight"] = p["highlighted"] - p.get("playing", p["highlighted"])
    return out


def load(target, bodies, stop, busy):
    """A client making readings of other pages, one after another, of `target["daemon"]`, until `stop` is set; it
    leaves a reading when the target changes. `busy` (an Event) is set once it makes a reading of the target."""
    while not stop.is_set():
        daemon = target["daemon"]
        if daemon is None:
            time.sleep(0.05)
            continue
        body = random.choice(bodies)
        try:
            req = urllib.request.Request(daemon.url + "v1/readings", data=body,
                                         headers={"Content-Type": "text/html"})
            with urllib.request.urlopen(req, timeout=120) as r:
                doc = json.loads(r.read())
            with urllib.request.urlopen(daemon.url + doc["audio"]["ogg"].lstrip("/"), timeout=300) as r:
                if target["daemon"] is daemon:
                    busy.set()
                while target["daemon"] is daemon and r.read(16384):
                    pass
        except Exception:  # noqa: BLE001
            time.sleep(0.5)


def main():
    peer, binaries = sys.argv[1], sys.argv[2:]
    labels = ["candidate", "baseline"][:len(binaries)]
    os.makedirs(OUT, exist_ok=True)
    found = pages(peer)
    only = set(filter(None, os.environ.get("PAGES", "").split(",")))
    names = sorted(n for n in found if not only or n in only)[:int(os.environ.get("LIMIT", "100000"))]
    Portal.pages = {f"{n}.html": found[n] for n in names}
    portal = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Portal)
    threading.Thread(target=portal.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{portal.server_port}"
    daemons = {label: Daemon(label, q, origin) for label, q in zip(labels, binaries)}
    Portal.tags = {label: d.tag() for label, d in daemons.items()}
    # The load's pages are others than the ones clicked, so they never make a clicked page's reading (or any of its
    # passages) first: the pages not clicked, else every page with the words of each text in reverse order and one
    # more (as long to read, and no passage in common).
    others = [found[n] for n in sorted(found) if n not in names] or [
        re.sub(rb">([^<]+)<", lambda m: b">" + b" ".join(reversed(m.group(1).split() + [b"encore"])) + b"<", body)
        for body in found.values()]
    stop = threading.Event()
    each = os.environ.get("LOAD_ON", "clicked") == "each"
    clicked = {"daemon": None}
    moved = []
    for _ in range(int(os.environ.get("LOAD", "0"))):
        for target in ([{"daemon": d} for d in daemons.values()] if each else [clicked]):
            busy = threading.Event()
            moved.append(busy)
            threading.Thread(target=load, args=(target, others, stop, busy), daemon=True).start()
    results = {label: {"uncached": [], "cached": [], "missed": []} for label in labels}
    d = qari_browser.start(prompts="dismiss")
    d.set_page_load_timeout(20)
    d.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                      {"source": "window.alert = () => {}; window.confirm = () => true;"})
    try:
        for n, name in enumerate(names):
            # Alternate which build goes first, so neither always meets a warmer machine.
            order = labels if n % 2 == 0 else list(reversed(labels))
            for label in order:
                if not each and clicked["daemon"] is not daemons[label]:
                    # The load moves to the daemon clicked now: each client leaves its reading of the other and
                    # starts one of this daemon before the press.
                    for busy in moved:
                        busy.clear()
                    clicked["daemon"] = daemons[label]
                    for busy in moved:
                        busy.wait(30)
                for kind in ("uncached", "cached"):
                    try:
                        result, why = press(d, f"{origin}/{label}/{name}.html")
                    except Exception as e:  # noqa: BLE001
                        result, why = None, f"{type(e).__name__}"
                        d.quit()
                        d = qari_browser.start(prompts="dismiss")
                    if result is None:
                        results[label]["missed"].append((name, kind, why))
                        break
                    results[label][kind].append(dict(steps(result), name=name))
            print(f"{name:45} " + "  ".join(
                f"{label} {results[label]['uncached'][-1]['total']:5.0f}/{results[label]['cached'][-1]['total']:4.0f} ms"
                if results[label]["cached"] and len(results[label]["cached"]) == len(results[label]["uncached"])
                and results[label]["uncached"] else f"{label} missed" for label in labels), flush=True)
    finally:
        stop.set()
        d.quit()
        for daemon in daemons.values():
            daemon.stop()
        portal.shutdown()
    report(results, labels)


def q(values, f):
    values = sorted(v for v in values if v is not None)
    return values[min(len(values) - 1, int(f * (len(values) - 1) + 0.5))] if values else float("nan")


def report(results, labels):
    with open(os.path.join(OUT, "report.json"), "w") as f:
        json.dump(results, f, indent=1)
    load = os.environ.get("LOAD", "0")
    print(f"\nclick to first highlighted word, {load} other clients making readings:")
    for label in labels:
        r = results[label]
        u = [s["total"] for s in r["uncached"]]
        c = [s["total"] for s in r["cached"]]
        print(f"  {label:9} uncached median {q(u, .5):5.0f} ms, p90 {q(u, .9):5.0f} ms; cached median "
              f"{q(c, .5):4.0f} ms, p90 {q(c, .9):4.0f} ms ({len(u)} pages, {len(r['missed'])} missed)")
    for kind in ("uncached", "cached"):
        print(f"\n{kind}, step by step (median / p90 ms):")
        print("  " + " " * 12 + "".join(f"{s:>16}" for s in STEPS))
        for label in labels:
            u = results[label][kind]
            print(f"  {label:12}" + "".join(
                f"{q([x.get(s) for x in u], .5):>8.0f}/{q([x.get(s) for x in u], .9):<7.0f}" for s in STEPS))
    for label in labels:
        for name, kind, why in results[label]["missed"]:
            print(f"  missed ({label}, {kind}): {name}: {why}")


if __name__ == "__main__":
    main()
