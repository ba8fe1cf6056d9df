// The player's elements: Listen, the toolbar, messages, the settings panel; placed in the page's top layer.
import { compact } from './config.js';
import { toggle, stop, close, retry, jumpSentence, jumpPassage, toggleSettings, readSelection } from './controls.js';
import { applyDisplay } from './display.js';
import { el, icon, button } from './dom.js';
import { resumeFollowing, followNow } from './highlighter.js';
import { toggleMask } from './mask.js';
import { intent, cancelIntent } from './player.js';
import { setPoint } from './point.js';
import { openReport } from './report.js';
import { state, addElements, updateSettings, markStale } from './state.js';
import { rate } from './status.js';
import { t, uiLang, rtl } from './strings.js';
import { openView } from './view.js';

/** Builds the player and puts it in the page. */
export function build() {
  var ui = {};
  var root = el('div', { 'class': 'qari', role: 'region', 'aria-label': t.player, 'data-qari-skip': '',
    lang: uiLang === 'zgh' ? 'fr' : uiLang, dir: rtl ? 'rtl' : 'ltr', translate: 'no' });
  ui.root = root;
  ui.label = el('span', { text: t.listen });
  if (uiLang === 'zgh') ui.label.setAttribute('lang', 'zgh');
  ui.listen = el('button', { type: 'button', 'class': 'qari-listen', 'aria-expanded': 'false',
    on: { click: toggle, pointerenter: function () { intent(65); }, focus: function () { intent(100); },
      pointerleave: cancelIntent } }, [icon('play'), ui.label]);
  ui.status = el('div', { 'class': 'qari-status', role: 'status', 'aria-live': 'polite' });
  ui.message = el('p', { 'class': 'qari-message', hidden: '' });
  ui.retry = el('button', { type: 'button', 'class': 'qari-retry', hidden: '', text: t.retry, on: { click: retry } });
  ui.speed = el('select', { 'class': 'qari-speed', 'aria-label': t.speed, title: t.speed,
    on: { change: function () { updateSettings({ rate: +ui.speed.value }); rate(); } } },
    [0.75, 1, 1.25, 1.5, 1.75, 2].map(function (r) {
      return el('option', { value: String(r), text: r.toLocaleString(uiLang === 'ar' ? 'ar-MA' : 'fr-MA') + '×' });
    }));
  ui.speed.value = String(state.settings.rate);
  ui.progress = el('progress', { 'class': 'qari-progress', max: '1', 'aria-label': t.progress });
  ui.time = el('span', { 'class': 'qari-time', 'aria-hidden': 'true', dir: 'ltr' });
  ui.download = el('a', { 'class': 'qari-download', 'aria-label': t.download, title: t.download, download: '' },
    [icon('download')]);
  ui.settingsButton = button('settings', t.settings, toggleSettings);
  ui.settingsButton.setAttribute('aria-expanded', 'false');
  ui.more = button('more', t.more, toggleMore);
  ui.more.setAttribute('aria-expanded', 'false');
  ui.follow = button('follow', t.follow, function () { resumeFollowing(); followNow(); });
  ui.follow.hidden = true;
  ui.report = button('report', t.report, openReport);
  // .qari-wide: only under "more…" in the compact player.
  function wide(e) { e.classList.add('qari-wide'); return e; }
  ui.toolbar = el('div', { 'class': 'qari-toolbar', role: 'toolbar', 'aria-label': t.player, hidden: '' }, [
    wide(button('stop', t.stop, stop)), wide(button('prevP', t.prevP, function () { jumpPassage(-1); }, true)),
    button('prevS', t.prevS, function () { jumpSentence(-1); }, true),
    button('nextS', t.nextS, function () { jumpSentence(1); }, true),
    wide(button('nextP', t.nextP, function () { jumpPassage(1); }, true)), ui.speed, wide(ui.progress),
    wide(ui.time), wide(button('reader', t.view, openView)), wide(ui.report),
    wide(ui.download), wide(ui.settingsButton), wide(button('close', t.close, close)), ui.follow, ui.more]);
  addElements(ui);
  ui.settings = buildSettings();
  addElements({ settings: ui.settings });
  root.appendChild(ui.listen);
  root.appendChild(button('select', t.selection, readSelection));
  root.lastChild.classList.add('qari-wide');
  root.appendChild(ui.toolbar);
  root.appendChild(ui.message);
  root.appendChild(ui.retry);
  root.appendChild(ui.settings);
  root.appendChild(ui.status);
  var slot = document.querySelector('[data-qari-button]');
  if (slot) slot.appendChild(root);
  else {
    document.body.insertBefore(root, document.body.firstChild);
    // In the top layer (a popover): never under the page's fixed headers, cookie banners or invisible overlays,
    // whatever their z-index. First in the body, so still the first stop for the keyboard; an empty box in the
    // page's flow keeps its place, so the page lays out as with the player in it, and the player sits on it.
    if (root.showPopover) {
      var space = el('div', { 'class': 'qari-space', 'aria-hidden': 'true', 'data-qari-skip': '' });
      addElements({ space: space });
      document.body.insertBefore(space, root);
      root.setAttribute('popover', 'manual');
      root.showPopover();
      place();
      if (window.ResizeObserver) new ResizeObserver(place).observe(root);
      if (compact.addEventListener) compact.addEventListener('change', place);
      window.addEventListener('resize', place);
    }
  }
  ui.settingsButton.setAttribute('aria-controls', ui.settings.id);
}

function toggleMore() {
  var ui = state.ui, open = !ui.root.classList.contains('qari-more-open');
  ui.root.classList.toggle('qari-more-open', open);
  ui.more.setAttribute('aria-expanded', String(open));
}

// The player over its box in the page: the box as tall as the player, the player where the box is.
function place() {
  var ui = state.ui;
  if (!ui.space) return;
  if (compact.matches) {
    // At the bottom of the viewport (the stylesheet), taking no room in the page.
    ['top', 'left', 'width'].forEach(function (p) { ui.root.style.removeProperty(p); });
    ui.space.style.setProperty('height', '0px', 'important');
    return;
  }
  ui.space.style.setProperty('height', ui.root.offsetHeight + 'px', 'important');
  var r = ui.space.getBoundingClientRect();
  ui.root.style.setProperty('top', (r.top + window.scrollY) + 'px', 'important');
  ui.root.style.setProperty('left', (r.left + window.scrollX) + 'px', 'important');
  ui.root.style.setProperty('width', r.width + 'px', 'important');
}

function radio(name, value, label, checked, onChange) {
  var input = el('input', { type: 'radio', name: name, value: value });
  input.checked = checked;
  input.addEventListener('change', onChange);
  return el('label', {}, [input, el('span', { text: label })]);
}
function buildSettings() {
  var settings = state.settings;
  var contrast = el('fieldset', {}, [el('legend', { text: t.contrast })].concat(['off', 'dark', 'light'].map(function (v) {
    return radio('qari-contrast', v, t[v], settings.contrast === v, function () {
      updateSettings({ contrast: v }); applyDisplay();
    });
  })));
  var size = el('select', { 'aria-label': t.size, on: { change: function () {
    updateSettings({ size: +size.value }); applyDisplay(); } } },
    [100, 150, 200, 250, 300].map(function (s) { return el('option', { value: String(s), text: s + '%' }); }));
  size.value = String(settings.size);
  var variety = el('select', { 'aria-label': t.variety, on: { change: function () {
    updateSettings({ variety: variety.value }); markStale(); } } },
    ['zgh', 'shi', 'tzm', 'rif'].map(function (v) {
      return el('option', { value: v, text: t[v], lang: uiLang === 'zgh' ? 'zgh' : uiLang });
    }));
  variety.value = settings.variety;
  var single = el('input', { type: 'checkbox', on: { change: function () {
    updateSettings({ singleKeys: single.checked }); } } });
  var maskToggle = el('input', { type: 'checkbox', 'class': 'qari-mask-toggle', on: { change: function () {
    if (maskToggle.checked !== state.settings.mask) toggleMask(); } } });
  addElements({ maskToggle: maskToggle });
  maskToggle.checked = settings.mask;
  var fieldsToggle = el('input', { type: 'checkbox', on: { change: function () {
    updateSettings({ fields: fieldsToggle.checked }); } } });
  fieldsToggle.checked = settings.fields;
  var pointToggle = el('input', { type: 'checkbox', on: { change: function () { setPoint(pointToggle.checked); } } });
  pointToggle.checked = settings.point;
  addElements({ fieldsToggle: fieldsToggle, pointToggle: pointToggle });
  single.checked = settings.singleKeys;
  var keys = el('ul', { 'class': 'qari-keys' }, [
    ['Alt+Shift+P', t.pause + ' / ' + t.resume], ['Alt+Shift+S', t.stop], ['Alt+Shift+→ / ←', t.nextS + ' / ' + t.prevS],
    ['Alt+Shift+↓ / ↑', t.nextP + ' / ' + t.prevP], ['Alt+Shift+M', t.mask], ['Alt+Shift+V', t.value],
    ['k · j · l', t.single]
  ].map(function (k) { return el('li', {}, [el('kbd', { text: k[0], dir: 'ltr' }), el('span', { text: ' : ' + k[1] })]); }));
  return el('div', { 'class': 'qari-panel', id: 'qari-settings', role: 'group', 'aria-label': t.settings, hidden: '' }, [
    contrast, el('label', {}, [el('span', { text: t.size }), size]), el('label', {}, [el('span', { text: t.variety }), variety]),
    el('label', {}, [maskToggle, el('span', { text: t.mask })]),
    el('label', {}, [fieldsToggle, el('span', { text: t.fields })]),
    el('label', {}, [pointToggle, el('span', { text: t.point })]),
    // The keys are Latin letters in any page's language: isolated, so Arabic text does not reorder them.
    el('label', {}, [single, el('span', { text: t.single }), el('bdi', { dir: 'ltr', lang: 'en', text: 'k · j · l' })]),
    el('p', { text: t.keys }), keys]);
}
