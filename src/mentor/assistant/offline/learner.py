"""The offline mode's answers about the learner: progress statements, undo, profile and "how
far am I". Nothing here writes: statements become proposals through the same tools as in LLM
mode (`propose_progress`, `propose_undo`, `propose_profile`), and the learner confirms them.

Not here: answers about the roadmaps (`knowledge.py`), the dispatch (`compose.py`).
"""

from __future__ import annotations

from mentor.assistant.offline.draft import Draft
from mentor.assistant.offline.next import answer_next
from mentor.assistant.router import Intent
from mentor.assistant.statements import read_statements


def answer_undo(intent, message, tb, memory, mode_note) -> Draft:
    result = tb.run("propose_undo")
    data = result.data or {}
    if "refused" in data:
        return Draft(f"I haven't proposed anything: {data['refused']}.")
    proposal = data.get("undo")
    if proposal is None:
        return Draft("There is nothing to undo.")
    if proposal.each_back:
        return Draft(f"Shall I undo your last statement: {proposal.title}? Confirm it to apply it.")
    what, it = ("your last statement", "them") if proposal.several else ("your last change", "it")
    back = proposal.status.replace("_", " ")
    return Draft(f"Shall I undo {what} ({proposal.title}), putting {it} back to {back}? Confirm it to apply it.")


def answer_progress_update(intent, message, tb, memory, mode_note) -> Draft:
    said = read_statements(message, tb.deps.curriculum, memory.last_topic)
    if not said:
        _, suggestions = tb.deps.curriculum.find(intent.topic_text or message)
        hint = f" Did you mean {', '.join(t.title for t in suggestions)}?" if suggestions else ""
        return Draft(f"I couldn't tell which topic you mean, so I have nothing to record.{hint}")
    proposed = []
    for statement in said:
        result = tb.run("propose_progress", topic=statement.topic.id, status=statement.status)
        if isinstance(result.data, dict) and "proposal" in result.data:
            proposed.append(result.data["proposal"])
    memory.last_topic = said[-1].topic
    if not proposed:
        return Draft("I have nothing to record from that.", topic=said[-1].topic)
    items = "; ".join(p.describe() for p in proposed)
    text = f"Shall I record {items}? Nothing is saved until you confirm{' it' if len(proposed) == 1 else ' them'}."
    if "next" in intent.also:
        nxt = answer_next(Intent("next"), message, tb, memory, mode_note)
        return Draft(text + "\n\n" + nxt.text, nxt.quotes, said[-1].topic, nxt.suggested)
    return Draft(text, topic=said[-1].topic)


def answer_profile(intent, message, tb, memory, mode_note) -> Draft:
    result = tb.run("propose_profile", **intent.profile)
    data = result.data or {}
    if "proposal" not in data:
        return Draft(f"I haven't proposed anything: {data['refused']}." if "refused" in data else result.text)
    proposal = data["proposal"]
    return Draft(f"Shall I remember {proposal.title}? Once you confirm, plans and next steps will use it.")


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
