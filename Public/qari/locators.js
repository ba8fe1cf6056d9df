// The page as the daemon reads it, and the reading's locators back to ranges of the page (and of the reader view).
import { areaSelector } from './config.js';
import { state, setResolved } from './state.js';

/** The page's HTML to send, with the reading area marked. */
export function areaHTML() {
  var area = areaSelector && document.querySelector(areaSelector);
  if (area) area.setAttribute('data-qari-read', '');
  return pageHTML();
}
// As the daemon compares them: names and values case-insensitive, space-separated words.
function words(v) { return (v || '').toLowerCase().split(/[ \t\n\r\f]+/).filter(Boolean); }
/** The page asks to be kept private (`<meta name="qari" content="private">`): a citizen's own page. */
export function privatePage() {
  return Array.prototype.some.call(document.getElementsByTagName('meta'), function (m) {
    return words(m.getAttribute('name')).join(' ') === 'qari' && words(m.getAttribute('content')).indexOf('private') >= 0;
  });
}
/** The page's address without its fragment: the daemon matches it against the operator's private pages. */
export function pageAddress() { return location.href.split('#')[0]; }
// The page as the daemon must parse it to find the same elements at the same paths. The daemon parses as a
// browser with scripting off: a <noscript> pixel or a script-inserted <iframe> in <head> would close the head
// there and shift every path. Each such element is sent as an empty element that stays in <head>.
const HEAD_OK = { BASE: 1, LINK: 1, META: 1, SCRIPT: 1, STYLE: 1, TEMPLATE: 1, TITLE: 1 };
function attrs(e) {
  return Array.prototype.map.call(e.attributes, function (a) {
    return ' ' + a.name + '="' + a.value.replace(/&/g, '&amp;').replace(/"/g, '&quot;') + '"';
  }).join('');
}
function pageHTML() {
  var root = document.documentElement;
  var out = (document.compatMode === 'CSS1Compat' ? '<!DOCTYPE html>' : '') + '<html' + attrs(root) + '>';
  Array.prototype.forEach.call(root.children, function (c) {
    if (c !== document.head) { out += c.outerHTML; return; }
    out += '<head' + attrs(c) + '>';
    Array.prototype.forEach.call(c.children, function (h) {
      out += h.tagName === 'NOSCRIPT' ? '<noscript></noscript>' : HEAD_OK[h.tagName] ? h.outerHTML : '<template></template>';
    });
    out += '</head>';
  });
  return out + '</html>';
}

/** Locators → DOM ranges: a passage's text maps run by run onto the page's text nodes. */
export function prepareLocators() {
  setResolved(state.reading.passages.map(function (p) {
    var cps = Array.from(p.text);
    var utf16 = [0];
    for (var i = 0; i < cps.length; i++) utf16.push(utf16[i] + cps[i].length);
    return { cps: cps, utf16: utf16, runs: p.locator.map(function (l) {
      var node = elementAt(l.path);
      if (node && l.attribute === undefined && l.node !== undefined && l.node !== null) node = node.childNodes[l.node];
      return { l: l, node: node, text: node && node.nodeType === 3 ? node.data.slice(l.start, l.end) : null };
    }) };
  }));
}
/** Every text the reading points at is still in the page, as it was. */
export function passagesIntact() {
  return state.resolved.every(function (p) {
    return p.runs.every(function (run) {
      if (!run.node) return true;
      if (!run.node.isConnected) return false;
      return run.node.nodeType !== 3 || run.node.data.slice(run.l.start, run.l.end) === run.text;
    });
  });
}
export function elementAt(path) {
  var e = document.documentElement;
  for (var i = 0; e && i < path.length; i++) e = e.children[path[i]];
  return e || null;
}
/** The page's ranges for code points offset ..< offset + length of a passage (a read selection: itself). */
export function rangesFor(passage, offset, length) {
  var p = state.resolved[passage], out = [], selectionRange = state.selectionRange;
  if (!p || selectionRange) return selectionRange ? [selectionRange] : out;
  p.runs.forEach(function (run) {
    var l = run.l, lo = Math.max(offset, l.offset), hi = Math.min(offset + length, l.offset + l.length);
    if (lo >= hi || !run.node) return;
    var range = document.createRange();
    try {
      if (l.attribute) range.selectNode(run.node);
      else {
        if (run.node.nodeType !== 3) return;
        var a = l.start + p.utf16[lo] - p.utf16[l.offset], b = l.start + p.utf16[hi] - p.utf16[l.offset];
        if (b > run.node.length) return;
        range.setStart(run.node, a);
        range.setEnd(run.node, b);
      }
      out.push(range);
    } catch (e) { /* the page changed under us */ }
  });
  return out;
}
/** The reader view's range for code points offset ..< offset + length of a passage. */
export function viewRanges(passage, offset, length) {
  var node = state.viewTexts[passage], p = state.resolved[passage];
  if (!node || !p) return [];
  var r = document.createRange();
  r.setStart(node, p.utf16[Math.min(offset, p.cps.length)]);
  r.setEnd(node, p.utf16[Math.min(offset + length, p.cps.length)]);
  return [r];
}
/** The code points of `elements`' text as the daemon reads it (spaces collapsed), each with its node and offset. */
function points(elements) {
  var out = [], space = true;
  elements.forEach(function (e) {
    var walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
    for (var n = walker.nextNode(); n; n = walker.nextNode()) {
      for (var i = 0; i < n.data.length;) {
        var c = n.data.codePointAt(i), size = c > 0xffff ? 2 : 1;
        var blank = /\s/.test(String.fromCodePoint(c));
        if (!blank || !space) out.push({ node: n, at: i, end: i + size, blank: blank });
        space = blank;
        i += size;
      }
    }
    space = true;
  });
  while (out.length && out[out.length - 1].blank) out.pop();
  return out;
}
/** The page's range for code points `from` ..< `to` of `elements`' text, or null. */
export function textRange(elements, from, to) {
  var p = points(elements);
  if (from < 0 || from >= to || to > p.length) return null;
  var r = document.createRange();
  r.setStart(p[from].node, p[from].at);
  r.setEnd(p[to - 1].node, p[to - 1].end);
  return r;
}

/** The page's range for the first words of `text` (a passage whose locators lead nowhere), found by its text. */
export function findText(text) {
  var p = points([document.body]), chars = p.map(function (x) { return x.blank ? ' ' : x.node.data.slice(x.at, x.end); });
  var whole = chars.join(''), want = Array.from(text.replace(/\s+/g, ' ').trim());
  for (var n = Math.min(40, want.length); n >= 8; n = Math.floor(n / 2)) {
    var at = whole.indexOf(want.slice(0, n).join(''));
    if (at < 0) continue;
    var i = 0, u = 0;
    while (u < at) u += chars[i++].length;
    return textRange([document.body], i, Math.min(p.length, i + want.length));
  }
  return null;
}
