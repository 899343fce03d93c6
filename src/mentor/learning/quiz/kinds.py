"""The four kinds of offline question, made from the roadmaps and the curriculum graph only:

- gap: a roadmap list item with the topic it names blanked out ("____ – numerical operations");
- before: "which of these comes before X", from a hard prerequisite edge and the roadmap text
  it cites;
- library: "which library or tool is for …", from the roadmaps' "name – purpose" lines;
- not_part_of: "which of these is not part of …", three items of a roadmap list and one from a
  list about a neighbouring topic.

Distractors come from the topic's neighbours in the graph (prerequisites, what it unlocks,
companions, its backbone step, its phase), nearest first. Every distractor and every finished
question passes `checks.py`; what fails is dropped. Not here: choosing questions for a quiz.
"""

from __future__ import annotations

import re
from collections import Counter

from mentor.corpus.chunks import Chunk
from mentor.learning.curriculum import Curriculum
from mentor.learning.quiz import checks
from mentor.learning.quiz.checks import GAP
from mentor.learning.quiz.lines import CorpusLines, Item, definitions, fold, items, words
from mentor.learning.quiz.questions import Question, make_question

OPTIONS = 4  # the right one and three distractors
MIN_OPTIONS = 3
MAX_ITEM_CHARS = 70


def short(title: str) -> str:
    return re.sub(r"\s*\(.*\)\s*$", "", title)


def neighbours(cur: Curriculum, tid: str) -> list[str]:
    """Topics near `tid` in the graph, nearest first: direct edges of any kind, then the same
    backbone step, then those two steps away, then the same phase, then the rest by phase."""
    t = cur.topics[tid]
    ring = [*t.prerequisites, *cur.successors(tid), *t.parallel, *t.after]
    ring += [o for o in cur.topics if tid in cur.topics[o].after]
    step = cur.step(tid)
    ring += list(step.topics) if step else []
    ring += [n for r in list(ring) for n in [*cur.topics[r].prerequisites, *cur.successors(r)]]
    ring += [o for o in cur.topics if cur.topics[o].phase == t.phase]
    ring += sorted(cur.topics, key=lambda o: abs(cur.sort_key(o)[0] - cur.sort_key(tid)[0]))
    seen: dict[str, None] = {}
    for o in ring:
        if o != tid and o in cur.topics:
            seen.setdefault(o, None)
    return list(seen)


def name_of(cur: Curriculum, tid: str, like: str) -> str:
    """A short everyday name of a topic (its first alias of three letters or more), in the
    letter case of `like`."""
    t = cur.topics[tid]
    name = next((a for a in t.aliases if len(a) >= 3), short(t.title))
    if len(name) <= 4:  # an abbreviation: "EDA", "SQL"
        return name.upper()
    if like[:1].isupper():
        return name[:1].upper() + name[1:]
    return name.lower() if like.islower() else name


# --- gap ------------------------------------------------------------------------------------


def gap_questions(cur: Curriculum, lines: CorpusLines) -> list[Question]:
    out = []
    for chunk in lines.chunks:
        for item in items(chunk):
            q = _gap(cur, lines, item)
            if q is not None:
                out.append(q)
    return out


def _gap(cur: Curriculum, lines: CorpusLines, item: Item) -> Question | None:
    body = " ".join(item.body.split())
    spans = [s for s in cur.mention_spans(body) if s[1] - s[0] >= 3]
    if len(spans) != 1 or len(body) > MAX_ITEM_CHARS:
        return None
    start, end, tid = spans[0]
    right, template = body[start:end], body[:start] + GAP + body[end:]
    if not words(template.replace(GAP, "")) or not checks.gap_fits(lines, cur, template, tid, right):
        return None
    wrong = []
    for other in neighbours(cur, tid):
        name = name_of(cur, other, right)
        if fold(name) not in {fold(right), *(fold(w) for w, _ in wrong)} and not checks.gap_fits(
            lines, cur, template, other, name
        ):
            wrong.append((name, other))
        if len(wrong) == OPTIONS - 1:
            break
    where = _where(item.chunk, item.label)
    text = f'{where}: the roadmap lists "{template}". What goes in the gap?'
    return make_question("gap", tid, text, (right, tid), wrong, item.chunk, item.line, template)


def _where(chunk: Chunk, label: str) -> str:
    section = chunk.section.split(" › ")[-1]
    label = label.rstrip(":").strip()
    if label and words(label) - words(section):
        return f'{chunk.title}, "{section}", under "{label}"'
    return f'{chunk.title}, "{section}"'


# --- before ---------------------------------------------------------------------------------


def before_questions(cur: Curriculum, lines: CorpusLines) -> list[Question]:
    out, seen = [], set()
    for edge in cur.edges:
        if (edge.source, edge.target) in seen or not edge.quote:
            continue
        seen.add((edge.source, edge.target))
        chunk = _holding(lines, edge.doc, edge.quote)
        if chunk is None:
            continue
        target = cur.topics[edge.target]
        wrong: list[tuple[str, str]] = []
        for other in neighbours(cur, edge.target):
            if checks.before_ok(cur, edge.target, edge.source, other) and other not in {w for _, w in wrong}:
                wrong.append((short(cur.topics[other].title), other))
            if len(wrong) == OPTIONS - 1:
                break
        text = f"Which of these comes before {short(target.title)} in the roadmaps (learn it first)?"
        right = (short(cur.topics[edge.source].title), edge.source)
        out.append(make_question("before", edge.target, text, right, wrong, chunk, edge.quote))
    return out


def _holding(lines: CorpusLines, doc: str | None, quote: str) -> Chunk | None:
    return next((c for c in lines.chunks if c.doc == doc and quote in c.text), None)


# --- library --------------------------------------------------------------------------------


def library_questions(cur: Curriculum, lines: CorpusLines) -> list[Question]:
    defs = [d for c in lines.chunks for d in definitions(c)]
    topic_of = {d.name: _topic(cur, d.name) for d in defs}
    out = []
    for d in defs:
        tid = topic_of[d.name]
        if tid is None:
            continue
        purpose = re.sub(r"^(for|to)\s+", "", d.purpose, flags=re.IGNORECASE)
        near = {o: i for i, o in enumerate(neighbours(cur, tid))}
        pool = sorted({o.name for o in defs if topic_of[o.name] not in (None, tid)}, key=lambda n: near[topic_of[n]])
        wrong: list[tuple[str, str]] = []
        for name in pool:
            taken = {topic for _, topic in wrong}  # one per topic: not "matplotlib/seaborn" and "matplotlib & seaborn"
            if fold(name) != fold(d.name) and topic_of[name] not in taken and checks.library_ok(lines, purpose, name):
                wrong.append((name, topic_of[name]))
            if len(wrong) == OPTIONS - 1:
                break
        text = f'Which library or tool do the roadmaps give for "{purpose}"?'
        out.append(make_question("library", tid, text, (d.name, tid), wrong, d.chunk, d.line, purpose))
    return out


def _topic(cur: Curriculum, name: str) -> str | None:
    found = cur.mentions(name)
    return found[0][0] if found else None


# --- not part of ----------------------------------------------------------------------------


def not_part_of_questions(cur: Curriculum, lines: CorpusLines) -> list[Question]:
    lists = _lists(lines)
    named = {m.body: [t for t, _ in cur.mentions(m.body)] for ms in lists for m in ms}
    out = []
    for members in lists:
        chunk = members[0].chunk
        tid = _list_topic(cur, members)
        if tid is None:
            continue
        near = {o: i for i, o in enumerate(neighbours(cur, tid))}
        others = [m for ms in lists if ms[0].chunk is not chunk for m in ms]
        others.sort(key=lambda m: min((near.get(t, 999) for t in named[m.body]), default=999))
        intruder = next((m for m in others if checks.intruder_ok(cur, chunk.text, m.body)), None)
        if intruder is None:
            continue
        shown = members[:: max(1, len(members) // 3)][:3]
        quote = _span(chunk, members)
        where = _where(chunk, members[0].label)
        text = f"{where}: which of these is not part of that list?"
        wrong = [(m.body, _topic(cur, m.body) or "") for m in shown]
        right = (intruder.body, _topic(cur, intruder.body) or "")
        out.append(make_question("not_part_of", tid, text, right, wrong, chunk, quote))
    return out


def _lists(lines: CorpusLines) -> list[list[Item]]:
    """Lists of three items or more, each item short and not an "etc." catch-all."""
    groups: dict[tuple[str, int], list[Item]] = {}
    for chunk in lines.chunks:
        for item in items(chunk):
            groups.setdefault((chunk.chunk_id, item.group), []).append(item)
    good = []
    for members in groups.values():
        bodies = {fold(m.body) for m in members}
        if len(members) >= 3 and len(bodies) == len(members):
            if all(_listable(m.body) for m in members):
                good.append(members)
    return good


def _listable(body: str) -> bool:
    return len(body) <= MAX_ITEM_CHARS and "etc" not in fold(body) and "http" not in body


def _list_topic(cur: Curriculum, members: list[Item]) -> str | None:
    """What a list is about: a topic its label or heading names, else the one its items name most."""
    head = cur.mentions(f"{members[0].label} {members[0].chunk.heading}")
    if head:
        return head[0][0]
    counts = Counter(tid for m in members for tid, _ in cur.mentions(m.body))
    return counts.most_common(1)[0][0] if counts else None


def _span(chunk: Chunk, members: list[Item]) -> str:
    """The list's lines, first to last, as they stand in the passage."""
    start = chunk.text.index(members[0].line)
    end = chunk.text.index(members[-1].line, start) + len(members[-1].line)
    return chunk.text[start:end]


# --- all of them ----------------------------------------------------------------------------


def question_bank(cur: Curriculum, lines: CorpusLines) -> list[Question]:
    """Every question the corpus supports that passes the final check, in a stable order."""
    made = [
        *gap_questions(cur, lines),
        *before_questions(cur, lines),
        *library_questions(cur, lines),
        *not_part_of_questions(cur, lines),
    ]
    seen: set[str] = set()
    out = []
    for q in made:
        if q.id not in seen and len(q.options) >= MIN_OPTIONS and checks.one_correct(q, cur, lines):
            seen.add(q.id)
            out.append(q)
    return out
