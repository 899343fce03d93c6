"""The line ranking offline answers quote from: its PageRank is networkx's, computed on the
similarity matrix directly (checked here against networkx itself on varied line sets)."""

import os
import random
import subprocess
import sys

import networkx as nx
import pytest

from mentor.assistant.evidence import _lexrank, _overlap


def _networkx_lexrank(bags, relevance, threshold=0.1):
    graph = nx.Graph()
    graph.add_nodes_from(range(len(bags)))
    for i in range(len(bags)):
        for j in range(i + 1, len(bags)):
            weight = _overlap(bags[i], bags[j])
            if weight >= threshold:
                graph.add_edge(i, j, weight=weight)
    total = sum(relevance)
    ranked = nx.pagerank(graph, alpha=0.5, personalization={i: r / total for i, r in enumerate(relevance)})
    top = max(ranked.values())
    return [ranked[i] / top for i in range(len(bags))]


@pytest.mark.parametrize("seed", range(12))
def test_lexrank_is_networkx_pagerank(seed):
    rng = random.Random(seed)
    words = [f"w{n}" for n in range(rng.choice([6, 20, 60]))]
    bags = [set(rng.sample(words, rng.randint(0, min(8, len(words))))) for _ in range(rng.randint(1, 40))]
    relevance = [rng.choice([0.0, 0.0, rng.random() * 3]) for _ in bags]
    relevance[rng.randrange(len(bags))] += 0.5  # at least one relevant line, as `select` ensures
    ours, reference = _lexrank(bags, relevance), _networkx_lexrank(bags, relevance)
    assert ours == pytest.approx(reference, abs=1e-4)


def test_lines_sharing_no_word_rank_by_relevance_alone():
    ranked = _lexrank([{"a"}, {"b"}, {"c"}], [1.0, 3.0, 0.0])
    assert ranked.index(1.0) == 1 and ranked[2] < ranked[0]


def test_passage_lines_are_worked_out_per_passage_not_per_text():
    """Lines are cached by what they depend on: the same text under another heading is read again."""
    from mentor.assistant.evidence import passage_lines
    from mentor.corpus.chunks import Chunk

    text = "Step 2: Pandas\n- Learn: groupby, merge and pivot tables for everyday data work"
    under_step = Chunk("a", "d", "Roadmap", "Phase 1 › Step 2: Pandas", "Step 2: Pandas", 1, 2, text)
    elsewhere = Chunk("b", "d", "Roadmap", "Phase 1 › Notes", "Notes", 1, 2, "Step 2 done\n" + text.split("\n")[1])
    first = passage_lines(1, under_step)
    assert [ln.title for ln in first] == [True, False]
    assert all(ln.chunk is under_step and ln.n == 1 for ln in first)
    again = passage_lines(4, under_step)
    assert [ln.n for ln in again] == [4, 4] and [ln.text for ln in again] == [ln.text for ln in first]
    other = passage_lines(2, elsewhere)
    assert other[0].text == "Step 2 done" and other[1].context.startswith("Notes")


def test_line_candidates_match_a_full_scan():
    """The inverted index finds exactly the lines a scan of every line would, in the same order."""
    import math

    from mentor.assistant.evidence import ASKING, substance, terms
    from mentor.assistant.lines import LineIndex
    from mentor.corpus.chunks import Chunk

    rng = random.Random(3)
    words = "python pandas numpy model training loss gradient data cleaning sql joins metrics recall".split()
    chunks = [
        Chunk(f"c{i}", "d", "R", f"Phase {i % 3} › {rng.choice(words).title()}", rng.choice(words).title(), 1, 5,
              "\n".join("- " + " ".join(rng.sample(words, 5)) for _ in range(4)))
        for i in range(30)
    ]  # fmt: skip
    index = LineIndex(chunks)
    for query in ["pandas data cleaning", "what loss for training", "sql joins recall"]:
        wanted, n = set(terms(query)) - ASKING, len(index.lines)
        idf = {t: math.log(1 + (n - index.df.get(t, 0) + 0.5) / (index.df.get(t, 0) + 0.5)) for t in wanted}
        scan = []
        for i, line in enumerate(index.lines):
            shared, around = wanted & index.bags[i], wanted & index.contexts[i]
            if (shared or around) and not line.title:
                score = sum(idf[t] for t in shared) + 0.5 * sum(idf[t] for t in around - shared)
                scan.append((score * substance(line.text), i))
        expected = [index.lines[i] for _, i in sorted(scan, reverse=True)[:40]]
        assert index.candidates(query) == expected and expected


def test_a_hyphenated_compound_is_matched_by_its_words_too():
    from mentor.assistant.evidence import terms

    found = terms("the learn-implement-experiment loop")
    assert {"learn-implement-experi", "implement", "experi", "loop"} <= set(found)
    assert "scikit-learn" in terms("scikit-learn") and "scikit" in terms("scikit-learn")


def test_a_section_named_by_words_matches_them_within_one_heading(offline_deps):
    from mentor.assistant.parts import section_passages

    # "ML" and "fundamentals" in two levels of one path ("Programming Fundamentals › … Libraries for ML") is no match
    found = section_passages(offline_deps.passages, "the ML fundamentals phase", [])
    assert all("Essential Libraries for ML" not in c.section for c in found)
    found = section_passages(offline_deps.passages, "the maths phase", ["master-curriculum"])
    assert found and all("Mathematics for Machine Learning" in c.section for c in found)


def _lines(text: str, heading: str = "Step 0.4 [I]: Learn SQL basics"):
    from mentor.assistant.evidence import passage_lines
    from mentor.corpus.chunks import Chunk

    return passage_lines(1, Chunk("s", "d", "Roadmap", f"Phase 0 › {heading}", heading, 1, 9, text))


def test_an_item_of_a_short_list_is_quoted_with_its_whole_list():
    """'What is in the SQL step?' is not answered by "WHERE" alone; "GROUP BY" is shouted, yet an item."""
    from mentor.assistant.evidence import bullets, list_run

    text = "Step 0.4 [I]: Learn SQL basics\n\nLearn:\n- SELECT\n- WHERE\n- JOIN\n- GROUP BY\n\nReason:\nReal data."
    lines = _lines(text)
    where = next(ln for ln in lines if ln.text == "WHERE")
    assert [ln.text for ln in list_run(where)] == ["SELECT", "WHERE", "JOIN", "GROUP BY"]
    quotes: dict[int, str] = {}
    assert bullets([where, lines[-1]], quotes, lists=True) == [
        '- Learn: "SELECT"; "WHERE"; "JOIN"; "GROUP BY" [1]',
        '- Reason: "Real data." [1]',  # a short label over a line names it
    ]
    assert quotes == {1: "WHERE"}
    assert bullets([where], {}) == ['- "WHERE" [1]']  # a comparison quotes the item alone


def test_a_line_that_is_no_short_list_item_is_quoted_alone():
    from mentor.assistant.evidence import list_run

    text = (
        "Tools\n- MLOps Basics\nExperiment tracking, model versioning and rollback.\n- Engineering\nCI and logs.\n"
        "- Docs: https://example.org/a\n- Guide: https://example.org/b\n"
        "- Containerize the model and serve it behind an API with health checks\n- Another long item that says a lot"
    )
    lines = _lines(text, "Tools")
    for line in lines:  # labels between descriptions, links, long sentences: none is one of a short list
        assert list_run(line) == [line]


def test_a_bare_label_is_quoted_as_what_it_holds(ask):
    """'- Engineering' stands over its plain line: the line is quoted, with the label; a short item of a list
    ("- Singular Value Decomposition (SVD)") is its own content and stays."""
    answer = ask("what's covered in the last phase of the zero to llm roadmap, the production one?").answer
    assert '- Engineering: "Containerization, CI, logs/monitoring, and API service deployment." [1]' in answer
    assert '- "Engineering"' not in answer
    answer = ask("do I need SVD before starting ML? it looks scary").answer
    assert '- "Singular Value Decomposition (SVD)" [1]' in answer.splitlines()


SCORES = """
import random
from mentor.assistant.evidence import _bm25, _lexrank
rng = random.Random(7)
vocab = [f"term{i}x" for i in range(60)]
bags = [set(rng.sample(vocab, rng.randint(5, 40))) for _ in range(25)]
print(repr(_bm25(bags, vocab[:50])), repr(list(_lexrank(bags, [1.0] * len(bags)))))
"""


def test_line_scores_are_the_same_floats_whatever_the_hash_seed():
    """Scores summed over a set of words came out a rounding apart from one process to the next (a set's order
    follows the string hash seed), so which of two equal lines was quoted could change between runs: the offline
    mode is deterministic only if they are summed in one order."""
    runs = {
        subprocess.run(
            [sys.executable, "-c", SCORES], env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True
        ).stdout
        for seed in ("0", "1", "2")
    }
    assert len(runs) == 1 and "term" not in next(iter(runs)) and next(iter(runs)).strip()
