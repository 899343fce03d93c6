"""Which curriculum topic a piece of a learner's text names ("LR", "neural nets", "my goal is
transformers"): an exact or fuzzy match of the whole text first, else the most specific topic
it mentions. Used by the tools (a profile goal) and the offline mode (the topic of a message).

Not here: the matching itself (`Curriculum.find` and `Curriculum.mentions` in
`mentor.learning.curriculum`) or what a follow-up refers to (`offline/draft.py`).
"""

from __future__ import annotations

from mentor.learning.curriculum import Curriculum, Topic


def mentioned_topic(text: str, cur: Curriculum) -> Topic | None:
    """The most specific topic a piece of text names, or None."""
    if not text:
        return None
    topic, _ = cur.find(text)
    if topic is not None:
        return topic
    found = cur.mentions(text)
    return cur.topics[found[0][0]] if found else None
