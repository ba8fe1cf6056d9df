// Point and listen ("click to listen", off until the reader turns it on, remembered): a click or tap on a text
// plays it from the word pointed at; a short hover, a long press or a click on a link or button says what it is.
// Text the page's reading holds plays from the reading; any other (added later, in a dialog) is asked for alone.
import { seek } from './controls.js';
import { hush, say } from './speak.js';
import { state, updateSettings } from './state.js';
import { announce } from './status.js';
import { langOf, squeeze } from './dom.js';
import { t, uiLang } from './strings.js';

const TEXTS = 'p, li, h1, h2, h3, h4, h5, h6, td, th, dt, dd, blockquote, figcaption, caption, label, legend, ' +
  'summary, pre, address, div, span';
const NAMED = 'a[href], button, [role=button], [role=link], input[type=submit], input[type=button]';
var hoverTimer = 0, pressTimer = 0, pressed = null;

/** "Link: …" or "Button: …" in the page's words, or null when it has no name. */
function nameOf(e) {
  var img = e.querySelector && e.querySelector('img[alt]');
  var name = squeeze(e.getAttribute('aria-label') || e.value || e.textContent || e.title || (img && img.alt));
  if (!name) return null;
  var kind = e.matches('a[href], [role=link]') ? t.link : t.button;
  return { kind: kind, name: name };
}
function sayName(e) {
  var n = nameOf(e);
  if (!n) return;
  // The kind in the widget's words (French on Amazigh pages, as its controls), the name in the element's language.
  var kindLang = uiLang === 'zgh' ? 'fr' : uiLang, lang = langOf(e);
  if (kindLang === lang) say(n.kind + ' : ' + n.name, lang, [{ elements: [e], at: Array.from(n.kind + ' : ').length, length: Array.from(n.name).length }], 'name');
  else say(n.name, lang, [{ elements: [e], at: 0, length: Array.from(n.name).length }], 'name');
}
// The text node and offset under the pointer.
function caret(x, y) {
  if (document.caretPositionFromPoint) {
    var p = document.caretPositionFromPoint(x, y);
    return p && { node: p.offsetNode, offset: p.offset };
  }
  var r = document.caretRangeFromPoint && document.caretRangeFromPoint(x, y);
  return r && { node: r.startContainer, offset: r.startOffset };
}
// The page's reading holds this text node: play from the word at `offset` (a code unit of the node).
function inReading(node, offset) {
  if (!state.started || state.stale || !state.audio) return false;
  for (var i = 0; i < state.resolved.length; i++) {
    var runs = state.resolved[i].runs;
    for (var j = 0; j < runs.length; j++) {
      var l = runs[j].l;
      if (runs[j].node !== node || offset < l.start || offset > l.end) continue;
      var at = l.offset + Array.from(node.data.slice(l.start, offset)).length;
      var word = state.words.filter(function (w) { return w.passage === i && w.offset + w.length > at; })[0];
      if (!word) return false;
      hush();
      seek(word.t);
      state.audio.play().catch(function () {});
      return true;
    }
  }
  return false;
}
function sayFrom(block, c) {
  var text = squeeze(block.textContent);
  if (!text) return;
  var from = 0;
  if (c && c.node.nodeType === 3 && block.contains(c.node)) {
    // The clicked word's first code point, counted as the daemon counts (spaces collapsed).
    var before = document.createRange();
    before.setStart(block, 0);
    before.setEnd(c.node, c.offset);
    var head = String(before).replace(/\s+/g, ' ').replace(/^ /, '');
    from = Array.from(head.replace(/\S+$/, '')).length;
  }
  var rest = Array.from(text).slice(from).join('');
  say(rest, langOf(block), [{ elements: [block], at: 0, length: Array.from(rest).length, from: from }], 'text');
}

function onClick(e) {
  if (!state.settings.point || e.target.closest('.qari')) return;
  if (pressed) { pressed = null; e.preventDefault(); e.stopPropagation(); return; }
  var named = e.target.closest(NAMED);
  e.preventDefault();
  e.stopPropagation();
  if (named) { sayName(named); return; }
  var c = caret(e.clientX, e.clientY);
  if (c && c.node.nodeType === 3 && inReading(c.node, c.offset)) return;
  var block = e.target.closest(TEXTS);
  if (block) sayFrom(block, c);
}
function onOver(e) {
  var named = state.settings.point && e.pointerType === 'mouse' && e.target.closest(NAMED);
  clearTimeout(hoverTimer);
  if (named && !named.closest('.qari')) hoverTimer = setTimeout(function () { sayName(named); }, 500);
}
function onDown(e) {
  var named = state.settings.point && e.pointerType !== 'mouse' && e.target.closest(NAMED);
  clearTimeout(pressTimer);
  if (named && !named.closest('.qari')) pressTimer = setTimeout(function () { pressed = named; sayName(named); }, 500);
}
function onUp() { clearTimeout(pressTimer); }

/** Turns point and listen on or off (remembered). */
export function setPoint(on) {
  updateSettings({ point: on });
  document.documentElement.classList.toggle('qari-pointing', on);
  if (!on) hush();
  if (state.ui.pointToggle) state.ui.pointToggle.checked = on;
  if (state.ui.status) announce(on ? t.pointOn : t.pointOff);
}
export function watchPoint() {
  document.documentElement.classList.toggle('qari-pointing', state.settings.point);
  document.addEventListener('click', onClick, true);
  document.addEventListener('pointerover', onOver);
  document.addEventListener('pointerdown', onDown);
  document.addEventListener('pointerup', onUp);
  document.addEventListener('pointercancel', onUp);
  // A long press on a phone opens the context menu; in point mode it says the name instead.
  document.addEventListener('contextmenu', function (e) { if (pressed) e.preventDefault(); });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && state.settings.point) setPoint(false);
  });
}
