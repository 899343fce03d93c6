"""The line ranking offline answers quote from: its PageRank is networkx's, computed on the
similarity matrix directly (checked here against networkx itself on varied line sets)."""

import random

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
