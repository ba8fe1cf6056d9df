// The reading mask: the page dimmed but for a band around the spoken line (the hovered one when nothing plays).
// Two shades in the page, under the player (which is in the top layer) and never catching the pointer.
import { el } from './dom.js';
import { rangesFor } from './locators.js';
import { state, setShades, updateSettings } from './state.js';
import { announce } from './status.js';
import { t } from './strings.js';

export function applyMask() {
  var settings = state.settings;
  if (state.ui.maskToggle) state.ui.maskToggle.checked = settings.mask;
  if (!settings.mask) {
    if (state.shades) state.shades.forEach(function (s) { s.remove(); });
    setShades(null);
    return;
  }
  if (!state.shades) {
    setShades(['top', 'bottom'].map(function (side) {
      var s = el('div', { 'class': 'qari-shade qari-shade-' + side, 'aria-hidden': 'true', 'data-qari-skip': '' });
      document.body.appendChild(s);
      return s;
    }));
  }
  placeMask();
}
export function placeMask() {
  var shades = state.shades;
  if (!shades) return;
  var line = 1.6 * 16 * state.settings.size / 100, y;
  // Where the spoken word is now (the page may have scrolled since it was highlighted).
  var w = state.audio && !state.audio.paused && state.lastWord >= 0 && state.words[state.lastWord];
  var range = w && rangesFor(w.passage, w.offset, w.length)[0];
  var word = range && range.getBoundingClientRect();
  if (word) y = word.top + word.height / 2;
  else if (state.hoverY !== null) y = state.hoverY;
  else y = window.innerHeight / 2;
  var half = Math.max(line, word ? word.height : 0) * 0.9;
  shades[0].style.setProperty('height', Math.max(0, y - half) + 'px', 'important');
  shades[1].style.setProperty('top', (y + half) + 'px', 'important');
}
export function toggleMask() {
  updateSettings({ mask: !state.settings.mask });
  applyMask();
  announce(t.mask + (state.settings.mask ? ' ✓' : ' ✗'));
}
