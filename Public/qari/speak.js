// Short utterances beside the page's reading: a form field's description, a clicked text, a link's name. One audio
// element of their own; the page's reading pauses while one plays; each spoken word is highlighted in the page.
import { base } from './config.js';
import { highlight } from './highlighter.js';
import { textRange } from './locators.js';
import { post } from './player.js';
import { state, setSide } from './state.js';
import { emit } from './status.js';

var audio = null;
// Readings of texts already asked for, by language and text: a second click or hover plays at once.
var asked = {};

function url(path) { return new URL(base + path.replace(/^\//, ''), location.href).href; }

/** Stops the utterance and its highlight. */
export function hush() {
  var side = state.side;
  if (!side) return;
  setSide(null);
  cancelAnimationFrame(side.frame);
  side.audio.pause();
  highlight('word', []);
  emit('side-stopped');
}

/**
 * Plays `audioPath` with the word marks at `marksPath`; a word at code point `o` of the spoken text is highlighted
 * where one of `segments` ({elements, at, length}: its text is spoken from `at`) holds it. `kind` names it for
 * tests and portals ('field', 'text', 'name').
 */
export function play(audioPath, marksPath, segments, kind) {
  hush();
  if (!audio) { audio = new Audio(); audio.preload = 'auto'; }
  if (state.audio && !state.audio.paused) state.audio.pause();
  var side = { audio: audio, words: [], segments: segments, kind: kind, frame: 0, word: -1 };
  setSide(side);
  audio.src = url(audioPath);
  audio.playbackRate = audio.defaultPlaybackRate = state.settings.rate;
  fetch(url(marksPath), { credentials: 'omit' }).then(function (r) { return r.ok ? r.json() : { marks: [] }; })
    .then(function (doc) {
      side.words = (doc.marks || []).filter(function (m) { return m.type === 'word'; });
    }).catch(function () { /* heard without a highlight */ });
  function step() {
    if (state.side !== side) return;
    var now = audio.currentTime, w = -1;
    for (var i = 0; i < side.words.length && side.words[i].time_ms / 1000 <= now; i++) w = i;
    if (w !== side.word) {
      side.word = w;
      var range = w >= 0 ? place(side.words[w]) : null;
      highlight('word', range ? [range] : []);
      side.spoken = range ? String(range) : null;
    }
    if (!audio.paused && !audio.ended) side.frame = requestAnimationFrame(step);
    else if (audio.ended) { highlight('word', []); emit('side-ended'); }
  }
  audio.onplaying = function () { if (state.side === side) { emit('side-playing'); step(); } };
  return audio.play().catch(function () { /* the browser wants a press first */ });
  function place(m) {
    for (var i = 0; i < segments.length; i++) {
      var s = segments[i];
      if (m.offset >= s.at && m.offset < s.at + s.length) {
        return textRange(s.elements, m.offset - s.at + (s.from || 0), Math.min(m.offset + m.length, s.at + s.length) - s.at + (s.from || 0));
      }
    }
    return null;
  }
}

/** Says `text` in `lang` (a reading of the text alone, asked for once), highlighted as `segments` say. */
export function say(text, lang, segments, kind, isPrivate) {
  var key = lang + '\n' + text, page = document.implementation.createHTMLDocument('');
  page.documentElement.setAttribute('lang', lang);
  var main = page.createElement('main'), p = page.createElement('p');
  p.textContent = text;
  main.appendChild(p);
  page.body.appendChild(main);
  // A value the citizen typed is never asked for twice, nor kept: a private reading each time.
  var reading = !isPrivate && asked[key] || post(page.documentElement.outerHTML, isPrivate);
  if (!isPrivate) asked[key] = reading;
  reading.catch(function () { delete asked[key]; });
  return reading.then(function (r) {
    return play(r.audio.ogg, r.marks.json, segments, kind);
  });
}
