"""Yes or no from the prerequisite graph, and the words a decision question is read by: whether X
must come before Y ("must I finish X before Y?"), whether they can be learned together, whether a
topic may wait until after another, and whether the learner is ready for a topic now ("can I jump
into deep learning now?") from what they said they did.

Not here: the decision answer itself, its evidence and its verdict from the roadmaps' words
(`decision.py`).
"""

from __future__ import annotations

import re

from mentor.assistant.evidence import terms
from mentor.assistant.forms import question_sentences
from mentor.assistant.offline.placing import named_section, topic_passage
from mentor.assistant.offline.shapes import short, step_label
from mentor.assistant.tools import Toolbox
from mentor.learning.curriculum import Topic
from mentor.learning.order import implied_known

BEFORE_WORDS = re.compile(
    r"\b(before|first|until after|straight (in)?to|skip|jump|without|prerequisites? (for|of|to))\b", re.IGNORECASE
)
# a skip in a relative clause is what others do ("… or is that a thing ml people skip?"), not what the learner asks;
# "most people skip SQL, should I?" still asks it
RELATIVE_SKIP = re.compile(r"\b(that|which|who)\s+(\w+\s+){0,2}(skip|leave out|drop)\b", re.IGNORECASE)


class _Asked:
    """A pattern read on a message whose relative-clause skips are blanked (same length: positions hold)."""

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern

    def search(self, text: str):
        return self.pattern.search(RELATIVE_SKIP.sub(lambda m: " " * len(m.group(0)), text))


BEFORE = _Asked(BEFORE_WORDS)
SEQUENCE = re.compile(r"\b(first|before|afterwards?|only (then|after)|later|then)\b", re.IGNORECASE)
TOGETHER_LINE = re.compile(r"\b(together|in parallel|alongside|parallel support)\b", re.IGNORECASE)
TOGETHER = re.compile(r"\b(same time|together|alongside|in parallel|side by side)\b", re.IGNORECASE)
# "finish / a whole course of" maths first: never (maths is parallel support, learned when needed)
WHOLE = re.compile(r"\b(finish\w*|complete\w*|whole|full|entire|all of|master\w*|more)\b", re.IGNORECASE)
PRONOUN = re.compile(r"\b(it|its|that|this|them|those|they)\b", re.IGNORECASE)
UNTIL_AFTER = re.compile(r"\b(leave|postpone|wait with|put off)\b.*\buntil after\b", re.IGNORECASE)
# leaving a topic out; "skip (straight) to X" is going ahead to X, a readiness question
# the learner leaving something out ("can I skip SQL?", "skip the maths part?"), not others ("… ml people skip")
SKIP_ASK = _Asked(re.compile(r"\b(skip|leave out|drop)\b(?!\s+(straight\s+|right\s+|ahead\s+)?to\b)", re.I))
WITHOUT = re.compile(r"\bwithout\b", re.IGNORECASE)  # "can I start Y without X?": skipping X on the way to Y
READY = re.compile(
    r"\b(now|ready|straight|yet|jump|right away|immediately|day one|before anything|move on)\b", re.IGNORECASE
)
READY_VERB = re.compile(
    r"\b(jump (straight )?in(to)?|go straight (in)?to|dive into|start( with)?|begin( with)?|ready for|move on to)\b",
    re.IGNORECASE,
)


# a question about the roadmap's order, not the learner's: "does the master curriculum put deep learning before …?"
ROADMAP_ORDER = re.compile(
    r"\b(put|puts|come|comes|go|goes|appear|appears|placed?|list|lists|have|has)\b[^?]*\b(before|after)\b"
)
FIRST_PERSON = re.compile(r"\b(i|me|my|i'm|im)\b", re.IGNORECASE)


def roadmap_order(tb: Toolbox, message: str, doc: str, first: Topic, then: Topic) -> tuple[str, list] | None:
    """Yes or no from one roadmap's own order, for "does <roadmap> put X before Y?" (not "must I …?"):
    (the verdict, each (passage, topic) in the roadmap's order), or None when the roadmap has either
    topic nowhere or both in one passage."""
    text = " ".join(message.split()).lower()
    asked = ROADMAP_ORDER.search(text)
    if asked is None or FIRST_PERSON.search(text):
        return None
    if asked.group(2) == "after":  # "does it put X after Y?" asks whether Y comes first
        first, then = then, first
    places = {t.id: topic_passage(tb, doc, t) for t in (first, then)}
    if None in places.values() or places[first.id].chunk_id == places[then.id].chunk_id:
        return None
    a, b = places[first.id], places[then.id]
    if a.first_line < b.first_line:
        head = f"Yes: {doc} has {short(first)} in {named_section(a)}, before {short(then)} in {named_section(b)}."
        return head, [(a, first), (b, then)]
    head = (
        f"No: {doc} has {short(then)} first, in {named_section(b)}; {short(first)} comes after, in {named_section(a)}."
    )
    return head, [(b, then), (a, first)]


ANY_TIME = re.compile(r"\b(whenever|any ?time|at any (point|stage)|in any order)\b", re.IGNORECASE)


def any_time(cur, message: str, topic: Topic) -> str | None:
    """'Can I learn SQL whenever I want?': yes for a topic the dependency-correct roadmap marks
    independent ("Step 0.4 [I]: Learn SQL basics"); None otherwise (the graph's verdict then)."""
    step = cur.step(topic.id)
    if not ANY_TIME.search(message) or step is None or step.track != "anytime":
        return None
    tag = step.quote.strip().rstrip(":")
    return f'Yes: {short(topic)} is independent in the roadmaps ({cur.backbone_doc}: "{tag}"): learn it any time.'


def graph_verdict(tb: Toolbox, message: str, first: Topic, then: Topic) -> str | None:
    """Yes or no from the prerequisite graph, for a question about two topics' order."""
    cur = tb.deps.curriculum
    if UNTIL_AFTER.search(message):  # "can I leave A until after B?": yes unless B needs A
        return _leave_until_after(tb, first, then)
    chain = tb.run("prerequisites", topic=then.id).data
    needed = {p["id"] for p in chain["prerequisites"]} if isinstance(chain, dict) else set()
    if TOGETHER.search(message):
        if first.id in needed:
            return f"No: {short(then)} comes after {short(first)} in the roadmaps."
        for a, b in ((first, then), (then, first)):  # one far later in the roadmaps' order than the other
            if a.id in cur.ancestors(b.id, soft=True) and a.phase != b.phase and "maths" not in (a.phase, b.phase):
                return f"No: the roadmaps put {short(b)} after {short(a)}, in a later phase."
        tag = _parallel_tag(cur, first, then)
        return f"Yes: the roadmaps let you learn {short(first)} and {short(then)} in parallel{tag}."
    if not BEFORE.search(message) and not re.search(r"\b(need|require|have to|must)\b", message, re.IGNORECASE):
        return None
    if first.id in needed:
        then_at, first_at = short(then) + step_label(cur, then), short(first) + step_label(cur, first)
        return f"Yes: {then_at} builds on {first_at}, so finish that first{_tag(cur, first, then)}."
    suggested = {r["id"] for r in chain.get("recommended", [])} if isinstance(chain, dict) else set()
    if SKIP_ASK.search(message) or WITHOUT.search(message):  # skipping X on the way to Y ("Y without X"): anything
        # the roadmaps put on the way counts
        suggested |= cur.ancestors(then.id, soft=True)
    if first.id in suggested and first.phase != "maths":
        return f"Yes: the roadmaps put {short(first)} before {short(then)}, as an order to follow, not a hard gate."
    if first.id in suggested and not WHOLE.search(message):  # the core rule: maths "only when needed"
        return (
            f"Yes, the part of {short(first)} that {short(then)} uses: the roadmaps put it before {short(then)}, "
            "learned when needed rather than finished as a whole course first."
        )
    return "No: " + _why_not_required(cur, first, then)


def _tag(cur, before: Topic, after: Topic) -> str:
    """The roadmap's own words for a direct edge ("Step 5.1 [D: after projects]"), if there is one."""
    edge = cur.edge(before.id, after.id)
    quote = (edge.quote or "").strip().rstrip(":") if edge is not None else ""
    return f' ({edge.doc}: "{quote}")' if quote else ""


def _parallel_tag(cur, a: Topic, b: Topic) -> str:
    """The roadmap's own words pairing the two topics ("Step 5.2 [P with Step 5.1]"), if they have any."""
    edge = next((e for e in cur.parallel_edges if {e.source, e.target} == {a.id, b.id}), None)
    quote = (edge.quote or "").strip().rstrip(":") if edge is not None else ""
    return f' ({edge.doc}: "{quote}")' if quote else ""


def paired_step(cur, topics: list[Topic], message: str) -> str:
    """The step of the dependency-correct roadmap that pairs a topic asked about with what the question adds
    ("… the theory first and the implementation later?": ' (learning-algorithm: "Step 1.2 [P with Step 1.1]:
    Immediately IMPLEMENT using scikit-learn")'): the one parallel partner whose names or step share a word
    with the question besides the topic's own; empty when none or several do."""
    asked = set(terms(message))
    found = []
    for topic in topics:
        own = set(terms(" ".join([topic.title, *topic.aliases])))
        for edge in cur.parallel_edges:
            if edge.doc != cur.backbone_doc or topic.id not in (edge.source, edge.target):
                continue
            partner = cur.topics[edge.target if edge.source == topic.id else edge.source]
            step = cur.step(partner.id)
            words = set(terms(" ".join([partner.title, *partner.aliases, step.quote if step else ""])))
            if step is not None and (asked - own) & (words - own) and step.quote not in found:
                found.append(step.quote)
    return f' ({cur.backbone_doc}: "{found[0].strip().rstrip(":")}")' if len(found) == 1 else ""


def _why_not_required(cur, first: Topic, then: Topic) -> str:
    if first.phase == "maths":
        return (
            f"the roadmaps treat maths such as {short(first)} as parallel support, learned only when needed, "
            f"not a prerequisite to finish before {short(then)}."
        )
    if then.id in first.parallel:
        return f"the roadmaps learn {short(first)} in parallel with {short(then)}, together."
    step = cur.step(first.id)
    if step is not None and step.track == "anytime":  # "Step 0.3 [I]: Learn basic engineering tools"
        return (
            f'{short(first)} is independent in the roadmaps ({cur.backbone_doc}: "{step.quote.strip().rstrip(":")}"): '
            f"you can learn it any time, not necessarily before {short(then)}."
        )
    if any("[I]" in (s.get("quote") or "") for s in first.sources):
        return f"{short(first)} is independent in the roadmaps: you can learn it any time, not before {short(then)}."
    return f"{short(first)} is not a prerequisite of {short(then)} in the roadmaps."


def _leave_until_after(tb: Toolbox, first: Topic, then: Topic) -> str:
    chain = tb.run("prerequisites", topic=then.id).data
    needed = {p["id"] for p in chain["prerequisites"]} if isinstance(chain, dict) else set()
    if first.id in needed:
        return f"No: {short(then)} builds on {short(first)}, so it cannot wait until after."
    return (
        f"Yes: {short(first)} can wait; the roadmaps put it after {short(then)}{_tag(tb.deps.curriculum, then, first)}."
    )


def known_from(tb: Toolbox, used: set[str]) -> set[str]:
    """What the learner has just said they finished, what that needs, what they work with (`used`), and
    what that implies."""
    cur = tb.deps.curriculum
    done = {p.topic for p in tb.proposals if p.kind == "status" and p.status == "done"}
    return done | {a for t in done for a in cur.ancestors(t)} | used | implied_known(cur, used | done)


def readiness(tb: Toolbox, message: str, topic: Topic, used: set[str]) -> str | None:
    """'Is it ok to go straight into X now?': yes when the learner has done what X needs, or
    works with it (`used`)."""
    asked = " ".join(question_sentences(message)) or message  # "now retraining. do I need X?": no "now" asked
    if TOGETHER.search(message) or not READY.search(asked):
        return None
    cur = tb.deps.curriculum
    stated = {p.topic for p in tb.proposals if p.kind == "status" and p.status in ("done", "learning")}
    if topic.id in stated:  # "I did X with sklearn. …": X is not what they ask readiness for
        return None
    chain = tb.run("prerequisites", topic=topic.id).data
    if not isinstance(chain, dict):
        return None
    known = stated | {a for t in stated for a in cur.ancestors(t)}  # what they just said they did, and its needs
    known |= used | implied_known(cur, used)
    missing = [m for m in chain["missing"] if m not in known]
    if not missing:
        # what the roadmaps put first without requiring it (maths aside: parallel support), as "Y without X?" reads it
        first = sorted(
            (t for t in cur.ancestors(topic.id, soft=True) - known if cur.topics[t].phase != "maths"), key=cur.sort_key
        )
        if first:
            titles = " and ".join(short(cur.topics[t]) for t in first[-2:])  # the closest to it
            return (
                f"No, not yet: the roadmaps put {titles} before {short(topic)}, as an order to follow rather than a "
                f"hard gate ({len(first)} topic{'s' if len(first) > 1 else ''} of that order still new to you)."
            )
        return f"Yes: you have finished everything {short(topic)} needs."
    nearest = _nearest_missing(cur, topic.id, set(missing))
    after = ", ".join(cur.topics[m].title for m, _ in nearest[:2])
    tag = _tag(cur, cur.topics[nearest[0][0]], cur.topics[nearest[0][1]]) if nearest else ""
    titles = [cur.topics[m].title for m in missing]
    return f"No: {short(topic)} comes after {after}{tag}; still missing for you: {', '.join(titles[:3])}."


def _nearest_missing(cur, topic_id: str, missing: set[str]) -> list[tuple[str, str]]:
    """The missing prerequisites closest to the topic, each with the topic it gates: its direct
    ones, or, past those the learner knows (a backend developer's Docker), the first missing
    ones behind them."""
    layer, seen = [topic_id], set()
    while layer:
        found, further = [], []
        for tid in layer:
            for p in cur.topics[tid].prerequisites:
                if p not in seen:
                    seen.add(p)
                    (found if p in missing else further).append((p, tid))
        if found:
            return found
        layer = [p for p, _ in further]
    return []
