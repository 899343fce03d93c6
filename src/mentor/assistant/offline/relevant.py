"""When what a learner already does comes up ("devops eng, k8s and ci/cd are my job. at what point in the big
curriculum does that experience start being relevant?"): where the roadmap asked about, or each roadmap, has the
topics they work with, each with its own line there.

Not here: where to start or what to skim for what they know (`next.py`, `skim.py`); where one topic named in the
question stands (`order.py`).
"""

from __future__ import annotations

from mentor.assistant.background import background_topics, role_topics
from mentor.assistant.forms import RELEVANT
from mentor.assistant.offline.draft import Draft
from mentor.assistant.offline.placing import everywhere, named_section, topic_passage
from mentor.assistant.offline.shapes import finish, mentioned, plain, short, topic_line
from mentor.assistant.tools import Toolbox
from mentor.corpus.documents import roadmaps_named

SHOWN = 3  # topics placed


def answer_relevant(intent, message, tb: Toolbox, memory, mode_note) -> Draft | None:
    """Where the topics of the learner's own experience stand, in the roadmap named or on the dependency-correct
    one (then the first roadmap that has each); None when they name none the roadmaps place."""
    cur = tb.deps.curriculum
    said = tb.user_message or message
    found = RELEVANT.search(said)
    before = said[: found.start()] if found is not None else ""  # what they said of themselves, not what is asked
    topics = background_topics(before, cur) or [t for t in mentioned(before, cur) if len(t.id) > 2]
    # "I'm a devops engineer, when is that relevant?": what the job uses, the furthest along first (Docker, then git)
    topics = topics or sorted(role_topics(before, cur), key=lambda t: cur.sort_key(t.id), reverse=True)
    named = roadmaps_named(tb.deps.documents, said)
    if len(topics) == 1 and not named:  # one thing they do, no roadmap named: where each roadmap has it
        placed = everywhere(tb, topics[0])
        if placed is not None:
            return placed
    docs = named or [cur.backbone_doc, *[d.id for d in tb.deps.documents if d.id != cur.backbone_doc]]
    places = []
    for topic in topics[:SHOWN]:
        found = next(((doc, c) for doc in docs if (c := topic_passage(tb, doc, topic)) is not None), None)
        if found is not None:
            places.append((topic, *found))
    if not places:
        return None
    lines = []
    for topic, doc, chunk in places:
        tb.run("read_section", section=plain(chunk.heading) or chunk.section, roadmap=doc)
        line = topic_line(tb, tb.book.add(chunk), topic)
        lines += [line] if line is not None and line not in lines else []
    where = "; ".join(f"{short(t)} in {doc}'s {named_section(c)}" for t, doc, c in places)
    return finish(f"What you already work with comes up here: {where}.", lines)


RELEVANT_HANDLERS = {"relevant": answer_relevant}
