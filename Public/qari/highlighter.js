// Highlights follow the audio's own clock each frame: the spoken word and sentence in the page and the reader
// view, the progress, and the page scrolled to keep the sentence in sight.
import { compact, reduceMotion } from './config.js';
import { el } from './dom.js';
import { findText, rangesFor, viewRanges } from './locators.js';
import { placeMask } from './mask.js';
import {
  state, setFrame, setLastWord, setLastSentence, forgetPosition, setOverlay, setFollowing, setLastRange, setOwnScroll,
  setPlaced, setFallback, profileStep
} from './state.js';
import { count } from './status.js';

// The CSS Custom Highlight API where there is one; else boxes drawn over the text, in our own root.
export function highlight(name, ranges) {
  if (window.CSS && CSS.highlights && window.Highlight) {
    if (ranges.length) {
      var h = new Highlight();
      ranges.forEach(function (r) { h.add(r); });
      CSS.highlights.set('qari-' + name, h);
    } else CSS.highlights.delete('qari-' + name);
    return;
  }
  state.overlay.filter(function (o) { return o.name === name; }).forEach(function (o) { o.box.remove(); });
  var overlay = state.overlay.filter(function (o) { return o.name !== name; });
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
  setOverlay(overlay);
}
export function clearHighlights() {
  highlight('word', []);
  highlight('sentence', []);
  forgetPosition();
}
/** The last mark of `list` at or before `time`, or -1. */
export function indexAt(list, time) {
  var lo = 0, hi = list.length - 1, found = -1;
  while (lo <= hi) {
    var mid = (lo + hi) >> 1;
    if (list[mid].t <= time) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return found;
}
/** Follows the audio's own clock each frame: no timers that drift. */
export function loop() {
  cancelAnimationFrame(state.frame);
  function step() {
    if (!state.audio || state.audio.paused) return;
    update();
    setFrame(requestAnimationFrame(step));
  }
  setFrame(requestAnimationFrame(step));
}
/** Highlights the word and sentence at the audio's time, if they changed, and shows the progress. */
export function update() {
  var ui = state.ui, words = state.words, sentences = state.sentences;
  var now = state.audio.currentTime;
  var w = indexAt(words, now), s = indexAt(sentences, now);
  // Until the reading's passages are found in the page (the task after its audio is asked for), a word has no
  // place yet: it is highlighted the frame after, not passed over until the next word.
  var located = state.resolved.length > 0 || !!state.selectionRange;
  if (located && w !== state.lastWord) {
    setLastWord(w);
    var inPage = w >= 0 ? rangesFor(words[w].passage, words[w].offset, words[w].length) : [];
    highlight('word', w >= 0 ? inPage.concat(viewRanges(words[w].passage, words[w].offset, words[w].length)) : []);
    if (inPage.length) {
      setPlaced(now);
      if (!state.selectionRange) profileStep('highlighted');
    }
    else if (w >= 0 && !state.selectionRange && now - state.placedAt >= 2 && state.fallback !== words[w].passage) {
      // The audio advances with marks, but no word has had a place in the page for 2 s: the whole passage is
      // highlighted, found by its text, and the daemon counts the event (no page text in it).
      if (state.fallback < 0) count('highlight-fallback');
      setFallback(words[w].passage);
      var found = findText(state.reading.passages[words[w].passage].text);
      highlight('sentence', found ? [found] : []);
    }
    if (w >= 0) ui.root.setAttribute('data-qari-word', words[w].passage + ':' + words[w].offset);
    placeMask();
  }
  if (located && s !== state.lastSentence && state.fallback < 0) {
    setLastSentence(s);
    var ranges = s >= 0 ? rangesFor(sentences[s].passage, sentences[s].offset, sentences[s].length) : [];
    var inView = s >= 0 ? viewRanges(sentences[s].passage, sentences[s].offset, sentences[s].length) : [];
    highlight('sentence', ranges.concat(inView));
    if (inView.length && state.viewDialog) followView(inView[0]);
    else if (ranges.length) follow(ranges[0]);
  }
  var total = state.duration || (isFinite(state.audio.duration) ? state.audio.duration : 0);
  if (total) {
    ui.progress.max = total;
    ui.progress.value = Math.min(now, total);
    ui.time.textContent = clock(now) + ' / ' + clock(total);
  }
}
export function followNow() { if (state.lastRange) follow(state.lastRange); }
function clock(s) { s = Math.floor(s); return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0'); }
// The sentence comes into view, above the compact player, unless the reader scrolled elsewhere by hand: then
// following pauses until the reader asks for it again (the follow button), or jumps to another sentence.
function follow(range) {
  setLastRange(range);
  if (!state.following) return;
  var rect = range.getBoundingClientRect();
  var bottom = window.innerHeight - (compact.matches && state.ui.root ? state.ui.root.offsetHeight : 0);
  if (rect.top >= 0 && rect.bottom <= bottom) return;
  var target = range.startContainer.nodeType === 1 ? range.startContainer : range.startContainer.parentElement;
  setOwnScroll(true);
  target.scrollIntoView({ block: 'center', behavior: reduceMotion ? 'auto' : 'smooth' });
  setTimeout(function () { setOwnScroll(false); }, reduceMotion ? 50 : 800);
}
export function resumeFollowing() {
  setFollowing(true);
  if (state.ui.follow) state.ui.follow.hidden = true;
}
/** The reader moved the page by hand: following pauses, the follow button shows. */
export function stopFollowing() {
  setFollowing(false);
  if (state.ui.follow) state.ui.follow.hidden = false;
}
// The sentence being read stays in sight within the view.
function followView(range) {
  var rect = range.getBoundingClientRect(), box = state.viewDialog.getBoundingClientRect();
  if (rect.top >= box.top + 48 && rect.bottom <= box.bottom) return;
  state.viewDialog.scrollTop += rect.top - box.top - box.height / 3;
}
