"""Answers fixed from evals/answers_dev4.jsonl's failures at its first run (a tuning set): a
roadmap's sections named as learners name them ("week 18", "the LLM and agents phase of zero to
llm", "weeks 1-4 … involve"); decisions that quote the topics asked about, give the roadmap's own
step, and read "skip X and go straight to Y"; a concept question about the topic it opens with;
no quote that repeats another."""

from __future__ import annotations

import pytest

from mentor.assistant.evidence import Line, select
from mentor.assistant.parts import section_passages
from mentor.assistant.tools import roadmaps_named
from mentor.evaluation import answering


def first_sentence(answer) -> str:
    return answering.first_sentence(answer.answer)


def test_a_week_inside_a_weeks_heading_finds_that_section(offline_deps):
    found = section_passages(offline_deps.passages, "what's next after week 18", [])
    assert [c.heading.strip() for c in found] == ["Week 15, 16, 17, 18: Machine Learning"]
    assert section_passages(offline_deps.passages, "week 1", [])[0].section.startswith("Week 1, 2, 3, 4")
    assert section_passages(offline_deps.passages, "week 25", []) == []


def test_a_section_named_by_its_words_in_a_named_roadmap(offline_deps):
    message = "done with kmeans/dbscan/pca (unsupervised phase) in the libraries roadmap. next?"
    found = section_passages(offline_deps.passages, message, roadmaps_named(offline_deps.documents, message))
    assert [c.doc for c in found] == ["libraries-and-math"]
    assert "Unsupervised Learning" in found[0].heading
    assert section_passages(offline_deps.passages, "the cooking phase", []) == []


def test_what_comes_after_a_phase_named_by_its_words(ask):
    answer = ask("got through the LLM and agents phase of zero to llm, is there anything after?")
    assert first_sentence(answer).startswith("After Phase 4 - LLM and Agents, zero-to-llm-phases goes on to Phase 5")
    answer = ask("finishing up the ML weeks of the codebasics plan, what's next after week 18?")
    assert "goes on to Week 19, 20, 21, 22: Deep Learning" in first_sentence(answer)


def test_a_named_phase_without_a_roadmap_stays_a_topic_question(ask):
    answer = ask("done with the deep learning phase, what's next?")
    assert "goes on to" not in first_sentence(answer)


def test_what_a_range_of_weeks_involves(ask):
    answer = ask("what do weeks 1-4 of the 6 month roadmap involve")
    head = answer.answer.splitlines()[0]
    assert head.startswith("Week 1, 2, 3, 4")
    assert "Data Structures & Algorithms" in head
    answer = ask("zero to llm phase 1, what am i meant to learn and build there")
    assert answer.answer.startswith("Phase 1 - Machine Learning Fundamentals")


def test_a_decision_quotes_lines_about_the_topics_asked(ask):
    answer = ask(
        "when I get to deployment, can I pick up Docker at the same time as FastAPI "
        "or should I wait till fastapi is done?"
    )
    assert first_sentence(answer).startswith("Yes")
    assert 'learning-algorithm: "Step 5.2 [P with Step 5.1]"' in first_sentence(answer)
    quotes = [c.quote for c in answer.citations]
    assert quotes and all("Done" not in q for q in quotes)  # not a checklist's "----Done" for "is done?"
    assert any("docker" in q.lower() or "fastapi" in q.lower() for q in quotes)


def test_skipping_one_topic_to_go_straight_to_another_is_about_the_one_skipped(ask):
    answer = ask("python and numpy are done. can i go straight to neural nets and skip the classical ml stuff?")
    assert first_sentence(answer).startswith(
        "No: Neural networks & deep learning theory (Step 4.1) builds on Machine learning fundamentals (Step 1.1)"
    )
    answer = ask("can I skip deep learning and go to LLMs?")
    assert first_sentence(answer).startswith("No: the roadmaps put Neural networks & deep learning theory before LLM")


def test_a_yes_names_the_dependency_correct_roadmaps_step(ask):
    answer = ask("I want to jump right into ML theory with a book. Is python genuinely something I have to do first?")
    assert first_sentence(answer).startswith("Yes")
    assert '"Step 0.1 [I]: Learn Python fundamentals first."' in first_sentence(answer)


def test_a_concept_question_is_about_the_topic_it_opens_with(ask):
    answer = ask("why do eigenvalues matter for ML? feels very abstract")
    assert "Linear algebra for ML" in first_sentence(answer)
    assert "Machine learning fundamentals" not in first_sentence(answer)


def test_a_line_that_repeats_a_chosen_one_is_not_quoted_again():
    texts = ("Bias-Variance Tradeoff", "Bias–variance tradeoff", "Overfitting")
    lines = [Line(1, None, text, i, False) for i, text in enumerate(texts)]
    chosen = [ln.text for ln in select(lines, "bias variance tradeoff overfitting", 3)]
    assert len(chosen) == 2 and "Overfitting" in chosen


def test_a_need_stated_then_a_what_question_is_a_resource_request(ask):
    answer = ask(
        "need a beginner book that explains the theory of algorithms like linear regression before i code them, "
        "what do they recommend?"
    )
    assert first_sentence(answer).startswith("The roadmaps point to these books")
    assert "Grokking Machine Learning" in answer.answer


def test_which_with_a_plural_lists_the_items(ask):
    answer = ask("which probability distributions do i need to know, like the must-know ones not every single one")
    assert "Bernoulli" in first_sentence(answer) and "Normal" in first_sentence(answer)


def test_where_a_topic_sits_names_the_dependency_correct_roadmaps_step(ask):
    answer = ask("what exactly is backpropagation and at what point am i supposed to learn it")
    assert '(learning-algorithm: "Step 4.1 [D: after Classical ML]")' in first_sentence(answer)
    answer = ask("what is pandas")
    assert 'learning-algorithm has it at "Step 0.2 [P with Step 0.1]' in answer.answer


def test_a_question_naming_one_roadmap_is_answered_from_it(ask):
    answer = ask("in the codebasics roadmap, is there anything on data structures?")
    assert answer.citations and {c.doc for c in answer.citations} == {"six-month-weekly"}


def test_the_difference_between_two_marks_quotes_both_legend_entries(ask):
    answer = ask("whats the actual difference between an [I] step and a [D] step in the learning algorithm?")
    assert first_sentence(answer).startswith("In learning-algorithm, [I] means Independent (can learn anytime)")
    assert "[D] means Dependent (learn only after prerequisite)" in answer.answer
    assert ask("[I] vs [Q]?").answer.startswith("No roadmap defines a [Q] mark")


def test_background_and_a_named_roadmap_pick_up_at_its_first_new_section(ask):
    answer = ask(
        "cs grad here, solid on data structures/algorithms and basic python already. "
        "on the 6 month plan where do i jump in?"
    )
    assert first_sentence(answer).startswith("Pick up six-month-weekly at Week 5, 6: SQL Basics")
    answer = ask(
        "i've already trained linear/logistic/knn models in sklearn. "
        "what should i learn next from the libraries roadmap?"
    )
    assert "Phase 3: Intermediate ML + Model Selection" in first_sentence(answer)


def test_projects_built_go_on_to_what_follows_them(ask):
    answer = ask("ok my classical ml projects are built. whats next in the learning algorithm?")
    # the roadmap named: its own next section after the one that lists the projects
    assert first_sentence(answer).startswith("After PHASE 3 — PROJECT PHASE: Step 3.1")
    assert "goes on to PHASE 4 — DEEP LEARNING: Step 4.1" in first_sentence(answer)


def test_a_named_phase_with_about_is_a_section_question(ask):
    answer = ask("what's the intermediate ML + model selection phase about in the libraries roadmap")
    assert answer.answer.startswith("Phase 3: Intermediate ML + Model Selection")
    assert "GridSearchCV" in answer.answer


def test_before_or_after_with_no_disagreement_recorded_is_their_order(ask):
    answer = ask("transformers before or after rnns/lstms in the master curriculum?")
    # the roadmap named: its own sections' order
    assert first_sentence(answer).startswith("In master-curriculum's order: RNNs, LSTMs & sequence models (")
    assert "→ Attention & the transformer architecture (" in first_sentence(answer)
    assert ask("sql before or after python?").answer.startswith("The roadmaps disagree here.")


def test_a_decision_reads_where_the_best_line_stands(ask):
    answer = ask("before i use adam in my training code do I have to understand the math inside it first?")
    assert first_sentence(answer).startswith("No: the roadmaps mark it as nice-to-have")
    answer = ask("do i have to fit pyspark/hadoop into the codebasics plan or is that not part of it")
    assert first_sentence(answer).startswith("No: the roadmaps mark it as additional skills")
    # Docker is a step of the dependency-correct roadmap's own path: another roadmap's "optional tools" is no no
    assert ask("is docker really needed for an ml engineer or is that a devops thing?").answer.startswith("Yes")
    answer = ask("are hypothesis testing and p values actually needed for ML or is that just stats-class stuff?")
    assert first_sentence(answer).startswith("Yes")


@pytest.mark.parametrize(
    "message",
    [
        "I already failed at python twice. can I skip python?",
        "I already forgot sql. can I skip the sql part?",
        "grad school taught me statistics badly. can I skip statistics?",
        "strong dislike of statistics. can I skip it?",
    ],
)
def test_failing_forgetting_or_disliking_a_topic_is_no_experience_of_it(ask, message):
    assert not first_sentence(ask(message)).startswith("Yes: you already work with")


def test_sections_named_by_their_words_after_question_words(ask):
    answer = ask("what does the deep learning phase of the learning algorithm include?")
    assert answer.answer.startswith("PHASE 4 — DEEP LEARNING")
    answer = ask("what's in the deep learning part of the 6 month plan?")  # "6" names the plan, not a section
    assert answer.answer.startswith("Week 19, 20, 21, 22: Deep Learning")
    assert (
        ask("what do weeks 25-30 involve?").answer
        == "The roadmaps have no weeks 25-30, so I won't guess what it holds."
    )
    answer = ask("I'm in the early phase of learning and following the 6 month plan, what should I study?")
    assert not answer.answer.startswith("What the roadmaps say")


def test_which_with_a_verb_is_no_list_and_an_opinion_tag_keeps_the_verdict(ask):
    assert "Linear Algebra" not in first_sentence(ask("which comes first, statistics or linear algebra?"))
    assert first_sentence(ask("is SQL needed for ML, what do you think?"))[:3] in ("Yes", "No:")
    assert first_sentence(ask("need help: is docker needed before kubernetes?"))[:3] in ("Yes", "No:")


def test_a_roadmap_that_says_nothing_of_it_says_so_and_the_others_answer(ask):
    answer = ask("what does the codebasics roadmap say about kubernetes?")
    assert "six-month-weekly says nothing about it; the other roadmaps do." in answer.answer
    assert all(c.doc != "six-month-weekly" for c in answer.citations)


def test_anything_after_follows_the_topic_just_discussed(offline_deps):
    from mentor.assistant.conversation import Conversation

    chat = Conversation(offline_deps, "after")
    chat.ask("tell me about docker")
    assert chat.ask("is there anything after?").answer.startswith("After Docker & containerisation")


def test_a_playlist_finished_in_a_named_plan_goes_on_from_its_weeks(ask):
    answer = ask(
        "finished the codebasics deep learning playlist (ann, cnn, rnn). what do i move on to in the weekly plan?"
    )
    assert first_sentence(answer).startswith(
        "After Week 19, 20, 21, 22: Deep Learning, six-month-weekly goes on to Week 23"
    )


def test_a_quoted_phrase_in_the_sentence_before_the_question(ask):
    answer = ask(
        "the very last part of the master curriculum talks about 'understanding the business context'. "
        "what does that mean and why would an ML engineer care"
    )
    assert first_sentence(answer).startswith("master-curriculum lists it under Professional Skills")
    answer = ask("there's a 'parallel track' at the bottom of the learning algorithm. what do i keep doing?")
    assert answer.answer.startswith("PARALLEL TRACK (RUN THROUGHOUT ALL PHASES)")
    assert "Math intuition" in answer.answer


def test_a_disagreement_about_other_topics_is_no_answer(ask):
    answer = ask("the 6 month plan has DSA in the first month, the learning algorithm not. is dsa needed for ML or not")
    assert first_sentence(answer).startswith("No: Data structures & algorithms")
    assert "maths" not in first_sentence(answer)
    answer = ask("does the zero to llm roadmap want me building something to show in every phase or just at the end??")
    assert not first_sentence(answer).startswith(("The roadmaps disagree", "No: the roadmaps mark it as pick"))
    assert "each phase" in answer.answer


def test_by_which_week_is_a_how_long_question(ask):
    answer = ask("if i follow the weekly plan exactly, by which week am i done with deep learning?")
    assert "22" in first_sentence(answer)


def test_review_two_findings_stay_fixed(ask, offline_deps):
    from mentor.assistant.conversation import Conversation

    # a Phase 6 step of the path is no "advanced" optional extra
    assert first_sentence(ask("is model monitoring needed in the learning algorithm?")).startswith("Yes")
    # real experience counts again; what undoes it does not
    assert first_sentence(ask("I have a statistics degree. can I skip statistics?")).startswith("Yes: you already")
    assert not first_sentence(ask("I already failed at python twice. can I skip python?")).startswith("Yes")
    # a quote elsewhere in the message does not take over a question about a topic
    assert "ship it" not in ask("my boss keeps saying 'ship it'. what does overfitting mean?").answer
    assert first_sentence(ask("do I need 'docker'?")).startswith("Yes")
    # a disagreement asked about in words gets the disagreement, and none recorded is said so
    answer = ask("the weekly plan puts maths before ML, but the learning algorithm doesn't. which one do I follow?")
    assert answer.answer.startswith("The roadmaps disagree here.")
    assert ask("do the roadmaps disagree about when to learn git and linux?").answer.startswith("I know of no")
    # an opening clause names the goal, the question the topic asked about
    answer = ask("if i want to learn rag do i need llm basics first?")
    assert first_sentence(answer).startswith("Yes: the roadmaps put LLM basics before Retrieval-augmented generation")
    assert ask("which comes first, statistics or linear algebra?").answer.startswith("In the roadmaps' order:")
    chat = Conversation(offline_deps, "go-from-there")
    chat.ask("tell me about docker")
    assert chat.ask("where does it go from there?").answer.startswith("After Docker & containerisation")


def test_a_single_week_a_missing_section_and_ml_as_machine_learning(ask):
    assert ask("what does week 24 involve?").answer.startswith("Week 23, 24: ML Ops")
    assert ask("what's in the cooking phase?").answer.startswith("No roadmap has a section called “cooking”")
    assert ask("what's the ML fundamentals phase about?").answer.startswith("Phase 1 - Machine Learning Fundamentals")
