import pytest
from conftest import CORPUS

from mentor.corpus.chunks import chunk_corpus, find_links
from mentor.corpus.documents import load_documents
from mentor.corpus.resources import classify, extract_resources, resource_chunk


@pytest.fixture(scope="module")
def setup():
    docs = load_documents(CORPUS)
    records = extract_resources(chunk_corpus(docs), {d.id: d.lines for d in docs})
    return {d.id: d for d in docs}, records


def test_every_url_in_the_roadmaps_becomes_a_record(setup):
    docs, records = setup
    urls_in_text = [u for d in docs.values() for line in d.lines for u in find_links(line)]
    assert len(urls_in_text) == 20
    assert sorted(r.url for r in records) == sorted(urls_in_text)


def test_records_carry_anchor_kind_topic_and_place(setup):
    docs, records = setup
    pandas = next(r for r in records if "pandas playlist" in r.anchor)
    assert pandas.anchor == "Codebasics pandas playlist (first 9)"
    assert pandas.kind == "video playlist"
    assert pandas.topic == "NumPy and Pandas"
    assert pandas.doc == "six-month-weekly" and pandas.section.startswith("Week 9, 10, 11, 12")
    assert pandas.url in docs["six-month-weekly"].lines[pandas.line - 1]
    bare = next(r for r in records if "computers-101" in r.url)
    assert bare.first_line < bare.line and "khan academy course" in bare.context  # the sentence before


def test_kinds():
    assert classify("https://www.youtube.com/playlist?list=X") == "video playlist"
    assert classify("https://www.youtube.com/watch?v=X") == "video"
    assert classify("https://discord.gg/abc") == "community"
    assert classify("https://www.kaggle.com/datasets") == "datasets"
    assert classify("https://github.com/a/b") == "code repository"
    assert classify("https://www.mlflow.org/docs/latest/x.html") == "docs"
    assert classify("https://example.org/") == "web page"


def test_resource_passages_are_verbatim_and_link_out(setup):
    docs, records = setup
    for r in records:
        c = resource_chunk(r)
        assert c.kind == "resource" and c.url == r.url
        assert c.text == "\n".join(docs[r.doc].lines[c.first_line - 1 : c.last_line]).strip("\n")
        assert r.anchor in c.index_text()
