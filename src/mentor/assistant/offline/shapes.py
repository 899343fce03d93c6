"""Offline answers shaped by the question: a decision gets its yes or no first, "which ones"
gets the items the roadmaps name, a comparison sets both sides next to each other, "how long"
answers from the week allocations, a section question lists what the section holds, and a
question about a disagreement between the roadmaps shows both sides.

Every answer opens with one direct sentence built from the graph or the selected lines, then
quotes the passage lines that support it (`evidence.select`: body lines, not headings). All
passages come from the tools (`search_curriculum`, `lookup_topic`, `prerequisites`,
`disagreements`), so the trace is what really ran and every quote is checked by `finalize`.

Not here: next steps, prerequisites lists, plans and resources (`knowledge.py`), the learner's
own progress (`learner.py`), reading the message (`mentor.assistant.router`).
"""

from __future__ import annotations

import re

from mentor.assistant.evidence import Line, passage_lines, select, terms
from mentor.assistant.offline.draft import Draft, Memory
from mentor.assistant.tools import Toolbox
from mentor.learning.curriculum import Topic

MAX_QUOTES = 3
NEGATIVE = re.compile(
    r"\b(optional|not required|nice[- ]to[- ]have|not beginner|not needed|pick (one|pytorch or)|either"
    r"|choos(e|ing) one|one or two|advanced|not a prerequisite|not prerequisite)\b",
    re.IGNORECASE,
)


# --- gathering and quoting ----------------------------------------------------------------------


def gather(tb: Toolbox, queries: list[str], topics: list[Topic] = ()) -> list[Line]:
    """Ask the tools for passages (a search per query, a lookup per topic) and return the lines
    of every passage this answer has been shown."""
    for i, query in enumerate(queries):
        if query.strip():
            tb.run("search_curriculum", query=query)
            if i == 0:
                tb.run("find_lines", query=query)
    for topic in topics:
        tb.run("lookup_topic", topic=topic.id)
    return [line for n, chunk in enumerate(tb.book.chunks, 1) for line in passage_lines(n, chunk)]


def quoted(lines: list[Line], quotes: dict[int, str]) -> list[str]:
    """The lines as quoted bullets with their source numbers; notes each passage's quote."""
    out = []
    for line in lines:
        quotes.setdefault(line.n, line.text)
        out.append(f'- "{line.text}" [{line.n}]')
    return out


def mentioned(message: str, cur) -> list[Topic]:
    """The topics a message names, in the order it names them."""
    spans = cur.mention_spans(" ".join(message.split()))
    return [cur.topics[t] for t in dict.fromkeys(tid for _, _, tid in spans)]


def _finish(head: str, lines: list[Line], topic=None) -> Draft:
    quotes: dict[int, str] = {}
    return Draft("\n".join([head, *quoted(lines, quotes)]), quotes, topic)


# --- decisions: yes or no first -----------------------------------------------------------------

BEFORE = re.compile(r"\b(before|first|until after|straight (in)?to|skip|jump|without)\b", re.IGNORECASE)
TOGETHER = re.compile(r"\b(same time|together|alongside|in parallel|side by side)\b", re.IGNORECASE)
UNTIL_AFTER = re.compile(r"\b(leave|postpone|wait with|put off)\b.*\buntil after\b", re.IGNORECASE)


def answer_decision(intent, message, tb, memory, mode_note) -> Draft:
    cur = tb.deps.curriculum
    topics = mentioned(message, cur) or ([memory.last_topic] if memory.last_topic else [])
    verdict = _readiness(tb, message, topics[-1]) if topics else None
    if verdict is None and len(topics) >= 2:
        verdict = _graph_verdict(tb, message, topics[0], topics[-1])
    lines = gather(tb, [message], [topics[0], topics[-1]] if topics else [])
    caveat = select([ln for ln in lines if NEGATIVE.search(ln.text)], message, 1)
    chosen = caveat + [ln for ln in select(lines, message, MAX_QUOTES) if ln not in caveat]
    if verdict is None:
        verdict = _text_verdict(caveat, topics)
    if topics:
        memory.last_topic = topics[-1]
    return _finish(verdict, chosen[:MAX_QUOTES], topics[-1] if topics else None)


def short(topic: Topic) -> str:
    """A topic's title without its parenthesised details: 'Machine learning fundamentals'."""
    return re.sub(r"\s*\(.*\)\s*$", "", topic.title)


def _graph_verdict(tb: Toolbox, message: str, first: Topic, then: Topic) -> str | None:
    """Yes or no from the prerequisite graph, for a question about two topics' order."""
    cur = tb.deps.curriculum
    if UNTIL_AFTER.search(message):  # "can I leave A until after B?": yes unless B needs A
        return _leave_until_after(tb, first, then)
    chain = tb.run("prerequisites", topic=then.id).data
    needed = {p["id"] for p in chain["prerequisites"]} if isinstance(chain, dict) else set()
    if TOGETHER.search(message):
        if first.id in needed:
            return f"No: {short(then)} comes after {short(first)} in the roadmaps."
        return f"Yes: the roadmaps let you learn {short(first)} and {short(then)} in parallel."
    if not BEFORE.search(message) and not re.search(r"\b(need|require|have to|must)\b", message, re.IGNORECASE):
        return None
    if first.id in needed:
        return f"Yes: {short(then)} builds on {short(first)}, so finish that first{_tag(cur, first, then)}."
    suggested = {r["id"] for r in chain.get("recommended", [])} if isinstance(chain, dict) else set()
    if first.id in suggested and first.phase != "maths":  # maths is parallel support (the core rule)
        return f"Yes: the roadmaps put {short(first)} before {short(then)}, as an order to follow, not a hard gate."
    return "No: " + _why_not_required(cur, first, then)


def _tag(cur, before: Topic, after: Topic) -> str:
    """The roadmap's own words for a direct edge ("Step 5.1 [D: after projects]"), if there is one."""
    edge = cur.edge(before.id, after.id)
    quote = (edge.quote or "").strip().rstrip(":") if edge is not None else ""
    return f' ({edge.doc}: "{quote}")' if quote else ""


def _why_not_required(cur, first: Topic, then: Topic) -> str:
    if first.phase == "maths":
        return (
            f"the roadmaps treat maths such as {short(first)} as parallel support, learned only when needed, "
            f"not a prerequisite to finish before {short(then)}."
        )
    if then.id in first.parallel:
        return f"the roadmaps learn {short(first)} in parallel with {short(then)}, together."
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


def _readiness(tb: Toolbox, message: str, topic: Topic) -> str | None:
    """'Is it ok to go straight into X now?': yes when the learner has done what X needs."""
    if TOGETHER.search(message) or not re.search(r"\b(now|ready|straight|yet|jump)\b", message, re.IGNORECASE):
        return None
    chain = tb.run("prerequisites", topic=topic.id).data
    if not isinstance(chain, dict):
        return None
    missing = [tb.deps.curriculum.topics[m].title for m in chain["missing"]]
    direct = [p["title"] for p in chain["prerequisites"] if p["depth"] == 1]
    if not missing:
        return f"Yes: you have finished everything {short(topic)} needs."
    after = ", ".join(direct[:2]) or missing[0]
    return f"No: {short(topic)} comes after {after}; still missing for you: {', '.join(missing[:3])}."


def _text_verdict(lines: list[Line], topics: list[Topic]) -> str:
    """Yes or no from what the selected lines say: 'optional', 'not beginner-level', 'pick one'
    read as no; otherwise the roadmaps list it as part of the path."""
    name = topics[0].title if topics else "it"
    negative = next((ln for ln in lines if NEGATIVE.search(ln.text)), None)
    if negative is not None:
        word = NEGATIVE.search(negative.text).group(0)
        return f"No: the roadmaps mark it as {word.lower()}, not something you must do now."
    return f"Yes: the roadmaps include {name} on the path."


# --- which ones ---------------------------------------------------------------------------------


ASKING = frozenset(
    terms(
        "which what type types kind kinds method methods technique techniques learn need curriculum "
        "roadmap roadmaps list there should besides numbers report problems steps"
    )
)


def answer_which(intent, message, tb, memory, mode_note) -> Draft:
    topics = mentioned(message, tb.deps.curriculum)
    lines = gather(tb, [message], topics[:1])
    chosen = select(lines, message, MAX_QUOTES)
    if not chosen:
        return Draft("The roadmaps don't list that, so I won't guess.")
    wanted = set(terms(message)) - ASKING
    listed = next((ln for ln in chosen if _items(ln.text) and wanted & set(terms(ln.text))), None)
    items = _items(listed.text) if listed else []
    under = _listing(tb, message)
    if under is not None and (not items or _heading_fit(under[0], wanted) >= _heading_fit(listed.text, wanted)):
        heading, listed = under
        items = _items(heading) or [_plain(ln.text) for ln in listed][:6]
        chosen = listed[:1] + [ln for ln in chosen if ln not in listed][:1]
        head = f"Under {_plain(heading)}, the roadmaps list {', '.join(items)}:"
    else:
        head = f"The roadmaps name {', '.join(items)}:" if items else "The roadmaps list:"
    return _finish(head, chosen, topics[0] if topics else None)


def _listing(tb: Toolbox, message: str) -> tuple[str, list[Line]] | None:
    """The roadmap section whose own heading names what the question asks about ("which
    clustering methods" -> "7.1 Clustering"), read through `read_section`, with its items."""
    wanted = set(terms(message)) - ASKING
    best, score = None, 0
    for chunk in tb.deps.passages:  # the roadmaps' table of contents
        hit = _heading_fit(chunk.heading, wanted)
        if hit > score:
            best, score = chunk, hit
    if best is None:
        return None
    result = tb.run("read_section", section=_plain(best.heading), roadmap=best.doc)
    chunks = [c for c in (result.data if isinstance(result.data, list) else []) if c.chunk_id == best.chunk_id]
    if not chunks:
        return None
    n = tb.book.add(best)
    items = [ln for ln in passage_lines(n, best) if not ln.title and not ln.text.endswith(":")]
    return (best.heading, items) if len(items) >= 2 else None


def _heading_fit(text: str, wanted: set[str]) -> float:
    """How well a heading names what is wanted: shared words, less for words it has besides."""
    heading = set(terms(_plain(text))) - ASKING
    return len(wanted & heading) / (1 + 0.1 * len(heading - wanted))


def _plain(text: str) -> str:
    """An outline entry without its number: '7.1.1. K-Means Clustering' -> 'K-Means Clustering'."""
    return re.sub(r"^\W*\d+(\.\d+)*\.?\s*", "", text).strip().rstrip(".:")


def _items(text: str) -> list[str]:
    inside = re.search(r"\(([^)]*,[^)]*)\)", text)
    if inside:
        return [i.strip() for i in re.split(r",|\band\b", inside.group(1)) if i.strip()][:6]
    after = text.split(":", 1)[1] if ":" in text else ""
    return [i.strip() for i in after.split(",") if i.strip()][:6] if "," in after else []


# --- comparisons --------------------------------------------------------------------------------

VERSUS = re.compile(r"\s+(?:vs\.?|versus|or|and|compared (?:to|with))\s+", re.IGNORECASE)


def answer_compare(intent, message, tb, memory, mode_note) -> Draft:
    left, right = _sides(message)
    lines = gather(tb, [message])
    for side in (left, right):
        if side.strip():
            tb.run("find_lines", query=side)
    lines = [line for n, chunk in enumerate(tb.book.chunks, 1) for line in passage_lines(n, chunk)]
    picked: list[Line] = []
    for side in (left, right):
        own = set(terms(side))
        about = [ln for ln in lines if ln not in picked and own & set(terms(ln.text))]
        picked += select(about, side + " " + message, 1)
    near = {ln.chunk.chunk_id for ln in picked}
    both = select([ln for ln in lines if ln not in picked and ln.chunk.chunk_id in near], f"{left} {right}", 1)
    chosen = (picked + both)[:MAX_QUOTES]
    if not chosen:
        return Draft("The roadmaps don't compare those, so I won't guess.")
    where = _plain(chosen[0].chunk.heading)
    head = f"Side by side, from the roadmaps ({where}): {left.strip()} and {right.strip()}:"
    return _finish(head, chosen)


def _sides(message: str) -> tuple[str, str]:
    text = re.sub(r"^(what'?s|what is) the difference between\s+", "", message.strip(), flags=re.IGNORECASE)
    text = re.split(r"[?,;]|\s-\s|\bwhat'?s\b|\bwhen\b|\bwhich\b|\bis there\b|\bdo i\b", text, flags=re.IGNORECASE)[0]
    parts = VERSUS.split(text, maxsplit=1)
    if len(parts) == 2:
        return parts[0], parts[1]
    return text, ""


# --- how long -------------------------------------------------------------------------------------


def answer_how_long(intent, message, tb, memory, mode_note) -> Draft:
    cur = tb.deps.curriculum
    topics = mentioned(message, cur)
    lines = gather(tb, [message], topics[:2])
    body = select(lines, message, 2)
    parts = []
    for topic in topics[:2]:
        source = topic.hours_source if topic.hours_source != "estimate" else "our estimate"
        parts.append(f"{short(topic)}: about {topic.hours:g} hours ({source}).")
    week = _week(tb, message, topics)
    quotes: dict[int, str] = {}
    if week:
        quotes[week[0].n] = tb.body_quote(week[0].n, week[0].text, message)  # the week's content, not its title
        numbers = re.findall(r"\d+", week[0].text.split(":")[0])
        span = f"weeks {numbers[0]}-{numbers[-1]}" if len(numbers) > 1 else f"week {numbers[0]}"
        parts.insert(0, f"The six-month plan gives it {len(numbers)} week{'s' * (len(numbers) > 1)} ({span}).")
    if not parts:
        return Draft("The roadmaps don't give a time for that.")
    cited = [f'- "{quotes[week[0].n]}" [{week[0].n}]'] if week else []
    rest = [ln for ln in body if not week or ln.n != week[0].n][: MAX_QUOTES - len(cited)]
    return Draft("\n".join([" ".join(parts), *cited, *quoted(rest, quotes)]), quotes, topics[0] if topics else None)


WEEKLY = frozenset(terms("week weeks month months plan give gives spend hours long many much time allot"))


def _week(tb: Toolbox, message: str, topics: list[Topic]) -> list[Line]:
    """The week range of the week-by-week plan whose title names what the question asks about
    (chosen from the plan's table of contents, read through `read_section`)."""
    wanted = (set(terms(message)) | {t for topic in topics for t in terms(short(topic))}) - ASKING - WEEKLY
    best, score = None, 0
    for chunk in tb.deps.passages:
        if re.match(r"^\W*week\s*\d", chunk.heading, re.IGNORECASE):
            hit = _heading_fit(chunk.heading.split(":", 1)[-1], wanted)
            if hit > score:
                best, score = chunk, hit
    if best is None:
        return []
    label = re.match(r"^\W*(week\s*\d+)", best.heading, re.IGNORECASE).group(1)
    found = tb.run("read_section", section=label, roadmap=best.doc).data
    if not isinstance(found, list) or best not in found:
        return []
    return [ln for ln in passage_lines(tb.book.add(best), best) if ln.text == best.heading.strip()][:1]


# --- sections of a roadmap ------------------------------------------------------------------------


def answer_section(intent, message, tb, memory, mode_note) -> Draft:
    result = tb.run("read_section", section=message)
    chunks = result.data if isinstance(result.data, list) else []
    if not chunks:
        return answer_which(intent, message, tb, memory, mode_note)
    numbers = result.sources
    lines = [ln for n, c in zip(numbers, chunks) for ln in passage_lines(n, c)]
    if len(chunks) == 1:
        items = [ln.text.rstrip(".") for ln in lines if not ln.title and not ln.text.endswith(":")][:6]
    else:
        items = [_step_name(c) + _first_items(ln for ln in lines if ln.chunk is c) for c in chunks]
    top = chunks[0].section.split(" › ")
    name = top[0] if len(chunks) > 1 or len(top) == 1 else top[-1]
    head = f"{name} ({_roadmap_name(tb, chunks[0].doc)}) covers: " + "; ".join(dict.fromkeys(items)) + "."
    chosen = select(lines, message, 2)
    return _finish(head, chosen)


def _step_name(chunk) -> str:
    """A sub-section's own name: "Step 0.2 [P with Step 0.1]: Learn core data libraries" becomes
    "Learn core data libraries"."""
    last = chunk.section.split(" › ")[-1].rstrip("…")
    name = re.sub(r"^\W*(step|week)\s*[\d., ]+(\[[^\]]*\])?\s*:?\s*", "", last, flags=re.IGNORECASE).strip()
    return (name or last).rstrip(".")


def _first_items(lines) -> str:
    """A passage's first list items, briefly: ' (NumPy, Pandas, Matplotlib)'."""
    bullets = [ln.text for ln in lines if re.match(r"^[A-Za-z]", ln.text) and len(ln.text.split()) <= 4]
    bullets = [b for b in bullets if not b.endswith(":")][:3]
    return f" ({', '.join(b.rstrip('.') for b in bullets)})" if bullets else ""


def _roadmap_name(tb, doc_id: str) -> str:
    return next((d.title for d in tb.deps.documents if d.id == doc_id), doc_id)


# --- where the roadmaps disagree -------------------------------------------------------------------


def answer_conflict(intent, message, tb, memory, mode_note) -> Draft:
    topics = mentioned(message, tb.deps.curriculum)
    result = tb.run("disagreements", topic="")  # all of them: the question's topics and words pick one
    found = (result.data or {}).get("disagreements") or []
    wanted, ids = set(terms(message)), {t.id for t in topics}

    def fit(c: dict) -> int:
        said = c["description"] + " " + " ".join(s["quote"] for s in c["sources"])
        return 3 * len(set(c["topics"]) & ids) + len(wanted & set(terms(said)))

    best = max(found, key=fit, default=None)
    lines = gather(tb, [message])
    chosen = select(lines, message, 2)
    if best is None or fit(best) < 3:
        return _finish("I know of no disagreement between the roadmaps there. What they say:", chosen)
    quotes: dict[int, str] = {}
    sides = [f'- {s["doc"]}: "{s["quote"]}" [{s["n"]}]' for s in best["sources"] if s.get("n")][:3]
    for s in best["sources"]:
        if s.get("n"):
            quotes.setdefault(s["n"], tb.body_quote(s["n"], s["quote"], best["description"]))
    extra = [ln for ln in chosen if ln.n not in quotes][:1]
    body = quoted(extra, quotes)
    return Draft("\n".join([f"The roadmaps disagree here. {best['description']}", *sides, *body]), quotes)


# --- explaining a concept offline -------------------------------------------------------------------


def answer_explain(intent, message, tb, memory, mode_note, topic: Topic | None) -> Draft | None:
    """What the roadmaps say about a concept: honest that they list it rather than explain it,
    where it sits, and the lines that mention it."""
    lines = gather(tb, [message], [topic] if topic else [])
    chosen = select(lines, message, MAX_QUOTES)
    if not chosen:
        return None
    if topic is not None:
        info = next((c.result.data for c in reversed(tb.calls) if c.name == "lookup_topic"), None) or {}
        pre = f"; it builds on {', '.join(info.get('prerequisites', [])[:3])}" if info.get("prerequisites") else ""
        head = (
            f"The roadmaps list {short(topic)} (in {topic.phase.replace('-', ' ')}{pre}) rather than explain it; "
            "here is what they say:"
        )
        memory.last_topic = topic
    else:
        head = "The roadmaps mention it without explaining it; here is what they say:"
    return _finish(head, chosen, topic)


# --- order: what comes after a topic, and the order of several ---------------------------------


def answer_after(tb: Toolbox, message: str, topics: list[Topic], memory: Memory) -> Draft:
    """'X done, what's next?': what the roadmaps build on X, with their lines."""
    cur = tb.deps.curriculum
    unlocked: list[str] = []
    done = {t.title for t in topics}
    for topic in topics:
        info = tb.run("lookup_topic", topic=topic.id).data or {}
        alongside = [c for c in info.get("learn_with", []) if c not in done]
        unlocked += [u for u in alongside + info.get("unlocks", []) if u not in unlocked and u not in done]
    names = ", ".join(short(t) for t in topics)
    if not unlocked:
        return _finish(f"Nothing in the roadmaps builds directly on {names}; see `what should I learn next?`.", [])
    lines = gather(tb, [f"{message} {' '.join(unlocked[:3])}"])
    chosen = select(lines, " ".join(unlocked[:3]), 2)
    later = [t for t in cur.topics.values() if t.title in unlocked[:2]]
    memory.last_topic = later[0] if later else topics[-1]
    memory.suggested = [t.id for t in later]
    return _finish(f"After {names}, the roadmaps go on to: {', '.join(unlocked[:5])}.", chosen, memory.last_topic)


def answer_order(intent, message, tb, memory, mode_note) -> Draft:
    """'In what order should I learn A, B and C?': the graph's order, with what goes in parallel."""
    cur = tb.deps.curriculum
    topics = mentioned(message, cur)
    if len(topics) < 2:
        return answer_after(tb, message, topics, memory) if topics else _finish("Which topics do you mean?", [])
    for topic in topics:
        tb.run("prerequisites", topic=topic.id)
    ordered = sorted(topics, key=lambda t: (len(cur.ancestors(t.id) & {o.id for o in topics}), cur.sort_key(t.id)))
    steps = []
    for topic in ordered:
        together = [short(o) for o in ordered if o.id in topic.parallel and ordered.index(o) < ordered.index(topic)]
        steps.append(f"{short(topic)} (in parallel with {', '.join(together)})" if together else short(topic))
    chosen = select(gather(tb, [message]), message, 2)
    return _finish("In the roadmaps' order: " + " → ".join(steps) + ".", chosen, ordered[-1])


SHAPE_HANDLERS = {
    "order": answer_order,
    "decision": answer_decision,
    "which": answer_which,
    "compare": answer_compare,
    "how_long": answer_how_long,
    "section": answer_section,
    "conflict": answer_conflict,
}
