// What the player tells the reader and the portal: the Listen button's label, announcements, errors, events.
import { base } from './config.js';
import { icon } from './dom.js';
import { state } from './state.js';
import { t, uiLang } from './strings.js';

/** The speed is the audio's own (no new synthesis); a media load resets playbackRate to its default, so both. */
export function rate() {
  var audio = state.audio;
  if (!audio) return;
  audio.defaultPlaybackRate = state.settings.rate;
  audio.playbackRate = state.settings.rate;
}
export function announce(text) {
  state.ui.status.textContent = '';
  // A new text node each time, so the same words are announced again.
  setTimeout(function () { state.ui.status.textContent = text; }, 30);
}
export function setLabel() {
  var ui = state.ui, playing = state.audio && !state.audio.paused;
  ui.label.textContent = playing ? t.pause : state.started ? t.resume : t.listen;
  if (uiLang === 'zgh') ui.label.setAttribute('lang', playing || state.started ? 'fr' : 'zgh');
  ui.listen.replaceChild(icon(playing ? 'pause' : 'play'), ui.listen.firstChild);
  if (ui.viewListen) ui.viewListen.firstChild.textContent = ui.label.textContent;
}
/** Portals (and tests) can follow the player: document 'qari:state' events, detail {state, reading}. */
export function emit(name) {
  var reading = state.reading;
  document.dispatchEvent(new CustomEvent('qari:state', { detail: { state: name, reading: reading && reading.id } }));
}
export function showError(text, canRetry) {
  var ui = state.ui;
  ui.message.textContent = text;
  ui.message.hidden = false;
  ui.retry.hidden = !canRetry;
  announce(text);
  emit('error');
}
export function clearError() { state.ui.message.hidden = true; state.ui.retry.hidden = true; }
/** A message that is not an error. */
export function inform(text) {
  state.ui.message.textContent = text;
  state.ui.message.hidden = false;
  announce(text);
}
/** Tells the daemon of an event it counts for operators (`WidgetEvent`): its name and numbers, never page text. */
export function count(name, values) {
  var body = { event: name };
  for (var k in values || {}) body[k] = values[k];
  fetch(base + 'v1/events', { method: 'POST', credentials: 'omit', keepalive: true,
    headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).catch(function () {});
}
