/* Qari reader button: press Listen, hear the page, each word highlighted as it is spoken.
 * One tag: <script src="…/widget/qari.js" defer></script>. No inline script or style, no eval, no third-party code.
 * data- attributes on the tag: data-qari-endpoint (the daemon's base URL; default: where this file came from),
 * data-qari-area (a CSS selector of what to read; default: the page's data-qari-read, else the server's choice). */
(function () {
  'use strict';
  if (window.qari) return;
  var script = document.currentScript;
  var base = (script && script.getAttribute('data-qari-endpoint')) || (script ? new URL('..', script.src).href : '/');
  if (base.slice(-1) !== '/') base += '/';
  var areaSelector = script && script.getAttribute('data-qari-area');
  var reduceMotion = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  // Narrow and touch screens get the compact player: one row at the bottom, the rest under "more…".
  var compact = window.matchMedia ? window.matchMedia('(max-width: 600px), (pointer: coarse)') : { matches: false };

  var TEXT = {
    fr: { listen: 'Écouter', pause: 'Pause', resume: 'Reprendre', stop: 'Arrêter', prevS: 'Phrase précédente',
      nextS: 'Phrase suivante', prevP: 'Passage précédent', nextP: 'Passage suivant', speed: 'Vitesse',
      download: 'Télécharger (MP3)', settings: 'Réglages', close: 'Fermer le lecteur', player: 'Lecteur Qari',
      progress: 'Progression de la lecture', playing: 'Lecture en cours', paused: 'En pause', stopped: 'Lecture arrêtée',
      loading: 'Préparation de la lecture…', ended: 'Lecture terminée', down: 'Le service de lecture ne répond pas.',
      busy: 'Le service de lecture est occupé.', retry: 'Réessayer', nothing: 'Rien à lire sur cette page.',
      changed: 'Le contenu de la page a changé : la lecture est arrêtée.', variety: 'Variété amazighe',
      contrast: 'Contraste', off: 'Normal', dark: 'Sombre', light: 'Clair', size: 'Taille du texte',
      keys: 'Raccourcis clavier', single: 'Raccourcis à une touche', selection: 'Lire la sélection', more: 'Plus…',
      follow: 'Suivre la lecture',
      zgh: 'Amazighe standard', shi: 'Tachelhit', tzm: 'Tamazight du Centre', rif: 'Tarifit' },
    ar: { listen: 'استمع', pause: 'إيقاف مؤقت', resume: 'استئناف', stop: 'إيقاف', prevS: 'الجملة السابقة',
      nextS: 'الجملة التالية', prevP: 'الفقرة السابقة', nextP: 'الفقرة التالية', speed: 'السرعة',
      download: 'تحميل (MP3)', settings: 'الإعدادات', close: 'إغلاق القارئ', player: 'قارئ الصفحة',
      progress: 'تقدم القراءة', playing: 'جارية القراءة', paused: 'القراءة متوقفة مؤقتا', stopped: 'توقفت القراءة',
      loading: 'جار تحضير القراءة…', ended: 'انتهت القراءة', down: 'خدمة القراءة لا تستجيب.',
      busy: 'خدمة القراءة مشغولة.', retry: 'أعد المحاولة', nothing: 'لا يوجد ما يقرأ في هذه الصفحة.',
      changed: 'تغير محتوى الصفحة: توقفت القراءة.', variety: 'الأمازيغية المقروءة', contrast: 'التباين',
      off: 'عادي', dark: 'داكن', light: 'فاتح', size: 'حجم النص', keys: 'اختصارات لوحة المفاتيح',
      single: 'اختصارات بمفتاح واحد', selection: 'اقرأ النص المحدد', more: 'المزيد…', follow: 'تتبع القراءة',
      zgh: 'الأمازيغية المعيارية', shi: 'تشلحيت', tzm: 'أمازيغية الأطلس المتوسط', rif: 'تريفيت' },
    en: { listen: 'Listen', pause: 'Pause', resume: 'Resume', stop: 'Stop', prevS: 'Previous sentence',
      nextS: 'Next sentence', prevP: 'Previous passage', nextP: 'Next passage', speed: 'Speed',
      download: 'Download (MP3)', settings: 'Settings', close: 'Close the player', player: 'Qari player',
      progress: 'Reading progress', playing: 'Playing', paused: 'Paused', stopped: 'Stopped', loading: 'Preparing…',
      ended: 'Finished', down: 'The reading service does not answer.', busy: 'The reading service is busy.',
      retry: 'Try again', nothing: 'Nothing to read on this page.', changed: 'The page changed: reading stopped.',
      variety: 'Amazigh variety', contrast: 'Contrast', off: 'Normal', dark: 'Dark', light: 'Light',
      size: 'Text size', keys: 'Keyboard shortcuts', single: 'Single-key shortcuts',
      selection: 'Read the selection', more: 'More…', follow: 'Follow the reading', zgh: 'Standard Amazigh', shi: 'Tachelhit', tzm: 'Central Atlas', rif: 'Tarifit' }
  };
  // On Amazigh pages the button says Listen in Tifinagh and names the varieties in Tifinagh; the other controls
  // speak French (tagged so), until an Amazigh linguist gives their words.
  TEXT.zgh = Object.assign({}, TEXT.fr, { listen: 'ⵙⴼⵍⴷ', zgh: 'ⵜⴰⵎⴰⵣⵉⵖⵜ ⵜⴰⵏⴰⵡⴰⵢⵜ', shi: 'ⵜⴰⵛⵍⵃⵉⵜ',
    tzm: 'ⵜⴰⵎⴰⵣⵉⵖⵜ ⵏ ⵡⴰⵟⵍⴰⵚ', rif: 'ⵜⴰⵔⵉⴼⵉⵜ' });

  var pageLang = (document.documentElement.lang || 'fr').toLowerCase().split(/[-_]/)[0];
  var uiLang = pageLang === 'ar' ? 'ar' : ['zgh', 'ber', 'shi', 'tzm', 'rif'].indexOf(pageLang) >= 0 ? 'zgh' :
    pageLang === 'en' ? 'en' : 'fr';
  var t = TEXT[uiLang];
  var rtl = uiLang === 'ar' || (document.documentElement.dir || '').toLowerCase() === 'rtl';

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

  // --- The player state.
  var audio = null, reading = null, marks = [], words = [], sentences = [], passageStarts = [], duration = 0;
  var stale = true, started = false, frame = 0, lastWord = -1, lastSentence = -1, userScrolledAt = 0;
  var ownScroll = false, selectionRange = null, marksDone = false, controller = null;

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'on') Object.keys(attrs.on).forEach(function (ev) { e.addEventListener(ev, attrs.on[ev]); });
      else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { e.appendChild(c); });
    return e;
  }
  var ICONS = { play: 'M8 5v14l11-7z', pause: 'M6 5h4v14H6zm8 0h4v14h-4z', stop: 'M6 6h12v12H6z',
    prevS: 'M6 6h2v12H6zm3.5 6 8.5 6V6z', nextS: 'M16 6h2v12h-2zM6 18l8.5-6L6 6z',
    prevP: 'M11 18V6l-8.5 6zm.5-6 8.5 6V6z', nextP: 'M4 18l8.5-6L4 6zm9-12v12l8.5-6z',
    download: 'M5 20h14v-2H5zM19 9h-4V3H9v6H5l7 7z', settings: 'M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8zm9 3h-2.1a7 7 0 0 0-1-2.4l1.5-1.5-1.4-1.4-1.5 1.5a7 7 0 0 0-2.5-1V3h-2v2.1a7 7 0 0 0-2.4 1L6.1 4.7 4.7 6.1l1.5 1.5a7 7 0 0 0-1 2.4H3v2h2.1a7 7 0 0 0 1 2.4l-1.5 1.5 1.4 1.4 1.5-1.5a7 7 0 0 0 2.5 1V21h2v-2.1a7 7 0 0 0 2.4-1l1.5 1.5 1.4-1.4-1.5-1.5a7 7 0 0 0 1-2.5H21z',
    close: 'M19 6.4 17.6 5 12 10.6 6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12z',
    select: 'M3 5h18v2H3zm0 6h12v2H3zm0 6h18v2H3z',
    more: 'M6 10a2 2 0 1 0 0 4 2 2 0 0 0 0-4zm6 0a2 2 0 1 0 0 4 2 2 0 0 0 0-4zm6 0a2 2 0 1 0 0 4 2 2 0 0 0 0-4z',
    follow: 'M11 3h2v11.2l4.6-4.6L19 11l-7 7-7-7 1.4-1.4 4.6 4.6zM5 19h14v2H5z' };
  function icon(name) {
    var svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    var p = document.createElementNS('http://www.w3.org/2000/svg', 'path');
    p.setAttribute('d', ICONS[name]);
    svg.appendChild(p);
    return svg;
  }
  function button(name, label, handler, flip) {
    var b = el('button', { type: 'button', 'aria-label': label, title: label, 'class': 'qari-' + name + (flip ? ' qari-flip' : ''),
      on: { click: handler } }, [icon(name)]);
    return b;
  }

  function build() {
    var root = el('div', { 'class': 'qari', role: 'region', 'aria-label': t.player, 'data-qari-skip': '',
      lang: uiLang === 'zgh' ? 'fr' : uiLang, dir: rtl ? 'rtl' : 'ltr', translate: 'no' });
    ui.root = root;
    ui.label = el('span', { text: t.listen });
    if (uiLang === 'zgh') ui.label.setAttribute('lang', 'zgh');
    ui.listen = el('button', { type: 'button', 'class': 'qari-listen', 'aria-expanded': 'false',
      on: { click: toggle, pointerenter: function () { intent(65); }, focus: function () { intent(100); },
        pointerleave: function () { clearTimeout(intentTimer); } } }, [icon('play'), ui.label]);
    ui.status = el('div', { 'class': 'qari-status', role: 'status', 'aria-live': 'polite' });
    ui.message = el('p', { 'class': 'qari-message', hidden: '' });
    ui.retry = el('button', { type: 'button', 'class': 'qari-retry', hidden: '', text: t.retry, on: { click: retry } });
    ui.speed = el('select', { 'class': 'qari-speed', 'aria-label': t.speed, title: t.speed,
      on: { change: function () { settings.rate = +ui.speed.value; rate(); save(); } } },
      [0.75, 1, 1.25, 1.5, 1.75, 2].map(function (r) {
        return el('option', { value: String(r), text: r.toLocaleString(uiLang === 'ar' ? 'ar-MA' : 'fr-MA') + '×' });
      }));
    ui.speed.value = String(settings.rate);
    ui.progress = el('progress', { 'class': 'qari-progress', max: '1', 'aria-label': t.progress });
    ui.time = el('span', { 'class': 'qari-time', 'aria-hidden': 'true', dir: 'ltr' });
    ui.download = el('a', { 'class': 'qari-download', 'aria-label': t.download, title: t.download, download: '' },
      [icon('download')]);
    ui.settingsButton = button('settings', t.settings, toggleSettings);
    ui.settingsButton.setAttribute('aria-expanded', 'false');
    ui.more = button('more', t.more, toggleMore);
    ui.more.setAttribute('aria-expanded', 'false');
    ui.follow = button('follow', t.follow, function () { following = true; ui.follow.hidden = true; followNow(); });
    ui.follow.hidden = true;
    // .qari-wide: only under "more…" in the compact player.
    function wide(e) { e.classList.add('qari-wide'); return e; }
    ui.toolbar = el('div', { 'class': 'qari-toolbar', role: 'toolbar', 'aria-label': t.player, hidden: '' }, [
      wide(button('stop', t.stop, stop)), wide(button('prevP', t.prevP, function () { jumpPassage(-1); }, true)),
      button('prevS', t.prevS, function () { jumpSentence(-1); }, true),
      button('nextS', t.nextS, function () { jumpSentence(1); }, true),
      wide(button('nextP', t.nextP, function () { jumpPassage(1); }, true)), ui.speed, wide(ui.progress),
      wide(ui.time), wide(ui.download), wide(ui.settingsButton), wide(button('close', t.close, close)), ui.follow,
      ui.more]);
    ui.settings = buildSettings();
    root.appendChild(ui.listen);
    root.appendChild(button('select', t.selection, readSelection));
    root.lastChild.classList.add('qari-wide');
    root.appendChild(ui.toolbar);
    root.appendChild(ui.message);
    root.appendChild(ui.retry);
    root.appendChild(ui.settings);
    root.appendChild(ui.status);
    var slot = document.querySelector('[data-qari-button]');
    if (slot) slot.appendChild(root);
    else {
      document.body.insertBefore(root, document.body.firstChild);
      // In the top layer (a popover): never under the page's fixed headers, cookie banners or invisible overlays,
      // whatever their z-index. First in the body, so still the first stop for the keyboard; an empty box in the
      // page's flow keeps its place, so the page lays out as with the player in it, and the player sits on it.
      if (root.showPopover) {
        ui.space = el('div', { 'class': 'qari-space', 'aria-hidden': 'true', 'data-qari-skip': '' });
        document.body.insertBefore(ui.space, root);
        root.setAttribute('popover', 'manual');
        root.showPopover();
        place();
        if (window.ResizeObserver) new ResizeObserver(place).observe(root);
        if (compact.addEventListener) compact.addEventListener('change', place);
        window.addEventListener('resize', place);
      }
    }
    ui.settingsButton.setAttribute('aria-controls', ui.settings.id);
  }

  function toggleMore() {
    var open = !ui.root.classList.contains('qari-more-open');
    ui.root.classList.toggle('qari-more-open', open);
    ui.more.setAttribute('aria-expanded', String(open));
  }

  // The player over its box in the page: the box as tall as the player, the player where the box is.
  function place() {
    if (!ui.space) return;
    if (compact.matches) {
      // At the bottom of the viewport (the stylesheet), taking no room in the page.
      ['top', 'left', 'width'].forEach(function (p) { ui.root.style.removeProperty(p); });
      ui.space.style.setProperty('height', '0px', 'important');
      return;
    }
    ui.space.style.setProperty('height', ui.root.offsetHeight + 'px', 'important');
    var r = ui.space.getBoundingClientRect();
    ui.root.style.setProperty('top', (r.top + window.scrollY) + 'px', 'important');
    ui.root.style.setProperty('left', (r.left + window.scrollX) + 'px', 'important');
    ui.root.style.setProperty('width', r.width + 'px', 'important');
  }

  function radio(name, value, label, checked, onChange) {
    var input = el('input', { type: 'radio', name: name, value: value });
    input.checked = checked;
    input.addEventListener('change', onChange);
    return el('label', {}, [input, el('span', { text: label })]);
  }
  function buildSettings() {
    var contrast = el('fieldset', {}, [el('legend', { text: t.contrast })].concat(['off', 'dark', 'light'].map(function (v) {
      return radio('qari-contrast', v, t[v], settings.contrast === v, function () {
        settings.contrast = v; save(); applyDisplay();
      });
    })));
    var size = el('select', { 'aria-label': t.size, on: { change: function () {
      settings.size = +size.value; save(); applyDisplay(); } } },
      [100, 150, 200, 250, 300].map(function (s) { return el('option', { value: String(s), text: s + '%' }); }));
    size.value = String(settings.size);
    var variety = el('select', { 'aria-label': t.variety, on: { change: function () {
      settings.variety = variety.value; save(); stale = true; } } },
      ['zgh', 'shi', 'tzm', 'rif'].map(function (v) {
        return el('option', { value: v, text: t[v], lang: uiLang === 'zgh' ? 'zgh' : uiLang });
      }));
    variety.value = settings.variety;
    var single = el('input', { type: 'checkbox', on: { change: function () {
      settings.singleKeys = single.checked; save(); } } });
    single.checked = settings.singleKeys;
    var keys = el('ul', { 'class': 'qari-keys' }, [
      ['Alt+Shift+P', t.pause + ' / ' + t.resume], ['Alt+Shift+S', t.stop], ['Alt+Shift+→ / ←', t.nextS + ' / ' + t.prevS],
      ['Alt+Shift+↓ / ↑', t.nextP + ' / ' + t.prevP], ['k · j · l', t.single]
    ].map(function (k) { return el('li', {}, [el('kbd', { text: k[0], dir: 'ltr' }), el('span', { text: ' : ' + k[1] })]); }));
    return el('div', { 'class': 'qari-panel', id: 'qari-settings', role: 'group', 'aria-label': t.settings, hidden: '' }, [
      contrast, el('label', {}, [el('span', { text: t.size }), size]), el('label', {}, [el('span', { text: t.variety }), variety]),
      // The keys are Latin letters in any page's language: isolated, so Arabic text does not reorder them.
      el('label', {}, [single, el('span', { text: t.single }), el('bdi', { dir: 'ltr', lang: 'en', text: 'k · j · l' })]),
      el('p', { text: t.keys }), keys]);
  }

  // The speed is the audio's own (no new synthesis); a media load resets playbackRate to its default, so both.
  function rate() {
    if (!audio) return;
    audio.defaultPlaybackRate = settings.rate;
    audio.playbackRate = settings.rate;
  }
  function announce(text) {
    ui.status.textContent = '';
    // A new text node each time, so the same words are announced again.
    setTimeout(function () { ui.status.textContent = text; }, 30);
  }
  function setLabel() {
    var playing = audio && !audio.paused;
    ui.label.textContent = playing ? t.pause : started ? t.resume : t.listen;
    if (uiLang === 'zgh') ui.label.setAttribute('lang', playing || started ? 'fr' : 'zgh');
    ui.listen.replaceChild(icon(playing ? 'pause' : 'play'), ui.listen.firstChild);
  }
  // Portals (and tests) can follow the player: document 'qari:state' events, detail {state, reading}.
  function emit(state) {
    document.dispatchEvent(new CustomEvent('qari:state', { detail: { state: state, reading: reading && reading.id } }));
  }
  function showError(text, canRetry) {
    ui.message.textContent = text;
    ui.message.hidden = false;
    ui.retry.hidden = !canRetry;
    announce(text);
    emit('error');
  }
  function clearError() { ui.message.hidden = true; ui.retry.hidden = true; }

  // --- Reading: the page's HTML to the daemon, then one audio element and the marks.
  function areaHTML() {
    var area = areaSelector && document.querySelector(areaSelector);
    if (area) area.setAttribute('data-qari-read', '');
    return pageHTML();
  }
  // The page as the daemon must parse it to find the same elements at the same paths. The daemon parses as a
  // browser with scripting off: a <noscript> pixel or a script-inserted <iframe> in <head> would close the head
  // there and shift every path. Each such element is sent as an empty element that stays in <head>.
  var HEAD_OK = { BASE: 1, LINK: 1, META: 1, SCRIPT: 1, STYLE: 1, TEMPLATE: 1, TITLE: 1 };
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
  function post(html) {
    var overrides = {};
    ['zgh', 'ber'].forEach(function (k) { overrides[k] = settings.variety; });
    return fetch(base + 'v1/readings', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, credentials: 'omit',
      body: JSON.stringify({ html: html, voice_overrides: overrides })
    }).then(function (r) {
      if (r.ok) return r.json();
      return r.json().catch(function () { return {}; }).then(function (p) {
        var e = new Error(p.detail || r.statusText);
        e.status = r.status;
        e.code = p.type ? p.type.split(':').pop() : '';
        throw e;
      });
    });
  }
  function ensureAudio() {
    if (audio) return audio;
    audio = new Audio();
    // 'metadata': chromium then starts a streamed reading without reading far ahead first (measured: bench/widget).
    audio.preload = 'metadata';
    audio.addEventListener('loadedmetadata', rate);
    audio.addEventListener('play', function () { setLabel(); announce(t.playing); loop(); });
    audio.addEventListener('playing', function () { emit('playing'); });
    audio.addEventListener('pause', function () {
      setLabel();
      if (!audio.ended && started) { announce(t.paused); emit('paused'); }
    });
    audio.addEventListener('ended', function () { setLabel(); announce(t.ended); clearHighlights(); emit('ended'); });
    audio.addEventListener('error', function () {
      if (audio.getAttribute('src') && started) showError(t.down, true);
    });
    return audio;
  }
  // --- Ready before the press: when the pointer rests on Listen (people hover a few hundred milliseconds before
  // they click) or it gets keyboard focus, the page goes to the daemon and its audio starts loading, so the press
  // plays at once. data-qari-prefetch="off" turns this off; with Save-Data only the reading is asked, not audio.
  var prefetch = !(script && script.getAttribute('data-qari-prefetch') === 'off');
  var prepared = null, intentTimer = 0;
  function intent(delay) {
    if (!prefetch || (started && !stale)) return;
    clearTimeout(intentTimer);
    intentTimer = setTimeout(prepare, delay);
  }
  function prepare() {
    if (started && !stale) return;
    var html = areaHTML();
    if (prepared && prepared.html === html) return;
    var p = { html: html, reading: post(html) };
    prepared = p;
    p.reading.then(function (r) {
      if (prepared !== p || (started && !stale) || (navigator.connection && navigator.connection.saveData)) return;
      var a = ensureAudio();
      if (!a.paused) return;
      a.preload = 'auto';
      p.id = r.id;
      a.src = p.src = audioURL(r);
    }, function () { if (prepared === p) prepared = null; });
  }
  function audioURL(r) { return new URL(base + r.audio.ogg.replace(/^\//, ''), location.href).href; }

  function start(html, selection) {
    clearError();
    announce(t.loading);
    if (controller) controller.abort();
    controller = window.AbortController ? new AbortController() : null;
    var ready = !selection && prepared && prepared.html === html ? prepared.reading : null;
    prepared = null;
    clearTimeout(intentTimer);
    return (ready || post(html)).then(function (r) {
      reading = r;
      selectionRange = selection || null;
      stale = false;
      started = true;
      marks = []; words = []; sentences = []; passageStarts = []; duration = 0; marksDone = false;
      lastWord = lastSentence = -1;
      prepareLocators();
      ui.download.href = base + r.audio.mp3.replace(/^\//, '');
      ui.toolbar.hidden = false;
      ui.listen.setAttribute('aria-expanded', 'true');
      streamMarks(r);
      var a = ensureAudio();
      // A reading made ready before the press is already loading (and may be playing): it goes on.
      if (a.error || a.src !== audioURL(r)) a.src = audioURL(r);
      rate();
      return a.play();
    }).catch(function (e) {
      if (e && e.name === 'AbortError') return;
      if (e && e.name === 'NotAllowedError') {
        // The browser wants a press before sound: the reading is ready, the next press plays it.
        setLabel();
        return;
      }
      started = false;
      // The unlocking play() left the empty element 'playing': it is not.
      if (audio) audio.pause();
      setLabel();
      if (e && e.status === 422) showError(t.nothing, false);
      else if (e && (e.status === 503 || e.status === 429)) showError(t.busy, true);
      else showError(t.down, true);
    });
  }
  function streamMarks(r) {
    var url = base + r.marks.stream.replace(/^\//, '');
    var id = r.id;
    fetch(url, { credentials: 'omit', signal: controller ? controller.signal : undefined }).then(function (res) {
      if (!res.ok || !res.body) throw new Error('marks');
      var reader = res.body.getReader(), decoder = new TextDecoder(), rest = '';
      function pump() {
        return reader.read().then(function (step) {
          if (!reading || reading.id !== id) return;
          rest += decoder.decode(step.value || new Uint8Array(), { stream: !step.done });
          var lines = rest.split('\n');
          rest = lines.pop();
          lines.forEach(function (line) { if (line) addMark(JSON.parse(line)); });
          if (!step.done) return pump();
        });
      }
      return pump();
    }).catch(function (e) {
      if (e && e.name === 'AbortError') return;
      // Without marks the page is still heard; nothing is highlighted.
    });
  }
  function addMark(m) {
    if (m.type === 'end') { duration = m.duration_ms / 1000; marksDone = true; return; }
    m.t = m.time_ms / 1000;
    if (m.type === 'word') words.push(m);
    else if (m.type === 'sentence') sentences.push(m);
    if (m.type === 'word' && passageStarts[m.passage] === undefined) passageStarts[m.passage] = m;
  }

  // Locators → DOM ranges: a passage's text maps run by run onto the page's text nodes.
  var resolved = [];
  function prepareLocators() {
    resolved = reading.passages.map(function (p) {
      var cps = Array.from(p.text);
      var utf16 = [0];
      for (var i = 0; i < cps.length; i++) utf16.push(utf16[i] + cps[i].length);
      return { cps: cps, utf16: utf16, runs: p.locator.map(function (l) {
        var node = elementAt(l.path);
        if (node && l.attribute === undefined && l.node !== undefined && l.node !== null) node = node.childNodes[l.node];
        return { l: l, node: node, text: node && node.nodeType === 3 ? node.data.slice(l.start, l.end) : null };
      }) };
    });
  }
  // Every text the reading points at is still in the page, as it was.
  function passagesIntact() {
    return resolved.every(function (p) {
      return p.runs.every(function (run) {
        if (!run.node) return true;
        if (!run.node.isConnected) return false;
        return run.node.nodeType !== 3 || run.node.data.slice(run.l.start, run.l.end) === run.text;
      });
    });
  }
  function elementAt(path) {
    var e = document.documentElement;
    for (var i = 0; e && i < path.length; i++) e = e.children[path[i]];
    return e || null;
  }
  function rangesFor(passage, offset, length) {
    var p = resolved[passage], out = [];
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

  // Highlights: the CSS Custom Highlight API where there is one; else boxes drawn over the text, in our own root.
  var overlay = [];
  function highlight(name, ranges) {
    if (window.CSS && CSS.highlights && window.Highlight) {
      if (ranges.length) {
        var h = new Highlight();
        ranges.forEach(function (r) { h.add(r); });
        CSS.highlights.set('qari-' + name, h);
      } else CSS.highlights.delete('qari-' + name);
      return;
    }
    overlay.filter(function (o) { return o.name === name; }).forEach(function (o) { o.box.remove(); });
    overlay = overlay.filter(function (o) { return o.name !== name; });
    ranges.forEach(function (r) {
      Array.prototype.forEach.call(r.getClientRects(), function (rect) {
        var box = el('div', { 'class': 'qari-mark qari-mark-' + name, 'aria-hidden': 'true' });
        box.style.left = rect.left + window.scrollX + 'px';
        box.style.top = rect.top + window.scrollY + 'px';
        box.style.width = rect.width + 'px';
        box.style.height = rect.height + 'px';
        document.body.appendChild(box);
        overlay.push({ name: name, box: box });
      });
    });
  }
  function clearHighlights() {
    highlight('word', []);
    highlight('sentence', []);
    lastWord = lastSentence = -1;
  }
  function indexAt(list, time) {
    var lo = 0, hi = list.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (list[mid].t <= time) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  }
  // Follows the audio's own clock each frame: no timers that drift.
  function loop() {
    cancelAnimationFrame(frame);
    function step() {
      if (!audio || audio.paused) return;
      update();
      frame = requestAnimationFrame(step);
    }
    frame = requestAnimationFrame(step);
  }
  function update() {
    var now = audio.currentTime;
    var w = indexAt(words, now), s = indexAt(sentences, now);
    if (w !== lastWord) {
      lastWord = w;
      highlight('word', w >= 0 ? rangesFor(words[w].passage, words[w].offset, words[w].length) : []);
      if (w >= 0) ui.root.setAttribute('data-qari-word', words[w].passage + ':' + words[w].offset);
    }
    if (s !== lastSentence) {
      lastSentence = s;
      var ranges = s >= 0 ? rangesFor(sentences[s].passage, sentences[s].offset, sentences[s].length) : [];
      highlight('sentence', ranges);
      if (ranges.length) follow(ranges[0]);
    }
    var total = duration || (isFinite(audio.duration) ? audio.duration : 0);
    if (total) {
      ui.progress.max = total;
      ui.progress.value = Math.min(now, total);
      ui.time.textContent = clock(now) + ' / ' + clock(total);
    }
  }
  function followNow() { if (lastRange) follow(lastRange); }
  function clock(s) { s = Math.floor(s); return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0'); }
  // The sentence comes into view, above the compact player, unless the reader scrolled elsewhere by hand: then
  // following pauses until the reader asks for it again (the follow button), or jumps to another sentence.
  var following = true, lastRange = null;
  function follow(range) {
    lastRange = range;
    if (!following) return;
    var rect = range.getBoundingClientRect();
    var bottom = window.innerHeight - (compact.matches && ui.root ? ui.root.offsetHeight : 0);
    if (rect.top >= 0 && rect.bottom <= bottom) return;
    var target = range.startContainer.nodeType === 1 ? range.startContainer : range.startContainer.parentElement;
    ownScroll = true;
    target.scrollIntoView({ block: 'center', behavior: reduceMotion ? 'auto' : 'smooth' });
    setTimeout(function () { ownScroll = false; }, reduceMotion ? 50 : 800);
  }

  // --- Controls.
  function toggle() {
    var a = ensureAudio();
    if (!started || stale) {
      var html = areaHTML();
      // Audio of another text (a page since changed) is not heard, not even for a moment.
      var ready = prepared && prepared.html === html && prepared.src === a.src;
      if (a.getAttribute('src') && !ready) { a.removeAttribute('src'); a.load(); }
      // The first press unlocks the one audio element (mobile browsers allow later plays only then); a reading
      // made ready on hover or focus starts playing with it.
      a.play().catch(function () {});
      return start(html, null);
    }
    if (a.paused) a.play().catch(function () {}); else a.pause();
  }
  function stop() {
    if (audio) { audio.pause(); audio.currentTime = 0; }
    clearHighlights();
    announce(t.stopped);
    setLabel();
  }
  function close() {
    if (audio) { audio.pause(); audio.removeAttribute('src'); audio.load(); }
    if (controller) controller.abort();
    clearHighlights();
    started = false;
    stale = true;
    reading = null;
    ui.toolbar.hidden = true;
    ui.settings.hidden = true;
    ui.settingsButton.setAttribute('aria-expanded', 'false');
    ui.listen.setAttribute('aria-expanded', 'false');
    setLabel();
    announce(t.stopped);
  }
  function retry() { clearError(); start(areaHTML(), null); }
  function seek(time) {
    if (!audio) return;
    resumeFollowing();
    audio.currentTime = Math.max(0, time);
    lastWord = lastSentence = -1;
    if (!audio.paused) update();
  }
  function jumpSentence(delta) {
    if (!sentences.length || !audio) return;
    var i = indexAt(sentences, audio.currentTime + 0.05) + delta;
    if (delta < 0 && sentences[i + 1] && audio.currentTime - sentences[i + 1].t > 1.5) i += 1;
    seek(sentences[Math.max(0, Math.min(sentences.length - 1, i))].t);
  }
  function resumeFollowing() {
    following = true;
    if (ui.follow) ui.follow.hidden = true;
  }
  function jumpPassage(delta) {
    if (!audio || !words.length) return;
    var w = indexAt(words, audio.currentTime + 0.05), current = w >= 0 ? words[w].passage : 0;
    var target = current + delta;
    while (target >= 0 && target < passageStarts.length && !passageStarts[target]) target += delta;
    if (target < 0) target = 0;
    if (passageStarts[target]) seek(passageStarts[target].t);
  }
  function toggleSettings() {
    ui.settings.hidden = !ui.settings.hidden;
    ui.settingsButton.setAttribute('aria-expanded', String(!ui.settings.hidden));
  }
  function readSelection() {
    var sel = window.getSelection();
    var text = sel ? String(sel).trim() : '';
    if (!text) return;
    var range = sel.getRangeAt(0).cloneRange();
    var host = range.commonAncestorContainer.nodeType === 1 ? range.commonAncestorContainer : range.commonAncestorContainer.parentElement;
    var langEl = host.closest('[lang]');
    var lang = (langEl && langEl.getAttribute('lang')) || document.documentElement.lang || 'fr';
    var page = document.implementation.createHTMLDocument('');
    page.documentElement.setAttribute('lang', lang);
    var main = page.createElement('main');
    var p = page.createElement('p');
    p.textContent = text;
    main.appendChild(p);
    page.body.appendChild(main);
    var a = ensureAudio();
    a.play().catch(function () {});
    start(page.documentElement.outerHTML, range);
  }

  // Clicking a passage while playing continues from there.
  function onAreaClick(e) {
    if (!audio || audio.paused || !reading || selectionRange) return;
    if (e.target.closest('.qari, a, button, input, select, textarea, label, summary')) return;
    for (var i = 0; i < resolved.length; i++) {
      var hit = resolved[i].runs.some(function (run) {
        var n = run.node && (run.node.nodeType === 1 ? run.node : run.node.parentElement);
        return n && n.contains(e.target);
      });
      if (hit && passageStarts[i]) { seek(passageStarts[i].t); return; }
    }
  }

  // Shortcuts: Alt+Shift+… always; single keys only when the reader turns them on (WCAG 2.1.4).
  function onKey(e) {
    if (!started) return;
    var typing = e.target.closest && e.target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]');
    var key = e.key;
    if (e.altKey && e.shiftKey && !e.ctrlKey && !e.metaKey) {
      var code = e.code;
      if (code === 'KeyP') toggle();
      else if (code === 'KeyS') stop();
      else if (key === 'ArrowRight') jumpSentence(rtl ? -1 : 1);
      else if (key === 'ArrowLeft') jumpSentence(rtl ? 1 : -1);
      else if (key === 'ArrowDown') jumpPassage(1);
      else if (key === 'ArrowUp') jumpPassage(-1);
      else return;
      e.preventDefault();
      return;
    }
    if (!settings.singleKeys || typing || e.altKey || e.ctrlKey || e.metaKey) return;
    if (key === 'k') toggle(); else if (key === 'l') jumpSentence(1); else if (key === 'j') jumpSentence(-1); else return;
    e.preventDefault();
  }

  function watch() {
    // A single-page portal that swaps its content: reading stops cleanly, the next press reads the new content.
    var observer = new MutationObserver(function (list) {
      var changed = list.some(function (m) {
        return m.type === 'childList' && !(m.target.closest && m.target.closest('.qari')) &&
          Array.prototype.some.call(m.addedNodes.length ? m.addedNodes : m.removedNodes, function (n) {
            return !(n.nodeType === 1 && (n.classList.contains('qari') || n.classList.contains('qari-mark')));
          });
      });
      if (!changed || stale) return;
      // While reading, only a change to what is being read stops it: ads, carousels and clocks elsewhere do not.
      if (started && !selectionRange && passagesIntact()) return;
      stale = true;
      if (audio && !audio.paused) { audio.pause(); clearHighlights(); announce(t.changed); }
      started = false;
      setLabel();
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    window.addEventListener('scroll', function () {
      if (ownScroll || !started || !audio || audio.paused) return;
      userScrolledAt = Date.now();
      following = false;
      if (ui.follow) ui.follow.hidden = false;
    }, { passive: true });
    document.addEventListener('keydown', onKey);
    document.addEventListener('click', onAreaClick);
  }

  function init() {
    build();
    applyDisplay();
    watch();
    // html(): the page as the widget sends it to the daemon (what its locators are computed on).
    window.qari = { version: 1, toggle: toggle, stop: stop, html: areaHTML, state: function () {
      return { reading: reading && reading.id, playing: !!(audio && !audio.paused), time: audio ? audio.currentTime : 0,
        source: audio ? audio.currentSrc : null,
        rate: audio ? audio.playbackRate : settings.rate,
        words: words.length, sentences: sentences.length, marksDone: marksDone, settings: settings,
        word: lastWord >= 0 ? words[lastWord] : null,
        // The reading made ready before the press, and how far its audio has loaded (the media element's readyState).
        prepared: prepared && prepared.id && audio && audio.src === prepared.src
          ? { reading: prepared.id, readyState: audio.readyState } : null };
    } };
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
