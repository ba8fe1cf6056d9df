// What the reader does: play and pause, stop, close, jump, read the selection, click a passage, shortcuts.
import { clearHighlights, indexAt, resumeFollowing, update } from './highlighter.js';
import { areaHTML } from './locators.js';
import { toggleMask } from './mask.js';
import { ensureAudio, start } from './player.js';
import { state, endReading, forgetPosition, profileStep } from './state.js';
import { announce, setLabel, clearError } from './status.js';
import { t, rtl } from './strings.js';

/** Listen: asks for the reading on the first press (or when the page changed), else plays or pauses. */
export function toggle() {
  var a = ensureAudio();
  if (!state.started || state.stale) {
    profileStep('pressed');
    // The first sound of this press, however it comes (a reading made ready on hover plays at once).
    a.addEventListener('playing', function sounded() {
      if (!a.currentSrc) return;
      profileStep('playing');
      a.removeEventListener('playing', sounded);
    });
    var html = areaHTML(), prepared = state.prepared;
    profileStep('gathered');
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
export function stop() {
  var audio = state.audio;
  if (audio) { audio.pause(); audio.currentTime = 0; }
  clearHighlights();
  announce(t.stopped);
  setLabel();
}
export function close() {
  var audio = state.audio, ui = state.ui;
  if (audio) { audio.pause(); audio.removeAttribute('src'); audio.load(); }
  if (state.controller) state.controller.abort();
  clearHighlights();
  endReading();
  ui.toolbar.hidden = true;
  ui.settings.hidden = true;
  ui.settingsButton.setAttribute('aria-expanded', 'false');
  ui.listen.setAttribute('aria-expanded', 'false');
  setLabel();
  announce(t.stopped);
}
export function retry() { clearError(); profileStep('pressed'); start(areaHTML(), null); }
/** Plays from `time` (seconds), following the reading again. */
export function seek(time) {
  var audio = state.audio;
  if (!audio) return;
  resumeFollowing();
  audio.currentTime = Math.max(0, time);
  forgetPosition();
  if (!audio.paused) update();
}
export function jumpSentence(delta) {
  var audio = state.audio, sentences = state.sentences;
  if (!sentences.length || !audio) return;
  var i = indexAt(sentences, audio.currentTime + 0.05) + delta;
  if (delta < 0 && sentences[i + 1] && audio.currentTime - sentences[i + 1].t > 1.5) i += 1;
  seek(sentences[Math.max(0, Math.min(sentences.length - 1, i))].t);
}
export function jumpPassage(delta) {
  var audio = state.audio, words = state.words, passageStarts = state.passageStarts;
  if (!audio || !words.length) return;
  var w = indexAt(words, audio.currentTime + 0.05), current = w >= 0 ? words[w].passage : 0;
  var target = current + delta;
  while (target >= 0 && target < passageStarts.length && !passageStarts[target]) target += delta;
  if (target < 0) target = 0;
  if (passageStarts[target]) seek(passageStarts[target].t);
}
export function toggleSettings() {
  var ui = state.ui;
  ui.settings.hidden = !ui.settings.hidden;
  ui.settingsButton.setAttribute('aria-expanded', String(!ui.settings.hidden));
}
/** Reads the selected text alone, highlighted where it was selected. */
export function readSelection() {
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

/** Clicking a passage while playing continues from there. */
export function onAreaClick(e) {
  var audio = state.audio, resolved = state.resolved;
  if (!audio || audio.paused || !state.reading || state.selectionRange) return;
  if (e.target.closest('.qari, a, button, input, select, textarea, label, summary')) return;
  for (var i = 0; i < resolved.length; i++) {
    var hit = resolved[i].runs.some(function (run) {
      var n = run.node && (run.node.nodeType === 1 ? run.node : run.node.parentElement);
      return n && n.contains(e.target);
    });
    if (hit && state.passageStarts[i]) { seek(state.passageStarts[i].t); return; }
  }
}

/** Shortcuts: Alt+Shift+… always; single keys only when the reader turns them on (WCAG 2.1.4). */
export function onKey(e) {
  if (e.altKey && e.shiftKey && !e.ctrlKey && !e.metaKey && e.code === 'KeyM') {
    toggleMask();
    e.preventDefault();
    return;
  }
  if (!state.started) return;
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
  if (!state.settings.singleKeys || typing || e.altKey || e.ctrlKey || e.metaKey) return;
  if (key === 'k') toggle(); else if (key === 'l') jumpSentence(1); else if (key === 'j') jumpSentence(-1); else return;
  e.preventDefault();
}
