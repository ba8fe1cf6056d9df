/* Qari reader button: press Listen, hear the page, each word highlighted as it is spoken.
 * One tag: <script src="…/widget/qari.js" defer></script>. No inline script or style, no eval, no third-party code.
 * data- attributes on the tag: data-qari-endpoint (the daemon's base URL; default: where this file came from),
 * data-qari-area (a CSS selector of what to read; default: the page's data-qari-read, else the server's choice).
 * Its source is Public/qari/*.js, ES modules joined in the order of their imports into the one file the portal
 * loads: by the daemon at start (/widget/qari.js), whose bytes `make sri` hashes (docs/widget.md). */
import { base } from './config.js';
import { toggle, stop } from './controls.js';
import { applyDisplay } from './display.js';
import { link } from './dom.js';
import { watchFields } from './fields.js';
import { areaHTML } from './locators.js';
import { applyMask } from './mask.js';
import { watchPoint } from './point.js';
import { state } from './state.js';
import { build } from './toolbar.js';
import { watch } from './watch.js';

function init() {
  build();
  applyDisplay();
  applyMask();
  watch();
  watchFields();
  watchPoint();
  // html(): the page as the widget sends it to the daemon (what its locators are computed on).
  window.qari = { version: 1, toggle: toggle, stop: stop, html: areaHTML, state: function () {
    var audio = state.audio, prepared = state.prepared, shades = state.shades, words = state.words, side = state.side;
    return { reading: state.reading && state.reading.id, playing: !!(audio && !audio.paused),
      time: audio ? audio.currentTime : 0, source: audio ? audio.currentSrc : null,
      rate: audio ? audio.playbackRate : state.settings.rate,
      words: words.length, sentences: state.sentences.length, marksDone: state.marksDone, settings: state.settings,
      word: state.lastWord >= 0 ? words[state.lastWord] : null, view: !!state.viewDialog,
      // The short utterance beside the reading: a field's description, a clicked text, a link's name.
      side: side ? { kind: side.kind, playing: !side.audio.paused && !side.audio.ended, source: side.audio.currentSrc,
        time: side.audio.currentTime, words: side.words.length, spoken: side.spoken || null } : null,
      mask: shades ? { top: parseFloat(shades[0].style.height), bottom: parseFloat(shades[1].style.top) } : null,
      // The reading made ready before the press, how far its audio has loaded (the media element's readyState) and
      // how many of its marks have come.
      prepared: prepared && prepared.id && audio && audio.src === prepared.src
        ? { reading: prepared.id, readyState: audio.readyState, marks: prepared.marks ? prepared.marks.marks.length : 0 }
        : null,
      // Asked for before the press at all: the reading (its id once answered) and whether its audio is loading.
      early: prepared ? { reading: prepared.id || null, audio: !!(audio && prepared.src && audio.src === prepared.src) }
        : null,
      // The last press of Listen, step by step: milliseconds from the press to each step reached.
      profile: state.profile ? Object.keys(state.profile).reduce(function (o, k) {
        o[k] = Math.round(state.profile[k] - state.profile.pressed); return o;
      }, { at: performance.timeOrigin + state.profile.pressed }) : null };
  } };
}
if (!window.qari) {
  link(base + 'widget/qari.css', 'qari-style');
  // Remembered display modes apply now, before the first paint (the tag is in <head>, `defer blocking="render"`).
  applyDisplay();
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
}
