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
      var inPage = w >= 0 ? rangesFor(words[w].passage, words[w].offset, words[w].length) : [];
      highlight('word', w >= 0 ? inPage.concat(viewRanges(words[w].passage, words[w].offset, words[w].length)) : []);
      if (w >= 0) ui.root.setAttribute('data-qari-word', words[w].passage + ':' + words[w].offset);
      placeMask();
    }
    if (s !== lastSentence) {
      lastSentence = s;
      var ranges = s >= 0 ? rangesFor(sentences[s].passage, sentences[s].offset, sentences[s].length) : [];
      var inView = s >= 0 ? viewRanges(sentences[s].passage, sentences[s].offset, sentences[s].length) : [];
      highlight('sentence', ranges.concat(inView));
      if (inView.length && viewDialog) followView(inView[0]);
      else if (ranges.length) follow(ranges[0]);
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
