"""'What should I learn next?' offline: the graph's next steps for the learner, counting what
they say they already work with ("5 yrs python, docker daily", never recorded) and what they
just said they finished; towards the goal they name ("I want to work on LLMs") or, failing one,
what they say they have never done ("…never deployed one. how do I level up?"), with the way
there when it is far; "X done, what's next?" goes to what the roadmaps put after X (`order.py`).

Not here: prerequisites, plans and free search (`knowledge.py`), the learner's statements
themselves (`mentor.assistant.background`).
"""

from __future__ import annotations

import re

from mentor.assistant.background import background_topics, gaps, lacking, role_topics, roles_said
from mentor.assistant.evidence import bullets, passage_lines, select
from mentor.assistant.offline.draft import Draft, Memory, markers, short_title
from mentor.assistant.offline.order import answer_after
from mentor.assistant.offline.placing import names_section, pick_up_at, top_part
from mentor.assistant.offline.shapes import mentioned, topic_line
from mentor.assistant.offline.skim import SKIM, answer_goal_part, answer_skim, skim_places
from mentor.assistant.offline.verdicts import known_from
from mentor.assistant.tools import Toolbox
from mentor.assistant.topics import mentioned_topic
from mentor.corpus.documents import roadmaps_named

THEN = re.compile(r"\b(next|then|after|later|build on)\b", re.IGNORECASE)
GOAL_WORDS = re.compile(r"\b(towards?|goal|to (get to|reach|become))\b", re.IGNORECASE)
# "I want to work on LLMs": where the learner is heading, for next steps
WANTS = re.compile(
    r"\b(?:i|and|but) (?:want|would like|'d like|hope) to (?:work on|get into|do|build|learn|move (?:in)?to"
    r"|switch (?:in)?to|go into|become (?:an? )?) ?(?P<goal>[^.,;?!]+)"  # "… and want to move into llm apps"
    r"|\b(?:i|and|but|mainly|really|just|now) (?:want|wanna) (?!to\b|a\b|an\b|the\b|some\b|you\b|u\b|it\b|this\b)"
    r"(?P<thing>[^.,;?!]+)",  # "mainly want llms now"
    re.IGNORECASE,
)
ANYTHING_AFTER = re.compile(r"\banything (else )?after\b|\bgo(es)? from (here|there)\b", re.IGNORECASE)
START = re.compile(r"\b(start|begin|jump in|pick (it )?up)\b", re.IGNORECASE)  # where to start, asked too
NEXT_SHOWN = 4  # suggestions an answer shows; `mentor next` lists every one


AFTER = re.compile(
    r"\b(done|finished|after|completed|build on|built|go(es)? from there|(went|got|worked|gone) through|wrapped up"
    r"|(ticked|checked) off)\b",
    re.IGNORECASE,
)


def answer_next(intent, message, tb, memory, mode_note) -> Draft:
    cur = tb.deps.curriculum
    stated = [cur.topics[p.topic] for p in tb.proposals if p.kind == "status" and p.status == "done"]
    background = " ".join(p.payload.get("background", "") for p in tb.proposals if p.kind == "profile")
    stated += [t for t in mentioned(background, cur) if t not in stated]  # "a data analyst, I use pandas"
    said = tb.user_message or message  # the question may be only "next?" after what they did
    named = stated or mentioned(message, cur) or (mentioned(said, cur) if AFTER.search(said) else [])
    if AFTER.search(said) and names_section(tb, said):  # "I finished weeks 15-18, what's next there?"
        return answer_after(tb, message, named, memory)
    if not named and memory.last_topic is not None and ANYTHING_AFTER.search(said):  # "is there anything after?"
        return answer_after(tb, message, [memory.last_topic], memory)
    goal = WANTS.search(said)
    if goal and not goal.group("goal") and mentioned_topic(goal.group("thing"), cur) is None:
        goal = None  # "i want more practice": no goal topic, nothing to head for
    if named and (AFTER.search(said) or stated and THEN.search(message)) and not (GOAL_WORDS.search(said) or goal):
        return answer_after(tb, message, named, memory)  # "decision trees done, what's next?"
    missing = gaps(said, cur)  # "…but have never deployed one. how do I level up?": heading for deployment
    lacks = lacking(said, cur)  # "stats are fine but i have never written code": not python, whatever stats imply
    goal_text = intent.topic_text or (_wanted(goal) if goal else "") or (missing[0].id if missing else "")
    goal_text = _goal(goal_text, cur)  # "start for ML without redoing the basics": ML
    stated += [t for t in background_topics(said, cur) if t not in stated]  # "5 yrs python, docker daily": known
    roles = [t for t in role_topics(said, cur) if t not in stated]  # "backend dev here": git, SQL, taken as they are
    docs = roadmaps_named(tb.deps.documents, said)
    earlier = [cur.topics[t] for t in memory.known if t in cur.topics]  # what an earlier turn counted as known
    places = skim_places(tb, said, docs, stated or roles or earlier) if not intent.follow_up else []
    if places and START.search(said) and len(docs) == 1:  # "… where should i start and what can i skip?"
        entry = pick_up_at(tb, docs[0], known_from(tb, {t.id for t in stated}) - lacks | {t.id for t in roles})
        start = entry.text.split("\n", 1)[0] if entry is not None else ""
        if entry is not None and any(top_part(c) in start for _, c, _ in places):  # starting where they could skim
            return entry  # reads as a contradiction ("Week 1, 2, 3, 4" has computer science principles, new to them)
        if entry is not None:  # where to start, then what to skim
            skim = answer_skim(tb, places)
            return Draft(f"{entry.text}\n{skim.text}", {**skim.quotes, **entry.quotes}, entry.topic, entry.suggested)
    if places:  # "testing and clean code are my day job. which part can i mostly skim?"
        return answer_skim(tb, places)
    wanted = mentioned_topic(_wanted(goal), cur) if goal and len(docs) == 1 else None
    part = answer_goal_part(tb, said, docs[0], wanted) if wanted is not None else None
    if part is not None:  # "… want to move into llm apps. which part of the zero to llm roadmap is for me?"
        return part
    if (stated or roles) and len(docs) == 1 and not intent.follow_up:  # "… on the 6 month plan where do I jump in?"
        done = {p.topic for p in tb.proposals if p.kind == "status" and p.status == "done"}
        used = {t.id for t in stated} - done  # what they work with implies less than what they finished
        known = known_from(tb, used) - lacks | {t.id for t in roles}
        entry = pick_up_at(tb, docs[0], known)
        if entry is not None:
            return entry
    if (stated or roles) and not intent.follow_up:  # "backend dev, I know sql and git. what first?"
        named = {t.id for t in stated}
        stated += roles
        memory.suggest([t.id for t in stated], [t.id for t in stated], sorted(lacks))
        names = ", ".join(short_title(t.title) for t in stated[:4]) + (
            f" and {len(stated) - 4} more" if len(stated) > 4 else ""
        )
        jobs = [cur.role(name).says[0] for name, _ in roles_said(said, cur)] if roles else []  # its usual name
        job = f" (what {_a(jobs[0])} {jobs[0]} works with)" if len(jobs) == 1 and not named else ""
        intro = f"Counting {names}{job} as known from what you said, these come next:"
        return _after_that(tb, memory, intro, goal_text, sorted(lacks))
    if (
        SKIM.search(said)
        and not START.search(said)
        and not intent.follow_up
        and not memory.known  # counted earlier in the conversation
        and not tb.deps.progress.statuses(tb.learner)
        and not tb.deps.progress.profile(tb.learner).get("background")
    ):
        return Draft(  # "what can I skip?" from someone who has said nothing of what they know
            "What you can skip depends on what you already know, and you haven't said yet: tell me, e.g. "
            '"I know Python and SQL, what can I skip?" or "backend dev here, which weeks can I fast forward?". '
            "Nothing is skipped until you say so."
        )
    if not goal_text:
        goal_text = tb.deps.progress.profile(tb.learner).get("goal_topic") or ""

    if intent.follow_up and memory.suggested:
        return _after_that(tb, memory)
    result = tb.run("next_steps", goal=goal_text)
    if result.data is None or "unknown" in (result.data or {}):
        return Draft(result.text)
    data = result.data
    goal = data["goal"]
    if not data["topics"]:
        return Draft(
            "You have covered everything "
            + (f"on the way to {goal['title']}." if goal else "in the curriculum. Well done!")
        )
    lines = ["Here is what I'd learn next" + (f" on the way to {goal['title']}" if goal else "") + ":"]
    quotes: dict[int, str] = {}
    shown: dict = {}  # what earlier suggestions said: their reasons, the passages they quoted
    for i, item in enumerate(data["topics"][:NEXT_SHOWN], 1):
        lines += _next_item(tb, i, item, quotes, shown)
    lines = _within(lines + _the_way(data), tb)
    memory.suggest([i["id"] for i in data["topics"]])
    memory.last_topic = tb.deps.curriculum.topics[data["topics"][0]["id"]]
    return Draft("\n".join(lines), quotes, memory.last_topic, memory.suggested)


def _a(word: str) -> str:
    return "an" if word[:1].lower() in "aeio" else "a"


def _wanted(goal: re.Match) -> str:
    """What a learner says they want: "… to move into llm apps", or a topic said as a thing ("want llms now")."""
    return goal.group("goal") or goal.group("thing")


def _goal(text: str, cur) -> str:
    """The topic id a goal names (by name, or the topic its words mention: "ML without redoing
    the basics"); the words as they are when they name none, for the tool to say so."""
    topic = (cur.find(text)[0] or mentioned_topic(text, cur)) if text else None
    return topic.id if topic is not None else text


def _next_item(tb: Toolbox, i: int, item: dict, quotes: dict[int, str], shown: dict) -> list[str]:
    """One numbered suggestion with its resources; notes each cited passage's quote."""
    topic = tb.deps.curriculum.topics[item["id"]]
    numbers = tb.cite_topic(topic, limit=1)
    together = (
        f" (with {', '.join(short_title(c['title']) for c in item['learn_with'][:3])})" if item["learn_with"] else ""
    )
    why = _why(item, topic, shown)
    lines = [f"{i}. {short_title(topic.title)}{together}, about {topic.hours:g} h. {why}.{markers(numbers)}"]
    lines += _says(tb, i, topic, numbers, shown)
    lines += [f"   Resource: {r['anchor']}: {r['url']}" for r in item["resources"][:1]]
    for n in numbers:  # quote what the passage says of the topic, not its heading
        body = topic_line(tb, n, topic)
        if body is not None:
            quotes[n] = body.text
    return lines


SAID_FOR = 1  # suggestions (the first) that quote what their roadmap step says to do
BODY_WORDS = 40  # a step body this short is quoted whole
NEXT_WORDS = 140  # an answer longer than this with the step's words goes without them
STATED_WORDS = 10  # what answering a statement too adds ("Shall I record …? Nothing is saved until you confirm.")
PROPOSAL_WORDS = 6  # and each thing it proposes to record ("Linear regression as done;")
SAYS = "   The roadmap: "


def _within(lines: list[str], tb: Toolbox) -> list[str]:
    """The answer's lines, without the step's own words when the answer would run long with them
    (the question asked with a statement, what is proposed to record follows it: a few words each)."""
    if sum(len(line.split()) for line in lines) <= NEXT_WORDS - STATED_WORDS - PROPOSAL_WORDS * len(tb.proposals):
        return lines
    return [line for line in lines if not line.startswith(SAYS)]


def _why(item: dict, topic, shown: dict) -> str:
    """The first reason for a suggestion (`mentor next` shows them all); one an earlier suggestion
    gave ("It is next on the dependency-correct roadmap ("Step 0.1 …")") is not repeated word for word."""
    why = item["why"].split(";")[0].rstrip(".")
    if '("' not in why:  # no step quoted: a reason of its own, however alike
        return why
    earlier = shown.setdefault("whys", {}).setdefault(why, short_title(topic.title))
    return why if earlier == short_title(topic.title) else f"Same step as {earlier}"


def _says(tb: Toolbox, i: int, topic, numbers: list[int], shown: dict) -> list[str]:
    """What the roadmap passage of the first suggestion (`SAID_FOR`) says to learn or do there, quoted
    ("Example: Linear Regression. Understand: model; loss; …"): not only the step's name. A short
    body is quoted whole, a longer one by its two lines that say most of the topic. A passage an
    earlier suggestion quoted is not quoted again."""
    quoted = shown.setdefault("passages", set())
    if i > SAID_FOR or not numbers or numbers[0] in quoted:
        return []
    n = numbers[0]
    quoted.add(n)
    every = passage_lines(n, tb.passage(n))
    lines = [ln for ln in every if not ln.title]
    # what to learn there; its "Reason:" the suggestion's own reason already gives
    whole = [
        g for g in _body_groups([ln for ln in every if not ln.title or ln.text.endswith(":")]) if g[0] != "Reason:"
    ]
    if whole and sum(len(text.split()) for _, items in whole for text in items) <= BODY_WORDS:
        said = " ".join(
            f"{label} " + "; ".join(f'"{t}"' for t in items) + ("" if items[-1].endswith((".", "!", "?")) else ".")
            for label, items in whole
        )
    else:
        chosen = select([ln for ln in lines if not ln.text.endswith(":")], " ".join([topic.title, *topic.aliases]), 2)
        said = "; ".join(s[2:].rsplit(" [", 1)[0] for s in bullets(chosen, {}, lists=True))
    return [f"{SAYS}{said.strip()} [{n}]"] if said.strip() else []


def _body_groups(lines: list) -> list[tuple[str, list[str]]]:
    """A passage body as (label, the lines under it): "Understand:" and its items; lines under no
    label have the label "". A label nothing follows ("Learn concept:" before "Example:") is left out."""
    groups: list[tuple[str, list[str]]] = []
    for line in lines:
        if line.text.endswith(":") and len(line.text.split()) <= 4:
            groups.append((line.text, []))
        elif groups:
            groups[-1][1].append(line.text)
        else:
            groups.append(("", [line.text]))
    return [(label, items) for label, items in groups if items]


def _the_way(data: dict) -> list[str]:
    """'The way to LLM basics: Classical ML projects → Neural networks → … → LLM basics.' when a
    goal is more than a step or two away: where the first steps lead."""
    way = data.get("route") or []
    if len(way) < 3:
        return []
    names = [short_title(t["title"]) for t in way]
    if len(way) > 8:  # the first topic of each phase on the way, then the last steps; "…" for the rest
        kept = [i for i, t in enumerate(way) if i == 0 or t["phase"] != way[i - 1]["phase"] or i >= len(way) - 3]
        names = [
            part for k, i in enumerate(kept) for part in ([] if k == 0 or kept[k - 1] == i - 1 else ["…"]) + [names[i]]
        ]
    return [f"The way to {short_title(way[-1]['title'])}, in the roadmaps' order: {' → '.join(names)}."]


def _after_that(tb: Toolbox, memory: Memory, intro: str = "", goal: str = "", lacks: tuple | list = ()) -> Draft:
    cur = tb.deps.curriculum
    goal = _goal(goal, cur)
    goal = goal if goal in cur.topics else ""  # words that name no topic: no goal to head for
    done = list(dict.fromkeys([*memory.known, *memory.suggested]))  # what they said they know stays known
    result = tb.run("next_steps", goal=goal, assuming_done=done, not_done=list(lacks or memory.lacking))
    if not isinstance(result.data, dict) or "topics" not in result.data:
        return Draft(result.text)
    items = result.data["topics"]
    if not items:
        return Draft("Once those are done, you will have covered everything in the curriculum.")
    names = ", ".join(cur.topics[t].title for t in memory.suggested)
    lines = [intro or f"Once you have finished {names}, these open up:"]
    shown: dict = {}
    for i, item in enumerate(items[:NEXT_SHOWN], 1):
        topic = cur.topics[item["id"]]
        why = _why(item, topic, shown)
        together = [short_title(c["title"]) for c in item["learn_with"][:3]]
        name = short_title(topic.title) + (f" (with {', '.join(together)})" if together else "")
        numbers = tb.cite_topic(topic, limit=1)
        lines.append(f"{i}. {name}. {why}." + markers(numbers))
        lines += _says(tb, i, topic, numbers, shown)
    lines = _within(lines + _the_way(result.data), tb)
    memory.suggested = [item["id"] for item in items]
    return Draft("\n".join(lines), {}, cur.topics[items[0]["id"]], memory.suggested)


NEXT_HANDLERS = {"next": answer_next}
