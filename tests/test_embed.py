"""The real sentence-transformers path, with tiny models the tests build themselves
(tests/tiny_models.py). They exercise loading, indexing and reranking code; they say nothing
about answer quality."""

import importlib.util
import shutil

import numpy as np
import pytest
from conftest import make_settings

from mentor.config import DEFAULT_ST_MODEL
from mentor.errors import ConfigError
from mentor.search import index
from mentor.search.embed import LsaEmbedder, choose_backend

needs_st = pytest.mark.skipif(
    importlib.util.find_spec("sentence_transformers") is None, reason="sentence-transformers not installed"
)


@pytest.fixture(scope="session")
def tiny_st(tmp_path_factory, corpus_texts):
    from tiny_models import build_sentence_transformer

    return build_sentence_transformer(tmp_path_factory.mktemp("models") / "tiny-st", corpus_texts)


@pytest.fixture(scope="session")
def tiny_ce(tmp_path_factory, corpus_texts):
    from tiny_models import build_cross_encoder

    return build_cross_encoder(tmp_path_factory.mktemp("models") / "tiny-ce", corpus_texts)


def test_lsa_is_content_sensitive(corpus_texts):
    emb = LsaEmbedder()
    emb.fit(corpus_texts)
    a, b, c = emb.embed_documents(["pandas dataframes", "pandas dataframe", "docker containers kubernetes"])
    assert np.isclose(np.linalg.norm(a), 1.0)
    assert a @ b > a @ c + 0.2


def test_auto_falls_back_to_lsa_without_weights(tmp_path):
    choice = choose_backend(make_settings(tmp_path, embed="auto"))
    assert choice.spec == "lsa" and "no local weights" in choice.reason


@needs_st
def test_auto_picks_local_default_model(tmp_path, tiny_st):
    settings = make_settings(tmp_path, embed="auto")
    shutil.copytree(tiny_st, settings.models_dir / DEFAULT_ST_MODEL.replace("/", "--"))
    choice = choose_backend(settings)
    assert choice.spec == f"sentence-transformers:{DEFAULT_ST_MODEL}"


def test_missing_weights_and_unknown_backend_are_clear(tmp_path):
    with pytest.raises(ConfigError, match="mentor models pull"):
        choose_backend(make_settings(tmp_path, embed="sentence-transformers:nobody/no-model"))
    with pytest.raises(ConfigError, match="unknown embedding backend"):
        choose_backend(make_settings(tmp_path, embed="word2vec"))


@needs_st
def test_ingest_and_search_with_a_sentence_transformers_model(tmp_path, tiny_st):
    from mentor.search.index import open_index
    from mentor.search.retrieve import Retriever

    settings = make_settings(tmp_path, embed=f"sentence-transformers:{tiny_st}")
    manifest = index.build(settings, progress=False)
    assert manifest["embedding"]["backend"] == "sentence-transformers"
    assert manifest["embedding"]["dims"] == 32
    idx, state = open_index(settings)
    assert state.state == "fresh"
    retriever = Retriever(idx, settings)
    dense = retriever.search("pandas dataframes", k=5, mode="dense")
    assert len(dense.hits) == 5 and dense.hits[0].score >= dense.hits[-1].score
    # the same index refuses a different backend with a clear message
    with pytest.raises(Exception, match="mentor ingest"):
        open_index(settings.with_overrides(embed="lsa"))


@needs_st
def test_cross_encoder_reranks_the_fused_pool(lsa_settings, tiny_ce):
    from mentor.search.index import open_index
    from mentor.search.retrieve import Retriever, make_reranker

    settings = lsa_settings.with_overrides(rerank=f"cross-encoder:{tiny_ce}")
    idx, _ = open_index(settings)
    retriever = Retriever(idx, settings, make_reranker(settings))
    plain = retriever.search("xgboost gradient boosting", k=20, rerank=False)
    reranked = retriever.search("xgboost gradient boosting", k=20, rerank=True)
    scores = [h.score for h in reranked.hits]
    assert scores == sorted(scores, reverse=True)
    assert {h.chunk.chunk_id for h in reranked.hits} == {h.chunk.chunk_id for h in plain.hits}
    expected = retriever.reranker.scores(reranked.query, [h.chunk.index_text() for h in reranked.hits])
    assert np.allclose(scores, expected)  # the order is the cross-encoder's, not the fusion's


def test_unknown_reranker_is_clear(lsa_settings):
    from mentor.search.retrieve import make_reranker

    with pytest.raises(ConfigError, match="cross-encoder"):
        make_reranker(lsa_settings.with_overrides(rerank="colbert"))
    with pytest.raises(ConfigError, match="mentor models pull"):
        make_reranker(lsa_settings.with_overrides(rerank="cross-encoder:nobody/none"))


def test_lsa_query_features_match_scikit_learn(corpus_texts):
    """Queries are embedded without scikit-learn; the features must equal TfidfVectorizer's."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from mentor.search.embed import _Tfidf

    probes = corpus_texts[:40] + ["wich libary for boosting?", "C++ / CUDA", "a", "", "Ünïcode naïve  café", "x" * 300]
    for kwargs in ({"ngram_range": (1, 2), "stop_words": "english"}, {"analyzer": "char_wb", "ngram_range": (3, 5)}):
        ref = TfidfVectorizer(sublinear_tf=True, **kwargs).fit(corpus_texts)
        ours = _Tfidf(kwargs.get("analyzer", "word"), ref.vocabulary_, ref.idf_, frozenset(ref.get_stop_words() or ()))
        assert np.allclose(ours.transform(probes).toarray(), ref.transform(probes).toarray())


def test_lsa_fits_a_large_corpus_on_a_sample_and_embeds_it_in_batches(corpus_texts, tmp_path, monkeypatch):
    monkeypatch.setattr(LsaEmbedder, "FIT_SAMPLE", 40)
    monkeypatch.setattr(LsaEmbedder, "BATCH", 25)
    emb = LsaEmbedder(dims=16)
    emb.fit(corpus_texts)
    batched = emb.embed_documents(corpus_texts)
    monkeypatch.setattr(LsaEmbedder, "BATCH", 100_000)
    assert batched.shape == (len(corpus_texts), 16)
    assert np.allclose(batched, emb.embed_documents(corpus_texts), atol=1e-6)
    emb.save(tmp_path)  # queries are embedded by the loaded model, without scikit-learn: the same vectors
    assert np.allclose(LsaEmbedder.load(tmp_path).embed_documents(corpus_texts[:20]), batched[:20], atol=1e-5)
