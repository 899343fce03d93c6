"""Document expansion (issue 13's paraphrase retrieval): the learners' words for topics and the
phrasings of roadmap lines are indexed beside the passages they belong to, on the real corpus,
and never shown, quoted or used to recognise a learner's statements."""

import json

import numpy as np
import pytest
import yaml
from conftest import CORPUS, make_settings, run_cli

from mentor.errors import CorpusError
from mentor.search.expansion import index_texts, load_questions, load_words
from mentor.search.index import gather_passages


@pytest.fixture(scope="module")
def built(cur):
    chunks, _, _ = gather_passages(make_settings(CORPUS.parent / "build" / "unused"))
    questions = load_questions(CORPUS)
    texts, stale = index_texts(chunks, load_words(CORPUS, cur), questions, cur)
    return chunks, questions, texts, stale


def test_every_phrasing_is_anchored_in_a_passage_of_its_roadmap(built):
    chunks, questions, _, stale = built
    assert len(questions) >= 500
    assert {q.doc for q in questions} == {c.doc for c in chunks if c.kind == "passage"}
    assert stale == [], f"anchors no passage holds (the roadmap changed?): {stale[:5]}"


def test_every_passage_is_expanded_and_keeps_its_own_text_first(built):
    chunks, _, texts, _ = built
    for chunk, text in zip(chunks, texts):
        assert text.startswith(chunk.index_text())
        if chunk.kind == "passage":
            assert len(text) > len(chunk.index_text()), f"no learner phrasing for {chunk.section}"


def test_learner_words_name_only_curriculum_topics_and_each_once(cur):
    words = load_words(CORPUS, cur)
    assert set(words) == set(cur.topics)
    phrases = [p for ps in words.values() for p in ps]
    assert len(phrases) == len(set(phrases))


def test_a_learners_phrasing_finds_its_line_though_no_word_is_shared(retriever):
    """The first phrasing of every anchor, searched: the anchor's passage in the top five for
    nearly all (the expansion is what bridges the words; without it most of these find nothing)."""
    found = total = 0
    for q in load_questions(CORPUS):
        total += 1
        hits = retriever.search(q.asks[0], k=5).hits
        found += any(h.chunk.doc == q.doc and q.anchor in h.chunk.text for h in hits)
    assert found / total >= 0.9, f"{found}/{total}"


def test_the_expansion_is_indexed_but_never_shown(retriever, lsa_settings, built):
    hits = retriever.search("is there something like git but for big data files", k=5).hits
    assert any("DVC" in h.chunk.text for h in hits)
    words = yaml.safe_load((CORPUS / "learner_words.yaml").read_text())["words"]
    shown = " ".join(h.chunk.text for h in hits).lower()
    assert not any(p in shown for p in words["data-versioning"] if len(p.split()) > 2)
    rows = [json.loads(line) for line in (lsa_settings.index_dir / "active" / "passages.jsonl").open()]
    assert [r["text"] for r in rows] == [c.text for c in built[0]]  # the stored passages: the roadmaps' text


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("questions/x.yaml", "doc: [unclosed", "not a questions file"),
        ("questions/x.yaml", "questions: []", "not a questions file"),  # no doc
        ("questions/x.yaml", "doc: x\nquestions:\n  - asks: [a]", "not a questions file"),  # no anchor
        ("learner_words.yaml", "words:\n  no-such-topic: [a]", "does not have: no-such-topic"),
        ("learner_words.yaml", "words:\n  numpy: arrays", "must map each topic id to a list"),
        ("learner_words.yaml", "words: [", "not a words file"),
    ],
)
def test_a_damaged_expansion_file_stops_ingest_with_its_name(corpus_copy, tmp_path, name, content, message):
    (corpus_copy / name).parent.mkdir(exist_ok=True)
    (corpus_copy / name).write_text(content)
    env = {"MENTOR_CORPUS_DIR": str(corpus_copy), "MENTOR_INDEX_DIR": str(tmp_path / "i"), "MENTOR_EMBED": "lsa"}
    done = run_cli("ingest", "--no-progress", env={**env, "MENTOR_HOME": str(tmp_path / "h")})
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert message in done.stderr and name.split("/")[-1] in done.stderr
    with pytest.raises(CorpusError):
        load_questions(corpus_copy) if name.startswith("questions") else load_words(corpus_copy, _cur(corpus_copy))


def _cur(folder):
    from mentor.learning.curriculum import load_curriculum

    return load_curriculum(folder)


def test_a_passage_is_as_close_as_its_closest_phrasing_and_the_top_k_is_exact(retriever):
    """The dense side's multi-vector score: the k passages `dense` returns are the k best of
    max(own cosine, closest phrasing's cosine) over every passage, worked out by brute force here
    from the stored vectors (queries naming no topic: the topic bridge moves the query vector)."""
    import numpy as np

    index = retriever.index
    assert len(index.phrasings.owners) > 1000  # each learner phrasing has its own vector
    index.nearest(np.ones(index.phrasings.vectors.shape[1], np.float32), 1)  # reads the stored vectors
    ids, unit = index._exact
    position = {c.chunk_id: i for i, c in enumerate(index.chunks)}
    compared = 0
    for query in ("somewhere to keep the runs i tried", "penalty terms to stop overfitting", "the thing with the bell"):
        if index.topics.match(retriever.rewriter.expand(query).text):
            continue
        vector = index.embedder.embed_query(query)
        vector = vector / np.linalg.norm(vector)
        brute = np.full(len(index.chunks), -1.0)
        for chunk_id, row in zip(ids, unit):
            brute[position[chunk_id]] = float(row @ vector)
        for owner, row in zip(index.phrasings.owners, index.phrasings.vectors):
            brute[position[owner]] = max(brute[position[owner]], float(row @ vector))
        got = retriever.dense(query, k=10)
        expected = sorted(range(len(brute)), key=lambda p: (-brute[p], p))[:10]
        assert [p for p, _ in got] == expected
        assert np.allclose([s for _, s in got], brute[expected], atol=1e-5)
        compared += 1
    assert compared >= 2


def test_the_phrasing_vectors_are_part_of_the_build_and_checked(lsa_settings, tmp_path):
    """phrasings.npy/.json are in the manifest's checksums: a damaged one is found and named, and
    one that does not match its owners is refused when loading."""
    import numpy as np

    from mentor.errors import IndexDamaged
    from mentor.search.builds import find_damage, load_manifest
    from mentor.search.expansion import PhrasingVectors

    folder = (lsa_settings.index_dir / "active").resolve()
    manifest = load_manifest(folder)
    assert {"phrasings.npy", "phrasings.json"} <= set(manifest["files"])
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "phrasings.json").write_text(json.dumps({"owners": ["a", "b"], "lines": ["x", "y"]}))
    np.save(copy / "phrasings.npy", np.zeros((3, 4), np.float32))
    with pytest.raises(IndexDamaged, match="do not match"):
        PhrasingVectors.load(copy)
    (copy / "phrasings.npy").write_bytes(b"not numpy")
    with pytest.raises(IndexDamaged, match="phrasings.npy"):
        PhrasingVectors.load(copy)
    assert find_damage(folder, manifest) is None


@pytest.mark.parametrize(
    "vectors,owners,message",
    [
        (np.zeros((2, 7), np.float32), ["a", "b"], "7 dimensions"),  # another embedding's
        (np.array([[np.nan] * 5, [0.0] * 5], np.float32), ["a", "b"], "no finite float vectors"),
        (np.ones((2, 5), np.int64), ["a", "b"], "no finite float vectors"),
        (np.zeros((2, 5), np.float32), ["a", 3], "do not match"),
    ],
)
def test_phrasing_vectors_that_do_not_fit_the_build_are_refused(tmp_path, vectors, owners, message):
    from mentor.errors import IndexDamaged
    from mentor.search.expansion import PhrasingVectors

    np.save(tmp_path / "phrasings.npy", vectors, allow_pickle=False)
    (tmp_path / "phrasings.json").write_text(json.dumps({"owners": owners, "lines": ["line"] * len(owners)}))
    with pytest.raises(IndexDamaged, match=message):
        PhrasingVectors.load(tmp_path, dims=5)
    (tmp_path / "phrasings.json").write_text("[")
    with pytest.raises(IndexDamaged, match="phrasings.json"):  # the file that is wrong is named
        PhrasingVectors.load(tmp_path, dims=5)


def test_a_search_names_the_lines_its_closest_learner_phrasings_ask_for(retriever):
    """Each phrasing keeps the roadmap line it was written for; a search returns the lines of the
    phrasings closest to the query, with their passage and cosine."""
    result = retriever.search("tricks to keep a big net from memorising the training set?", k=5)
    assert result.lines and all(0 < score <= 1.0001 for _, _, score in result.lines)
    assert all(line in chunk.text for chunk, line, _ in result.lines)  # verbatim in its passage
    assert any("Regularization" in line or "Dropout" in line for _, line, _ in result.lines)
