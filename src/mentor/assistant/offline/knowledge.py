"""The offline mode's answers about the roadmaps: greeting, help, prerequisites, plans, concepts
and free search. Each calls the same tools an
LLM would (through `Toolbox.run`) and composes the reply from templates and the most relevant
sentences of the retrieved passages, with [n] markers that `citations.finalize` turns into
checked citations.

Nothing here invents curriculum facts: every statement comes from the graph, the learner's
progress or a quoted passage. When retrieval finds nothing relevant, the answer says so.

Not here: what to learn next (`next.py`), answers about the learner's own progress and profile
(`learner.py`), the dispatch (`compose.py`).
"""

from __future__ import annotations

import re

from mentor.assistant.citations import best_sentence, content_words
from mentor.assistant.evidence import bullets, is_label, lines_under, passage_lines, select
from mentor.assistant.offline.anchored import anchored
from mentor.assistant.offline.draft import Draft, Memory, markers, resolve_topic, short_title
from mentor.assistant.offline.placing import before_in_roadmap
from mentor.assistant.offline.shapes import answer_explain, defining, step_quote
from mentor.assistant.offline.verdicts import ANY_TIME
from mentor.assistant.router import Intent
from mentor.assistant.tools import Toolbox, ToolResult
from mentor.assistant.topics import mentioned_topic
from mentor.corpus.documents import roadmaps_named, without_roadmap_names
from mentor.learning.actions import StudyPlan

MIN_COVERAGE = 0.5  # share of a question's content words the corpus must know to call it in scope


def in_scope(message: str, tb: Toolbox) -> bool:
    """Most of the question's words are the roadmaps' own, or a passage's learner phrasings
    match most of it (the phrasings alone never decide on a word or two: "sourdough bread")."""
    retriever = tb.deps.retriever
    return retriever.known_share(content_words(message)) >= MIN_COVERAGE or retriever.matched_share(message) >= 0.5


# --- greeting, help, refusals ---------------------------------------------------------------


def answer_greeting(intent, message, tb, memory, mode_note) -> Draft:
    return Draft(
        f"Hello! I'm your ML learning mentor ({mode_note}). I know five ML roadmaps and can tell you "
        "what to learn next, what a topic needs first, make a week-by-week plan, find resources, "
        'and keep track of your progress (you confirm every change). Try: "What should I learn next?"'
    )


def answer_help(intent, message, tb, memory, mode_note) -> Draft:
    return Draft(
        f"I answer from five ML learning roadmaps ({mode_note}). You can ask:\n"
        '- "What should I learn next?" (or "…towards transformers")\n'
        '- "What do I need before deep learning?"\n'
        '- "Make me a 12-week plan at 8 hours a week"\n'
        '- "Where can I learn pandas?" or "What is cross-validation?"\n'
        '- "I finished linear regression": I propose recording it and you confirm; "undo" works the same way.'
    )


def answer_injection(intent, message, tb, memory, mode_note) -> Draft:
    return Draft(
        "I can't follow instructions that try to change how I work, and I haven't changed anything. "
        'If you have finished something, tell me which topic, e.g. "I finished NumPy", and confirm what I propose.'
    )


# --- prerequisites --------------------------------------------------------------------------


# what a roadmap puts before a topic, asked in so many words
AFTER = re.compile(r"\b(after|afterwards)\b", re.IGNORECASE)  # not "then": "what comes before X then?"
RIGHT_BEFORE = re.compile(r"\bbefore\b|\bsets? (you|me|one) up\b|\bprecedes?\b|\bleads? (up )?to\b", re.IGNORECASE)


def answer_prereqs(intent, message, tb, memory, mode_note) -> Draft:
    cur = tb.deps.curriculum
    topic = resolve_topic(intent, message, memory, cur)
    if topic is None:
        return _unknown_topic(intent, message, tb)
    named = roadmaps_named(tb.deps.documents, tb.user_message or message)
    asked_before = len(named) == 1 and RIGHT_BEFORE.search(message)  # not "can I jump to the cv part?"
    then = asked_before and AFTER.search(message)  # "… and what do i move on to after them?"
    placed = before_in_roadmap(tb, named[0], topic, after=bool(then)) if asked_before else None
    if placed is not None:  # "… going by the master curriculum": that roadmap's own order
        memory.last_topic = topic
        return placed
    result = tb.run("prerequisites", topic=topic.id)
    chain = result.data
    memory.last_topic = topic
    marker = markers(result.sources[:1])
    # "can I learn git any time?": yes when nothing comes first, no when something does
    whenever = bool(ANY_TIME.search(message) and re.search(r"\b(can|could|may) i\b", message, re.IGNORECASE))
    if not chain["prerequisites"]:
        return Draft(
            f"{'Yes: ' if whenever else ''}{topic.title} has no prerequisites in the roadmaps: you can start it any "
            f"time.{marker}",
            topic=topic,
        )
    lines, quotes = [f"{'No: ' if whenever else ''}{topic.title}{marker} builds directly on:"], {}
    for p in chain["prerequisites"]:
        if p["depth"] == 1:
            lines.append(_direct_line(tb, p, quotes))
    lines += _chain_lines(cur, topic, chain)
    return Draft("\n".join(lines), quotes, topic)


def _direct_line(tb: Toolbox, prerequisite: dict, quotes: dict[int, str]) -> str:
    """A direct prerequisite and where the requirement comes from, cited when a passage has it."""
    src = prerequisite["sources"][0]
    n = tb.cite_quote(src.get("doc"), src.get("quote"))
    why = (
        f"from the roadmaps' {src['kind']}"
        if src["kind"] != "judgement"
        else "our judgement: " + (src.get("note") or "")
    )
    tag = (src.get("quote") or "").strip().rstrip(":")
    if n:
        quotes[n] = tb.body_quote(n, src.get("quote"), prerequisite["title"])
        if quotes[n] != src.get("quote") and tag:
            why += f': "{tag}"'  # the roadmap's own tag, said in the answer; the quote shows the body
    return f"- {prerequisite['title']} ({why}){f' [{n}]' if n else ''}"


def _chain_lines(cur, topic, chain: dict) -> list[str]:
    """The whole chain when it is longer than the direct prerequisites, and what is missing."""
    everything = chain["prerequisites"]
    lines = []
    if len(everything) > len([p for p in everything if p["depth"] == 1]):
        lines.append(
            f"With their own prerequisites that is {len(everything)} topics in all"
            + (
                ": " + ", ".join(p["title"] for p in everything) + "."
                if len(everything) <= 8
                else f" (`mentor prereqs {topic.id}` lists them in order)."
            )
        )
    missing = [cur.topics[m].title for m in chain["missing"]]
    if not missing:
        lines.append("You have done all of them: you are ready to start.")
    elif len(missing) == len(everything):
        lines.append(f"You haven't recorded any of them yet; start with {', '.join(missing[:3])}.")
    else:
        lines.append(
            f"Still missing for you ({len(missing)}): {', '.join(missing[:6])}" + ("…" if len(missing) > 6 else ".")
        )
    return lines


# --- plans ----------------------------------------------------------------------------------


def answer_plan(intent, message, tb, memory, mode_note) -> Draft:
    profile = tb.deps.progress.profile(tb.learner)
    hours = intent.hours or profile.get("hours_per_week")
    if not hours:
        return Draft('How many hours a week can you study? For example: "make me a plan at 8 hours a week".')
    goal = intent.topic_text or profile.get("goal_topic") or ""
    result = tb.run("make_plan", hours_per_week=hours, weeks=intent.weeks or 0, goal=goal)
    if not isinstance(result.data, StudyPlan):  # an unknown goal, hours out of range
        return Draft(result.text)
    data = result.data.to_dict()
    weeks = data["weeks"]
    if not weeks:
        return Draft("Nothing to plan: everything on that path is done or skipped.")
    order = [t["id"] for w in weeks for t in w["topics"]]
    memory.suggest(dict.fromkeys(order))
    memory.last_topic = tb.deps.curriculum.topics[order[0]]  # "why is that first?" asks about it
    target = f" towards {data['goal']['title']}" if data["goal"] else " through the whole curriculum"
    lines = [
        f"A {len(weeks)}-week plan{target} at {hours:g} hours a week ({data['total_hours']:g} hours in all), "
        "never starting a topic before its prerequisites:"
    ]
    for w in weeks[:8]:
        lines.append(f"- Week {w['week']}: " + ", ".join(f"{t['title']} ({t['hours']:g} h)" for t in w["topics"]))
    if len(weeks) > 8:
        lines.append(
            f"- … {len(weeks) - 8} more weeks (`mentor plan --hours-per-week {hours:g} --md` prints them all)."
        )
    if data["unscheduled"]:
        lines.append(
            f"{len(data['unscheduled'])} topics do not fit in {intent.weeks} weeks; more hours a week would help."
        )
    return Draft("\n".join(lines))


# --- concepts and free search ---------------------------------------------------------------


def answer_concept(intent, message, tb, memory, mode_note) -> Draft:
    """'What is X?' offline: the roadmaps list X but do not explain it; say so, where it sits,
    and quote the lines that mention it."""
    cur = tb.deps.curriculum
    if intent.topic_text or intent.follow_up:  # the words after "what is": the topic, if they name one
        topic = resolve_topic(intent, intent.topic_text or message, memory, cur)
    else:
        topic = mentioned_topic(message, cur)
    placed = anchored(tb, message, topic)  # "the silhouette score": where the roadmaps put those words
    if placed is not None:
        return placed
    if topic is None and not in_scope(message, tb):
        return out_of_scope(message, tb)
    return answer_explain(intent, message, tb, memory, mode_note, topic) or answer_search(
        intent, message, tb, memory, mode_note
    )


def answer_search(intent, message, tb, memory, mode_note) -> Draft:
    cur = tb.deps.curriculum
    topic = (
        resolve_topic(intent, message, memory, cur)
        if (intent.topic_text or intent.follow_up)
        else mentioned_topic(message, cur)
    )
    if topic is None and tb.user_message and THAT.search(message):  # "… mentions 'rollback'. can you explain that?"
        topic = mentioned_topic(tb.user_message, cur)
    placed = anchored(tb, message, topic) if intent.name in ANCHORED else None
    if placed is not None:  # "what does semi-supervised learning mean?": where the roadmaps put those words
        return placed
    if topic is None and not in_scope(message, tb):
        return out_of_scope(message, tb)
    query = message if topic is None or not intent.follow_up else f"{topic.title} {message}"
    named = roadmaps_named(tb.deps.documents, message)
    roadmap = named[0] if len(named) == 1 else ""  # "what extra skills does the codebasics roadmap list?"
    search = tb.run("search_curriculum", query=query, **({"roadmap": roadmap} if roadmap else {}))
    if not search.sources:
        return out_of_scope(message, tb)
    head = _topic_summary(tb, topic, memory) + " " if topic is not None else ""
    tb.run("find_lines", query=query)
    every = [ln for n, c in enumerate(tb.book.chunks, 1) for ln in passage_lines(n, c)]
    asked = without_roadmap_names(tb.deps.documents, query)  # its words, not "codebasics" or "roadmap"
    chosen = _best_lines(every if not roadmap else [ln for ln in every if ln.chunk.doc == roadmap], asked, topic)
    if roadmap and not chosen:  # "what does the master curriculum say about RAG?": nothing; the others do
        head += f"{roadmap} says nothing about it; the other roadmaps do. "
        chosen = _best_lines(every, asked, topic)
    # no topic named ("hash maps and sorting stuff"): the lines the closest learner phrasings ask for first
    phrased = phrased_lines(tb, search, roadmap or None) if topic is None else []
    texts = {ln.text for ln in phrased}
    chosen = (phrased + [ln for ln in chosen if ln.text not in texts])[:3]
    if not chosen and topic is None:  # nothing in the roadmaps matches a word of it ("what is [Z]?")
        return out_of_scope(message, tb)
    if not chosen:
        lines = [head + "What the roadmaps say:"]
        return Draft("\n".join(lines), _quoted_lines(search, query, lines), topic)
    quotes: dict[int, str] = {}
    body = bullets(chosen, quotes, lists=True)
    return Draft("\n".join([head + "What the roadmaps say:", *body]), quotes, topic)


ANCHORED = frozenset({"concept", "search"})  # what a phrase's place answers: not a plan, not next steps
THAT = re.compile(r"\b(that|it|this|those|them)\b", re.IGNORECASE)


def _best_lines(lines: list, query: str, topic) -> list:
    """Up to three lines answering `query`: first where the roadmaps place the topic, if one is asked."""
    chosen = select(defining(lines, topic), f"{query} {topic.title}", 2) if topic is not None else []
    return chosen + [ln for ln in select(lines, query, 3) if ln not in chosen][: 3 - len(chosen)]


# a learner phrasing's cosine to the question for its line to be quoted first: chosen on the tuning paraphrases
# (paraphrase_dev, paraphrase_dev2: answers quoting a reference line 0.329 -> 0.382; 0.355 at 0.8, 0.382 at 0.7)
PHRASED_MIN = 0.75
PHRASED = 1  # lines quoted for what the closest learner phrasings ask for


def phrased_lines(tb: Toolbox, search: ToolResult, roadmap: str | None = None) -> list:
    """The roadmap lines the learner phrasings closest to the question ask for (`SearchResult.lines`),
    when close enough: "will hiring panels quiz me on hash maps" is the phrasing of "Data Structures:
    Arrays, Linked Lists, Trees, Graphs, Hash Tables". A heading's line gives its passage's body line."""
    found = []
    for chunk, text, score in getattr(search.data, "lines", []):
        if score < PHRASED_MIN or chunk.kind != "passage" or (roadmap and chunk.doc != roadmap):
            continue
        lines = passage_lines(tb.book.add(chunk), chunk)
        own = [ln for ln in lines if text in ln.text or (len(ln.text) > 12 and ln.text in text)]
        if own and is_label(own[0]):  # "### Data Structures & Algorithms", "- Agent Systems": what it heads
            under = lines_under(own[0])
            own = (select(under, f"{text} {search.data.query}", 1) if own[0].title else under[:1]) or own
        found += [ln for ln in own[:1] if ln.text not in {f.text for f in found}]
        if len(found) >= PHRASED:
            break
    return found


def _topic_summary(tb: Toolbox, topic, memory: Memory) -> str:
    memory.last_topic = topic
    info = tb.run("lookup_topic", topic=topic.id).data
    pre = (
        f" It builds on {', '.join(short_title(p) for p in info['prerequisites'][:3])}."
        if info["prerequisites"]
        else ""
    )
    phase = short_title(tb.deps.curriculum.phase_titles.get(topic.phase, topic.phase))
    step = step_quote(tb.deps.curriculum, topic)  # "at what point do I learn it?"
    at = f' ({tb.deps.curriculum.backbone_doc}: "{step}")' if step else ""
    return f"{short_title(topic.title)} is part of the {phase} phase{at}, about {topic.hours:g} h.{pre}"


def _quoted_lines(search: ToolResult, query: str, lines: list[str]) -> dict[int, str]:
    """Up to three passages' best sentences about the query, appended to `lines` as quotes
    (the first passage always); returns the quote per source number."""
    quotes, used = {}, 0
    for n, hit in zip(search.sources, search.data.hits):
        sentence = best_sentence(hit.chunk, query)
        if content_words(sentence) & content_words(query) or used == 0:
            lines.append(f'- {hit.chunk.title} › {hit.chunk.section}: "{sentence}" [{n}]')
            quotes[n] = sentence
            used += 1
        if used >= 3:
            break
    return quotes


def out_of_scope(message: str, tb: Toolbox) -> Draft:
    cur = tb.deps.curriculum
    _, suggestions = cur.find(message)
    nearby = ", ".join(t.title for t in suggestions[:3]) or ", ".join(
        cur.topics[t].title
        for t in ("python-basics", "ml-fundamentals", "neural-networks", "llm-basics")
        if t in cur.topics
    )
    return Draft(
        "The roadmaps I know don't cover that, so I won't guess. They cover the path to becoming an "
        f"ML engineer: programming, maths, classical ML, deep learning, LLMs and MLOps. Nearby topics: {nearby}."
    )


def _unknown_topic(intent: Intent, message: str, tb: Toolbox) -> Draft:
    _, suggestions = tb.deps.curriculum.find(intent.topic_text or message)
    if suggestions:
        return Draft(
            f'I don\'t know a topic called "{intent.topic_text or message}". Did you mean: '
            + ", ".join(t.title for t in suggestions)
            + "?"
        )
    return out_of_scope(message, tb)


KNOWLEDGE_HANDLERS = {
    "greeting": answer_greeting,
    "help": answer_help,
    "injection": answer_injection,
    "prereqs": answer_prereqs,
    "plan": answer_plan,
    "concept": answer_concept,
    "search": answer_search,
}
