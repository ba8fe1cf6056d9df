  // --- The player state.
  var audio = null, reading = null, marks = [], words = [], sentences = [], passageStarts = [], duration = 0;
  var stale = true, started = false, frame = 0, lastWord = -1, lastSentence = -1;
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
    follow: 'M11 3h2v11.2l4.6-4.6L19 11l-7 7-7-7 1.4-1.4 4.6 4.6zM5 19h14v2H5z',
    reader: 'M4 4h7a3 3 0 0 1 1 .2A3 3 0 0 1 13 4h7v15h-7a2 2 0 0 0-1 .3 2 2 0 0 0-1-.3H4zm2 2v11h5l.5.1V7a1 1 0 0 0-1-1zm12 0h-4.5a1 1 0 0 0-1 1v10.1l.5-.1h5z',
    report: 'M5 3h2v1h11l-2 4.5 2 4.5H7v8H5z' };
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
    ui.follow = button('follow', t.follow, function () { resumeFollowing(); followNow(); });
    ui.follow.hidden = true;
    // .qari-wide: only under "more…" in the compact player.
    function wide(e) { e.classList.add('qari-wide'); return e; }
    ui.toolbar = el('div', { 'class': 'qari-toolbar', role: 'toolbar', 'aria-label': t.player, hidden: '' }, [
      wide(button('stop', t.stop, stop)), wide(button('prevP', t.prevP, function () { jumpPassage(-1); }, true)),
      button('prevS', t.prevS, function () { jumpSentence(-1); }, true),
      button('nextS', t.nextS, function () { jumpSentence(1); }, true),
      wide(button('nextP', t.nextP, function () { jumpPassage(1); }, true)), ui.speed, wide(ui.progress),
      wide(ui.time), wide(button('reader', t.view, openView)), wide(button('report', t.report, openReport)),
      wide(ui.download), wide(ui.settingsButton), wide(button('close', t.close, close)), ui.follow, ui.more]);
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
    ui.maskToggle = el('input', { type: 'checkbox', 'class': 'qari-mask-toggle', on: { change: function () {
      if (ui.maskToggle.checked !== settings.mask) toggleMask(); } } });
    ui.maskToggle.checked = settings.mask;
    single.checked = settings.singleKeys;
    var keys = el('ul', { 'class': 'qari-keys' }, [
      ['Alt+Shift+P', t.pause + ' / ' + t.resume], ['Alt+Shift+S', t.stop], ['Alt+Shift+→ / ←', t.nextS + ' / ' + t.prevS],
      ['Alt+Shift+↓ / ↑', t.nextP + ' / ' + t.prevP], ['Alt+Shift+M', t.mask], ['k · j · l', t.single]
    ].map(function (k) { return el('li', {}, [el('kbd', { text: k[0], dir: 'ltr' }), el('span', { text: ' : ' + k[1] })]); }));
    return el('div', { 'class': 'qari-panel', id: 'qari-settings', role: 'group', 'aria-label': t.settings, hidden: '' }, [
      contrast, el('label', {}, [el('span', { text: t.size }), size]), el('label', {}, [el('span', { text: t.variety }), variety]),
      el('label', {}, [ui.maskToggle, el('span', { text: t.mask })]),
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
    if (ui.viewListen) ui.viewListen.firstChild.textContent = ui.label.textContent;
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
