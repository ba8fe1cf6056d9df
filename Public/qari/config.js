// What the page asks of the widget, read once from its own <script> tag, and what the browser says of the reader.
const script = document.currentScript;
const endpoint = (script && script.getAttribute('data-qari-endpoint')) ||
  (script ? new URL('..', script.src).href : '/');
/** The daemon's base URL, ending in '/'. */
export const base = endpoint.slice(-1) === '/' ? endpoint : endpoint + '/';
/** A CSS selector of what to read, or null. */
export const areaSelector = script && script.getAttribute('data-qari-area');
export const reduceMotion = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
/** Narrow and touch screens get the compact player: one row at the bottom, the rest under "more…". */
export const compact = window.matchMedia ? window.matchMedia('(max-width: 600px), (pointer: coarse)') : { matches: false };
/** Ready before the press (player.js), unless data-qari-prefetch="off". */
export const prefetch = !(script && script.getAttribute('data-qari-prefetch') === 'off');
