// The widget's one state object. Other modules read `state.x`; only the functions below change it (the view is
// frozen and has getters only, so an assignment from elsewhere throws).

// Settings, remembered; applied as soon as this script runs: before the first paint when the tag is in <head>
// with `defer blocking="render"` (the mode's stylesheet is remembered too, see display.js).
// fields: read each form field on focus; point: click (or tap) to listen. Both off until the reader turns them on.
const defaults = {
  rate: 1, variety: 'zgh', contrast: 'off', size: 100, singleKeys: false, mask: false, fields: false, point: false
};
function remembered() {
  const settings = Object.assign({}, defaults);
  try {
    var saved = JSON.parse(localStorage.getItem('qari-settings') || '{}');
    Object.keys(settings).forEach(function (k) { if (saved[k] !== undefined) settings[k] = saved[k]; });
  } catch (e) { /* storage may be off: defaults */ }
  return Object.freeze(settings);
}

const fields = {
  settings: remembered(),
  // The player's elements, once built.
  ui: Object.freeze({}),
  // The one audio element, unlocked by the first press, and the reading it plays.
  audio: null, reading: null, controller: null,
  // The reading's marks as they stream in: words, sentences, each passage's first word, the audio's length.
  words: [], sentences: [], passageStarts: [], duration: 0, marksDone: false,
  // Started: a reading was asked for; stale: the next press asks again (the page or the variety changed).
  stale: true, started: false, selectionRange: null,
  // Each passage's locators resolved to the page's nodes.
  resolved: [],
  // The highlighter: its animation frame, the word and sentence shown, boxes drawn where the API is missing.
  frame: 0, lastWord: -1, lastSentence: -1, overlay: [],
  // The audio time a word was last placed in the page, and the passage highlighted whole when none could be.
  placedAt: 0, fallback: -1,
  // Following the spoken sentence: off while the reader scrolls by hand; ownScroll while the widget scrolls.
  following: true, lastRange: null, ownScroll: false,
  // The reading made ready before the press (hover or focus), and the pending timer that asks for it.
  prepared: null, intentTimer: 0,
  // The reader view (a dialog) and its text nodes, one per passage.
  viewDialog: null, viewTexts: [],
  // The reading mask's two shades and the pointer's height.
  shades: null, hoverY: null,
  // Display modes: the mode's stylesheet, the inline styles set aside, the page's own viewport, the remembered sheet.
  displayLink: null, setAside: [], viewportKept: null, rememberedSheet: null,
  // The short utterance playing beside the page's reading (a field, a clicked text, a link's name): its audio,
  // its word marks, where its words are in the page; and the page's fields asked for before any press.
  side: null, pageFields: null,
  // The last press of Listen, step by step (performance.now() times): pressed, page gathered, reading answered,
  // audio asked for, first sound, first word highlighted. For /metrics and the benchmarks; never page text.
  profile: null
};

/** The state, read-only: `state.audio`, `state.settings.rate`, … */
export const state = Object.freeze(Object.keys(fields).reduce(function (view, k) {
  return Object.defineProperty(view, k, { get: function () { return fields[k]; }, enumerable: true });
}, {}));

/** Changes settings and remembers them. */
export function updateSettings(changes) {
  fields.settings = Object.freeze(Object.assign({}, fields.settings, changes));
  try { localStorage.setItem('qari-settings', JSON.stringify(fields.settings)); } catch (e) { /* not remembered */ }
}
/** Adds elements of the player (`null` removes one). */
export function addElements(elements) { fields.ui = Object.freeze(Object.assign({}, fields.ui, elements)); }
export function setAudio(audio) { fields.audio = audio; }
export function setController(controller) { fields.controller = controller; }

/** A reading begins: its marks are yet to come, nothing is highlighted. */
export function beginReading(reading, selection) {
  fields.reading = reading;
  fields.selectionRange = selection || null;
  fields.stale = false;
  fields.started = true;
  fields.words = []; fields.sentences = []; fields.passageStarts = []; fields.duration = 0; fields.marksDone = false;
  fields.lastWord = fields.lastSentence = -1;
  fields.placedAt = 0;
  fields.fallback = -1;
  // Its passages are found in the page right after (player.js): until then no word of another reading is placed.
  fields.resolved = [];
}
/** Marks a step of the last press (`step` is a name of `profile`), the first time only. */
export function profileStep(step, at) {
  if (step === 'pressed') fields.profile = {};
  if (fields.profile && fields.profile[step] === undefined) fields.profile[step] = at === undefined ? performance.now() : at;
}
/** The player is closed: the next press asks for a reading again. */
export function endReading() {
  fields.started = false;
  fields.stale = true;
  fields.reading = null;
}
/** The next press asks for a new reading (the page or the voice changed). */
export function markStale() { fields.stale = true; }
export function setStarted(started) { fields.started = started; }
/** One mark of the reading's stream. */
export function addMark(m) {
  if (m.type === 'end') { fields.duration = m.duration_ms / 1000; fields.marksDone = true; return; }
  m.t = m.time_ms / 1000;
  if (m.type === 'word') fields.words.push(m);
  else if (m.type === 'sentence') fields.sentences.push(m);
  if (m.type === 'word' && fields.passageStarts[m.passage] === undefined) fields.passageStarts[m.passage] = m;
}
export function setResolved(resolved) { fields.resolved = resolved; }

export function setFrame(frame) { fields.frame = frame; }
export function setLastWord(i) { fields.lastWord = i; }
export function setLastSentence(i) { fields.lastSentence = i; }
/** Nothing highlighted yet: the next frame highlights the word and sentence afresh. */
export function forgetPosition() { fields.lastWord = fields.lastSentence = -1; }
export function setOverlay(overlay) { fields.overlay = overlay; }
/** A word was placed in the page at audio time `t` (the fallback ends); or passage `i` is highlighted whole. */
export function setPlaced(t) { fields.placedAt = t; fields.fallback = -1; }
export function setFallback(i) { fields.fallback = i; }

export function setFollowing(following) { fields.following = following; }
export function setLastRange(range) { fields.lastRange = range; }
export function setOwnScroll(own) { fields.ownScroll = own; }

export function setPrepared(prepared) { fields.prepared = prepared; }
export function setIntentTimer(timer) { fields.intentTimer = timer; }

/** The reader view opened (its dialog and text nodes) or closed (null, []). */
export function setView(dialog, texts) { fields.viewDialog = dialog; fields.viewTexts = texts; }
export function setShades(shades) { fields.shades = shades; }
export function setHoverY(y) { fields.hoverY = y; }

export function setDisplayLink(link) { fields.displayLink = link; }
export function setSetAside(list) { fields.setAside = list; }
export function setViewportKept(content) { fields.viewportKept = content; }
export function setRememberedSheet(sheet) { fields.rememberedSheet = sheet; }

/** A short utterance begins ({audio, words, segments, kind}), or none plays (null). */
export function setSide(side) { fields.side = side; }
/** The page's reading asked for its fields alone (a promise), or forgotten (null). */
export function setPageFields(promise) { fields.pageFields = promise; }
