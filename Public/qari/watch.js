// What the page and the reader do around the player: content swapped by a single-page portal, scrolling by hand,
// keys, the pointer (for the mask) and clicks on passages.
import { onKey, onAreaClick } from './controls.js';
import { clearHighlights, stopFollowing } from './highlighter.js';
import { passagesIntact } from './locators.js';
import { placeMask } from './mask.js';
import { state, markStale, setStarted, setHoverY } from './state.js';
import { announce, setLabel } from './status.js';
import { t } from './strings.js';

export function watch() {
  // A single-page portal that swaps its content: reading stops cleanly, the next press reads the new content.
  var observer = new MutationObserver(function (list) {
    var changed = list.some(function (m) {
      return m.type === 'childList' && !(m.target.closest && m.target.closest('.qari')) &&
        Array.prototype.some.call(m.addedNodes.length ? m.addedNodes : m.removedNodes, function (n) {
          return !(n.nodeType === 1 && (n.classList.contains('qari') || n.classList.contains('qari-mark') ||
            n.classList.contains('qari-shade')));
        });
    });
    if (!changed || state.stale) return;
    // While reading, only a change to what is being read stops it: ads, carousels and clocks elsewhere do not.
    if (state.started && !state.selectionRange && passagesIntact()) return;
    markStale();
    var audio = state.audio;
    if (audio && !audio.paused) { audio.pause(); clearHighlights(); announce(t.changed); }
    setStarted(false);
    setLabel();
  });
  observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  // The reader moving the page by hand (a finger, a wheel, the scroll bar or keys) pauses following.
  function byHand() {
    if (!state.started || !state.audio || state.audio.paused) return;
    stopFollowing();
  }
  window.addEventListener('scroll', function () { if (!state.ownScroll) byHand(); }, { passive: true });
  window.addEventListener('touchmove', byHand, { passive: true });
  window.addEventListener('wheel', byHand, { passive: true });
  document.addEventListener('keydown', onKey);
  // The mask's band follows the pointer while nothing plays, and the page as it scrolls.
  document.addEventListener('pointermove', function (e) {
    setHoverY(e.clientY);
    if (!state.audio || state.audio.paused) placeMask();
  }, { passive: true });
  window.addEventListener('scroll', placeMask, { passive: true });
  document.addEventListener('click', onAreaClick);
}
