"""Answers that say what a lead-in leads into and read a topic named inside a hyphenated title: "Hands-On ML
teaches:" is quoted with its list, and "should I read Hands-On ML now?" is a readiness question about the
Hands-On ML book, not about "ML" (the words after the "On" of "Hands-On")."""

from __future__ import annotations

from mentor.assistant.evidence import bullets, passage_lines
from mentor.assistant.router import classify, topic_phrase
from mentor.corpus.chunks import Chunk


def _lines(text: str):
    return passage_lines(1, Chunk("s", "d", "Roadmap", "Phase 2 › Step 2.1", "Step 2.1 [D]", 1, 9, text))


def test_a_lead_in_is_quoted_with_the_list_it_leads_into():
    lines = _lines("Step 2.1 [D]\n\nHands-On ML teaches:\n\n- full workflows\n- pipelines\n- real projects\n\nDone.")
    lead = next(ln for ln in lines if ln.text == "Hands-On ML teaches:")
    quotes: dict[int, str] = {}
    assert bullets([lead], quotes) == ['- Hands-On ML teaches: "full workflows"; "pipelines"; "real projects" [1]']
    assert quotes == {1: "full workflows"}  # what the passage's quote records is content


def test_a_lead_in_with_no_list_right_under_it_is_quoted_alone():
    lines = _lines("Step 2.1 [D]\n\nUse resource like:\nGrokking Machine Learning is a long line of prose here.\n")
    lead = next(ln for ln in lines if ln.text == "Use resource like:")
    assert bullets([lead], {}) == ['- "Use resource like:" [1]']


def test_a_trigger_word_inside_a_hyphenated_name_is_not_a_trigger():
    assert topic_phrase("should I read Hands-On ML now?") == "should I read Hands-On ML"
    assert topic_phrase("what do I need before on-device inference") == "on-device inference"


def test_reading_a_book_now_is_a_readiness_question(offline_deps, ask):
    intent = classify("should I read Hands-On ML now?", None, offline_deps.curriculum)
    assert intent.name == "decision"
    answer = ask("I've done linear regression and logistic regression with sklearn. should I read Hands-On ML now?")
    head = answer.answer.splitlines()[0]
    assert head.startswith("No: Hands-On Machine Learning book comes after Evaluation metrics")
    assert '- Hands-On ML teaches: "full workflows"; "pipelines"; "real projects"' in answer.answer
