"""Offline answers to "how long": a topic's hours and the weekly plan's weeks for it, a whole
week-by-week roadmap's length from its last week, and, for a roadmap that schedules nothing in
weeks, that it gives no time and what it says instead ("learning-algorithm gives no weeks or hours
for it": "NOT full math course before ML."). The learner's own pace is used once measured.

Not here: "which ones" and a section's contents (`sections.py`).
"""

from __future__ import annotations

import re

from mentor.assistant.evidence import Line, passage_lines, select, terms
from mentor.assistant.offline.draft import Draft
from mentor.assistant.offline.shapes import (
    ASKING,
    MAX_QUOTES,
    finish,
    gather,
    heading_fit,
    mentioned,
    quoted,
    roadmap_name,
    short,
)
from mentor.assistant.parts import roadmap_passages
from mentor.assistant.tools import Toolbox
from mentor.corpus.documents import roadmaps_named, without_roadmap_names
from mentor.learning.curriculum import Topic
from mentor.learning.pace import pace_of


def answer_how_long(intent, message, tb, memory, mode_note) -> Draft:
    cur = tb.deps.curriculum
    topics = mentioned(message, cur)
    docs = roadmaps_named(tb.deps.documents, message)
    if docs and (not topics or WHOLE.search(message)):  # "how long is the codebasics plan overall?"
        whole = _roadmap_weeks(tb, docs[0])
        if whole is not None:
            return whole
    timeless = _no_weeks(tb, docs[0], message) if len(docs) == 1 else []  # "learning algorithm: weeks for math?"
    lines = gather(tb, [message], topics[:2])
    body = select(lines, message, 2)
    parts = []
    pace = pace_of(tb.deps, tb.learner) if topics else None  # the learner's own, once measured
    for topic in topics[:2]:
        source = topic.hours_source if topic.hours_source != "estimate" else "our estimate"
        parts.append(f"{short(topic)}: about {topic.hours:g} hours ({source}).")
        parts += [pace.how_long(topic.hours)] if pace.measured else []
    if pace is not None and not pace.measured:
        parts.append(pace.how_long(0))
    week = _week(tb, message, topics)
    quotes: dict[int, str] = {}
    if week:
        quotes[week[0].n] = tb.body_quote(week[0].n, week[0].text, message)  # the week's content, not its title
        numbers = re.findall(r"\d+", week[0].chunk.section.split(" › ")[0].split(":")[0])  # "Week 5, 6 › SQL Basics"
        span = f"weeks {numbers[0]}-{numbers[-1]}" if len(numbers) > 1 else f"week {numbers[0]}"
        parts.insert(0, f"The six-month plan gives it {len(numbers)} week{'s' * (len(numbers) > 1)} ({span}).")
    if timeless:
        parts.insert(0, f"{docs[0]} gives no weeks or hours for it; what it says:")
        rest = [f'- "{ln.text}" [{ln.n}]' for ln in timeless]
        quotes.update((ln.n, ln.text) for ln in timeless)
        text = "\n".join([parts[0], *rest, " ".join(parts[1:])]).strip()
        return Draft(text, quotes, topics[0] if topics else None)
    if not parts:
        return Draft("The roadmaps don't give a time for that.")
    cited = [f'- "{quotes[week[0].n]}" [{week[0].n}]'] if week else []
    amounts = _amounts(week[0], quotes[week[0].n], message) if week else []
    cited += [f'- "{amount.text}" [{amount.n}]' for amount in amounts]
    named = {t for topic in topics for t in terms(short(topic))}  # lines about the topics asked of, only
    rest = [ln for ln in body if (not week or ln.n != week[0].n) and named & set(terms(ln.text))]
    rest = [ln for ln in rest if ln.text not in {amount.text for amount in amounts}]
    rest = rest[: MAX_QUOTES - len(cited)]
    return Draft("\n".join([" ".join(parts), *cited, *quoted(rest, quotes)]), quotes, topics[0] if topics else None)


# how much of a week's material the plan asks for, or what it is: "(watch first 12 videos)", "tutorial # 15 to # 27",
# "Statistics book: …", "codebasics deep learning playlist"
AMOUNT = re.compile(r"\b(first \d+|#? ?\d+ to #? ?\d+|playlist|book)\b", re.IGNORECASE)


def _amounts(week: Line, shown: str, message: str) -> list[Line]:
    """The lines of a week's passage that say how much of its material to work through, or which (besides the
    line already shown), two at most: the first-N line, then a range ("Tutorial 18 to 25") or a book or playlist."""
    lines = [ln for ln in passage_lines(week.n, week.chunk) if not ln.title and ln.text != shown]
    counted = [ln for ln in lines if AMOUNT.search(ln.text)]
    first = [ln for ln in counted if re.search(r"\bfirst \d", ln.text, re.IGNORECASE)]  # "(first 17)" before a range
    ranged = [ln for ln in counted if re.search(r"\d+ to #? ?\d+", ln.text)]
    books = [ln for ln in counted if re.search(r"\bbook\b", ln.text, re.IGNORECASE) and ln not in first[:1]]
    second = select(ranged, message, 1) or ranged[:1] or books[:1] or select(counted, message, 1) or counted[:1]
    return (first[:1] + [ln for ln in second if ln not in first[:1]])[:2]


WHOLE = re.compile(
    r"\b(overall|whole|entire|in total|altogether|start to finish|end to end|all of it)\b", re.IGNORECASE
)


def _no_weeks(tb: Toolbox, doc: str, message: str) -> list[Line]:
    """For a roadmap that schedules nothing in weeks, the lines of it that say most of what is asked
    (searched in that roadmap alone); none for a week-by-week one."""
    if any(re.match(r"^\W*week", c.section, re.IGNORECASE) for c in roadmap_passages(tb.deps.passages, doc)):
        return []
    asked = without_roadmap_names(tb.deps.documents, message)
    wanted = " ".join(w for w in re.findall(r"[\w+#-]+", asked) if set(terms(w)) - WEEKLY - ASKING)  # "math", "ml"
    if not wanted:
        return []
    tb.run("search_curriculum", query=wanted, roadmap=doc)
    lines = [ln for n, c in enumerate(tb.book.chunks, 1) if c.doc == doc for ln in passage_lines(n, c)]
    return select(lines, wanted, 2)


def _roadmap_weeks(tb: Toolbox, doc: str) -> Draft | None:
    """A week-by-week roadmap's whole length, from its last week heading."""
    weeks = [c for c in roadmap_passages(tb.deps.passages, doc) if re.match(r"^\W*week", c.section, re.IGNORECASE)]
    numbers = [int(n) for c in weeks for n in re.findall(r"\d+", c.section.split(" › ")[0].split(":")[0])]
    if not numbers:
        return None
    last = weeks[-1]
    tb.run("read_section", section=last.section.split(" › ")[0].split(":")[0], roadmap=doc)
    n = tb.book.add(last)
    body = [ln for ln in passage_lines(n, last) if not ln.title][:1]
    total = max(numbers)
    months = round(total / 4.33)
    head = f"{roadmap_name(tb, doc)} runs {total} weeks (weeks 1-{total}), about {months} months as it schedules them."
    return finish(head, body)


WEEKLY = frozenset(terms("week weeks month months plan give gives spend hours long many much time allot"))


def _week(tb: Toolbox, message: str, topics: list[Topic]) -> list[Line]:
    """The week range of the week-by-week plan whose title names what the question asks about
    (chosen from the plan's table of contents, read through `read_section`)."""
    wanted = (set(terms(message)) | {t for topic in topics for t in terms(short(topic))}) - ASKING - WEEKLY
    best, score = None, 0
    numbers = set(re.findall(r"\b\d+\b", message))
    for chunk in tb.deps.passages:  # "Week 13, 14: Math, …", or "Week 5, 6 › SQL Basics" by its own heading
        if re.match(r"^\W*week\s*\d", chunk.section, re.IGNORECASE):
            hit = heading_fit(chunk.heading.split(":", 1)[-1], wanted)
            hit += 0.5 * len(numbers & set(re.findall(r"\d+", chunk.heading))) if hit else 0  # "level 2", not 1
            if hit > score:
                best, score = chunk, hit
    if best is None:
        return []
    label = re.match(r"^\W*(week\s*\d+)", best.section, re.IGNORECASE).group(1)
    found = tb.run("read_section", section=label, roadmap=best.doc).data
    if not isinstance(found, list) or best not in found:
        return []
    lines = passage_lines(tb.book.add(best), best)
    return [ln for ln in lines if re.sub(r"^#+\s*", "", ln.text).strip() == best.heading.strip()][:1]


DURATION_HANDLERS = {"how_long": answer_how_long}
