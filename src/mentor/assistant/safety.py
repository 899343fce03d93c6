"""What the mentor lets in and what it lets itself do.

- Input limits: messages are bounded in length, control characters are removed, and an empty
  message is refused with a clear error.
- Writes: a progress change is recorded only when the learner's own message states it about
  themselves ("I finished linear regression", "mark numpy as done") and names that topic; the
  last change is undone only when the message asks for it ("undo", "take that back"); a goal,
  weekly hours or background is remembered only when the message states it ("my goal is NLP",
  "I have 6 hours a week"). Requests to change everything, and instructions smuggled into a
  message ("ignore previous instructions…"), write nothing. Retrieved passages and fetched pages
  never reach these checks: they are data, fenced in prompts, and only the learner's words are
  read here.

Not here: which tool runs (`tools.py`) or how the offline mode reads a message (`router.py`).
"""

from __future__ import annotations

import re
import unicodedata

from mentor.errors import UsageError

MAX_MESSAGE_CHARS = 2000

DONE_VERBS = r"(finished|completed|complete|done with|done|learned|learnt|know|mastered|studied|covered|went through)"
LEARNING_VERBS = (
    r"(started|starting|am learning|'m learning|am studying|'m studying|working on|am doing|'m doing|began)"
)
SKIP_VERBS = r"(skip|skipped|skipping|don't need|do not need|won't do|will not do)"
IMPERATIVE = re.compile(r"^\s*(please\s+)?(mark|set|record|log|put)\b", re.IGNORECASE)
INJECTION = re.compile(
    r"ignore\s+(all\s+|any\s+)?(the\s+)?(previous|prior|above|earlier|your)\s+(instructions|rules|prompts?)"
    r"|system\s+prompt|you\s+are\s+now|disregard\s+(all|previous|the)|new\s+instructions|developer\s+mode",
    re.IGNORECASE,
)
REPORTED = re.compile(
    r"\b(says|said|claims?|states?|according to|pretend|imagine|suppose|hypothetically)\b", re.IGNORECASE
)
UNDO = re.compile(r"^\s*(please\s+)?undo\b|\bundo (that|the last|my last|it)\b|\btake (that|it) back\b", re.IGNORECASE)
PROFILE_GOAL = re.compile(r"\bmy goal is (to )?(become |learn |be |get into |do )?(?P<goal>[^.?!]+)", re.IGNORECASE)
PROFILE_BACKGROUND = re.compile(r"\b(my background is|i am a|i'm a|i work as)\s+(?P<bg>[^.?!]+)", re.IGNORECASE)
HOURS = re.compile(r"(\d+(?:\.\d+)?)\s*(?:h|hrs?|hours?)\b\s*(?:a|per|/|each|every)?\s*(?:week|wk)?", re.IGNORECASE)
STATES_HOURS = re.compile(r"\bi (have|can|could|'ve got|got)\b|\bi'?ve got\b", re.IGNORECASE)
PROFILE_WORD = re.compile(r"[a-z0-9+#]+")
EVERYTHING = re.compile(
    r"\b(everything|all\s+(the\s+)?topics|every\s+topic|all\s+of\s+(it|them)|the\s+whole)\b", re.IGNORECASE
)


def clean_message(raw: str) -> tuple[str, list[str]]:
    """A learner's message made safe to process; notices say what was changed."""
    if not isinstance(raw, str):
        raise UsageError("the message must be text")
    notices = []
    text = "".join(ch for ch in raw if ch in "\n\t" or not unicodedata.category(ch).startswith("C"))
    if text != raw:
        notices.append("control characters were removed from your message")
    text = text.strip()
    if not text:
        raise UsageError("the message is empty: ask a question, e.g. 'what should I learn next?'")
    if len(text) > MAX_MESSAGE_CHARS:
        text = text[:MAX_MESSAGE_CHARS]
        notices.append(f"your message was cut to its first {MAX_MESSAGE_CHARS} characters")
    return text, notices


def looks_like_injection(message: str) -> bool:
    return bool(INJECTION.search(message))


STATEMENT_START = re.compile(
    r"^\s*(?:(?:ok|okay|so|well|yes|finally|today|yesterday|now|great|update)[,!:]?\s+)*"
    r"(i|i've|i have|i'm|i am|i just|i already|i finally|we|we've|just)\b",
    re.IGNORECASE,
)
MODAL = re.compile(
    r"\b(should|could|would|will|want|wanna|going to|gonna|need to|have to|has to|plan to|hope to"
    r"|'d like|would like|might|may|must|if|when|whether)\b",
    re.IGNORECASE,
)
# where a statement about the learner ends and another subject's begins: in "I pasted my
# notes so you know where I am" the "know" is not the learner's
SUBORDINATE = re.compile(r"\b(so|because|since|that|which|where|while|until|unless|you|he|she|they)\b", re.IGNORECASE)
CLAUSES = re.compile(
    r"[?!.;\n]|,\s*(?:and\s+|so\s+|but\s+)?(?=(?:what|which|how|where|when|can|should|could|do|does|is|are)\b)",
    re.IGNORECASE,
)


def stated_status(message: str) -> str | None:
    """The progress status the learner states about themselves, or None.

    Only a clause that is a statement counts: it starts with "I …" (or is an imperative such
    as "mark numpy as done") and carries no modal ("I should know", "I want to learn"), so
    questions like "do I have to finish the maths first?" never read as progress."""
    for clause in CLAUSES.split(message.replace("’", "'")):
        clause = clause.strip().lower()
        if not clause:
            continue
        if IMPERATIVE.search(clause):
            for pattern, status in (
                (r"\b(done|finished|complete|completed)\b", "done"),
                (r"\b(learning|in progress|started)\b", "learning"),
                (r"\bskipped\b", "skipped"),
                (r"\b(not started|not_started|todo)\b", "not_started"),
            ):
                if re.search(pattern, clause):
                    return status
            continue
        start = STATEMENT_START.search(clause)
        if not start or MODAL.search(clause):
            continue
        clause = clause[: start.end()] + SUBORDINATE.split(clause[start.end() :], maxsplit=1)[0]
        if re.search(rf"\b{SKIP_VERBS}\b", clause):
            return "skipped"
        if re.search(rf"(\b|'){LEARNING_VERBS}\b", clause):
            return "learning"
        if re.search(rf"\b{DONE_VERBS}\b", clause):
            return "done"
    return None


def names_topic(message: str, topic, cur) -> bool:
    """Does the learner's message itself name this topic?"""
    return any(tid == topic.id for tid, _ in cur.mentions(message))


def progress_statement_allows(message: str, topic, status: str, cur) -> tuple[bool, str]:
    """May a progress change (topic -> status) be written on the strength of `message`?"""
    if looks_like_injection(message):
        return False, "the message contains instructions to the assistant, not a statement of progress"
    if EVERYTHING.search(message):
        return False, "I record progress one named topic at a time, as you tell me about it"
    if REPORTED.search(message):
        return False, "that is a report or a supposition, not you telling me what you have done"
    said = stated_status(message)
    if said is None:
        return False, "the learner has not said they finished, started or skipped anything"
    if said != status:
        return False, f"the learner said {said}, not {status}"
    if not names_topic(message, topic, cur):
        return False, f"the learner's message does not name {topic.title}"
    return True, ""


def asks_undo(message: str) -> bool:
    return bool(UNDO.search(message))


def undo_request_allows(message: str) -> tuple[bool, str]:
    """May the learner's last progress change be taken back on the strength of `message`?"""
    if looks_like_injection(message):
        return False, "the message contains instructions to the assistant, not a request to undo"
    if not asks_undo(message):
        return False, 'the learner has not asked to undo anything (they can say "undo")'
    return True, ""


def profile_statement_allows(message: str, given: dict) -> tuple[bool, str]:
    """May these profile fields (goal, hours_per_week, background) be remembered on the
    strength of `message`? Each must be what the learner's message states about themselves."""
    if looks_like_injection(message):
        return False, "the message contains instructions to the assistant, not a statement about the learner"
    checks = {"goal": _goal_stated, "hours_per_week": _hours_stated, "background": _background_stated}
    for name, value in given.items():
        why = checks[name](message, value)
        if why:
            return False, why
    return True, ""


def _only_stated_words(value: str, statement: re.Match | None, what: str) -> str:
    if statement is None:
        return f'the learner has not stated their {what} (e.g. "my goal is …", "my background is …")'
    stated = set(PROFILE_WORD.findall(statement.group(0).lower()))
    extra = set(PROFILE_WORD.findall(str(value).lower())) - stated
    return f"the learner did not say {' '.join(sorted(extra))!r} about their {what}" if extra else ""


def _goal_stated(message: str, goal) -> str:
    return _only_stated_words(goal, PROFILE_GOAL.search(message), "goal")


def _background_stated(message: str, background) -> str:
    return _only_stated_words(background, PROFILE_BACKGROUND.search(message), "background")


def _hours_stated(message: str, hours) -> str:
    """The hours must be the first number of hours in the message, and the message must be
    about the learner ("I have …", or a goal or background statement)."""
    found = HOURS.search(message)
    about_self = STATES_HOURS.search(message) or PROFILE_GOAL.search(message) or PROFILE_BACKGROUND.search(message)
    if found is None or not about_self:
        return "the learner has not said how many hours a week they have"
    if float(found.group(1)) != float(hours):
        return f"the learner said {float(found.group(1)):g} hours a week, not {float(hours):g}"
    return ""
