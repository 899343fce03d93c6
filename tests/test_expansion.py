"""Document expansion (issue 13's paraphrase retrieval): the learners' words for topics and the
phrasings of roadmap lines are indexed beside the passages they belong to, on the real corpus,
and never shown, quoted or used to recognise a learner's statements."""

import json

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
