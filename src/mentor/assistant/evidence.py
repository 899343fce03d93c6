"""The lines of the passages an answer was shown that best answer the question: weights-free,
query-focused selection.

Each passage the tools returned is split into its verbatim lines (bullets, "Learn:" items,
numbered outline entries, sentences); title lines (a step, phase or week title, the passage's
own heading) are marked, because the answer is in the body below them. Lines are scored by
query-biased LexRank: a graph of lines joined by shared (stemmed) words, ranked with
personalised PageRank whose personalisation is each line's BM25-style match with the question,
then picked with maximal marginal relevance so the chosen lines say different things.

Not here: which passages are fetched (the handlers call the tools), how lines are worded into
an answer (`shapes.py`, `knowledge.py`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from mentor.assistant.citations import STOP, sentences
from mentor.corpus.chunks import Chunk

TITLE = re.compile(r"^\W*(step\s*\d+(\.\d+)*|phase\s*\d+|week\s*\d+|level\s*\d+|#+\s)", re.IGNORECASE)
SHOUTED = re.compile(r"^\W*[A-Z][A-Z0-9 &/+—–-]{6,}\W*$")  # "PHASE 0 — PROGRAMMING FOUNDATION"
LEGEND_ENTRY = re.compile(r"^\W*\[[A-Z]{1,6}\]\s*=")  # "# [P] = Parallel (…)": a legend's entry is content
IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
OUTLINE_NUMBER = re.compile(r"\d+(\.\d+)*\.")  # "21.1.", a piece of its own before the entry it numbers
LIST_IN_PARENS = re.compile(r"\([^)]*,[^)]*\)")
WORD = re.compile(r"[a-z0-9][a-z0-9+#.-]*[a-z0-9+#]|[a-z0-9]")


# how questions are asked, not what they are about: never a reason to pick a line
ASKING = frozenset(
    _s
    for _s in "differ vs versus compar between need learn use which when what whi how should would could can tell "
    "pleas want know thing".split()
)


@dataclass(frozen=True)
class Line:
    n: int  # the passage's number in the answer's SourceBook
    chunk: Chunk
    text: str  # verbatim, as it stands in the passage
    position: int  # index among the passage's lines
    title: bool  # only a heading: worth reading for context, not worth quoting
    context: str = ""  # what it stands under: the passage's heading and the label above it ("Learn:")


@lru_cache(maxsize=4096)
def _stem(word: str) -> str:
    # PyStemmer ships with bm25s (the BM25 index already stems with it); imported once, on first use
    import Stemmer

    return Stemmer.Stemmer("english").stemWord(word)


def terms(text: str) -> list[str]:
    # the same passage lines are read by answer after answer: a short text's terms are worked
    # out once (a learner's long messages are not kept)
    return list(_cached_terms(text) if len(text) <= 200 else _terms(text))


@lru_cache(maxsize=32768)
def _cached_terms(text: str) -> tuple[str, ...]:
    return _terms(text)


def _terms(text: str) -> tuple[str, ...]:
    words = []
    for w in WORD.findall(text.lower()):
        parts = w.split("-") if "-" in w else []  # "learn-implement-experiment": the compound and its words
        words += [p for p in (w, *parts) if p not in STOP and len(p) > 1]
    return tuple(_stem(w) for w in words)


def is_title(text: str, chunk: Chunk) -> bool:
    """A heading line: the passage's own heading, a bare outline number ("1.3."), an all-caps
    banner, or a short step/phase/week title. An outline entry under a heading ("7.1.1. K-Means
    Clustering") is content, and so is a title carrying a list ("8.1. Metrics (MSE, RMSE, …)")."""
    if IMAGE.fullmatch(text.strip()):  # "![](ml_roadmap_visual.jpg)": a picture, nothing to quote
        return True
    if LIST_IN_PARENS.search(text) or LEGEND_ENTRY.match(text):
        return False
    plain = _label(text)
    if plain == _label(chunk.heading) or not re.search(r"[a-z]{2}", plain):
        return True
    if any(plain == _label(part) for part in [*chunk.section.split(" › "), chunk.title]):  # a parent heading
        return True
    if SHOUTED.match(text.strip()):
        return True
    if text.rstrip().endswith(":") and len(_terms(text)) <= 2:  # "You can pick either:", "Learn:": a list's label
        return True
    return bool(TITLE.match(text.strip())) and len(re.sub(r"\[[^\]]*\]", "", text).split()) <= 12


def _label(text: str) -> str:
    """A heading as words: outline number, emoji, trailing ellipsis and colon removed."""
    text = re.sub(r"^\W*(\d+(\.\d+)*\.?)?\s*", "", text.strip().lower()).rstrip("…:. ")
    return text


def passage_lines(n: int, chunk: Chunk) -> list[Line]:
    return [Line(n, chunk, *parts) for parts in _split(chunk.text, chunk.heading, chunk.section, chunk.title)]


LABEL_WORDS = 4  # a label line is this short ("- MLOps Basics", "Learn FastAPI")


def is_label(line: Line) -> bool:
    """A heading, or a short bulleted line that names what follows ("- MLOps Basics")."""
    if line.title:
        return True
    bulleted = re.search(rf"(?m)^[ \t]*[-•*][ \t]+{re.escape(line.text)}[ \t]*$", line.chunk.text)
    return bulleted is not None and len(re.findall(r"[a-z0-9+#]+", line.text.lower())) <= LABEL_WORDS


def heads(line: Line) -> Line | None:
    """The plain line a bulleted label stands over ("- Engineering" over "Containerization, CI, …"), or None:
    not for an item of a list ("- Singular Value Decomposition (SVD)" over "- Trig terms …")."""
    if line.title or not _bulleted(line) or not is_label(line) or _in_list(line):
        return None
    under = lines_under(line)
    return under[0] if under and not under[0].title and not _bulleted(under[0]) else None


def lines_under(label: Line) -> list[Line]:
    """What a passage says under a heading or label line, up to the next one ("Goal:", "Reason:" and
    the like skipped: what follows them is still this label's), numbered as `label` is."""
    lines = passage_lines(label.n, label.chunk)
    at = next((i for i, ln in enumerate(lines) if ln.position == label.position), len(lines))
    found = []
    for line in lines[at + 1 :]:
        if line.text.endswith(":"):
            continue
        if is_label(line):
            break
        found.append(line)
    return found


LIST_ITEM_WORDS = 6  # a list's item this short ("- JOIN", "- loops, conditionals") is one of many: quoted with them
LIST_RUN = 10  # at most this many items quoted together


def _bulleted(line: Line) -> bool:
    return re.search(rf"(?m)^[ \t]*[-•*][ \t]+{re.escape(line.text)}[ \t]*$", line.chunk.text) is not None


def _item(line: Line) -> bool:
    return (  # a title too: "- GROUP BY" is shouted, not a heading, once bulleted
        not line.text.endswith(":")
        and "://" not in line.text
        and len(re.findall(r"[a-z0-9+#]+", line.text.lower())) <= LIST_ITEM_WORDS
        and _bulleted(line)
    )


def list_run(line: Line) -> list[Line]:
    """The short bulleted list a line is one item of, whole ("- SELECT", "- WHERE", "- JOIN", "- GROUP BY"):
    one item alone answers little of "what is in the SQL step". Just the line when it is no such item."""
    if not _item(line):
        return [line]
    lines = passage_lines(line.n, line.chunk)
    at = next((i for i, ln in enumerate(lines) if ln.position == line.position), None)
    if at is None:
        return [line]
    start = end = at
    while start > 0 and _item(lines[start - 1]) and lines[start - 1].position == lines[start].position - 1:
        start -= 1
    while end + 1 < len(lines) and _item(lines[end + 1]) and lines[end + 1].position == lines[end].position + 1:
        end += 1
    run = lines[start : end + 1]
    return run if 2 <= len(run) <= LIST_RUN else [line]


def run_label(run: list[Line]) -> str:
    """The short label a list stands under ("Learn:"), or ""."""
    lines = passage_lines(run[0].n, run[0].chunk)
    before = [ln for ln in lines if ln.position == run[0].position - 1]
    if before and before[0].text.endswith(":") and len(before[0].text.split()) <= 4:
        return before[0].text
    return ""


def item_label(line: Line) -> str:
    """The short bulleted label a body line stands right under ("- Extensions" over "Time-series,
    recommender systems, and RL basics."), as "Extensions:"; "" when there is none."""
    if line.title or _bulleted(line) or line.text.endswith(":"):  # "Hands-On ML teaches:" is a label itself
        return ""
    lines = passage_lines(line.n, line.chunk)
    before = [ln for ln in lines if ln.position == line.position - 1]
    if before and _bulleted(before[0]) and is_label(before[0]) and not before[0].text.endswith(":"):
        return "" if _in_list(before[0]) else before[0].text.rstrip(".") + ":"
    if before and before[0].text.endswith(":") and len(before[0].text.split()) <= 2:
        return before[0].text  # "Example:" over "Linear Regression"
    return ""


def _in_list(line: Line) -> bool:
    """The line is an item of a bulleted list, the one before it a bulleted item too ("- ISLR" after
    "- Grokking Machine Learning"): no label of what follows."""
    lines = passage_lines(line.n, line.chunk)
    before = [ln for ln in lines if ln.position == line.position - 1]
    return bool(before) and _bulleted(before[0]) and not before[0].title


def bullets(lines: list[Line], quotes: dict[int, str], lists: bool = False) -> list[str]:
    """The lines as quoted bullets with their source numbers; with `lists`, an item of a short list
    quoted with the rest of its list (`list_run`: what a step covers, not one of its items; a
    comparison wants the item alone). Notes each passage's first quote in `quotes`."""
    out, done, words = [], set(), set()  # (passage, position) quoted; the words quoted
    for line in lines:
        under = heads(line)
        line = under or line  # "- Engineering" over its plain line: what it holds, labelled
        key = (line.chunk.chunk_id, line.position)
        if key in done or line.text in words:  # the same words in two passages (a section and a page it links) once
            continue
        run = list_run(line) if lists else [line]
        lead = list_after(line)  # "Hands-On ML teaches:" alone says nothing: its list is what it says
        if lead:
            run = lead
        done |= {(ln.chunk.chunk_id, ln.position) for ln in run}
        words |= {ln.text for ln in run}
        quotes.setdefault(line.n, run[0].text if lead else line.text)
        label = line.text if lead else run_label(run) if len(run) > 1 else item_label(line)
        said = "; ".join(f'"{numbered(ln)}"' for ln in run)
        out.append(f"- {label + ' ' if label else ''}{said} [{line.n}]")
    return out


def list_after(line: Line) -> list[Line]:
    """The short bulleted list right under a line that leads into it ("Hands-On ML teaches:" over "- full
    workflows", "- pipelines", "- real projects"), or []."""
    if not line.text.endswith(":") or line.title:
        return []
    after = [ln for ln in passage_lines(line.n, line.chunk) if ln.position == line.position + 1]
    run = list_run(after[0]) if after and _item(after[0]) else []
    return run if len(run) > 1 and run[0].position == line.position + 1 else []


def numbered(line: Line) -> str:
    """A line as quoted: with the outline number it follows in its passage ("21.1. Unit Testing (…)"),
    where a learner finds it."""
    number = next((ln.text for ln in passage_lines(line.n, line.chunk) if ln.position == line.position - 1), "")
    found = OUTLINE_NUMBER.fullmatch(number) and re.search(
        rf"{re.escape(number)}[ \t]+{re.escape(line.text)}", line.chunk.text
    )
    return found.group(0) if found else line.text


@lru_cache(maxsize=8192)
def _split(text: str, heading: str, section: str, title: str) -> tuple[tuple[str, int, bool, str], ...]:
    """A passage's lines as (text, position, title, context), worked out once per passage (answer
    after answer reads the same ones), keyed by everything they depend on."""
    chunk = Chunk("", "", title, section, heading, 0, 0, text)
    lines, label = [], ""
    for i, line in enumerate(sentences(text) or [text.strip()]):
        if line.endswith("==="):
            continue
        lines.append((line, i, is_title(line, chunk), f"{heading} {label}"))
        if line.rstrip().endswith(":") and len(line.split()) <= 8:
            label = line  # "Learn:", "Use resource like:", "📘 Resources:"
    return tuple(lines)


def select(lines: list[Line], query: str, k: int = 3, quotable_only: bool = True, diversity: float = 0.7) -> list[Line]:
    """The `k` lines that best answer `query`: relevant, central, and not saying the same thing."""
    pool = [ln for ln in lines if not (quotable_only and ln.title) and len(ln.text) >= 4]
    if not pool:
        return []
    bags = [set(terms(ln.text)) for ln in pool]
    wanted = [t for t in terms(query) if t not in ASKING]
    contexts = [set(terms(ln.context)) for ln in pool]
    relevance = [a + 0.5 * b for a, b in zip(_bm25(bags, wanted), _bm25(contexts, wanted))]
    if not any(relevance):
        return []
    rank = [r * substance(ln.text) for r, ln in zip(_lexrank(bags, relevance), pool)]
    chosen: list[int] = []
    while len(chosen) < min(k, len(pool)):
        best = max(
            (
                i
                for i in range(len(pool))
                if i not in chosen and relevance[i] > 0 and not any(_repeats(bags[i], bags[j]) for j in chosen)
            ),  # a line that says nothing a chosen one does not ("Bias–variance tradeoff" twice) is no second quote
            key=lambda i: diversity * rank[i]
            - (1 - diversity) * max((_overlap(bags[i], bags[j]) for j in chosen), default=0),
            default=None,
        )
        if best is None:
            break
        chosen.append(best)
    return [pool[i] for i in chosen]


def substance(text: str) -> float:
    """Short fragments ("Docker →", "What is ML?") say little: weigh a line by how much it says."""
    words = len(re.findall(r"\w+", text))
    return 1.0 if words >= 6 or LIST_IN_PARENS.search(text) else 0.4 + 0.1 * words


def _bm25(bags: list[set[str]], query: list[str], k1: float = 1.2, b: float = 0.5) -> list[float]:
    n = len(bags)
    avg = sum(len(bag) for bag in bags) / n or 1.0
    wanted = set(query)
    df = {term: sum(1 for bag in bags if term in bag) for term in wanted}
    idf = {term: math.log(1 + (n - d + 0.5) / (d + 0.5)) for term, d in df.items()}
    scores = []
    for bag in bags:
        norm = (1 + k1) / (1 + k1 * (1 - b + b * len(bag) / avg))
        scores.append(sum(idf[term] for term in sorted(wanted & bag)) * norm)  # summed in one order: the same floats
    return scores


def _repeats(a: set[str], b: set[str]) -> bool:
    """Whether a line with terms `a` says nothing the one with `b` does not ("Bias-Variance Tradeoff"
    after "Bias–variance tradeoff": a hyphenated compound's own term aside)."""
    return ({t for t in a if "-" not in t} or a) <= b


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / math.sqrt(len(a) * len(b)) if a and b else 0.0


def _lexrank(bags: list[set[str]], relevance: list[float], threshold: float = 0.1) -> list[float]:
    """Personalised PageRank over the line-similarity graph, biased towards relevant lines: the
    same iteration as networkx's `pagerank` (alpha 0.5; dangling lines follow the bias), done
    on the matrix directly, since building a networkx graph per answer cost a fifth of an
    offline answer under load (py-spy, benchmarks/load.py). `test_evidence` checks it against
    networkx."""
    import numpy as np  # imported here: only offline answers that quote lines need it

    vocabulary = {term: n for n, term in enumerate(sorted({term for bag in bags for term in bag}))}
    incidence = np.zeros((len(bags), max(len(vocabulary), 1)))
    for i, bag in enumerate(bags):
        incidence[i, [vocabulary[term] for term in bag]] = 1.0
    sizes = incidence.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        weights = np.nan_to_num((incidence @ incidence.T) / np.sqrt(np.outer(sizes, sizes)))
    np.fill_diagonal(weights, 0.0)
    weights[weights < threshold] = 0.0
    return _pagerank(weights, np.asarray(relevance, dtype=float) / sum(relevance))


def _pagerank(weights, personal, alpha: float = 0.5, max_iter: int = 100, tol: float = 1e-6) -> list[float]:
    import numpy as np

    n = len(personal)
    out = weights.sum(axis=1)
    dangling = out == 0
    transition = np.divide(weights, out[:, None], out=np.zeros_like(weights), where=~dangling[:, None])
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        last = x
        x = alpha * (x @ transition + x[dangling].sum() * personal) + (1 - alpha) * personal
        if np.abs(x - last).sum() < n * tol:
            break
    top = x.max() or 1.0
    return [float(v / top) for v in x]
