import re

import pytest
from conftest import CORPUS

from mentor.corpus.chunks import MAX_CHARS, chunk_corpus, chunk_document
from mentor.corpus.documents import Document, load_documents

DECORATION = re.compile(r"^\s*([#=_-])\1{4,}\s*$")


@pytest.fixture(scope="module")
def docs():
    return {d.id: d for d in load_documents(CORPUS)}


@pytest.fixture(scope="module")
def chunks(docs):
    return chunk_corpus(list(docs.values()))


def by_section(chunks, doc, fragment):
    found = [c for c in chunks if c.doc == doc and fragment in c.section]
    assert found, f"no chunk of {doc} under {fragment!r}"
    return found


def test_chunk_text_is_a_verbatim_slice_of_the_cleaned_document(docs, chunks):
    for c in chunks:
        lines = docs[c.doc].lines
        assert c.text == "\n".join(lines[c.first_line - 1 : c.last_line])
        assert c.text in docs[c.doc].text
        assert c.text.strip() and c.first_line <= c.last_line


def test_every_line_of_text_is_in_some_chunk(docs, chunks):
    for doc in docs.values():
        covered = {n for c in chunks if c.doc == doc.id for n in range(c.first_line, c.last_line + 1)}
        missing = [
            i + 1
            for i, line in enumerate(doc.lines)
            if line.strip() and not DECORATION.match(line) and i + 1 not in covered
        ]
        assert missing == [], f"{doc.id}: lines {missing} are in no chunk"


def test_chunk_ids_are_unique_and_stable(docs, chunks):
    ids = [c.chunk_id for c in chunks]
    assert len(ids) == len(set(ids))
    again = chunk_corpus(list(docs.values()))
    assert [c.chunk_id for c in again] == ids


def test_chunk_id_follows_text_not_line_numbers(docs):
    doc = docs["zero-to-llm-phases"]
    shifted = Document(doc.id, doc.title, doc.description, doc.path, "\n\n" + doc.text)
    assert [c.chunk_id for c in chunk_document(shifted)] == [c.chunk_id for c in chunk_document(doc)]
    edited = Document(doc.id, doc.title, doc.description, doc.path, doc.text.replace("RAG Engineering", "RAG Eng"))
    changed = {c.chunk_id for c in chunk_document(edited)} ^ {c.chunk_id for c in chunk_document(doc)}
    assert len(changed) == 2  # only the edited passage got a new id


def test_numbered_outline_sections(chunks):
    (c,) = by_section(chunks, "master-curriculum", "Data Handling and Preprocessing › 5.4 Data Preprocessing")
    assert c.section.startswith("Phase 2: The Core")
    assert "5.4.1. Encoding Categorical Features" in c.text and "5.5." not in c.text
    # a run of one-line items is one chunk under its subject heading, not eight tiny ones
    cnn = by_section(chunks, "master-curriculum", "Convolutional Neural Networks (CNNs) for Computer Vision")
    assert len(cnn) == 1 and "12.2. Convolutional Layers" in cnn[0].text and "12.8." in cnn[0].text


def test_phase_banners_and_steps(chunks):
    (step,) = by_section(chunks, "learning-algorithm", "Step 1.2")
    assert step.section.startswith("PHASE 1 — CORE MACHINE LEARNING")
    assert "Implement same Linear Regression" in step.text and "Step 1.3" not in step.text
    (summary,) = by_section(chunks, "learning-algorithm", "FINAL DEPENDENCY SUMMARY")
    assert "Deep Learning → AFTER classical ML" in summary.text


def test_week_headings_and_markdown_subsections(chunks):
    (sql,) = by_section(chunks, "six-month-weekly", "Week 5, 6 › SQL Basics")
    assert "Kudavenkat SQL playlist" in sql.text
    assert len(sql.links) == 2


def test_short_phase_roadmap_and_emoji_headings(chunks):
    (llm,) = by_section(chunks, "zero-to-llm-phases", "Phase 4 - LLM and Agents")
    assert "RAG Engineering" in llm.text and "Phase 5" not in llm.text
    # label lines ("💼 Libraries:") stay with their short phase...
    (phase,) = by_section(chunks, "libraries-and-math", "Phase 3: Intermediate ML + Model Selection")
    assert "xgboost" in phase.text and "🛠 Example Tasks:" in phase.text and "Phase 4" not in phase.text
    # ...and split a section only when it is too long for one passage
    (stats,) = by_section(chunks, "libraries-and-math", "Probability & Statistics › Statistics")
    assert stats.text.startswith("Statistics\n") and "Central Limit Theorem" in stats.text
    done = by_section(chunks, "libraries-and-math", "Phase 1: Python Basics")
    assert any("✅Done" in c.text for c in done)  # the learner's mark stays citable


def test_chunks_are_small_enough_to_cite(chunks):
    sizes = sorted(len(c.text) for c in chunks)
    assert sizes[len(sizes) // 2] < 300  # median passage is a few lines
    assert max(sizes) <= MAX_CHARS
