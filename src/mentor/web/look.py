"""The page's shared look: one stylesheet for every tab (cards, progress bars, status chips, the
map and its legend, plan weeks) and the few page-wide scripts (the topic pickers select their
text on focus so typing searches afresh; a click on the map names its topic to the page; a new
chat answer is shown from its start). A new tab (quiz, review) uses the same classes:
`mentor-card` for a panel, `mentor-note` for a quiet line, `chip <status>` for a status.

Not here: what any tab shows (`ui.py` and the tab modules) or the map's drawing (`graph.py`).
"""

from __future__ import annotations

import html

from mentor.web.graph import FONT, READY_BORDER, STATUS_LOOK

STATUS_WORDS = {"done": "done", "learning": "learning", "skipped": "skipped", "not_started": "not started"}
STATUS_MARKS = {"done": "✓", "learning": "◐", "skipped": "↷", "not_started": "○"}

_CHIPS = "\n".join(
    f".chip.{status.replace('_', '-')} {{ background: {fill}; border-color: {border}; }}"
    for status, (fill, border) in STATUS_LOOK.items()
)

CSS = f"""
.mentor-card {{ border: 1px solid var(--border-color-primary); border-radius: 10px; padding: 12px 16px;
  background: var(--block-background-fill); margin-bottom: 8px; }}
.mentor-note {{ color: var(--body-text-color-subdued); font-size: 0.92em; }}
.welcome h2 {{ margin: 0 0 4px 0; }}
.welcome ul {{ margin: 4px 0 4px 1.2em; }}
.mode-line {{ font-weight: 600; }}
.chip {{ display: inline-block; border: 1.5px solid; border-radius: 12px; padding: 1px 9px; margin: 2px 3px;
  font-size: 0.9em; color: #1b1b1b; white-space: nowrap; }}
{_CHIPS}
.chip.ready {{ border-color: {READY_BORDER}; border-width: 2.5px; }}
.chip.skipped {{ border-style: dashed; color: #607d8b; }}
#map .chip[data-topic], #topic-card .chip[data-topic] {{ cursor: pointer; }}
.chip .mark {{ font-weight: 700; margin-right: 3px; }}
.phase-card summary {{ cursor: pointer; list-style: none; }}
.phase-card summary::-webkit-details-marker {{ display: none; }}
.phase-head {{ display: flex; justify-content: space-between; gap: 12px; font-weight: 600; }}
.bar {{ height: 10px; border-radius: 5px; background: #e3e8ec; overflow: hidden; display: flex; margin: 6px 0; }}
.bar > span {{ display: block; height: 100%; }}
.bar .done {{ background: {STATUS_LOOK["done"][1]}; }}
.bar .skipped {{ background: {STATUS_LOOK["skipped"][1]}; }}
.bar .learning {{ background: {STATUS_LOOK["learning"][1]}; }}
.totals {{ font-size: 1.05em; margin-bottom: 6px; }}
.map-legend {{ display: flex; flex-wrap: wrap; align-items: center; gap: 4px 8px; }}
.map-scroll {{ max-height: 78vh; overflow: auto; border: 1px solid var(--border-color-primary);
  border-radius: 10px; background: #fff; }}
svg.curriculum-map {{ max-width: 100%; height: auto; display: block; margin: 0 auto; }}
svg.curriculum-map text {{ font-family: "{FONT}", sans-serif; }}
svg.curriculum-map g.topic {{ cursor: pointer; }}
svg.curriculum-map a, svg.curriculum-map a text {{ text-decoration: none !important; }}
.topic-card .chip {{ white-space: normal; }}
svg.curriculum-map g.topic:hover path, svg.curriculum-map g.topic:hover polygon {{ stroke-width: 3.5; }}
svg.curriculum-map g.topic.picked path, svg.curriculum-map g.topic.picked polygon {{ stroke: #6a1b9a;
  stroke-width: 4; }}
.topic-card h3 {{ margin-top: 0; }}
.week-card {{ border-left: 4px solid {READY_BORDER}; }}
.week-card ul {{ margin: 4px 0 0 1.2em; }}
.week-why {{ font-style: italic; color: var(--body-text-color-subdued); }}
"""

HEAD = """
<script>
(() => {
  // A topic picker: focusing it selects what it shows, so typing searches afresh. The first text
  // typed after focusing replaces the box even when a re-render has dropped the selection since.
  const picker = (e) => e.target.closest && e.target.closest('.mentor-picker input');
  document.addEventListener('focusin', (e) => {
    const box = picker(e);
    if (!box) return;
    box.dataset.afresh = '1';
    setTimeout(() => box.select(), 0);
  });
  document.addEventListener('keydown', (e) => {
    const box = picker(e);
    if (box && /^(Arrow|Home|End)/.test(e.key)) delete box.dataset.afresh;  // the learner edits in place
  });
  document.addEventListener('beforeinput', (e) => {
    const box = picker(e);
    if (!box || box.dataset.afresh !== '1') return;
    delete box.dataset.afresh;
    if ((e.inputType || '').startsWith('insert') && box.selectionStart === box.selectionEnd) box.value = '';
  });
  // A click on a topic of the map: name it to the page (a hidden box the page listens to).
  document.addEventListener('click', (e) => {
    const node = e.target.closest && e.target.closest(
      'svg.curriculum-map g.topic, #map .chip[data-topic], #topic-card .chip[data-topic]');
    const box = document.querySelector('#map-picked textarea, #map-picked input');
    if (!node || !box) return;
    document.querySelectorAll('svg.curriculum-map g.topic.picked').forEach((g) => g.classList.remove('picked'));
    node.classList.add('picked');
    box.value = (node.dataset.topic || node.id.replace(/^topic-/, '')) + '@' + Date.now();
    box.dispatchEvent(new Event('input', { bubbles: true }));
  });
  // A new chat answer: keep the question that asked it at the top, so the answer reads from its start.
  let asked = 0;
  new MutationObserver(() => {
    const chat = document.querySelector('#chat');
    if (!chat) return;
    const questions = chat.querySelectorAll('.message-row.user-row, [data-testid="user"]');
    if (questions.length === asked) return;
    asked = questions.length;
    const last = questions[questions.length - 1];
    const scroller = last && last.closest('.bubble-wrap, [role="log"]');
    if (scroller) setTimeout(() => { scroller.scrollTop = last.offsetTop - 8; }, 50);
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
</script>
"""


def chip(title: str, status: str, ready: bool = False, topic_id: str = "") -> str:
    """A topic as a coloured chip: mark, name and (for a screen reader) the status in words."""
    classes = f"chip {status.replace('_', '-')}" + (" ready" if ready else "")
    words = STATUS_WORDS.get(status, status) + (", you can start it now" if ready else "")
    data = f' data-topic="{html.escape(topic_id)}"' if topic_id else ""
    return (
        f'<span class="{classes}"{data} title="{html.escape(words)}">'
        f'<span class="mark" aria-label="{html.escape(words)}">{STATUS_MARKS.get(status, "")}</span>'
        f"{html.escape(title)}</span>"
    )
