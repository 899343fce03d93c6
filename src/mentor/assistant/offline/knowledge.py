"""The offline mode's knowledge answers (answers about the learner's own progress are in
`answer_learner.py`): for each intent the router finds, call the same tools an LLM
would and compose the reply from templates and the most relevant sentences of the retrieved
passages, with [n] markers that `citations.finalize` turns into checked citations.

Nothing here invents curriculum facts: every statement comes from the graph, the learner's
progress or a quoted passage. When retrieval finds nothing relevant, the answer says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mentor.assistant.citations import best_sentence, content_words
from mentor.assistant.router import Intent
from mentor.assistant.tools import Toolbox

MIN_COVERAGE = 0.5  # share of a question's content words the corpus must know to call it in scope


@dataclass
class Draft:
    text: str
    quotes: dict[int, str] = field(default_factory=dict)  # proposed quote per source number
    topic: object = None  # the topic the answer was about, for follow-ups
    suggested: list[str] = field(default_factory=list)  # topic ids suggested as next steps


@dataclass
class Memory:
    """What follow-up questions may refer to."""

    last_topic: object = None
    last_intent: Intent | None = None
    suggested: list[str] = field(default_factory=list)


# --- topics in a message --------------------------------------------------------------------


def mentioned_topic(text: str, cur):
    """The most specific topic a piece of text names, or None."""
    if not text:
        return None
    topic, _ = cur.find(text)
    if topic is not None:
        return topic
    found = cur.mentions(text)
    return cur.topics[found[0][0]] if found else None


def resolve_topic(intent: Intent, message: str, memory: Memory, cur):
    topic = mentioned_topic(intent.topic_text or "", cur) or mentioned_topic(message, cur)
    if topic is None and (intent.follow_up or not intent.topic_text):
        topic = memory.last_topic
    return topic


def in_scope(message: str, toolbox: Toolbox) -> bool:
    words = content_words(message)
    if not words:
        return True
    vocab = toolbox.deps.retriever.index.vocabulary
    rewriter = toolbox.deps.retriever.rewriter
    fixed = rewriter.corrections(message)
    known = [w for w in words if w in vocab or fixed.get(w) in vocab or w in rewriter.glossary]
    return len(known) / len(words) >= MIN_COVERAGE


# --- the intents ----------------------------------------------------------------------------


def compose(intent: Intent, message: str, toolbox: Toolbox, memory: Memory, mode_note: str) -> Draft:
    from mentor.assistant.offline.learner import LEARNER_HANDLERS

    handler = HANDLERS.get(intent.name) or LEARNER_HANDLERS.get(intent.name, answer_search)
    return handler(intent, message, toolbox, memory, mode_note)


def answer_greeting(intent, message, tb, memory, mode_note) -> Draft:
    return Draft(f"Hello! I'm your ML learning mentor ({mode_note}). I know five ML roadmaps and can tell you "
                 "what to learn next, what a topic needs first, make a week-by-week plan, find resources, "
                 "and record your progress. Try: \"What should I learn next?\"")


def answer_help(intent, message, tb, memory, mode_note) -> Draft:
    return Draft(
        f"I answer from five ML learning roadmaps ({mode_note}). You can ask:\n"
        "- \"What should I learn next?\" (or \"…towards transformers\")\n"
        "- \"What do I need before deep learning?\"\n"
        "- \"Make me a 12-week plan at 8 hours a week\"\n"
        "- \"Where can I learn pandas?\" or \"What is cross-validation?\"\n"
        "- \"I finished linear regression\" records progress; \"undo\" takes it back.")


def answer_injection(intent, message, tb, memory, mode_note) -> Draft:
    return Draft("I can't follow instructions that try to change how I work, and I haven't changed anything. "
                 "If you have finished something, tell me which topic, e.g. \"I finished NumPy\".")


def answer_next(intent, message, tb, memory, mode_note) -> Draft:
    cur = tb.deps.curriculum
    goal_text = intent.topic_text or ""
    if not goal_text:
        goal_id = tb.deps.progress.profile(tb.learner).get("goal_topic")
        goal_text = goal_id or ""
    if intent.follow_up and memory.suggested:
        return _after_that(tb, memory)
    result = tb.run("next_steps", goal=goal_text)
    if result.data is None or "unknown" in (result.data or {}):
        return Draft(result.text)
    items = result.data["topics"]
    if not items:
        return Draft("You have covered everything " + (f"on the way to {result.data['goal']['title']}."
                                                       if result.data["goal"] else "in the curriculum. Well done!"))
    head = "Here is what I'd learn next" + (f" on the way to {result.data['goal']['title']}" if result.data["goal"] else "") + ":"
    lines, quotes = [head], {}
    for i, item in enumerate(items, 1):
        topic = cur.topics[item["id"]]
        numbers = tb._cite_topic(topic, limit=1)
        marker = "".join(f" [{n}]" for n in numbers)
        together = f" (together with {', '.join(c['title'] for c in item['learn_with'])})" if item["learn_with"] else ""
        lines.append(f"{i}. {topic.title}{together}, about {topic.hours:g} h. {item['why']}{marker}")
        for r in item["resources"][:2]:
            lines.append(f"   Resource: {r['anchor']} ({r['kind']}): {r['url']}")
        for n in numbers:
            quotes[n] = next((s["quote"] for s in topic.sources if s.get("quote") in tb.book.get(n).text), None)
    memory.suggested = [i["id"] for i in items]
    memory.last_topic = cur.topics[items[0]["id"]]
    return Draft("\n".join(lines), quotes, memory.last_topic, memory.suggested)


def _after_that(tb: Toolbox, memory: Memory) -> Draft:
    from mentor.learning.plan import next_steps

    cur = tb.deps.curriculum
    statuses = {**tb.deps.progress.statuses(tb.learner), **{t: "done" for t in memory.suggested}}
    steps = next_steps(cur, statuses)
    tb.calls.append(pseudo_call("next_steps", {"assuming_done": list(memory.suggested)}, steps))
    if not steps:
        return Draft("Once those are done, you will have covered everything in the curriculum.")
    names = ", ".join(cur.topics[t].title for t in memory.suggested)
    lines, quotes = [f"Once you have finished {names}, these open up:"], {}
    for i, s in enumerate(steps, 1):
        numbers = tb._cite_topic(s.topics[0], limit=1)
        lines.append(f"{i}. {s.topics[0].title}. {s.why}" + "".join(f" [{n}]" for n in numbers))
    memory.suggested = [s.topics[0].id for s in steps]
    return Draft("\n".join(lines), quotes, cur.topics[steps[0].topics[0].id], memory.suggested)


def answer_prereqs(intent, message, tb, memory, mode_note) -> Draft:
    cur = tb.deps.curriculum
    topic = resolve_topic(intent, message, memory, cur)
    if topic is None:
        return _unknown_topic(intent, message, tb)
    result = tb.run("prerequisites", topic=topic.id)
    chain = result.data
    memory.last_topic = topic
    marker = "".join(f" [{n}]" for n in result.sources[:1])
    if not chain["prerequisites"]:
        return Draft(f"{topic.title} has no prerequisites in the roadmaps: you can start it any time.{marker}", topic=topic)
    direct = [p for p in chain["prerequisites"] if p["depth"] == 1]
    everything = chain["prerequisites"]
    lines = [f"{topic.title}{marker} builds directly on:"]
    quotes = {}
    for p in direct:
        src = p["sources"][0]
        n = _cite_quote(tb, src.get("doc"), src.get("quote"))
        why = f"from the roadmaps' {src['kind']}" if src["kind"] != "judgement" else "our judgement: " + (src.get("note") or "")
        lines.append(f"- {p['title']} ({why}){f' [{n}]' if n else ''}")
        if n:
            quotes[n] = src.get("quote")
    if len(everything) > len(direct):
        lines.append(f"With their own prerequisites that is {len(everything)} topics in all"
                     + (": " + ", ".join(p["title"] for p in everything) + "." if len(everything) <= 8 else
                        f" (`mentor prereqs {topic.id}` lists them in order)."))
    missing = [cur.topics[m].title for m in chain["missing"]]
    if not missing:
        lines.append("You have done all of them: you are ready to start.")
    elif len(missing) == len(everything):
        lines.append(f"You haven't recorded any of them yet; start with {', '.join(missing[:3])}.")
    else:
        lines.append(f"Still missing for you ({len(missing)}): {', '.join(missing[:6])}" + ("…" if len(missing) > 6 else "."))
    return Draft("\n".join(lines), quotes, topic)


def answer_plan(intent, message, tb, memory, mode_note) -> Draft:
    profile = tb.deps.progress.profile(tb.learner)
    hours = intent.hours or profile.get("hours_per_week")
    if not hours:
        return Draft("How many hours a week can you study? For example: \"make me a plan at 8 hours a week\".")
    goal = intent.topic_text or profile.get("goal_topic") or ""
    result = tb.run("make_plan", hours_per_week=hours, weeks=intent.weeks or 0, goal=goal)
    data = result.data
    if not isinstance(data, dict) or "weeks" not in data:
        return Draft(result.text)
    weeks = data["weeks"]
    if not weeks:
        return Draft("Nothing to plan: everything on that path is done or skipped.")
    target = f" towards {data['goal']['title']}" if data["goal"] else " through the whole curriculum"
    lines = [f"A {len(weeks)}-week plan{target} at {hours:g} hours a week ({data['total_hours']:g} hours in all), "
             "never starting a topic before its prerequisites:"]
    for w in weeks[:8]:
        lines.append(f"- Week {w['week']}: " + ", ".join(f"{t['title']} ({t['hours']:g} h)" for t in w["topics"]))
    if len(weeks) > 8:
        lines.append(f"- … {len(weeks) - 8} more weeks (`mentor plan --hours-per-week {hours:g} --md` prints them all).")
    if data["unscheduled"]:
        lines.append(f"{len(data['unscheduled'])} topics do not fit in {intent.weeks} weeks; more hours a week would help.")
    return Draft("\n".join(lines))


def answer_resources(intent, message, tb, memory, mode_note) -> Draft:
    cur = tb.deps.curriculum
    topic = resolve_topic(intent, message, memory, cur)
    lines, quotes = [], {}
    if topic is not None:
        memory.last_topic = topic
        info = tb.run("lookup_topic", topic=topic.id).data
        if info.get("resources"):
            lines.append(f"For {topic.title} the roadmaps link:")
            for r in info["resources"]:
                n = _cite_resource(tb, r["url"])
                lines.append(f"- {r['anchor']} ({r['kind']}): {r['url']}" + (f" [{n}]" if n else ""))
    search = tb.run("search_curriculum", query=message)
    found = [(n, h) for n, h in zip(search.sources, search.data.hits) if h.chunk.kind == "resource"]
    extra = [(n, h) for n, h in found if not any(h.chunk.url in line for line in lines)
             and (topic.id in h.chunk.topics if topic is not None else _overlaps(message, h.chunk))]
    if extra:
        lines.append("Linked resources that match:" if not lines else "Also linked:")
        for n, h in extra[:3]:
            lines.append(f"- {h.chunk.heading}: {h.chunk.url} [{n}]")
    if not lines:
        grounded = answer_search(intent, message, tb, memory, mode_note)
        return Draft("The roadmaps don't link a specific resource for that. " + grounded.text, grounded.quotes, topic)
    named = _named_resources(tb, topic, search)
    if named:
        lines.append(named.text)
        quotes.update(named.quotes)
    return Draft("\n".join(lines), quotes, topic)


def _named_resources(tb: Toolbox, topic, search) -> Draft | None:
    """Resources the roadmaps name without a link ("📘 Resources: Kaggle: Intro to ML")."""
    for n, hit in zip(search.sources, search.data.hits):
        if hit.chunk.kind == "passage" and re.search(r"resources?:", hit.chunk.text, re.IGNORECASE):
            sentence = next((s for s in hit.chunk.text.split("\n") if re.search(r"resources?:", s, re.IGNORECASE)), None)
            if sentence and topic is not None and topic.id in tb.deps.curriculum.topics_in_text(hit.chunk.text):
                return Draft(f"The roadmaps also name, without links: {_resource_list(hit.chunk.text)} [{n}]")
    return None


def _resource_list(text: str) -> str:
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if re.search(r"resources?:", line, re.IGNORECASE):
            inline = line.split(":", 1)[1].strip()
            items = [inline] if inline else []
            items += [re.sub(r"^[\s•*\-o]+", "", x).strip() for x in lines[i + 1:i + 5] if re.match(r"^\s*[•*\-o]\s*\S", x)]
            return "; ".join(items[:4])
    return ""


def answer_concept(intent, message, tb, memory, mode_note) -> Draft:
    return answer_search(intent, message, tb, memory, mode_note)


def answer_search(intent, message, tb, memory, mode_note) -> Draft:
    cur = tb.deps.curriculum
    topic = resolve_topic(intent, message, memory, cur) if (intent.topic_text or intent.follow_up) else mentioned_topic(message, cur)
    if topic is None and not in_scope(message, tb):
        return _out_of_scope(message, tb)
    query = message if topic is None or not intent.follow_up else f"{topic.title} {message}"
    search = tb.run("search_curriculum", query=query)
    if not search.sources:
        return _out_of_scope(message, tb)
    lines, quotes = [], {}
    if topic is not None:
        memory.last_topic = topic
        info = tb.run("lookup_topic", topic=topic.id).data
        pre = f" It builds on {', '.join(info['prerequisites'])}." if info["prerequisites"] else ""
        with_ = f" The roadmaps pair it with {', '.join(info['learn_with'])}." if info["learn_with"] else ""
        lines.append(f"{topic.title} is part of the {_phase_title(cur, topic)} phase (about {topic.hours:g} h).{pre}{with_}")
    lines.append("What the roadmaps say:")
    used = 0
    for n, hit in zip(search.sources, search.data.hits):
        sentence = best_sentence(hit.chunk, query)
        if content_words(sentence) & content_words(query) or used == 0:
            lines.append(f"- {hit.chunk.title} › {hit.chunk.section}: \"{sentence}\" [{n}]")
            quotes[n] = sentence
            used += 1
        if used >= 3:
            break
    return Draft("\n".join(lines), quotes, topic)


def _out_of_scope(message: str, tb: Toolbox) -> Draft:
    cur = tb.deps.curriculum
    _, suggestions = cur.find(message)
    nearby = ", ".join(t.title for t in suggestions[:3]) or ", ".join(
        cur.topics[t].title for t in ("python-basics", "ml-fundamentals", "neural-networks", "llm-basics") if t in cur.topics)
    return Draft("The roadmaps I know don't cover that, so I won't guess. They cover the path to becoming an "
                 f"ML engineer: programming, maths, classical ML, deep learning, LLMs and MLOps. Nearby topics: {nearby}.")


def _unknown_topic(intent: Intent, message: str, tb: Toolbox) -> Draft:
    _, suggestions = tb.deps.curriculum.find(intent.topic_text or message)
    if suggestions:
        return Draft(f"I don't know a topic called \"{intent.topic_text or message}\". Did you mean: "
                     + ", ".join(t.title for t in suggestions) + "?")
    return _out_of_scope(message, tb)


# --- helpers --------------------------------------------------------------------------------


GENERIC = frozenset("where learn study find resource resources course courses video videos playlist tutorial "
                    "tutorials book books link links good best any practice".split())


def _overlaps(message: str, chunk) -> bool:
    wanted = content_words(message) - GENERIC
    return bool(wanted & content_words(f"{chunk.heading} {chunk.text}"))


def _phase_title(cur, topic) -> str:
    return next((p["title"] for p in cur.phases if p["id"] == topic.phase), topic.phase)


def _cite_quote(tb: Toolbox, doc: str | None, quote: str | None) -> int | None:
    from mentor.learning.plan import passage_for

    chunk = passage_for(doc, quote, tb.deps.passages)
    return tb.book.add(chunk) if chunk is not None else None


def _cite_resource(tb: Toolbox, url: str) -> int | None:
    for chunk in tb.deps.retriever.index.chunks:
        if chunk.kind == "resource" and chunk.url == url:
            return tb.book.add(chunk)
    return None


def pseudo_call(name: str, args: dict, data):
    from mentor.assistant.tools import ToolCall, ToolResult

    return ToolCall(name, args, ToolResult("", data))


HANDLERS = {
    "greeting": answer_greeting, "help": answer_help, "injection": answer_injection, "next": answer_next,
    "prereqs": answer_prereqs, "plan": answer_plan, "resources": answer_resources, "concept": answer_concept,
    "search": answer_search,
}
