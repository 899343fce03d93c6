"""'Why is that first?', 'why does X come so early?': why a topic sits where it does in the
learning order, from the graph (what it needs, how much builds on it) and the roadmap passage
that places it. After a plan, "that" is the plan's first topic (`knowledge.answer_plan` leaves
it in the conversation's memory).

Not here: the order of two named topics (`shapes.py`), or a topic's prerequisites alone
(`knowledge.answer_prereqs`).
"""

from __future__ import annotations

from mentor.assistant.offline.draft import Draft, resolve_topic, short_title
from mentor.assistant.router import Intent
from mentor.assistant.tools import Toolbox

SETTLED = ("done", "skipped")


def answer_why_order(intent: Intent, message: str, tb: Toolbox, memory, mode_note: str) -> Draft:
    cur = tb.deps.curriculum
    topic = resolve_topic(intent, message, memory, cur)
    if topic is None:
        return Draft('Which topic do you mean? For example: "why is Python fundamentals first?"')
    memory.last_topic = topic
    statuses = tb.deps.progress.statuses(tb.learner)
    lines = [_needs(cur, topic, statuses) + _unlocks(cur, topic)]
    numbers = tb.cite_topic(topic, limit=1)
    phase = cur.phase_titles.get(topic.phase, topic.phase)
    place = f"The roadmaps put it in the {short_title(phase)} phase"
    if numbers:
        quote = tb.quotes.get(numbers[0])
        place += f': "{quote}" [{numbers[0]}]' if quote else f" [{numbers[0]}]."
    lines.append(place if numbers else place + ".")
    lines.append(
        "Plans take the topics you can start in the roadmaps' reconciled order, never a topic before its prerequisites."
    )
    return Draft("\n".join(lines), topic=topic)


def _needs(cur, topic, statuses: dict[str, str]) -> str:
    title = short_title(topic.title)
    if not topic.prerequisites:
        said = f"{title} can come first because it needs nothing else: the roadmaps give it no prerequisites"
        alongside = [short_title(cur.topics[p].title) for p in topic.parallel]
        return said + (f"; learn it alongside {', '.join(alongside)}" if alongside else "")
    names = [short_title(cur.topics[p].title) for p in topic.prerequisites]
    open_ = [short_title(cur.topics[p].title) for p in topic.prerequisites if statuses.get(p) not in SETTLED]
    said = f"{title} comes after {', '.join(names)}, which it builds on"
    if open_:
        return said + f" (still to do for you: {', '.join(open_)})"
    return said + " (you have done them)"


def _unlocks(cur, topic) -> str:
    later = cur.descendants(topic.id)
    if not later:
        soft = [short_title(t.title) for t in sorted(cur.topics.values(), key=lambda t: t.order) if topic.id in t.after]
        if soft:
            return f"; the roadmaps put {', '.join(soft[:4])} after it."
        return "; no other topic builds on it."
    direct = [short_title(cur.topics[s].title) for s in sorted(cur.successors(topic.id), key=cur.sort_key)][:4]
    return (
        f"; {len(later)} of the {len(cur.topics)} topics build on it, directly or through others "
        f"(first of all {', '.join(direct)})."
    )


WHY_HANDLERS = {"why_order": answer_why_order}
