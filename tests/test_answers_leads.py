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


def test_a_topic_is_named_by_its_inflected_form_too(offline_deps):
    cur = offline_deps.curriculum
    assert [t for _, _, t in cur.mention_spans("what comes after deploying my first model end to end?")] == [
        "ml-deployment"
    ]
    assert cur.mention_spans("i know sqls") == []  # a short name is not inflected: "sql" is no "sqls"


def test_the_roadmaps_a_message_names_are_read_by_their_names_in_sources(offline_deps):
    cur = offline_deps.curriculum
    said = "dependency roadmap just says pytorch, but the libraries one says tf/keras is easier. which one do i pick"
    assert sorted(cur.roadmaps_in(said)) == ["learning-algorithm", "libraries-and-math"]
    assert classify(said, None, cur).name == "conflict"


def test_two_roadmaps_set_against_each_other_get_the_recorded_disagreement(ask):
    answer = ask(
        "docker is a whole step in the deployment phase of the dependency roadmap but the 6 month plan only has it "
        "under extra helpful skills. how much should i prioritise it"
    ).answer
    assert answer.startswith("The roadmaps disagree here. six-month-weekly goes from deep learning straight to ML Ops")
    assert "learning-algorithm in PHASE 5 — DEPLOYMENT (BECOME ML ENGINEER): Step 5.2" in answer


def test_what_comes_next_skips_the_one_word_steps_of_a_flow(ask):
    answer = ask("what comes after deploying my first model end to end?").answer
    assert answer.startswith("After Deploying a full ML system, the roadmaps go on to:")
    assert '- learning-algorithm: "experiment tracking"' in answer
    assert '"Data →"' not in answer and '"Train →"' not in answer


def test_the_same_words_are_quoted_once():
    from mentor.assistant.evidence import Line

    one = _lines("Step 2.1 [D]\n\nSee https://x.example/p for the playlist of tutorials.\n")
    other = passage_lines(
        2, Chunk("t", "d", "Page", "Links", "Links", 1, 9, "See https://x.example/p for the playlist of tutorials.")
    )
    same = [ln for ln in one + other if ln.text.startswith("See")]
    assert len(same) == 2 and isinstance(same[0], Line)
    assert bullets(same, {}) == ['- "See https://x.example/p for the playlist of tutorials." [1]']


def test_where_a_topic_comes_in_one_roadmap_is_its_place_with_its_own_line_first(ask):
    head, first, *rest = ask("where does git come in the master curriculum").answer.splitlines()
    assert head.startswith(
        "In master-curriculum, Version control with Git & GitHub is at Phase 1: The Bedrock - Foundations: "
        "Computer Science Fundamentals; right before it comes Phase 1: The Bedrock - Foundations: 2.2 Essential"
    )
    assert head.endswith("Its own line, then what comes right before and after:")
    assert first.startswith('- "3.4. Version Control (Git): Repositories, Commits')
    assert rest


def test_where_a_topic_comes_in_asked_of_no_roadmap_is_where_each_roadmap_has_it(ask):
    answer = ask("where does model versioning come in?").answer
    assert answer.startswith(
        "Where each roadmap has Model versioning & model registry: learning-algorithm at PHASE 6 — MLOPS"
    )
    assert '- "9.2. Model Versioning (Introduction)"' in answer


def test_what_x_is_and_where_it_shows_up_is_still_a_concept_question(offline_deps):
    cur = offline_deps.curriculum
    assert classify("what is MLE and where does it show up in the master curriculum?", None, cur).name != "order"
    assert classify("at which point in the sequence do i get to xgboost", None, cur).name == "order"
    assert classify("where do i go from here?", None, cur).name != "order"  # no topic: not a place in the order


def test_what_to_learn_alongside_a_topic_names_its_companions_the_roadmaps_own_mark_first(ask):
    answer = ask("what should i be learning at the same time as python basics in the dependency roadmap").answer
    head, first, *rest = answer.splitlines()
    assert head.startswith(
        "Alongside Python fundamentals: learning-algorithm has NumPy arrays & vectorised numerics, Pandas"
    )
    assert '("Step 0.2 [P with Step 0.1]: Learn core data libraries (syntax-level only)")' in head
    assert first == '- Learn: "NumPy (arrays)"; "Pandas (dataframes)"; "Matplotlib / Seaborn (plotting)" [1]'


def test_whether_two_topics_go_together_is_still_a_yes_or_no(offline_deps):
    cur = offline_deps.curriculum
    assert classify("can i learn numpy alongside python?", None, cur).name == "decision"
    assert classify("what do i study alongside deep learning theory?", None, cur).name == "alongside"


def test_how_two_parts_differ_is_a_comparison_of_them(ask, offline_deps):
    cur = offline_deps.curriculum
    for said in (
        "how do phase 2 and phase 3 of the llm roadmap differ? they both seem like deep learning",
        "how is phase 4 of the master curriculum different from phase 5",
        "whats the diff between step 4.1 and 4.2 in the dependency roadmap",
    ):
        assert classify(said, None, cur).name == "compare", said
    answer = ask("how is phase 4 of the master curriculum different from phase 5, they both sound like engineering")
    assert answer.answer.startswith(
        "Side by side, from master-curriculum: Phase 4: The System - MLOps & Deployment: Introduction to MLOps, "
    )
    assert " and Phase 5: The Craft - Software Engineering Principles for ML: Code Quality" in answer.answer


def test_a_numbered_side_is_the_part_with_that_number_not_one_that_mentions_it(ask):
    answer = ask(
        "whats the diff between step 4.1 and 4.2 in the dependency roadmap, arent they both just deep learning"
    )
    assert answer.answer.startswith("Side by side, from learning-algorithm: Step 4.1 [D: after Classical ML]")
    assert '- "Learn Deep Learning THEORY" [1]' in answer.answer and '- "Implement using PyTorch" [2]' in answer.answer


def test_where_to_start_names_the_step_set_alongside_the_first_and_what_to_skim(ask):
    answer = ask(
        "hey so im a backend dev, been writing python for like 5 yrs and i use git, linux and sql every day at work. "
        "in the dependency roadmap where should i actually start and what can i skip?"
    ).answer
    assert answer.startswith("Pick up learning-algorithm at PHASE 1 — CORE MACHINE LEARNING")
    assert "with Step 1.2 [P with Step 1.1]: Immediately IMPLEMENT using scikit-learn alongside it." in answer
    assert '- Example: "Linear Regression" [2]' in answer  # a short label over a line names it
    assert "\nYou can skim what you already work with: learning-algorithm's PHASE 0" in answer


def test_can_i_skip_asked_in_so_many_words_stays_a_yes_or_no(offline_deps):
    cur = offline_deps.curriculum
    said = "im a data analyst. following the weekly plan can i skip the sql part, and where do i pick up?"
    assert classify(said, None, cur).name == "decision"


def test_when_what_the_learner_does_comes_up_is_where_the_roadmaps_have_it(ask, offline_deps):
    answer = ask(
        "I'm a web developer, I already ship FastAPI services in Docker at work. When does that become relevant in "
        "the ML path?"
    ).answer
    assert answer.startswith(
        "What you already work with comes up here: Serving models via a REST API in learning-algorithm's PHASE 5 — "
        "DEPLOYMENT (BECOME ML ENGINEER): Step 5.1 [D: after projects]; Docker & containerisation in"
    )
    assert '- "Learn Docker" [2]' in answer
    answer = ask(
        "im a devops eng, k8s and ci/cd pipelines are literally my job. at what point in the big curriculum does that "
        "experience start being relevant"
    ).answer
    assert "master-curriculum's Phase 4: The System - MLOps & Deployment: 16.4 Orchestration" in answer
    cur = offline_deps.curriculum  # what a topic is and where it shows up is about that topic
    assert classify("what is MLE and where does it show up in the master curriculum?", None, cur).name != "relevant"


def test_which_weeks_to_breeze_through_is_what_to_skim(ask):
    answer = ask(
        "im a data analyst, pandas + sql all day at my job and a bit of matplotlib too. on the 6 month plan which "
        "weeks can i basically breeze through?"
    ).answer
    assert answer.startswith(
        "You can skim what you already work with: six-month-weekly's Week 9, 10, 11, 12: Numpy, Pandas, Data"
    )
    assert "six-month-weekly's Week 5, 6 (SQL & relational databases)" in answer


def test_a_disagreement_is_not_picked_by_the_words_of_the_roadmaps_names(ask):
    answer = ask(
        "the libraries+math doc puts confusion matrices and sensitivity/specificity in the extras-not-core bucket, "
        "but the master curriculum has it as normal evaluation stuff. how much should i care about it"
    ).answer
    assert "Mathematics for ML block" not in answer  # not the maths-first disagreement for "math" and "master"
    assert '- libraries-and-math (Probability & Statistics): "Specificity, sensitivity & confusion matrices"' in answer


# --- what the review of this change found ------------------------------------------------------------------------


def test_alongside_words_in_other_questions_leave_them_as_they_were(offline_deps):
    cur = offline_deps.curriculum
    assert classify("how long does docker take alongside a full-time job?", None, cur).name == "how_long"
    assert classify("what should I know before pytorch, alongside a full-time job?", None, cur).name == "prereqs"
    assert classify("what's a good resource for sql while i'm on week 5?", None, cur).name == "resources"
    assert classify("what book should I read alongside hands-on ml?", None, cur).name == "resources"


def test_an_alongside_answer_groups_companions_by_the_roadmap_that_pairs_them(ask):
    head = ask("what should i be learning at the same time as python basics").answer.splitlines()[0]
    assert '("Step 0.2 [P with Step 0.1]: Learn core data libraries (syntax-level only)"); six-month-weekly has' in head
    assert head.endswith("six-month-weekly has Computer science principles. What they say of them:")


def test_when_a_question_names_its_own_topics_nothing_is_taken_for_the_learners_experience(offline_deps):
    cur = offline_deps.curriculum
    assert classify("when does it matter whether I use pytorch or keras?", None, cur).name != "relevant"


def test_a_comparison_asks_about_two_things_not_about_me_or_it(offline_deps):
    cur = offline_deps.curriculum
    assert classify("how does my progress differ from the plan?", None, cur).name != "compare"
    assert classify("how is it different from pandas?", None, cur).name != "compare"


def test_numbered_parts_of_no_roadmap_named_are_compared_within_one_roadmap(ask):
    answer = ask("how do phase 2 and phase 3 differ?").answer
    assert answer.startswith("Side by side, from zero-to-llm-phases: Phase 2 - Deep Learning and Phase 3 - Domain")


def test_past_tenses_and_short_names_are_not_inflected_into_topics(offline_deps):
    cur = offline_deps.curriculum
    for said in ("drifted", "sparked", "clouds", "torched", "recalled", "shelling", "ridges", "gloves"):
        assert cur.mention_spans(said) == [], said


def test_a_start_that_is_also_skimmed_is_not_said_twice(ask):
    answer = ask("5 yrs of python and sql. on the 6 month plan where should i start and what can i skip?").answer
    assert answer.startswith("Pick up six-month-weekly at Week 1, 2, 3, 4") and "You can skim" not in answer


def test_never_having_written_code_is_not_implied_away_by_the_maths_one_knows(ask):
    answer = ask(
        "high school maths teacher here, comfortable with stats and probability but i have literally never written "
        "code. master curriculum - where do i jump in?"
    ).answer
    # statistics comes after python in the graph, yet this learner has not written a line: not past Core Python
    assert answer.startswith("Pick up master-curriculum at Phase 1: The Bedrock - Foundations: 1.1 Linear Algebra")
    assert "2.2 Essential Libraries" not in answer.splitlines()[0]


def test_a_heading_is_about_its_subject_not_what_it_is_for(cur):
    from mentor.assistant.offline.placing import _subjects

    assert _subjects(cur, "2.2. Essential Libraries for ML") == set()  # libraries, for ML: not ML fundamentals
    assert _subjects(cur, "Phase 2: Core ML Concepts + First Models") == {"ml-fundamentals"}
    assert _subjects(cur, "Week 13, 14: Statistics, ML intro") == {"statistics", "ml-fundamentals"}


def test_where_a_topic_starts_in_a_roadmap_is_where_that_roadmap_has_it(ask):
    answer = ask("which is the first real ML section of the six month plan?")
    assert answer.answer.startswith("In six-month-weekly, Machine learning fundamentals is at Week 15, 16, 17, 18")
    answer = ask("where does deep learning begin in the llm roadmap?")
    assert answer.answer.startswith("In zero-to-llm-phases, Neural networks & deep learning theory is at Phase 2")
    assert ask("where do we start?").answer.startswith("Here is what I'd learn next")  # no topic: where to start
