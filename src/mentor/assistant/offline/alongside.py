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
    """The companions of the one topic a question names, grouped by the roadmap that pairs them, each group with
    that roadmap's words for it; None when it names no one topic, or no roadmap pairs anything with it in a line
    that can be quoted."""
    cur = tb.deps.curriculum
    topics = mentioned(message, cur)
    if len(topics) != 1:
        return None
    topic = topics[0]
    tb.run("lookup_topic", topic=topic.id)  # its companions, as the trace shows
    named = roadmaps_named(tb.deps.documents, message)
    edges = [e for e in cur.parallel_edges if topic.id in (e.source, e.target) and e.quote and e.doc]
    # the roadmap asked about first, then a roadmap's own mark ("[P with Step 0.1]") before a summary or a judgement
    edges.sort(key=lambda e: (e.doc not in named, EDGE_KINDS.index(e.kind)))
    groups: dict[str, list] = {}  # roadmap -> (partner, edge), in that order
    seen: set[str] = set()
    for edge in edges:
        partner = cur.topics.get(edge.target if edge.source == topic.id else edge.source)
        if partner is not None and partner.id not in seen:
            seen.add(partner.id)
            groups.setdefault(edge.doc, []).append((partner, edge))
    lines, said = [], []
    for pairs in groups.values():
        pairs = pairs[: SHOWN - sum(len(p) for p in said)]
        if not pairs:
            break
        shown = []
        for partner, edge in pairs:
            chunk = passage_for(edge.doc, edge.quote, tb.deps.passages)
            if chunk is None:
                continue
            tb.run("read_section", section=plain(chunk.heading) or chunk.section, roadmap=chunk.doc)  # as traced
            line = topic_line(tb, tb.book.add(chunk), partner)
            if line is not None:
                lines += [line] if line not in lines else []
                shown.append((partner, edge))
        said += [shown] if shown else []
    if not lines:
        return None
    parts = [f"{pairs[0][1].doc} has {', '.join(short(p) for p, _ in pairs)}{_mark(pairs)}" for pairs in said]
    memory.last_topic = topic
    return finish(f"Alongside {short(topic)}: {'; '.join(parts)}. What they say of them:", lines, topic, lists=True)


def _mark(pairs) -> str:
    """' ("Step 0.2 [P with Step 0.1]: …")': a roadmap's own mark for learning them together, when its edges are
    one ("tag"); its summaries and the curriculum's judgements are no mark of the roadmap's."""
    tags = {e.quote.strip().rstrip(":") for _, e in pairs if e.kind == "tag"}
    return f' ("{tags.pop()}")' if len(tags) == 1 else ""


ALONGSIDE_HANDLERS = {"alongside": answer_alongside}
