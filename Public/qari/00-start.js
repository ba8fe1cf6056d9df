/* Qari reader button: press Listen, hear the page, each word highlighted as it is spoken.
 * One tag: <script src="…/widget/qari.js" defer></script>. No inline script or style, no eval, no third-party code.
 * data- attributes on the tag: data-qari-endpoint (the daemon's base URL; default: where this file came from),
 * data-qari-area (a CSS selector of what to read; default: the page's data-qari-read, else the server's choice).
 * Its source is Public/qari/*.js, one file per concern, joined in the order of their names into the one file the
 * portal loads: by the daemon at start (/widget/qari.js), by `make sri` for the Subresource Integrity hash. */
(function () {
  'use strict';
  if (window.qari) return;
  var script = document.currentScript;
  var base = (script && script.getAttribute('data-qari-endpoint')) || (script ? new URL('..', script.src).href : '/');
  if (base.slice(-1) !== '/') base += '/';
  var areaSelector = script && script.getAttribute('data-qari-area');
  var reduceMotion = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  // Narrow and touch screens get the compact player: one row at the bottom, the rest under "more…".
  var compact = window.matchMedia ? window.matchMedia('(max-width: 600px), (pointer: coarse)') : { matches: false };
