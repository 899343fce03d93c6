"""Question forms that need an answer of their own shape: a yes/no decision, "which ones", a
comparison, "how long", a section of a roadmap, a disagreement between the roadmaps, a request
for a kind of resource (a book, a course, a video, a dataset, docs). Read from the message's
words alone (and the topics it names), before any tool runs.

Not here: the other intents and their order of precedence (`router.py`), the answers (`offline/`).
"""

from __future__ import annotations

import re

from mentor.assistant.citations import content_words
from mentor.assistant.parts import part_named
from mentor.learning.curriculum import Curriculum

WHERE_TO_LEARN = re.compile(
    r"\b(where|how) (can|do|should|could) i (learn|study|practi[sc]e|find)\b|\bresources? (for|on|about)\b"
    r"|\b(any|a|good|best) (course|video|playlist|book|tutorial)s?\b",
    re.IGNORECASE,
)
YES_NO = re.compile(
    r"^\W*((honestly|so|ok|okay|well|hey|hi|also|and|but|quick question|seriously)\W+)?"
    r"(do|does|did|is|are|should|must|can|could|will|would|am|need(?=\s+(i|to)\b))\b"
    r"|[,;:]\s*(is it|is that|can i|should i|do i|or is|am i)\b"
    r"|\b(can|could|should|may) i (just )?(skip|leave out|drop)\b"
    r"|^[^?]{0,30}:\s*(is|are|do|does|can|should|must)\b"  # "need help: is docker needed …?"
    r"|^\W*(before|when|once|if|after|while|as)\b[^?,]{3,80}?\b(do|should|must|can) i\b"  # "before i use adam …"
    r"|^\W*(in|for|on|with|per|according to) (the|my|this|that)\b(?:(?!\b(which|what|where|how|when|why|who)\b)"
    r"[^?,]){1,40}?\b((can|could|should|must|do|am) i|is it(?![^?]*\bor\b(?! not)))\b",  # "in the dependency one can
    re.IGNORECASE,  # i …", "per the libraries roadmap is it ok to …"; not "for my goal … which … do i", "is it x or y?"
)
# whether the roadmaps have something: "does the plan cover/mention X", "is X covered in/part of the plan",
# "is there anything about X"; not whether the learner needs it ("do I have to …")
COVERS = re.compile(
    r"^\W*(does|do|did|will)\s+(?!(i|you|we|me|my)\b)[^?]{0,60}?\b(cover|include|mention|teach|recommend|suggest"
    r"|talk about|go (into|over)|say anything about|list|contain"
    r"|have (a|an|any|anything|something)( \w+)?( (section|part|chapter|step|module|bit))? (on|about|for|covering)"
    r"|have(?!\s+to\b))\b"  # "does the six month plan have docker?"; not "does it have to be pytorch?"
    r"|^\W*(is|are)\s+[^?]{1,60}?\b(covered|included|mentioned|taught|listed|recommended|suggested)\b"
    # "is mlops part of the six month plan?", "is pytorch in the six month plan?", "are transformers in any roadmap?";
    # not "is deep learning part of ai?"
    r"|^\W*(is|are)\s+(?!there\b)[^?]{1,60}?\b(part of|in|on)\s+(the|any|all|either|each|this|that|your)\b[^?]{0,40}?"
    r"\b(roadmaps?|plans?|curriculum|algorithm|ones?)\b"
    r"|^\W*(is|are) there (anything|something|any(thing)? (section|part|stuff))\s+(about|on|for|covering)\b"
    # "does the libraries roadmap use sql at all?", "does it tell me which cloud to use": a roadmap's own verbs, with
    # a roadmap (or "it") as the subject; not "does pytorch use gpus?"
    r"|^\W*(does|do|will)\s+(it|they|(the|this|that|any|each|either)\s+([\w-]+\s+){0,4}?(roadmaps?|plans?|curriculum"
    r"|algorithm|ones?))\s+(use|tell (me|you|us) (which|what|about))\b"
    # "is ISLR one of the books the learning algorithm suggests?"
    r"|^\W*(is|are)\s+(?!(it|this|that|there)\b)[^?]{1,40}?\bone of the\b"
    # "are there any projects in the llm roadmap?"; not "is there any tool in it for tuning?" (which tool)
    r"|^\W*(is|are) there (any|a|an)\s+(?![^?]*\bfor\s)[^?]{1,40}?\b(in|on)\s+(the|this|that|either|any)\b",
    re.IGNORECASE,
)
GATE = re.compile(r"\b(before|have to|must|allowed to|required?)\b", re.IGNORECASE)  # a question of order
NEEDED = re.compile(
    r"\b(need|needed|required?|have to|must|skip|optional|enough|really|both|before|first|until after"
    r"|straight|same time|together|bother\w*|worth|necessary|important|matter|already|from day (1|one)|later)\b",
    re.IGNORECASE,
)
HOW_LONG = re.compile(
    r"\bhow (long|many (weeks|hours|months|days))\b|\bhow much time\b|\bbudget\b|\ballots?\b"
    r"|\bhours (should|go|will|do)\b|\bby (which|what) week\b",
    re.IGNORECASE,
)
COMPARE = re.compile(
    r"\bvs\.?\s|\bversus\b|\bdifference between\b|\bwhat'?s the difference\b|\bcompared? (to|with)\b"
    r"|\bhow (do|does|are|is) (they|these|those|the two|both)\b.{0,60}\b(differ|different|compare)\b"
    # "how is phase 4 … different from phase 5?"; not "how does my progress differ …", "how is it different …"
    r"|\bhow (do|does|are|is) (?!(it|this|that|i|i'?m|my|me|we|you|your)\b)[^?]{1,80}"
    r"\b(differ|different (from|than|to))\b"
    r"|\bdiff between\b"
    r"|\bboth equally\b|\b(one|which)( one)? (is )?more important\b|\bthe same (kind of )?thing\b",
    re.IGNORECASE,
)
SECTION = re.compile(
    r"\b(phase|step|section|level)\s*\d+(\.\d+)?\b|\bweeks?\s*\d+\s*[-–]\s*\d+|'[^']+'|\(\d+\)"
    r"|(?<=[a-z] )(?<!python )(?<!version )\d{1,2}\.\d{1,2}\b(?!\.\d)(?!\s*(h|hrs?|hours?|x|%)\b)"  # "… 5.4"
    # "weeks 7 and 8", "weeks 9 thru 12", "week 24"
    r"|\bweeks?\s*\d+\s*(and|&|to|thru|through|till|until)\s*\d+|\bweek\s*\d{1,2}\b(?!\s*(h|hrs?|hours?)\b)",
    re.IGNORECASE,
)
SECTION_ASK = re.compile(
    r"\b(cover|covers|covered|about|in it|in phase|in step|look like|ask|what'?s in|what is in|under|supposed to"
    r"|what (am|do|should) i ([a-z]+ to |actually )?(do|doing|learn|study|build)|what (tools|topics|libraries|things)"
    r"|what goes (in|into|on in)"  # "what goes into the intermediate ml + model selection phase?"
    r"|involve[sd]?|include[sd]?|contain[sd]?|break (it |that |this )?down|sub[- ]?(parts|sections|topics)"
    r"|what (does|do) (it|they|that) say)\b",
    re.IGNORECASE,
)
CONFLICT = re.compile(
    r"\b(\w+) before (\w+) or \2 before \1\b|,? or (only|start|just|wait|after)\b.*\?|\bcore or not\b"
    r"|\bdisagree|\bconflict|\bcontradict|\bwhich (one )?(do i|should i) follow\b|\bwhich is (it|right)\b"
    r"|\bwho'?s right\b|\bwho is right\b"
    r"|\b(roadmaps|plans|they|both)\b[^.?!]{0,25}\b(say|says|said|saying) (different|opposite) things\b"
    r"|\b(another|other|one) (roadmap|plan|schedule|curriculum)\b|\belsewhere\b|\bbut i read\b|\bbut don'?t you\b"
    r"|\blike the weekly plan says\b|\bagree (on|that|about|with each other)\b|\broadmaps (all )?agree\b"
    r"|\bputs? [\w\s-]{1,40} first\b|\bwho (do|should) i (listen to|follow|believe|trust)\b|\bthe other one\b",
    re.IGNORECASE,
)
# third-person verbs a which-question asks with ("which comes first", "which roadmap covers"): no plural noun
VERB_S = (
    r"(?:comes|goes|does|has|was|takes|helps|covers|mentions|makes|gives|says|needs|puts|lists|seems|looks|fits|works)"
)
# what a "what … does/should" question asks for that is no list of the roadmaps' items: prerequisites, resources,
# time ("what prerequisites does transformers have?", "what resources do you recommend", "what hours does …")
NOT_LISTS = (
    r"(?:roadmaps?|plans?|topics?|prerequisites?|prereqs?|dependencies|requirements?|resources?|books?|courses?"
    r"|videos?|playlists?|hours?|weeks?|months?|days?|languages?)"
)
WHICH = re.compile(
    r"^\s*(which|what)\b.*\b(metrics?|methods?|techni\w*|types?|kinds?|(?<!learning )algorithms?|algos?"
    r"|optimi[sz]ers?|steps?"
    r"|platforms?|concepts?|numbers|problems|tools|libraries(?!\s+(roadmap|and\b))|libs?|functions|ideas"
    r"|architectures|projects|models)\b"
    r"|\bwhich ones\b|\bwhat (are|were) the (steps|stages|parts|items)\b"
    # "which probability distributions …": a plural noun asked for (not "which comes first", "which roadmaps …")
    r"|^\W*which\s+(?!roadmaps?\b|plans?\b)([a-z]+\s+)?(?!(?:[a-z]+\s+)?" + VERB_S + r"\b)[a-z]+[^sui\W]s\b"
    # "what extra skills does the plan say would help": what, a plural noun, then the verb that asks
    r"|^\W*what\s+(?!(?:[a-z]+\s+)?"
    + NOT_LISTS
    + r"\b)([a-z]+\s+)?[a-z]+[^sui\W]s\s+(do|does|did|should|would|will)\b",
    re.IGNORECASE,
)
PREREQ_ASK = re.compile(
    r"^\s*what (do|should|must) i (need|have) (to (know|learn|do) |done |finished |covered )?(before|first|for)\b",
    re.IGNORECASE,
)
KINDS = {
    "book": r"books?",
    "course": r"courses?|mooc",
    "video": r"videos?|youtube|playlists?|lectures?",
    "dataset": r"datasets?|data sets?|what data",
    "docs": r"docs|documentation",
}
KIND = re.compile(r"\b(" + "|".join(KINDS.values()) + r")\b", re.IGNORECASE)
# "i want an actual course for neural nets": a kind of resource wanted, said before the question
WANTS_KIND = re.compile(
    r"\bi (want|need|'m looking for|am looking for) (an? |some )?(\w+ )?(course|book|video|playlist|dataset)s?\b",
    re.IGNORECASE,
)
RESOURCE_ASK = re.compile(
    r"\b(any|anything linked|good|best|recommend\w*|is there (a|an|any)|proper|official|suggest\w*"
    r"|where (do|can|should) i find"
    r"|what data|which data|read the [\w\s-]{0,40}docs"
    r"|(what|which) (\w+ )?(datasets?|books?|courses?|videos?|playlists?|youtube \w+))\b",
    re.IGNORECASE,
)


def question_form(m: str, cur: Curriculum | None) -> str | None:
    """Question forms that need an answer of their own shape (see `offline/shapes.py`)."""
    if PREREQ_ASK.search(m):  # "what do I need before X": the prerequisites answer
        return None
    if CONFLICT.search(m):
        return "conflict"
    if asks_covers(m, cur):
        return "covers"
    if HOW_LONG.search(m):
        return "how_long"
    if COMPARE.search(m):
        return "compare"
    # "when do i fit in git? do they have to come before the ml part?": a question of order, not of the part
    gate = any(YES_NO.search(s) and GATE.search(s) for s in re.split(r"(?<=[.?!])\s+", m))
    if (SECTION.search(m) or part_named(m)) and SECTION_ASK.search(m) and not GOES_ON.search(m) and not gate:
        return "section"  # "what's the deep learning phase about?"; not "what do I do after week 18?"
    if START_ASK.search(m) and not _whether(m):  # "… where should i actually start and what can i skip?"
        return None  # where to start for what they know: next steps; "can i skip the sql part, and …?" is a yes/no
    asks_wh = bool(WH_QUESTION.match(_last_clause(m)))  # "did the kaggle course … what's next?" asks what, not whether
    if (
        YES_NO.search(m) and GATE.search(m) and _decides(m, cur) and not asks_wh
    ):  # "must I sit through a course before …?"
        return "decision"
    if KIND.search(m) and (RESOURCE_ASK.search(m) or WHERE_TO_LEARN.search(m)):
        return None  # a request for a kind of resource
    if (YES_NO.search(m) and not asks_wh or YES_NO.search(_last_clause(m))) and _decides(m, cur):
        return "decision"
    if JOB_READY.search(m) and re.search(r"\bam i\b", m, re.IGNORECASE):  # "if i finish the plan am i job-ready?"
        return "decision"
    if (WHICH.search(m) or WHICH.search(_last_clause(m))) and not GOES_ON.search(m):  # "what's after step 5.1?"
        return "which"
    return None


def _whether(m: str) -> bool:
    """A yes or no asked in so many words: "can i skip the sql part?", not the "can i skip" of "what can i skip?"."""
    return any(not re.search(r"\b(what|which|where|how much)\s+$", m[: x.start()], re.I) for x in YES_NO.finditer(m))


# where a learner starts or what they can leave, given what they know: a question of the next steps
START_ASK = re.compile(
    r"\bwhere (do|should|can|would) i (actually |even |really )?(start|begin|jump in|pick up)\b"
    r"|\b(which|what) (of (the|its) )?([\w-]+ ){0,2}(part|parts|weeks?|phases?|sections?|steps?|bits?)\b[^?]{0,60}?"
    r"\b(skip|skim|fast[- ]?forward|for me|start|breeze through|speed through"
    r"|go (light|lighter|easy|quickly) (on|through))\b"  # "which of the phase 0 steps can i skim"
    r"|\bwhat (can|could|should) i (safely |mostly |just )?(skip|skim|fast[- ]?forward|breeze through|speed through)\b",
    re.IGNORECASE,
)
# which way round two things come: "… before or after neural nets?", "… before the mlops part or after?"
EITHER_SIDE = re.compile(
    r"\b(before or after|after or before)\b|\bbefore\b[^?.!]{1,40}?\bor after\b|\bafter\b[^?.!]{1,40}?\bor before\b",
    re.I,
)
# where one topic stands in the order: "where does git come in the master curriculum?", "at which point in the
# sequence do i get to xgboost?", "where's rag in the order of the llm roadmap?"
WHERE_IN = re.compile(
    r"\bwhere (does|do|is|are|would|will)\b[^?]{1,50}?\b(come|fit|sit|go|land|show up|appear|belong)s?\b"
    r"|\bwhere'?s\b[^?]{1,40}\bin the (order|sequence)\b|\bwhere in the (order|sequence)\b"
    r"|\bat (which|what) point\b|\bwhen do (i|you) get to\b"
    r"|\bwhere (does|do|is) (?!i\b|we\b|you\b|u\b)[^?]{1,50}?\b(start|begin|kick off)s?\b"  # "…actual ML start"
    r"|\b(which|what)\b[^?]{0,25}?\bfirst (actual|real|proper)[- ][^?\s]+ (part|section|phase|step)s?\b",
    re.IGNORECASE,
)
WHAT_IS = re.compile(r"\bwhat('?s| (exactly |actually )?(is|are))\b", re.IGNORECASE)


# what to learn, not how long, what before, or which resource: "what should i be learning at the same time as …?"
LEARN_WHAT = re.compile(
    r"^\W*(what|which)\b(?!'?s a\b)[^?]{0,40}?\b(learn|learning|study|studying|do|doing|pick up|cover|covering"
    r"|goes|go|runs?|comes?)\b",
    re.IGNORECASE,
)


def asks_alongside(m: str, cur: Curriculum | None) -> bool:
    """Whether a message asks what to learn alongside one topic, named after "alongside" ("what do i study
    alongside deep learning theory?"); not "how long does docker take alongside a full-time job?", "what should
    I know before pytorch, alongside a full-time job?" or "what book should I read alongside hands-on ml?"."""
    found = ALONGSIDE.search(m)
    if found is None or cur is None or not LEARN_WHAT.search(m[: found.start()]):
        return False
    if HOW_LONG.search(m) or PREREQ_ASK.search(m) or KIND.search(m) or named_count(m, cur) != 1:
        return False
    return bool(cur.mention_spans(" ".join(m[found.end() :].split())))


def asks_relevant(m: str, cur: Curriculum | None) -> bool:
    """Whether a message asks when what the learner said of themselves comes up (`offline/relevant.py` finds what
    they said before the question, or answers nothing); not what a topic is and where ("what is MLE and where does
    it show up?"), nor about what the question names itself ("when does it matter whether I use pytorch or keras?")."""
    found = _not_what_is(RELEVANT, m)
    if found is None or cur is None:
        return False
    # its "that" is theirs: the question names nothing itself, "ML" ("… in the ML path?") aside
    return not any(length > 2 for _, length in cur.mentions(m[found.start() :]))


def asks_where_in(m: str) -> bool:
    """Whether a message asks where a topic stands in the order, and not first what it is ("what exactly is
    backpropagation and at what point am i supposed to learn it?" is a concept question that says where)."""
    return _not_what_is(WHERE_IN, m) is not None


def _not_what_is(form: re.Pattern, m: str) -> re.Match | None:
    """Where `form` asks in `m`, unless the message asks first what something is."""
    found = form.search(m)
    return found if found is not None and not WHAT_IS.search(m[: found.start()]) else None


# "at the same time as python basics", "alongside deep learning", "while i'm doing the sql step"
ALONGSIDE = re.compile(
    r"\b(at the same time as|alongside|in parallel (with|to)|together with|along with"
    r"|while (i'?m |i am )?(learning|doing|studying|on))\b",
    re.IGNORECASE,
)
# when what a learner said of themselves comes up: "when does that become relevant?", "where does that stuff show up?"
RELEVANT = re.compile(
    r"\b(when|where|at (what|which) point)\b[^?]{0,60}?\b(that|this|those|these|it|my)\b[^?]{0,40}?"
    r"\b(relevant|comes? up|shows? up|comes? in|useful|matters?|counts?|kicks? in)\b",
    re.IGNORECASE,
)
# what comes after a section, not what is in it
GOES_ON = re.compile(r"\b(after|next(?!\s+to\b)|following|beyond|afterwards)\b", re.IGNORECASE)  # not "next to"
WH_QUESTION = re.compile(r"^\W*(what|which|where|how|when|why|who)\b", re.IGNORECASE)


# a tag asking for an opinion on the question before it ("is SQL needed, what do you think?")
OPINION = r"\s+(do|does|would) (you|they|the roadmaps?) (think|reckon|say|recommend)|\s+important|\s+necessary"


CLAUSE_END = re.compile(r"[.!?;]\s+|\s[-–—]\s|,\s+(?=(?:what|which|where|how|when|why)\b(?!" + OPINION + r"))")


def _last_clause(m: str) -> str:
    """The question after what the learner says of themselves: "backend dev, 5 yrs python -
    can i skip straight to deploying models?"."""
    return CLAUSE_END.split(m.strip())[-1]


def question_sentences(text: str) -> list[str]:
    """The sentences of a message that end in a question mark ("used to be a nurse. do I need X?": the
    second)."""
    return re.findall(r"[^.!?]*\?", text)


# what makes a "does the plan cover …" no question of whether it does: a comparison ("… more than the learning
# algorithm?", "is python recommended over r?"), whether it matters ("does it matter that the plan doesn't …"),
# whether it is needed ("is sql optional in the learning algorithm?": a decision)
NOT_COVERAGE = re.compile(
    r"\b(than|over|instead of|rather than|versus|vs|same|matters?|compared?"
    r"|optional|required|needed|necessary|essential|mandatory|important|worth|enough|before|after)\b",
    re.IGNORECASE,
)


# what a coverage question says something is for, not what it asks about ("… learning javascript for ml?")
PURPOSE = re.compile(
    r"\s+for\s+(?:an?\s+)?(?:ml|ai|machine learning|data science|data analysis|beginners?|work|jobs?|my career)\b.*$",
    re.IGNORECASE,
)
MORE_THAN_ONE = re.compile(r"\bmore than (one|1|two|2)\b", re.IGNORECASE)
ONE_OF = re.compile(r"^\W*(is|are)\s+[^?]{1,40}?\bone of the\b", re.IGNORECASE)


def asks_covers(m: str, cur: Curriculum | None) -> bool:
    """Whether a message asks if the roadmaps have something ("does the six month plan cover transformers?");
    not a request for a kind of resource ("is there a playlist for DSA in the roadmap?"), nor about "that"."""
    clause = _last_clause(m)
    counted = MORE_THAN_ONE.sub(" ", clause)  # "is mlflow mentioned in more than one of the roadmaps": no comparison
    kind = KIND.search(m) and not ONE_OF.search(clause)  # "is ISLR one of the books it suggests?": whether it has it
    if not COVERS.search(clause) or kind or HOW_LONG.search(m) or NOT_COVERAGE.search(counted):
        return False
    return bool(content_words(covered_object(m)) - COVER_WORDS)


# how a coverage question is asked, not what it asks about
COVER_WORDS = frozenset(
    "cover covers covered include includes included mention mentions mentioned teach teaches taught talk list "
    "listed contain contains part anything something section stuff roadmap roadmaps plan curriculum there any "
    "recommend recommends suggest suggests go into over say does do did is are was were will".split()
)


def covered_object(asked: str) -> str:
    """What a coverage question asks about, in its words: after its verb ("does the plan cover cooking?"),
    up to the next clause ("… anything for that, and where should i start?"); before it in "is X covered?"."""
    clauses = [c.strip() for c in re.split(r"(?<=[.!?])\s+", " ".join(asked.split())) if c.strip()]
    text = next((c for c in reversed(clauses) if COVERS.search(c)), " ".join(asked.split()))
    verb = COVERS.search(text)
    if verb is None:
        return text
    one_of = ONE_OF.match(text)
    if one_of is not None:  # "is ISLR one of the books …": ISLR
        return re.sub(r"\bone of the$", "", text[: one_of.end()].strip(), flags=re.IGNORECASE)
    if re.match(r"\W*(is|are)\b(?! there\b)", text, re.IGNORECASE):
        return text[: verb.end()]
    after = re.split(r"[,.;?!]|\band\b", text[verb.end() :], maxsplit=1)[0]
    # "recommend learning javascript for ml": javascript (what for is the question's context)
    after = re.sub(r"^\W*(learning|using|studying|doing)\s+", "", PURPOSE.split(after, maxsplit=1)[0])
    # "are there any projects in the (zero to llm roadmap)?": what is asked stands in the question's own words
    there = re.match(r"\W*(is|are) there\b", text, re.IGNORECASE)
    return text[: verb.end()] if there and not content_words(after) - COVER_WORDS else after


def asks_yes_no(m: str) -> bool:
    """Whether a message asks a yes/no question (its opening or its last clause)."""
    return bool(YES_NO.search(m) or YES_NO.search(_last_clause(m)))


# a yes/no question about a topic when one follows: "can I start Y without X?", "am I ready for X?", "can I move
# on to X?"; not "… without a gpu", "ready to apply for jobs", "move on to the next section"
WITHOUT_DOING = re.compile(
    r"\bwithout (finish|do|learn|know|tak|complet|study)\w*\b", re.IGNORECASE
)  # "… the math weeks"
BEFORE_TOPIC = re.compile(
    r"\b(without|ready (for|to (start|learn|begin|tackle|do))|move on to"
    r"|(start|begin|tackle|dive into|read|learn|study|take|do)(?=[^?]{1,60}"  # "should I read hands-on ml now?"
    r"\b(now|yet|already|right away|straight away)\b))\b",  # "can I start the hands-on ml book now?"
    re.IGNORECASE,
)


# whether finishing something makes the learner employable ("will i be job ready after the 6 month plan?")
JOB_READY = re.compile(
    r"\b(job[- ]ready|ready (for|to apply for) (a |the )?jobs?|get (a job|(me )?hired)|hireable|employable|land a job"
    r"|qualif(y|ied) (as|for)|ready to work as)\b",
    re.IGNORECASE,
)


def _decides(m: str, cur: Curriculum | None) -> bool:
    """A yes/no question about whether something is needed, about two topics' order, or about a topic after
    "without", "ready for", "move on to"."""
    if named_count(m, cur) >= 2 or NEEDED.search(m) or WITHOUT_DOING.search(m) or JOB_READY.search(m):
        return True
    cue = BEFORE_TOPIC.search(m)
    text = " ".join(m.split())
    return cue is not None and cur is not None and any(start >= cue.end() for start, _, _ in cur.mention_spans(text))


def named_count(m: str, cur: Curriculum | None) -> int:
    """How many topics a message names."""
    return len({t for _, _, t in cur.mention_spans(" ".join(m.split()))}) if cur is not None else 0


NOT_KIND = re.compile(r"\b(not|no|instead of|rather than|other than|besides)( just| only| the| a| any)?\s*$", re.I)


def resource_kind(m: str) -> str | None:
    found = next((k for k in KIND.finditer(m) if not NOT_KIND.search(m[: k.start()][-20:])), None)
    if found is None:  # "an actual course, not just docs": the course
        return None
    word = found.group(0)  # matched case-insensitively ("bookſ": the long s is an s), and read the same way
    return next((kind for kind, pattern in KINDS.items() if re.fullmatch(pattern, word, re.IGNORECASE)), None)
