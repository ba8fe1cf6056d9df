"""Driving Debian's chromium for Qari's browser tests: a headless browser, pages, axe-core, screenshots.

Only Debian's chromium and chromedriver and the pinned PyPI packages of requirements.txt are used; no browser
is downloaded. Chromium runs headless with its default autoplay policy (no flag relaxes it).
"""
import importlib.util
import json
import os
import shutil
import sys

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service


def axe_source():
    """axe-core's JavaScript, as axe-playwright-python ships it."""
    spec = importlib.util.find_spec("axe_playwright_python")
    if spec is None:
        sys.exit("qari_browser: axe-playwright-python is missing: run Tests/Browser/install.sh")
    with open(os.path.join(os.path.dirname(spec.origin), "axe.min.js"), encoding="utf-8") as f:
        return f.read()


def start(width=1280, height=800, lang="fr", prompts=None):
    """A headless chromium with its console log kept, at the given window size."""
    chromium = shutil.which("chromium")
    driver_path = shutil.which("chromedriver")
    if not chromium or not driver_path:
        sys.exit("qari_browser: chromium or chromedriver is missing: run Tests/Browser/install.sh")
    options = Options()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--window-size={width},{height}", "--hide-scrollbars", "--force-device-scale-factor=1",
                f"--lang={lang}", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"):
        options.add_argument(arg)
    # "performance" is chromedriver's feed of DevTools Protocol events: the tests see the browser's requests as
    # CDP Network events, a channel that does not change with what a chromium version puts in Resource Timing.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    if prompts:
        # A page's own alert()s (saved pages have them): "dismiss", as a reader would.
        options.unhandled_prompt_behavior = prompts
    options.set_capability("goog:perfLoggingPrefs", {"enableNetwork": True, "enablePage": False})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(60)
    return driver


def resize(driver, width, height):
    """Sets the viewport (not the window) to width × height CSS pixels."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})


def phone(driver, width, height):
    """A phone-sized viewport with touch: mobile emulation, touch events, a coarse pointer."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 2, "mobile": True})
    driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 5})


def tap(driver, element):
    """A finger's tap at the element's centre (a touch gesture, as a phone makes it)."""
    x, y = driver.execute_script(
        "const r = arguments[0].getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]", element)
    point = [{"x": x, "y": y, "radiusX": 4, "radiusY": 4, "force": 1, "id": 1}]
    driver.execute_cdp_cmd("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": point})
    driver.execute_cdp_cmd("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def swipe(driver, x, y_from, y_to, steps=8):
    """A finger dragged on the page from (x, y_from) to (x, y_to): down to see what is above."""
    def touch(kind, y):
        points = [] if kind == "touchEnd" else [{"x": x, "y": y, "radiusX": 4, "radiusY": 4, "force": 1, "id": 1}]
        driver.execute_cdp_cmd("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})
    touch("touchStart", y_from)
    for i in range(1, steps + 1):
        touch("touchMove", y_from + (y_to - y_from) * i / steps)
    touch("touchEnd", y_to)


def run_axe(driver, source, tags, context=None):
    """axe-core's results for the page (or `context`, a CSS selector) with the rules of `tags`."""
    if not driver.execute_script("return !!window.axe"):
        driver.execute_script(source)
    options = {"runOnly": {"type": "tag", "values": tags}, "resultTypes": ["violations", "incomplete"]}
    return driver.execute_async_script(
        "const [ctx, opts, done] = arguments;"
        "axe.run(ctx || document, opts).then(r => done(JSON.parse(JSON.stringify({"
        "violations: r.violations, incomplete: r.incomplete})))).catch(e => done({error: String(e)}));",
        context, options)


class Network:
    """The requests the browser sent (url, method, headers, body) and the answers it had, from CDP Network events
    (chromedriver's performance log), kept across calls: `requests()` reads what arrived since the last call and
    returns them all."""

    def __init__(self, driver):
        self.driver = driver
        self.seen = {}

    def requests(self):
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            params = message.get("params", {})
            if message.get("method") == "Network.requestWillBeSent":
                self.seen.setdefault(params["requestId"], {"url": params["request"]["url"], "status": None,
                                                           "method": params["request"]["method"],
                                                           "headers": params["request"].get("headers", {}),
                                                           "body": params["request"].get("postData")})
            elif message.get("method") == "Network.responseReceived" and params["requestId"] in self.seen:
                self.seen[params["requestId"]]["status"] = params["response"]["status"]
        return list(self.seen.values())

    def forget(self):
        """Drops what was seen so far (the next `requests()` lists only later requests)."""
        self.requests()
        self.seen = {}


def browser_version(driver):
    return driver.capabilities.get("browserVersion", "unknown")


def console_errors(driver):
    """Console messages of level SEVERE since the last call."""
    return [entry for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]


def screenshot(driver, path, full=True, width=None):
    """A PNG of the page (full height, at most 12000 px) or of the viewport."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    if full:
        height = min(12000, driver.execute_script(
            "return Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0)"))
        w = width or driver.execute_script("return window.innerWidth")
        resize(driver, w, max(200, height))
        driver.save_screenshot(path)
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        if width:
            resize(driver, width, 800)
    else:
        driver.save_screenshot(path)


def dump(obj):
    return json.dumps(obj, ensure_ascii=False, indent=1)
