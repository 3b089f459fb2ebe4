"""The chat UI's style sheet and page script.

Both travel inside the Blocks (a hidden gr.HTML's `head` and `js_on_load`), because
`gr.mount_gradio_app` resets any css/js/head given to the Blocks itself when the API mounts the UI.
"""

from __future__ import annotations

CSS = """
.verdict-badge{display:inline-block;padding:3px 12px;border-radius:999px;font-weight:700;font-size:.85rem;
  letter-spacing:.04em;text-transform:uppercase;color:#fff;background:#64748b;margin-right:8px}
.verdict-buy{background:#15803d}.verdict-build{background:#b45309}.verdict-hybrid{background:#6d28d9}
.verdict-depends{background:#0369a1}.verdict-refused{background:#e2e8f0;color:#334155}
.verdict-guidance{background:#475569}.verdict-pending{background:#cbd5e1;color:#334155}
.verdict-error{background:#b91c1c}
.advisor-component{color:#475569;font-weight:600}
.advisor-basis{margin-left:8px;color:#64748b;font-size:.8em;font-style:italic}
.advisor-sources{margin-top:10px;border-top:1px solid #e2e8f0;padding-top:6px}
.advisor-sources summary{cursor:pointer;font-weight:600}
.advisor-source{margin:8px 0;padding:2px 6px;border-radius:6px;scroll-margin:40px}
.advisor-source-hit{background:#eef2ff;outline:2px solid #a5b4fc}
.src-n{font-weight:700;color:#4338ca}.src-title{font-size:.95em}
.src-section{color:#475569;font-style:italic}.src-snippet{color:#334155;font-size:.9em;margin-top:2px}
.src-file{color:#64748b;font-size:.8em;font-family:ui-monospace,monospace}
a.advisor-cite{color:#4338ca;text-decoration:none;font-weight:600;cursor:pointer}
a.advisor-cite:hover,a.advisor-cite:focus{text-decoration:underline}
.advisor-error-text{color:#991b1b}
#advisor-title h1{margin-bottom:0}
#advisor-new button,#advisor-send,#advisor-new{white-space:nowrap}
#advisor-count{font-size:.85rem;color:#475569;padding:0 2px 4px;min-height:0}
#advisor-count:empty{display:none}
#advisor-count.over{color:#b91c1c;font-weight:600}
#advisor-send.advisor-blocked{opacity:.55}
#kb-matrix th .header,#kb-docs th .header{white-space:nowrap;word-break:normal}
#kb-matrix td,#kb-docs td{word-break:normal;overflow-wrap:anywhere}
@media (max-width: 640px){
  #advisor-title h1{font-size:1.35rem}
  #advisor-title p{display:none}
  #advisor-chat{height:calc(100svh - 290px) !important;min-height:260px !important}
  #advisor-input-row{flex-wrap:wrap !important;gap:8px !important}
  #advisor-input-row > .form{flex:1 1 100% !important;min-width:0 !important}
  #advisor-send,#advisor-new{flex:1 1 0 !important;min-width:0 !important;width:auto !important}
}
"""

# Installed once per page (the guard makes a second load a no-op). Four jobs:
# 1. "Copy message" puts the answer's Markdown (the head's data-md) on the clipboard, not its HTML;
#    a user message is copied as typed (without the escapes that keep it literal on screen).
# 2. A new answer's start (badge + lead, under the question when it is short) is kept at the top of the
#    chat while it streams, instead of the chat scrolling to its end; any scroll by the reader stops that.
# 3. A [n] marker opens the sources panel of its answer and shows source n.
# 4. A live character counter under the question box flags a question over the limit before sending.
JS = r"""
(() => {
  if (window.__advisorUi) return;
  window.__advisorUi = true;
  const MAX = __MAX__;
  const chat = () => document.getElementById('advisor-chat');
  let copyFrom = null;

  const markdownOf = (text) => {
    if (typeof text !== 'string') return null;
    if (text.indexOf('advisor-head') >= 0) {
      const head = new DOMParser().parseFromString(text, 'text/html').querySelector('.advisor-head[data-md]');
      if (head) return head.getAttribute('data-md');
    }
    if (copyFrom && copyFrom.classList.contains('user-row')) {
      const t = document.createElement('textarea');
      t.innerHTML = text.replace(/\\([\\`*_{}\[\]()#+\-.!|~=:$"'])/g, '$1');
      return t.value;
    }
    return null;
  };
  document.addEventListener('click', (e) => {
    const b = e.target.closest && e.target.closest('#advisor-chat button');
    copyFrom = b ? b.closest('.message-row') : null;
  }, true);
  const clip = navigator.clipboard;
  if (clip && clip.writeText) {
    const write = clip.writeText.bind(clip);
    clip.writeText = (text) => { const md = markdownOf(text); copyFrom = null; return write(md === null ? text : md); };
  }
  document.addEventListener('copy', (e) => {  // the fallback path without the Clipboard API (plain http)
    const t = e.target;
    const md = t && typeof t.value === 'string' ? markdownOf(t.value) : null;
    if (md !== null && e.clipboardData) { e.clipboardData.setData('text/plain', md); e.preventDefault(); }
  }, true);

  let seen = 0, pin = -1, moved = false;
  const scroller = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p).overflowY;
      if ((s === 'auto' || s === 'scroll') && p.scrollHeight > p.clientHeight + 1) return p;
    }
    return null;
  };
  const align = (head) => {
    let row = head.closest('.message-row') || head;
    const box = scroller(row);
    if (box) {
      let ask = row.previousElementSibling;  // the question just above, when it is short enough to show too
      while (ask && !ask.classList.contains('message-row')) ask = ask.previousElementSibling;
      if (ask && ask.classList.contains('user-row') && ask.offsetHeight < box.clientHeight * 0.3) row = ask;
      const d = row.getBoundingClientRect().top - box.getBoundingClientRect().top - 4;
      if (Math.abs(d) > 1) box.scrollTop += d;
    }
    const r = head.getBoundingClientRect();
    if (r.top < 0 || r.bottom > window.innerHeight) window.scrollBy(0, r.top - 80);
  };
  const onChange = () => {
    const c = chat();
    if (!c) return;
    const heads = c.querySelectorAll('.advisor-head');
    const n = heads.length;
    if (n < seen) { seen = n; pin = -1; }
    if (n > seen) { seen = n; pin = n - 1; moved = false; }
    if (pin >= 0 && pin < n) {
      const head = heads[pin];
      if (!moved) align(head);
      if (!head.querySelector('.verdict-pending')) pin = -1;  // finished: aligned once more, then let go
    }
  };
  new MutationObserver(onChange).observe(document.body, {childList: true, subtree: true, characterData: true});
  for (const type of ['wheel', 'touchmove', 'keydown']) {
    document.addEventListener(type, (e) => {
      const c = chat();
      if (c && c.contains(e.target)) moved = true;
    }, {capture: true, passive: true});
  }

  document.addEventListener('click', (e) => {
    const a = e.target.closest && e.target.closest('a.advisor-cite');
    if (!a) return;
    e.preventDefault();
    e.stopPropagation();
    const src = document.getElementById((a.getAttribute('href') || '').slice(1));
    if (!src) return;
    const panel = src.closest('details');
    if (panel) panel.open = true;
    document.querySelectorAll('.advisor-source-hit').forEach((x) => x.classList.remove('advisor-source-hit'));
    src.classList.add('advisor-source-hit');
    moved = true;
    pin = -1;
    src.scrollIntoView({block: 'nearest'});
  }, true);

  const fmt = (n) => n.toLocaleString('en-US');
  const count = () => {
    const q = document.getElementById('advisor-question');
    const box = q && q.querySelector('textarea');
    if (!box) return;
    let out = document.getElementById('advisor-count');
    if (!out) {
      out = document.createElement('div');
      out.id = 'advisor-count';
      out.setAttribute('role', 'status');
      out.setAttribute('aria-live', 'polite');
      q.insertBefore(out, q.querySelector('label') || q.firstChild);  // above the box: seen however tall it grows
    }
    const n = [...box.value.trim()].length;
    const over = n > MAX;
    const text = over
      ? fmt(n) + ' / ' + fmt(MAX) + ' characters: ' + fmt(n - MAX) + ' over the limit. Shorten the question before asking.'
      : n >= MAX * 0.8 ? fmt(n) + ' / ' + fmt(MAX) + ' characters' : '';
    if (out.textContent !== text) out.textContent = text;
    if (over && !out.classList.contains('over')) out.scrollIntoView({block: 'nearest'});
    out.classList.toggle('over', over);
    box.setAttribute('aria-invalid', over ? 'true' : 'false');
    const send = document.getElementById('advisor-send');
    if (send) send.classList.toggle('advisor-blocked', over);
  };
  document.addEventListener('input', (e) => { if (e.target.closest && e.target.closest('#advisor-question')) count(); }, true);
  setInterval(count, 400);  // also catches the box being cleared or filled by the app itself
  onChange();
  count();
})();
"""


def page_script(max_question_chars: int) -> str:
    """The page script with this deployment's question limit."""
    return JS.replace("__MAX__", str(int(max_question_chars)))
