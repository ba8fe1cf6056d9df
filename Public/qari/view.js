// The reader view: the reading's passages alone, in a modal dialog that follows the reader's size and contrast;
// headings, lists and tables kept; the spoken word highlighted there too.
import { seek, toggle } from './controls.js';
import { el, button, keepFocusIn } from './dom.js';
import { clearHighlights, update } from './highlighter.js';
import { state, addElements, forgetPosition, setView } from './state.js';
import { t, rtl, pageLang } from './strings.js';

const BLOCKS = /^(H[1-6]|P|LI|DT|DD|TD|TH|BLOCKQUOTE|FIGCAPTION|CAPTION|PRE)$/;
function blockOf(i) {
  var resolved = state.resolved;
  var run = resolved[i] && resolved[i].runs.filter(function (r) { return r.node && !r.l.attribute; })[0];
  var n = run && (run.node.nodeType === 1 ? run.node : run.node.parentElement);
  while (n && n !== document.body && !BLOCKS.test(n.tagName)) n = n.parentElement;
  return n && n !== document.body ? n : null;
}
// The copy of an original container (a list, a table, a row) in the view, made once, in reading order.
function copyOf(original, made, into) {
  if (made.has(original)) return made.get(original);
  var copy = document.createElement(original.tagName.toLowerCase());
  ['colspan', 'rowspan', 'scope', 'start'].forEach(function (a) {
    if (original.hasAttribute(a)) copy.setAttribute(a, original.getAttribute(a));
  });
  into.appendChild(copy);
  made.set(original, copy);
  return copy;
}
// The view's body, and its text nodes (one per passage).
function viewContent() {
  var body = el('div', { 'class': 'qari-readerview-body' }), made = new Map(), texts = [];
  state.reading.passages.forEach(function (p, i) {
    var block = blockOf(i), tag = block ? block.tagName : 'P', holder = block && made.get(block);
    if (!holder) {
      var into = body;
      if (/^(LI|DT|DD)$/.test(tag) && block.parentElement) into = copyOf(block.parentElement, made, body);
      if (/^(TD|TH)$/.test(tag) && block.closest('table') && block.parentElement) {
        into = copyOf(block.parentElement, made, copyOf(block.closest('table'), made, body));
      }
      // Headings, paragraphs, list items and cells as they were; anything else (a caption) a paragraph.
      var keep = block && /^(H[1-6]|P|LI|DT|DD|TD|TH|BLOCKQUOTE|PRE)$/.test(tag);
      holder = keep ? copyOf(block, made, into) : into.appendChild(el('p'));
      if (block && !keep) made.set(block, holder);
    }
    if (holder.childNodes.length) holder.appendChild(document.createTextNode(' '));
    var span = el('span', { 'data-passage': String(i), lang: p.lang, text: p.text });
    holder.appendChild(span);
    texts[i] = span.firstChild;
  });
  return { body: body, texts: texts };
}
export function openView() {
  var reading = state.reading;
  if (!reading || state.viewDialog) return;
  var opener = document.activeElement;
  addElements({ viewListen: el('button', { type: 'button', 'class': 'qari-readerview-listen', on: { click: toggle } },
    [el('span', { text: state.ui.label.textContent })]) });
  var title = el('h2', { 'class': 'qari-readerview-title', id: 'qari-readerview-title',
    text: reading.title || t.view });
  var content = viewContent(), body = content.body;
  body.addEventListener('click', function (e) {
    var span = e.target.closest && e.target.closest('[data-passage]');
    var from = span && state.passageStarts[+span.getAttribute('data-passage')];
    if (!from || !state.audio) return;
    seek(from.t);
    if (state.audio.paused) state.audio.play().catch(function () {});
  });
  var dialog = el('dialog', { 'class': 'qari-readerview', 'aria-labelledby': 'qari-readerview-title',
    dir: rtl ? 'rtl' : 'ltr', lang: pageLang }, [
    el('div', { 'class': 'qari-readerview-bar' }, [state.ui.viewListen, button('close', t.closeView, closeView)]),
    title, body]);
  setView(dialog, content.texts);
  dialog.addEventListener('close', function () {
    dialog.remove();
    setView(null, []);
    addElements({ viewListen: null });
    forgetPosition();
    if (state.audio && !state.audio.paused) update(); else clearHighlights();
    if (opener && opener.isConnected) opener.focus();
  });
  keepFocusIn(dialog);
  state.ui.root.appendChild(dialog);
  dialog.showModal();
  forgetPosition();
  if (state.audio && !state.audio.paused) update();
}
function closeView() { if (state.viewDialog) state.viewDialog.close(); }
