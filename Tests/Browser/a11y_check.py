#!/usr/bin/env python3
"""a11y_check: checks pages in headless chromium for what the display transforms answer for, at WCAG AAA.

For each page: axe-core (WCAG A/AA/AAA and 2.1/2.2 rules) and our own text-contrast pass at 1280 px; reflow at a
320 px viewport; text-only enlargement to 200%. Failures are strings prefixed with their kind:
  contrast: …       text below 7:1 (4.5:1 large), by our pass or axe's color-contrast(-enhanced)
  reflow320: …      horizontal scrolling or clipped text at 320 px
  text200: …        horizontal scrolling or clipped text with every font size doubled
  axe RULE: …       any other axe violation
Writes OUT/report.json ({"pages": [{"input", "status", "failures"}]}) and screenshots OUT/NAME.MODE.png.
Usage: a11y_check.py --out DIR PAGE.html...   Exit 0 (all pass), 1 (failures), 2 (could not run).
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import qari_browser  # noqa: E402

# Our contrast pass: every visible text node against the background composited from its ancestors. Text over
# images or gradients, or under filters and blend modes, is "unknown" (look at the screenshot).
CONTRAST_JS = r"""
const parse = c => { const m = c.match(/rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/);
  return m ? [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]] : null; };
const lum = c => { const v = c.slice(0, 3).map(x => { x /= 255;
  return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
  return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
const over = (top, below) => [0, 1, 2].map(i => top[i] * top[3] + below[i] * (1 - top[3])).concat([1]);
function background(el) {
  const layers = [];
  for (let e = el; e; e = e.parentElement) {
    const cs = getComputedStyle(e);
    if (cs.backgroundImage !== 'none' || cs.filter !== 'none' || cs.mixBlendMode !== 'normal') return null;
    const c = parse(cs.backgroundColor);
    if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
  }
  let bg = [255, 255, 255, 1];
  for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
  return bg;
}
const out = {checked: 0, failures: [], unknown: 0};
const walker = document.createTreeWalker(document.body || document.documentElement, NodeFilter.SHOW_TEXT);
const seen = new Set();
for (let n = walker.nextNode(); n; n = walker.nextNode()) {
  const el = n.parentElement;
  if (!el || seen.has(el) || !n.textContent.trim()) continue;
  seen.add(el);
  const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
  if (r.width < 1 || r.height < 1 || cs.visibility !== 'visible' || +cs.opacity === 0) continue;
  if (el.closest('[aria-hidden="true"], script, style, noscript, template')) continue;
  const bg = background(el), fg = parse(cs.color);
  if (!bg || !fg) { out.unknown++; continue; }
  const f = over(fg, bg), a = lum(f), b = lum(bg);
  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  const size = parseFloat(cs.fontSize), bold = (+cs.fontWeight || 400) >= 700;
  const large = size >= 24 || (bold && size >= 18.66);
  const need = large ? 4.5 : 7;
  out.checked++;
  if (ratio < need - 0.005) out.failures.push({tag: el.localName, text: n.textContent.trim().slice(0, 40),
    fg: cs.color, bg: 'rgb(' + bg.slice(0, 3).map(Math.round).join(',') + ')', ratio: +ratio.toFixed(2), need});
}
return out;
"""

# Horizontal scrolling of the page, and boxes that clip their own text.
LAYOUT_JS = r"""
const root = document.documentElement;
const out = {scroll_width: root.scrollWidth, client_width: root.clientWidth, wide: [], clipped: []};
if (root.scrollWidth > root.clientWidth + 1) {
  for (const e of document.querySelectorAll('body *')) {
    const r = e.getBoundingClientRect();
    if (r.right > root.clientWidth + 1 && r.width > 0) {
      let inScroller = false;
      for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll') { inScroller = true; break; } }
      if (!inScroller) out.wide.push(e.localName + (e.id ? '#' + e.id : '') + ' ' + Math.round(r.right) + 'px');
      if (out.wide.length >= 5) break;
    }
  }
}
for (const e of document.querySelectorAll('body *')) {
  const cs = getComputedStyle(e);
  if (!/(hidden|clip)/.test(cs.overflowX + cs.overflowY) || !e.textContent.trim()) continue;
  if (e.scrollHeight > e.clientHeight + 2 || e.scrollWidth > e.clientWidth + 2) {
    if (e.clientWidth <= 1 && e.clientHeight <= 1) continue;  // visually hidden, not clipped text
    out.clipped.push(e.localName + (e.id ? '#' + e.id : '') + ' ' + e.scrollWidth + 'x' + e.scrollHeight +
      ' in ' + e.clientWidth + 'x' + e.clientHeight);
    if (out.clipped.length >= 5) break;
  }
}
return out;
"""

# Text-only enlargement: every element's computed font size doubled (and explicit line heights with it).
ENLARGE_JS = r"""
const sizes = [];
for (const e of document.querySelectorAll('body, body *')) {
  const cs = getComputedStyle(e);
  sizes.push([e, parseFloat(cs.fontSize), cs.lineHeight]);
}
for (const [e, size, lh] of sizes) {
  e.style.setProperty('font-size', (size * 2) + 'px', 'important');
  if (lh !== 'normal' && lh.endsWith('px')) e.style.setProperty('line-height', (parseFloat(lh) * 2) + 'px', 'important');
}
"""

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag2aaa", "wcag21a", "wcag21aa", "wcag22aa"]


def layout_failures(mode, layout):
    failures = []
    if layout["scroll_width"] > layout["client_width"] + 1 and layout["wide"]:
        failures.append(f"{mode}: scrolls horizontally ({layout['scroll_width']} px in {layout['client_width']}): "
                        + ", ".join(layout["wide"]))
    for box in layout["clipped"]:
        failures.append(f"{mode}: clipped text in {box}")
    return failures


def check(driver, axe, path, out):
    name = os.path.splitext(os.path.basename(path))[0]
    url = "file://" + os.path.abspath(path)
    result = {"input": path, "failures": [], "screenshots": []}
    qari_browser.resize(driver, 1280, 800)
    driver.get(url)
    contrast = driver.execute_script(CONTRAST_JS)
    result["contrast"] = contrast
    for f in contrast["failures"]:
        result["failures"].append(f"contrast: {f['ratio']}:1 < {f['need']}:1 for <{f['tag']}> \"{f['text']}\" "
                                  f"({f['fg']} on {f['bg']})")
    axe_result = qari_browser.run_axe(driver, axe, AXE_TAGS)
    if "error" in axe_result:
        raise RuntimeError(axe_result["error"])
    for v in axe_result["violations"]:
        kind = "contrast" if v["id"].startswith("color-contrast") else f"axe {v['id']}"
        targets = ", ".join(str(n["target"]) for n in v["nodes"][:3])
        result["failures"].append(f"{kind}: axe {v['id']} ({len(v['nodes'])}): {v['help']} {targets}")
    shot = os.path.join(out, f"{name}.base.png")
    qari_browser.screenshot(driver, shot, width=1280)
    result["screenshots"].append(shot)

    qari_browser.resize(driver, 320, 800)
    driver.get(url)
    result["failures"] += layout_failures("reflow320", driver.execute_script(LAYOUT_JS))
    shot = os.path.join(out, f"{name}.reflow320.png")
    qari_browser.screenshot(driver, shot, width=320)
    result["screenshots"].append(shot)

    qari_browser.resize(driver, 1280, 800)
    driver.get(url)
    driver.execute_script(ENLARGE_JS)
    result["failures"] += layout_failures("text200", driver.execute_script(LAYOUT_JS))
    shot = os.path.join(out, f"{name}.text200.png")
    qari_browser.screenshot(driver, shot, width=1280)
    result["screenshots"].append(shot)
    result["status"] = "fail" if result["failures"] else "pass"
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=".build/a11y")
    parser.add_argument("pages", nargs="+")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    axe = qari_browser.axe_source()
    driver = qari_browser.start()
    report = {"pages": []}
    started = time.time()
    try:
        for path in args.pages:
            if not os.path.isfile(path):
                print(f"a11y_check: no such page: {path}", file=sys.stderr)
                return 2
            page = check(driver, axe, path, args.out)
            report["pages"].append(page)
            print(f"{page['status'].upper():5} {path} ({len(page['failures'])} failures, "
                  f"{page['contrast']['checked']} texts checked)")
    finally:
        driver.quit()
    with open(os.path.join(args.out, "report.json"), "w", encoding="utf-8") as f:
        f.write(qari_browser.dump(report))
    bad = sum(p["status"] != "pass" for p in report["pages"])
    print(f"a11y_check AAA: {len(report['pages'])} pages, {bad} with failures, {time.time() - started:.0f} s")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
