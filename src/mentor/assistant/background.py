"""What a learner says of themselves besides progress, read to shape one answer and never
proposed or recorded: the topics they already work with ("5 yrs python", "use docker daily",
"lots of SQL reports, some pandas"), the job or degree they name themselves by ("backend dev here": git and
SQL, from `corpus/roles.yaml`), and the topics they have not done ("never deployed one").

Read clause by clause with the statement reader's own clauses, negation, modality and speakers
(`statements.py`), so quoted and reported words are never the learner's.

Not here: progress statements, which become proposals (`statements.py`).
"""

from __future__ import annotations

import re

from mentor.assistant.statements import MODAL, NEGATION, OTHERS, clauses, named_topics
from mentor.learning.curriculum import Curriculum, Topic
from mentor.learning.order import implied_known

AIMING = re.compile(r"\b(goal|aim|want\w*|wanna|hop(e|ing)|plan\w*|would like|'d like)\b", re.IGNORECASE)
HEADING_FOR = re.compile(
    r"\b(mov\w* (in)?to|switch\w* (in)?to|get\w* into|transition\w*|becom\w*|learn\w*|towards?|level up|goal|aim"
    r"|new to|beginner|newbie|noob|novice|clueless|no idea|zero|start\w*"
    r"|struggl\w*|stuck|confus\w*|scared|scares?|afraid|lost|hate|trouble|hard|difficult"
    r"|fail\w*|forg[eo]t\w*|gave up|give up|dislik\w*|badly|rusty|bought|weak)\b",
    re.IGNORECASE,
)
# what a learner says of what they already do with a topic ("5 yrs python", "use docker daily")
EXPERIENCE = re.compile(
    r"\b(use|uses|using|used|work(ing)? (with|in)|write|writing|wrote|yrs?|years?|daily|every ?day|experience\w*"
    r"|comfortable|fluent|familiar|good at|know|knew|lots of|some|professional\w*|build|built|train\w*|ran|run"
    r"|ok with|fine with|did|done|background|solid|strong|already|ship\w*|day job|at work|for work|for a living"
    r"|grad(uate)?|degree|studied|major\w*|passed|(is|are) (ok|okay|fine)|bread and butter"
    r"|second nature|all day|day to day|untroubled)\b",  # undone by HEADING_FOR ("failed", "forgot", "dislike")
    re.IGNORECASE,
)
# what a learner did with a topic, said with the learner as who did it ("we went thru ISLR and coded knn", "coded knn
# in class"): not "this video covered backprop", "our professor covered svm"; undone by giving up in the sentence
DID = re.compile(
    r"\b(coded|implemented|programmed|went (thru|through)|covered|completed|finished|practi[cs]ed|worked on"
    r"|played (around )?with|tinkered|dabbled)\b",
    re.IGNORECASE,
)
# the learner right before what was done, or nobody (a clause of their own: "coded knn in class"); not "i watched a
# lecture that covered svm"
BY_ME = re.compile(r"(^|\b(i|we|i'?ve|ive|we'?ve|i'?m|im|i'?d|we'?d)\s+(?:(?!(that|which|it)\b)[\w']+\s+){0,2})$", re.I)
GAVE_UP = re.compile(r"\b(gave up|give up|giving up|quit|dropped (it|out)|stopped|abandoned|struggl\w*|failed)\b", re.I)
# words that say something is easy ("the maths is not a problem for me", "calculus is an old friend"): no
# negation, and no other person, in them
NO_TROUBLE = re.compile(
    r"\b(is|are|was|were|'s)?\s*(not|no|never|isn'?t|aren'?t)\s+(a |an |any )?"
    r"(problem|issue|trouble|worry|big deal)s?\b"
    r"|\b(an )?old friends?\b",
    re.IGNORECASE,
)


def _without_names(text: str, cur: Curriculum) -> str:
    """The text with the topics it names blanked out ("scikit-learn" holds no "learn")."""
    for start, end, _ in reversed(cur.mention_spans(text)):
        text = text[:start] + " " + text[end:]
    return text


# not "we": the learner among others ("took an ml elective where we coded knn and svm", "we ship docker at work")
PERSONAL = frozenset("he she they someone somebody everyone everybody people".split())
# who a person word is: another's ("my brother", "the author", "a friend"), or the learner ("I'm a teacher",
# "2nd year cs student, …")
THEIRS = re.compile(
    r"\b(my|our|his|her|their|your|the|this|that|some|(?<!i'm )(?<!im )(?<!i am )(?<!as )an?)\s+(\w+\s+)?$"
)


# a verb in the third person: someone else does it ("an engineer I know uses docker daily"); the learner
# says "I use", or leaves the "I" out ("use docker daily")
THIRD_PERSON = re.compile(
    r"\b(uses|works|writes|knows|builds|ships|runs|trains|codes|studies|teaches)\b", re.IGNORECASE
)


def _others(sentence: str) -> bool:
    """Whether a sentence is about someone else: it names a person by a pronoun, or by a noun that is
    someone's ("my brother works with docker") rather than what the learner is ("cs student"), or its
    experience verb is in the third person ("an engineer I know uses docker daily")."""
    if THIRD_PERSON.search(sentence):
        return True
    for word in re.finditer(r"[\w']+", sentence):
        name = word.group(0)
        if name in PERSONAL:
            return True
        if name in OTHERS and THEIRS.search(sentence[: word.start()]):
            return True
    return False


def background_topics(message: str, cur: Curriculum) -> list[Topic]:
    """Topics the learner says they already work with, in words that state no progress ("5 yrs
    python", "use docker daily", "lots of SQL reports, some pandas"): read to shape this answer
    only, never proposed or recorded. A clause counts when it is the learner's own statement of
    experience ("use", "years", "daily", "comfortable", "some"), not a question, in a sentence
    that negates nothing and names no one else ("Python, never touched it", "my brother works
    with docker, spark and sql"), not conditional, and not about where they are heading or what
    they find hard ("moving to ML engineering", "sql scares me")."""
    found: dict[str, Topic] = {}
    sentences: dict[str, str] = {}  # each sentence's text without names, worked out once for its clauses
    carried = None  # the sentence whose last clause stated experience, which a list of topics may go on
    for clause in clauses(message, cur):
        low = NO_TROUBLE.sub(" untroubled ", _without_names(clause.text, cur).lower())
        if clause.sentence not in sentences:
            sentences[clause.sentence] = _without_names(clause.sentence, cur).lower()
        sentence = NO_TROUBLE.sub(" untroubled ", sentences[clause.sentence])
        if clause.question or AIMING.search(sentence) or _negated(clause.sentence, clause.text, cur):
            continue  # a question's words, a sentence about where they are heading or what they lack
        if _others(sentence) or MODAL.search(low) or HEADING_FOR.search(low):
            continue
        listed = carried == clause.sentence and not OWN_VERB.search(low)  # a bare list, no verb of its own
        listed = listed and cur.mention_spans(LIST_JOIN.sub("", clause.text)[:40])[:1]
        did = DID.search(low)
        did = did and BY_ME.search(low[: did.start()]) and not _negated(clause.sentence, clause.text, cur, GAVE_UP)
        if not EXPERIENCE.search(low) and not did and not (listed and listed[0][0] == 0):
            continue  # "already passed linear algebra, calc and probability": the list goes on after a comma
        carried = clause.sentence
        for topic in named_topics(clause.text, cur):
            found.setdefault(topic.id, topic)
    return list(found.values())


# where a sentence turns: what stands on either side of it is said of different things
CONTRAST = re.compile(r"\b(but|though|although|however|whereas|except|while)\b|;", re.IGNORECASE)


def _sides(sentence: str, clause: str) -> tuple[list[str], int | None]:
    """The parts of `sentence` between its contrasts, and the index of the one `clause` is in (None when the clause
    is not found in it)."""
    cuts = [0, *(m.start() for m in CONTRAST.finditer(sentence)), len(sentence)]
    spans = [(a, b) for a, b in zip(cuts, cuts[1:]) if sentence[a:b].strip()]
    at = sentence.find(clause)
    own = next((i for i, (a, b) in enumerate(spans) if a <= at < b), None) if at >= 0 else None
    return [sentence[a:b] for a, b in spans], own


def _negated(sentence: str, clause: str, cur: Curriculum, negation: re.Pattern = NEGATION) -> bool:
    """Whether the sentence negates what the clause says (or gives it up, with GAVE_UP): a negation on the clause's
    own side of a contrast, or on another side that names nothing else ("i know sql but not really", "i coded knn
    but never understood it"); not one about another topic ("i use git daily but never touched pandas": git counts)."""
    parts, own = _sides(sentence, clause)
    mine = {tid for *_, tid in cur.mention_spans(clause)}
    for i, part in enumerate(parts):
        if not negation.search(NO_TROUBLE.sub(" untroubled ", _without_names(part, cur).lower())):
            continue
        if own in (None, i) or not {tid for *_, tid in cur.mention_spans(part)} - mine:
            return True
    return False


# what may stand before a role the learner names themselves by: "I'm a", "as an", "work as a", "been a" (the
# lead), then up to three words ("senior java backend dev", "high school maths teacher"), none of them an -ing
# verb, a preposition or an article ("I'm looking for a data science job", "I'm talking to a data engineer"); with
# no lead, the words and the role must make up the clause but for where or how long (`BARE`)
MODIFIER = (
    r"(?!(?:a|an|the|to|with|for|from|of|at|in|on|about|by|like|than|and|or|my|our|his|her|their)\b)"
    r"(?![\w-]*ing\b)[\w/+#.()-]+"
)
SELF = re.compile(
    r"^(?:(?:hi|hey|hello|so|ok|okay|well|yo|also|currently|basically)\s+)*"
    r"(?P<lead>(?:i'?m|i am|im|i've been|ive been|i have been|been|i was|i work as|work(?:ing)? as|as)\s+)?"
    rf"(?:an?\s+)?(?:{MODIFIER}\s+){{0,3}}$",
    re.IGNORECASE,
)
# after a role said with no lead, the clause says no more than where or how long ("backend dev here", "java
# backend dev for 8 years", "physics grad"): not "developer tools confuse me", "data scientist salaries are high"
BARE = re.compile(
    r"^\s*(here|by trade|at work|at a \w+|for (a living|\d+\+? ?(years?|yrs?))|\(?\d+\+? ?(years?|yrs?)\)?"
    r"|with \d+\+? ?(years?|yrs?)( of experience)?)?\W*$",
    re.IGNORECASE,
)
# words before a role saying it is not (yet) theirs, or is a job they look for: "a future data scientist", "a wannabe
# developer", "how do I get a job as a data scientist", "I'm training as a data engineer"
ASPIRING = re.compile(
    r"\b(like|love|hope\w*|dream\w*|going|try|trying|aspir\w*|become|becoming|be|wannabe|future|would-be"
    r"|soon-to-be|almost|nearly|interview\w*|apply\w*|hardly|barely|get|gets|got|getting|land\w*|hired|hire|need\w*"
    r"|jobs?|salary|rejected|training|student|much|same)\b",
    re.IGNORECASE,
)
AS_A = re.compile(r"\b(?P<lead>as|i'?m|i am|im)\s+an?\s+$", re.IGNORECASE)  # right before the role, after anything
# what, after a role's name, makes it something other than the learner ("the backend dev team", "data scientist jobs",
# "a data scientist's assistant", "data scientist in training")
NOT_THEM = re.compile(
    r"^\s*(('s|s')\b|(team|job|role|position|opening|interview|course|bootcamp|friend|colleague|coworker|manager"
    r"|lead|salar(y|ies)|intern|internship|wannabe|tool|environment|setup|blog|youtuber|video|podcast|channel"
    r"|advice|communit(y|ies)|content)s?\b|in training\b)",
    re.IGNORECASE,
)


def role_topics(message: str, cur: Curriculum) -> list[Topic]:
    """What the jobs and degrees the learner names themselves by say they work with (`roles_said`), less
    what they say they lack and the code that needs it ("data scientist, no python": not pandas or scikit-learn
    either; "never written code"): read for this answer only, and never recorded."""
    lacks = lacking(message, cur)
    found = {
        t.id: t
        for _, topics in roles_said(message, cur)
        for t in topics
        if t.id not in lacks
        and not (t.phase in CODED and (cur.ancestors(t.id, soft=True) | implied_known(cur, [t.id])) & lacks)
    }
    return list(found.values())


# the phases whose topics are code written on what comes before them (pandas on Python): what a learner lacks
# takes them away; the maths, or Docker, stand without Python whatever order the graph learns them in
CODED = frozenset({"foundations", "data", "classical-ml", "ml-practice", "deep-learning"})


def roles_said(message: str, cur: Curriculum) -> list[tuple[str, list[Topic]]]:
    """The jobs and degrees the learner names themselves by ("backend dev here", "I'm a data scientist and …",
    "physics grad, …"), each with the topics anyone in it works with (`corpus/roles.yaml`): after "I'm a", "as
    a", "work as a" and the like, or alone in its clause but for where or how long ("backend dev here",
    "java backend dev for 8 years"); in words that negate nothing and say nothing of where they are heading
    ("want to become a data scientist", "a future data scientist") or of someone else ("he is a data
    engineer", "a data scientist's assistant"); in a question only after a lead ("as a data scientist should I
    learn docker?", not "is a data scientist an ML engineer?")."""
    found: list[tuple[str, list[Topic]]] = []
    if cur.role_names is None:
        return found
    for clause in clauses(message, cur):
        low = clause.text.lower()
        match = cur.role_names.search(low)
        role = cur.role(match.group(0)) if match is not None else None
        if role is None:
            continue
        before, after = low[: match.start()], clause.text[match.end() :]
        lead = SELF.match(before) or AS_A.search(before)  # "… use pandas daily as a data analyst"
        if lead is None or not lead.group("lead") and (clause.question or not BARE.match(after)):
            continue
        if NEGATION.search(before) or AIMING.search(before) or HEADING_FOR.search(before) or ASPIRING.search(before):
            continue
        if _others(before) or NOT_THEM.match(after):
            continue
        if match.group(0) not in dict(found):
            found.append((match.group(0), [cur.topics[t] for t in role.knows if t in cur.topics]))
    return found


# a clause saying something of its own ("pandas and numpy are next", "calculus is a problem"): no list going on
OWN_VERB = re.compile(
    r"\b(is|are|was|were|be|been|am|'s|'re|next|list|later|todo|to-do|scar\w*|problem\w*|hard|difficult|new|plan\w*"
    r"|want\w*|will|gonna|need\w*|left|remaining|yet)\b",
    re.IGNORECASE,
)
LIST_JOIN = re.compile(r"^\W*(and|&|plus|also)?\s*", re.IGNORECASE)


CODING = re.compile(r"\b(code|coding|coded|programm(ed|ing))\b", re.IGNORECASE)  # "never written code"
INFLECTION = re.compile(r"(?<=[a-z]{3})(ed|ing|s)\b")
# not done yet: "never deployed one", "no docker yet", "haven't touched sql"; not "no problem with it"
NOT_DONE = re.compile(
    r"\b(never|not yet|haven'?t|hasn'?t|didn'?t|don'?t know|no experience|zero experience"
    r"|(don'?t|do not|doesn'?t|does not) (use|touch|write|code in))\b"
    r"|^\W*(but\s+)?not\s+(?!only\b|just\b|sure\b|really\b|yet\b|that\b|too\b|very\b)(?=\w)"  # "uses R, not python"
    r"|\bno\s+(?!problems?\b|issues?\b|trouble\b|worries\b|doubt\b)\w+",
    re.IGNORECASE,
)


def gaps(message: str, cur: Curriculum) -> list[Topic]:
    """Topics the learner says they have not done ("have never deployed one", "no docker yet"):
    where a question about moving on is heading, when it names no goal. Words are tried as
    written and without their ending ("deployed" is deploy)."""
    found: dict[str, Topic] = {}
    for clause in clauses(message, cur):
        low = clause.text.lower()
        if "?" in clause.text or not NOT_DONE.search(low) or OTHERS & set(re.findall(r"[\w']+", low)):
            continue
        spans = cur.mention_spans(low) or cur.mention_spans(INFLECTION.sub("", low))
        topics = [cur.topics[t] for t in dict.fromkeys(tid for _, _, tid in spans)]
        for topic in topics:
            found.setdefault(topic.id, topic)
    return list(found.values())


def lacking(message: str, cur: Curriculum) -> set[str]:
    """The topic ids the learner says they have not done (`gaps`), Python among them when they say they have
    never written code (`never_coded`)."""
    coder = never_coded(message, cur)
    return {t.id for t in gaps(message, cur)} | ({coder.id} if coder is not None else set())


def never_coded(message: str, cur: Curriculum) -> Topic | None:
    """The path's first step, programming itself, when the learner says they have never written code ("i have
    literally never written code"): a gap that names no topic. None when they say no such thing."""
    for clause in clauses(message, cur):
        low = clause.text.lower()
        if "?" not in clause.text and NOT_DONE.search(low) and CODING.search(low):
            first = next((step for step in cur.backbone if step.track == "path" and step.topics), None)
            return cur.topics.get(first.topics[0]) if first is not None else None
    return None
