"""Answers fixed from evals/answers_dev7.jsonl's failures (a tuning set since this stop; the
untuned sets are answers_dev10 and answers_dev11): a comparison of two labelled parts quotes what
each label heads; what comes after a whole part is the next part; a question naming a roadmap by
"the dependency roadmap" or "codebasics plan:" is about that roadmap; scope is judged on what a
question asks, not on its stop words."""

from __future__ import annotations

from mentor.assistant.router import classify


def test_a_comparison_of_two_labels_quotes_what_each_heads(ask):
    answer = ask(
        "in the last phase of the zero-to-llm roadmap there's an engineering part and an mlops basics part. "
        "what's the difference between them?"
    ).answer
    assert "Engineering and MLOps Basics, both under Phase 5 - Production and Growth" in answer
    assert '"Containerization, CI, logs/monitoring, and API service deployment."' in answer
    assert '"Experiment tracking, model versioning, rollback, and drift awareness."' in answer
    assert '"MLOps Basics"' not in answer  # the label is named, not quoted as evidence


def test_each_side_of_a_comparison_is_found_in_the_roadmap_named(ask):
    answer = ask("fastapi vs docker in the dependency-correct roadmap.. what is each one actually for").answer
    assert '"Serve model via API"' in answer and '"Containerize model"' in answer
    answer = ask("whats the difference between the level 1 and level 2 python tutorials in the codebasics plan?").answer
    assert "Level 1 Coding Tutorials" in answer and "Level 2 Coding Tutorials" in answer
    assert "# 15 to # 27" in answer  # the level 2 tutorials are numbers 15 to 27


def test_apostrophes_are_not_quotes_around_the_sides():
    from mentor.assistant.offline.compare import _sides

    left, right = _sides("there's an engineering part and an mlops basics part. what's the difference?")
    assert left.endswith("an engineering part") and right.strip() == "an mlops basics part"
    assert _sides("it says 'fastapi, tensorflow serving'. same thing?") == ("fastapi", "tensorflow serving")


def test_after_a_whole_part_comes_the_next_part(ask):
    answer = ask("in the master curriculum what comes right after all the deep learning stuff").answer
    assert answer.startswith("After Phase 3: The Depth - Deep Learning, master-curriculum goes on to Phase 4")
    answer = ask("once im done with my cv/nlp projects in the llm roadmap whats the next phase").answer
    assert "goes on to Phase 4 - LLM and Agents" in answer


def test_before_and_after_a_topic_in_one_question(ask):
    answer = ask("codebasics plan: what comes right before the ML weeks, and what do i move on to after them?").answer
    assert "right before it comes Week 13, 14: Math, Statistics For Machine Learning" in answer
    assert "right after it Week 19, 20, 21, 22: Deep Learning" in answer


def test_the_dependency_roadmap_is_a_roadmap_not_a_question_of_prerequisites(offline_deps):
    cur = offline_deps.curriculum
    assert classify("what's next in the dependency roadmap?", None, cur).name == "next"
    assert classify("what does the dependency roadmap have me do next?", None, cur).name == "next"
    assert classify("what does deep learning depend on?", None, cur).name == "prereqs"


def test_a_question_in_the_roadmaps_words_is_in_scope(ask):
    answer = ask("besides the 24 weeks, what extra skills does the codebasics plan say would help?").answer
    assert answer.startswith("Under Additional skills that will be helpful, the roadmaps list Pyspark")
    assert "don't cover that" in ask("how do i bake sourdough bread").answer


def test_a_labelled_list_is_what_a_which_question_gets(ask):
    answer = ask("which of the classic algorithms am i meant to run through that theory -> sklearn loop?").answer
    assert "Under Algorithms to cover, the roadmaps list Linear Regression, Logistic Regression, k-NN" in answer


def test_how_long_in_a_roadmap_without_weeks_says_so_and_what_it_says(ask):
    answer = ask("learning algorithm roadmap: how many weeks should i budget for math before starting ML?").answer
    assert answer.startswith("learning-algorithm gives no weeks or hours for it; what it says:")
    assert '"NOT full math course before ML."' in answer
    assert "The six-month plan gives it 2 weeks (weeks 13-14)." in answer  # the one roadmap that does
    answer = ask("how long should i spend on pandas in the master curriculum").answer
    assert answer.startswith("master-curriculum gives no weeks or hours for it")
    assert "Pandas: Data Structures (Series, DataFrame)" in answer


def test_how_long_a_whole_roadmap_is_though_a_topic_is_named(ask):
    answer = ask("how long is the codebasics plan overall, and am i job ready as an ML engineer when its done?")
    assert "runs 24 weeks (weeks 1-24), about 6 months" in answer.answer


def test_two_roadmaps_with_no_disagreement_recorded_each_in_its_own_words(ask):
    answer = ask("does the learning algorithm and the master curriculum agree on when to do git?").answer
    assert answer.startswith("I know of no disagreement between the roadmaps there. Each in its own words:")
    assert "- learning-algorithm (PHASE 0 — PROGRAMMING FOUNDATION > Step 0.3 [I]" in answer
    assert "- master-curriculum (Phase 1: The Bedrock - Foundations > Computer Science Fundamentals)" in answer


def test_a_recorded_disagreement_about_other_topics_is_not_this_one(ask):
    answer = ask(
        "k-means and pca: the learning algorithm has them in the very first theory+sklearn loop with linear "
        "regression, but the libraries roadmap saves unsupervised for phase 4. so clustering early or later?"
    ).answer
    assert "gradient descent" not in answer.lower()
    assert "- libraries-and-math (Phase 4: Unsupervised Learning)" in answer


def test_the_router_counts_the_roadmaps_a_message_names_by_any_name(offline_deps):
    from mentor.assistant.router import _roadmaps_named

    cur = offline_deps.curriculum  # by the names sources.yaml gives them
    assert _roadmaps_named("codebasics spends weeks on it and the libraries roadmap lists it as optional", cur) == 2
    assert _roadmaps_named("the dependency-correct one and the llm roadmap", cur) == 2
    assert _roadmaps_named("the 6 month weekly plan, aka codebasics", cur) == 1
    assert _roadmaps_named("the libraries one lists it as optional", cur) == 1


# --- found by the review of this change --------------------------------------------------------


def test_off_topic_questions_stay_out_of_scope(ask):
    for question in (
        "what would help me bake bread besides flour?",
        "does the plan say anything about cooking?",
        "what would help me pass my driving test?",
        "tell me about the history of rome",
    ):
        assert "don't cover that" in ask(question).answer, question


def test_what_plural_questions_that_are_no_lists_keep_their_route(offline_deps):
    cur = offline_deps.curriculum
    assert classify("what prerequisites does transformers have?", None, cur).name == "prereqs"
    assert classify("what resources do you recommend for statistics?", None, cur).name == "resources"
    assert classify("what hours does the six month plan expect?", None, cur).name != "which"
    assert classify("what extra skills does the codebasics plan say would help?", None, cur).name == "which"


def test_which_week_to_start_a_topic_is_not_where_to_jump_in(offline_deps):
    cur = offline_deps.curriculum
    assert classify("which week do i start pandas in the codebasics plan?", None, cur).name != "next"
    assert classify("whats the first layer of a cnn?", None, cur).name != "next"
    assert classify("in the 6 month plan which week should i jump in at?", None, cur).name == "next"
    assert classify("whats the next phase", None, cur).name == "next"


def test_a_codebasics_plan_can_still_be_asked_for(offline_deps):
    cur = offline_deps.curriculum
    assert classify("i need a codebasics plan", None, cur).name == "plan"
    assert classify("codebasics plan: what comes right before the ML weeks?", None, cur).name != "plan"


def test_labels_of_two_words_are_compared_by_what_they_head(ask):
    answer = ask("what's the difference between the agent systems part and the rag engineering part?").answer
    assert '"Planning, tools, memory, and defenses against hallucination/prompt injection."' in answer
    assert '"Agent Systems"' not in answer
    answer = ask("my course did dot product AND cross product, do I need both equally?").answer
    assert '"Cross product"' in answer  # list items, not labels: each side's own line


def test_two_topics_of_one_passage_in_its_order(ask):
    answer = ask("in the llm roadmap, do agents come before or after rag?").answer
    assert answer.startswith("In zero-to-llm-phases's order: Retrieval-augmented generation (")


def test_a_yes_no_of_order_after_a_when_question_is_a_decision(ask):
    answer = ask(
        "when am i supposed to fit in git, linux and jupyter? do they have to come before the ml part or can i do "
        "them whenever"
    ).answer
    assert answer.startswith("No: Jupyter notebooks is independent in the roadmaps")
    assert '(learning-algorithm: "Step 0.3 [I]: Learn basic engineering tools")' in answer


def test_the_sections_between_two_topics_of_a_roadmap(ask):
    answer = ask("in the weekly plan what is between sql and machine learning?").answer
    assert answer.startswith("In six-month-weekly, from Week 5, 6: SQL Basics to Week 15, 16, 17, 18: Machine Learning")
    assert "Level 2 Coding Tutorials; Week 9, 10, 11, 12" in answer
    answer = ask(
        "whats the path from basic neural nets to cnns in the master one? which sections are in between"
    ).answer
    assert "these come in between: Introduction to Neural Networks; Training Neural Networks;" in answer
    assert classify("what's the difference between bagging and boosting?").name == "compare"


def test_a_comparison_with_one_side_asks_for_the_other(ask):
    answer = ask("vs docker").answer
    assert answer == 'Compare docker with what? Name both sides, e.g. "fastapi vs docker".'


def test_a_paraphrase_with_no_topic_quotes_the_line_its_closest_phrasing_asks_for(ask):
    """No word of "how do i stop a bot from making things up or getting hijacked" is in the line; the
    learner phrasings of it are closest, so it is quoted first, the line under its label."""
    answer = ask("how do i stop a bot from making things up or getting hijacked by sneaky inputs").answer
    first = answer.splitlines()[1]
    said = '"Planning, tools, memory, and defenses against hallucination/prompt injection."'
    assert first.startswith(f"- Agent Systems: {said}")  # with the label it stands under


def test_the_first_next_step_quotes_what_its_roadmap_step_says_to_learn(ask):
    """Not only the step's name: what the step says to learn, and the same step not quoted twice."""
    answer = ask("what should i learn next").answer
    assert 'The roadmap: Learn: "variables, functions, classes"; "loops, conditionals"' in answer
    assert "2. Virtual environments & package management, about 3 h. Same step as Python fundamentals." in answer
    answer = ask("I work in BI - lots of SQL reports, some pandas. I want to get into ML. where do i actually start?")
    assert 'Example: "Linear Regression". Understand: "model"; "loss"; "overfitting"; "evaluation".' in answer.answer


def test_a_bullet_mark_is_not_part_of_the_line():
    from mentor.assistant.citations import sentences

    assert sentences("- overfitting\n• loss\no\ttrain_test_split, KNN\n- o ring") == [
        "overfitting",
        "loss",
        "train_test_split, KNN",
        "o ring",
    ]


def test_skipping_what_the_roadmap_calls_optional_is_a_yes_with_no_topic_named(ask):
    answer = ask("in the 6 month plan the khan academy comp sci course is huge... can i skip the later sections of it?")
    assert answer.answer.startswith("Yes: the roadmaps mark it as optional")
    assert "Completing remaining sections is optional" in answer.answer


def test_an_experienced_learner_jumps_in_past_the_foundations_they_mostly_know(ask):
    """Not at the first section with anything new: past the furthest foundations section they know
    most of, with what they skipped that is new to them named."""
    answer = ask("cs grad, solid on data structures, python and sql. on the 6 month plan where do i jump in?")
    assert answer.answer.startswith("Pick up six-month-weekly at Week 9, 10, 11, 12")
    answer = ask(
        "i know python thru oop and use numpy/pandas daily at work. in the 6 month plan which week do i jump in?"
    )
    assert answer.answer.startswith("Pick up six-month-weekly at Week 13, 14")
    assert "Earlier sections have some you didn't mention, worth a look: Computer science principles" in answer.answer
    # what they use outside the foundations (docker) moves nobody past the foundations they don't know; a backend
    # developer's job says they know SQL and how computers work (`test_roles`), which does
    backend = ask("backend dev, i use docker daily and know python. where do i jump in on the six month plan?")
    assert backend.answer.startswith("Pick up six-month-weekly at Week 9, 10, 11, 12")
    answer = ask("i use docker daily and know python. where do i jump in on the six month plan?")
    assert answer.answer.startswith("Pick up six-month-weekly at Week 1, 2, 3, 4")
    # SQL needs nothing: knowing it says nothing of the Python before it (the review's finding)
    assert ask("i know sql. where do i jump in on the six month plan?").answer.startswith(
        "Pick up six-month-weekly at Week 1, 2, 3, 4"
    )
    # "Step 0.1 [I]" is no step to leave for any time: everything later needs Python
    assert ask("i know sql. where do i start in the learning algorithm?").answer.startswith(
        "Pick up learning-algorithm at PHASE 0 — PROGRAMMING FOUNDATION: Step 0.1 [I]"
    )


def test_a_disagreement_says_where_each_roadmap_has_the_topic(ask):
    answer = ask("Docker: some places it's under 'additional skills' or optional, but elsewhere it's a proper step")
    head = answer.answer.split("\n")[0]
    assert head.startswith("The roadmaps disagree here.")
    assert (
        "Where each has Docker & containerisation: six-month-weekly in Additional skills that will be helpful" in head
    )
    assert "learning-algorithm in PHASE 5 — DEPLOYMENT (BECOME ML ENGINEER): Step 5.2 [P with Step 5.1]." in head
