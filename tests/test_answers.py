"""Offline answers shaped by the question (issue 13), on the real index and graph: the direct
answer first, the passage content quoted (not its headings), short; the tools behind them
(find_lines, read_section, disagreements); and the metrics that judge them."""

import pytest

from mentor.assistant.citations import Citation, SourceBook
from mentor.assistant.tools import Toolbox
from mentor.evaluation import answering


def first_sentence(answer) -> str:
    return answering.first_sentence(answer.answer)


@pytest.mark.parametrize(
    "question,verdict",
    [
        ("do i have to finish linear algebra before i can start linear regression?", "No"),
        ("is it ok to learn the ml theory and scikit-learn at the same time?", "Yes"),
        ("is the jacobian something i need to learn as a beginner?", "No"),
    ],
)
def test_a_decision_opens_with_yes_or_no(ask, question, verdict):
    answer = ask(question)
    assert first_sentence(answer).startswith(verdict + ":"), answer.answer
    assert answer.citations


def test_the_maths_rule_is_the_reason_for_no(ask):
    answer = ask("do i have to finish linear algebra before i can start linear regression?")
    assert "parallel support" in first_sentence(answer) and "only when needed" in first_sentence(answer)


def test_which_lists_the_items_the_roadmaps_name(ask):
    answer = ask("which clustering methods are in the curriculum?")
    for item in ("K-Means", "Hierarchical", "DBSCAN"):
        assert item in first_sentence(answer)


def test_a_comparison_sets_both_sides(ask):
    text = ask("lasso vs ridge, what's the difference?").answer
    assert "L1" in text and "L2" in text


def test_how_long_answers_from_the_week_allocations(ask):
    answer = ask("how many weeks does the 6 month plan give to machine learning itself?")
    assert "4 weeks (weeks 15-18)" in first_sentence(answer)


def test_a_section_question_lists_what_the_section_holds(ask):
    answer = ask("what does phase 0 of the learning algorithm cover?")
    head = first_sentence(answer)
    assert head.startswith("PHASE 0") and "Python" in head and "SQL" in head
    assert [c["name"] for c in answer.tool_calls] == ["read_section"]


def test_a_disagreement_shows_both_sides(ask):
    answer = ask(
        "the master curriculum starts with a whole maths block but another roadmap says python first. "
        "which do i follow?"
    )
    assert answer.answer.startswith("The roadmaps disagree here.")
    assert {c.doc for c in answer.citations} >= {"master-curriculum", "learning-algorithm"}


def test_a_request_for_a_kind_of_resource_gets_that_kind(ask):
    text = ask("any video that shows calculus visually?").answer
    assert "video" in text.lower() and ("3Blue1Brown" in text or "youtube" in text)


def test_explain_says_the_roadmaps_list_it(ask):
    answer = ask("what's transfer learning?")
    assert "rather than explain it" in first_sentence(answer) and answer.citations


def test_a_background_and_a_question_are_both_answered(ask):
    answer = ask("i've finished python basics. what comes next?")
    assert answer.answer.startswith("After Python fundamentals, the roadmaps go on to:")
    assert [(p.topic, p.status) for p in answer.proposals] == [("python-basics", "done")]


# --- the tools behind them ---------------------------------------------------------------------


def test_find_lines_returns_content_lines_numbered_for_citation(offline_deps):
    tb = Toolbox(offline_deps, "ana", SourceBook())
    result = tb.run("find_lines", query="which text preprocessing steps are needed for nlp")
    assert result.data and all(not ln.title for ln in result.data)
    assert any("Tokenization" in ln.text for ln in result.data)
    assert all(tb.passage(ln.n) is ln.chunk for ln in result.data)
    assert tb.run("find_lines", query="   ").text.startswith("Cannot search")


def test_next_steps_towards_a_far_goal_tell_the_model_the_way_there(offline_deps):
    import json

    tb = Toolbox(offline_deps, "ana", SourceBook())
    far = json.loads(tb.run("next_steps", goal="llm-basics").text)
    assert far["next"] and far["way_to_goal"][-1].startswith("LLM basics")
    assert "Neural networks & deep learning theory (perceptron, MLP, activations, loss)" in far["way_to_goal"]
    near = json.loads(tb.run("next_steps", goal="python-basics").text)
    assert isinstance(near, list)  # a goal that can start now: the suggestions alone


def test_read_section_finds_a_section_by_label_and_roadmap(offline_deps):
    tb = Toolbox(offline_deps, "ana", SourceBook())
    steps = tb.run("read_section", section="Phase 0", roadmap="learning algorithm").data
    assert [c.section.split(" › ")[-1][:8] for c in steps] == ["Step 0.1", "Step 0.2", "Step 0.3", "Step 0.4"]
    weeks = tb.run("read_section", section="weeks 1-4", roadmap="6 month plan").data
    assert weeks and all(c.doc == "six-month-weekly" for c in weeks)
    assert tb.run("read_section", section="Phase 42").text.startswith("No section")


def test_disagreements_cite_both_sides(offline_deps):
    tb = Toolbox(offline_deps, "ana", SourceBook())
    result = tb.run("disagreements", topic="sql")
    found = result.data["disagreements"]
    assert found and all("sql" in c["topics"] for c in found)
    assert all(s["n"] and tb.passage(s["n"]) for c in found for s in c["sources"])
    assert "No topic" in tb.run("disagreements", topic="underwater basket weaving").text


# --- the metrics ------------------------------------------------------------------------------


def test_fact_recall_takes_alternatives_and_refuses_quoting_everything():
    facts = [["parallel support", "parallel"], ["only when needed", "when needed"], ["python"]]
    score, missing = answering.fact_recall("Maths is parallel, learned when needed [1].", facts)
    assert score == pytest.approx(2 / 3) and missing == ["python"]
    score, missing = answering.fact_recall("parallel when needed python " * 100, facts)
    assert score == 0.0 and missing == ["(answer over 250 words)"]


def test_direct_answer_wants_the_right_word_first():
    assert answering.direct_answer("No: maths is parallel support. Yes, really.", "no")
    assert not answering.direct_answer("Maths is parallel support. No.", "no")
    assert not answering.direct_answer("Yes: finish it first.", "no")


def test_a_heading_is_not_content(offline_deps):
    step = next(c for c in offline_deps.passages if c.heading.startswith("Step 0.1"))
    assert answering.is_heading("Step 0.1 [I]: Learn Python fundamentals first.", step)
    assert not answering.is_heading("variables, functions, classes", step)
    metrics = next(c for c in offline_deps.passages if c.heading.startswith("8.1. Evaluation Metrics"))
    assert not answering.is_heading(metrics.heading, metrics)  # a title that lists its items


def test_quote_is_content_reads_the_quotes_the_answer_shows_not_only_the_recorded_ones(offline_deps):
    """A citation may record a body line while the bullet shows the heading: the metric reads the bullet."""
    week = next(c for c in offline_deps.passages if c.heading.startswith("Week 23, 24"))
    cite = Citation(1, week.chunk_id, week.doc, week.title, week.section, [], None, "You need to learn atleast one")
    shown = f'Heads.\n- six-month-weekly: "{week.heading.strip()}" [1]'
    assert answering.shown_quotes(shown, [cite]) == [(week.heading.strip(), week.chunk_id)]
    assert answering.quote_share(shown, [cite], {week.chunk_id: week}) == 0.0  # the recorded quote alone said 1.0
    assert answering.quote_share("No bullets here.", [cite], {week.chunk_id: week}) == 1.0  # then what is recorded
    two = '- label: "You need to learn atleast one"; "' + week.heading.strip() + '" [1]'  # a list run: each quote
    assert answering.quote_share(two, [cite], {week.chunk_id: week}) == 0.5


def test_what_comes_after_reads_the_graph_and_each_roadmaps_own_order(ask):
    answer = ask("backprop done, what's next in deep learning?")
    assert "optimisers" in first_sentence(answer)  # the graph: what builds on backpropagation
    master = [c.quote for c in answer.citations if c.doc == "master-curriculum"]
    # master-curriculum's own next lines after "10.2.3. Backpropagation Algorithm"
    assert any("Optimization Algorithms for Deep Learning" in q for q in master), master
    assert "Backpropagation" not in " ".join(master)


def test_what_comes_after_includes_what_the_roadmaps_put_after_it_softly(ask):
    # hyperparameter tuning follows cross-validation by a soft edge (an order, not a gate)
    assert "Hyperparameter tuning" in first_sentence(ask("cross validation done. what next?"))


def test_what_follows_a_section_is_the_next_section_of_that_roadmap(ask):
    answer = ask("i just finished weeks 15-18 of the six month plan. what's next there?")
    assert first_sentence(answer).startswith("After Week 15, 16, 17, 18")
    assert "Deep Learning" in first_sentence(answer)
    assert {c.doc for c in answer.citations} == {"six-month-weekly"}


def test_an_order_question_quotes_what_the_roadmaps_list_under_each_topic(ask):
    answer = ask("what order for eda, data cleaning, preprocessing and feature engineering?")
    bullets = [line for line in answer.answer.splitlines() if line.startswith("- ")]
    assert [b.split(":")[0] for b in bullets] == [
        "- Exploratory data analysis",
        "- Data cleaning",
        "- Data preprocessing",
        "- Feature engineering",
    ]
    assert "Missing Values" in answer.answer


def test_a_question_about_a_whole_phase_names_its_topics_and_its_place(ask):
    answer = ask("which maths do i actually need for ml?")
    head = answer.answer.splitlines()[0]
    assert head.startswith("Mathematics for ML")
    for name in ("Linear algebra", "Calculus", "Probability", "Statistics"):
        assert name in head
    assert "not as a course to finish first" in head


def test_a_topic_the_roadmaps_disagree_about_says_so(ask):
    answer = ask("what is sql?")
    assert "The roadmaps disagree here: six-month-weekly puts SQL in weeks 5-6" in answer.answer


@pytest.mark.parametrize(
    "question,verdict",
    [
        ("is probability needed before i learn naive bayes?", "Yes, the part of Probability"),
        ("do i have to finish probability before i learn naive bayes?", "No"),
    ],
)
def test_maths_before_a_topic_that_uses_it_is_the_part_it_needs_never_a_whole_course(ask, question, verdict):
    assert first_sentence(ask(question)).startswith(verdict)


def test_a_comparison_opens_with_where_the_curriculum_puts_each_side(ask):
    two = first_sentence(ask("cnn vs rnn, when do i use which?"))
    assert two.startswith("The roadmaps teach them as two topics, CNNs & computer vision")
    assert "RNNs, LSTMs & sequence models" in two and "Deep learning phase" in two
    one = first_sentence(ask("mlflow vs weights & biases - do i need both?"))
    assert one.startswith("The roadmaps teach both within one topic, Experiment tracking")
    ordered = ask("fastapi vs tensorflow serving / torchserve for putting a model online?").answer
    assert "Serving models via a REST API (FastAPI/Flask) and then Deploying a full ML system" in ordered


def test_which_reads_a_numbered_outline_entry_and_its_sub_entries(ask):
    answer = ask("which types of learning are there besides supervised?")
    head = first_sentence(answer)
    assert head.startswith("Under Types of Learning, the roadmaps list Supervised Learning, Unsupervised Learning")
    assert "Reinforcement Learning" in head and "Semi-Supervised Learning" in head
    assert all(c.quote.startswith("4.2.") for c in answer.citations)


def test_which_parts_of_a_phase_lists_its_topics_even_when_one_shares_its_name(ask):
    head = first_sentence(ask("i work with spark every day. which parts of mlops will be new to me?"))
    assert head.startswith("MLOps & ML system design: its topics, in the roadmaps' order, are")
    assert "Experiment tracking" in head and "Model versioning & model registry" in head


def test_a_decision_about_nothing_the_graph_knows_gives_no_invented_yes(ask):
    answer = ask("i implemented linear regression in sklearn. do i now read all of ISLR before the next algorithm?")
    assert not first_sentence(answer).startswith(("Yes", "No"))
    assert "scikit-learn" not in first_sentence(answer)  # what they said they did is not what they asked


def test_after_that_names_what_goes_with_each_step(ask, offline_deps):
    answer = ask("backend dev, comfortable with sql, git and linux. total ml newbie. what first?")
    assert "1. Python fundamentals (with " in answer.answer and "NumPy" in answer.answer


def test_the_six_month_plan_is_a_roadmap_asked_about_not_a_plan_asked_for(ask):
    answer = ask(
        "six month plan goes straight from DL to mlflow, but i read that you should deploy first. which order?"
    )
    assert answer.answer.startswith("The roadmaps disagree here.") and "MLOps → AFTER deployment" in answer.answer


def test_two_roadmaps_named_against_each_other_is_a_disagreement(ask):
    text = ask(
        "zero-to-llm says do a tiny project first, but the other one puts projects later. who do i listen to"
    ).answer
    assert text.startswith("The roadmaps disagree here.") and "tiny sklearn project" in text


def test_a_bare_next_after_what_they_did_reads_what_they_did(ask):
    text = ask("I finished learning neural nets + backprop and did the pytorch training loop. next?").answer
    assert text.startswith("After Neural networks & deep learning theory, Backpropagation")
    assert "Build Deep Learning Project" in text  # learning-algorithm's Step 4.3, not its summary


def test_using_a_library_counts_the_foundations_it_directly_needs(ask):
    text = ask("i'm comfortable with sklearn and did a couple kaggle comps. what should i learn next?").answer
    assert "1. Python fundamentals" not in text  # scikit-learn needs Python and pandas: both inferred
    backend = ask("backend dev, comfortable with sql, git, linux and docker. total ml newbie. what first?").answer
    assert "1. Python fundamentals" in backend  # docker says nothing of Python or ML projects


def test_the_order_of_a_roadmaps_phases_is_read_from_its_table_of_contents(ask):
    head = first_sentence(ask("order of the zero-to-llm phases? i want the big picture"))
    assert "Phase 0 - Prep and Mental Model → Phase 1 - Machine Learning Fundamentals" in head
    later = ask("master curriculum: what order do the phases go in after the deep learning phase?").answer
    assert "Phase 4: The System - MLOps & Deployment → Phase 5" in later and "Phase 2:" not in later


def test_which_reads_a_labelled_list(ask):
    head = first_sentence(ask("what algorithms am i supposed to go through in the theory->sklearn loop?"))
    assert head.startswith("Under Algorithms to cover, the roadmaps list Linear Regression, Logistic Regression")


def test_a_topic_is_quoted_where_the_roadmap_says_what_it_is(ask):
    text = ask("what is RAG engineering actually").answer
    assert "Embedding, chunking, retrieval, re-ranking, and grounded generation." in text


@pytest.mark.parametrize(
    "question,covers",
    [
        ("weeks 7-8 what am i supposed to do", "Level 2 Coding Tutorials"),
        ("step 0.3 - what tools?", "Git; Linux basics"),
    ],
)
def test_a_named_section_asked_about_in_any_words_is_read(ask, question, covers):
    assert covers in first_sentence(ask(question))


def test_readiness_is_about_what_they_want_to_jump_into(ask):
    head = first_sentence(ask("can i jump into deep learning right away or do i need the classical ml stuff first?"))
    assert head.startswith("No: Neural networks & deep learning theory comes after Classical ML projects")


def test_one_roadmap_named_twice_is_not_a_disagreement(offline_deps):
    from mentor.assistant.router import _roadmaps_named

    cur = offline_deps.curriculum
    assert _roadmaps_named("the 6 month weekly plan says weeks 5-6", cur) == 1
    assert _roadmaps_named("the maths roadmap, libraries and math", cur) == 1
    assert _roadmaps_named("master curriculum has it but learning-algorithm puts it later", cur) == 2


def test_how_long_a_whole_weekly_roadmap_runs_is_read_from_its_weeks(ask):
    head = first_sentence(ask("how long does the whole weekly roadmap take start to finish"))
    assert head.startswith("Step-by-Step 6-Month Roadmap for Machine Learning Engineers runs 24 weeks")


def test_what_the_learner_works_with_shapes_a_readiness_verdict(ask):
    text = ask("backend dev here, 5 yrs python, use docker daily. can i skip straight to deploying models?").answer
    first = text.split("\n")[0]
    assert first.startswith("No: Deploying a full ML system comes after Serving models via a REST API")
    assert "scikit-learn" in first.split("still missing for you:")[1]
    assert "Python fundamentals" not in first and "Docker" not in first  # what they said they use is not "missing"


def test_what_the_learner_works_with_counts_for_next_steps_and_nothing_is_recorded(ask, offline_deps):
    text = ask("I work in BI - lots of SQL reports, some pandas. where do i actually start?", learner="bi").answer
    assert text.startswith("Counting SQL & relational databases, Pandas DataFrames & data manipulation as known")
    suggested = [line.split(".")[1].strip() for line in text.split("\n") if line[:2] in ("1.", "2.", "3.", "4.")]
    assert suggested and not any(s.startswith(("Python fundamentals", "Pandas", "SQL")) for s in suggested)
    assert offline_deps.progress.statuses("bi") == {}


def test_a_goal_far_away_gets_the_way_there(ask):
    text = ask("i want to work on LLMs. what's my path?").answer
    way = next(line for line in text.split("\n") if line.startswith("The way to LLM basics"))
    names = way.split(": ", 1)[1].rstrip(".").split(" → ")
    assert names[-1] == "LLM basics" and "Neural networks & deep learning theory" in names
    assert names.index("Neural networks & deep learning theory") < names.index(
        "Attention & the transformer architecture"
    )


def test_theory_first_then_code_is_answered_from_the_roadmaps_together_rule(ask):
    text = ask("should i learn all the theory before i code anything?").answer
    assert text.startswith("No: the roadmaps have you learn them together")
    assert '"Theory and implementation MUST be learned together." [' in text


def test_a_roadmap_and_a_topic_done_there_go_on_to_that_roadmaps_next_section(ask):
    text = ask("6 month plan: done with sql weeks. whats next").answer
    assert text.startswith(
        "After Week 5, 6: SQL Basics, six-month-weekly goes on to Week 7, 8: Level 2 Coding Tutorials:"
    )


def test_what_the_learner_has_never_done_is_where_moving_on_heads(ask):
    text = ask("data scientist here - i train models in jupyter but have never deployed one. how do i level up?").answer
    assert "The way to Deploying a full ML system, in the roadmaps' order:" in text
    assert "Serving models via a REST API → Deploying a full ML system." in text


def test_which_questions_in_learners_words_list_the_items(ask):
    text = ask("what activation functions do i need to know for neural nets").answer
    assert text.startswith("For Activation Functions, master-curriculum names Sigmoid, Tanh, ReLU")
    text = ask("clustering algos — which ones are on the list?").answer
    assert "DBSCAN" in text.split("\n")[0] and "Hierarchical Clustering" in text.split("\n")[0]


def test_a_comparison_quotes_each_side_on_its_own(ask):
    text = ask("tensorflow/keras vs pytorch - which one for a beginner?").answer
    assert '"Option A – TensorFlow/Keras (Beginner Friendly)"' in text and '"Option B – PyTorch' in text
    text = ask("xgboost or lightgbm? how do they differ in the roadmap").answer
    assert "Side by side" in text and '"lightgbm (optional)' in text
    assert '"5.6.5. t-SNE (for Visualization)"' in ask("PCA vs t-SNE — what is each one for?").answer


def test_a_roadmaps_mark_is_answered_from_its_legend(ask):
    text = ask("what does the [P] tag mean in the learning algorithm").answer
    assert text.startswith("In learning-algorithm, [P] means Parallel (must learn together with something).")
    text = ask("what does [D: after projects] mean?").answer
    assert text.startswith("In learning-algorithm, [D] means Dependent") and "here it applies after projects" in text
    assert ask("what does the [Q] tag mean?").answer.startswith("No roadmap defines a [Q] mark, so I won't guess")


def test_a_question_nothing_in_the_roadmaps_matches_is_not_an_empty_quote_list(ask):
    text = ask("what is ###?").answer
    assert "don't cover that, so I won't guess" in text and "What the roadmaps say:" not in text


def test_the_steps_of_a_chain_are_listed_in_order(ask):
    text = ask("explain the learn-implement-experiment loop thing, what are the steps").answer
    assert "Learn THEORY → Implement using sklearn → Experiment → Visualize → Analyze errors" in text.split("\n")[0]


def test_a_kind_of_resource_asked_with_what_or_which(ask):
    text = ask("what datasets should i use for my very first sklearn models?").answer
    assert text.startswith("The roadmaps point to this dataset") and "Iris, Titanic, Boston Housing" in text
    text = ask("which book for deep learning?").answer
    assert text.startswith("The roadmaps name no book for Neural networks")  # said, then what they do link
    assert "youtube.com/playlist" in text


def test_a_section_by_its_outline_number_and_a_long_heading_in_full(ask):
    text = ask("what's covered in data preprocessing 5.4? i keep hearing about encoding and scaling").answer
    assert text.startswith("5.4 Data Preprocessing (The Master Curriculum") and "Handling Imbalanced Data" in text
    text = ask("what's in step 1.3?").answer
    assert text.startswith("Step 1.3 [P with Step 1.1]: Learn required MATH intuition only when needed (")
    assert "When learning gradient descent" in text.split("\n")[0]


def test_skipping_what_the_learner_already_uses_and_where_to_pick_up(ask):
    text = ask("im a data analyst and write sql every day. following the weekly plan can i skip the sql part?").answer
    assert text.startswith("Yes: you already work with SQL & relational databases")
    assert "Pick up at Week 7, 8: Level 2 Coding Tutorials of six-month-weekly" in text
    assert ask("can i skip sql?").answer.startswith("No: the roadmaps include SQL")  # no background: not a yes


def test_order_questions_read_the_pair_asked_about_and_the_roadmaps_phases(ask):
    text = ask("when I get to deployment, can I pick up Docker at the same time as FastAPI?").answer
    assert text.startswith(
        "Yes: the roadmaps let you learn Docker & containerisation and Serving models via a REST API"
    )
    text = ask("should I study reinforcement learning properly early on, like alongside supervised learning?").answer
    assert text.startswith("No: the roadmaps put Reinforcement learning after")
    text = ask(
        "I just bought Hands-On Machine Learning. Can I start reading it on day one, before anything else?"
    ).answer
    assert (
        text.startswith("No: Hands-On Machine Learning book comes after")
        and "Step 2.1 [D: after Phase 1 basics]" in text
    )


def test_a_plan_the_learner_mentions_is_not_a_plan_asked_for(ask, offline_deps):
    from mentor.assistant.router import classify

    text = ask(
        "one plan says implement deep learning in pytorch, another says tensorflow/keras is fine. pytorch or keras??"
    )
    assert text.answer.startswith("The roadmaps disagree here.") and "PyTorch" in text.answer
    assert classify("make me a plan at 8 hours a week", None, offline_deps.curriculum).name == "plan"


def test_a_whole_course_first_is_a_decision_not_a_resource_request(ask):
    text = ask(
        "honestly do i have to sit through a whole calculus course before i'm allowed to touch any ml algorithm??"
    )
    assert text.answer.startswith("No: the roadmaps treat maths such as Calculus as parallel support")


def test_weeks_named_with_and_are_a_section(ask):
    text = ask("What am I doing in weeks 7 and 8 of the six month roadmap?").answer
    assert text.startswith("Level 2 Coding Tutorials (Step-by-Step 6-Month Roadmap") and "tutorial # 15 to # 27" in text


def test_a_contrast_line_of_the_roadmaps_is_quoted_for_a_comparison(ask):
    text = ask("batch prediction vs online prediction - what's the difference?").answer
    assert '"16.2.3. Batch Prediction vs. Online Prediction"' in text and "Mini-Batch" not in text


def test_order_answers_name_the_dependency_correct_roadmaps_steps(ask):
    text = ask("in what order should I do mlops, deep learning and deployment? keep going back and forth").answer
    assert text.startswith(
        "In the roadmaps' order: Neural networks & deep learning theory (Step 4.1) → Deploying a full ML system"
        " (Step 5.3) → MLOps fundamentals & ML pipelines (Step 6.1)."
    )
    assert (
        "Classical ML projects (data → clean → train → evaluate → improve) (Step 3.1)"
        in ask("ok finished the hands-on ml book. now what?").answer
    )


def test_which_reads_lists_under_an_emoji_label_and_asides_and_typos(ask):
    text = ask("need portfolio ideas. what projects does the roadmap suggest?").answer
    assert "Spam classifier, Movie recommendation system, Customer churn prediction" in text.split("\n")[0]
    text = ask("which techniqes for explaining model predictions are listed? like XAI stuff").answer
    assert text.startswith("Under Explainable AI, the roadmaps list") and "LIME, SHAP" in text.split("\n")[0]
    assert "DBSCAN" in ask("what libs am I supposed to use for the unsupervised / clustering part").answer


def test_a_statement_opening_with_did_and_a_what_question_is_not_a_decision(offline_deps):
    from mentor.assistant.router import classify

    message = "did the kaggle python course and I'm ok with numpy + pandas now. what's the next thing?"
    assert classify(message, None, offline_deps.curriculum).name != "decision"


def test_a_quoted_phrase_is_answered_from_the_roadmap_that_uses_it(ask):
    text = ask("what do they mean by 'data literacy' in phase 0?").answer
    assert text.startswith('zero-to-llm-phases says "Data Literacy"') and "avoiding data leakage" in text
    text = ask("what do they mean by learning numpy/pandas at 'syntax level only'?").answer
    assert '"Do NOT learn ML usage yet."' in text and "Be able to load, manipulate, and visualize data." in text
    assert "NOT prerequisite completion" in ask("what does 'parallel support' mean?").answer  # not the recap
    text = ask("what does 'blorp fizz' mean?").answer
    assert text.startswith("The roadmaps don't use the words") and "[1]" not in text


def test_review_findings_stay_fixed(ask, offline_deps):
    from mentor.assistant.forms import resource_kind
    from mentor.assistant.router import classify
    from mentor.learning.order import implied_known

    cur = offline_deps.curriculum
    assert resource_kind("any good bookſ on python?") in ("book", None)  # the long s: no crash
    assert "model-serving-fastapi" not in implied_known(cur, ["docker"])  # its companion needs ML projects
    assert ask("I use docker daily. what next?").answer.startswith("Counting Docker & containerisation as known")
    text = ask("can i skip deep learning and go to llms?").answer
    assert text.startswith("No: the roadmaps put Neural networks & deep learning theory before LLM basics")
    assert ask("can i skip it?").answer.startswith("Which topic do you mean?")
    both = ask("I finished pandas. what does [P] mean?")
    assert "[P] means Parallel" in both.answer and [p.topic for p in both.proposals] == ["pandas"]
    assert classify("what do i learn now?", None, cur).name == "next"
    for message in ("I can study 2.5 hours a day, what should i learn?", "using python 3.11, what should i study?"):
        assert classify(message, None, cur).name != "section"
    assert "loops" not in ask("what do they mean by 'ops'?").answer
    text = ask("I use pandas daily. can i skip the pandas part of the 6 month plan?").answer
    assert text.startswith("Yes: you already work with Pandas") and "Pick up at" not in text  # numpy's weeks too
