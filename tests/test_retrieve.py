import pytest
from conftest import ROOT

from mentor.config import MAX_QUERY_CHARS
from mentor.errors import ConfigError, UsageError
from mentor.evaluation.retrieval import first_relevant_rank, load_cases, score
from mentor.search.retrieve import rrf, weighted


def texts(result):
    return [h.chunk.text for h in result.hits]


def test_hits_carry_citation_fields(retriever):
    result = retriever.search("how do I deploy a model with docker", k=5)
    assert [h.rank for h in result.hits] == [1, 2, 3, 4, 5]
    d = result.hits[0].to_dict()
    assert set(d) >= {"rank", "score", "text", "chunk_id", "doc", "title", "section", "lines", "url"}
    assert d["lines"][0] <= d["lines"][1]


def test_survives_typos_and_casing(retriever):
    result = retriever.search("wich libary for boosting", k=5)
    assert first_relevant_rank(texts(result), ["xgboost", "Gradient Boosting"]) is not None
    upper = retriever.search("WHICH LIBRARY FOR BOOSTING", k=5)
    lower = retriever.search("which library for boosting", k=5)
    assert [h.chunk.chunk_id for h in upper.hits] == [h.chunk.chunk_id for h in lower.hits]


def test_linked_resources_are_found(retriever):
    result = retriever.search("where can i learn pandas", k=3)
    resources = [h for h in result.hits if h.chunk.kind == "resource"]
    assert resources and "youtube.com/playlist" in resources[0].chunk.url


def test_abbreviations_expand(retriever):
    assert retriever.rewriter.rewrite("dl after ml?").count("deep learning") == 1
    result = retriever.search("when should i start dl", k=5)
    assert any("deep learning" in t.lower() for t in texts(result))


def test_typo_repair_uses_corpus_vocabulary(retriever):
    fixes = retriever.rewriter.corrections("libary kubernetis")
    assert fixes == {"libary": "library", "kubernetis": "kubernetes"}
    assert retriever.rewriter.corrections("pandas library") == {}


def test_each_mode_ranks_and_unknown_mode_is_refused(retriever):
    for mode in ("bm25", "dense", "hybrid"):
        result = retriever.search("sql joins group by", k=4, mode=mode)
        assert 0 < len(result.hits) <= 4
        assert [h.score for h in result.hits] == sorted((h.score for h in result.hits), reverse=True)
    with pytest.raises(ConfigError):
        retriever.search("sql", mode="magic")


def test_bad_queries(retriever):
    with pytest.raises(UsageError, match="empty"):
        retriever.search("   \n\t ")
    with pytest.raises(UsageError, match="empty"):
        retriever.search("\x00\x07")
    long = retriever.search("pandas " * 400, k=3)
    assert long.notices and str(MAX_QUERY_CHARS) in long.notices[0] and len(long.query) <= MAX_QUERY_CHARS
    nonsense = retriever.search("zzqx vvbnm", k=5, mode="bm25")
    assert nonsense.hits == []


def test_fusion_functions():
    fused = rrf([[1, 2, 3], [3, 1]], k=60)
    assert max(fused, key=fused.get) == 1 and fused[3] > fused[2]
    w = weighted([[(1, 10.0), (2, 0.0)], [(2, 0.9), (3, 0.1)]], [0.5, 0.5])
    assert w[1] == pytest.approx(0.5) and w[2] == pytest.approx(0.5) and w[3] == pytest.approx(0.0)


def test_retrieval_quality_on_the_eval_set(retriever):
    """A regression guard on quality (not speed): hybrid must stay above the issue's targets
    and at least as good as the better single retriever."""
    cases = load_cases(ROOT / "evals" / "retrieval.jsonl")
    results = {}
    for mode in ("bm25", "dense", "hybrid"):
        ranks = [
            first_relevant_rank(texts(retriever.search(c["question"], k=10, mode=mode)), c["reference_contexts"])
            for c in cases
        ]
        results[mode] = score(ranks, [c["question"] for c in cases])
    hybrid = results["hybrid"]
    assert hybrid.hit5 >= 0.95 and hybrid.mrr >= 0.80, hybrid.misses
    assert hybrid.hit5 >= max(results["bm25"].hit5, results["dense"].hit5)


def test_eval_set_is_well_formed():
    from mentor.corpus.documents import load_documents

    cases = load_cases(ROOT / "evals" / "retrieval.jsonl")
    assert len(cases) >= 60
    assert len({c["id"] for c in cases}) == len(cases)
    corpus = " ".join(" ".join(d.text.split()).lower() for d in load_documents(ROOT / "corpus"))
    for c in cases:
        for phrase in c["reference_contexts"]:
            assert " ".join(phrase.split()).lower() in corpus, (c["id"], phrase)
    tags = [t for c in cases for t in c["tags"]]
    assert tags.count("typo") >= 5 and tags.count("resource") >= 10 and tags.count("paraphrase") >= 10
