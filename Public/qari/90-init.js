  function watch() {
    // A single-page portal that swaps its content: reading stops cleanly, the next press reads the new content.
    var observer = new MutationObserver(function (list) {
      var changed = list.some(function (m) {
        return m.type === 'childList' && !(m.target.closest && m.target.closest('.qari')) &&
          Array.prototype.some.call(m.addedNodes.length ? m.addedNodes : m.removedNodes, function (n) {
            return !(n.nodeType === 1 && (n.classList.contains('qari') || n.classList.contains('qari-mark') ||
              n.classList.contains('qari-shade')));
          });
      });
      if (!changed || stale) return;
      // While reading, only a change to what is being read stops it: ads, carousels and clocks elsewhere do not.
      if (started && !selectionRange && passagesIntact()) return;
      stale = true;
      if (audio && !audio.paused) { audio.pause(); clearHighlights(); announce(t.changed); }
      started = false;
      setLabel();
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    // The reader moving the page by hand (a finger, a wheel, the scroll bar or keys) pauses following.
    function byHand() {
      if (!started || !audio || audio.paused) return;
      following = false;
      if (ui.follow) ui.follow.hidden = false;
    }
    window.addEventListener('scroll', function () { if (!ownScroll) byHand(); }, { passive: true });
    window.addEventListener('touchmove', byHand, { passive: true });
    window.addEventListener('wheel', byHand, { passive: true });
    document.addEventListener('keydown', onKey);
    // The mask's band follows the pointer while nothing plays, and the page as it scrolls.
    document.addEventListener('pointermove', function (e) {
      hoverY = e.clientY;
      if (!audio || audio.paused) placeMask();
    }, { passive: true });
    window.addEventListener('scroll', placeMask, { passive: true });
    document.addEventListener('click', onAreaClick);
  }

  function init() {
    build();
    applyDisplay();
    applyMask();
    watch();
    // html(): the page as the widget sends it to the daemon (what its locators are computed on).
    window.qari = { version: 1, toggle: toggle, stop: stop, html: areaHTML, state: function () {
      return { reading: reading && reading.id, playing: !!(audio && !audio.paused), time: audio ? audio.currentTime : 0,
        source: audio ? audio.currentSrc : null,
        rate: audio ? audio.playbackRate : settings.rate,
        words: words.length, sentences: sentences.length, marksDone: marksDone, settings: settings,
        word: lastWord >= 0 ? words[lastWord] : null, view: !!viewDialog,
        mask: shades ? { top: parseFloat(shades[0].style.height), bottom: parseFloat(shades[1].style.top) } : null,
        // The reading made ready before the press, and how far its audio has loaded (the media element's readyState).
        prepared: prepared && prepared.id && audio && audio.src === prepared.src
          ? { reading: prepared.id, readyState: audio.readyState } : null };
    } };
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
