"""What the roadmaps have a learner study alongside a topic ("what should i be learning at the same time as
python basics?"): the topics the graph sets in parallel with it (`lookup_topic`'s companions), each with the
line a roadmap gives it where the roadmap says so ("Step 0.2 [P with Step 0.1]: …").

Not here: whether two topics may be learned together, a yes or no (`decision.py`); what comes before or after
a topic (`order.py`).
"""

from __future__ import annotations

from mentor.assistant.offline.draft import Draft
from mentor.assistant.offline.shapes import finish, mentioned, plain, short, topic_line
from mentor.assistant.tools import Toolbox
from mentor.corpus.documents import roadmaps_named
from mentor.learning.curriculum import EDGE_KINDS
from mentor.learning.plan import passage_for

SHOWN = 4  # companions named


def answer_alongside(intent, message, tb: Toolbox, memory, mode_note) -> Draft | None:
    """The companions of the one topic a question names, with the roadmaps' words for learning them together;
    None when it names no one topic or the graph sets nothing alongside it."""
    cur = tb.deps.curriculum
    topics = mentioned(message, cur)
    if len(topics) != 1:
        return None
    topic = topics[0]
    info = tb.run("lookup_topic", topic=topic.id).data or {}
    named = roadmaps_named(tb.deps.documents, message)
    edges = [e for e in cur.parallel_edges if topic.id in (e.source, e.target) and e.quote]
    # the roadmap asked about first, then a roadmap's own mark ("[P with Step 0.1]") before a summary or a judgement
    edges.sort(key=lambda e: (e.doc not in named, EDGE_KINDS.index(e.kind)))
    by_edge = [e.target if e.source == topic.id else e.source for e in edges]
    ids = list(dict.fromkeys(by_edge + [t for t in topic.parallel if t not in by_edge]))
    partners = [cur.topics[t] for t in ids if t in cur.topics][:SHOWN]
    if not info or not partners:
        return None
    tagged = next((e for e in edges if e.kind == "tag"), edges[0] if edges else None)  # the roadmap's own mark
    lines = []
    for partner in partners:
        edge = next((e for e in edges if partner.id in (e.source, e.target)), None)
        chunk = passage_for(edge.doc, edge.quote, tb.deps.passages) if edge is not None else None
        if chunk is None:
            continue
        tb.run("read_section", section=plain(chunk.heading) or chunk.section, roadmap=chunk.doc)  # as traced
        line = topic_line(tb, tb.book.add(chunk), partner)
        lines += [line] if line is not None and line not in lines else []
    names = ", ".join(short(p) for p in partners)
    said = f' ({tagged.doc}: "{tagged.quote.strip().rstrip(":")}")' if tagged is not None else ""
    head = f"Alongside {short(topic)}, the roadmaps have you learn {names}{said}; what they say of them:"
    memory.last_topic = topic
    return finish(head, lines, topic, lists=True)  # a line per companion, at most SHOWN


ALONGSIDE_HANDLERS = {"alongside": answer_alongside}
