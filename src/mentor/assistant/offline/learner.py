"""Offline-mode answers about the learner: progress statements, undo, profile and "how far am I".
Knowledge answers (next steps, prerequisites, plans, resources, concepts) are in `answer.py`."""

from __future__ import annotations

import re

from mentor.assistant.offline.knowledge import Draft, Intent, answer_next, mentioned_topic, pseudo_call


def answer_undo(intent, message, tb, memory, mode_note) -> Draft:
    undone = tb.deps.progress.undo(tb.learner)
    tb.calls.append(pseudo_call("undo_progress", {}, undone))
    if undone is None:
        return Draft("There is nothing to undo.")
    change, revert = undone
    title = tb.deps.curriculum.topics[change.topic].title if change.topic in tb.deps.curriculum.topics else change.topic
    return Draft(f"Undone: {title} is back to {revert.status.replace('_', ' ')}.")


def answer_progress_update(intent, message, tb, memory, mode_note) -> Draft:
    cur = tb.deps.curriculum
    phrases = [p for p in re.split(r",|;|\band\b|&|\+", intent.topic_text or "") if p.strip()]
    topics = []
    for phrase in phrases or [message]:
        t = mentioned_topic(phrase, cur)
        if t is not None and t not in topics:
            topics.append(t)
    if not topics and memory.last_topic is not None and re.search(r"\b(it|that|this)\b", message, re.IGNORECASE):
        topics = [memory.last_topic]
    if not topics:
        _, suggestions = cur.find(intent.topic_text or message)
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
    text = (f"Noted: {', '.join(recorded)} {'is' if len(recorded) == 1 else 'are'} now {intent.status.replace('_', ' ')}. "
            "To take it back, say \"undo\" (or run `mentor progress undo`).")
    if refused:
        text += " Not recorded: " + "; ".join(refused) + "."
    memory.last_topic = topics[-1]
    if "next" in intent.also:
        nxt = answer_next(Intent("next"), message, tb, memory, mode_note)
        return Draft(text + "\n\n" + nxt.text, nxt.quotes, topics[-1], nxt.suggested)
    return Draft(text, topic=topics[-1])


def answer_profile(intent, message, tb, memory, mode_note) -> Draft:
    profile = {**tb.deps.progress.profile(tb.learner), **intent.profile}
    goal = profile.get("goal")
    if goal and not isinstance(goal, dict):
        topic = mentioned_topic(goal, tb.deps.curriculum)
        profile["goal_topic"] = topic.id if topic else None
    tb.deps.progress.set_profile(tb.learner, profile)
    tb.calls.append(pseudo_call("update_profile", intent.profile, profile))
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
        return Draft("You haven't recorded any progress yet. Tell me what you know, e.g. \"I finished Python\".")
    total = len(tb.deps.curriculum.topics)
    done = len(grouped.get("done", [])) + len(grouped.get("skipped", []))
    lines = [f"You have finished {done} of {total} topics."]
    for status in ("done", "learning", "skipped"):
        if grouped.get(status):
            lines.append(f"- {status.capitalize()}: {', '.join(grouped[status])}")
    return Draft("\n".join(lines))


LEARNER_HANDLERS = {
    "undo": answer_undo, "progress_update": answer_progress_update, "profile": answer_profile,
    "progress_query": answer_progress_query,
}
