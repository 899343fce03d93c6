"""The curriculum graph as data: sound, sourced, and faithful to the learning-algorithm
roadmap's explicit dependency summary."""

import json

import pytest
from conftest import CORPUS, ROOT

from mentor.errors import CorpusError, UnknownTopic
from mentor.learning.curriculum import Edge, load_curriculum
from mentor.learning.validation import validate


def test_graph_is_sound(deps, cur):
    assert len(cur.topics) >= 60
    problems = validate(cur, {d.id: d.text for d in deps.documents}, set(deps.resource_index))
    assert problems == []


def test_validation_catches_faults(deps, tmp_path):
    import shutil

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    text = (corpus / "curriculum.yaml").read_text()
    broken = text.replace('quote: "2.1. Core Python"', 'quote: "2.1. Core Pythonesque"', 1)
    (corpus / "curriculum.yaml").write_text(broken)
    cur = load_curriculum(corpus)
    problems = validate(cur, {d.id: d.text for d in deps.documents}, set(deps.resource_index))
    assert any("Core Pythonesque" in p for p in problems)
    # a cycle: make python-basics need a topic that needs it
    cur = load_curriculum(CORPUS)
    cur.edges.append(Edge("neural-networks", "python-basics", "judgement", None, None, "test"))
    cur.topics["python-basics"].prerequisites.append("neural-networks")
    problems = validate(cur, {d.id: d.text for d in deps.documents}, set(deps.resource_index))
    assert any("cycle" in p for p in problems)
    (corpus / "curriculum.yaml").write_text("topics: [")
    with pytest.raises(CorpusError):
        load_curriculum(corpus)


def test_every_edge_says_where_it_comes_from(cur):
    """Hard edges cite roadmap text; our own judgement may only order (soft edges)."""
    assert {e.kind for e in cur.edges} == {"tag", "summary", "order"}
    for e in cur.edges:
        assert e.doc and e.quote
    assert {e.kind for e in cur.soft_edges} >= {"order", "judgement"}
    for e in cur.soft_edges:
        assert (e.doc and e.quote) or (e.kind == "judgement" and e.note)
    assert len(cur.soft_edges) >= 60  # the review of issue 13 made most judgement edges soft


def test_soft_edges_are_checked_like_hard_ones(deps, corpus_copy):
    docs = {d.id: d.text for d in deps.documents}
    text = (corpus_copy / "curriculum.yaml").read_text()
    quote = "Tokenization, embeddings, and the move toward Transformer-based methods."
    assert text.count(quote) >= 2
    (corpus_copy / "curriculum.yaml").write_text(
        text.replace(
            f'kind: order, doc: zero-to-llm-phases, quote: "{quote}"',
            'kind: order, doc: zero-to-llm-phases, quote: "the move toward nowhere"',
            1,
        )
    )
    problems = validate(load_curriculum(corpus_copy), docs, set(deps.resource_index))
    assert any("the move toward nowhere" in p for p in problems)
    cur = load_curriculum(CORPUS)  # a soft edge against a prerequisite makes a cycle
    cur.soft_edges.append(Edge("scikit-learn", "pandas", "judgement", None, None, "test"))
    cur.topics["pandas"].after.append("scikit-learn")
    assert any("soft edges make a cycle" in p for p in validate(cur, docs, set(deps.resource_index)))
    cur = load_curriculum(CORPUS)  # our own judgement cannot gate
    cur.edges.append(Edge("git", "linux", "judgement", None, None, "test"))
    cur.topics["linux"].prerequisites.append("git")
    assert any("must cite roadmap text" in p for p in validate(cur, docs, set(deps.resource_index)))


def test_backbone_follows_the_learning_algorithm(cur):
    steps = [s.name for s in cur.backbone]
    assert steps[:5] == ["0.1", "0.2", "0.3", "0.4", "1.1"] and cur.backbone_doc == "learning-algorithm"
    assert cur.step("python-basics").track == "path" and cur.step("git").track == "anytime"
    assert cur.step("linear-algebra").track == "parallel" and cur.step("transformers") is None
    assert cur.step("ml-fundamentals").index < cur.step("hands-on-ml-book").index < cur.step("ml-deployment").index


def test_dependency_summary_holds(cur):
    """learning-algorithm: Python first; theory and scikit-learn in parallel; maths parallel
    support, not a blocker; deep learning after classical ML; deployment after projects;
    MLOps after deployment."""
    assert cur.topics["python-basics"].prerequisites == []
    foundations = {t.id for t in cur.topics.values() if t.phase == "foundations"}
    for t in cur.topics.values():
        if t.id not in foundations:
            assert "python-basics" in cur.ancestors(t.id), t.id
    theory, sklearn = "ml-fundamentals", "scikit-learn"
    assert sklearn in cur.topics[theory].parallel
    assert sklearn not in cur.ancestors(theory) and theory not in cur.ancestors(sklearn)
    maths = {t.id for t in cur.topics.values() if t.phase == "maths"}
    for first in ("ml-fundamentals", "linear-regression", "logistic-regression", "scikit-learn"):
        assert not (maths & cur.ancestors(first)), first
    assert maths & set(cur.topics["ml-fundamentals"].parallel)
    assert "classical-ml-projects" in cur.ancestors("neural-networks")
    assert "linear-regression" in cur.ancestors("neural-networks")
    assert "classical-ml-projects" in cur.ancestors("ml-deployment")
    for t in cur.topics.values():
        if t.phase == "mlops":
            assert "ml-deployment" in cur.ancestors(t.id), t.id


def test_disagreements_stay_visible(cur):
    assert len(cur.conflicts) >= 4
    for c in cur.conflicts:
        assert all(t in cur.topics for t in c["topics"])
        assert len({s["doc"] for s in c["sources"]}) >= 2  # two roadmaps that disagree


@pytest.mark.parametrize(
    "text,expected",
    [
        ("deep learning", "neural-networks"),
        ("dl", "neural-networks"),
        ("neural nets", "neural-networks"),
        ("I know pandas", "pandas"),
        ("sklearn", "scikit-learn"),
        ("LR", "linear-regression"),
        ("logistic reg", "logistic-regression"),
        ("k-means", "clustering"),
        ("xgboost", "boosting"),
        ("mlflow", "experiment-tracking"),
        ("Transformers", "transformers"),
        ("linear regresion", "linear-regression"),
    ],
)
def test_topic_lookup(cur, text, expected):
    assert cur.resolve(text).id == expected


def test_unknown_topic_suggests_instead_of_guessing(cur):
    with pytest.raises(UnknownTopic) as err:
        cur.resolve("quantum basket weaving")
    assert "no topic matches" in str(err.value)
    topic, suggestions = cur.find("regression")
    assert topic is None and {"linear-regression", "logistic-regression"} & {s.id for s in suggestions}


def test_passages_are_linked_to_topics(lsa_settings):
    from mentor.search.builds import active_dir

    folder = active_dir(lsa_settings.index_dir)
    passages = [json.loads(line) for line in open(folder / "passages.jsonl")]
    linked = [p for p in passages if p["topics"]]
    assert len(linked) / len(passages) > 0.8
    step = next(p for p in passages if "Step 1.2" in p["section"])
    assert "scikit-learn" in step["topics"]
    pandas = next(p for p in passages if p["kind"] == "resource" and "pandas playlist" in p["text"])
    assert "pandas" in pandas["topics"]


def test_graph_cases_file_is_current(cur):
    from mentor.evaluation.datasets import graph_cases

    on_disk = [json.loads(line) for line in open(ROOT / "evals" / "graph_cases.jsonl")]
    assert on_disk == graph_cases(cur), "run `make graph-cases` after changing the graph"
    edges = {(e.source, e.target) for e in cur.edges}
    covered = {(p, c["topic"]) for c in on_disk if c["id"].startswith("prereq-") for p in c["expected_topics"]}
    assert covered == edges  # every hard edge has its case
    assert sum(1 for c in on_disk if c["id"].startswith("next-")) >= 20


def test_a_roadmaps_own_name_names_no_topic():
    cur = load_curriculum(ROOT / "corpus")
    named = [t for _, _, t in cur.mention_spans("does the zero to llm roadmap want a portfolio?")]
    assert "llm-basics" not in named
    assert "llm-basics" not in [t for _, _, t in cur.mention_spans("in the llm roadmap, what about rag?")]
    assert "llm-basics" in [t for _, _, t in cur.mention_spans("I finished llms")]
    assert [t for t, _ in cur.mentions("the maths roadmap says calculus")] == ["calculus"]


def test_mention_spans_are_worked_out_once_and_not_shared_for_editing():
    cur = load_curriculum(ROOT / "corpus")
    first = cur.mention_spans("numpy and pandas")
    first.append((0, 0, "junk"))  # a caller editing its list edits nobody else's
    assert cur.mention_spans("numpy and pandas") == first[:-1]
    assert [t for _, _, t in first[:-1]] == ["numpy", "pandas"]
    long = "pandas " * 100  # longer than what is kept: worked out each time, the same
    assert cur.mention_spans(long) == cur.mention_spans(long)
