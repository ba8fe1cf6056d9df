#!/usr/bin/env python3
"""bench/forms: forms read aloud and point and listen, in headless chromium, timed in the page.

  focus → audio     a sample form's reading made (the page read once), then each field entered by Tab: from the
                    keydown that moves focus to the field's description 'playing' (target p90 <= 150 ms)
  point → audio     point and listen on paragraphs the reading does not hold (added after load, each new text):
                    from the click to 'playing' (target p90 <= 300 ms); the same texts clicked again: cached
  baseline          the same run's click on Listen of the same page, cached (the reader button's own path)

Usage: bench/forms.py [QARI] [--rounds N]   (make bench-deps and a11y-deps first; a release build is best)
"""
import argparse
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "Tests", "Browser"))
import qari_browser  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from widget_test import Daemon, open_page, state, wait  # noqa: E402

ARM = """
window.__bench = {times: []};
const arm = (type) => document.addEventListener(type, () => { window.__bench.t0 = performance.now(); },
                                                {capture: true});
arm(arguments[0]);
document.addEventListener('qari:state', e => {
  if ((e.detail.state === 'side-playing' || e.detail.state === 'playing') && window.__bench.t0 !== undefined) {
    window.__bench.times.push(performance.now() - window.__bench.t0);
    window.__bench.t0 = undefined;
  }
});
"""


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def summary(name, values, target=None):
    line = (f"{name:<34} n={len(values):3d}  median {statistics.median(values):6.1f} ms  "
            f"p90 {percentile(values, 90):6.1f} ms")
    if target is not None:
        line += f"  target p90 <= {target} ms: {'PASS' if percentile(values, 90) <= target else 'FAIL'}"
    print(line, flush=True)


def focus_rounds(d, daemon, page, rounds):
    open_page(d, daemon, page)
    d.execute_script("localStorage.setItem('qari-settings', JSON.stringify({fields: true}))")
    open_page(d, daemon, page)
    times = []
    for r in range(rounds):
        d.execute_script("document.activeElement && document.activeElement.blur();"
                         "document.querySelector('h1').setAttribute('tabindex', '-1');"
                         "document.querySelector('h1').focus()")
        d.execute_script(ARM, "keydown")
        fields = 0
        while fields < 6:
            n = len(d.execute_script("return window.__bench.times"))
            before = d.execute_script("return document.activeElement")
            ActionChains(d).send_keys(Keys.TAB).perform()
            # A date field's day, month and year are Tab stops of one field: no new description.
            if d.execute_script("return document.activeElement") == before:
                d.execute_script("window.__bench.t0 = undefined")
                continue
            wait(d, "a description playing", lambda: len(d.execute_script("return window.__bench.times")) > n, 30)
            fields += 1
        got = d.execute_script("return window.__bench.times")
        # The first Tab of the first round asks for the page's fields: that is the page's reading, not the field's.
        times += got[1:] if r == 0 else got
    return times


def point_rounds(d, daemon, page, rounds, again):
    open_page(d, daemon, page)
    d.execute_script("localStorage.setItem('qari-settings', JSON.stringify({point: true}))")
    open_page(d, daemon, page)
    d.execute_script(ARM, "pointerdown")
    times = []
    for i in range(rounds):
        text = f"Le guichet numéro {i + 1} ouvre à huit heures et ferme à seize heures trente."
        if not again:
            text = text.replace("huit heures", f"huit heures {i + 2 + os.getpid() % 1000} minutes")
        d.execute_script("""
            const old = document.querySelector('#bench'); if (old) old.remove();
            const p = document.createElement('p'); p.id = 'bench'; p.textContent = arguments[0];
            document.querySelector('main').prepend(p);""", text)
        element = d.find_element(By.CSS_SELECTOR, "#bench")
        n = len(d.execute_script("return window.__bench.times"))
        ActionChains(d).move_to_element(element).click().perform()
        wait(d, "the paragraph playing", lambda: len(d.execute_script("return window.__bench.times")) > n, 30)
        times.append(d.execute_script("return window.__bench.times")[-1])
        wait(d, "it heard", lambda: (state(d).get("side") or {}).get("time", 0) > 0.2, 30)
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("qari", nargs="?", default=".build/release/qari")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    daemon = Daemon(args.qari)
    daemon.start()
    try:
        d = qari_browser.start()
        try:
            print(f"bench/forms: {args.qari}, chromium {qari_browser.browser_version(d)}, {args.rounds} rounds")
            focus = focus_rounds(d, daemon, "form-fr.html", args.rounds) + \
                focus_rounds(d, daemon, "form-ar.html", args.rounds)
            summary("focus → field audio (fr, ar)", focus, 150)
            fresh = point_rounds(d, daemon, "form-fr.html", args.rounds * 4, again=False)
            summary("point → audio, text not read before", fresh, 300)
            point_rounds(d, daemon, "form-fr.html", args.rounds * 4, again=True)
            cached = point_rounds(d, daemon, "form-fr.html", args.rounds * 4, again=True)
            summary("point → audio, texts the daemon made", cached)
        finally:
            d.quit()
    finally:
        daemon.stop()


if __name__ == "__main__":
    main()
