// Display modes on the live page: Qari's contrast and size stylesheet, in a cascade layer (its !important rules
// then win over the page's own !important), and inline colours and pixel font sizes set aside meanwhile.
import { base } from './config.js';
import { link } from './dom.js';
import { state, setDisplayLink, setSetAside, setViewportKept, setRememberedSheet } from './state.js';

const COLOURS = ['color', 'background', 'background-color', 'background-image', 'border-color', 'text-shadow',
  'box-shadow', 'fill', 'stroke', 'filter'];
function restoreInline() {
  state.setAside.forEach(function (r) { r.el.style.setProperty(r.prop, r.value, r.priority); });
  setSetAside([]);
}
/** Applies the settings' contrast and size to the page (and the player's own text). */
export function applyDisplay() {
  var settings = state.settings;
  var modes = [];
  if (settings.contrast !== 'off') modes.push('contrast:' + settings.contrast);
  if (settings.size > 100) modes.push('large:' + settings.size);
  var root = document.documentElement;
  root.classList.remove('qari-contrast-dark', 'qari-contrast-light');
  if (settings.contrast !== 'off') root.classList.add('qari-contrast-' + settings.contrast);
  var href = modes.length ? base + 'v1/transform.css?scope=live&mode=' + encodeURIComponent(modes.join(',')) : null;
  if (state.displayLink && (!href || state.displayLink.href !== href)) { state.displayLink.remove(); setDisplayLink(null); }
  if (href && !state.displayLink) {
    setDisplayLink(link(href, 'qari-display'));
    state.displayLink.addEventListener('load', function () { dropRemembered(); remember(href); });
  }
  // The remembered copy of the mode's stylesheet applies at once, in this task: with the tag in <head> as
  // `defer blocking="render"`, before the first paint. The fresh stylesheet replaces it when it has loaded.
  if (href && !state.displayLink.sheet) adoptRemembered(href); else dropRemembered();
  if (document.body) adjustInline();
  unlockZoom(settings.size > 100);
  // The player's own text grows with the page's.
  if (state.ui.root) state.ui.root.style.setProperty('font-size', (16 * settings.size / 100) + 'px', 'important');
}
// Larger text: the reader may zoom further, whatever the page's viewport says (WCAG 1.4.4); the page's own
// viewport comes back with normal size. The same rule as the server's (DisplayTransform.zoomable).
function zoomable(content) {
  return content.split(/[,;]/).map(function (p) { return p.trim(); }).filter(function (p) {
    var kv = p.split('=').map(function (x) { return x.trim().toLowerCase(); });
    if (kv.length < 2) return p !== '';
    if (kv[0] === 'user-scalable') return kv[1] !== 'no' && kv[1] !== '0';
    if (kv[0] === 'maximum-scale') return (parseFloat(kv[1]) || 0) >= 5;
    return true;
  }).join(', ');
}
function unlockZoom(on) {
  var meta = document.querySelector('meta[name="viewport" i]');
  if (!meta) return;
  if (on) {
    if (state.viewportKept === null) setViewportKept(meta.getAttribute('content') || '');
    meta.setAttribute('content', zoomable(state.viewportKept));
  } else if (state.viewportKept !== null) {
    meta.setAttribute('content', state.viewportKept);
    setViewportKept(null);
  }
}
function adoptRemembered(href) {
  dropRemembered();
  var kept;
  try { kept = JSON.parse(localStorage.getItem('qari-display-css') || 'null'); } catch (e) { kept = null; }
  if (!kept || kept.href !== href || !('adoptedStyleSheets' in document) || !window.CSSStyleSheet) return;
  try {
    var sheet = new CSSStyleSheet();
    setRememberedSheet(sheet);
    sheet.replaceSync(kept.css);
    document.adoptedStyleSheets = document.adoptedStyleSheets.concat([sheet]);
    window.qariDisplayAppliedAt = performance.now();
  } catch (e) { setRememberedSheet(null); }
}
function dropRemembered() {
  if (!state.rememberedSheet) return;
  var sheet = state.rememberedSheet;
  setRememberedSheet(null);
  document.adoptedStyleSheets = document.adoptedStyleSheets.filter(function (s) { return s !== sheet; });
}
function remember(href) {
  if (!window.fetch) return;
  fetch(href, { credentials: 'omit' }).then(function (r) { return r.ok ? r.text() : null; }).then(function (css) {
    if (css && css.length < 65536) localStorage.setItem('qari-display-css', JSON.stringify({ href: href, css: css }));
  }).catch(function () { /* not remembered: the next page waits for the stylesheet */ });
}
function adjustInline() {
  restoreInline();
  var settings = state.settings, setAside = [];
  var all = [document.body].concat(Array.prototype.slice.call(document.body.querySelectorAll('*')));
  var scale = settings.size / 100, sizes = [];
  all.forEach(function (el) {
    if (el.closest('.qari')) return;
    if (settings.contrast !== 'off' && el.style && el.style.length) {
      COLOURS.forEach(function (p) {
        var v = el.style.getPropertyValue(p);
        if (v) {
          setAside.push({ el: el, prop: p, value: v, priority: el.style.getPropertyPriority(p) });
          el.style.removeProperty(p);
        }
      });
    }
    if (scale > 1) sizes.push([el, parseFloat(getComputedStyle(el).fontSize)]);
  });
  // Every element's text grows once, whatever unit the page set it in: sizes are measured first, then set.
  sizes.forEach(function (s) {
    var el = s[0];
    if (!s[1]) return;
    setAside.push({ el: el, prop: 'font-size', value: el.style.getPropertyValue('font-size'),
      priority: el.style.getPropertyPriority('font-size') });
    el.style.setProperty('font-size', (s[1] * scale) + 'px', 'important');
  });
  // Boxes the page gave a fixed height grow with their text instead of hiding it (WCAG 1.4.4).
  if (scale > 1) sizes.forEach(function (s) {
    var el = s[0];
    if (el.scrollHeight <= el.clientHeight + 1 || /(auto|scroll)/.test(getComputedStyle(el).overflowY)) return;
    setAside.push({ el: el, prop: 'height', value: el.style.getPropertyValue('height'),
      priority: el.style.getPropertyPriority('height') });
    el.style.setProperty('height', 'auto', 'important');
  });
  setSetAside(setAside);
}
