"""The reader button on mozilla/readability's test pages, each served with the one tag by a stand-in proxy."""
import http.server
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "Tests", "Browser"))
import qari_browser  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.common.exceptions import UnexpectedAlertPresentException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

OUT = ".build/bench/readability"


def pages(peer):
    """{name: bytes} of every test page's source.html (mozilla/readability), or of every .html file of a folder, or
    of a git dir's tests/cache/ (adbar/trafilatura's saved pages: a second set nobody here tuned on)."""
    folder = os.path.join(peer, "test", "test-pages")
    found = {}
    if os.path.isdir(peer) and not os.path.isdir(folder) and any(n.endswith(".html") for n in os.listdir(peer)):
        return {n[:-5]: open(os.path.join(peer, n), "rb").read() for n in sorted(os.listdir(peer)) if n.endswith(".html")}
    cache = subprocess.run(["git", "--git-dir", peer, "ls-tree", "--name-only", "HEAD", "tests/cache/"],
                           capture_output=True, text=True).stdout.split() if not os.path.isdir(folder) else []
    if cache:
        for path in cache:
            if path.endswith(".html"):
                found[os.path.basename(path)[:-5]] = subprocess.run(
                    ["git", "--git-dir", peer, "show", f"HEAD:{path}"], check=True, capture_output=True).stdout
        return found
    if os.path.isdir(folder):
        for name in sorted(os.listdir(folder)):
            path = os.path.join(folder, name, "source.html")
            if os.path.isfile(path):
                found[name] = open(path, "rb").read()
        return found
    names = subprocess.run(["git", "--git-dir", peer, "ls-tree", "--name-only", "HEAD", "test/test-pages/"],
                           check=True, capture_output=True, text=True).stdout.split()
    for path in names:
        found[os.path.basename(path)] = subprocess.run(
            ["git", "--git-dir", peer, "show", f"HEAD:{path}/source.html"], check=True, capture_output=True).stdout
    return found


class Proxy(http.server.BaseHTTPRequestHandler):
    """The stand-in portal: each page with the reader button's tag first in <head>, as the README gives it."""
    pages = {}
    tag = b""

    def do_GET(self):
        name = self.path.strip("/").split("?")[0]
        body = self.pages.get(name)
        if body is None:
            self.send_error(404)
            return
        lower = body[:4096].lower()
        at = lower.find(b"<head")
        if at >= 0:
            at = body.index(b">", at) + 1
            body = body[:at] + self.tag + body[at:]
        else:
            body = self.tag + body
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


STATE = "return window.qari && window.qari.state()"
# Each locator run of the reading followed as the widget follows it (children[i] from <html>, then childNodes): how
# many land on a text node holding the passage's own text there (whitespace aside), and the first that does not.
PLACED = """
const reading = arguments[0], out = {runs: 0, placed: 0, first: null};
const squash = s => s.replace(/\\s+/g, ' ').trim();
reading.passages.forEach((p, i) => {
  const cps = Array.from(p.text);
  p.locator.forEach(l => {
    if (l.attribute) return;
    out.runs++;
    let e = document.documentElement;
    for (let k = 0; e && k < l.path.length; k++) e = e.children[l.path[k]];
    const n = e && e.childNodes[l.node];
    const want = squash(cps.slice(l.offset, l.offset + l.length).join(''));
    const got = n && n.nodeType === 3 ? squash(n.data.slice(l.start, l.end)) : null;
    if (got === want) out.placed++;
    else if (!out.first) {
      // Where the two first differ, and a few characters either side.
      let at = 0;
      while (got !== null && at < want.length && want[at] === got[at]) at++;
      out.first = {passage: i, path: l.path, node: l.node, at: at, want: JSON.stringify(want.slice(Math.max(0, at - 20), at + 20)),
        got: got === null ? (e ? 'element ' + e.tagName + ', no text node' : 'no element')
                          : JSON.stringify(got.slice(Math.max(0, at - 20), at + 20))};
    }
  });
});
return out;
"""
WATCH = """
window.__qariBench = {first: null, words: new Set()};
const tick = () => {
  const h = CSS.highlights && CSS.highlights.get('qari-word');
  const s = window.qari && window.qari.state();
  if (h && h.size && s && s.word) {
    if (window.__qariBench.first === null) window.__qariBench.first = performance.now();
    window.__qariBench.words.add(s.word.passage + ':' + s.word.offset);
  }
  requestAnimationFrame(tick);
};
requestAnimationFrame(tick);
"""


def try_page(d, url, name):
    d.get(url)
    end = time.time() + 15
    while time.time() < end and not d.execute_script("return !!document.querySelector('.qari-listen')"):
        time.sleep(0.1)
    listen = d.find_elements(By.CSS_SELECTOR, ".qari-listen")
    if not listen:
        return {"page": name, "ok": False, "why": "no button"}
    d.execute_script(WATCH)
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", listen[0])
    on_top = d.execute_script("""
        const r = arguments[0].getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return !!(hit && hit.closest('.qari-listen'));""", listen[0])
    if not on_top:
        # What covers it, for the report (a screenshot beside).
        result_cover = d.execute_script("""
            const r = arguments[0].getBoundingClientRect();
            const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            return [Math.round(r.left), Math.round(r.top), Math.round(r.width), innerWidth, innerHeight,
                    hit ? hit.tagName + '.' + hit.className : null];""", listen[0])
        d.save_screenshot(os.path.join(OUT, f"{name}-covered.png"))
    clicked = d.execute_script("return performance.now()")
    try:
        ActionChains(d).move_to_element(listen[0]).click().perform()
    except Exception as e:  # noqa: BLE001
        return {"page": name, "ok": False, "why": f"click failed: {type(e).__name__}", "on_top": on_top}
    end = time.time() + 30
    result = {"page": name, "ok": False, "on_top": on_top}
    if not on_top:
        result["covered_by"] = result_cover
    while time.time() < end:
        time.sleep(0.2)
        if not d.current_url.startswith(url.split("?")[0]):
            result["why"] = "the click left the page"
            return result
        bench = d.execute_script("return window.__qariBench && {first: window.__qariBench.first, "
                                 "words: window.__qariBench.words.size}")
        state = d.execute_script(STATE) or {}
        # A moving highlight: three words highlighted in turn (all of them on a page of fewer words).
        need = min(3, state.get("words") or 3) if state.get("marksDone") else 3
        if bench and bench["words"] >= max(1, need):
            # The target: three words highlighted in turn within 8 s of the click.
            moved_ms = d.execute_script("return performance.now()") - clicked
            result.update(ok=moved_ms <= 8000, first_ms=bench["first"] - clicked, words=bench["words"],
                          moved_ms=moved_ms)
            if moved_ms > 8000:
                result["why"] = f"three words only after {moved_ms / 1000:.1f} s"
            break
    else:
        state = d.execute_script(STATE) or {}
        errors = [e.get("message", "")[:160] for e in d.get_log("browser") if e.get("level") == "SEVERE"]
        result["errors"] = errors[-3:]
        result["why"] = ("playing, nothing highlighted" if state.get("playing") else
                         d.execute_script("const m = document.querySelector('.qari-message');"
                                          "return m && !m.hidden ? m.textContent : 'not playing'"))
    reading = (d.execute_script(STATE) or {}).get("reading")
    result["reading"] = reading
    return result


def main():
    peer, qari = sys.argv[1], sys.argv[2]
    os.makedirs(OUT, exist_ok=True)
    Proxy.pages = {f"{name}.html": body for name, body in pages(peer).items()}
    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    portal = f"http://127.0.0.1:{proxy.server_port}"
    port = random.randint(20000, 40000)
    daemon_url = f"http://127.0.0.1:{port}"
    Proxy.tag = (f'<script src="{daemon_url}/widget/qari.js" data-qari-endpoint="{daemon_url}/" defer></script>'
                 ).encode()
    cache = tempfile.mkdtemp(prefix="qari-readability-")
    env = dict(os.environ, QARI_CORS_ORIGINS=portal, QARI_LIMITS_READINGS_PER_MINUTE="100000",
               QARI_LIMITS_READINGS_BURST="100000", QARI_LIMITS_REQUESTS_PER_MINUTE="1000000",
               QARI_LIMITS_REQUESTS_BURST="100000")
    # Settings by their variables, which every version of the daemon reads (flags changed names once).
    env.update(QARI_CACHE_DIRECTORY=cache, QARI_LOG_LEVEL="info")
    # The daemon's log (one line per request: status and outcome, never a page's words) beside the report.
    daemon_log = open(os.path.join(OUT, "daemon.log"), "w")
    daemon = subprocess.Popen([qari, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                              stderr=daemon_log)
    results = []
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(daemon_url + "/health", timeout=1)
                break
            except Exception:  # noqa: BLE001
                time.sleep(0.1)
        def browser():
            b = qari_browser.start(prompts="dismiss")
            b.set_page_load_timeout(20)
            # A saved page's own alert()s are answered at once, as a reader would close them.
            b.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                              {"source": "window.alert = () => {}; window.confirm = () => true;"})
            return b
        d = browser()
        try:
            only = set(filter(None, os.environ.get("PAGES", "").split(",")))
            for name in sorted(Proxy.pages):
                if only and name[:-5] not in only:
                    continue
                try:
                    try:
                        r = try_page(d, f"{portal}/{name}", name[:-5])
                    except UnexpectedAlertPresentException:
                        # The page's own alert(): dismissed, as a reader would, and the page tried again.
                        d.switch_to.alert.dismiss()
                        r = try_page(d, f"{portal}/{name}", name[:-5])
                except Exception as e:  # noqa: BLE001
                    r = {"page": name[:-5], "ok": False, "why": f"{type(e).__name__}: {str(e)[:80]}"}
                    d.quit()
                    d = browser()
                if r.get("reading"):
                    try:
                        with urllib.request.urlopen(f"{daemon_url}/v1/readings/{r['reading']}", timeout=10) as f:
                            doc = json.loads(f.read())
                        r["first_words"] = " ".join(" ".join(p["text"] for p in doc["passages"][:2]).split()[:10])
                        r["locators"] = d.execute_script(PLACED, doc)
                    except Exception:  # noqa: BLE001
                        pass
                results.append(r)
                print(("ok  " if r["ok"] else "MISS") + f" {r['page']:45} "
                      + (f"{r['first_ms']:6.0f} ms  " if r.get("first_ms") is not None else f"{r.get('why', '')}  ")
                      + (r.get("first_words") or ""), flush=True)
        finally:
            d.quit()
    finally:
        daemon.terminate()
        daemon.wait(timeout=30)
        proxy.shutdown()
        shutil.rmtree(cache, ignore_errors=True)
    ok = [r for r in results if r["ok"]]
    covered = [r for r in results if r.get("on_top") is False]
    with open(os.path.join(OUT, "report.json"), "w", encoding="utf-8") as f:
        json.dump(results, f, ensure_ascii=False, indent=1)
    times = [r["first_ms"] for r in ok]
    print(f"\nread with a moving highlight: {len(ok)} of {len(results)} pages")
    if times:
        print(f"click to first highlighted word: median {statistics.median(times):.0f} ms, "
              f"p90 {sorted(times)[int(0.9 * (len(times) - 1))]:.0f} ms")
    runs = sum((r.get("locators") or {}).get("runs", 0) for r in results)
    placed = sum((r.get("locators") or {}).get("placed", 0) for r in results)
    misplaced = [r for r in results if (r.get("locators") or {}).get("placed", 0) < (r.get("locators") or {}).get("runs", 0)]
    print(f"locator runs landing on their own text: {placed} of {runs}; pages with one that does not: {len(misplaced)}")
    for r in misplaced:
        print(f"  {r['page']}: {r['locators']['placed']}/{r['locators']['runs']}, first: {r['locators']['first']}")
    print(f"Listen under the page's own layers at its centre: {len(covered)} pages"
          + (": " + ", ".join(r["page"] for r in covered) if covered else ""))
    print(f"readability-pages: {len(ok)} passed, {len(results) - len(ok)} failed")


if __name__ == "__main__":
    main()
