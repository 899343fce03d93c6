"""Decision questions, answered yes or no in the first sentence and then the evidence: "must I
finish X before Y?", "can I jump into deep learning now?", "can I skip SQL?", "can I learn
Docker at the same time as FastAPI?". The verdict comes from the learner's own statements
(what they say they did or work with), then the prerequisite graph and the roadmaps' tags, then
the roadmaps' own words (a "together" rule, an "optional" caveat); the lines quoted support it.

Not here: yes or no from the prerequisite graph and the learner's readiness, and the words a
decision is read by (`verdicts.py`); the other question shapes and the drafting helpers they share
(`shapes.py`); what comes after a section (`order.py`).
"""

from __future__ import annotations

import re

from mentor.assistant.background import background_topics
from mentor.assistant.evidence import Line, passage_lines, select, terms
from mentor.assistant.forms import question_sentences
from mentor.assistant.offline.anchored import optional_item
from mentor.assistant.offline.coverage import answer_unmentioned
from mentor.assistant.offline.draft import Draft
from mentor.assistant.offline.placing import named_section, section_after, section_asked
from mentor.assistant.offline.portion import YES_NO_CLAUSE, answer_enough, answer_instead, answer_portion
from mentor.assistant.offline.shapes import (
    MAX_QUOTES,
    NEGATIVE,
    PLACE_NEGATIVE,
    disagreement,
    finish,
    gather,
    mentioned,
    short,
    step_quote,
    step_tag,
    topic_line,
)
from mentor.assistant.offline.verdicts import (
    BEFORE,
    PRONOUN,
    READY_VERB,
    SEQUENCE,
    SKIP_ASK,
    TOGETHER,
    TOGETHER_LINE,
    UNTIL_AFTER,
    WITHOUT,
    any_time,
    graph_verdict,
    known_from,
    paired_step,
    readiness,
    roadmap_order,
)
from mentor.assistant.tools import Toolbox
from mentor.corpus.chunks import Chunk
from mentor.corpus.documents import roadmaps_named
from mentor.learning.curriculum import Topic

# --- the verdict -----------------------------------------------------------------


def answer_decision(intent, message, tb, memory, mode_note) -> Draft:
    cur = tb.deps.curriculum
    topics, said = mentioned(message, cur), tb.user_message or message
    in_message = mentioned(said, cur)
    asked = " ".join(question_sentences(message)) or message  # "used to be a nurse, now retraining. do I …?"
    clause = ([c for c in re.split(r"[.!?;,]", asked) if c.strip()] or [asked])[-1]  # "I know python, should I …?"
    if any(length > 2 for _, length in cur.mentions(clause)) and YES_NO_CLAUSE.match(clause):
        asked = clause  # the yes/no clause names its own topic: "… should I learn numpy?" is about numpy
    own = [tid for tid, length in cur.mentions(asked) if length > 2]  # not "ml": "… before ML. finish that first?"
    topics = mentioned(asked, cur) if own else topics  # what the question names, not the sentences before it
    if PRONOUN.search(message) and len(in_message) > len(topics) and not own:  # "…math + stats before ML. finish that"
        topics = in_message
    if not topics and memory.last_topic and PRONOUN.search(message):  # "is it needed?"
        topics = [memory.last_topic]
    used = {t.id for t in background_topics(said, cur)}  # "5 yrs python, docker daily": read for this answer only
    skipping = bool(SKIP_ASK.search(message))
    known = known_from(tb, used) if skipping else set()
    numbered = skipping and NUMBERED_PART.search(message)  # "I know nothing. can I skip phase 0?": weighed too
    section = section_asked(tb, message) if known or numbered else None  # "… passed calc. can I skip phase 0 …?"
    skipped = skip_section(tb, section, known, used) if section and NUMBERED_PART.search(message) else None
    if skipped is not None:  # a numbered section: what it covers against what they say they know
        return skipped
    verdict = _skip_known(tb, message, topics, used)
    skipped = skip_section(tb, section, known, used) if section and verdict is None else None
    if skipped is not None:  # "the maths part": what it covers against what they know
        return skipped
    part = answer_portion(tb, clause, topics) or answer_instead(tb, clause, topics) or answer_enough(tb, asked)
    part = part or answer_unmentioned(tb, clause)  # "do i need a phd for ml?": no roadmap mentions one
    part = part or optional_item(tb, message, clause)  # "is svd something i absolutely need?": "Nice-to-Have › …"
    if part is not None:
        return part
    if verdict is None and len(topics) == 1:  # "can I learn SQL whenever I want?"
        verdict = any_time(cur, asked, topics[0])
    if verdict is None and topics and not SKIP_ASK.search(message):  # "skip X, go straight to Y" is about X
        verdict = readiness(tb, message, _wanted(message, cur) or topics[-1], used)
    # two topics an order is asked about; not "… unit testing, or is that a thing ml people skip?"
    ordered = topics if BEFORE.search(message) or TOGETHER.search(message) else _core(message, topics, cur)
    pair = (
        _skipping(message, cur) or _without(message, cur) or _around(message, cur) or (ordered[0], ordered[-1])
        if len(ordered) >= 2
        else None
    )
    named = roadmaps_named(tb.deps.documents, said)
    in_order = roadmap_order(tb, asked, named[0], *pair) if verdict is None and pair and len(named) == 1 else None
    if in_order is not None:  # "does the master curriculum put deep learning before classical ml?": its own order
        head, places = in_order
        lines = [topic_line(tb, tb.book.add(c), t) for c, t in places]
        return finish(head, [ln for ln in lines if ln is not None], pair[0])
    if verdict is None and pair is not None:
        verdict = _turned(graph_verdict(tb, message, *pair), message, graph=True)
    lines = gather(tb, [message], [topics[0], topics[-1]] if topics else [])
    lines, on_topic, caveat = _evidence(tb, message, said, topics, lines)
    chosen = caveat + [ln for ln in select(on_topic, message, MAX_QUOTES) if ln not in caveat]
    if verdict is None and SEQUENCE.search(message) and not TOGETHER.search(message):
        found = tb.run("find_lines", query=f"{message} together").data or []  # the roadmaps' words for it
        pool = [
            ln
            for ln in [*lines, *found]
            if TOGETHER_LINE.search(ln.text) and _about(ln, topics, cur) and _names_only(ln, topics, cur)
        ]
        together = select(pool, message, 1)
        if together:  # "read all the theory first?": "Theory and implementation MUST be learned together."
            paired = paired_step(cur, topics, message)  # "… the implementation later?": Step 1.2, "IMPLEMENT …"
            verdict = f"No: the roadmaps have you learn them together, not one after the other{paired}."
            chosen = together + [ln for ln in chosen if ln not in together]
    if verdict is None and EARLY.search(clause):  # "should I already be reading papers from day 1?"
        found = tb.run("find_lines", query=f"{message} not yet later").data or []  # the roadmaps' words for it
        named = {t.id for t in topics}  # the line, or the passage it stands in, names what is asked about
        pool = [
            ln
            for ln in [*lines, *found]
            if LATER_LINE.search(ln.text)
            and named & {t for _, _, t in cur.mention_spans(" ".join(f"{ln.text} {ln.chunk.text}".split()))}
        ]
        later = select(pool, f"{message} not yet later", 1)
        if later:  # "Reading papers (later stage)", "Do NOT learn ML usage yet"
            verdict = "No: not yet; the roadmaps leave it for a later stage."
            chosen = later + [ln for ln in chosen if ln not in later]
    if verdict is None:
        verdict = _turned(_text_verdict(cur, caveat, _by_specificity(asked, cur) or topics), message)
        verdict += disagreement(tb, topics[:1]) if SKIP_ASK.search(message) and len(topics) == 1 else ""
    verdict += disagreement(tb, topics[:1] + topics[-1:]) if len(topics) >= 2 else ""
    if topics:  # "is sql needed for ml?" is about sql: "then skip it" means sql
        memory.last_topic = topics[0]
    elif not chosen:  # "can I skip it?" with nothing said before: no topic, nothing to quote
        return Draft("Which topic do you mean? For example: \u201ccan I skip SQL?\u201d")
    return finish(verdict, chosen[:MAX_QUOTES], topics[0] if topics else None)


def _evidence(tb: Toolbox, message: str, said: str, topics: list[Topic], lines: list[Line]):
    """(the lines to read: the one roadmap named's, the lines about the topics asked, the line
    that gives a "no": one that says "optional", or the best answering line when it stands under
    such a heading ("Additional skills that will be helpful") and no step of the dependency-correct
    roadmap's own path says otherwise (Docker is its Step 5.2)). With no topic asked about, only
    the best answering line can give that "no" (not any "pick one")."""
    cur = tb.deps.curriculum
    named = roadmaps_named(tb.deps.documents, said)  # "… into the 24 weeks of the codebasics plan?": that one's lines
    core = _core(said, topics, cur)  # "kaggle … for becoming an ml engineer": about kaggle, not ML
    own = [ln for ln in lines if len(named) == 1 and ln.chunk.doc == named[0]]
    if any(_about(ln, core, cur) for ln in own) or not core:  # a roadmap silent on the topic is no evidence
        lines = own or lines
    about = [ln for ln in lines if _about(ln, core, cur)]
    on_topic = about or lines  # not "----Done" for "fastapi is done?"
    under = len(named) == 1 or not any(step_quote(cur, t) for t in core)
    asked = {t.id for t in core}  # the best line stands for the topic only when it names it
    best = select(on_topic if not topics or about else [], message, 1)  # no caveat about something else
    placed = [ln for ln in best if _negative(ln, under and bool(asked & {t for _, _, t in cur.mention_spans(ln.text)}))]
    placed = placed or _in_named_section(lines, said)  # "is numerical methods needed?": "Nice-to-Have › Numerical …"
    if not topics:  # "can i skip the later sections of it?": the lines answering it that say "optional"
        best = select(on_topic, message, MAX_QUOTES) if SKIP_ASK.search(message) else best
        return lines, on_topic, [ln for ln in best if NEGATIVE.search(ln.text)][:1] or placed
    return lines, on_topic, select([ln for ln in about if NEGATIVE.search(ln.text)], message, 1) or placed


OPENING = re.compile(r"^\W*(before|when|once|if|after)\b.{3,80}?\b(do|should|must|can) i\b", re.IGNORECASE)


def _in_named_section(lines: list[Line], said: str) -> list[Line]:
    """The first line of a section the question names by its heading's words ("numerical methods"), when what
    it stands under says it is optional ("Nice-to-Have (Advanced/Helpful but Not Required to Start)")."""
    wanted = set(terms(said))
    for line in lines:
        *above, own = line.chunk.section.split(" › ")
        words = set(terms(own))
        if not line.title and above and words and words <= wanted and PLACE_NEGATIVE.search(" ".join(above)):
            return [line]
    return []


def _around(message: str, cur) -> tuple[Topic, Topic] | None:
    """The two topics either side of 'at the same time as', 'alongside', 'before' ("when I get to
    deployment, can I pick up Docker at the same time as FastAPI?" is about Docker and FastAPI);
    after an opening clause, the topic asked about and the clause's ("if i want to learn rag do i
    need llm basics first?": LLM basics before RAG). Examples in brackets are no side ("classical ml
    (trees, svm, etc) before deep learning")."""
    text = BRACKETED.sub(lambda m: " " * len(m.group(0)), " ".join(message.split()))
    opening = OPENING.match(text) if not TOGETHER.search(text) else None
    if opening is not None:
        spans = cur.mention_spans(text)
        clause = [tid for start, _, tid in spans if start < opening.start(2)]
        asked = [tid for start, _, tid in spans if start >= opening.end()]
        if clause and asked and clause[-1] != asked[0]:
            return cur.topics[asked[0]], cur.topics[clause[-1]]
    link = TOGETHER.search(text) or BEFORE.search(text)
    if link is None:
        return None
    spans = cur.mention_spans(text)
    before = [tid for start, _, tid in spans if start < link.start()]
    after = [tid for start, _, tid in spans if start >= link.end()]
    if not before or not after or before[-1] == after[0]:
        return None
    return cur.topics[before[-1]], cur.topics[after[0]]


GOING_TO = re.compile(r"\b(straight|right|directly|ahead|go|move|jump|get)\s+(in)?to\b", re.IGNORECASE)


def _skipping(message: str, cur) -> tuple[Topic, Topic] | None:
    """'can I go straight to neural nets and skip the classical ml stuff?': the topic skipped and the
    one gone to, either way round, as (what would come first, what comes after)."""
    text = " ".join(message.split())
    skip, going = SKIP_ASK.search(text), GOING_TO.search(text)
    if skip is None or going is None:
        return None
    spans = cur.mention_spans(text)
    skipped = next((tid for start, _, tid in spans if start >= skip.end()), None)
    goal = next((tid for start, _, tid in spans if start >= going.end()), None)
    if skipped is None or goal is None or skipped == goal:
        return None
    return cur.topics[skipped], cur.topics[goal]


def _without(message: str, cur) -> tuple[Topic, Topic] | None:
    """'can I start deep learning without linear algebra?': doing one topic without another is skipping
    the other on the way to it, as (what would come first, what comes after)."""
    text = " ".join(message.split())
    found = WITHOUT.search(text)
    if found is None:
        return None
    spans = cur.mention_spans(text)
    goal = next((tid for start, _, tid in reversed(spans) if start < found.start()), None)
    skipped = next((tid for start, _, tid in spans if start >= found.end()), None)
    if skipped is None or goal is None or skipped == goal:
        return None
    return cur.topics[skipped], cur.topics[goal]


def _skip_known(tb: Toolbox, message: str, topics: list[Topic], used: set[str]) -> str | None:
    """'I write SQL every day, can I skip the SQL part?': yes, for a topic the learner says they
    already work with (`used`); and where to pick up when they name a roadmap."""
    if not SKIP_ASK.search(message) or not topics:
        return None
    topic = next((t for t in topics if t.id in used), None)
    if topic is None:
        return None
    where = section_after(tb, tb.user_message or message, topic, used)
    verdict = f"Yes: you already work with {short(topic)}, so there is no need to learn it again."
    return verdict + (f" Pick up at {where}." if where else "")


def _negative(line: Line, placed: bool) -> bool:
    """The line says the item is optional; or, `placed`, the heading it stands under says so."""
    return bool(NEGATIVE.search(line.text) or placed and PLACE_NEGATIVE.search(_with_place(line)))


def _with_place(line: Line) -> str:
    """A line with what it stands under: its label and heading, and its section's path ("Nice-to-Have
    (Advanced/Helpful but Not Required to Start) › Numerical Methods")."""
    return f"{line.text} {line.context} {line.chunk.section}"


def _core(message: str, topics: list[Topic], cur) -> list[Topic]:
    """The topics a message names by more than a two-letter word ("ml", "ai"), when it names
    any such: the rest are the context the question is asked in."""
    weak = {tid for tid, length in cur.mentions(message) if length <= 2}  # "ml", "ai"; not "sql", "git"
    return [t for t in topics if t.id not in weak] or topics


def _about(line: Line, topics: list[Topic], cur) -> bool:
    """A line that names one of the topics asked about (any line, when none is named): a caveat
    about maths in general is no verdict on linear regression."""
    if not topics:
        return True
    named = {tid for _, _, tid in cur.mention_spans(f"{line.text} {line.context}")}
    return any(t.id in named for t in topics)


def _names_only(line: Line, topics: list[Topic], cur) -> bool:
    """A line that names no topic but those asked about ("Math ↔ ML Theory → PARALLEL SUPPORT" is
    about maths, which a question on theory and code does not ask about)."""
    return {tid for _, _, tid in cur.mention_spans(line.text)} <= {t.id for t in topics}


CHOICE = re.compile(r"pick|either|choos|one or two", re.IGNORECASE)  # the caveat words that offer a choice
BRACKETED = re.compile(r"\([^()]*\)")
NUMBERED_PART = re.compile(r"\b(phase|step|week|month|section|level)\s*\d", re.IGNORECASE)
# a question about doing something early, and the roadmaps' words for "not yet"
EARLY = re.compile(r"\b(already|from (day (1|one)|the (start|beginning))|right away|straight away|immediately)\b", re.I)
LATER_LINE = re.compile(r"\b(later stage|at a later|only after|only when|not\b.{0,40}\byet)\b", re.IGNORECASE)


def _wanted(message: str, cur) -> Topic | None:
    """The topic right after "jump into", "start with": what a readiness question is about
    ("can I jump into deep learning or do I need classical ML first?" is about deep learning)."""
    verb = READY_VERB.search(message)
    text = " ".join(message.split())
    after = [tid for start, _, tid in cur.mention_spans(text) if verb and start >= verb.end()]
    return cur.topics[after[0]] if after else None


def _by_specificity(message: str, cur) -> list[Topic]:
    """The topics a message names, the longest-named first ("ml lifecycle tool like mlflow":
    mlflow before the "ml" of machine learning fundamentals)."""
    spans = sorted(cur.mention_spans(" ".join(message.split())), key=lambda s: s[0] - s[1])
    return [cur.topics[t] for t in dict.fromkeys(tid for _, _, tid in spans)]


OPTIONAL_ASK = re.compile(r"\b(is|are)\b[^?.!]{0,60}?\b(optional|skippable)\b", re.IGNORECASE)


def _turned(verdict: str | None, message: str, graph: bool = False) -> str | None:
    """A verdict on whether X is needed for Y, turned round when the question asks whether X may
    be skipped ("can I skip deep learning and go to LLMs?", "… LLMs without deep learning?": needed is a no)."""
    # "can I skip X?", "is X optional?", and the graph's verdict on "Y without X?": needed is a no
    skipping = SKIP_ASK.search(message) or OPTIONAL_ASK.search(message) or graph and WITHOUT.search(message)
    if verdict is None or not skipping or UNTIL_AFTER.search(message):
        return verdict
    if verdict.startswith("Yes"):
        return "No" + verdict[3:]
    return "Yes" + verdict[2:] if verdict.startswith("No") else verdict


def _text_verdict(cur, lines: list[Line], topics: list[Topic]) -> str:
    """Yes or no from what the selected lines say: 'optional', 'not beginner-level', 'pick one'
    read as no; otherwise the roadmaps list it as part of the path."""
    negative = next((ln for ln in lines if _negative(ln, True)), None)
    if negative is not None:  # the line says so, or what it stands under ("Additional skills that will be helpful")
        word = (NEGATIVE.search(negative.text) or PLACE_NEGATIVE.search(_with_place(negative))).group(0).lower()
        if CHOICE.match(word):  # "Pick PyTorch or Keras", "you can pick either": one of them, not all
            return "No: the roadmaps have you pick one of the options there, not all of them."
        where = negative.chunk.section.replace(" › ", " > ")
        said = "" if NEGATIVE.search(negative.text) else f" ({negative.chunk.doc} lists it under {where})"
        return f"No: the roadmaps mark it as {word}, not something you must do now{said}."
    if not topics:  # nothing to look up in the graph and no caveat in the text: no verdict to give
        return "The roadmaps don't answer that in so many words; here is what they say:"
    return f"Yes: the roadmaps include {topics[0].title} on the path{step_tag(cur, topics[0])}."


def skip_section(tb: Toolbox, section: list[Chunk], known: set[str], said: set[str] = frozenset()) -> Draft | None:
    """'already passed linear algebra, calc and probability. in zero to llm can i skip phase 0?': yes
    when the learner knows every topic the section names, otherwise no, with what it has that they
    did not say they know, quoted; None when the section names no topic."""
    cur = tb.deps.curriculum
    numbers = [tb.book.add(c) for c in section]
    lines = [ln for n, c in zip(numbers, section) for ln in passage_lines(n, c) if not ln.title]
    named = {tid for ln in lines for _, _, tid in cur.mention_spans(" ".join(ln.text.split()))}
    if not named:
        return None
    where = named_section(section[0])
    if named <= known:
        return finish(f"Yes: you know what {where} covers, so you can skip it.", lines[:1])
    new = sorted(named - known, key=cur.sort_key)
    skim = sorted(named & (said or known), key=cur.sort_key)  # what they said they know, not what it implies
    also = " also" if named & known else ""  # "I know nothing. can I skip phase 0?": all of it is new
    head = f"No: {where}{also} covers {', '.join(short(cur.topics[t]) for t in new[:4])}, which you haven't mentioned"
    head += f"; skim what you know ({', '.join(short(cur.topics[t]) for t in skim[:4])})." if skim else "."
    about = [ln for ln in lines if {tid for _, _, tid in cur.mention_spans(" ".join(ln.text.split()))} & set(new)]
    return finish(head, about[:3])


DECISION_HANDLERS = {"decision": answer_decision}
