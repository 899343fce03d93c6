"""The offline mode's answers about the learner: progress statements, undo, profile and "how
far am I". Every change goes through a tool (`update_progress`, `undo_progress`,
`update_profile`), which applies the same write guard as in LLM mode.

Not here: answers about the roadmaps (`knowledge.py`), the dispatch (`compose.py`).
"""

from __future__ import annotations

import re

from mentor.assistant.offline.draft import Draft
from mentor.assistant.offline.knowledge import answer_next
from mentor.assistant.router import Intent
from mentor.assistant.topics import mentioned_topic

PRONOUN = re.compile(r"\b(it|that|this)\b", re.IGNORECASE)


def answer_undo(intent, message, tb, memory, mode_note) -> Draft:
    result = tb.run("undo_progress")
    data = result.data or {}
    if "refused" in data:
        return Draft(f"I haven't undone anything: {data['refused']}.")
    undone = data.get("undone")
    if undone is None:
        return Draft("There is nothing to undo.")
    return Draft(f"Undone: {undone.title} is back to {undone.status.replace('_', ' ')}.")


def answer_progress_update(intent, message, tb, memory, mode_note) -> Draft:
    topics = _stated_topics(intent, message, tb.deps.curriculum, memory)
    if not topics:
        _, suggestions = tb.deps.curriculum.find(intent.topic_text or message)
        hint = f" Did you mean {', '.join(t.title for t in suggestions)}?" if suggestions else ""
        return Draft(f"I couldn't tell which topic you mean, so I haven't recorded anything.{hint}")
    recorded, refused = [], []
    for topic in topics:
        result = tb.run("update_progress", topic=topic.id, status=intent.status)
        if isinstance(result.data, dict) and "event" in result.data:
            recorded.append(topic.title)
        else:
            refused.append(result.text.replace("Not recorded: ", ""))
    if not recorded:
        return Draft("I haven't recorded anything: " + "; ".join(refused) + ".", topic=topics[0])
    text = (
        f"Noted: {', '.join(recorded)} {'is' if len(recorded) == 1 else 'are'} now {intent.status.replace('_', ' ')}. "
        'To take it back, say "undo" (or run `mentor progress undo`).'
    )
    if refused:
        text += " Not recorded: " + "; ".join(refused) + "."
    memory.last_topic = topics[-1]
    if "next" in intent.also:
        nxt = answer_next(Intent("next"), message, tb, memory, mode_note)
        return Draft(text + "\n\n" + nxt.text, nxt.quotes, topics[-1], nxt.suggested)
    return Draft(text, topic=topics[-1])


def _stated_topics(intent, message: str, cur, memory) -> list:
    """The topics a progress statement names ("python and numpy"), or the last topic for "it"."""
    phrases = [p for p in re.split(r",|;|\band\b|&|\+", intent.topic_text or "") if p.strip()]
    topics = []
    for phrase in phrases or [message]:
        t = mentioned_topic(phrase, cur)
        if t is not None and t not in topics:
            topics.append(t)
    if not topics and memory.last_topic is not None and PRONOUN.search(message):
        topics = [memory.last_topic]
    return topics


def answer_profile(intent, message, tb, memory, mode_note) -> Draft:
    result = tb.run("update_profile", **intent.profile)
    data = result.data or {}
    if "profile" not in data:
        return Draft(f"I haven't saved anything: {data['refused']}." if "refused" in data else result.text)
    profile = data["profile"]
    parts = []
    if "goal" in intent.profile:
        gt = tb.deps.curriculum.topics.get(profile.get("goal_topic") or "")
        parts.append(f"your goal ({gt.title if gt else intent.profile['goal']})")
    if "hours_per_week" in intent.profile:
        parts.append(f"{intent.profile['hours_per_week']:g} hours a week")
    if "background" in intent.profile:
        parts.append(f"your background ({intent.profile['background']})")
    return Draft("Got it, I'll remember " + " and ".join(parts) + ". Plans and next steps will use it.")


def answer_progress_query(intent, message, tb, memory, mode_note) -> Draft:
    result = tb.run("read_progress")
    grouped = result.data["grouped"]
    if not grouped:
        return Draft('You haven\'t recorded any progress yet. Tell me what you know, e.g. "I finished Python".')
    total = len(tb.deps.curriculum.topics)
    done = len(grouped.get("done", [])) + len(grouped.get("skipped", []))
    lines = [f"You have finished {done} of {total} topics."]
    for status in ("done", "learning", "skipped"):
        if grouped.get(status):
            lines.append(f"- {status.capitalize()}: {', '.join(grouped[status])}")
    return Draft("\n".join(lines))


LEARNER_HANDLERS = {
    "undo": answer_undo,
    "progress_update": answer_progress_update,
    "profile": answer_profile,
    "progress_query": answer_progress_query,
}
