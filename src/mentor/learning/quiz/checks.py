"""Does a drafted question have exactly one right option, according to the corpus? The generator
asks these of every distractor it considers, and of every finished question before it is shown;
a question that fails is dropped, never repaired by guessing.

- gap: no other option's name fits the gap of any line of any passage (the gap template is
  matched against every line, and what stands in the gap there never names a distractor);
- before: the answer is a prerequisite (transitively) of the topic and no distractor comes before
  it, by hard or soft edges, nor is learned alongside it;
- library: no line naming a distractor (or a part of it: "Flask/FastAPI") shares a content word
  with the purpose asked about;
- not_part_of: every other option is an item of the cited list, and the intruder appears nowhere
  in that passage, shares no content word with it and names none of its topics.

Not here: drafting questions (`kinds.py`). The evaluation checks the same property with code of
its own (`mentor.evaluation.quizcheck`), so that its metric can fail.
"""

from __future__ import annotations

import re

from mentor.learning.curriculum import Curriculum
from mentor.learning.quiz.lines import CorpusLines, fold, words

GAP = "____"


def gap_fits(lines: CorpusLines, cur: Curriculum, template: str, topic: str, name: str) -> bool:
    """True when `name` (of `topic`) fits the gap somewhere in the corpus: a line matching the
    template has it, or another name of its topic, in the gap."""
    for fill in lines.fills(template, GAP):
        if fold(name) in fill or any(tid == topic for tid, _ in cur.mentions(fill)):
            return True
    return False


def before_ok(cur: Curriculum, target: str, answer: str, distractor: str) -> bool:
    """`distractor` is a fair wrong answer to "which comes before `target`" (answer: `answer`)."""
    if distractor in (target, answer) or distractor not in cur.topics:
        return False
    t = cur.topics[target]
    return distractor not in cur.ancestors(target, soft=True) and distractor not in t.parallel


def library_ok(lines: CorpusLines, purpose: str, name: str) -> bool:
    """No line naming `name`, or any part of it, says anything of `purpose`."""
    wanted = words(purpose)
    for part in name_parts(name):
        if any(wanted & words(line) for line in lines.naming(part)):
            return False
    return True


def name_parts(name: str) -> list[str]:
    """'MLflow / Weights & Biases' -> the name and its parts, each of two characters or more."""
    parts = [p.strip() for p in re.split(r"\s*(?:/|&|,|\bor\b)\s*", name)]
    return [name, *(p for p in parts if len(p) >= 2 and p != name)]


def intruder_ok(cur: Curriculum, passage: str, intruder: str) -> bool:
    """`intruder` is surely not part of the list in `passage`."""
    if fold(intruder) in fold(passage) or words(intruder) & words(passage):
        return False
    listed = {tid for tid, _ in cur.mentions(passage)}
    return not any(tid in listed for tid, _ in cur.mentions(intruder))


def one_correct(q, cur: Curriculum, lines: CorpusLines) -> bool:
    """The final check of a question (`questions.Question`) before it is shown."""
    right = q.options[q.answer]
    wrong = [o for i, o in enumerate(q.options) if i != q.answer]
    if len({fold(o) for o in q.options}) != len(q.options) or len(q.options) < 3:
        return False
    chunk = lines.by_id.get(q.citation["chunk_id"])
    if chunk is None or q.citation["quote"] not in chunk.text:
        return False
    wrong_topics = [t for i, t in enumerate(q.topics) if i != q.answer]
    if q.kind == "gap":
        return gap_fits(lines, cur, q.template, q.topic, right) and not any(
            gap_fits(lines, cur, q.template, tid, o) for o, tid in zip(wrong, wrong_topics)
        )
    if q.kind == "before":
        answer = q.topics[q.answer]
        return answer in cur.ancestors(q.topic) and all(before_ok(cur, q.topic, answer, t) for t in wrong_topics)
    if q.kind == "library":
        return all(library_ok(lines, q.template, o) for o in wrong)
    if q.kind == "not_part_of":
        return all(fold(o) in fold(q.citation["quote"]) for o in wrong) and intruder_ok(cur, chunk.text, right)
    return False
