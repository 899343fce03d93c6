"""How text names the curriculum's topics: a topic found by its name, id or an alias (with typo
tolerance), the topics a learner's message mentions and where, and the topics a roadmap passage
covers. The roadmaps' own names ("the zero to llm roadmap") name no topic.

`Curriculum` has these as a mixin: they read its `topics` and `_roadmap_names`.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import TYPE_CHECKING

from mentor.errors import UnknownTopic

if TYPE_CHECKING:
    from mentor.learning.curriculum import Topic


SPAN_CACHED = 300  # characters: the longest text whose topic mentions are kept
SPAN_CACHE_SIZE = 20_000  # texts; emptied when full


class TopicNames:
    topics: dict[str, Topic]
    _roadmap_names: re.Pattern | None

    @cached_property
    def _names(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for t in self.topics.values():
            for name in [t.id, t.title, *t.aliases]:
                names.setdefault(normalise(name), t.id)
        return names

    def find(self, text: str, limit: int = 3) -> tuple[Topic | None, list[Topic]]:
        """(the topic `text` names, or None; suggestions). Exact names and aliases first, then
        a fuzzy match only when it is clearly better than the runner-up."""
        from rapidfuzz import fuzz, process

        key = normalise(_strip_filler(text))
        if not key:
            return None, []
        if key in self._names:
            return self.topics[self._names[key]], []
        # plain edit-distance ratio: forgiving of typos, but no partial or token-subset matches
        # (WRatio would call "the capital of france" close to any title containing "of")
        ranked = process.extract(key, list(self._names), scorer=fuzz.ratio, limit=12)
        seen: list[str] = []
        scored: list[tuple[str, float]] = []
        for name, score, _ in ranked:
            tid = self._names[name]
            if tid not in seen:
                seen.append(tid)
                scored.append((tid, score))
        suggestions = [self.topics[tid] for tid, s in scored[:limit] if s >= 55]
        if scored and scored[0][1] >= 85 and (len(scored) == 1 or scored[0][1] - scored[1][1] >= 4):
            return self.topics[scored[0][0]], suggestions[1:]
        return None, suggestions

    def resolve(self, text: str) -> Topic:
        topic, suggestions = self.find(text)
        if topic is None:
            raise UnknownTopic(text, suggestions)
        return topic

    # --- passages -------------------------------------------------------------------------

    @cached_property
    def _name_patterns(self) -> dict[str, re.Pattern]:
        """One compiled pattern per topic: its distinctive names as whole words."""
        patterns = {}
        for t in self.topics.values():
            names = sorted(
                {normalise(n) for n in [t.title, *t.aliases] if len(normalise(n)) >= 4}, key=len, reverse=True
            )
            if names:
                alternation = "|".join(re.escape(n) for n in names)
                patterns[t.id] = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])")
        return patterns

    @cached_property
    def _mention_patterns(self) -> dict[str, re.Pattern]:
        """Like _name_patterns but with short names too ("LR", "nn", "sql"), for reading what a
        learner typed (not for linking passages, where short names would be noise)."""
        patterns = {}
        for t in self.topics.values():
            names = sorted(
                {normalise(n) for n in [t.id, t.title, *t.aliases] if len(normalise(n)) >= 2}, key=len, reverse=True
            )
            said = "|".join(
                re.escape(n) + (INFLECTED if len(n) >= INFLECTED_FROM and n[-1].isalpha() else "") for n in names
            )
            patterns[t.id] = re.compile(rf"(?<![\w-])(?:{said})(?![\w-])")
        return patterns

    def _without_roadmap_names(self, body: str) -> str:
        """`body` with the roadmaps' own names blanked, its length kept: "the zero to llm roadmap"
        names a roadmap, not the topic LLMs."""
        if self._roadmap_names is None:
            return body
        return self._roadmap_names.sub(lambda m: " " * len(m.group(0)), body)

    def mentions(self, text: str) -> list[tuple[str, int]]:
        """(topic id, length of the longest name of it found in `text`), longest first."""
        body = self._without_roadmap_names(normalise(text))
        found = []
        for tid, pattern in self._mention_patterns.items():
            longest = max((len(m.group(0)) for m in pattern.finditer(body)), default=0)
            if longest:
                found.append((tid, longest))
        return sorted(found, key=lambda x: -x[1])

    @cached_property
    def _span_cache(self) -> dict[str, tuple[tuple[int, int, str], ...]]:
        return {}

    def mention_spans(self, text: str) -> list[tuple[int, int, str]]:
        """Where `text` names topics: (start, end, topic id), non-overlapping (a longer name wins
        over a name inside it), in text order. Positions are those of `text` itself, so give it
        with its white space already folded (names match single spaces). A short text's spans are
        worked out once: answers read the same roadmap lines again and again."""
        if len(text) > SPAN_CACHED:
            return self._spans(text)
        found = self._span_cache.get(text)
        if found is None:
            if len(self._span_cache) >= SPAN_CACHE_SIZE:
                self._span_cache.clear()
            found = self._span_cache[text] = tuple(self._spans(text))
        return list(found)

    def _spans(self, text: str) -> list[tuple[int, int, str]]:
        body = self._without_roadmap_names(text.lower().replace("’", "'"))  # the same length as `text`
        found = [(m.start(), m.end(), tid) for tid, p in self._mention_patterns.items() for m in p.finditer(body)]
        chosen: list[tuple[int, int, str]] = []
        for start, end, tid in sorted(found, key=lambda f: (f[0] - f[1], f[0])):
            if all(end <= s or start >= e for s, e, _ in chosen):
                chosen.append((start, end, tid))
        return sorted(chosen)

    def topics_in_text(self, text: str) -> list[str]:
        """Topics a passage covers: one of its source quotes is in it, or a distinctive name
        (title or alias of 4+ characters) appears as a whole word."""
        body = normalise(text)
        found = []
        for t in self.topics.values():
            if any(s.get("quote") and normalise(s["quote"]) in body for s in t.sources):
                found.append(t.id)
            elif t.id in self._name_patterns and self._name_patterns[t.id].search(body):
                found.append(t.id)
        return found


# "deploying my first model" names the topic "deploy" does; not the past tense ("drifted", "recalled") and not a
# short name ("clouds", "ridges", "gloves", "shelling" are no cloud platforms, ridge regression, GloVe or shells)
INFLECTED = "(?:s|ing)?"
INFLECTED_FROM = 6  # names at least this long


_FILLER = re.compile(
    r"^(i\s+(know|finished|completed|learned|learnt|did)|mark|what\s+about|how\s+about|about|the|learn(ing)?)\s+",
    re.IGNORECASE,
)


def _strip_filler(text: str) -> str:
    text = text.strip().strip("?.!")
    previous = None
    while previous != text:
        previous, text = text, _FILLER.sub("", text).strip()
    return text


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().lower()


# --- loading ------------------------------------------------------------------------------
