"""The offline mode's intent router: deterministic rules that read a learner's message (and the
conversation so far) and decide which tool answers it, with which topic and numbers.

Intents: greeting, help, injection, undo, progress_update, profile, plan, next, prereqs,
progress_query, resources, concept, search (the default) and out_of_scope. Topics are found by
aliases and fuzzy matching; pronouns ("its prerequisites", "and after that?") refer to the
conversation's last topic or suggestions.

Not here: the question forms with answers of their own shape (decision, which, compare, how
long, section, conflict, a kind of resource: `forms.py`), the phrasings that write (progress,
undo, profile statements: `safety.py`, which the tools also check) or the answers (`offline/`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mentor.assistant.forms import (
    COMPARE,
    CONFLICT,
    EITHER_SIDE,
    HOW_LONG,
    KIND,
    PREREQ_ASK,
    RESOURCE_ASK,
    START_ASK,
    WANTS_KIND,
    WHERE_TO_LEARN,
    asks_alongside,
    asks_covers,
    asks_relevant,
    asks_where_in,
    asks_yes_no,
    named_count,
    question_form,
    resource_kind,
)
from mentor.assistant.safety import HOURS, PROFILE_BACKGROUND, PROFILE_GOAL, STATES_HOURS
from mentor.assistant.statements import asks_undo, clauses, looks_like_injection, read_statements
from mentor.learning.curriculum import Curriculum

GREETING = re.compile(
    r"^\s*(hi|hello|hey|hiya|yo|good\s+(morning|afternoon|evening)|thanks|thank\s+you|cheers)\b[\s!.,]*"
    r"(there|mentor|a lot|so much)?[\s!.]*$",
    re.IGNORECASE,
)
HELP = re.compile(
    r"^\s*(help|\?|what can you do|how do(es)? (you|this) work|what do you do|commands)\s*\??\s*$", re.IGNORECASE
)
PLAN = re.compile(r"\b(plan|schedule|timetable|roadmap for me|week[- ]by[- ]week|study routine)\b", re.IGNORECASE)
# "the 6 month plan", "the weekly schedule": a roadmap being asked about, not a plan asked for
DOC_PLAN = re.compile(
    r"\b(the|this|that|their|its)\s+(?:[\w-]+\s+){0,2}(plan|schedule)\b|\b(6|six)[- ]?months?[- ]([\w-]+ )?plan\b"
    r"|\b(one|another|other|each|both) (plan|schedule)s?\b|\b(plan|schedule) (says|said|has|puts|gives)\b"
    r"|\bcodebasics (plan|schedule)\s*:",  # "codebasics plan: what comes …", not "i need a codebasics plan"
    re.IGNORECASE,
)
PLAN_REQUEST = re.compile(
    r"\b(make|build|create|give|draw up|generate|write|prepare|suggest)\b[^.?!]{0,25}\b(plan|schedule)\b"
    r"|(?<!weekly )(?<!month )(?<!months )(?<!codebasics )\bplan (my|out|for)\b"  # not "the weekly plan for people"
    r"|\bmy (study )?(plan|schedule)\b|\b\d+(\.\d+)?\s*(h|hrs?|hours?)\b",
    re.IGNORECASE,
)
WEEKS = re.compile(r"(\d+)\s*[- ]?\s*(?:weeks?|wks?)\b", re.IGNORECASE)
MONTHS = re.compile(r"(\d+)\s*[- ]?\s*months?\b", re.IGNORECASE)
NEXT = re.compile(
    r"\b(what|which)\b.{0,80}?\b(next|first|start with|begin with)\b|\bwhats\b.{0,80}?\bnext\b"
    r"|\bwhat (do|should|can|could) i (learn|study|do)\b"
    r"|\bwhere (do|should|can) i (actually |even |really )?(start|begin|jump in)\b"
    r"|\b(is there )?anything (else )?after\b"
    r"|\b(which|what) (part|parts|weeks?|phases?|sections?|steps?)\b[^?]{0,60}?\b(skip|skim|fast[- ]?forward|for me)\b"
    r"|\bwhat (do|should|can) i (move|go) on to\b"
    r"|\bwhat'?s next\b|\b(and )?(after|then) (that|this)\b|\bthen what\b|\bnext steps?\b|\bwhat now\b"
    r"|\bwhat should i (learn|study|do)\b|\bwhat to learn\b|^\W*(and\s+)?(now\s+)?next\W*$"
    r"|\bwhat (\w+ ){0,2}comes (right )?(next|after)\b|\bnow what\b|\bwhat(\s+i|\')?s (right )?after\b"
    r"|\bwhat'?s (is )?left\b"
    r"|\bwhere\b.{0,20}\b(start|begin)\b"
    r"|\bwhere\b.{0,40}\b(would|should|do|can) i (start|begin|jump in|join|pick up)\b"
    # "which week should i jump in at?": where to pick a roadmap up, no topic after it ("… start pandas" is when)
    r"|\b(which|what) (week|phase|step|part|section|level|month)s?\b.{0,40}\b(would|should|do|can) i"
    r" (start|begin|jump in|join|pick up)( (at|from|with|in))?\W*$"
    r"|\bwhat (do|should|can) i (focus on|prioriti[sz]e)\b"
    r"|\bgo(es)? from (here|there)\b|\bwhat'?s my path\b|\bpath from here\b|\bhow do i level up\b",
    re.IGNORECASE,
)
PREREQS = re.compile(
    r"\bbefore?\b|\bb4\b|\bprereq|\bprerequisite|\bneed to know\b|\bneed first\b|\bready (for|to)\b|\bcan i (start|learn|do|jump)\b"  # noqa: E501
    # "depend", not the roadmap's name ("the dependency roadmap")
    r"|\bwhy not\b.*\byet\b|\brequire(d|ments?)?\b|\bdepend(?!ency[- ](correct|roadmap|one\b|plan|first))",
    re.IGNORECASE,
)
PROGRESS_QUERY = re.compile(
    r"\b(my progress|what have i (done|finished|learned|learnt|completed)|how far (am i|have i)"
    r"|what did i (finish|learn)|show (my )?progress|my status)\b",
    re.IGNORECASE,
)
RESOURCES = re.compile(
    r"\b(where|how) (can|do|should|could) i (learn|study|practi[sc]e|find)\b|\bresources?\b|\bcourses?\b"
    r"|\bvideos?\b|\bplaylists?\b|\bbooks?\b|\btutorials?\b|\blinks?\b|\bdocs\b|\bdiscord\b|\bdatasets?\b",
    re.IGNORECASE,
)
CONCEPT = re.compile(
    r"^\s*(what\s+(is|are)|what's|explain|tell me about|define|describe|how does|how do .* work|why (is|are|do))\b",
    re.IGNORECASE,
)
PRONOUN_TOPIC = re.compile(r"\b(it|its|that|this|them|those)\b", re.IGNORECASE)
TRIGGERS = re.compile(
    r"^.*?(?<!-)\b(before|for|about|learn(ing)?|finished|completed|done with|know|started|skip(ped)?|mark|explain"
    r"|is|are|prerequisites? (of|for)|need for|start|study|studying|towards?|on)\b\s+",  # not "Hands-On ML"
    re.IGNORECASE,
)


WHY_ON_LIST = re.compile(r"^\s*why (is|are)\b.{1,60}\b(on|in) (the|this|that|a)\b.{0,40}\blist\b", re.IGNORECASE)
QUESTION = re.compile(
    r"^(what|which|how|why|where|who|when|do|does|did|should|can|could|would|is|are|am|will|have|has|must)\b",
    re.IGNORECASE,
)
LATER = re.compile(r"\bbuilds? on (them|it|that|this)\b|\bwhat'?s the path\b|\bpath (to|towards)\b", re.IGNORECASE)
# "why is that first?", "why does numpy come so early?": where one topic sits in the order
WHY_ORDER = re.compile(
    r"^\s*why\b(?!.*\bnot\b).*\b(first|so early|so soon|early on|start with|begin with|at the (start|beginning)"
    r"|comes? (first|there|next|then))\b",
    re.IGNORECASE,
)
# "is it mlops or deployment first?"; not "is it worth learning docker or kubernetes first" ("should i learn sql or
# pandas first?" asks a decision too)
OR_FIRST = re.compile(
    r"\bis it (?!(worth|ok|okay|fine|better|best|true|smart|wise|bad|good|normal|possible|necessary|needed)\b)"
    r"[\w/+.-]+( [\w/+.-]+){0,2} or( [\w/+.-]+){1,3} first\b",
    re.IGNORECASE,
)
ORDER = re.compile(
    OR_FIRST.pattern + r"|\b(what|which) order\b|\border (for|of|should)\b|\bin what order\b"
    r"|\bwhich (comes|goes|one) first\b"
    r"|^\W*[\w/+.-]+( [\w/+.-]+)? or [\w/+.-]+( [\w/+.-]+)? first\b"  # "fastapi or docker first?"
    rf"|(?:{EITHER_SIDE.pattern})"  # "do kmeans and pca come before or after neural nets?", "… before x or after?"
    # "… which sections are in between", "what is between sql and machine learning?"; not "the difference between"
    r"|\bin between\b|\bbetween (them|those|the two)\b|\b(what|which \w+)\b(?:(?!differ).){0,30}\bbetween\b",
    re.IGNORECASE,
)
ABOUT = re.compile(r"\bwhat (should|do|can) i do (about|with) (.+?)\??$", re.IGNORECASE)


@dataclass
class Intent:
    name: str
    topic_text: str | None = None  # the words naming a topic, if any
    hours: float | None = None
    weeks: int | None = None
    status: str | None = None
    also: list[str] = field(default_factory=list)  # a second intent in the same message
    follow_up: bool = False
    profile: dict = field(default_factory=dict)
    kind: str | None = None  # the kind of resource asked for (book, course, video, dataset, docs)
    text: str | None = None  # the words of the message this intent answers (its question sentences)
    question: Intent | None = None  # a question asked together with a statement


def _numbers(message: str) -> tuple[float | None, int | None]:
    hours = weeks = None
    m = HOURS.search(message)
    if m:
        hours = float(m.group(1))
    m = WEEKS.search(message.replace(m.group(0), " ") if m else message)
    if m:
        weeks = int(m.group(1))
    elif MONTHS.search(message):
        weeks = int(MONTHS.search(message).group(1)) * 4
    return hours, weeks


def topic_phrase(message: str) -> str | None:
    """The words after the last trigger word: 'what do I need before transformers' -> 'transformers'."""
    text = message.strip().rstrip("?!. ")
    m = None
    for m in TRIGGERS.finditer(text):
        pass
    phrase = text[m.end() :] if m else text
    phrase = re.sub(
        r"\b(as (done|finished|complete|learning|skipped)|yet|now|first|please|next|already|too)\b",
        " ",
        phrase,
        flags=re.IGNORECASE,
    )
    phrase = re.sub(r"\s+", " ", phrase).strip(" ,.;:")
    return phrase or None


def classify(message: str, previous: Intent | None = None, cur: Curriculum | None = None, context=None) -> Intent:
    """The intent of a learner's message; `cur` and `context` (the topic just discussed) let
    progress statements about topics ("numpy ✅", "just finished it!") be recognised. A message
    that states something about the learner and also asks a question carries the question's
    intent in `question`, so both are answered."""
    m = message.strip()
    status = _stated_status(m, cur, context)
    if looks_like_injection(m) and not status:
        return Intent("injection")
    if GREETING.match(m):
        return Intent("greeting")
    if HELP.match(m):
        return Intent("help")
    if asks_undo(m):
        return Intent("undo")
    stated = _statement_intent(m, status)
    if stated is not None:
        asked = _asked(m)
        if asked and stated.name in ("progress_update", "profile"):
            stated.question = _question_intent(asked, previous, cur)
            stated.also = []  # the question is answered in its own right
        return stated
    whole = _whole_message_shape(m, cur)
    if whole is not None:
        return Intent(whole, topic_phrase(m), text=m)
    asked = _asked(m) or m
    intent = _question_intent(asked, previous, cur)
    if asked != m and _leans_on_context(asked, cur):
        intent.text = m
        if intent.name == "search" and WANTS_KIND.search(m):  # "i want an actual course … anything linked for that?"
            return Intent("resources", topic_phrase(m), kind=resource_kind(m), text=m)
    return intent


def _whole_message_shape(m: str, cur: Curriculum | None) -> str | None:
    """Shapes read from the whole message, whose context may precede the question ("the 6 month
    plan puts maths first, but I read … Which is right?")."""
    if PREREQ_ASK.search(m):  # "what do I need before X (… vs …)": a topic's title may hold "vs"
        return None
    if CONFLICT.search(m) or OTHER_ROADMAPS.search(m) and _roadmaps_named(m, cur) >= 1:  # "the 6 month plan … the other
        return "conflict"  # roadmaps dont seem to care"; not "is rag covered in the other roadmaps?"
    if asks_covers(m, cur) and not OR_FIRST.search(m):  # "is pytorch mentioned in the six month plan and the learning
        return "covers"  # algorithm?"; not "is it cnns or rnns first in the master curriculum?"
    if _roadmaps_named(m, cur) >= 2:
        return "conflict"
    if COMPARE.search(m):
        return "compare"
    return None


OTHER_ROADMAPS = re.compile(r"\bother (roadmaps|plans|ones)\b", re.IGNORECASE)


def _roadmaps_named(m: str, cur: Curriculum | None) -> int:
    """How many different roadmaps a message names ("master curriculum … but learning-algorithm …"), by the names
    `sources.yaml` gives them; "the 6 month weekly plan" is one."""
    return len(cur.roadmaps_in(m)) if cur is not None else 0


def _statement_intent(m: str, status: str | None) -> Intent | None:
    """Progress statements, profile statements and plan requests."""
    lowered = m.lower()
    if status is not None and not CONCEPT.match(m):
        also = ["next"] if NEXT.search(m) else []
        return Intent("progress_update", topic_phrase(re.split(r"[,;]|\band\b\s+what", m)[0]), status=status, also=also)
    goal = PROFILE_GOAL.search(m)
    if goal and NEXT.search(m):  # "what should I learn next? My goal is transformers."
        return Intent("next", goal.group("goal").strip())
    profile = {}
    if goal:
        profile["goal"] = goal.group("goal").strip()
    bg = PROFILE_BACKGROUND.search(m)
    if bg and status is None:
        profile["background"] = bg.group("bg").strip()
    hours, weeks = _numbers(m)
    states_hours = bool(hours) and bool(STATES_HOURS.search(m))
    asks_plan = PLAN.search(m) and not (DOC_PLAN.search(m) and not PLAN_REQUEST.search(m))
    if asks_plan or (hours and re.search(r"\b(week|weekly)\b", lowered) and not profile and not states_hours):
        if not HOW_LONG.search(m):
            return Intent("plan", _plan_goal(m), hours=hours, weeks=weeks)
    if profile or states_hours:
        if hours:
            profile["hours_per_week"] = hours
        return Intent("profile", profile=profile)
    return None


REFERS_BACK = re.compile(r"\b(that|this|it|those|these|them|they|there)\b", re.IGNORECASE)


def _leans_on_context(asked: str, cur: Curriculum | None) -> bool:
    """Whether a question needs the sentences before it to be understood: it points back at what
    they name ("… the silhouette score. what is that?"), or asks for something and names no topic of
    its own ("xgboost has so many parameters. any docs?"). A yes or no is decided about what its own
    words name: "I did linear regression. do I read all of ISLR first?" is not about regression."""
    if REFERS_BACK.search(asked) or cur is None:
        return True
    return not asks_yes_no(asked) and not any(length > 2 for _, length in cur.mentions(asked))


def _asked(m: str) -> str:
    """The sentences of a message that ask something (after a statement: "I know python. What
    about maths?")."""
    parts = re.split(r"(?<=[.!?])\s+|\n+", m)
    return " ".join(p for p in parts if p.rstrip().endswith("?") or QUESTION.match(p.strip()))


def _question_intent(m: str, previous: Intent | None, cur: Curriculum | None) -> Intent:
    intent = _question_kind(m, previous, cur)
    intent.text = m
    return intent


def _question_kind(m: str, previous: Intent | None, cur: Curriculum | None) -> Intent:
    lowered = m.lower()
    if PROGRESS_QUERY.search(m):
        return Intent("progress_query")
    follow = bool(PRONOUN_TOPIC.search(m)) and previous is not None
    if WHY_ORDER.search(m) and named_count(m, cur) <= 1:
        return Intent("why_order", topic_phrase(m), follow_up=follow or previous is not None)
    if asks_relevant(m, cur):  # "… k8s is my job. at what point does that experience start being relevant?"
        return Intent("relevant", None, follow_up=follow)
    if asks_alongside(m, cur):  # "what should i be learning at the same time as python basics?"
        return Intent("alongside", topic_phrase(m), follow_up=follow)
    if ORDER.search(m) or asks_where_in(m) and named_count(m, cur) == 1:  # "where does git come in …?"
        return Intent("order", topic_phrase(m), follow_up=follow)
    if LATER.search(m):  # "does anything later build on them?", "after X, what's the path to Y?"
        return Intent("next", None, follow_up=follow)
    if ABOUT.search(m):  # "what should I do about maths?" is about maths, not about next steps
        return Intent("concept", ABOUT.search(m).group(3), follow_up=follow)
    shape = question_form(m, cur)
    if shape is not None:
        return Intent(shape, topic_phrase(m), follow_up=follow)
    if _starts_for_me(m, cur):  # "… pandas + sql all day. on the 6 month plan which weeks can i breeze through?"
        return Intent("next", None)
    if WHERE_TO_LEARN.search(m) or KIND.search(m) and RESOURCE_ASK.search(m):
        return Intent("resources", topic_phrase(m), follow_up=follow, kind=resource_kind(m))
    if PREREQS.search(m) and not WHY_ON_LIST.match(m):  # "why is X on the required list?" asks about X
        return Intent("prereqs", topic_phrase(m), follow_up=follow)
    if NEXT.search(m):
        goal_words = re.search(  # not "for that, and where should i start": a pronoun is no goal
            r"\b(?:towards?|to (?:get to|reach|learn)|for|goal is)\s+(?!(?:that|this|it|them|me)\b)(.+)$",
            m.rstrip("?!. "),
            re.IGNORECASE,
        )
        return Intent(
            "next",
            goal_words.group(1) if goal_words else None,
            follow_up=bool(re.search(r"\b(after|then) (that|this)\b|\bthen what\b", lowered)),
        )
    if RESOURCES.search(m):
        return Intent("resources", topic_phrase(m), follow_up=follow, kind=resource_kind(m))
    if CONCEPT.match(m):
        return Intent("concept", _subject(m, cur) or topic_phrase(m), follow_up=follow)
    return Intent("search", topic_phrase(m), follow_up=follow)


def _subject(message: str, cur: Curriculum | None) -> str | None:
    """The topic a concept question opens with, when it names one: "why do eigenvalues matter for
    ML?" is about eigenvalues (the words after its last "for" are the ML it matters to)."""
    opener = CONCEPT.match(message)
    spans = cur.mention_spans(" ".join(message[opener.end() :].split())) if cur is not None and opener else []
    if not spans:
        return None
    start, end, _ = spans[0]
    return " ".join(message[opener.end() :].split())[start:end]


def _starts_for_me(m: str, cur: Curriculum | None) -> bool:
    """Where to start or what to skim for what the learner knows, asked with no topic after it ("which week do i
    start pandas?" asks where pandas is) and no goal ("where should i start for ML?": next steps towards it)."""
    text = " ".join(m.split())
    found = START_ASK.search(text)
    spans = cur.mention_spans(text) if cur is not None and found else []
    return found is not None and not NEXT.search(m) and not any(s >= found.start() for s, _, _ in spans)


def _stated_status(message: str, cur: Curriculum | None, context) -> str | None:
    """The status of the learner's first own progress statement in the message (about a topic
    when one is named or meant), if any."""
    said = read_statements(message, cur, context) if cur is not None else []
    if said:
        return said[0].status
    return next((c.status for c in clauses(message, cur) if c.status), None)


def _plan_goal(message: str) -> str | None:
    """What a plan is asked to head for: "a plan to get to transformers at 5 hours a week" -> "transformers"."""
    m = re.search(
        r"\b(?:towards?|to (?:get to|reach|learn|become)|for|goal(?: is)?|until|up to|through)\s+(?!\d)([a-z][^,.?!]*)",
        message,
        re.IGNORECASE,
    )
    if not m:
        return None
    words = re.sub(
        r"\b(at|with|in|a|an|the|me|my|\d+[^ ]*|hours?|h|weeks?|per|week)\b", " ", m.group(1), flags=re.IGNORECASE
    )
    words = re.sub(r"\s+", " ", words).strip()
    return words or None
