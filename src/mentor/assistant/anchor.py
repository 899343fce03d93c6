"""The roadmap line that carries a question's own words: "the silhouette score" is in "7.1.4.
Evaluating Clusters (Silhouette Score)", "semi-supervised learning" in "4.2.4. Semi-Supervised
Learning (Brief introduction)". Found by the question's most specific run of words (the longest,
then the rarest) that stands verbatim in some line, so that a term the curriculum has no topic
for, or names only inside a broader topic, is answered from where the roadmaps put it.

Not here: how an answer words it (`offline/knowledge.py`, `offline/shapes.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mentor.assistant.citations import STOP
from mentor.assistant.evidence import ASKING, Line, terms
from mentor.assistant.lines import line_index

TOKEN = re.compile(r"[a-z0-9+#]+")
LONGEST = 4  # words in a phrase
MOST_LINES = 4  # a phrase in more lines than this names nothing specific
RARE_WORD = 5  # a single word counts when it is this long and in at most MOST_LINES lines
# words that say how a question is asked or who asks it, never what it is about
FILLER = frozenset(
    "what whats is are does do mean means meaning explain tell me about where when why how the a an in on of "
    "curriculum roadmap roadmaps plan list listed lists see saw says say said thing stuff someone asked ask "
    "someone really actually exactly just like also end step english hindi stage short people something anything "
    "everything nothing absolutely totally definitely".split()
)


@dataclass(frozen=True)
class Anchor:
    phrase: str  # the question's words as they stand in the lines ("silhouette score")
    lines: tuple[Line, ...]  # the lines they stand in, in reading order

    @property
    def words(self) -> int:
        return len(self.phrase.split())

    @property
    def as_written(self) -> str:
        """The phrase as the first line writes it ("Semi-Supervised" for "semi supervised")."""
        found = re.search(spelled(self.phrase), self.lines[0].text, re.IGNORECASE)
        written = found.group(0) if found else self.phrase
        return written if re.fullmatch(r"[\w+#' -]+", written) else self.phrase  # not "problem (Bonferroni"


def tokens(text: str) -> list[str]:
    """A text's lower-case words, as phrases are matched ("semi-supervised" is "semi supervised")."""
    return TOKEN.findall(text.lower())


def spelled(phrase: str) -> str:
    """A pattern for a phrase however it is written between its words ("Semi-Supervised", "end-to-end")."""
    return r"[^a-z0-9+#]+".join(re.escape(w) for w in phrase.split())


def anchor(chunks, question: str) -> Anchor | None:
    """The question's most specific words found verbatim in the roadmaps' lines, with those lines;
    None when no run of its words is specific enough (in more than `MOST_LINES` lines) or found."""
    index = line_index(chunks)
    postings = _postings(index)
    words = tokens(question)
    best: tuple[tuple[int, int], str, list[int]] | None = None
    for n in range(LONGEST, 0, -1):
        for i in range(len(words) - n + 1):
            run = words[i : i + n]
            if run[0] in FILLER or run[-1] in FILLER or run[0] in STOP or run[-1] in STOP:
                continue
            if any(len(w) == 1 and not w.isdigit() for w in (run[0], run[-1])):  # the "s" of "there's"
                continue
            if n == 1 and set(terms(run[0])) & ASKING:
                continue
            phrase = " ".join(run)
            hits = postings.get(phrase, [])
            if not hits or len(hits) > MOST_LINES:
                continue
            short = n == 1 and len(run[0]) < RARE_WORD
            if short and not _abbreviation(question, run[0], [index.lines[j] for j in hits]):
                continue
            key = (n, -len(hits))
            if best is None or key > best[0]:
                best = (key, phrase, list(hits))
        if best is not None:
            break  # the longest runs found win over any shorter one
    if best is None:
        return None
    _, phrase, hits = best
    if phrase.count(" ") >= 2:  # the lines that say its first words too ("Multiple comparisons & Bonferroni …")
        start = " ".join(phrase.split()[:2])
        hits += [j for j in postings.get(start, []) if j not in hits][:MOST_LINES]
    return Anchor(phrase, tuple(index.lines[j] for j in hits))


def _abbreviation(question: str, word: str, lines) -> bool:
    """A short word that is a name: written in capitals by the learner ("whats MLE?", in a question not all
    in capitals) or defined as an abbreviation by the roadmaps ("Singular Value Decomposition (SVD)")."""
    if len(word) < 2 or word.isdigit():
        return False
    asked = re.search(r"[a-z]", question) and re.search(rf"\b{re.escape(word.upper())}\b", question)
    return bool(asked) or any(f"({word.upper()})" in line.text for line in lines)


def _postings(index) -> dict[str, list[int]]:
    """Every run of up to `LONGEST` words of every quotable line, with the lines it stands in;
    worked out once per line index and kept on it (a rebuilt index gets its own)."""
    if getattr(index, "runs", None) is None:
        found: dict[str, list[int]] = {}
        for j, line in enumerate(index.lines):
            if line.title:
                continue
            words = tokens(line.text)
            runs = {" ".join(words[i : i + n]) for n in range(1, LONGEST + 1) for i in range(len(words) - n + 1)}
            for run in runs:
                found.setdefault(run, []).append(j)
        index.runs = found
    return index.runs
