"""Reading what a learner says about their own progress: "done with numpy", "skip linux, I'm
done with git", "just finished it!" (after a question about a topic), "unmark numpy please".

The result is only ever a proposal that the learner confirms (`mentor.learning.proposals`), so
a misreading costs a dismissed suggestion, never a wrong record; these rules are here to be
helpful, not to keep anyone safe. They read:

- the message normalised first: NFKC, confusable letters (Cyrillic and Greek look-alikes),
  odd spaces and invisible characters, curly quotes;
- quoted or fenced text ("…", '…', `…`, <!-- … -->) as someone else's words, and a sentence
  that reports speech ("my teacher said…", "I was told…") or addresses the assistant with
  instructions ("ignore previous instructions…") as not the learner's statement;
- clause by clause, so one message can carry several topics with different statuses;
- a clause counts when its subject is the learner ("I …", or none: "numpy ✅", "skip dsa"), and
  it is not negated, future or conditional, or a question; a topic it names, or "it"/"that one"
  for the topic just named or discussed, gets the status its verb gives.

Not here: what happens to a proposal (`mentor.learning.proposals`), input limits (`safety.py`),
what a learner says of their background and gaps, read for one answer only (`background.py`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from mentor.learning.curriculum import Curriculum, Topic

# --- normalising ----------------------------------------------------------------------------

# Latin look-alikes NFKC leaves alone (Cyrillic and Greek letters)
CONFUSABLES = str.maketrans(
    "аеорсухіјѕԁԛԝһӏАВЕКМНОРСТХІЈЅυοαεκνρτιΑΒΕΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijsdqwhlABEKMHOPCTXIJSuoaekvptiABEHIKMNOPTYX",
)
QUOTES = str.maketrans({"‘": "'", "’": "'", "‛": "'", "`": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})


def normalise(text: str) -> str:
    """The message as letters a rule can read: NFKC, confusables mapped to Latin, every kind of
    space one space, invisible format characters removed, quotes made straight."""
    text = unicodedata.normalize("NFKC", text).translate(CONFUSABLES).translate(QUOTES)
    text = "".join(" " if unicodedata.category(ch) == "Zs" else ch for ch in text if unicodedata.category(ch) != "Cf")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")  # line and paragraph separators: new lines
    return re.sub(r"[ \t]+", " ", text).strip()


LEET = str.maketrans("013457@$", "oieastas")
INJECTION = re.compile(
    r"\b(ignor\w*|disregard|forget|override|bypass)\b[^.!?\n]{0,60}"
    r"\b(instruction|rule|guideline|prompt|system|polic|anweisung|regel|r[eè]gle|instrucci|istruzion)"
    r"|\byou are now\b|\b(system|assistant|admin|developer)\s*:|\bdeveloper mode\b|<!--|\bauthori[sz]"
    r"|\bupdate_progress\s*\(|\bpretend\b|\bjailbreak",
    re.IGNORECASE,
)


def looks_like_injection(text: str) -> bool:
    """Instructions aimed at the assistant, in any spelling: homoglyphs, odd spaces, leet."""
    plain = normalise(text)
    return bool(INJECTION.search(plain) or INJECTION.search(plain.lower().translate(LEET)))


# --- whose words, and which clauses --------------------------------------------------------

QUOTED = re.compile(
    r'"[^"\n]*"?|(?<![\w])\'[^\'\n]{2,}\'(?![\w])|<!--.*?(-->|$)|```.*?(```|$)|\[[ xX]?\]',
    re.DOTALL,
)
REPORTING = re.compile(
    r"\b(says?|said|saying|tells?|told|claims?|claimed|thinks?|thought|believes?|reckons?|insists?"
    r"|according to|supposedly|apparently|wrote|writes|novel|story|fiction|sample|example|imagine|suppose"
    r"|hypothetically|roleplay|role-play)\b",
    re.IGNORECASE,
)
CLAUSE_BREAK = re.compile(
    r",\s*|\s+(?:but|though|although|whereas|while|-|–|—)\s+|:\s+|\s+and\s+(?=(?:i|i'm|im|i've)\b)",
    re.IGNORECASE,
)


@dataclass
class Clause:
    text: str  # as the learner wrote it (normalised)
    status: str | None  # what its verb says, when it is the learner's own statement
    question: bool = False
    sentence: str = ""  # the whole sentence it is part of: the evidence a learner recognises


@dataclass
class Statement:
    topic: Topic
    status: str
    evidence: str  # the learner's words it was read from


def learner_sentences(message: str) -> list[str]:
    """The sentences that are the learner's own words: quotes, reported speech and
    instructions to the assistant left out."""
    text = QUOTED.sub(" … ", normalise(message))
    kept = []
    for piece in _split_keep_questions(text):
        if REPORTING.search(piece) or looks_like_injection(piece) or _spoken_by_another(piece):
            continue
        kept.append(piece)
    return kept


SPEAKER = re.compile(r"^\W{0,10}([^:\n]{1,40}?)[ \t]{0,3}(?::|\s[-–—]\s)\s*\S")  # "My sister: …", "User: …" (bounded)


def _spoken_by_another(sentence: str) -> bool:
    """A sentence under someone else's name ("My sister: I finished numpy", "From: …"). A label
    of the learner's own ("Update: …", "Finished: k-means") keeps it theirs."""
    label = SPEAKER.match(sentence)
    if label is None:
        return False
    words = re.findall(r"[\w']+", label.group(1).lower())
    if words[-1:] == ["here"]:  # "data scientist here - …" introduces the learner; "my friend here: …" does not
        return bool(OTHERS & set(words))
    if len(words) > 3:  # a name is short; "I marked sql as skipped by mistake - …" is a clause
        return False
    if PEOPLE & set(words):
        return True
    own = all(w in OWN_WORDS or w in LABELS or DONE.fullmatch(w) or LEARNING.fullmatch(w) for w in words)
    rest = sentence[label.end() - 1 :].strip(" .!")
    terse = len(rest.split()) <= 3 and bool(DONE.search(rest) or LEARNING.search(rest) or SKIPPED.search(rest))
    return not (own or terse)  # "numpy - done": a topic and its status, in the learner's shorthand


def _split_keep_questions(text: str) -> list[str]:
    """Sentences, with a trailing '?' kept on its sentence so questions stay questions."""
    parts = re.split(r"(?<=[.!?;\n])\s+|\n+", text)
    return [p.strip() for p in parts if p.strip()]


@lru_cache(maxsize=256)
def clauses(message: str, cur: Curriculum | None) -> tuple[Clause, ...]:
    """The learner's clauses with the status each states (None when it states none). Words of
    topic names may stand before a verb ("numpy and pandas are both done"); without a
    curriculum, only the learner's own words may. Worked out once per message: the router, the
    statement reader and the background reader all read them (nobody changes a Clause)."""
    found = []
    for sentence in learner_sentences(message):
        asked = sentence.rstrip().endswith("?")
        pieces = [p.strip(" .!;,") for p in CLAUSE_BREAK.split(sentence)]
        pieces = [p for p in pieces if p]
        for i, piece in enumerate(pieces):
            # in "I finished numpy, what next?" only the last clause asks; one that opens like a
            # question ("did I skip linux") asks wherever it stands
            question = (asked and i == len(pieces) - 1) or _asks(piece)
            found.append(Clause(piece, _status(piece, question, cur), question, sentence))
    return tuple(found)


# --- one clause -------------------------------------------------------------------------------

NOT_STARTED = re.compile(
    r"\b(un-?mark|un-?tick|un-?check|un-?skip|reset|clear)\b|\btake\b.*\boff\b|\bremove\b.*\bfrom\b"
    r"|\b(mark|set|put)\b.*\b(as |to )?(not started|not_started|todo|to do)\b",
    re.IGNORECASE,
)
LEARNING = re.compile(
    r"\b(learning|studying|relearning|re-learning|started|starting|began|beginning|working (on|through)"
    r"|halfway|half way|in progress|taking|been doing|am doing|i'm doing|im doing|on (chapter|video|lesson|week|module)"
    r"|back to in progress|practi[sc]ing|reading)\b",
    re.IGNORECASE,
)
SKIPPED = re.compile(r"\b(skip|skipping|skipped|don't need|dont need|do not need|no need for)\b", re.IGNORECASE)
DONE = re.compile(
    r"\b(finish\w*|finsh\w*|complet\w*|done|wrapped up|wrap up|through with|gone through|got through|went through"
    r"|know|knew|learned|learnt|mastered|master|covered|comfortable with|got my head around|nailed|did"
    r"|fini|finie|termin[eé]e?|abgeschlossen|fertig|beendet|gelernt|terminado|acab[eé])\b|[✅✔☑]",
    re.IGNORECASE,
)
NEGATION = re.compile(
    r"\b(not|never|no|nope|nothing|without|didnt|dont|havent|hasnt|isnt|wasnt|cant|wont|wish|nicht|pas|nunca)\b"
    r"|n't\b",
    re.IGNORECASE,
)
MODAL = re.compile(
    r"\b(will|'ll|going to|gonna|plan(ning)? to|want(ed)? to|wanna|hope|hoping|would|should|could|might|may"
    r"|maybe|must|need to|have to|has to|if|when|once|after|tomorrow|next (week|month|year)|later|soon|someday"
    r"|by (jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*)\b",
    re.IGNORECASE,
)
DECIDED = re.compile(r"will|'ll|going to|gonna", re.IGNORECASE)
UNSURE = re.compile(r"\b(maybe|perhaps|might|not sure|later|probably|if|when|once)\b", re.IGNORECASE)
QUESTION_START = re.compile(
    r"^(what|which|how|why|where|who|whom|whose|do|does|did|should|can|could|would|is|are|am|was|were|will|have"
    r"|has|shall|may)\b",
    re.IGNORECASE,
)
EVERYTHING = re.compile(
    r"\b(everything|every(one)?|all (the |my )?(topics?|progress|of (it|them))|all \d+|the whole|whole curriculum"
    r"|anything)\b|\*",
    re.IGNORECASE,
)
# words that may stand before the verb of a learner's own statement ("ok so i've just …")
OWN_WORDS = set(
    """i i've ive i'm im i'd id i'll me my myself mine just finally already now also and so ok okay yo well yes yeah
    then cool ah oh lol today yesterday recently currently basically actually really totally both all are is am
    have has had been was were with it that this one ones please update btw hey hi right rn officially
    fully completely pretty much mostly kind of sort 've 'm 's its it's last night week this just-now too as
    ich habe hab bin j'ai je suis ai
    consider count call mark set put move record log change switch back to in as""".split()
)
PEOPLE = frozenset(
    "sister brother friend friends teacher mentor boss user student coworker colleague mom dad mum he she they we "
    "someone somebody author tutor classmate classmates q a from to subject".split()
)
_PEOPLE = PEOPLE - {"q", "a", "from", "to", "subject"}  # a message's labels are not people
OTHERS = _PEOPLE | {f"{p}s" for p in _PEOPLE} | {"teammate", "teammates", "coworker", "coworkers", "team", "company"}
LABELS = frozenset("update progress status edit note today yesterday this week done finished started skipped".split())
PRONOUN = re.compile(r"\b(it|that( one)?|this( one)?|them|those|these)\b", re.IGNORECASE)


def _status(clause: str, in_question: bool, cur: Curriculum | None) -> str | None:
    """The status a clause states about the learner, or None (negated, modal, a question,
    another subject, an instruction about everything)."""
    low = clause.lower()
    if in_question or _asks(low) or EVERYTHING.search(low):
        return None
    skip = SKIPPED.search(low)
    rest = low[: skip.start()] + low[skip.end() :] if skip else low
    if NEGATION.search(rest) or re.search(r"\bby (mistake|accident)\b|accidentally", low):
        return None
    modal = MODAL.search(low)
    if modal and not (skip and DECIDED.fullmatch(modal.group(0)) and not UNSURE.search(low)):
        return None  # "I'll skip kubernetes" is a decision made now; "maybe I'll skip dsa later" is not
    for pattern, status in ((NOT_STARTED, "not_started"), (LEARNING, "learning"), (SKIPPED, "skipped"), (DONE, "done")):
        m = pattern.search(low)
        if m:
            return status if _own_subject(clause[: m.start()], cur) else None
    return None


def _asks(clause: str) -> bool:
    return bool(QUESTION_START.match(clause.strip().lower()))


def _own_subject(before_verb: str, cur: Curriculum | None) -> bool:
    """The words before the verb leave the learner as its subject: 'i've just', 'numpy and
    pandas are both' (topic names), '' (none) — not 'my friend', 'sarah', 'we', 'the guy who …'."""
    text = before_verb.lower()
    for start, end, _ in reversed(cur.mention_spans(text) if cur is not None else []):
        text = text[:start] + " " + text[end:]
    return all(w in OWN_WORDS or w.isdigit() for w in re.findall(r"[\w']+", text))


# --- the whole message ------------------------------------------------------------------------


def read_statements(message: str, cur: Curriculum, context: Topic | None = None) -> list[Statement]:
    """The progress the learner states in `message`: one statement per topic (a later clause
    about the same topic wins: "I marked sql as skipped by mistake - I'm studying it now").
    `context` is the topic the conversation was just about, for "it" and "that one"."""
    found: dict[str, Statement] = {}
    last: list[Topic] = [context] if context is not None else []
    pending: Clause | None = None  # "Finished: k-means" — a status waiting for its topic
    listing: Clause | None = None  # "comfortable with sql, git, linux and docker": the list goes on
    for clause in clauses(message, cur):
        topics = named_topics(clause.text, cur)
        if clause.status and not topics and PRONOUN.search(clause.text):
            topics = list(last)
        negated = bool(NEGATION.search(clause.text.lower()))  # "i know javascript but no python"
        if topics and clause.status is None and pending is not None and not clause.question and not negated:
            clause = Clause(f"{pending.text} {clause.text}", pending.status, sentence=pending.sentence)
        elif (
            topics
            and clause.status is None
            and listing is not None
            and listing.sentence == clause.sentence  # a list does not run on into the next sentence
            and _only_names(clause.text, cur)
        ):
            clause = Clause(clause.text, listing.status, sentence=listing.sentence)
        pending = clause if clause.status and not topics else None
        listing = clause if clause.status and topics else (listing if _only_names(clause.text, cur) else None)
        if topics:
            last = topics
        for topic in topics if clause.status else []:
            found.pop(topic.id, None)
            found[topic.id] = Statement(topic, clause.status, clause.sentence or clause.text)
    return list(found.values())


def _only_names(text: str, cur: Curriculum) -> bool:
    """A clause that is nothing but topic names joined by 'and' / 'or' (an item of a list)."""
    low = text.lower()
    for start, end, _ in reversed(cur.mention_spans(low)):
        low = low[:start] + " " + low[end:]
    return all(w in ("and", "or", "&", "also", "too", "plus") for w in re.findall(r"[\w&']+", low))


# what a course is called by ("the kaggle python course")
COURSE = re.compile(
    r"^\s*(course|tutorial|class|playlist|book|track|certificate|certification|bootcamp|lesson|series|video"
    r"|specialization|specialisation|module|micro-course)s?\b",
    re.IGNORECASE,
)


# who gives courses, when a learner names one ("the kaggle python course"): not what the course is about
PROVIDERS = frozenset("kaggle coursera udemy edx datacamp codecademy codebasics youtube".split())


def named_topics(text: str, cur: Curriculum) -> list[Topic]:
    found = cur.mention_spans(text)
    spans = [span for i, span in enumerate(found) if not _gives_course(text, found, i)]
    ids = list(dict.fromkeys(tid for _, _, tid in spans))
    if not found:  # nothing named (a typo, perhaps); not a provider's course named alone ("a kaggle course")
        ids = _fuzzy_topics(text, cur)
    return [cur.topics[t] for t in ids]


def _gives_course(text: str, spans: list, i: int) -> bool:
    """Whether the i-th topic named is a provider of a course named right after it, or after the topic next to it
    ("the kaggle python course", "the pandas kaggle course"): Kaggle there gives the course, it is not done."""
    start, end, _ = spans[i]
    if text[start:end].lower() not in PROVIDERS:
        return False
    tail = POSSESSIVE.sub("", text[end:], count=1)  # "kaggle's python course"
    after = next((s for s in spans[i + 1 : i + 2] if not POSSESSIVE.sub("", text[end : s[0]]).strip()), None)
    return bool(COURSE.match(tail) or after is not None and COURSE.match(text[after[1] :]))


POSSESSIVE = re.compile(r"^'s?\b")


def _fuzzy_topics(text: str, cur: Curriculum) -> list[str]:
    """A typo'd one-word name ("pandsa", "numpi"): the one close match, if clearly one."""
    from rapidfuzz import fuzz, process  # imported here: only typo'd messages need it

    names = {n: t.id for t in cur.topics.values() for n in [t.id, t.title.lower(), *map(str.lower, t.aliases)]}
    single = [n for n in names if " " not in n and len(n) >= 5]
    found = []
    for word in re.findall(r"[a-z][a-z0-9+#-]{4,}", text.lower()):
        if word in OWN_WORDS or DONE.fullmatch(word) or LEARNING.fullmatch(word) or SKIPPED.fullmatch(word):
            continue
        best = process.extract(word, single, scorer=fuzz.ratio, limit=2)
        if best and best[0][1] >= 80 and (len(best) == 1 or best[0][1] - best[1][1] >= 5):
            found.append(names[best[0][0]])
    return list(dict.fromkeys(found))


# --- undo -------------------------------------------------------------------------------------

UNDO = re.compile(r"^\s*(please\s+)?undo\b|\bundo (that|the last|my last|it)\b|\btake (that|it) back\b", re.IGNORECASE)


# what makes an undo sentence something other than a plain request: a question ("how do I
# undo?", "undo? no"), a negation ("don't undo that"), a condition or a later time, a joke taken
# back, everything at once, or someone else's request
NOT_A_REQUEST = re.compile(
    r"\?|\bhow\b|\bcan i\b|\bjk\b|\bjust kidding\b|\bkidding\b|\bfriend\b|\bteacher\b|\basked\b|\bwants?\b",
    re.IGNORECASE,
)


def asks_undo(message: str) -> bool:
    """The learner's own request to take back their last change ("undo", "take that back");
    an undo inside quotes, reported speech or someone else's words, a negated, conditional,
    joking or questioning one, or one for everything, is not a request."""
    for sentence in learner_sentences(message):
        low = sentence.lower()
        if not UNDO.search(sentence) or NOT_A_REQUEST.search(low) or EVERYTHING.search(low):
            continue
        if NEGATION.search(low) or UNSURE.search(low) or MODAL.search(low):
            continue
        return True
    return False
