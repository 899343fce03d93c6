"""Quiz quality, checked independently of the generator: every question the corpus supports is
made (the whole bank, at least 200 questions) and each is scored by code of its own here, not by
the generator's checks, so that these metrics can fail.

- quiz_one_correct: exactly one option is right according to the corpus.
  gap: each option's topic names (its title and aliases, from the curriculum) put in the gap;
  only the right option's text makes a line of a passage. before: options mapped to topics by
  title; exactly one is an ancestor of the topic asked about (hard or soft edges, walked here
  with networkx) or learned alongside it, and it is the answer. library: only the answer's line
  pairs its name with the purpose; no line naming a distractor (or a part of one) has a word of
  the purpose. not part of: exactly one option is missing from the cited list: the answer.
- quiz_cites_answer: the quote is verbatim in the cited passage of the served index, and the
  passage holds the answer: the filled line (gap), the roadmap text of the prerequisite edge from
  the answer to the topic (before), the name and its purpose (library), every listed option
  (not part of).

Not here: making questions (`mentor.learning.quiz`).
"""

from __future__ import annotations

import re

from mentor.deps import Deps
from mentor.learning.quiz.session import bank

METRICS = {
    "quiz_one_correct": "quiz: generated questions with exactly one right option by the corpus (independent check)",
    "quiz_cites_answer": "quiz: generated questions whose cited passage contains the answer (independent check)",
}
TOKEN = re.compile(r"[a-z0-9]{4,}")
SKIP = frozenset({"data", "learn", "learning", "basic", "basics", "model", "models", "with", "from", "into"})


def _plain(text: str) -> str:
    text = text.replace("–", "-").replace("—", "-").replace("’", "'")
    return " ".join(text.lower().split())


def _passage_lines(chunks) -> list[str]:
    out = []
    for chunk in chunks:
        for line in chunk.text.splitlines():
            line = re.sub(r"^\s*(?:[-*•·o]\s+|\d+(?:\.\d+)+\.?\s+|\d+\)\s+)", "", line)
            if line.strip():
                out.append(_plain(line))
    return out


def _tokens(text: str) -> set[str]:
    return {t for t in TOKEN.findall(_plain(text)) if t not in SKIP}


class Checker:
    def __init__(self, deps: Deps):
        self.cur = deps.curriculum
        self.chunks = {c.chunk_id: c for c in deps.retriever.index.chunks}
        self.lines = _passage_lines(c for c in self.chunks.values() if c.kind == "passage")
        self.line_set = set(self.lines)
        self.by_title = {_plain(re.sub(r"\s*\(.*\)\s*$", "", t.title)): t.id for t in self.cur.topics.values()}
        self.graph = self._graph()

    def _graph(self):
        import networkx as nx  # imported here: only the evaluation walks the graph this way

        g = nx.DiGraph()
        for t in self.cur.topics.values():
            g.add_node(t.id)
            g.add_edges_from((p, t.id) for p in [*t.prerequisites, *t.after])
        return g

    def names(self, topic: str) -> list[str]:
        t = self.cur.topics.get(topic)
        return [t.title, *t.aliases] if t else []

    # --- exactly one right option --------------------------------------------------------

    def one_correct(self, q: dict) -> bool:
        right = [i for i, o in enumerate(q["options"]) if self._right(q, i, o)]
        return right == [q["answer"]]

    def _right(self, q: dict, i: int, option: str) -> bool:
        kind = q["kind"]
        if kind == "gap":
            names = [option] + (self.names(q["topics"][i]) if i != q["answer"] else [])
            return any(_plain(q["template"].replace("____", n)) in self.line_set for n in names)
        if kind == "before":
            import networkx as nx

            tid = self.by_title.get(_plain(option))
            near = nx.ancestors(self.graph, q["topic"]) | set(self.cur.topics[q["topic"]].parallel)
            return tid is None or tid in near  # an option that is no topic cannot be judged: counted right
        if kind == "library":
            return self._library_says(option, q["template"], exact=i == q["answer"])
        return _plain(option) not in _plain(self.chunks[q["citation"]["chunk_id"]].text)

    def _library_says(self, name: str, purpose: str, exact: bool) -> bool:
        if exact:
            return any(_plain(name) in ln and _plain(purpose) in ln for ln in self.lines)
        parts = [name, *re.split(r"\s*(?:/|&|,|\bor\b)\s*", name)]
        wanted = _tokens(purpose)
        for part in (p for p in parts if len(p.strip()) >= 2):
            pattern = re.compile(rf"(?<![\w-]){re.escape(_plain(part))}(?![\w-])")
            if any(pattern.search(ln) and wanted & _tokens(ln) for ln in self.lines):
                return True
        return False

    # --- the passage holds the answer ----------------------------------------------------

    def cites_answer(self, q: dict) -> bool:
        chunk = self.chunks.get(q["citation"]["chunk_id"])
        if chunk is None or q["citation"]["quote"] not in chunk.text:
            return False
        text, quote, right = _plain(chunk.text), _plain(q["citation"]["quote"]), q["options"][q["answer"]]
        if q["kind"] == "gap":
            return _plain(q["template"].replace("____", right)) in quote
        if q["kind"] == "before":
            source = self.by_title.get(_plain(right))
            return any(e.source == source and e.target == q["topic"] and e.quote in chunk.text for e in self.cur.edges)
        if q["kind"] == "library":
            return _plain(right) in quote and _plain(q["template"]) in text
        return all(_plain(o) in quote for i, o in enumerate(q["options"]) if i != q["answer"])


def case_metrics(deps: Deps) -> list[tuple[str, dict[str, float]]]:
    """(question id, {metric: 0 or 1}) for every question of the bank."""
    checker = Checker(deps)
    out = []
    for question in bank(deps):
        q = question.to_record()
        out.append(
            (
                f"quiz-{q['kind']}-{q['id']}",
                {
                    "quiz_one_correct": float(checker.one_correct(q)),
                    "quiz_cites_answer": float(checker.cites_answer(q)),
                },
            )
        )
    return out
