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
