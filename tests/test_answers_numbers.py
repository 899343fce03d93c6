"""Where a learner finds what an answer quotes: an outline entry is quoted and placed with its number
("21.1. Unit Testing (…)", "Phase 4: …: 16.4 Orchestration (…)"); a coverage question's example ("… like
shap") is what its quote shows; "is it X or Y first?" is an order question, with the roadmap's own words
for that order."""

from __future__ import annotations

import re

from mentor.assistant.citations import sentences
from mentor.assistant.evidence import Line, numbered
from mentor.corpus.chunks import Chunk


def _chunk(text: str) -> Chunk:
    return Chunk("c1", "master-curriculum", "Master", "Testing", "Software Testing", 1, 9, text)


def test_an_outline_entry_is_quoted_with_its_number_as_the_passage_writes_it():
    chunk = _chunk(
        "Software Testing\n\n21.1. Unit Testing (e.g., using unittest or pytest)\n21.2.  Integration\nPlain line."
    )
    pieces = sentences(chunk.text)  # the split is as before: the number is a piece of its own
    assert pieces[:3] == ["Software Testing", "21.1.", "Unit Testing (e.g., using unittest or pytest)"]
    lines = [Line(1, chunk, text, i, False, "") for i, text in enumerate(pieces)]
    assert numbered(lines[2]) == "21.1. Unit Testing (e.g., using unittest or pytest)"
    assert numbered(lines[4]) == "21.2.  Integration"  # verbatim, its spacing kept
    assert numbered(lines[5]) == "Plain line."  # no number before it
    assert numbered(lines[0]) == "Software Testing"


def test_a_number_that_is_not_on_the_entrys_line_is_not_borrowed():
    chunk = _chunk("Intro\n13.\nSomething said on a line of its own")
    pieces = sentences(chunk.text)
    lines = [Line(1, chunk, text, i, False, "") for i, text in enumerate(pieces)]
    assert numbered(lines[2]) == "Something said on a line of its own"


def test_a_quoted_entry_keeps_its_number_and_stays_a_valid_citation(ask):
    answer = ask("do i really need to learn unit testing as a career changer")
    assert '"21.1. Unit Testing (e.g., using unittest or pytest)"' in answer.answer
    quoted = re.findall(r'^- "(.*)" \[\d+\]$', answer.answer, re.MULTILINE)
    assert len(quoted) >= 2 and all(any(q in c.text for c in answer.sources) for q in quoted)  # verbatim


def test_a_section_is_placed_with_its_number(ask):
    answer = ask("is kubernetes in the master curriculum?").answer
    assert answer.startswith(
        "Yes: master-curriculum has kubernetes in Phase 4: The System - MLOps & Deployment: 16.4 Orchestration "
        "(Introduction to Kubernetes for scaling)."
    )


def test_the_example_a_coverage_question_names_is_what_its_quote_shows(ask):
    head, first, *_ = ask("master curriculum - does it cover explainability stuff like shap").answer.splitlines()
    assert head.startswith("Yes: master-curriculum has explainability in Phase 6")
    assert first.startswith('- "26.2. Techniques: LIME, SHAP, Permutation Importance"')
    # "like" is no example: the answer without one is as before
    head, first, *_ = ask("does the 6 month plan cover deep learning").answer.splitlines()
    assert first.startswith('- "Deep learning')


def test_is_it_x_or_y_first_is_answered_in_the_roadmaps_order(ask):
    head = ask("in the dependency-correct roadmap is it mlops or deployment first?").answer.splitlines()[0]
    assert head.startswith("In learning-algorithm's order: Deploying a full ML system (PHASE 5")
    assert head.index("Deploying") < head.index("MLOps fundamentals")
    assert '("MLOps → AFTER deployment")' in head  # the roadmap's own words for that order
    head = ask("is it cnns or rnns first in the master curriculum?").answer.splitlines()[0]
    assert head.startswith("In master-curriculum's order: CNNs & computer vision (Phase 3")
    # a coverage question that is no order question stays one
    assert ask("is it pytorch or keras in the master curriculum?").answer.startswith("Yes: master-curriculum has")
    # "should i learn X or Y first?" asks a decision, as before
    assert ask("should i learn sql or pandas first?").answer.startswith("No: SQL & relational databases is independent")


def test_what_comes_right_before_quotes_the_end_of_the_section_before_and_the_line_leading_in(ask):
    answer = ask("in the llm roadmap what comes right before the transformer stuff, like what sets you up for it")
    head, *quotes = answer.answer.splitlines()
    assert "right before it comes Phase 1 - Machine Learning Fundamentals" in head
    assert quotes[0] == '- "Understand supervised learning, loss, optimization, and generalization." [1]'  # what it is
    assert "Build one classification and one regression project" in quotes[1]  # how it ends
    # in the topic's own section, the line right before its own: what leads into transformers there
    assert quotes[2].startswith('- CNN and Sequence Intro: "Basic CNN blocks and sequence modeling concepts')
    # a section named for the topic is all of it: nothing of it is "before"
    answer = ask("what should i have done before jumping into deep learning? zero to llm version pls").answer
    assert "Neural Basics" not in answer and "Build one classification and one regression project" in answer
