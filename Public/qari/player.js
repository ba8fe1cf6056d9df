// Reading: the page's HTML to the daemon, then one audio element that plays it and the marks streamed beside it.
import { base, prefetch } from './config.js';
import { clearHighlights, loop } from './highlighter.js';
import { prepareLocators, areaHTML, privatePage, pageAddress } from './locators.js';
import {
  state, setAudio, setController, beginReading, addMark, setStarted, setPrepared, setIntentTimer, profileStep
} from './state.js';
import { rate, setLabel, announce, emit, showError, clearError, count } from './status.js';
import { t } from './strings.js';

/** Asks the daemon for the reading of `html` (marked private when the page or `isPrivate` says so). */
export function post(html, isPrivate) {
  var overrides = {};
  ['zgh', 'ber'].forEach(function (k) { overrides[k] = state.settings.variety; });
  var headers = { 'Content-Type': 'application/json' };
  // A citizen's own page: the daemon keeps its reading in memory only, for a short time, under a random id.
  if (isPrivate || privatePage()) headers['Qari-Privacy'] = 'private';
  return fetch(base + 'v1/readings', {
    method: 'POST', headers: headers, credentials: 'omit',
    body: JSON.stringify({ html: html, url: pageAddress(), voice_overrides: overrides })
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
/** The one audio element, made on first use. */
export function ensureAudio() {
  if (state.audio) return state.audio;
  var audio = new Audio();
  setAudio(audio);
  // 'metadata': chromium then starts a streamed reading without reading far ahead first (measured: bench/widget).
  audio.preload = 'metadata';
  audio.addEventListener('loadedmetadata', rate);
  audio.addEventListener('play', function () { setLabel(); announce(t.playing); loop(); });
  audio.addEventListener('playing', function () { emit('playing'); });
  audio.addEventListener('pause', function () {
    setLabel();
    if (!audio.ended && state.started) { announce(t.paused); emit('paused'); }
  });
  audio.addEventListener('ended', function () { setLabel(); announce(t.ended); clearHighlights(); emit('ended'); });
  audio.addEventListener('error', function () {
    if (audio.getAttribute('src') && state.started) showError(t.down, true);
  });
  return audio;
}
// --- Ready before the press: when the pointer rests on Listen (people hover a few hundred milliseconds before
// they click) or it gets keyboard focus, the page goes to the daemon and its audio starts loading, so the press
// plays at once. data-qari-prefetch="off" turns this off; with Save-Data only the reading is asked, not audio.
// A private page is read only when asked: nothing before the press (and no audio for a reading the daemon says
// is private, its address being one of the operator's private pages).
export function intent(delay) {
  if (!prefetch || (state.started && !state.stale) || privatePage()) return;
  clearTimeout(state.intentTimer);
  setIntentTimer(setTimeout(prepare, delay));
}
export function cancelIntent() { clearTimeout(state.intentTimer); }
function prepare() {
  if (state.started && !state.stale) return;
  var html = areaHTML();
  if (state.prepared && state.prepared.html === html) return;
  var p = { html: html, reading: post(html) };
  dropPrepared();
  setPrepared(p);
  p.reading.then(function (r) {
    if (state.prepared !== p || (state.started && !state.stale)) return;
    p.id = r.id;
    if (r.private || (navigator.connection && navigator.connection.saveData)) return;
    var a = ensureAudio();
    if (!a.paused) return;
    a.preload = 'auto';
    a.src = p.src = audioURL(r);
    // Its marks too, so that the first word is highlighted as soon as it is heard.
    p.marks = marksFeed(r);
  }, function () { if (state.prepared === p) setPrepared(null); });
}
function audioURL(r) { return new URL(base + r.audio.ogg.replace(/^\//, ''), location.href).href; }

/** Asks for the reading of `html` (the page, or a selection's text read in place of `selection`) and plays it. */
export function start(html, selection) {
  clearError();
  announce(t.loading);
  if (state.controller) state.controller.abort();
  setController(window.AbortController ? new AbortController() : null);
  var prepared = !selection && state.prepared && state.prepared.html === html ? state.prepared : null;
  var ready = prepared ? prepared.reading : null;
  if (!prepared) dropPrepared();
  setPrepared(null);
  clearTimeout(state.intentTimer);
  return (ready || post(html)).then(function (r) {
    if (!selection) profileStep('answered');
    var ui = state.ui;
    beginReading(r, selection);
    var a = ensureAudio();
    // The audio first: a media element fetches only once this task ends, so the page's words are found for the
    // highlight in the next task (a long page's locators take tens of milliseconds), after the request is out.
    // A reading made ready before the press is already loading (and may be playing): it goes on.
    if (a.error || a.src !== audioURL(r)) a.src = audioURL(r);
    var early = prepared && prepared.marks && prepared.marks.id === r.id ? prepared.marks : null;
    if (early) attachMarks(early);
    else attachMarks(marksFeed(r, state.controller));
    setTimeout(function () { if (state.reading === r) prepareLocators(); }, 0);
    ui.download.href = base + r.audio.mp3.replace(/^\//, '');
    // The daemon refuses reports of a private reading: no control for them.
    ui.report.hidden = !!r.private;
    ui.toolbar.hidden = false;
    ui.listen.setAttribute('aria-expanded', 'true');
    if (!selection && state.profile) {
      profileStep('asked');
      // From the press to the first sound, for the operator's /metrics (a number, no page text). A reading made
      // ready on hover may have started playing before its answer is handled here.
      var profile = state.profile, report = function () {
        count('first-audio', { ms: Math.round(profile.playing - profile.pressed), cached: !!r.cached });
      };
      if (profile.playing !== undefined) report();
      else a.addEventListener('playing', function () {
        if (state.profile !== profile || !state.reading || state.reading.id !== r.id) return;
        profileStep('playing');
        report();
      }, { once: true });
    }
    rate();
    return a.play();
  }).catch(function (e) {
    if (e && e.name === 'AbortError') return;
    if (e && e.name === 'NotAllowedError') {
      // The browser wants a press before sound: the reading is ready, the next press plays it.
      setLabel();
      return;
    }
    setStarted(false);
    // The unlocking play() left the empty element 'playing': it is not.
    if (state.audio) state.audio.pause();
    setLabel();
    if (e && e.status === 422) showError(t.nothing, false);
    else if (e && (e.status === 503 || e.status === 429)) showError(t.busy, true);
    else showError(t.down, true);
  });
}
// The marks feed of the reading being heard.
var heard = null;
/** Reading `r`'s marks as they come (NDJSON), kept until `attachMarks` hands them on; `controller` ends it. A feed
 * cut before its end line (a daemon restarted, a reading re-made) is asked again a few times, from the line it had
 * reached: the daemon sends a reading's marks from the start, in the same order. */
function marksFeed(r, controller) {
  var own = controller || (window.AbortController ? new AbortController() : null);
  var feed = { id: r.id, marks: [], sink: null, controller: own, lines: 0, ended: false };
  var url = base + r.marks.stream.replace(/^\//, '');
  function ask(attempt) {
    var skip = feed.lines;
    fetch(url, { credentials: 'omit', signal: own ? own.signal : undefined })
      .then(function (res) {
        if (!res.ok || !res.body) throw new Error('marks');
        var reader = res.body.getReader(), decoder = new TextDecoder(), rest = '';
        function pump() {
          return reader.read().then(function (step) {
            if (feed.dropped) return reader.cancel();
            rest += decoder.decode(step.value || new Uint8Array(), { stream: !step.done });
            var lines = rest.split('\n');
            rest = lines.pop();
            lines.forEach(function (line) {
              if (!line || skip-- > 0) return;
              var m = JSON.parse(line);
              feed.lines++;
              if (m.type === 'end') feed.ended = true;
              if (feed.sink) feed.sink(m); else feed.marks.push(m);
            });
            if (!step.done) return pump();
            if (!feed.ended) throw new Error('marks cut');
          });
        }
        return pump();
      }).catch(function (e) {
        // Without marks the page is still heard; nothing is highlighted.
        if (feed.dropped || feed.ended || (e && e.name === 'AbortError') || attempt >= 3) return;
        setTimeout(function () { if (!feed.dropped) ask(attempt + 1); }, 250 << attempt);
      });
  }
  ask(0);
  return feed;
}
/** The feed's marks, come and to come, go to the reading heard while it is the feed's; then the feed ends. */
function attachMarks(feed) {
  if (heard && heard !== feed) {
    heard.dropped = true;
    if (heard.controller) heard.controller.abort();
  }
  heard = feed;
  feed.sink = function (m) {
    if (state.reading && state.reading.id === feed.id) addMark(m); else feed.dropped = true;
  };
  var early = feed.marks;
  feed.marks = [];
  early.forEach(function (m) { feed.sink(m); });
}
/** A reading made ready but not heard: its marks are not waited for. */
function dropPrepared() {
  var marks = state.prepared && state.prepared.marks;
  if (!marks) return;
  marks.dropped = true;
  if (marks.controller) marks.controller.abort();
}
