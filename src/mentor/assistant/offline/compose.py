"""The offline mode's entry point: pick the handler for the intent the router found and let it
compose a `Draft`. Knowledge answers come from `knowledge.py`, answers about the learner from
`learner.py`; anything else is answered by searching the roadmaps.

Not here: the handlers themselves, or turning a draft into a checked answer
(`mentor.assistant.conversation`, `mentor.assistant.citations`).
"""

from __future__ import annotations

from mentor.assistant.offline.draft import Draft, Memory
from mentor.assistant.offline.knowledge import KNOWLEDGE_HANDLERS, answer_search
from mentor.assistant.offline.learner import LEARNER_HANDLERS
from mentor.assistant.router import Intent
from mentor.assistant.tools import Toolbox

HANDLERS = {**KNOWLEDGE_HANDLERS, **LEARNER_HANDLERS}


def compose(intent: Intent, message: str, toolbox: Toolbox, memory: Memory, mode_note: str) -> Draft:
    """The offline answer to `message`, composed from the tools' results."""
    handler = HANDLERS.get(intent.name, answer_search)
    return handler(intent, message, toolbox, memory, mode_note)
