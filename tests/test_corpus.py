import re

import pytest
from conftest import CORPUS

from mentor.corpus import documents as corpus
from mentor.errors import CorpusError

MOJIBAKE = re.compile(r"â€|Ã.|ðŸ|ğŸ|â†|âœ|âš")


def test_five_roadmaps_load_with_titles():
    docs = corpus.load_documents(CORPUS)
    assert [d.id for d in docs] == [
        "learning-algorithm",
        "master-curriculum",
        "six-month-weekly",
        "zero-to-llm-phases",
        "libraries-and-math",
    ]
    assert all(d.title and d.description for d in docs)


def test_raw_files_hold_mojibake_and_loading_repairs_it():
    raw = (CORPUS / "roadmaps" / "libraries-and-math.txt").read_text(encoding="utf-8")
    assert MOJIBAKE.search(raw), "the seed is expected to carry broken encoding"
    docs = {d.id: d for d in corpus.load_documents(CORPUS)}
    for doc in docs.values():
        assert not MOJIBAKE.search(doc.text), doc.id
    assert "# 🤖 MACHINE LEARNING ENGINEER" in docs["learning-algorithm"].text
    assert "PHASE 0 — PROGRAMMING FOUNDATION" in docs["learning-algorithm"].text
    assert "theory → implementation" in docs["learning-algorithm"].text
    assert "🟢 Phase 1: Python Basics   ✅Done" in docs["libraries-and-math"].text
    assert "Here’s a layered view:" in docs["libraries-and-math"].text


def test_cleaning_keeps_lines_and_untouched_text():
    for doc in corpus.load_documents(CORPUS):
        raw_lines = doc.path.read_text(encoding="utf-8").split("\n")
        assert len(raw_lines) == len(doc.lines)
        for raw, clean in zip(raw_lines, doc.lines):
            if raw.isascii():
                assert raw == clean  # ascii text is never rewritten


def test_clean_text_repairs_common_mojibake():
    assert corpus.clean_text("cafÃ© â€” naÃ¯ve") == "café — naïve"
    assert corpus.clean_text("a\r\nb\rc") == "a\nb\nc"


def test_fingerprint_follows_content(corpus_copy):
    before = corpus.fingerprint(corpus_copy)
    assert corpus.fingerprint(corpus_copy) == before
    path = corpus_copy / "roadmaps" / "zero-to-llm-phases.txt"
    path.write_text(path.read_text() + "\nnew line\n")
    assert corpus.fingerprint(corpus_copy) != before


def test_malformed_sources_is_a_clear_error(corpus_copy):
    (corpus_copy / "sources.yaml").write_text("documents: [ {id: x} ]\n")
    with pytest.raises(CorpusError, match="lacks"):
        corpus.load_documents(corpus_copy)
    (corpus_copy / "sources.yaml").write_text("documents: [\n")
    with pytest.raises(CorpusError, match="malformed"):
        corpus.load_documents(corpus_copy)


def test_missing_roadmap_file_is_a_clear_error(corpus_copy):
    (corpus_copy / "roadmaps" / "six-month-weekly.md").unlink()
    with pytest.raises(CorpusError, match="six-month-weekly"):
        corpus.load_documents(corpus_copy)
