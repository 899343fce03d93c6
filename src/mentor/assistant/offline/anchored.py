"""Offline answers from where the roadmaps put a question's own words: "what is the silhouette
score?" is answered from "7.1.4. Evaluating Clusters (Silhouette Score)", where the roadmaps list it
rather than explain it, with the lines around it (`anchor` finds the words). Not when the words are a
topic's own name (the topic's answer serves), or stand beside the topic without being what is asked.
Whether such an item must be learned ("is svd something i absolutely need?", "is it optional?") is answered
from the heading that tiers it ("Nice-to-Have (… Not Required to Start)", "Absolutely Required (Core for ML)").

Not here: finding the words (`mentor.assistant.anchor`), the other knowledge answers (`knowledge.py`).
"""

from __future__ import annotations

import re

from mentor.assistant.anchor import anchor, spelled
from mentor.assistant.evidence import heads, passage_lines, select, terms
from mentor.assistant.forms import asks_yes_no
from mentor.assistant.offline.draft import Draft, short_title
from mentor.assistant.offline.shapes import PLACE_NEGATIVE, finish, looked_up
from mentor.assistant.tools import Toolbox


def _names(cur, phrase: str, topic, part: bool) -> bool:
    """Whether `phrase` names a topic while the question is about one: the topic asked about ("bias
    variance tradeoff"), whose own answer serves it, or another one, which is then the question's
    context ("why is trigonometry in the linear algebra list?" is about trigonometry). Not a part of a
    broader topic named by one of its aliases ("confusion matrix" of Evaluation metrics, "data drift" of
    Monitoring, drift detection & retraining) when it is what is asked (`part`: "what is a confusion matrix?"):
    where the roadmaps list those words says more."""
    spans = cur.mention_spans(phrase)
    return topic is not None and (_names_topic(cur, phrase) or bool(spans) and not part)


OPENER = r"\b(?:what'?s|whats|what (?:is|are|does|do)|wat is|explain)\s+(?:the\s+|a\s+|an\s+)?\W*"


def _acronym(message: str, phrase: str) -> bool:
    """A one-word phrase the learner wrote in capitals ("whats MLE?"): a name, not an everyday word."""
    if not re.search(r"[a-z]", message):  # "WHAT IS THE BEST WAY TO START?": all of it in capitals, no name
        return False
    return bool(re.search(rf"\b{re.escape(phrase.upper())}\b", message)) and len(phrase) >= 2


def _object(message: str, phrase: str) -> bool:
    """Whether the phrase is what the question asks about: right after "what's the", "explain" ("what's
    the 'multiple comparisons problem' … in the probability list?")."""
    return re.search(OPENER + spelled(phrase), " ".join(message.split()), re.IGNORECASE) is not None


def _within_topic(cur, message: str, phrase: str, topic) -> bool:
    """Whether the phrase overlaps where the message names the topic ("semi-supervised learning" holds
    the "supervised learning" of ML fundamentals)."""
    text = " ".join(message.split())
    at = re.search(spelled(phrase), text, re.IGNORECASE)
    spans = [(start, end) for start, end, tid in cur.mention_spans(text) if tid == topic.id]
    return at is not None and any(start < at.end() and at.start() < end for start, end in spans)


def anchored(tb: Toolbox, message: str, topic) -> Draft | None:
    """'What is the silhouette score?': the roadmaps list it rather than explain it; where, in their
    words, with the lines around it (the part of a broader topic it belongs to, when one is asked).
    None when the question's most specific words are a topic's name, or stand in no line."""
    found = anchor(tb.deps.retriever.index.chunks, message)
    if found is None or found.words < 2 and not _acronym(message, found.phrase):
        return None
    part = _object(message, found.phrase) and heads(found.lines[0]) is None  # not "- Agent Systems"
    if _names(tb.deps.curriculum, found.phrase, topic, part):
        return None
    asked = _within_topic(tb.deps.curriculum, message, found.phrase, topic) if topic is not None else True
    if not asked and not _object(message, found.phrase):
        return None  # "explain transformers end to end": the words beside the topic are not what is asked
    first = found.lines[0].chunk
    lines = looked_up(tb, found, found.lines[:2])
    near = [ln for ln in passage_lines(lines[0].n, first) if ln not in lines and not ln.title]
    lines += select(near, message, 1)
    places: dict[str, list[str]] = {}  # each roadmap's sections it stands in
    for ln in lines[:2]:
        section = ln.chunk.section.replace(" › ", " > ")
        sections = places.setdefault(ln.chunk.doc, [])
        sections += [] if section in sections else [section]
    where = "; ".join(f"{doc} has it under {' and under '.join(sections)}" for doc, sections in places.items())
    part = f", part of {short_title(topic.title)}" if topic is not None else ""
    head = f'The roadmaps list "{found.as_written}" rather than explain it: {where}{part}.'
    quotes: dict[int, str] = {}
    for ln in lines:
        quotes.setdefault(ln.n, ln.text)
    return Draft("\n".join([head, *(f'- "{ln.text}" [{ln.n}]' for ln in lines)]), quotes, topic)


# a question of whether something must be learned ("do i need them for ml?", "is svd something i absolutely need")
NEED = re.compile(r"\b(need(ed)?|require[ds]?|required|must|have to|necessary|essential|mandatory)\b", re.IGNORECASE)


# what a heading over an item says when the item is required ("Absolutely Required (Core for ML)")
PLACE_REQUIRED = re.compile(r"\b(absolutely required|must[- ]have|core for ml|essentials)\b", re.IGNORECASE)
# a question that asks which tier an item is in, in the roadmaps' words
TIER_ASK = re.compile(
    r"\b(must[- ](learn|have)s?|required|core|essential|nice[- ]to[- ]have|optional)\b", re.IGNORECASE
)


def _whether(clause: str) -> bool:
    """A yes/no question, or one with a yes/no part ("what are finite differences and do i need them?")."""
    parts = [part.strip() for part in re.split(r"\band\b|[,;]", clause) if part.strip()]
    return any(asks_yes_no(part) for part in [clause, *parts])  # whole: "per the libraries and math roadmap is it …"


def _above(line) -> str:
    """The headings a line stands under, its own section's aside."""
    return " ".join(line.chunk.section.split(" › ")[:-1])


def optional_item(tb: Toolbox, message: str, clause: str) -> Draft | None:
    """'Is SVD something I absolutely need?' (or 'is svd optional?', 'is the chain rule in the must-learn math or
    just nice to have?'): where a roadmap lists the question's own words under a heading that tiers them
    ("Nice-to-Have (Advanced/Helpful but Not Required to Start)", "Absolutely Required (Core for ML)"), and
    where else they are listed; yes or no as the question asks, when it asks one (the first tier it names is
    the one it asks about: needed or optional). None when the words are a topic's whole name (the topic's
    answer weighs every roadmap) or no such heading stands over them."""
    named = [m for m in (NEED.search(clause), TIER_ASK.search(clause), WITHOUT_ASK.search(clause)) if m is not None]
    if not named:
        return None
    asked = min(named, key=lambda m: m.start())
    chunks = tb.deps.retriever.index.chunks
    without = WITHOUT_ASK.match(asked.group(0)) is not None  # "… start ml without knowing svd yet": svd
    said = (clause[asked.end() :],) if without else (clause, message)  # "is svd …? the maths list has it under …"
    for found in (anchor(chunks, text) for text in said):
        if found is None:
            continue
        if _names_topic(tb.deps.curriculum, found.phrase):
            return None
        optional = [ln for ln in found.lines if PLACE_NEGATIVE.search(_above(ln))]
        required = [ln for ln in found.lines if PLACE_REQUIRED.search(_above(ln))]
        if optional or required and TIER_ASK.search(clause):
            break
    else:
        return None
    first = (optional or required)[0]
    others = list(dict.fromkeys(_place(ln) for ln in found.lines if ln not in optional + required))
    also = f"; it is also listed under {' and '.join(others[:2])}" if others and optional else ""
    if optional:
        said = f"{_place(first)}, not something you must learn now{also}"
    else:
        said = _place(first)
    head = f'{first.chunk.doc} lists "{found.as_written}" under {said}.'
    if _whether(clause):  # "is it optional?" asks the other way round from "do i need it?"
        # "is it fine to start ml without knowing svd?" asks whether it is optional too
        wants_optional = without or OPTIONAL_ASK.search(asked.group(0)) is not None
        if without and AGAINST.search(clause[: asked.start()]):  # "is it a mistake to start ml without knowing svd?"
            wants_optional = False
        head = f"{'Yes' if bool(optional) == wants_optional else 'No'}: {head}"
    listed = next((ln for ln in found.lines if ln not in optional and len(ln.text) > len(first.text)), None)
    return finish(head, looked_up(tb, found, [first, listed] if listed and optional else [first]))


OPTIONAL_ASK = re.compile(r"\b(optional|nice[- ]to[- ]have)\b", re.IGNORECASE)
# what asks whether going on without something is wrong, not whether it can wait
AGAINST = re.compile(
    r"\b(bad|mistake|avoid|wrong|impossible|dumb|stupid|risky|problem|struggle|hurt|regret|dangerous|harder|terrible)\b",
    re.IGNORECASE,
)
# "… without knowing svd": whether what follows can wait
WITHOUT_ASK = re.compile(
    r"\bwithout (knowing|learning|understanding|doing|studying|having (learn[et]d?|done|studied))\b", re.I
)


def _place(line) -> str:
    return line.chunk.section.replace(" › ", " > ")


def _names_topic(cur, phrase: str) -> bool:
    """Whether the words are a topic's name: its short title's words, or a one-word name in its whole title
    ("RAG" in "Retrieval-augmented generation (RAG)"; not "MLE", which a broader topic only mentions)."""
    said = set(terms(phrase))
    for *_, tid in cur.mention_spans(phrase):
        title = cur.topics[tid].title
        if said <= set(terms(short_title(title))) or len(said) == 1 and said <= set(terms(title)):
            return True
    return False
