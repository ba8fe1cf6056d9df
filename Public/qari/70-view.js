  // --- The reader view: the reading's passages alone, in a modal dialog that follows the reader's size and
  // contrast; headings, lists and tables kept; the spoken word highlighted there too.
  var viewDialog = null, viewTexts = [], viewOpener = null;
  var BLOCKS = /^(H[1-6]|P|LI|DT|DD|TD|TH|BLOCKQUOTE|FIGCAPTION|CAPTION|PRE)$/;
  function blockOf(i) {
    var run = resolved[i] && resolved[i].runs.filter(function (r) { return r.node && !r.l.attribute; })[0];
    var n = run && (run.node.nodeType === 1 ? run.node : run.node.parentElement);
    while (n && n !== document.body && !BLOCKS.test(n.tagName)) n = n.parentElement;
    return n && n !== document.body ? n : null;
  }
  // The copy of an original container (a list, a table, a row) in the view, made once, in reading order.
  function copyOf(original, made, into) {
    if (made.has(original)) return made.get(original);
    var copy = document.createElement(original.tagName.toLowerCase());
    ['colspan', 'rowspan', 'scope', 'start'].forEach(function (a) {
      if (original.hasAttribute(a)) copy.setAttribute(a, original.getAttribute(a));
    });
    into.appendChild(copy);
    made.set(original, copy);
    return copy;
  }
  function viewContent() {
    var body = el('div', { 'class': 'qari-readerview-body' }), made = new Map();
    viewTexts = [];
    reading.passages.forEach(function (p, i) {
      var block = blockOf(i), tag = block ? block.tagName : 'P', holder = block && made.get(block);
      if (!holder) {
        var into = body;
        if (/^(LI|DT|DD)$/.test(tag) && block.parentElement) into = copyOf(block.parentElement, made, body);
        if (/^(TD|TH)$/.test(tag) && block.closest('table') && block.parentElement) {
          into = copyOf(block.parentElement, made, copyOf(block.closest('table'), made, body));
        }
        // Headings, paragraphs, list items and cells as they were; anything else (a caption) a paragraph.
        var keep = block && /^(H[1-6]|P|LI|DT|DD|TD|TH|BLOCKQUOTE|PRE)$/.test(tag);
        holder = keep ? copyOf(block, made, into) : into.appendChild(el('p'));
        if (block && !keep) made.set(block, holder);
      }
      if (holder.childNodes.length) holder.appendChild(document.createTextNode(' '));
      var span = el('span', { 'data-passage': String(i), lang: p.lang, text: p.text });
      holder.appendChild(span);
      viewTexts[i] = span.firstChild;
    });
    return body;
  }
  // Tab and Shift+Tab go round a modal dialog's controls: focus never leaves it for the page or the browser.
  function keepFocusIn(dialog) {
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
  function openView() {
    if (!reading || viewDialog) return;
    viewOpener = document.activeElement;
    ui.viewListen = el('button', { type: 'button', 'class': 'qari-readerview-listen', on: { click: toggle } },
      [el('span', { text: ui.label.textContent })]);
    var title = el('h2', { 'class': 'qari-readerview-title', id: 'qari-readerview-title',
      text: reading.title || t.view });
    var body = viewContent();
    body.addEventListener('click', function (e) {
      var span = e.target.closest && e.target.closest('[data-passage]');
      var start = span && passageStarts[+span.getAttribute('data-passage')];
      if (!start || !audio) return;
      seek(start.t);
      if (audio.paused) audio.play().catch(function () {});
    });
    viewDialog = el('dialog', { 'class': 'qari-readerview', 'aria-labelledby': 'qari-readerview-title',
      dir: rtl ? 'rtl' : 'ltr', lang: pageLang }, [
      el('div', { 'class': 'qari-readerview-bar' }, [ui.viewListen, button('close', t.closeView, closeView)]),
      title, body]);
    viewDialog.addEventListener('close', function () {
      viewDialog.remove();
      viewDialog = null;
      viewTexts = [];
      ui.viewListen = null;
      lastWord = lastSentence = -1;
      if (audio && !audio.paused) update(); else clearHighlights();
      if (viewOpener && viewOpener.isConnected) viewOpener.focus();
    });
    keepFocusIn(viewDialog);
    ui.root.appendChild(viewDialog);
    viewDialog.showModal();
    lastWord = lastSentence = -1;
    if (audio && !audio.paused) update();
  }
  function closeView() { if (viewDialog) viewDialog.close(); }
  // The view's range for code points offset ..< offset + length of a passage.
  function viewRanges(passage, offset, length) {
    var node = viewTexts[passage], p = resolved[passage];
    if (!node || !p) return [];
    var r = document.createRange();
    r.setStart(node, p.utf16[Math.min(offset, p.cps.length)]);
    r.setEnd(node, p.utf16[Math.min(offset + length, p.cps.length)]);
    return [r];
  }
  // The sentence being read stays in sight within the view.
  function followView(range) {
    var rect = range.getBoundingClientRect(), box = viewDialog.getBoundingClientRect();
    if (rect.top >= box.top + 48 && rect.bottom <= box.bottom) return;
    viewDialog.scrollTop += rect.top - box.top - box.height / 3;
  }

  // --- The reading mask: the page dimmed but for a band around the spoken line (the hovered one when nothing
  // plays). Two shades in the page, under the player (which is in the top layer) and never catching the pointer.
  var shades = null, hoverY = null;
  function applyMask() {
    if (ui.maskToggle) ui.maskToggle.checked = settings.mask;
    if (!settings.mask) {
      if (shades) shades.forEach(function (s) { s.remove(); });
      shades = null;
      return;
    }
    if (!shades) {
      shades = ['top', 'bottom'].map(function (side) {
        var s = el('div', { 'class': 'qari-shade qari-shade-' + side, 'aria-hidden': 'true', 'data-qari-skip': '' });
        document.body.appendChild(s);
        return s;
      });
    }
    placeMask();
  }
  function placeMask() {
    if (!shades) return;
    var line = 1.6 * 16 * settings.size / 100, y;
    // Where the spoken word is now (the page may have scrolled since it was highlighted).
    var w = audio && !audio.paused && lastWord >= 0 && words[lastWord];
    var range = w && rangesFor(w.passage, w.offset, w.length)[0];
    var word = range && range.getBoundingClientRect();
    if (word) y = word.top + word.height / 2;
    else if (hoverY !== null) y = hoverY;
    else y = window.innerHeight / 2;
    var half = Math.max(line, word ? word.height : 0) * 0.9;
    shades[0].style.setProperty('height', Math.max(0, y - half) + 'px', 'important');
    shades[1].style.setProperty('top', (y + half) + 'px', 'important');
  }
  function toggleMask() {
    settings.mask = !settings.mask;
    save();
    applyMask();
    announce(t.mask + (settings.mask ? ' ✓' : ' ✗'));
  }

  // --- Report a mispronounced word: the selection (in the page or the view) or the word being read.
  function cpAt(p, utf16) {
    var i = 0;
    while (i < p.utf16.length - 1 && p.utf16[i] < utf16) i++;
    return i;
  }
  function trimPick(i, s, e) {
    var cps = resolved[i].cps;
    while (s < e && /\s/.test(cps[s])) s++;
    while (e > s && /\s/.test(cps[e - 1])) e--;
    return e > s ? { passage: i, start: s, end: e } : null;
  }
  function pickFromRange(range) {
    for (var i = 0; i < resolved.length; i++) {
      var p = resolved[i];
      if (viewTexts[i] && range.startContainer === viewTexts[i]) {
        var end = range.endContainer === viewTexts[i] ? range.endOffset : viewTexts[i].length;
        return trimPick(i, cpAt(p, range.startOffset), cpAt(p, end));
      }
      for (var k = 0; k < p.runs.length; k++) {
        var run = p.runs[k];
        if (run.node !== range.startContainer || run.l.attribute) continue;
        if (range.startOffset < run.l.start || range.startOffset > run.l.end) continue;
        var base16 = p.utf16[run.l.offset] - run.l.start;
        var e16 = range.endContainer === run.node ? base16 + Math.min(range.endOffset, run.l.end)
          : p.utf16[run.l.offset + run.l.length];
        return trimPick(i, cpAt(p, base16 + range.startOffset), cpAt(p, e16));
      }
    }
    return null;
  }
  // A selection widened to the reading's words it touches (the daemon widens it the same way when marks are late).
  function wholeWords(pick) {
    words.forEach(function (w) {
      if (w.passage !== pick.passage || w.offset >= pick.end || w.offset + w.length <= pick.start) return;
      pick.start = Math.min(pick.start, w.offset);
      pick.end = Math.max(pick.end, w.offset + w.length);
    });
    return pick;
  }
  function currentPick() {
    var sel = window.getSelection();
    if (sel && sel.rangeCount && String(sel).trim()) {
      var picked = pickFromRange(sel.getRangeAt(0));
      if (picked) return wholeWords(picked);
    }
    var w = lastWord >= 0 && words[lastWord];
    return w ? { passage: w.passage, start: w.offset, end: w.offset + w.length } : null;
  }
  function inform(text) {
    ui.message.textContent = text;
    ui.message.hidden = false;
    announce(text);
  }
  function openReport() {
    var pick = reading && currentPick();
    if (!pick) { inform(t.noWord); return; }
    clearError();
    if (audio && !audio.paused) audio.pause();
    var opener = document.activeElement;
    var word = resolved[pick.passage].cps.slice(pick.start, pick.end).join('');
    var note = el('textarea', { id: 'qari-report-note', maxlength: '500', rows: '3' });
    var status = el('p', { 'class': 'qari-reportbox-status', role: 'status' });
    var send = el('button', { type: 'submit', 'class': 'qari-report-send', text: t.send });
    var box = el('dialog', { 'class': 'qari-reportbox', 'aria-labelledby': 'qari-report-title' });
    var form = el('form', { on: { submit: function (e) {
      e.preventDefault();
      send.disabled = true;
      fetch(base + 'v1/reports', { method: 'POST', credentials: 'omit', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ reading: reading.id, passage: pick.passage, start: pick.start, end: pick.end,
          note: note.value.slice(0, 500) }) })
        .then(function (r) {
          if (r.status !== 201) throw new Error(String(r.status));
          box.close();
          announce(t.reported);
          emit('reported');
        })
        .catch(function () { send.disabled = false; status.textContent = t.reportFailed; });
    } } }, [
      el('h2', { id: 'qari-report-title', text: t.report }),
      el('p', {}, [el('span', { text: t.word + ' : ' }),
        el('bdi', { 'class': 'qari-report-word', lang: reading.passages[pick.passage].lang, text: word })]),
      el('label', { 'for': 'qari-report-note', text: t.note }), note, status,
      el('div', { 'class': 'qari-reportbox-bar' }, [send,
        el('button', { type: 'button', text: t.cancel, on: { click: function () { box.close(); } } })])]);
    box.appendChild(form);
    box.addEventListener('close', function () {
      box.remove();
      if (opener && opener.isConnected) opener.focus();
    });
    keepFocusIn(box);
    (viewDialog || ui.root).appendChild(box);
    box.showModal();
    note.focus();
  }
