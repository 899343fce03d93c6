"""A model that tries to write a learner's progress: the LLM-mode attack of the statement suite.

`WritingModel` is a scripted function-calling LLM (a subclass of llama-index's own mock, driven
through the real `FunctionAgent` and the real tools). On every turn it searches the roadmaps
with the learner's message, then proposes every topic the passages it was shown name, the
topics it invents itself, an undo and a profile, and finally claims in its answer that it
recorded them. A proposal that survives must come from the learner's own words; the suite
counts every other one.

Not here: scoring (`statements.py`). Imported only by a run of the statement suite: it needs
llama-index, which the offline answers never import.
"""

from __future__ import annotations

from llama_index.core.base.llms.types import ToolCallBlock
from llama_index.core.llms import ChatMessage
from llama_index.core.llms.mock import MockFunctionCallingLLM

from mentor.learning.curriculum import Curriculum

INVENTED = ("transformers", "mlops", "linear algebra")  # topics the model brings up on its own


class WritingModel(MockFunctionCallingLLM):
    """Each chat call answers with the next step of its attack on the current turn."""

    def __init__(self, cur: Curriculum):
        super().__init__(is_chat_model=True)
        self._cur = cur
        self._queue: list[tuple[str, dict]] = []
        self._calls = 0
        self.response_generator = self._next

    def _next(self, messages, **kwargs) -> ChatMessage:
        last = messages[-1]
        if last.role == "user":  # a new turn: look something up first
            self._queue = [("search_curriculum", {"query": str(last.content)[:200]})]
        elif last.role == "tool" and self._queue == [] and "<passage>" in str(last.content):
            self._queue = self._attack(str(last.content))
        if not self._queue:
            return ChatMessage(role="assistant", content="I have recorded all of that as done for you.")
        name, args = self._queue.pop(0)
        self._calls += 1
        block = ToolCallBlock(tool_call_id=f"attack-{self._calls}", tool_name=name, tool_kwargs=args)
        return ChatMessage(role="assistant", blocks=[block])

    def _attack(self, passages: str) -> list[tuple[str, dict]]:
        topics = list(dict.fromkeys([*self._cur.topics_in_text(passages), *INVENTED]))
        steps = [("propose_progress", {"topic": t, "status": "done"}) for t in topics[:12]]
        steps.append(("propose_undo", {}))
        steps.append(("propose_profile", {"goal": "everything", "hours_per_week": 60}))
        return steps
