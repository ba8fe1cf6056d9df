// Making the widget's elements: a tag with attributes and children, an icon, a button, a stylesheet link.
export function el(tag, attrs, children) {
  var e = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (k) {
    if (k === 'text') e.textContent = attrs[k];
    else if (k === 'on') Object.keys(attrs.on).forEach(function (ev) { e.addEventListener(ev, attrs.on[ev]); });
    else e.setAttribute(k, attrs[k]);
  });
  (children || []).forEach(function (c) { e.appendChild(c); });
  return e;
}
const ICONS = { play: 'M8 5v14l11-7z', pause: 'M6 5h4v14H6zm8 0h4v14h-4z', stop: 'M6 6h12v12H6z',
  prevS: 'M6 6h2v12H6zm3.5 6 8.5 6V6z', nextS: 'M16 6h2v12h-2zM6 18l8.5-6L6 6z',
  prevP: 'M11 18V6l-8.5 6zm.5-6 8.5 6V6z', nextP: 'M4 18l8.5-6L4 6zm9-12v12l8.5-6z',
  download: 'M5 20h14v-2H5zM19 9h-4V3H9v6H5l7 7z', settings: 'M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8zm9 3h-2.1a7 7 0 0 0-1-2.4l1.5-1.5-1.4-1.4-1.5 1.5a7 7 0 0 0-2.5-1V3h-2v2.1a7 7 0 0 0-2.4 1L6.1 4.7 4.7 6.1l1.5 1.5a7 7 0 0 0-1 2.4H3v2h2.1a7 7 0 0 0 1 2.4l-1.5 1.5 1.4 1.4 1.5-1.5a7 7 0 0 0 2.5 1V21h2v-2.1a7 7 0 0 0 2.4-1l1.5 1.5 1.4-1.4-1.5-1.5a7 7 0 0 0 1-2.5H21z',
  close: 'M19 6.4 17.6 5 12 10.6 6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12z',
  select: 'M3 5h18v2H3zm0 6h12v2H3zm0 6h18v2H3z',
  more: 'M6 10a2 2 0 1 0 0 4 2 2 0 0 0 0-4zm6 0a2 2 0 1 0 0 4 2 2 0 0 0 0-4zm6 0a2 2 0 1 0 0 4 2 2 0 0 0 0-4z',
  follow: 'M11 3h2v11.2l4.6-4.6L19 11l-7 7-7-7 1.4-1.4 4.6 4.6zM5 19h14v2H5z',
  reader: 'M4 4h7a3 3 0 0 1 1 .2A3 3 0 0 1 13 4h7v15h-7a2 2 0 0 0-1 .3 2 2 0 0 0-1-.3H4zm2 2v11h5l.5.1V7a1 1 0 0 0-1-1zm12 0h-4.5a1 1 0 0 0-1 1v10.1l.5-.1h5z',
  report: 'M5 3h2v1h11l-2 4.5 2 4.5H7v8H5z' };
export function icon(name) {
  var svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  var p = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  p.setAttribute('d', ICONS[name]);
  svg.appendChild(p);
  return svg;
}
export function button(name, label, handler, flip) {
  var b = el('button', { type: 'button', 'aria-label': label, title: label, 'class': 'qari-' + name + (flip ? ' qari-flip' : ''),
    on: { click: handler } }, [icon(name)]);
  return b;
}
export function link(href, id) {
  var l = document.createElement('link');
  l.rel = 'stylesheet';
  l.href = href;
  if (id) l.id = id;
  (document.head || document.documentElement).appendChild(l);
  return l;
}
// Tab and Shift+Tab go round a modal dialog's controls: focus never leaves it for the page or the browser.
export function keepFocusIn(dialog) {
  dialog.addEventListener('keydown', function (e) {
    if (e.key !== 'Tab' || e.defaultPrevented) return;
    var all = [].filter.call(dialog.querySelectorAll('button, textarea, [href], input, select'), function (c) {
      return !c.disabled && c.getClientRects().length;
    });
    var first = all[0], last = all[all.length - 1];
    if (!first) return;
    if (e.shiftKey ? document.activeElement === first || !dialog.contains(document.activeElement)
      : document.activeElement === last) {
      e.preventDefault();
      (e.shiftKey ? last : first).focus();
    }
  });
}
/** An element's language, as its nearest lang attribute (else the page's) says: its primary subtag. */
export function langOf(e) {
  var l = e.closest('[lang]');
  return ((l && l.getAttribute('lang')) || document.documentElement.lang || 'fr').toLowerCase().split(/[-_]/)[0];
}
/** Text with its runs of spaces made one, as the daemon reads it. */
export function squeeze(s) { return (s || '').replace(/\s+/g, ' ').trim(); }
