// Report a mispronounced word: the selection (in the page or the view) or the word being read.
import { base } from './config.js';
import { el, keepFocusIn } from './dom.js';
import { state } from './state.js';
import { announce, emit, clearError, inform } from './status.js';
import { t } from './strings.js';

function cpAt(p, utf16) {
  var i = 0;
  while (i < p.utf16.length - 1 && p.utf16[i] < utf16) i++;
  return i;
}
function trimPick(i, s, e) {
  var cps = state.resolved[i].cps;
  while (s < e && /\s/.test(cps[s])) s++;
  while (e > s && /\s/.test(cps[e - 1])) e--;
  return e > s ? { passage: i, start: s, end: e } : null;
}
function pickFromRange(range) {
  var resolved = state.resolved, viewTexts = state.viewTexts;
  for (var i = 0; i < resolved.length; i++) {
    var p = resolved[i];
    if (viewTexts[i] && range.startContainer === viewTexts[i]) {
      var end = range.endContainer === viewTexts[i] ? range.endOffset : viewTexts[i].length;
      return trimPick(i, cpAt(p, range.startOffset), cpAt(p, end));
    }
    for (var k = 0; k < p.runs.length; k++) {
      var run = p.runs[k];
      if (run.node !== range.startContainer || run.l.attribute) continue;
      if (range.startOffset < run.l.start || range.startOffset > run.l.end) continue;
      var base16 = p.utf16[run.l.offset] - run.l.start;
      var e16 = range.endContainer === run.node ? base16 + Math.min(range.endOffset, run.l.end)
        : p.utf16[run.l.offset + run.l.length];
      return trimPick(i, cpAt(p, base16 + range.startOffset), cpAt(p, e16));
    }
  }
  return null;
}
// A selection widened to the reading's words it touches (the daemon widens it the same way when marks are late).
function wholeWords(pick) {
  state.words.forEach(function (w) {
    if (w.passage !== pick.passage || w.offset >= pick.end || w.offset + w.length <= pick.start) return;
    pick.start = Math.min(pick.start, w.offset);
    pick.end = Math.max(pick.end, w.offset + w.length);
  });
  return pick;
}
function currentPick() {
  var sel = window.getSelection();
  if (sel && sel.rangeCount && String(sel).trim()) {
    var picked = pickFromRange(sel.getRangeAt(0));
    if (picked) return wholeWords(picked);
  }
  var w = state.lastWord >= 0 && state.words[state.lastWord];
  return w ? { passage: w.passage, start: w.offset, end: w.offset + w.length } : null;
}
/** Opens the report box for the picked word (a modal dialog), or says how to pick one. */
export function openReport() {
  var reading = state.reading, audio = state.audio;
  // A private reading is never reported (the daemon would refuse it): its words stay with the listener.
  if (reading && reading.private) return;
  var pick = reading && currentPick();
  if (!pick) { inform(t.noWord); return; }
  clearError();
  if (audio && !audio.paused) audio.pause();
  var opener = document.activeElement;
  var word = state.resolved[pick.passage].cps.slice(pick.start, pick.end).join('');
  var note = el('textarea', { id: 'qari-report-note', maxlength: '500', rows: '3' });
  var status = el('p', { 'class': 'qari-reportbox-status', role: 'status' });
  var send = el('button', { type: 'submit', 'class': 'qari-report-send', text: t.send });
  var box = el('dialog', { 'class': 'qari-reportbox', 'aria-labelledby': 'qari-report-title' });
  var form = el('form', { on: { submit: function (e) {
    e.preventDefault();
    send.disabled = true;
    fetch(base + 'v1/reports', { method: 'POST', credentials: 'omit', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ reading: reading.id, passage: pick.passage, start: pick.start, end: pick.end,
        note: note.value.slice(0, 500) }) })
      .then(function (r) {
        if (r.status !== 201) throw new Error(String(r.status));
        box.close();
        announce(t.reported);
        emit('reported');
      })
      .catch(function () { send.disabled = false; status.textContent = t.reportFailed; });
  } } }, [
    el('h2', { id: 'qari-report-title', text: t.report }),
    el('p', {}, [el('span', { text: t.word + ' : ' }),
      el('bdi', { 'class': 'qari-report-word', lang: reading.passages[pick.passage].lang, text: word })]),
    el('label', { 'for': 'qari-report-note', text: t.note }), note, status,
    el('div', { 'class': 'qari-reportbox-bar' }, [send,
      el('button', { type: 'button', text: t.cancel, on: { click: function () { box.close(); } } })])]);
  box.appendChild(form);
  box.addEventListener('close', function () {
    box.remove();
    if (opener && opener.isConnected) opener.focus();
  });
  keepFocusIn(box);
  (state.viewDialog || state.ui.root).appendChild(box);
  box.showModal();
  note.focus();
}
