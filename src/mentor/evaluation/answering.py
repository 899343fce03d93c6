"""Does an answer answer the question? The metrics of issue 13's QA set (`evals/answers.jsonl`):

- `fact_recall`: the share of a case's key facts (each a list of alternative phrasings) the
  answer contains; an answer over `MAX_WORDS` words scores 0 (quoting everything retrieved is
  not an answer);
- `direct_answer`: a yes/no question (`direct`) is answered yes or no, rightly, in the answer's
  first sentence;
- `quote_is_content`: the share of the quotes an answer shows (its bullets, as the learner reads
  them; not only the quote its citations record) that are more than a heading (a step, phase,
  week or outline title, or the passage's own heading line);
- `answer_words_median`, `answer_words_p95`: answer length without the sources list, over the
  run's QA cases (run-level).

Cases of the held-out split are scored under the same names with `_heldout` appended (see
`scoring.split_suffix`). Not here: answering (`run`), the other metrics (`scoring`).
"""

from __future__ import annotations

import re
import statistics

from mentor.assistant.citations import MARKER
from mentor.evaluation.report import Aggregate, Threshold

MAX_WORDS = 250
METRICS = {
    "fact_recall": "QA set: share of the key facts (with alternatives) the answer contains; 0 past 250 words",
    "direct_answer": "QA set: a yes/no question gets its right yes or no in the first sentence",
    "quote_is_content": "share of quotes that are passage content, not only a heading",
    "answer_words_median": "QA set: median answer length in words, sources excluded",
    "answer_words_p95": "QA set: 95th percentile answer length in words, sources excluded",
}
HEADING = re.compile(r"^\W*(step\s*\d+(\.\d+)*|phase\s*\d+|week\s*\d+|level\s*\d+|stage\s*\d+)\b", re.IGNORECASE)


def words(text: str) -> int:
    return len(MARKER.sub(" ", text).split())


def _norm(text: str) -> str:
    text = text.lower().replace("’", "'").replace("–", "-").replace("—", "-")
    return re.sub(r"\s+", " ", text)


def fact_recall(answer: str, key_facts: list[list[str]]) -> tuple[float, list[str]]:
    """(score, the facts missing, by their first phrasing)."""
    body = _norm(MARKER.sub(" ", answer))
    missing = [alts[0] for alts in key_facts if not any(_norm(a) in body for a in alts)]
    if words(answer) > MAX_WORDS:
        return 0.0, ["(answer over 250 words)"]
    return 1 - len(missing) / len(key_facts), missing


def first_sentence(answer: str) -> str:
    return re.split(r"(?<=[.!?])\s|\n", answer.strip(), maxsplit=1)[0]


def direct_answer(answer: str, expected: str) -> bool:
    """The first sentence says `expected` (yes or no) and not the other."""
    first = _norm(first_sentence(answer))
    other = "no" if expected == "yes" else "yes"
    return bool(re.search(rf"\b{expected}\b", first)) and not re.match(rf"\W*{other}\b", first)


def is_heading(quote: str, chunk) -> bool:
    """A quote that is only a title: the passage's own heading line, a bare outline number, or a
    short step, phase or week title. A title that carries a list of items ("8.1. Evaluation
    Metrics for Regression (MSE, RMSE, MAE, R-squared)") is content, and so is an outline entry
    under a heading ("7.1.1. K-Means Clustering")."""
    q = quote.strip().rstrip(":").strip()
    if re.search(r"\([^)]*,[^)]*\)", q):
        return False
    if _norm(q) == _norm(chunk.heading.strip().rstrip(":")) or not re.search(r"[a-z]{2}", q.lower()):
        return True
    m = HEADING.match(q)
    if m is None:
        return False
    rest = q[m.end() :].strip(" :.-—[]")
    body = re.sub(r"\[[^\]]*\]", "", rest).strip(" :.-—")
    return len(body.split()) <= 10


QUOTED_BULLET = re.compile(r"^- .*\[(\d+)\]\s*$", re.MULTILINE)  # '- label: "…"; "…" [2]'


def shown_quotes(answer: str, citations) -> list[tuple[str, str]]:
    """(quote, chunk id) for every quote the answer shows in its bullets, as the learner reads them (not an aside
    in parentheses that names where a claim comes from: "(from the roadmaps' tag: "Step 2.1 [D: …]")"); the
    citations' own quotes when it has no bullets."""
    by_n = {c.n: c.chunk_id for c in citations}
    shown, bulleted = [], False
    for bullet in QUOTED_BULLET.finditer(answer):
        bulleted, text = True, bullet.group(0)
        marks = [(m.start(), int(m.group(1))) for m in re.finditer(r"\[(\d+)\]", text)]
        for quote in re.finditer(r'"([^"\n]+)"', text):  # each quote, of the passage numbered after it
            n = next((n for at, n in marks if at > quote.start()), None)
            aside = text[: quote.start()].count("(") > text[: quote.start()].count(")")  # "(… tag: "…")"
            if n in by_n and not aside:
                shown.append((quote.group(1), by_n[n]))
    return shown if bulleted else [(c.quote, c.chunk_id) for c in citations]


def quote_share(answer: str, citations, chunks_by_id: dict) -> float | None:
    """The share of the quotes an answer shows (`shown_quotes`) that are more than a heading."""
    quotes = [(q, chunks_by_id.get(chunk_id)) for q, chunk_id in shown_quotes(answer, citations)]
    quotes = [(q, ch) for q, ch in quotes if ch is not None]
    if not quotes:
        return None
    return sum(not is_heading(q, ch) for q, ch in quotes) / len(quotes)


def length_aggregates(lengths: list[int], thresholds: dict[str, Threshold], suffix: str = "") -> dict:
    if not lengths:
        return {}
    ordered = sorted(lengths)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    out = {}
    for name, value in (("answer_words_median", statistics.median(ordered)), ("answer_words_p95", p95)):
        out[name + suffix] = Aggregate(name + suffix, float(value), len(lengths), 0, thresholds.get(name + suffix))
    return out
