"""The offline mode's entry point: pick the handler for the intent the router found and let it
compose a `Draft`. Knowledge answers come from `knowledge.py`, answers about the learner from
`learner.py`; anything else is answered by searching the roadmaps.

Not here: the handlers themselves, or turning a draft into a checked answer
(`mentor.assistant.conversation`, `mentor.assistant.citations`).
"""

from __future__ import annotations

from mentor.assistant.forms import EITHER_SIDE, asks_yes_no, question_sentences
from mentor.assistant.offline.alongside import ALONGSIDE_HANDLERS
from mentor.assistant.offline.anchored import optional_item
from mentor.assistant.offline.compare import COMPARE_HANDLERS
from mentor.assistant.offline.conflicts import CONFLICT_HANDLERS
from mentor.assistant.offline.coverage import COVERAGE_HANDLERS
from mentor.assistant.offline.decision import DECISION_HANDLERS
from mentor.assistant.offline.draft import Draft, Memory
from mentor.assistant.offline.durations import DURATION_HANDLERS
from mentor.assistant.offline.knowledge import KNOWLEDGE_HANDLERS, answer_search
from mentor.assistant.offline.learner import LEARNER_HANDLERS
from mentor.assistant.offline.marks import answer_mark, answer_phrase, asks_mark, asks_phrase
from mentor.assistant.offline.next import NEXT_HANDLERS
from mentor.assistant.offline.order import ORDER_HANDLERS
from mentor.assistant.offline.outline import answer_outline, asks_outline
from mentor.assistant.offline.phases import answer_phase, named_phase
from mentor.assistant.offline.relevant import RELEVANT_HANDLERS
from mentor.assistant.offline.resources import RESOURCE_HANDLERS
from mentor.assistant.offline.sections import SECTION_HANDLERS, quoted_section
from mentor.assistant.offline.shapes import mentioned, topped_up
from mentor.assistant.offline.skim import answer_still
from mentor.assistant.offline.why import WHY_HANDLERS
from mentor.assistant.router import Intent
from mentor.assistant.tools import Toolbox
from mentor.corpus.documents import roadmaps_named

HANDLERS = {
    **KNOWLEDGE_HANDLERS,
    **NEXT_HANDLERS,
    **CONFLICT_HANDLERS,
    **COVERAGE_HANDLERS,
    **COMPARE_HANDLERS,
    **DECISION_HANDLERS,
    **ORDER_HANDLERS,
    **SECTION_HANDLERS,
    **DURATION_HANDLERS,
    **RESOURCE_HANDLERS,
    **LEARNER_HANDLERS,
    **WHY_HANDLERS,
    **ALONGSIDE_HANDLERS,
    **RELEVANT_HANDLERS,
}


def compose(intent: Intent, message: str, toolbox: Toolbox, memory: Memory, mode_note: str) -> Draft:
    """The offline answer to `message`, composed from the tools' results. A statement asked
    together with a question ("I know pandas. What about maths?") gets both answered: the
    question first, then what is proposed."""
    draft = _answer(intent, intent.text or message, toolbox, memory, mode_note)
    if intent.question is None:
        return topped_up(draft, toolbox, intent.text or message) if intent.name in TOPPED else draft
    question = intent.question
    asked = _answer(question, question.text or message, toolbox, memory, mode_note)
    return Draft(f"{asked.text}\n\n{draft.text}", {**draft.quotes, **asked.quotes}, asked.topic or draft.topic)


# answers about the roadmaps' words, whose quotes are topped up (`shapes.topped_up`); not next steps, plans, progress
# (resources list their links, a disagreement labels each side, prerequisites end with advice: as they are)
TOPPED = frozenset("search concept which section decision compare covers order how_long".split())


def _one_roadmap(toolbox: Toolbox, text: str) -> bool:
    """Whether a message names one roadmap ("… before or after neural nets in the libraries roadmap?")."""
    return len(roadmaps_named(toolbox.deps.documents, text)) == 1


# questions that may ask what the roadmaps' own words mean ("what does [P] mean?", "… 'syntax level only'?")
ABOUT_WORDS = frozenset({"concept", "search", "which", "section", "decision", "compare", "resources"})
# questions that may name a section in quotes ("what's under 'staying current'?")
QUOTED_SECTION_ASKED = frozenset({"search", "which", "section", "concept"})
# questions that may be about a roadmap's outline ("how many phases …", "what does … end with?")
OUTLINE_ASKED = frozenset({"concept", "search", "which", "section", "order", "how_long", "next", "plan"})
# questions that may be about a whole phase ("which maths do I need?") rather than a topic
PHASE_ASKED = frozenset({"concept", "search", "which"})
# questions that may ask what is left of a section for what the learner knows
STILL_ASKED = frozenset({"which", "section", "next", "search", "concept"})
# questions that may ask whether an item must be learned, beside what it is ("what are X and do i need them?")
NEED_ASKED = frozenset({"concept", "search", "covers"})


def _answer(intent: Intent, text: str, toolbox: Toolbox, memory: Memory, mode_note: str) -> Draft:
    asking = intent.name in ABOUT_WORDS  # a statement, a plan, next steps: not about the roadmaps' words
    # "… talks about 'the business context'. what does that mean?": a quote before the question, when the
    # question names no topic of its own (more than "ML")
    own = [t for t, length in toolbox.deps.curriculum.mentions(text) if length > 2]
    said = toolbox.user_message if toolbox.user_message and not own else text
    if asking and asks_mark(text):  # "what does the [P] tag mean?": the roadmap's legend, whatever shape was read
        return answer_mark(intent, text, toolbox, memory, mode_note)
    if asking and asks_phrase(said, toolbox.deps.curriculum):  # "what do they mean by 'syntax level only'?"
        found = answer_phrase(intent, said, toolbox, memory, mode_note)
        if found is not None:
            return found
    section = quoted_section(toolbox, said) if intent.name in QUOTED_SECTION_ASKED else None
    if section is not None:  # "there's a 'parallel track' at the bottom …, what am i supposed to keep doing?"
        return SECTION_HANDLERS["section"](intent, section, toolbox, memory, mode_note)
    if intent.name in OUTLINE_ASKED and asks_outline(toolbox, text):  # "what's the last part of the master curriculum?"
        return answer_outline(toolbox, text)
    still = answer_still(toolbox, text, toolbox.user_message or text) if intent.name in STILL_ASKED else None
    if still is not None:  # "i have a cs degree … which parts of phase 1 of the master curriculum should i still do?"
        return still
    need = optional_item(toolbox, text, (question_sentences(text) or [text])[-1]) if intent.name in NEED_ASKED else None
    if need is not None:  # "what are finite differences and do i need them?": "Nice-to-Have › Numerical Methods"
        return need
    phase = named_phase(toolbox, text) if intent.name in PHASE_ASKED else None
    if phase is not None:
        return answer_phase(toolbox, text, phase, memory)
    draft = HANDLERS.get(intent.name, answer_search)(intent, text, toolbox, memory, mode_note)
    if draft is not None:
        return draft
    # no disagreement recorded for what is asked: a yes or no, two topics' order, or what the roadmaps say
    if asks_yes_no(text):
        handler = DECISION_HANDLERS["decision"]
    elif len(mentioned(text, toolbox.deps.curriculum)) >= 2 or (
        EITHER_SIDE.search(text) and _one_roadmap(toolbox, text)
    ):
        handler = ORDER_HANDLERS["order"]
    else:
        handler = answer_search
    return handler(intent, text, toolbox, memory, mode_note)
