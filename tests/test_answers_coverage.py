"""Whether the roadmaps have something ("does the six month plan cover transformers?"): yes or no
first, then where each roadmap has it, in its own words (`offline/coverage.py`)."""

from __future__ import annotations

from mentor.assistant.router import classify


def test_a_roadmap_that_has_the_topic_is_a_yes_with_its_section(ask):
    answer = ask("is docker covered in the learning algorithm?")
    assert answer.answer.startswith(  # the word as asked: the topic is Docker & containerisation
        "Yes: learning-algorithm has docker in PHASE 5 — DEPLOYMENT (BECOME ML ENGINEER): Step 5.2 [P with Step 5.1]."
    )
    assert answer.citations and answer.citations[0].doc == "learning-algorithm"


def test_a_roadmap_without_it_is_a_no_with_the_ones_that_have_it(ask):
    answer = ask("does the six month plan cover transformers?").answer
    assert answer.startswith("No: six-month-weekly does not name transformers; ")
    assert "master-curriculum in Phase 3: The Depth - Deep Learning" in answer


def test_a_roadmap_without_it_says_the_nearest_thing_it_has(ask):
    """A mentor says what the plan does have: the nearest topic through the graph, within a phase of
    the one asked about, quoted from the roadmap named."""
    answer = ask("does the 6 month plan teach pytorch?").answer
    assert answer.startswith(
        "No: six-month-weekly does not name PyTorch; the nearest it comes is Neural networks & deep learning "
        "theory, in Week 19, 20, 21, 22: Deep Learning. It is in learning-algorithm in PHASE 4"
    )
    assert answer.splitlines()[1].startswith('- "Deep learning')  # the six month plan's own line, first
    answer = ask("is rag part of the master curriculum?").answer  # not Python, a hop away but phases apart
    assert "the nearest it comes is Pretrained models, transfer learning & fine-tuning" in answer
    assert '"14.6. Pre-trained Transformer Models (BERT, GPT, etc.) and Fine-tuning"' in answer  # its cited passage


def test_a_line_under_a_short_label_is_quoted_with_it(ask):
    answer = ask("does the llm roadmap mention reinforcement learning at all").answer
    assert '- Extensions: "Time-series, recommender systems, and RL basics." [1]' in answer.splitlines()
    answer = ask("does the master curriculum cover agents?").answer  # the label is asked about: what it holds
    assert '- Agent Systems: "Planning, tools, memory, and defenses against hallucination/prompt injection."' in answer


def test_two_roadmaps_named_answer_each(ask):
    answer = ask("does the master curriculum and the llm roadmap cover rag?").answer
    assert answer.startswith("Yes, in part: zero-to-llm-phases has rag in Phase 4")  # the word as asked
    assert "master-curriculum does not name rag." in answer
    answer = ask("is pytorch mentioned in the six month plan and the learning algorithm?").answer
    assert answer.startswith("Yes, in part: learning-algorithm has PyTorch in PHASE 4")  # not a disagreement


def test_no_roadmap_named_counts_the_roadmaps_that_have_it(ask):
    assert ask("is there anything about recommender systems?").answer.startswith(
        "Yes: 3 of the 5 roadmaps have Recommender systems: "
    )


def test_a_typo_is_read_as_the_topic_it_spells(ask):
    assert ask("does the six month plan cover pytroch?").answer.startswith("No: six-month-weekly does not name PyTorch")


def test_words_in_no_line_are_a_no_and_out_of_scope(ask):
    answer = ask("does the plan say anything about cooking?").answer
    assert answer.startswith("No: I can't find cooking in any of the roadmaps.") and "don't cover that" in answer
    # a word in no line makes the phrase absent too ("computing" is in some line, "quantum" in none), and
    # each of the things asked about: "gans or diffusion models"
    answer = ask("is there anything about quantum computing?").answer
    assert answer.startswith("No: I can't find quantum computing in any") and "don't cover that" in answer
    answer = ask("do any of these roadmaps cover gans or diffusion models").answer
    assert answer.startswith("No: I can't find gans or diffusion models in any of the roadmaps.")
    # one of them there is no "no": "docker or cooking"
    assert not ask("does any roadmap cover docker or cooking?").answer.startswith("No: I can't find")


def test_the_object_asked_about_is_what_is_looked_for(ask):
    """'… recommend learning javascript for ml?' asks about javascript (no topic), not ML; 'one of the books'
    and 'more than one of the roadmaps' are coverage questions; the typo repairs touch only the object."""
    answer = ask("does any of the roadmaps recommend learning javascript for ml?").answer
    assert answer.startswith("No: I can't find javascript in any of the roadmaps.")
    assert ask("is mlflow mentioned in more than one of the roadmaps").answer.startswith(
        "Yes: 3 of the 5 roadmaps have mlflow: "
    )
    assert ask("is ISLR one of the books the learning algorithm suggests for theory?").answer.startswith(
        "Yes: learning-algorithm mentions islr"
    )
    assert ask("does the libraries roadmap use sql at all?").answer.startswith("Yes: libraries-and-math has sql in")


def test_what_a_roadmap_has_is_its_words_not_a_broader_topic_s(ask):
    """The review's findings: a word of a broad topic, a stem shared with another word, a link, a tag."""
    assert ask("does the six month plan cover flask?").answer.startswith("No: six-month-weekly does not name flask")
    assert ask("does the six month plan cover seaborn?").answer.startswith("No: six-month-weekly does not name seaborn")
    assert ask("does zero to llm cover xgboost?").answer.startswith("No: zero-to-llm-phases does not name xgboost")
    transformers = ask("does the six month plan cover transformers?").answer  # not "transformations"
    assert "libraries-and-math" not in transformers.split("\n")[0]
    assert ask("does the learning algorithm cover machine learning?").answer.startswith(
        "Yes: learning-algorithm has machine learning in PHASE 1"  # not Step 4.1 [D: after Classical ML]
    )
    assert ask("does the six month plan cover sckit learn?").answer.startswith(
        "No: six-month-weekly does not name scikit-learn"
    )


def test_words_that_name_no_topic_are_found_in_the_roadmap_s_lines(ask):
    answer = ask("are there any projects in the zero to llm roadmap?")
    assert answer.answer.startswith("Yes: zero-to-llm-phases mentions projects:")
    assert all(c.doc == "zero-to-llm-phases" for c in answer.citations)


def test_what_is_not_a_coverage_question_keeps_its_route(offline_deps):
    cur = offline_deps.curriculum
    assert classify("does the six month plan cover transformers?", None, cur).name == "covers"
    assert classify("is there a playlist for DSA in the codebasics roadmap?", None, cur).name != "covers"
    assert classify("is there any tool in the libraries roadmap for smarter tuning?", None, cur).name != "covers"
    assert classify("do i need to know docker to deploy a model?", None, cur).name != "covers"
    assert classify("does the learning algorithm want me to read papers?", None, cur).name != "covers"


def test_a_prerequisite_question_is_one_of_order(ask):
    """'Is A a prerequisite for B?' is decided by the graph: maths is parallel support."""
    answer = ask("is statistics a prerequisite for machine learning?").answer
    assert answer.startswith("No: the roadmaps treat maths such as Statistics as parallel support")


def test_doing_one_topic_without_another_is_skipping_the_other(ask):
    """'Can I start Y without X?' asks whether X may be skipped on the way to Y: the graph's verdict,
    turned round."""
    assert ask("can i start with llms without knowing deep learning?").answer.startswith(
        "No: the roadmaps put Neural networks & deep learning theory before LLM basics"
    )
    assert ask("can i do deployment without docker?").answer.startswith(
        "No: Deploying a full ML system (Step 5.3) builds on Docker & containerisation (Step 5.2)"
    )
    assert ask("can i start deep learning without linear algebra?").answer.startswith(
        "Yes: the roadmaps treat maths such as Linear algebra for ML as parallel support"
    )


def test_a_yes_no_question_about_agreement_opens_with_its_answer(ask):
    """A disagreement recorded answers "do they agree?" with a no and "do they disagree?" with a yes; "X or Y?
    they seem to differ" asks what to do, and gets no yes or no."""
    assert ask("do all the roadmaps agree that python comes first?").answer.startswith(
        "No, the roadmaps disagree here. master-curriculum opens Phase 1 with a full Mathematics for ML block"
    )
    assert ask("do the roadmaps disagree about when to learn maths?").answer.startswith(
        "Yes, the roadmaps disagree here."
    )
    answer = ask(
        "do i need to learn how computers work before writing code, or start coding straight away? roadmaps differ"
    )
    assert answer.answer.startswith("The roadmaps disagree here.")


def test_a_coverage_question_about_that_is_no_coverage_question(offline_deps):
    question = "ios dev here. does the libraries roadmap have anything for that, and where should i start?"
    assert classify(question, None, offline_deps.curriculum).name != "covers"


def test_am_i_ready_is_a_yes_or_no_on_what_the_topic_needs(ask):
    answer = ask("am i ready for deep learning if i finished the sklearn algorithms?").answer
    assert answer.startswith("No: Neural networks & deep learning theory comes after Classical ML projects")
    answer = ask("i know linear regression and logistic regression. can i move on to deep learning?").answer
    assert answer.startswith("No: Neural networks & deep learning theory comes after Classical ML projects")
    assert "Shall I record Linear regression as done" in answer  # the statement is still proposed, not recorded


def test_is_x_optional_is_answered_the_right_way_round(ask):
    """On the path is a no to "is it optional?", and "optional" in the roadmap a yes."""
    assert ask("is sql optional in the learning algorithm?").answer.startswith(
        "No: the roadmaps include SQL & relational databases on the path"
    )
    assert ask("is lightgbm optional?").answer.startswith("Yes: the roadmaps mark it as optional")


def test_a_word_of_a_broader_topic_is_looked_for_as_written(ask):
    """'kaggle' names the projects topic, yet a roadmap with projects and no Kaggle does not name it."""
    answer = ask("is kaggle mentioned in the learning algorithm?").answer
    assert answer.startswith("No: learning-algorithm does not name kaggle; master-curriculum in Phase 7")
    assert ask("is streamlit recommended for projects?").answer.startswith(
        "Yes: one roadmap has streamlit: libraries-and-math in"
    )


def test_without_ready_and_move_on_decide_only_about_a_topic(offline_deps):
    cur = offline_deps.curriculum
    assert classify("can i start deep learning without linear algebra?", None, cur).name == "decision"
    assert classify("am i ready for nlp?", None, cur).name == "decision"
    assert classify("can i learn ml without a gpu?", None, cur).name != "decision"
    assert classify("am i ready to apply for ml jobs?", None, cur).name != "decision"


def test_whether_the_roadmaps_agree_at_all(ask):
    answer = ask("do the roadmaps agree with each other?").answer
    assert answer.startswith("No, the roadmaps disagree in ") and "places I know of: " in answer
    answer = ask("do the roadmaps disagree about cooking?").answer  # about something no roadmap has
    assert "don't cover that" in answer and not answer.startswith("Yes")
    assert not ask("does it matter that the roadmaps disagree on sql?").answer.startswith(("Yes", "No"))
    assert ask("so do the roadmaps agree on sql?").answer.startswith("No, the roadmaps disagree here.")


def test_coverage_questions_as_learners_ask_them(ask, offline_deps):
    """The review's misses and thefts: 'is X in the plan?', 'does the plan have X?', 'ML Ops' written apart."""
    assert ask("is pytorch in the six month plan?").answer.startswith("No: six-month-weekly does not name PyTorch")
    assert ask("does the six month plan have docker?").answer.startswith("Yes: six-month-weekly has docker in")
    assert ask("is mlops part of the six month plan?").answer.startswith(
        "Yes: six-month-weekly has mlops in Week 23, 24: ML Ops."
    )
    assert ask("are transformers in any roadmap?").answer.startswith("Yes: 2 of the 5 roadmaps have transformers")
    cur = offline_deps.curriculum
    for question in (
        "is python recommended over r?",
        "is deep learning part of ai?",
        "does it matter that the plan doesn't include pytorch?",
        "does the six month plan cover more than the learning algorithm?",
        "does the plan cover sql, and how long does it take?",
        "does it have to be pytorch?",
    ):
        assert classify(question, None, cur).name != "covers", question


def test_readiness_counts_the_order_the_roadmaps_follow_too(ask):
    """'Ready for LLMs?' after PyTorch is a no, as 'LLMs without deep learning?' is: the roadmaps put the
    transformer first, though no hard prerequisite says so (the review's M6)."""
    answer = ask("i know python, pandas, numpy, sklearn and pytorch. am i ready for llms?").answer
    assert answer.startswith("No, not yet: the roadmaps put Attention & the transformer architecture")
    assert ask("done with pandas and numpy. am i ready for machine learning?").answer.startswith("Yes: ")
