"""A roadmap's own outline: how many phases (or steps in one phase) it has, what it starts and
ends with, read from its table of contents (evals/answers_dev8.jsonl, a tuning set)."""

from __future__ import annotations

from mentor.evaluation import answering


def first_sentence(answer) -> str:
    return answering.first_sentence(answer.answer)


def test_how_many_phases_a_named_roadmap_has(ask):
    head = first_sentence(ask("how many phases does the zero to llm roadmap have?"))
    assert head.startswith("zero-to-llm-phases has 6 phases: Phase 0 - Prep and Mental Model →")
    assert head.rstrip(".").endswith("Phase 5 - Production and Growth")
    head = first_sentence(ask("how many phases is the master curriculum split into? trying to plan my year"))
    assert head.startswith("master-curriculum has 7 phases")  # not a study plan's question about hours


def test_how_many_steps_a_named_phase_has(ask):
    head = first_sentence(ask("how many steps are in phase 0 of the learning algorithm"))
    assert head.startswith("PHASE 0 — PROGRAMMING FOUNDATION of learning-algorithm has 4 steps: Step 0.1 [I]")
    assert "Step 0.4 [I]: Learn SQL basics" in head


def test_what_a_roadmap_starts_and_ends_with(ask):
    answer = ask("whats the very first thing in the codebasics 6 month plan")
    assert first_sentence(answer).startswith(
        "six-month-weekly starts with Week 1, 2, 3, 4: Computer Science Principals"
    )
    answer = ask("what's the last part of the master curriculum? want to know where it all ends up")
    assert first_sentence(answer).startswith(
        "master-curriculum ends with Phase 7: The Practice - Application and Continuous Growth"
    )


def test_a_topic_or_a_named_part_is_not_an_outline_question(ask):
    assert "has 8 blocks" not in first_sentence(
        ask("how many weeks for deep learning in the codebasics six month plan")
    )
    head = first_sentence(
        ask("for the maths part of the libraries and math roadmap, what am i supposed to start with?")
    )
    assert not head.startswith("libraries-and-math starts with Phase 1")
    # no roadmap named: no outline of one
    assert "has 6 phases" not in first_sentence(ask("how many phases are there?"))


def test_after_a_numbered_section_is_what_follows_it(ask):
    head = first_sentence(ask("what do i do after week 18 of the six month roadmap?"))
    assert "six-month-weekly goes on to Week 19, 20, 21, 22: Deep Learning" in head
    answer = ask("got fastapi serving my model now :) per the learning algorithm whats after step 5.1?")
    assert "goes on to PHASE 5 — DEPLOYMENT (BECOME ML ENGINEER): Step 5.2" in first_sentence(answer)


def test_a_section_asked_about_after_one_finished_is_the_one_asked(ask):
    answer = ask("i just finished phase 2 (deep learning) of the zero to llm roadmap. whats phase 3 about?")
    assert first_sentence(answer).startswith("Phase 3 - Domain Practice")


def test_the_order_of_topics_in_a_named_roadmap_is_its_sections_order(ask):
    head = first_sentence(
        ask("numpy/pandas, sql, math and stats - what order does the six month roadmap put these in?")
    )
    assert head.startswith("In six-month-weekly's order: SQL & relational databases (Week 5, 6: SQL Basics) →")
    assert head.index("Week 9, 10, 11, 12") < head.index("Week 13, 14")
    head = first_sentence(ask("transformers before or after rnns/lstms in the master curriculum?"))
    assert head.startswith("In master-curriculum's order: RNNs")


def test_the_phases_in_order_and_where_a_roadmap_starts(ask):
    head = first_sentence(ask("can u list the phases of the foundations-to-llms roadmap in order pls"))
    assert head.startswith("zero-to-llm-phases has 6 phases: Phase 0 - Prep and Mental Model")
    head = first_sentence(ask("whats the order of the phases in the master curriculum? trying to plan out my year"))
    assert head.startswith("master-curriculum has 7 phases: Phase 1: The Bedrock - Foundations")
    head = first_sentence(ask("where does the master curriculum want me to start? my math is basically zero"))
    assert head.startswith("master-curriculum starts with Phase 1: The Bedrock - Foundations")


def test_after_a_part_named_by_its_words(ask):
    head = first_sentence(ask("whats after the core ml / first models phase in the frameworks and libraries roadmap?"))
    assert "goes on to 🔷 Phase 3: Intermediate ML + Model Selection" in head  # not past it, to Phase 4
    head = first_sentence(ask("ok so after the llm and agents phase whats left? want to deploy my rag bot"))
    assert head.startswith("After Phase 4 - LLM and Agents, zero-to-llm-phases goes on to Phase 5")
    head = first_sentence(
        ask("in the dependency correct roadmap what comes right after building the classical ml projects?")
    )
    assert "goes on to PHASE 4 — DEEP LEARNING: Step 4.1" in head  # the roadmap's name asks for no prerequisites


def test_a_or_b_first_is_their_order(ask):
    head = first_sentence(ask("fastapi or docker first? or do ppl learn them together"))
    assert head.startswith("In the roadmaps' order: Serving models via a REST API (Step 5.1) → Docker")
    assert "in parallel with" in head


def test_what_a_named_roadmap_puts_right_before_a_topic(ask):
    answer = ask("where does deep learning sit in the weekly plan and what am i doing right before it?")
    head = first_sentence(answer)
    assert head.startswith("In six-month-weekly, Neural networks & deep learning theory is at Week 19, 20, 21, 22")
    assert "right before it comes Week 15, 16, 17, 18: Machine Learning" in head
    answer = ask("what should i have covered before attention and transformers? going by the master curriculum")
    assert "right before it comes Phase 3: The Depth - Deep Learning: Natural Language Processing" in answer.answer
    assert "builds directly on RNNs, LSTMs & sequence models" in answer.answer
    # no roadmap named: the graph's prerequisites
    assert "builds directly on" in first_sentence(ask("what do i need before transformers?"))


def test_a_section_broken_down_or_named_loosely(ask):
    answer = ask("can u break down phase 2 (deep learning) of the zero-to-llm roadmap? what are the sub parts")
    assert first_sentence(answer).startswith("Phase 2 - Deep Learning (")
    answer = ask("the codebasics roadmap has some tips section at the bottom right? what does it say")
    assert first_sentence(answer).startswith("Useful Tips (")


def test_a_decision_about_a_topic_a_named_roadmap_lacks_quotes_the_others(ask):
    answer = ask("6 month plan's deep learning stops at rnns, no transformers anywhere. do i have to add transformers?")
    assert first_sentence(answer).startswith("Yes: the roadmaps include Attention & the transformer architecture")
    assert "Transformer" in answer.answer.split("\n", 1)[1]  # its quotes are about transformers
