"""What the mentor lets in and what it lets itself do.

- Input limits: messages are bounded in length, control characters are removed, and an empty
  message is refused with a clear error.
- Profile proposals: a goal, weekly hours or background is proposed only when the learner's
  message states it ("my goal is NLP", "I have 6 hours a week"), word for word.

Chat writes nothing by itself: every change is a proposal the learner confirms
(`mentor.learning.proposals`). Retrieved passages and fetched pages never reach these checks:
they are data, fenced in prompts, and only the learner's words are read here.

Not here: reading progress statements and undo requests (`statements.py`), which tool runs
(`tools.py`), how the offline mode reads a message (`router.py`).
"""

from __future__ import annotations

import re
import unicodedata

from mentor.assistant.statements import learner_sentences, looks_like_injection
from mentor.errors import UsageError

MAX_MESSAGE_CHARS = 2000

PROFILE_GOAL = re.compile(
    r"\bmy goal is (to )?(become |learn |be |get into |do )?(?P<goal>[^.?!;]+?)(?=,?\s+(and|but|so)\s+i\b|[.?!;]|$)",
    re.IGNORECASE,
)
PROFILE_BACKGROUND = re.compile(r"\b(my background is|i am a|i'm a|i work as)\s+(?P<bg>[^.?!]+)", re.IGNORECASE)
HOURS = re.compile(r"(\d+(?:\.\d+)?)\s*(?:h|hrs?|hours?)\b\s*(?:a|per|/|each|every)?\s*(?:week|wk)?", re.IGNORECASE)
STATES_HOURS = re.compile(r"\bi (have|can|could|'ve got|got)\b|\bi'?ve got\b", re.IGNORECASE)
PROFILE_WORD = re.compile(r"[a-z0-9+#]+")


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


def profile_statement_allows(message: str, given: dict) -> tuple[bool, str]:
    """May these profile fields (goal, hours_per_week, background) be remembered on the
    strength of `message`? Each must be what the learner's message states about themselves."""
    if looks_like_injection(message):
        return False, "the message contains instructions to the assistant, not a statement about the learner"
    own = [s for s in learner_sentences(message) if not HEDGED.search(s)]  # quotes, others' words, "not", "if" out
    checks = {"goal": _goal_stated, "hours_per_week": _hours_stated, "background": _background_stated}
    for name, value in given.items():
        why = checks[name](" ".join(own), value)
        if why:
            return False, why
    return True, ""


# a profile sentence that is negated, conditional or unsure states nothing ("my goal is not X",
# "I can't study 10 hours a week", "10 hours if my boss lets me", "don't remember my goal is X")
HEDGED = re.compile(
    r"\b(not|never|no|don'?t|do not|can'?t|cannot|won'?t|if|unless|maybe|perhaps)\b|n't\b", re.IGNORECASE
)


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
