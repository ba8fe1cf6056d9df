// Forms read aloud: a field's description plays when it gets focus (once Listen was pressed on this page, or with
// "read the fields" on), typing stops it, a submit that brings errors moves to the first and reads it, and
// Alt+Shift+V says the field's current value (never a password's), in a private reading never kept.
import { base } from './config.js';
import { langOf, squeeze } from './dom.js';
import { areaHTML, elementAt } from './locators.js';
import { post } from './player.js';
import { hush, play, say } from './speak.js';
import { state, setPageFields } from './state.js';
import { t, uiLang } from './strings.js';

const CONTROLS = 'input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]):not([type=image]),' +
  ' select, textarea';

function on() { return state.settings.fields || state.started; }
function byIds(control, attribute) {
  return (control.getAttribute(attribute) || '').split(/\s+/).map(function (id) {
    return id && document.getElementById(id);
  }).filter(Boolean);
}
// What the page shows of a control now: its label's, hint's and error's elements and texts.
function shown(control) {
  var labels = byIds(control, 'aria-labelledby');
  if (!labels.length && !control.getAttribute('aria-label') && control.labels) labels = Array.from(control.labels);
  var invalid = control.getAttribute('aria-invalid') === 'true';
  var errors = invalid ? byIds(control, 'aria-errormessage') : [];
  var hints = byIds(control, 'aria-describedby').filter(function (e) { return errors.indexOf(e) < 0; });
  var text = function (list) { return squeeze(list.map(function (e) { return e.textContent; }).join(' ')); };
  return { labels: labels, hints: hints, errors: errors, hint: text(hints), error: text(errors) };
}
// Where the label, hint and error are in the description's text, for the highlight.
function segments(field, now) {
  var cps = Array.from(field.text), out = [];
  function add(elements, words, at) {
    if (!elements.length || !words) return;
    if (at === undefined) at = cps.length ? Array.from(field.text.slice(0, Math.max(0, field.text.indexOf(words)))).length : -1;
    if (at >= 0 && field.text.indexOf(words) >= 0) out.push({ elements: elements, at: at, length: Array.from(words).length });
  }
  add(now.labels, field.label, field.label_locator ? field.label_locator.offset : undefined);
  add(now.hints, field.hint);
  add(now.errors, field.error);
  return out;
}
// The page's fields: those of the reading being heard, else of a reading asked for them alone (once).
function pageFields() {
  if (state.reading && !state.stale) return Promise.resolve(state.reading.fields || []);
  if (!state.pageFields) {
    setPageFields(post(areaHTML()).then(function (r) { return r.fields || []; }, function () { return []; }));
  }
  return state.pageFields;
}
// A field the reading does not know as it is now (added later, an error since): described from its fragment.
function describe(control, now) {
  var page = document.implementation.createHTMLDocument('');
  page.documentElement.setAttribute('lang', langOf(control));
  var form = page.createElement('form');
  now.labels.concat([control], now.hints, now.errors).forEach(function (e) {
    var copy = e.cloneNode(true);
    // Nothing typed leaves the page.
    if (copy.removeAttribute) { copy.removeAttribute('value'); if (copy.tagName === 'TEXTAREA') copy.textContent = ''; }
    form.appendChild(copy);
  });
  page.body.appendChild(form);
  return fetch(base + 'v1/fields', {
    method: 'POST', credentials: 'omit', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ html: form.outerHTML, lang: langOf(control) })
  }).then(function (r) { return r.ok ? r.json() : { fields: [] }; }).then(function (doc) { return doc.fields[0]; });
}

/** The description of `control`, played: at once when the reading made it, else described and said. */
export function readField(control) {
  var now = shown(control);
  return pageFields().then(function (fields) {
    var field = fields.filter(function (f) { return elementAt(f.locator.path) === control; })[0];
    // Made with the reading and still what the page shows: plays at once.
    if (field && squeeze(field.error) === now.error && squeeze(field.hint) === now.hint && field.audio) {
      return play(field.audio, field.marks, segments(field, now), 'field');
    }
    return describe(control, now).then(function (d) {
      if (d && document.activeElement === control) return say(d.text, d.lang, segments(d, now), 'field');
    });
  });
}

function onFocus(e) {
  var control = e.target;
  if (!on() || !control.matches || !control.matches(CONTROLS) || control.closest('.qari')) return;
  readField(control).catch(function () { /* silence: the page is still usable */ });
}
// Typing stops the description: the listener knows what to do.
function onTyping(e) {
  var side = state.side;
  if (side && side.kind === 'field' && e.target.matches && e.target.matches(CONTROLS) && e.key !== 'Tab' &&
      e.key !== 'Shift' && !(e.altKey && e.shiftKey)) hush();
}
// A submit that brings errors (the browser's checks, or the portal's script marking fields aria-invalid): the
// first goes to focus, which reads it with its error. (The browser's own checks stop the submit and focus the
// first invalid field themselves: its description says it is required.)
function onSubmit(e) {
  var form = e.target;
  if (!on() || !form.querySelectorAll) return;
  var observer = new MutationObserver(firstError);
  observer.observe(form, { attributes: true, attributeFilter: ['aria-invalid'], subtree: true, childList: true });
  setTimeout(function () { observer.disconnect(); }, 3000);
  function firstError() {
    var bad = form.querySelector('[aria-invalid="true"]');
    if (bad && document.activeElement !== bad) { observer.disconnect(); bad.focus(); }
  }
}
/** Alt+Shift+V: the focused field's value, said on request only; a password never. */
function onValueKey(e) {
  if (!(e.altKey && e.shiftKey && e.code === 'KeyV') || !on()) return;
  var control = document.activeElement;
  if (!control || !control.matches || !control.matches(CONTROLS)) return;
  e.preventDefault();
  var type = (control.getAttribute('type') || '').toLowerCase(), text = null;
  if (type === 'password') text = t.secret;
  else if (type === 'checkbox' || type === 'radio') text = control.checked ? t.checked : t.unchecked;
  else if (control.tagName === 'SELECT') text = squeeze(control.selectedOptions[0] && control.selectedOptions[0].textContent);
  else text = squeeze(control.value);
  // The widget's own words are in its language; what the citizen typed, in the field's.
  var own = !text || text === t.secret || text === t.checked || text === t.unchecked;
  say(text || t.empty, own ? (uiLang === 'zgh' ? 'fr' : uiLang) : langOf(control), [], 'value', true);
}

export function watchFields() {
  document.addEventListener('focusin', onFocus);
  document.addEventListener('keydown', onTyping, true);
  document.addEventListener('keydown', onValueKey);
  document.addEventListener('submit', onSubmit, true);
}
