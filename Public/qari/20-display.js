  // Settings, remembered; applied as soon as this script runs: before the first paint when the tag is in <head>
  // with `defer blocking="render"` (the mode's stylesheet is remembered too, see adoptRemembered).
  var settings = { rate: 1, variety: 'zgh', contrast: 'off', size: 100, singleKeys: false };
  try {
    var saved = JSON.parse(localStorage.getItem('qari-settings') || '{}');
    Object.keys(settings).forEach(function (k) { if (saved[k] !== undefined) settings[k] = saved[k]; });
  } catch (e) { /* storage may be off: defaults */ }
  function save() {
    try { localStorage.setItem('qari-settings', JSON.stringify(settings)); } catch (e) { /* not remembered */ }
  }

  function link(href, id) {
    var l = document.createElement('link');
    l.rel = 'stylesheet';
    l.href = href;
    if (id) l.id = id;
    (document.head || document.documentElement).appendChild(l);
    return l;
  }
  link(base + 'widget/qari.css', 'qari-style');

  // --- Display modes on the live page: Qari's contrast and size stylesheet, in a cascade layer (its !important
  // rules then win over the page's own !important), and inline colours and pixel font sizes set aside meanwhile.
  var ui = {};  // the player's elements, once built
  var displayLink = null, setAside = [];
  var COLOURS = ['color', 'background', 'background-color', 'background-image', 'border-color', 'text-shadow',
    'box-shadow', 'fill', 'stroke', 'filter'];
  function restoreInline() {
    setAside.forEach(function (r) { r.el.style.setProperty(r.prop, r.value, r.priority); });
    setAside = [];
  }
  function applyDisplay() {
    var modes = [];
    if (settings.contrast !== 'off') modes.push('contrast:' + settings.contrast);
    if (settings.size > 100) modes.push('large:' + settings.size);
    var root = document.documentElement;
    root.classList.remove('qari-contrast-dark', 'qari-contrast-light');
    if (settings.contrast !== 'off') root.classList.add('qari-contrast-' + settings.contrast);
    var href = modes.length ? base + 'v1/transform.css?scope=live&mode=' + encodeURIComponent(modes.join(',')) : null;
    if (displayLink && (!href || displayLink.href !== href)) { displayLink.remove(); displayLink = null; }
    if (href && !displayLink) {
      displayLink = link(href, 'qari-display');
      displayLink.addEventListener('load', function () { dropRemembered(); remember(href); });
    }
    // The remembered copy of the mode's stylesheet applies at once, in this task: with the tag in <head> as
    // `defer blocking="render"`, before the first paint. The fresh stylesheet replaces it when it has loaded.
    if (href && !displayLink.sheet) adoptRemembered(href); else dropRemembered();
    if (document.body) adjustInline();
    unlockZoom(settings.size > 100);
    // The player's own text grows with the page's.
    if (ui.root) ui.root.style.setProperty('font-size', (16 * settings.size / 100) + 'px', 'important');
  }
  // Larger text: the reader may zoom further, whatever the page's viewport says (WCAG 1.4.4); the page's own
  // viewport comes back with normal size. The same rule as the server's (DisplayTransform.zoomable).
  var viewportKept = null;
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
      if (viewportKept === null) viewportKept = meta.getAttribute('content') || '';
      meta.setAttribute('content', zoomable(viewportKept));
    } else if (viewportKept !== null) {
      meta.setAttribute('content', viewportKept);
      viewportKept = null;
    }
  }
  var rememberedSheet = null;
  function adoptRemembered(href) {
    dropRemembered();
    var kept;
    try { kept = JSON.parse(localStorage.getItem('qari-display-css') || 'null'); } catch (e) { kept = null; }
    if (!kept || kept.href !== href || !('adoptedStyleSheets' in document) || !window.CSSStyleSheet) return;
    try {
      rememberedSheet = new CSSStyleSheet();
      rememberedSheet.replaceSync(kept.css);
      document.adoptedStyleSheets = document.adoptedStyleSheets.concat([rememberedSheet]);
      window.qariDisplayAppliedAt = performance.now();
    } catch (e) { rememberedSheet = null; }
  }
  function dropRemembered() {
    if (!rememberedSheet) return;
    var sheet = rememberedSheet;
    rememberedSheet = null;
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
  }
  applyDisplay();
