#!/usr/bin/env python3
"""The reader button in Debian's chromium, used as people use it: by keyboard, in Arabic and French, under a
strict Content-Security-Policy, with axe-core, with the daemon stopped. Starts its own daemon (QARI binary) on a
loopback port with a fresh cache; screenshots go to .build/widget/.

Usage: widget_test.py [QARI] [TEST...]   Prints one line per test and 'N passed, N failed'; exit 1 on a failure.
"""
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
import qari_browser  # noqa: E402
from a11y_check import CONTRAST_JS  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

OUT = os.environ.get("WIDGET_OUT", ".build/widget")
PAGES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "samples", "pages")
AXE = qari_browser.axe_source()


class Daemon:
    """`qari serve` on a free loopback port with a cache of its own: under `work`, with its reports database, when
    given. `args` and `env` go to its command line and environment; it logs (stdout and stderr) to `log`."""

    def __init__(self, qari, work=None, args=(), env=None, log=None):
        self.qari = qari
        self.cache = os.path.join(work, "cache") if work else tempfile.mkdtemp(prefix="qari-widget-cache-")
        self.reports = os.path.join(work, "reports.sqlite") if work else self.cache + "-reports.sqlite"
        self.args, self.env = list(args), dict(env or {})
        self.log = log or os.path.join(OUT, "serve.log")
        self.port = random.randint(20000, 40000)
        self.process = None

    def start(self):
        # The per-client limits are the daemon's own business (tested there); here every test comes from one
        # address, one after the other, faster than a reader would press.
        env = dict(os.environ, QARI_LIMITS_READINGS_PER_MINUTE="100000", QARI_LIMITS_READINGS_BURST="100000",
                   QARI_LIMITS_REQUESTS_PER_MINUTE="1000000", QARI_LIMITS_REQUESTS_BURST="100000",
                   # By variables, which every version of the daemon reads (bench/widget runs older builds too).
                   QARI_CACHE_DIRECTORY=self.cache, QARI_LOG_LEVEL="warning",
                   QARI_REPORTS_DB=self.reports, QARI_LIMITS_REPORTS_PER_HOUR="1000")
        env.update(self.env)
        log = open(self.log, "ab")
        self.process = subprocess.Popen(
            [self.qari, "serve", "--port", str(self.port)] + self.args, stdout=log, stderr=log, env=env)
        log.close()
        for _ in range(300):
            try:
                urllib.request.urlopen(self.url("health"), timeout=1)
                return
            except Exception:
                time.sleep(0.1)
        raise RuntimeError("the daemon did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=20)

    def url(self, path):
        return f"http://127.0.0.1:{self.port}/{path}"

    def json(self, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url(path), data=data, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as r:
            return json.loads(r.read())


def state(d):
    return d.execute_script("return window.qari && window.qari.state()")


def wait(d, what, condition, timeout=20):
    end = time.time() + timeout
    while time.time() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}; state {state(d)}")


def word_highlight(d):
    """The text under the qari-word highlight, and the word the current mark names (passage text)."""
    return d.execute_script("""
        const h = CSS.highlights.get('qari-word');
        const s = window.qari.state();
        if (!h || !s.word) return null;
        return {highlighted: [...h].map(r => r.toString()).join(''), time: s.time, mark: s.word};
    """)


def next_frame(d):
    """Returns once the page has rendered a frame after this call (events sent before it have been handled)."""
    d.execute_async_script("requestAnimationFrame(() => requestAnimationFrame(arguments[0]))")


def passage_word(reading, mark):
    text = reading["passages"][mark["passage"]]["text"]
    return "".join(list(text)[mark["offset"]:mark["offset"] + mark["length"]])


def open_page(d, daemon, page):
    d.get(daemon.url(f"demo/{page}"))
    wait(d, "the widget", lambda: d.execute_script("return !!document.querySelector('.qari-listen')"))
    qari_browser.console_errors(d)  # drop the page's own load messages


def own_errors(d, daemon):
    """Console errors that are not the page's missing images: ours, or any JavaScript error."""
    errors = []
    for e in qari_browser.console_errors(d):
        message = e.get("message", "")
        if e.get("source") == "network" and "/demo/" in message and "/widget/" not in message:
            continue
        if e.get("source") == "network" and "favicon.ico" in message:
            continue
        errors.append(message)
    return errors


def reading_of(d, daemon):
    rid = wait(d, "a reading", lambda: (state(d) or {}).get("reading"))
    return daemon.json(f"v1/readings/{rid}")


def the_highlight_follows_the_audio(d, reading):
    """Four times as the audio advances (half a second of audio apart), the highlight is the word the marks name;
    the last of them."""
    last_time = -1
    for _ in range(4):
        h = wait(d, "the audio to advance", lambda: (lambda h: h if h and h["time"] > last_time + 0.5 else None)(
            word_highlight(d)))
        last_time = h["time"]
        assert h["highlighted"] == passage_word(reading, h["mark"]), h
    return h


def press_listen_by_keyboard(d):
    body = d.find_element(By.TAG_NAME, "body")
    d.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    ActionChains(d).move_to_element_with_offset(body, 0, 0)
    ActionChains(d).send_keys(Keys.TAB).perform()
    focused = d.execute_script("return document.activeElement.className")
    assert "qari-listen" in focused, f"Tab reached {focused!r}, not the Listen button"
    ActionChains(d).send_keys(Keys.ENTER).perform()


# --- the tests ---------------------------------------------------------------------------------------------------

def test_keyboard_french_plays_and_highlights_the_spoken_word(d, daemon):
    open_page(d, daemon, "sample-fr.html")
    label = d.find_element(By.CSS_SELECTOR, ".qari-listen").text
    assert label == "Écouter", label
    press_listen_by_keyboard(d)
    wait(d, "playing", lambda: (state(d) or {}).get("playing") and state(d)["time"] > 0.2)
    reading = reading_of(d, daemon)
    h = the_highlight_follows_the_audio(d, reading)
    sentence = d.execute_script("const h = CSS.highlights.get('qari-sentence'); return h ? [...h][0].toString() : ''")
    assert h["highlighted"].strip(".,") in sentence or sentence, "no sentence highlight"
    # Focus stays on the button (the widget moves it nowhere); Space pauses.
    assert "qari-listen" in d.execute_script("return document.activeElement.className")
    ActionChains(d).send_keys(Keys.SPACE).perform()
    wait(d, "paused", lambda: not state(d)["playing"])
    # The label follows the media element's 'pause' event, queued just after `paused` turns true.
    wait(d, "the Resume label", lambda: d.find_element(By.CSS_SELECTOR, ".qari-listen").text == "Reprendre")
    status = d.find_element(By.CSS_SELECTOR, ".qari-status")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    wait(d, "the pause announced", lambda: status.get_attribute("textContent") == "En pause")
    qari_browser.screenshot(d, os.path.join(OUT, "fr-playing.png"), full=False)
    assert not own_errors(d, daemon), own_errors(d, daemon)


def fallbacks_counted(daemon):
    with urllib.request.urlopen(daemon.url("metrics"), timeout=10) as r:
        for line in r.read().decode().splitlines():
            if line.startswith('qari_widget_events_total{event="highlight-fallback"}'):
                return float(line.split()[-1])
    return 0.0


# The reading's locators lead nowhere, as when the daemon parsed the page otherwise than the browser built it.
LOST_LOCATORS = """
const real = window.fetch;
window.fetch = (url, options) => real(url, options).then(r => !String(url).endsWith('/v1/readings') ? r :
  r.clone().json().then(j => {
    j.passages.forEach(p => p.locator.forEach(l => { l.path = [9, 9, 9]; }));
    return new Response(JSON.stringify(j), {status: r.status, headers: r.headers});
  }));
"""


def test_words_that_cannot_be_placed_highlight_their_passage_and_are_counted(d, daemon):
    open_page(d, daemon, "sample-fr.html")
    before = fallbacks_counted(daemon)
    d.execute_script(LOST_LOCATORS)
    press_listen_by_keyboard(d)
    reading = reading_of(d, daemon)

    def passage_highlighted():
        got = d.execute_script("""
            const h = CSS.highlights.get('qari-sentence'), s = window.qari.state();
            return h && h.size && s.word ? {text: [...h][0].toString(), passage: s.word.passage, time: s.time} : null""")
        if not got:
            return None
        text = " ".join(reading["passages"][got["passage"]]["text"].split())
        return got if " ".join(got["text"].split()).startswith(text[:30]) else None
    # Within the 2 s of audio with no word placed, and the time to see it.
    got = wait(d, "the passage highlighted whole", passage_highlighted, timeout=30)
    assert got["time"] >= 2, got
    assert not d.execute_script("const h = CSS.highlights.get('qari-word'); return h ? h.size : 0")
    wait(d, "the event counted", lambda: fallbacks_counted(daemon) == before + 1)
    qari_browser.screenshot(d, os.path.join(OUT, "fr-highlight-fallback.png"), full=False)
    assert not own_errors(d, daemon), own_errors(d, daemon)


def test_a_page_that_prints_its_own_address_first_reads_the_article_with_a_moving_highlight(d, daemon):
    for page, address in (("sample-fr.html", "https://www.service-public.ma/fr/demarches/certificat-residence-14848382.php"),
                          ("sample-ar-zgh.html", "https://www.service-public.ma/ar/demarches/certificat-14848382.php")):
        open_page(d, daemon, page)
        # As a page saved from the web: its address printed as text above the article.
        d.execute_script("""
            const p = document.createElement('p');
            p.textContent = arguments[0];
            const main = document.querySelector('main') || document.body;
            main.insertBefore(p, main.firstChild);""", address)
        d.execute_script("window.__moved = new Set(); const tick = () => { const s = window.qari && window.qari.state();"
                         " const h = CSS.highlights.get('qari-word'); if (s && s.word && h && h.size && s.time <= 2)"
                         " window.__moved.add(s.word.passage + ':' + s.word.offset); requestAnimationFrame(tick); };"
                         " requestAnimationFrame(tick);")
        press_listen_by_keyboard(d)
        reading = reading_of(d, daemon)
        # Not read first: the address, which would have held the highlight for seconds.
        assert "14848382" not in reading["passages"][0]["text"], reading["passages"][0]["text"]
        # The highlight moves through three words within the first 2 s of audio.
        wait(d, "three words highlighted in the first 2 s", lambda: d.execute_script(
            "return window.__moved.size >= 3 || (window.qari.state().time > 2 && -1)") or None)
        assert d.execute_script("return window.__moved.size") >= 3, d.execute_script("return [...window.__moved]")
        assert not own_errors(d, daemon), own_errors(d, daemon)


def test_a_noscript_inside_a_paragraph_does_not_shift_the_highlight(d, daemon):
    """A browser runs scripts, so a <noscript> holds raw text and shows nothing; parsed as if scripts were off, a
    <div> in a <noscript> inside a paragraph closes the paragraph: its text was read aloud, and the paragraph's
    words were found at paths that do not exist in the browser."""
    for page in ("sample-fr.html", "sample-ar-zgh.html"):
        open_page(d, daemon, page)
        d.execute_script("""
            const main = document.querySelector('main') || document.body;
            for (const p of main.querySelectorAll('p'))
              p.insertAdjacentHTML('afterbegin', '<noscript><div>Activez JavaScript.</div></noscript>');""")
        press_listen_by_keyboard(d)
        reading = reading_of(d, daemon)
        assert not any("JavaScript" in p["text"] for p in reading["passages"]), reading["passages"][:2]
        word = the_highlight_follows_the_audio(d, reading)
        assert word, word
        assert state(d).get("fallback", -1) == -1, state(d)
        assert not own_errors(d, daemon), own_errors(d, daemon)


def first_audio_counted(daemon, cached):
    with urllib.request.urlopen(daemon.url("metrics"), timeout=10) as r:
        for line in r.read().decode().splitlines():
            if line.startswith(f'qari_widget_first_audio_seconds_count{{cached="{cached}"}}'):
                return float(line.split()[-1])
    return 0.0


def test_the_time_from_listen_to_the_first_sound_reaches_the_operator(d, daemon):
    """The widget reports how long a press of Listen took to sound, uncached then cached, as a number only."""
    open_page(d, daemon, "sample-fr-others.html")
    before = {c: first_audio_counted(daemon, c) for c in ("yes", "no")}
    network = qari_browser.Network(d)
    d.find_element(By.CSS_SELECTOR, ".qari-listen").click()
    wait(d, "the first sound counted", lambda: first_audio_counted(daemon, "no") + first_audio_counted(daemon, "yes")
         > before["no"] + before["yes"], timeout=30)
    # Again once the reading is made: counted as cached.
    reading = reading_of(d, daemon)
    wait(d, "the reading made", lambda: daemon.json(f"v1/readings/{reading['id']}").get("cached"), timeout=60)
    open_page(d, daemon, "sample-fr-others.html")
    d.find_element(By.CSS_SELECTOR, ".qari-listen").click()
    wait(d, "the cached first sound counted", lambda: first_audio_counted(daemon, "yes") > before["yes"], timeout=30)
    sent = [r["body"] for r in network.requests() if r["url"].endswith("/v1/events")]
    assert sent and all(set(json.loads(b)) == {"event", "ms", "cached"} for b in sent if "first-audio" in b), sent
    assert not own_errors(d, daemon), own_errors(d, daemon)


def test_next_and_previous_passage_speed_and_download(d, daemon):
    open_page(d, daemon, "sample-fr.html")
    d.find_element(By.CSS_SELECTOR, ".qari-listen").click()
    wait(d, "playing", lambda: (state(d) or {}).get("playing") and (state(d) or {}).get("word"))
    wait(d, "marks of later passages", lambda: state(d)["words"] > 30)
    before = state(d)["word"]["passage"]
    d.find_element(By.CSS_SELECTOR, ".qari-nextP").click()
    wait(d, "the next passage", lambda: (state(d)["word"] or {}).get("passage", -1) == before + 1)
    d.find_element(By.CSS_SELECTOR, ".qari-nextP").click()
    wait(d, "the passage after", lambda: (state(d)["word"] or {}).get("passage", -1) == before + 2)
    d.find_element(By.CSS_SELECTOR, ".qari-prevP").click()
    wait(d, "back one passage", lambda: (state(d)["word"] or {}).get("passage", -1) == before + 1)
    sentence_before = d.execute_script("return window.qari.state().time")
    d.find_element(By.CSS_SELECTOR, ".qari-nextS").click()
    wait(d, "the next sentence", lambda: state(d)["time"] > sentence_before + 0.3)
    speed = d.find_element(By.CSS_SELECTOR, ".qari-speed")
    d.execute_script("arguments[0].value = '1.5'; arguments[0].dispatchEvent(new Event('change'))", speed)
    assert d.execute_script("return window.qari.state().settings.rate") == 1.5
    download = d.find_element(By.CSS_SELECTOR, ".qari-download").get_attribute("href")
    assert download.endswith("/audio.mp3"), download
    with urllib.request.urlopen(download, timeout=60) as r:
        assert r.headers["Content-Type"] == "audio/mpeg" and len(r.read()) > 1000


def test_speed_changes_the_playback_rate_without_new_audio(d, daemon):
    network = qari_browser.Network(d)
    open_page(d, daemon, "sample-ar-zgh.html")
    d.find_element(By.CSS_SELECTOR, ".qari-listen").click()
    wait(d, "playing", lambda: (state(d) or {}).get("playing") and state(d)["time"] > 0.5)
    rid = state(d)["reading"]
    network.forget()
    d.execute_script("const s = document.querySelector('.qari-speed'); s.value = '2'; s.dispatchEvent(new Event('change'))")
    # The audio element itself plays at 2x (its playbackRate), and goes on from where it was.
    assert d.execute_script("return window.qari.state().rate") == 2
    t0 = state(d)["time"]
    wait(d, "the audio going on at 2x", lambda: state(d)["playing"] and state(d)["time"] > t0 + 1)
    assert state(d)["reading"] == rid and state(d)["rate"] == 2
    asked = [r["url"] for r in network.requests() if "/v1/" in r["url"]]
    assert not asked, f"a speed change asked the daemon for {asked}"


def test_the_selection_is_read(d, daemon):
    open_page(d, daemon, "sample-fr.html")
    text = d.execute_script("""
        const p = document.querySelectorAll('main p, .wrap > p')[0];
        const r = document.createRange(); r.selectNodeContents(p);
        const s = getSelection(); s.removeAllRanges(); s.addRange(r);
        return s.toString().trim();
    """)
    d.find_element(By.CSS_SELECTOR, ".qari-select").click()
    wait(d, "playing", lambda: (state(d) or {}).get("playing"))
    reading = reading_of(d, daemon)
    assert [p["text"] for p in reading["passages"]] == [text], reading["passages"]


def test_display_settings_make_the_live_page_pass_aaa_contrast(d, daemon):
    for page in ("sample-fr.html", "sample-fr-strict.html", "sample-ar-zgh.html"):
        d.execute_script("localStorage.clear()") if d.current_url.startswith("http") else None
        open_page(d, daemon, page)
        before = d.execute_script(CONTRAST_JS)
        assert before["failures"], f"{page}: the page should start with low contrast"
        d.find_element(By.CSS_SELECTOR, ".qari-listen").click()
        wait(d, "the toolbar", lambda: d.find_element(By.CSS_SELECTOR, ".qari-toolbar").is_displayed())
        d.find_element(By.CSS_SELECTOR, "button.qari-settings").click()
        d.find_element(By.CSS_SELECTOR, "input[name=qari-contrast][value=dark]").click()
        size = d.find_element(By.CSS_SELECTOR, ".qari-panel select")
        d.execute_script("arguments[0].value = '200'; arguments[0].dispatchEvent(new Event('change'))", size)
        wait(d, "the display sheet", lambda: d.execute_script(
            "const l = document.getElementById('qari-display'); return l && l.sheet && l.sheet.cssRules.length > 0"))
        try:
            wait(d, "AAA contrast", lambda: not d.execute_script(CONTRAST_JS)["failures"], timeout=5)
        except AssertionError:
            raise AssertionError(f"{page}: {d.execute_script(CONTRAST_JS)['failures'][:3]}")
        grew = d.execute_script("return parseFloat(getComputedStyle(document.querySelector('main p, .wrap p')).fontSize)")
        assert grew >= 28, f"{page}: text at 200% is {grew}px"
        # No line of text spills out of a box the page gave a fixed height (it would be hidden or overlap the
        # next); a glyph's ascender reaching a few pixels out is not a line.
        spilled = d.execute_script("""
            return [...document.querySelectorAll('body *')].filter(e => !e.closest('.qari') &&
              e.scrollHeight - e.clientHeight > 0.8 * parseFloat(getComputedStyle(e).fontSize) && e.clientHeight > 0 &&
              !/(auto|scroll)/.test(getComputedStyle(e).overflowY) && e.textContent.trim()).map(e => e.className || e.tagName)""")
        assert not spilled, f"{page}: text spills out of {spilled[:3]}"
        qari_browser.screenshot(d, os.path.join(OUT, page.replace(".html", "-dark-200.png")), full=False)
        # Remembered: the next page opens in the same mode.
        d.get(daemon.url("demo/sample-zgh.html"))
        wait(d, "dark mode remembered", lambda: d.execute_script(
            "return document.documentElement.classList.contains('qari-contrast-dark')"))
        d.execute_script("localStorage.clear()")


def test_axe_finds_nothing_on_the_widget_in_arabic_and_french(d, daemon):
    for page, name, dir_ in (("sample-ar-zgh.html", "استمع", "rtl"), ("sample-fr.html", "Écouter", "ltr"),
                             ("sample-zgh.html", "ⵙⴼⵍⴷ", "ltr")):
        open_page(d, daemon, page)
        root = d.find_element(By.CSS_SELECTOR, ".qari")
        assert root.get_attribute("dir") == dir_, page
        assert d.find_element(By.CSS_SELECTOR, ".qari-listen").text == name, page
        d.find_element(By.CSS_SELECTOR, ".qari-listen").click()
        wait(d, "playing", lambda: (state(d) or {}).get("playing"))
        # A reading made ready on hover may play a moment before the reading's answer shows the toolbar.
        wait(d, "the toolbar", lambda: d.find_element(By.CSS_SELECTOR, ".qari-toolbar").is_displayed())
        d.find_element(By.CSS_SELECTOR, "button.qari-settings").click()
        result = qari_browser.run_axe(d, AXE, ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
                                      context=".qari")
        violations = [(v["id"], [n["target"] for n in v["nodes"][:2]]) for v in result["violations"]]
        assert not violations, f"{page}: {violations}"
        sizes = d.execute_script(
            "return [...document.querySelectorAll('.qari button, .qari select, .qari a')].filter(e => e.offsetParent)"
            ".map(e => [e.getBoundingClientRect().width, e.getBoundingClientRect().height])")
        assert all(w >= 24 and h >= 24 for w, h in sizes), f"{page}: targets {sizes}"
        qari_browser.screenshot(d, os.path.join(OUT, page.replace(".html", "-toolbar.png")), full=False)


def listen_by_keyboard_and_check_the_highlight(d, daemon):
    """Listen pressed by keyboard; once it plays, the highlighted word is the word its mark names. The reading."""
    press_listen_by_keyboard(d)
    wait(d, "playing", lambda: (state(d) or {}).get("playing") and state(d)["time"] > 0.3)
    reading = reading_of(d, daemon)
    h = wait(d, "a highlighted word", lambda: word_highlight(d))
    assert h["highlighted"] == passage_word(reading, h["mark"]), h
    return reading


def test_a_page_with_a_strict_csp_works(d, daemon):
    open_page(d, daemon, "sample-fr-strict.html")
    d.execute_script("window.__csp = []; document.addEventListener('securitypolicyviolation', e => "
                     "window.__csp.push(e.violatedDirective + ' ' + e.blockedURI))")
    listen_by_keyboard_and_check_the_highlight(d, daemon)
    assert d.execute_script("return window.__csp") == [], d.execute_script("return window.__csp")
    assert not own_errors(d, daemon), own_errors(d, daemon)


LOCATOR_MISMATCHES = """
    const passages = arguments[0], bad = [];
    for (const p of passages) {
      const cps = Array.from(p.text);
      for (const l of p.locator) {
        let e = document.documentElement;
        for (const i of l.path) e = e && e.children[i];
        const want = cps.slice(l.offset, l.offset + l.length).join('');
        const got = l.attribute ? (e && e.getAttribute(l.attribute)) : (e && e.childNodes[l.node] &&
          e.childNodes[l.node].data.slice(l.start, l.end));
        if (l.attribute ? !(got || '').includes(want.trim()) : got !== want) bad.push([p.text, want, got]);
      }
    }
    return bad;
"""


def test_every_locator_of_every_sample_page_resolves_to_its_passage(d, daemon):
    pages = sorted(p for p in os.listdir("samples/pages") if p.endswith(".html"))
    for page in pages:
        open_page(d, daemon, page)
        # The page as the widget sends it: the daemon's paths must be the live page's.
        reading = daemon.json("v1/readings", {"html": d.execute_script("return window.qari.html()")})
        mismatches = d.execute_script(LOCATOR_MISMATCHES, reading["passages"])
        assert not mismatches, f"{page}: {mismatches[:3]}"


def test_pages_others_built_keep_their_paths_and_an_ad_that_changes_does_not_stop_the_reading(d, daemon):
    # Tracking pixels in <noscript> in <head>, a template, a fixed header, a cookie banner and an invisible overlay.
    open_page(d, daemon, "sample-fr-others.html")
    # The page's own scripts put an <iframe> into <head> after load (a tag manager does).
    d.execute_script("const f = document.createElement('iframe'); f.src = 'about:blank'; f.title = 'tag';"
                     "document.head.appendChild(f)")
    reading = listen_by_keyboard_and_check_the_highlight(d, daemon)
    assert not d.execute_script(LOCATOR_MISMATCHES, reading["passages"])
    # An ad script keeps changing its own box while the page is read: the reading goes on, the highlight moves.
    d.execute_script("""window.__ad = setInterval(() => {
        const ad = document.getElementById('ad');
        ad.appendChild(Object.assign(document.createElement('script'), {type: 'text/plain'}));
        ad.firstChild.data = 'Publicité ' + Date.now(); }, 100)""")
    t0 = state(d)["time"]
    wait(d, "the reading going on through the ad's changes", lambda: state(d)["playing"] and state(d)["time"] > t0 + 1.5)
    h = wait(d, "the highlight moving on", lambda: (lambda h: h if h and h["time"] > t0 + 1 else None)(word_highlight(d)))
    assert h["highlighted"] == passage_word(reading, h["mark"]), h
    assert state(d)["reading"] == reading["id"]
    assert d.execute_script("return document.getElementById('ad').children.length") > 3
    d.execute_script("clearInterval(window.__ad)")
    qari_browser.screenshot(d, os.path.join(OUT, "fr-others-playing.png"), full=False)
    assert not own_errors(d, daemon), own_errors(d, daemon)


def test_a_real_mouse_click_reads_over_fixed_headers_banners_and_invisible_overlays(d, daemon):
    # A fixed header, a cookie banner and an invisible full-page overlay (French); a sticky header (Arabic).
    for page in ("sample-fr-others.html", "sample-ar-others.html"):
        open_page(d, daemon, page)
        listen = d.find_element(By.CSS_SELECTOR, ".qari-listen")
        # What a pointer at the button's centre hits is the button, above the page's own layers.
        on_top = d.execute_script("""
            const r = arguments[0].getBoundingClientRect();
            const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            return !!(hit && hit.closest('.qari-listen'));""", listen)
        assert on_top, f"{page}: the Listen button is under the page's own layers"
        ActionChains(d).move_to_element(listen).click().perform()
        wait(d, "playing after a mouse click", lambda: (state(d) or {}).get("playing") and state(d)["time"] > 0.3)
        assert d.current_url.endswith(page), d.current_url
        qari_browser.screenshot(d, os.path.join(OUT, page.replace(".html", "-mouse.png")), full=False)


def test_larger_text_unlocks_the_zoom_a_page_locked_and_gives_it_back(d, daemon):
    open_page(d, daemon, "sample-fr-others.html")
    viewport = "return document.querySelector('meta[name=viewport]').content"
    locked = d.execute_script(viewport)
    assert "user-scalable=no" in locked
    before = qari_browser.run_axe(d, AXE, ["wcag2aa"], context=None)
    assert "meta-viewport" in [v["id"] for v in before["violations"]], "the page should start with zoom locked"
    d.find_element(By.CSS_SELECTOR, ".qari-listen").click()
    wait(d, "the toolbar", lambda: d.find_element(By.CSS_SELECTOR, ".qari-toolbar").is_displayed())
    d.find_element(By.CSS_SELECTOR, "button.qari-settings").click()
    size = d.find_element(By.CSS_SELECTOR, ".qari-panel select")
    d.execute_script("arguments[0].value = '200'; arguments[0].dispatchEvent(new Event('change'))", size)
    assert d.execute_script(viewport) == "width=device-width, initial-scale=1"
    after = qari_browser.run_axe(d, AXE, ["wcag2aa"], context=None)
    assert "meta-viewport" not in [v["id"] for v in after["violations"]], after["violations"]
    d.execute_script("arguments[0].value = '100'; arguments[0].dispatchEvent(new Event('change'))", size)
    assert d.execute_script(viewport) == locked
    d.execute_script("localStorage.clear()")


PHONE_TARGETS = """
    return [...document.querySelectorAll('.qari button, .qari select, .qari a')].filter(e => e.offsetParent &&
      getComputedStyle(e).display !== 'none').map(e => {
        const r = e.getBoundingClientRect(); return [e.className || e.tagName, r.width, r.height]; })"""


def expand(d, selector):
    """Taps the control until it says it is expanded (aria-expanded), then waits for it to say so."""
    control = d.find_element(By.CSS_SELECTOR, selector)
    wait(d, f"{selector} shown", control.is_displayed)
    if control.get_attribute("aria-expanded") != "true":
        qari_browser.tap(d, control)
    wait(d, f"{selector} expanded", lambda: control.get_attribute("aria-expanded") == "true")


def test_phone_compact_player_by_touch_keeps_the_spoken_word_above_it(d, daemon):
    for (width, height), page, lang in (((360, 640), "sample-fr-others.html", "fr"),
                                        ((412, 915), "sample-ar-others.html", "ar")):
        qari_browser.phone(d, width, height)
        open_page(d, daemon, page)
        # A long page: the reading goes far below the first screen.
        d.execute_script("""const main = document.querySelector('main') || document.body;
            const ps = [...main.querySelectorAll('p')].slice(0, 2);
            for (let i = 0; i < 12; i++) for (const p of ps) main.appendChild(p.cloneNode(true));""")
        assert d.execute_script("return matchMedia('(pointer: coarse)').matches"), "no touch emulation"
        qari_browser.tap(d, d.find_element(By.CSS_SELECTOR, ".qari-listen"))
        wait(d, "playing after a tap", lambda: (state(d) or {}).get("playing") and state(d)["time"] > 0.3)
        box = d.execute_script("const r = document.querySelector('.qari').getBoundingClientRect();"
                               "return [r.top, r.bottom, r.height, innerHeight]")
        assert box[2] <= 0.15 * height, f"{width}x{height}: the player takes {box[2]} px of {height}"
        assert abs(box[1] - box[3]) <= 1, f"{width}x{height}: the player is not at the bottom: {box}"
        small = [t for t in d.execute_script(PHONE_TARGETS) if t[1] < 44 or t[2] < 44]
        assert not small, f"{width}x{height}: targets under 44 px: {small}"
        qari_browser.screenshot(d, os.path.join(OUT, f"phone-{lang}-{width}.png"), full=False)
        # Far down the page by the passage buttons under "more…": the spoken word shows above the player.
        qari_browser.tap(d, d.find_element(By.CSS_SELECTOR, ".qari-more"))
        assert d.find_element(By.CSS_SELECTOR, ".qari-more").get_attribute("aria-expanded") == "true"
        result = qari_browser.run_axe(d, AXE, ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"], context=".qari")
        assert not result["violations"], [(v["id"], [n["target"] for n in v["nodes"][:2]]) for v in result["violations"]]
        small = [t for t in d.execute_script(PHONE_TARGETS) if t[1] < 44 or t[2] < 44]
        assert not small, f"{width}x{height}, more open: targets under 44 px: {small}"
        qari_browser.screenshot(d, os.path.join(OUT, f"phone-{lang}-{width}-more.png"), full=False)
        for _ in range(8):
            qari_browser.tap(d, d.find_element(By.CSS_SELECTOR, ".qari-nextP"))
        qari_browser.tap(d, d.find_element(By.CSS_SELECTOR, ".qari-more"))
        target = wait(d, "a later passage", lambda: (state(d)["word"] or {}).get("passage", 0) >= 5 and
                      state(d)["word"]["passage"])

        def spoken_word_in_view():
            r = d.execute_script("""
                const h = CSS.highlights.get('qari-word'); if (!h) return null;
                const rect = [...h][0].getBoundingClientRect();
                return [rect.top, rect.bottom, innerHeight - document.querySelector('.qari').offsetHeight,
                        window.qari.state().word && window.qari.state().word.passage];""")
            return r if r and r[3] is not None and r[3] >= target and 0 <= r[0] and r[1] <= r[2] else None
        wait(d, "the spoken word in view above the player", spoken_word_in_view)
        qari_browser.screenshot(d, os.path.join(OUT, f"phone-{lang}-{width}-far.png"), full=False)
        # The reader scrolls back up by hand: following pauses (the page stays where the reader put it) and the
        # follow button appears; a tap on it brings the spoken word back into view.
        qari_browser.swipe(d, width / 2, 120, 420)
        follow = d.find_element(By.CSS_SELECTOR, ".qari-follow")
        wait(d, "the follow button", lambda: follow.is_displayed())
        # Once the finger's fling has settled, the page stays where the reader left it while the reading goes on.
        previous = [None]

        def settled():
            y = d.execute_script("return new Promise(r => requestAnimationFrame(() => r(window.scrollY)))")
            same, previous[0] = previous[0] == y, y
            return same
        wait(d, "the page to settle", lambda: settled() and settled())
        looked_up = previous[0]
        t0 = state(d)["time"]
        wait(d, "a few words later", lambda: state(d)["time"] > t0 + 1.5)
        assert d.execute_script("return window.scrollY") == looked_up, "the page moved while the reader looked up"
        qari_browser.tap(d, follow)
        wait(d, "the spoken word back in view", spoken_word_in_view)
        assert not follow.is_displayed()
        # Dark contrast from the settings under "more…": the player and the page, axe-clean.
        # Each tap once its control is shown (a finger's tap during a fling may be lost: the state decides).
        expand(d, ".qari-more")
        expand(d, "button.qari-settings")
        dark = d.find_element(By.CSS_SELECTOR, "input[name=qari-contrast][value=dark]")
        d.execute_script("arguments[0].scrollIntoView({block: 'nearest'})", dark)
        qari_browser.tap(d, dark)
        wait(d, "dark contrast", lambda: d.execute_script(
            "return document.documentElement.classList.contains('qari-contrast-dark')"))
        result = qari_browser.run_axe(d, AXE, ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"], context=".qari")
        assert not result["violations"], [(v["id"], [n["target"] for n in v["nodes"][:2]]) for v in result["violations"]]
        qari_browser.screenshot(d, os.path.join(OUT, f"phone-{lang}-{width}-dark.png"), full=False)
        d.execute_script("localStorage.clear()")
        d.execute_script("document.querySelector('.qari-close') && window.qari.stop()")
        d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        d.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": False})
    assert not own_errors(d, daemon), own_errors(d, daemon)


def test_a_changed_page_stops_reading_and_the_next_press_reads_the_new_content(d, daemon):
    open_page(d, daemon, "sample-fr.html")
    d.find_element(By.CSS_SELECTOR, ".qari-listen").click()
    wait(d, "playing", lambda: (state(d) or {}).get("playing"))
    first = state(d)["reading"]
    d.execute_script("document.querySelector('.wrap').innerHTML = '<h1>Nouvelle page</h1><p>Un autre service, lu à son tour.</p>'")
    wait(d, "stopped", lambda: not state(d)["playing"])
    d.find_element(By.CSS_SELECTOR, ".qari-listen").click()
    wait(d, "a new reading", lambda: state(d)["reading"] not in (None, first) and state(d)["playing"])
    reading = reading_of(d, daemon)
    assert [p["text"] for p in reading["passages"]] == ["Nouvelle page", "Un autre service, lu à son tour."]
    assert not d.execute_script("return CSS.highlights.has('qari-word') && document.querySelectorAll('.qari-mark').length")


def test_focus_makes_the_reading_ready_and_the_press_never_plays_a_stale_one(d, daemon):
    for changed in (False, True):
        open_page(d, daemon, "sample-fr.html")
        d.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
        ActionChains(d).send_keys(Keys.TAB).perform()
        assert "qari-listen" in d.execute_script("return document.activeElement.className")
        # Made ready: the widget's prepared reading, its audio loaded in the media element as far as its metadata
        # (from the daemon or the browser's media cache: either way the press plays at once).
        prepared = wait(d, "the audio made ready on focus", lambda: (lambda p: p if p and p["readyState"] >= 1
                                                                      else None)(state(d)["prepared"]))
        # Its marks too: the first word is highlighted as soon as it is heard, not once they come after the press.
        prepared = wait(d, "the marks made ready on focus", lambda: (lambda p: p if p and p["marks"] > 0
                                                                      else None)(state(d)["prepared"]))
        # Made ready, not started: nothing heard, nothing announced, no toolbar before the press.
        assert not state(d)["playing"] and state(d)["reading"] is None
        assert not d.find_element(By.CSS_SELECTOR, ".qari-toolbar").is_displayed()
        assert d.find_element(By.CSS_SELECTOR, ".qari-status").get_attribute("textContent") == ""
        if changed:
            d.execute_script("document.querySelector('.wrap').innerHTML = "
                             "'<h1>Autre page</h1><p>Ce texte remplace la page avant la pression.</p>'")
        ActionChains(d).send_keys(Keys.ENTER).perform()
        wait(d, "playing", lambda: state(d)["playing"] and state(d)["time"] > 0.2)
        reading = reading_of(d, daemon)
        texts = [p["text"] for p in reading["passages"]]
        # What the media element plays is this reading's audio.
        assert reading["id"] in state(d)["source"], (state(d)["source"], reading["id"])
        if changed:
            assert texts == ["Autre page", "Ce texte remplace la page avant la pression."], texts
            assert prepared["reading"] != reading["id"], "the prepared reading of the old page was played"
        else:
            assert prepared["reading"] == reading["id"], (prepared, reading["id"])
        h = wait(d, "a word highlighted", lambda: word_highlight(d))
        assert h["highlighted"] == passage_word(reading, h["mark"]), h
        assert not own_errors(d, daemon), own_errors(d, daemon)


# The first marks feed the page asks for breaks off after three lines, as a connection cut mid-reading does (a
# daemon restarted, a reading refused and re-made); later feeds pass untouched.
CUT_FIRST_MARKS_FEED = """(() => {
  const real = window.fetch.bind(window);
  window.marksFeedsAsked = 0;
  window.fetch = function (input, init) {
    if (!String(input && input.url || input).includes('/marks.ndjson') || window.marksFeedsAsked++ > 0)
      return real(input, init);
    return real(input, init).then(res => {
      const reader = res.body.getReader();
      let lines = 0;
      const body = new ReadableStream({ async pull(out) {
        const step = await reader.read();
        if (step.done) { out.close(); return; }
        const bytes = step.value;
        for (let i = 0; i < bytes.length; i++) {
          if (bytes[i] === 10 && ++lines === 3) {
            out.enqueue(bytes.slice(0, i + 1));
            reader.cancel();
            out.error(new TypeError('network error'));
            return;
          }
        }
        out.enqueue(bytes);
      } });
      return new Response(body, { status: res.status, headers: res.headers });
    });
  };
})();"""


def test_a_marks_feed_cut_short_is_asked_again_and_no_word_is_lost(d, daemon):
    d.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CUT_FIRST_MARKS_FEED})
    open_page(d, daemon, "sample-fr.html")
    press_listen_by_keyboard(d)
    wait(d, "playing", lambda: state(d)["playing"] and state(d)["time"] > 0.2)
    reading = reading_of(d, daemon)
    # The highlight goes on past the cut, word by word with the audio.
    the_highlight_follows_the_audio(d, reading)
    wait(d, "every mark", lambda: state(d)["marksDone"], timeout=60)
    assert d.execute_script("return window.marksFeedsAsked") == 2, "the cut feed was not asked again"
    # Every word once: none lost at the cut, none twice from the feed asked again.
    words = [m for m in daemon.json(f"v1/readings/{reading['id']}/marks.json")["marks"] if m["type"] == "word"]
    assert state(d)["words"] == len(words), (state(d)["words"], len(words))
    assert not own_errors(d, daemon), own_errors(d, daemon)


def test_with_the_daemon_stopped_the_button_says_so_in_the_pages_language(d, daemon):
    open_page(d, daemon, "sample-ar-zgh.html")
    daemon.stop()
    try:
        d.find_element(By.CSS_SELECTOR, ".qari-listen").click()
        message = wait(d, "the message", lambda: d.find_element(By.CSS_SELECTOR, ".qari-message").is_displayed()
                       and d.find_element(By.CSS_SELECTOR, ".qari-message").text)
        assert message == "خدمة القراءة لا تستجيب.", message
        assert d.find_element(By.CSS_SELECTOR, ".qari-retry").text == "أعد المحاولة"
        assert d.find_element(By.CSS_SELECTOR, ".qari-listen").text == "استمع", "the button still says it plays"
        # The browser logs the refused connection itself (a network message); no JavaScript error.
        errors = [e.get("message") for e in qari_browser.console_errors(d) if e.get("source") != "network"]
        assert not errors, errors
        qari_browser.screenshot(d, os.path.join(OUT, "ar-daemon-down.png"), full=False)
    finally:
        daemon.start()
    d.find_element(By.CSS_SELECTOR, ".qari-retry").click()
    wait(d, "playing after the retry", lambda: (state(d) or {}).get("playing"))
    assert not d.find_element(By.CSS_SELECTOR, ".qari-message").is_displayed()


def test_arabic_page_plays_rtl_and_screenshots(d, daemon):
    open_page(d, daemon, "sample-ar-zgh.html")
    d.find_element(By.CSS_SELECTOR, ".qari-listen").click()
    wait(d, "playing", lambda: (state(d) or {}).get("playing") and state(d)["time"] > 1.0)
    reading = reading_of(d, daemon)
    h = wait(d, "a highlighted word", lambda: word_highlight(d))
    assert h["highlighted"] == passage_word(reading, h["mark"]), h
    assert d.find_element(By.CSS_SELECTOR, ".qari-listen").text == "إيقاف مؤقت"
    qari_browser.screenshot(d, os.path.join(OUT, "ar-playing.png"), full=False)


def test_shortcuts_click_to_continue_and_the_widget_does_not_read_itself(d, daemon):
    open_page(d, daemon, "sample-fr.html")
    d.find_element(By.CSS_SELECTOR, ".qari-listen").click()
    wait(d, "playing", lambda: (state(d) or {}).get("playing") and state(d)["words"] > 30)
    reading = reading_of(d, daemon)
    texts = " ".join(p["text"] for p in reading["passages"])
    assert "Écouter" not in texts and "Réglages" not in texts, "the widget read itself"
    # Alt+Shift+P pauses and resumes; single keys do nothing until the reader turns them on.
    ActionChains(d).key_down(Keys.ALT).key_down(Keys.SHIFT).send_keys("p").key_up(Keys.SHIFT).key_up(Keys.ALT).perform()
    wait(d, "paused by Alt+Shift+P", lambda: not state(d)["playing"])
    ActionChains(d).send_keys("k").perform()
    next_frame(d)
    assert not state(d)["playing"], "a single key acted while single-key shortcuts are off"
    ActionChains(d).key_down(Keys.ALT).key_down(Keys.SHIFT).send_keys("p").key_up(Keys.SHIFT).key_up(Keys.ALT).perform()
    wait(d, "resumed", lambda: state(d)["playing"])
    # A click on the fifth passage continues from it.
    target = reading["passages"][4]["text"]
    d.execute_script("""
        const want = arguments[0];
        const el = [...document.querySelectorAll('p, div')].find(e => e.textContent.trim().endsWith(want.slice(-20)) && !e.closest('.qari'));
        el.click();
    """, target)
    wait(d, "the clicked passage", lambda: (state(d)["word"] or {}).get("passage", -1) >= 4)


def test_without_the_highlight_api_boxes_are_drawn_and_the_page_is_left_as_it_was(d, daemon):
    d.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                      {"source": "delete window.Highlight; if (window.CSS) delete CSS.highlights;"})
    open_page(d, daemon, "sample-fr.html")
    page_before = d.execute_script("return document.querySelector('.wrap').outerHTML")
    d.find_element(By.CSS_SELECTOR, ".qari-listen").click()
    wait(d, "boxes over the spoken word", lambda: d.execute_script(
        "return document.querySelectorAll('.qari-mark-word').length > 0"))
    box = d.execute_script("const b = document.querySelector('.qari-mark-word').getBoundingClientRect(); return [b.width, b.height]")
    assert box[0] > 5 and box[1] > 5, box
    d.find_element(By.CSS_SELECTOR, ".qari-stop").click()
    wait(d, "boxes gone", lambda: d.execute_script("return document.querySelectorAll('.qari-mark').length === 0"))
    assert d.execute_script("return document.querySelector('.wrap').outerHTML") == page_before


def test_remembered_display_settings_apply_before_the_first_paint(d, daemon):
    # A reader chooses dark at 150% once; every page after opens in that mode from its first frame.
    d.get(daemon.url("demo/sample-fr.html"))
    d.execute_script("localStorage.clear()")
    open_page(d, daemon, "sample-fr.html")
    d.find_element(By.CSS_SELECTOR, ".qari-listen").click()
    wait(d, "the toolbar", lambda: d.find_element(By.CSS_SELECTOR, ".qari-toolbar").is_displayed())
    d.find_element(By.CSS_SELECTOR, "button.qari-settings").click()
    d.find_element(By.CSS_SELECTOR, "input[name=qari-contrast][value=dark]").click()
    wait(d, "the stylesheet remembered", lambda: d.execute_script("return localStorage.getItem('qari-display-css')"))
    # The first animation frame callback runs in the first rendering update, before anything is painted; a
    # render-blocking script holds it back until it has run. Whatever the page looks like then is its first paint.
    d.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": """
        requestAnimationFrame(() => { window.__firstFrame = {
          applied: window.qariDisplayAppliedAt !== undefined,
          background: document.body ? getComputedStyle(document.body).backgroundColor : null}; });"""})
    for page in ("sample-fr-strict.html", "sample-ar-zgh.html", "sample-zgh.html"):
        d.get(daemon.url(f"demo/{page}"))
        first = wait(d, "a first frame", lambda: d.execute_script("return window.__firstFrame"))
        assert first["applied"] and first["background"] == "rgb(0, 0, 0)", (page, first)
        assert d.execute_script("return getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)", page
        assert not own_errors(d, daemon), page
    d.execute_script("localStorage.clear()")


def test_the_widget_is_small_and_the_readme_pins_this_release(d, daemon):
    import base64
    import gzip
    import hashlib
    import re
    total = 0
    readme = open("README.md", encoding="utf-8").read()
    # The modules joined by the daemon's own join, the bytes `make sri` hashes.
    joined = subprocess.run([daemon.qari, "widget-script"], check=True, capture_output=True).stdout
    for name, source in (("qari.js", joined), ("qari.css", open("Public/qari.css", "rb").read())):
        # What the portal loads is what the daemon serves: the README's hash must be that file's.
        with urllib.request.urlopen(daemon.url(f"widget/{name}"), timeout=10) as r:
            served = r.read()
            assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert served == source, f"{name}: the daemon serves other bytes than its source"
        total += len(gzip.compress(served, 9))
        sri = "sha384-" + base64.b64encode(hashlib.sha384(served).digest()).decode()
        assert sri in readme, f"the README does not give {name}'s integrity {sri} (make sri)"
    assert total <= 30 * 1024, f"JS + CSS are {total} bytes gzipped"
    # The joined file is one valid classic script: no module syntax left, every part inside one closure.
    check = subprocess.run(["node", "--check", "-"], input=joined, capture_output=True) if shutil_which("node") else None
    assert check is None or check.returncode == 0, check.stderr if check else ""
    source = joined.decode("utf-8")
    assert not re.findall(r"^(?:import|export)\b", source, re.M), "qari.js keeps module syntax"
    assert source.startswith("/*") and "\n(function () {\n'use strict';\n" in source and source.endswith("})();\n")
    for word in ("eval(", "new Function", "innerHTML", "document.write", "setAttribute('style'"):
        assert word not in source, f"qari.js uses {word}"
    # No address of anyone else's (the SVG namespace is a name, not a fetch).
    assert not re.findall(r"https?://(?!www\.w3\.org/2000/svg)", source), "qari.js names another host"


def shutil_which(name):
    import shutil
    return shutil.which(name)


VIEW_LAYOUT = """
    const d = document.querySelector('dialog.qari-readerview'), b = d.querySelector('.qari-readerview-body');
    const p = b.querySelector('p, li') || b;
    const cs = getComputedStyle(p), probe = document.createElement('span');
    probe.textContent = '0'.repeat(70); probe.style.cssText = 'font:inherit;white-space:nowrap;visibility:hidden';
    p.appendChild(probe); const seventy = probe.getBoundingClientRect().width; probe.remove();
    return {open: d.open, lineHeight: parseFloat(cs.lineHeight) / parseFloat(cs.fontSize), align: cs.textAlign,
            width: b.getBoundingClientRect().width, seventy: seventy, overflow: d.scrollWidth - d.clientWidth,
            focusInside: d.contains(document.activeElement),
            passages: b.querySelectorAll('[data-passage]').length, headings: b.querySelectorAll('h1,h2,h3').length,
            items: b.querySelectorAll('ul > li, ol > li').length, cells: b.querySelectorAll('table td').length,
            wordInView: (() => { const h = CSS.highlights.get('qari-word');
              return !!h && [...h].some(r => d.contains(r.startContainer)); })()};
"""


def reports_listed(daemon):
    out = subprocess.run([daemon.qari, "reports", "list", "--db", daemon.reports, "--json"], capture_output=True,
                         text=True, check=True).stdout
    return {(g["word"], g["count"]) for g in json.loads(out)}


def axe_clean(d, where):
    """axe-core finds nothing on the widget (the player, its panels and dialogs) in this state."""
    result = qari_browser.run_axe(d, AXE, ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"], context=".qari")
    assert not result["violations"], (where, [(v["id"], [n["target"] for n in v["nodes"][:2]])
                                              for v in result["violations"]])


def focus_stays_in(d, dialog):
    """Tab and Shift+Tab round every control of the modal `dialog` and never reach the page behind or the browser."""
    controls = d.execute_script(f"return document.querySelector('{dialog}').querySelectorAll('button, textarea').length")
    for shift in (False, True):
        for _ in range(controls + 2):
            chord = ActionChains(d)
            if shift:
                chord.key_down(Keys.SHIFT)
            chord.send_keys(Keys.TAB)
            if shift:
                chord.key_up(Keys.SHIFT)
            chord.perform()
            where = d.execute_script(f"const a = document.activeElement;"
                                     f"return [document.querySelector('{dialog}').contains(a), a.outerHTML.slice(0, 80)]")
            assert where[0], f"focus left {dialog} for {where[1]}"


def send_report(d, note, press=None, shot=None):
    """Writes `note` in the open report box and sends it with `press` (a finger's tap; by default a click, and
    focus is checked to stay in the box); axe-clean and, with `shot`, a screenshot while the box is open. The word
    the box named."""
    by_mouse = press is None
    press = press or (lambda e: e.click())
    d.execute_script("document.addEventListener('qari:state', e => { if (e.detail.state === 'reported') "
                     "window.__reported = (window.__reported || 0) + 1; })")
    before = d.execute_script("return window.__reported || 0")
    box = wait(d, "the report box", lambda: d.execute_script(
        "const b = document.querySelector('dialog.qari-reportbox'); return b && b.open && b"))
    word = box.find_element(By.CSS_SELECTOR, ".qari-report-word").text
    assert d.execute_script("return document.activeElement.id") == "qari-report-note"
    ActionChains(d).send_keys(note).perform()
    if by_mouse:
        focus_stays_in(d, "dialog.qari-reportbox")
        box.find_element(By.CSS_SELECTOR, "textarea").click()
    axe_clean(d, "the report box open")
    if shot:
        qari_browser.screenshot(d, os.path.join(OUT, shot), full=False)
    press(box.find_element(By.CSS_SELECTOR, ".qari-report-send"))
    wait(d, "the report sent", lambda: d.execute_script("return window.__reported || 0") > before)
    wait(d, "the report box closed", lambda: not d.execute_script(
        "return !!document.querySelector('dialog.qari-reportbox')"))
    return word


def select_inside_second_word(d):
    """Selects the second word of the page's first paragraph but its first and last letters, as an unsteady finger
    does; the whole word, which is what must be reported."""
    return d.execute_script("""const p = document.querySelector('main p, .wrap > p'); const t = p.firstChild;
        const i = t.data.indexOf(' ') + 1, j = t.data.indexOf(' ', i);
        const r = document.createRange(); r.setStart(t, i + 1); r.setEnd(t, j - 1);
        getSelection().removeAllRanges(); getSelection().addRange(r);
        return t.data.slice(i, j);""")


def mask_follows_the_spoken_line(d):
    """Waits until the mask's band has held the spoken word on two different lines."""
    seen = set()

    def band_on_word():
        m, h = state(d)["mask"], word_highlight(d)
        if not m or not h:
            return False
        y = d.execute_script("const h = CSS.highlights.get('qari-word'); const r = [...h][0].getBoundingClientRect();"
                             "return r.top + r.height / 2")
        if m["top"] <= y <= m["bottom"]:
            seen.add(round(y))
        return len(seen) >= 2
    wait(d, "the mask's band on two lines the word reached", band_on_word, timeout=40)


VIEW_COLOURS = """
    const d = document.querySelector('dialog.qari-readerview'), p = d.querySelector('[data-passage]');
    return [getComputedStyle(d).backgroundColor, getComputedStyle(p).color];
"""


def test_reader_view_mask_and_reports_by_keyboard_mouse_and_touch(d, daemon):
    # The page with a strict CSP, headings and a list.
    open_page(d, daemon, "sample-fr-strict.html")
    press_listen_by_keyboard(d)
    wait(d, "playing", lambda: (state(d) or {}).get("playing") and state(d)["words"] > 10)
    reading = reading_of(d, daemon)
    # The reader view: a modal dialog with the reading's passages, headings and lists kept, the word highlighted.
    opener = d.find_element(By.CSS_SELECTOR, "button.qari-reader")
    opener.click()
    view = wait(d, "the reader view", lambda: d.execute_script(VIEW_LAYOUT))
    assert view["open"] and view["focusInside"], view
    focus_stays_in(d, "dialog.qari-readerview")
    assert view["passages"] == len(reading["passages"]) and view["headings"] >= 2 and view["items"] == 2, view
    assert view["lineHeight"] >= 1.5 and view["align"] in ("start", "left", "right"), view
    assert view["width"] <= view["seventy"] * 1.05 and view["overflow"] <= 0, view
    wait(d, "the spoken word highlighted in the view", lambda: d.execute_script(VIEW_LAYOUT)["wordInView"])
    result = qari_browser.run_axe(d, AXE, ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"], context=".qari")
    assert not result["violations"], [(v["id"], [n["target"] for n in v["nodes"][:2]]) for v in result["violations"]]
    qari_browser.screenshot(d, os.path.join(OUT, "fr-reader-view.png"), full=False)
    ActionChains(d).send_keys(Keys.ESCAPE).perform()
    wait(d, "the view closed", lambda: not state(d)["view"])
    assert d.execute_script("return document.activeElement") == opener, "focus did not come back to its opener"
    # The mask by keyboard: the band follows the spoken line.
    ActionChains(d).key_down(Keys.ALT).key_down(Keys.SHIFT).send_keys("m").key_up(Keys.SHIFT).key_up(Keys.ALT).perform()
    mask_follows_the_spoken_line(d)
    assert json.loads(d.execute_script("return localStorage.getItem('qari-settings')"))["mask"] is True
    axe_clean(d, "the mask on")
    assert d.execute_script("return [...document.querySelectorAll('.qari-shade')].every(s => "
                            "s.getAttribute('aria-hidden') === 'true' && getComputedStyle(s).pointerEvents === 'none')")
    qari_browser.screenshot(d, os.path.join(OUT, "fr-mask.png"), full=False)
    # Paused, the band follows the line under the pointer.
    ActionChains(d).key_down(Keys.ALT).key_down(Keys.SHIFT).send_keys("p").key_up(Keys.SHIFT).key_up(Keys.ALT).perform()
    wait(d, "paused", lambda: not state(d)["playing"])
    for item in d.find_elements(By.CSS_SELECTOR, "main li")[:2]:
        ActionChains(d).move_to_element(item).perform()
        y = d.execute_script("const r = arguments[0].getBoundingClientRect(); return r.top + r.height / 2", item)
        wait(d, "the band on the hovered line", lambda: state(d)["mask"]["top"] <= y <= state(d)["mask"]["bottom"])
    # A report of the word being read, from the player, then of a selected word.
    assert d.find_element(By.CSS_SELECTOR, "button.qari-report").get_attribute("aria-label") == \
        "Signaler une prononciation"
    d.find_element(By.CSS_SELECTOR, "button.qari-report").click()
    spoken = send_report(d, "dit trop vite", shot="fr-report.png")
    assert d.execute_script("return document.activeElement.classList.contains('qari-report')"), "focus not given back"
    selected = select_inside_second_word(d)
    d.find_element(By.CSS_SELECTOR, "button.qari-report").click()
    assert send_report(d, "") == selected
    listed = reports_listed(daemon)
    assert any(w == spoken.strip(".,:;") or w == spoken for w, _ in listed), (spoken, listed)
    assert any(w == selected for w, _ in listed), (selected, listed)
    ActionChains(d).key_down(Keys.ALT).key_down(Keys.SHIFT).send_keys("m").key_up(Keys.SHIFT).key_up(Keys.ALT).perform()
    assert state(d)["mask"] is None
    # The view follows the reader's contrast: dark, then light, each axe-clean.
    d.find_element(By.CSS_SELECTOR, "button.qari-settings").click()
    for mode, background, text in (("dark", "rgb(0, 0, 0)", "rgb(255, 255, 255)"),
                                   ("light", "rgb(255, 255, 255)", "rgb(0, 0, 0)")):
        d.find_element(By.CSS_SELECTOR, f"input[name=qari-contrast][value={mode}]").click()
        wait(d, f"{mode} contrast", lambda: d.execute_script(
            f"return document.documentElement.classList.contains('qari-contrast-{mode}')"))
        d.find_element(By.CSS_SELECTOR, "button.qari-reader").click()
        wait(d, "the reader view", lambda: state(d)["view"])
        assert d.execute_script(VIEW_COLOURS) == [background, text], (mode, d.execute_script(VIEW_COLOURS))
        axe_clean(d, f"the reader view in {mode} contrast")
        qari_browser.screenshot(d, os.path.join(OUT, f"fr-reader-view-{mode}.png"), full=False)
        ActionChains(d).send_keys(Keys.ESCAPE).perform()
        wait(d, "the view closed", lambda: not state(d)["view"])
    # Reading starts from the view: a click on a passage reads from it; the view's own button pauses.
    d.find_element(By.CSS_SELECTOR, "button.qari-reader").click()
    wait(d, "the reader view", lambda: state(d)["view"])
    assert not state(d)["playing"]
    item = d.find_elements(By.CSS_SELECTOR, "dialog.qari-readerview li [data-passage]")[0]
    target = int(item.get_attribute("data-passage"))
    item.click()
    wait(d, "reading from the passage clicked", lambda: state(d)["playing"] and
         (state(d)["word"] or {}).get("passage") == target)
    d.find_element(By.CSS_SELECTOR, "dialog.qari-readerview .qari-readerview-listen").click()
    wait(d, "paused from the view", lambda: not state(d)["playing"])
    ActionChains(d).send_keys(Keys.ESCAPE).perform()
    wait(d, "the view closed", lambda: not state(d)["view"])
    d.execute_script("localStorage.clear()")
    assert not own_errors(d, daemon), own_errors(d, daemon)


def test_mask_and_reports_by_touch_on_a_phone(d, daemon):
    qari_browser.phone(d, 360, 640)
    open_page(d, daemon, "sample-fr-strict.html")
    qari_browser.tap(d, d.find_element(By.CSS_SELECTOR, ".qari-listen"))
    wait(d, "playing after a tap", lambda: (state(d) or {}).get("playing") and state(d)["words"] > 10)
    # The mask from the settings under "more…", by touch: the band follows the spoken line.
    expand(d, ".qari-more")
    expand(d, "button.qari-settings")
    toggle = d.find_element(By.CSS_SELECTOR, ".qari-mask-toggle")
    label = toggle.find_element(By.XPATH, "..")
    d.execute_script("arguments[0].scrollIntoView({block: 'nearest'})", label)
    assert min(d.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.width, r.height]",
                                label)) >= 44, "the mask's label is under 44 px"
    qari_browser.tap(d, label)
    wait(d, "the mask on", lambda: state(d)["mask"] is not None)
    assert toggle.is_selected()
    qari_browser.tap(d, d.find_element(By.CSS_SELECTOR, "button.qari-settings"))
    qari_browser.tap(d, d.find_element(By.CSS_SELECTOR, ".qari-more"))
    mask_follows_the_spoken_line(d)
    axe_clean(d, "the mask on, on a phone")
    qari_browser.screenshot(d, os.path.join(OUT, "phone-fr-360-mask.png"), full=False)
    # A report of the word being read, by touch from "more…", then of a selected word.
    expand(d, ".qari-more")
    report = d.find_element(By.CSS_SELECTOR, "button.qari-report")
    qari_browser.tap(d, report)
    spoken = send_report(d, "trop vite", press=lambda e: qari_browser.tap(d, e), shot="phone-fr-360-report.png")
    selected = select_inside_second_word(d)
    expand(d, ".qari-more")
    qari_browser.tap(d, d.find_element(By.CSS_SELECTOR, "button.qari-report"))
    assert send_report(d, "", press=lambda e: qari_browser.tap(d, e)) == selected
    listed = reports_listed(daemon)
    assert any(w == spoken.strip(".,:;") or w == spoken for w, _ in listed), (spoken, listed)
    assert any(w == selected for w, _ in listed), (selected, listed)
    # Remembered: on the next page the mask is on before anything plays (the band on the line under the finger).
    open_page(d, daemon, "sample-fr-strict.html")
    wait(d, "the mask remembered on the next page", lambda: state(d)["mask"] is not None and state(d)["settings"]["mask"])
    d.execute_script("localStorage.clear()")
    d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    d.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": False})
    assert not own_errors(d, daemon), own_errors(d, daemon)


def test_reader_view_on_a_phone_in_arabic_reflows_at_320_px_and_200_percent(d, daemon):
    qari_browser.phone(d, 320, 640)
    d.get(daemon.url("demo/sample-ar-zgh.html"))
    d.execute_script("localStorage.setItem('qari-settings', JSON.stringify({size: 200}))")
    open_page(d, daemon, "sample-ar-zgh.html")
    qari_browser.tap(d, d.find_element(By.CSS_SELECTOR, ".qari-listen"))
    wait(d, "playing", lambda: (state(d) or {}).get("playing") and state(d)["words"] > 3)
    qari_browser.tap(d, d.find_element(By.CSS_SELECTOR, ".qari-more"))
    qari_browser.tap(d, d.find_element(By.CSS_SELECTOR, "button.qari-reader"))
    view = wait(d, "the reader view", lambda: d.execute_script(VIEW_LAYOUT))
    assert view["open"] and view["overflow"] <= 0 and view["cells"] >= 1, view
    text = d.execute_script("return parseFloat(getComputedStyle("
                            "document.querySelector('dialog.qari-readerview [data-passage]')).fontSize)")
    assert text >= 28, f"the view's text at 200% is {text}px"
    # The view fits the phone's screen: the page behind at 200% no wider than the screen either.
    fit = d.execute_script("const r = document.querySelector('dialog.qari-readerview').getBoundingClientRect();"
                           "return [r.left, r.right, visualViewport.width, document.documentElement.scrollWidth]")
    assert 0 <= fit[0] and fit[1] <= fit[2] and fit[3] <= fit[2], f"the view or the page is wider than the screen: {fit}"
    assert d.execute_script("return document.querySelector('dialog.qari-readerview').dir") == "rtl"
    assert d.find_element(By.CSS_SELECTOR, "button.qari-reader").get_attribute("aria-label") == "وضع القراءة"
    assert d.find_element(By.CSS_SELECTOR, "button.qari-report").get_attribute("aria-label") == "الإبلاغ عن نطق خاطئ"
    result = qari_browser.run_axe(d, AXE, ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"], context=".qari")
    assert not result["violations"], [(v["id"], [n["target"] for n in v["nodes"][:2]]) for v in result["violations"]]
    qari_browser.screenshot(d, os.path.join(OUT, "phone-ar-reader-view-200.png"), full=False)
    qari_browser.tap(d, d.find_element(By.CSS_SELECTOR, "dialog.qari-readerview .qari-close"))
    wait(d, "the view closed", lambda: not state(d)["view"])


def test_light_and_dark_in_arabic_and_french_on_desktop_and_a_360_px_phone(d, daemon):
    # Desktop, Arabic, light contrast: the live page passes AAA contrast, the player and the reader view are
    # axe-clean, the view takes the light colours.
    open_page(d, daemon, "sample-ar-zgh.html")
    d.find_element(By.CSS_SELECTOR, ".qari-listen").click()
    wait(d, "the toolbar", lambda: d.find_element(By.CSS_SELECTOR, ".qari-toolbar").is_displayed())
    d.find_element(By.CSS_SELECTOR, "button.qari-settings").click()
    d.find_element(By.CSS_SELECTOR, "input[name=qari-contrast][value=light]").click()
    wait(d, "light contrast", lambda: d.execute_script(
        "return document.documentElement.classList.contains('qari-contrast-light')"))
    wait(d, "AAA contrast in light", lambda: not d.execute_script(CONTRAST_JS)["failures"], timeout=5)
    axe_clean(d, "the Arabic player in light contrast")
    d.find_element(By.CSS_SELECTOR, "button.qari-settings").click()
    qari_browser.screenshot(d, os.path.join(OUT, "sample-ar-zgh-light.png"), full=False)
    d.find_element(By.CSS_SELECTOR, "button.qari-reader").click()
    wait(d, "the reader view", lambda: state(d)["view"])
    assert d.execute_script(VIEW_COLOURS) == ["rgb(255, 255, 255)", "rgb(0, 0, 0)"], d.execute_script(VIEW_COLOURS)
    axe_clean(d, "the Arabic reader view in light contrast")
    qari_browser.screenshot(d, os.path.join(OUT, "ar-reader-view-light.png"), full=False)
    ActionChains(d).send_keys(Keys.ESCAPE).perform()
    wait(d, "the view closed", lambda: not state(d)["view"])
    d.execute_script("localStorage.clear(); window.qari.stop()")
    # A 360 px phone by touch: Arabic in light and dark, French in light; the player and the reader view each
    # axe-clean, the view in the chosen colours and within the screen.
    colours = {"light": ["rgb(255, 255, 255)", "rgb(0, 0, 0)"], "dark": ["rgb(0, 0, 0)", "rgb(255, 255, 255)"]}
    for lang, mode in (("ar", "light"), ("ar", "dark"), ("fr", "light")):
        qari_browser.phone(d, 360, 640)
        open_page(d, daemon, f"sample-{lang}-others.html")
        qari_browser.tap(d, d.find_element(By.CSS_SELECTOR, ".qari-listen"))
        wait(d, "playing after a tap", lambda: (state(d) or {}).get("playing"))
        expand(d, ".qari-more")
        expand(d, "button.qari-settings")
        radio = d.find_element(By.CSS_SELECTOR, f"input[name=qari-contrast][value={mode}]")
        d.execute_script("arguments[0].scrollIntoView({block: 'nearest'})", radio)
        qari_browser.tap(d, radio)
        wait(d, f"{mode} contrast", lambda: d.execute_script(
            f"return document.documentElement.classList.contains('qari-contrast-{mode}')"))
        axe_clean(d, f"the {lang} player on a phone in {mode} contrast")
        qari_browser.screenshot(d, os.path.join(OUT, f"phone-{lang}-360-{mode}.png"), full=False)
        reader = d.find_element(By.CSS_SELECTOR, "button.qari-reader")
        d.execute_script("arguments[0].scrollIntoView({block: 'nearest'})", reader)
        qari_browser.tap(d, reader)
        wait(d, "the reader view", lambda: state(d)["view"])
        assert d.execute_script(VIEW_COLOURS) == colours[mode], (lang, mode, d.execute_script(VIEW_COLOURS))
        fit = d.execute_script("const r = document.querySelector('dialog.qari-readerview').getBoundingClientRect();"
                               "return [r.left, r.right, visualViewport.width]")
        assert 0 <= fit[0] and fit[1] <= fit[2], f"{lang} {mode}: the view is wider than the screen: {fit}"
        axe_clean(d, f"the {lang} reader view on a phone in {mode} contrast")
        qari_browser.screenshot(d, os.path.join(OUT, f"phone-{lang}-360-reader-view-{mode}.png"), full=False)
        qari_browser.tap(d, d.find_element(By.CSS_SELECTOR, "dialog.qari-readerview .qari-close"))
        wait(d, "the view closed", lambda: not state(d)["view"])
        d.execute_script("localStorage.clear(); window.qari.stop()")
        d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        d.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": False})
    assert not own_errors(d, daemon), own_errors(d, daemon)


# --- a citizen's own pages -----------------------------------------------------------------------------------------

# What the private samples say of their made-up citizen: her name (Latin and Arabic script) and identity card number.
SECRETS = ["Yasmina", "Tazrouti", "BK482913", "ياسمينة", "تازروتي"]
PRIVATE_META = '<meta name="qari" content="private">\n'
# The demo serves samples/pages/NAME at /demo/NAME: the private daemon's operator pattern matches this copy of
# private-fr.html, written without its meta (the page's address is then its only private mark).
BY_ADDRESS, PRIVATE_PATTERN = "mon-espace-fr.html", "/demo/mon-espace-*"


def encodings(text):
    """The ways a file may hold `text`: UTF-8, JSON's \\u escapes (either case) and UTF-16."""
    escaped = "".join(c if ord(c) < 128 else f"\\u{ord(c):04x}" for c in text)
    return {text.encode(), escaped.encode(), escaped.upper().replace("\\U", "\\u").encode(),
            text.encode("utf-16-le"), text.encode("utf-16-be")}


def readings_asked(network):
    return [r for r in network.requests() if r["method"] == "POST" and r["url"].endswith("/v1/readings")]


def after_the_widgets_own_delays(d):
    """Returns once a page timer set now has fired: after any the widget set on focus or hover (65, 100 ms)."""
    d.execute_async_script("setTimeout(arguments[0], 200)")


def the_report_control_is_nowhere(d, where):
    """No report control shows: not in the player (nor under "more…"), not in the reader view; no report box."""
    shown = d.execute_script("""return [...document.querySelectorAll('.qari button, .qari [role=button]')]
        .filter(b => b.getClientRects().length && getComputedStyle(b).visibility !== 'hidden' && (b.classList.contains('qari-report') ||
                /Signaler|الإبلاغ|Report/.test(b.getAttribute('aria-label') || b.textContent)))
        .map(b => b.outerHTML.slice(0, 80));""")
    assert not shown, (where, shown)
    assert not d.execute_script("return !!document.querySelector('dialog.qari-reportbox')"), where


def private_reading_of(d, daemon, network, page):
    """The reading the widget played on `page`: private (id p + 40 hex digits and the daemon's name, `private` true), asked for with
    the page's address; Qari-Privacy: private when the page carries the meta."""
    reading = reading_of(d, daemon)
    rid = reading["id"]
    assert re.fullmatch(r"p[0-9a-f]{40}-[a-z0-9]{1,32}", rid), rid
    assert reading.get("private") is True, {k: v for k, v in reading.items() if k != "passages"}
    asked = readings_asked(network)
    assert asked, "no reading asked for"
    body = json.loads(asked[-1]["body"] or "{}")
    assert body.get("url") == daemon.url(f"demo/{page}"), body.get("url")
    has_meta = d.execute_script("return !!document.querySelector('meta[name=qari][content=private]')")
    privacy = {k.lower(): v for k, v in asked[-1]["headers"].items()}.get("qari-privacy")
    assert privacy == ("private" if has_meta else None), (page, asked[-1]["headers"])
    return reading


def private_french_page_by_keyboard(d, daemon):
    """private-fr.html on a desktop, by keyboard: nothing asked before the press; read, highlighted, no report."""
    network = qari_browser.Network(d)
    d.get(daemon.url("demo/private-fr.html#suivi"))
    wait(d, "the widget", lambda: d.execute_script("return !!document.querySelector('.qari-listen')"))
    qari_browser.console_errors(d)
    network.forget()
    d.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    ActionChains(d).send_keys(Keys.TAB).perform()
    listen = d.find_element(By.CSS_SELECTOR, ".qari-listen")
    assert d.execute_script("return document.activeElement") == listen
    ActionChains(d).move_to_element(listen).perform()
    after_the_widgets_own_delays(d)
    # Focus and the pointer on Listen ask for nothing on a page that asks to be private: not read unless asked.
    assert state(d)["early"] is None, state(d)["early"]
    assert not readings_asked(network), readings_asked(network)
    ActionChains(d).send_keys(Keys.ENTER).perform()
    wait(d, "playing", lambda: (state(d) or {}).get("playing") and state(d)["time"] > 0.2)
    reading = private_reading_of(d, daemon, network, "private-fr.html")
    the_highlight_follows_the_audio(d, reading)
    wait(d, "the toolbar", lambda: d.find_element(By.CSS_SELECTOR, ".qari-toolbar").is_displayed())
    the_report_control_is_nowhere(d, "the French toolbar")
    axe_clean(d, "the French private page playing")
    qari_browser.screenshot(d, os.path.join(OUT, "private-fr-playing.png"), full=False)
    d.find_element(By.CSS_SELECTOR, "button.qari-reader").send_keys(Keys.ENTER)
    wait(d, "the reader view", lambda: state(d)["view"])
    the_report_control_is_nowhere(d, "the French reader view")
    axe_clean(d, "the French private page's reader view")
    qari_browser.screenshot(d, os.path.join(OUT, "private-fr-reader-view.png"), full=False)
    ActionChains(d).send_keys(Keys.ESCAPE).perform()
    wait(d, "the view closed", lambda: not state(d)["view"])
    assert not own_errors(d, daemon), own_errors(d, daemon)
    return reading["id"]


def private_arabic_page_by_touch(d, daemon):
    """private-ar.html on a 360 px phone, by touch: read, highlighted, no report under "more…" or in the view."""
    network = qari_browser.Network(d)
    qari_browser.phone(d, 360, 640)
    open_page(d, daemon, "private-ar.html")
    network.forget()
    qari_browser.tap(d, d.find_element(By.CSS_SELECTOR, ".qari-listen"))
    wait(d, "playing after a tap", lambda: (state(d) or {}).get("playing") and state(d)["time"] > 0.2)
    reading = private_reading_of(d, daemon, network, "private-ar.html")
    the_highlight_follows_the_audio(d, reading)
    expand(d, ".qari-more")
    wait(d, "the reader view's button under more…",
         lambda: d.find_element(By.CSS_SELECTOR, "button.qari-reader").is_displayed())
    the_report_control_is_nowhere(d, "the Arabic player, more… open")
    axe_clean(d, "the Arabic private page, more… open")
    qari_browser.screenshot(d, os.path.join(OUT, "private-ar-360-more.png"), full=False)
    qari_browser.tap(d, d.find_element(By.CSS_SELECTOR, "button.qari-reader"))
    wait(d, "the reader view", lambda: state(d)["view"])
    the_report_control_is_nowhere(d, "the Arabic reader view")
    axe_clean(d, "the Arabic private page's reader view")
    qari_browser.screenshot(d, os.path.join(OUT, "private-ar-360-reader-view.png"), full=False)
    qari_browser.tap(d, d.find_element(By.CSS_SELECTOR, "dialog.qari-readerview .qari-close"))
    wait(d, "the view closed", lambda: not state(d)["view"])
    d.execute_script("window.qari.stop()")
    d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    d.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": False})
    assert not own_errors(d, daemon), own_errors(d, daemon)
    return reading["id"]


def private_by_its_address_alone(d, daemon):
    """The copy without the meta, at an address the operator's pattern names: the widget cannot know before the
    answer; the reading asked for on hover comes back private and gets no audio before the press."""
    network = qari_browser.Network(d)
    open_page(d, daemon, BY_ADDRESS)
    assert not d.execute_script("return !!document.querySelector('meta[name=qari]')")
    network.forget()
    listen = d.find_element(By.CSS_SELECTOR, ".qari-listen")
    ActionChains(d).move_to_element(listen).perform()
    early = wait(d, "the reading asked for on hover, answered", lambda: (state(d)["early"] or {}).get("reading"))
    assert early.startswith("p"), early
    assert state(d)["early"]["audio"] is False and state(d)["prepared"] is None, state(d)
    assert not [r for r in network.requests() if "/audio." in r["url"]], "audio asked for before the press"
    listen.click()
    wait(d, "playing", lambda: (state(d) or {}).get("playing") and state(d)["time"] > 0.2)
    reading = private_reading_of(d, daemon, network, BY_ADDRESS)
    assert reading["id"] == early, (reading["id"], early)
    the_highlight_follows_the_audio(d, reading)
    the_report_control_is_nowhere(d, "the page private by its address")
    axe_clean(d, "the page private by its address, playing")
    qari_browser.screenshot(d, os.path.join(OUT, "private-by-address.png"), full=False)
    d.execute_script("window.qari.stop()")
    assert not own_errors(d, daemon), own_errors(d, daemon)
    return reading["id"]


def test_private_pages_through_the_widget_leave_nothing_behind(d, daemon):
    # A daemon of its own: its cache, reports database, temporary folder and log (at debug level) are searched
    # afterwards. Its QARI_HOME holds a copy of the sample pages and one more, private by its address only.
    work = tempfile.mkdtemp(prefix="qari-widget-private-")
    pages = os.path.join(work, "home", "samples", "pages")
    tmp, log = os.path.join(work, "tmp"), os.path.join(work, "daemon.log")
    shutil.copytree(PAGES, pages)
    os.makedirs(tmp)
    html = open(os.path.join(PAGES, "private-fr.html"), encoding="utf-8").read()
    assert PRIVATE_META in html
    with open(os.path.join(pages, BY_ADDRESS), "w", encoding="utf-8") as f:
        f.write(html.replace(PRIVATE_META, ""))
    private = Daemon(daemon.qari, work=work, log=log, env={"TMPDIR": tmp, "QARI_HOME": os.path.join(work, "home")},
                     args=["--cache-directory", os.path.join(work, "cache"), "--reports-db",
                           os.path.join(work, "reports.sqlite"), "--log-level", "debug",
                           "--private-pages", PRIVATE_PATTERN])
    private.start()
    try:
        ids = [private_french_page_by_keyboard(d, private), private_arabic_page_by_touch(d, private),
               private_by_its_address_alone(d, private)]
        assert len(set(ids)) == 3, ids
        # A public page read the same way is made once and kept in the cache, its words with it.
        open_page(d, private, "sample-fr.html")
        press_listen_by_keyboard(d)
        wait(d, "playing", lambda: (state(d) or {}).get("playing"))
        public = reading_of(d, private)
        assert not public["id"].startswith("p") and not public.get("private"), public["id"]
        wait(d, "the public reading in the cache", lambda: os.path.isdir(os.path.join(private.cache, public["id"])),
             timeout=120)
        d.execute_script("window.qari.stop()")
        assert not own_errors(d, private), own_errors(d, private)
    finally:
        private.stop()
    places = [os.path.join(base, f) for folder in (private.cache, tmp) for base, _, files in os.walk(folder)
              for f in files]
    places += [p for p in (private.reports + x for x in ("", "-wal", "-shm")) if os.path.exists(p)] + [log]
    contents = {path: open(path, "rb").read() for path in places}
    # The search finds what is there: the public page's words are in the cache.
    words = {w for p in public["passages"] for w in p["text"].split() if len(w) >= 6 and w.isalpha()}
    found_public = {w for w in words if any(w.encode() in data for path, data in contents.items()
                                            if path.startswith(private.cache))}
    assert len(found_public) >= 5, (sorted(words)[:10], sorted(contents)[:10])
    assert contents[log], "the daemon logged nothing"
    found = [(path, secret) for path, data in contents.items() for secret in SECRETS
             if any(form in data for form in encodings(secret))]
    print(f"  private pages: searched {len(places)} files ({sum(map(len, contents.values()))} bytes) for "
          f"{len(SECRETS)} words; the public page's words found in the cache: {len(found_public)}", flush=True)
    assert not found, (found[:10], f"left for inspection: {work}")
    shutil.rmtree(work, ignore_errors=True)


TESTS = [v for k, v in list(globals().items()) if k.startswith("test_")]


def run(tests, label):
    """Runs `tests` (each given a fresh chromium and the one daemon) as `label`: argv names the binary, then the
    tests to run (all when none); prints one line per test and 'N passed, N failed'; 1 on a failure."""
    qari = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/qari"
    chosen = sys.argv[2:]
    os.makedirs(OUT, exist_ok=True)
    daemon = Daemon(qari)
    daemon.start()
    passed = failed = 0
    version = "?"
    try:
        for test in tests:
            if chosen and test.__name__ not in chosen:
                continue
            d = qari_browser.start()
            version = qari_browser.browser_version(d)
            started = time.time()
            try:
                test(d, daemon)
                passed += 1
                print(f"PASS {test.__name__} ({time.time() - started:.1f} s)", flush=True)
            except Exception as e:
                failed += 1
                print(f"FAIL {test.__name__}: {e}", flush=True)
                traceback.print_exc(limit=2)
                try:
                    qari_browser.screenshot(d, os.path.join(OUT, f"FAIL-{test.__name__}.png"), full=False)
                except Exception:
                    pass
            finally:
                d.quit()
    finally:
        daemon.stop()
    print(f"{label} tests ran in chromium {version}")
    print(f"{label}: {passed} passed, {failed} failed")
    return 1 if failed else 0


def main():
    return run(TESTS, "widget")


if __name__ == "__main__":
    sys.exit(main())
