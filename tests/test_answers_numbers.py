"""Where a learner finds what an answer quotes: an outline entry is quoted and placed with its number
("21.1. Unit Testing (…)", "Phase 4: …: 16.4 Orchestration (…)"); a coverage question's example ("… like
shap") is what its quote shows; "is it X or Y first?" is an order question, with the roadmap's own words
for that order."""

from __future__ import annotations

import re

from mentor.assistant.citations import sentences
from mentor.assistant.evidence import Line, numbered
from mentor.assistant.router import classify
from mentor.corpus.chunks import Chunk
from mentor.evaluation import answering


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
    head, *quotes = ask("master curriculum - does it cover explainability stuff like shap").answer.splitlines()
    assert head.startswith("Yes: master-curriculum has explainability in Phase 6")
    assert quotes == [  # the topic's own line, then the one with the example
        '- "26.1. Model Interpretability vs. Explainability" [1]',
        '- "26.2. Techniques: LIME, SHAP, Permutation Importance" [1]',
    ]
    # "like" is no example: the answer without one is as before
    head, first, *_ = ask("does the 6 month plan cover deep learning").answer.splitlines()
    assert first.startswith('- "Deep learning')


def test_is_it_x_or_y_first_is_answered_in_the_roadmaps_order(ask):
    answer = ask("in the dependency-correct roadmap is it mlops or deployment first?")
    head, first, *_ = answer.answer.splitlines()
    assert head.startswith("In learning-algorithm's order: Deploying a full ML system (PHASE 5")
    assert head.index("Deploying") < head.index("MLOps fundamentals")
    assert first == '- "MLOps → AFTER deployment" [1]'  # the roadmap's own words for that order, cited
    assert answer.sources[0].section.startswith("FINAL DEPENDENCY SUMMARY")
    head = ask("is it cnns or rnns first in the master curriculum?").answer.splitlines()[0]
    assert head.startswith("In master-curriculum's order: CNNs & computer vision (Phase 3")
    # a coverage question that is no order question stays one
    assert ask("is it pytorch or keras in the master curriculum?").answer.startswith("Yes: master-curriculum has")
    # another order question beside a coverage one leaves it a coverage question
    assert ask("is kubernetes in the master curriculum, and in what order").answer.startswith(
        "Yes: master-curriculum has kubernetes in Phase 4"
    )
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


def test_is_it_worth_x_or_y_first_is_still_a_decision(offline_deps):
    cur = offline_deps.curriculum
    assert classify("is it worth learning docker or kubernetes first", None, cur).name == "decision"
    assert classify("is it mlops or deployment first?", None, cur).name == "order"


def test_right_before_is_by_where_lines_stand_and_never_the_topic_itself(ask):
    # "Gradio" is also named earlier in its passage ("Streamlit or Gradio – …"): its own place is after git
    answer = ask("what comes right before git in the libraries roadmap").answer
    assert '"Gradio"' not in answer and '"Flask/FastAPI – for deploying ML models via APIs"' in answer
    answer = ask("what comes right before docker in the learning algorithm").answer
    assert "Learn Docker" not in answer and '"Learn FastAPI"' in answer
    answer = ask("what comes right before mlops in the learning algorithm").answer
    assert '"Run"' not in answer and '"Deploy full ML system:"' in answer  # a section's last line that says something


def test_an_example_asked_about_never_pushes_out_the_topics_own_line(ask):
    quotes = ask("does the master curriculum cover bayes theorem in statistics").answer.splitlines()[1:]
    assert quotes[0].startswith('- "1.3.2. Conditional Probability and Bayes\' Theorem"')
    quotes = ask("does the 6 month plan cover numpy for data visualization").answer.splitlines()[1:]
    assert quotes[0] == '- "NumPy and Pandas" [1]' and '"Visualization library"' in quotes[1]


def test_what_goes_into_a_named_phase_is_what_it_holds(ask):
    answer = ask("what goes into the intermediate ml + model selection phase? the one with the boosting libs").answer
    assert answer.startswith("Phase 3: Intermediate ML + Model Selection (")
    assert "GridSearchCV" in answer.splitlines()[0] and "xgboost" in answer.splitlines()[0]


def test_learn_them_together_names_the_step_that_pairs_them(ask):
    answer = ask("is it ok to learn all the ml theory first and do the implementation later?").answer
    assert answer.startswith(
        "No: the roadmaps have you learn them together, not one after the other (learning-algorithm: "
        '"Step 1.2 [P with Step 1.1]: Immediately IMPLEMENT using scikit-learn").'
    )
    # no partner step the question points to (several maths topics pair with ML theory): no step named
    answer = ask("should i do a full math course before starting ml according to the dependency-correct roadmap").answer
    assert answer.startswith("No: the roadmaps have you learn them together, not one after the other.\n")


def test_a_disagreements_sides_show_what_each_roadmap_says_with_where_it_says_it(ask):
    answer = ask("docker - is it core or just an extra? the codebasics plan tosses it in at the end like a bonus")
    head, *sides = answer.answer.splitlines()
    assert head.startswith("The roadmaps disagree here.")
    # the record cites the week's heading: the line under it is shown, the heading says where it is
    assert sides[0] == '- six-month-weekly (Week 23, 24: ML Ops): "MLFlow is one such opensource tool." [1]'
    assert sides[-1] == '- learning-algorithm: "MLOps → AFTER deployment" [4]'  # content already: as cited
    shown = [q for side in sides for q in re.findall(r'"([^"]+)" \[', side)]
    assert [c.quote for c in answer.citations] == shown  # what each citation records is what the learner reads


def test_an_answer_quoting_few_lines_is_topped_up_from_what_it_read(ask):
    """Up to four quotes: the lines that best answer the question among the passages the answer was shown."""
    answer = ask("do i need lightgbm too or is xgboost enough for boosting?")
    head, *quotes = answer.answer.splitlines()
    assert head == "No: the roadmaps mark it as optional, not something you must do now."
    assert len(quotes) == 4 and '- "xgboost – for high-performance gradient boosting" [1]' in quotes
    # the one roadmap named: only its lines are added
    answer = ask("xgboost or lightgbm, do I need both for the intermediate ML part of the libraries roadmap?")
    assert {c.doc for c in answer.citations} == {"libraries-and-math"}


def test_topping_up_adds_no_line_that_only_shares_a_word_from_another_passage(ask):
    answer = ask("which types of learning are there besides supervised?").answer
    assert "(Definition, History, Types of Problems)" not in answer and "variables, data types" not in answer
    # nothing quoted: nothing to top up; a proposal after the quotes: left as it was
    assert ask("is kubernetes in the master curriculum?").answer.count("\n") == 0
    answer = ask("i know pandas. is sql needed before ml?").answer
    quoted = [ln for ln in answer.split("\n\n")[0].splitlines() if ln.startswith("- ") and '"' in ln]
    assert len(quoted) == 3 and answer.split("\n\n")[1].startswith("Shall I record")


def test_topping_up_leaves_prerequisites_resources_and_advice_as_they_are(ask):
    answer = ask("what are the prerequisites for transformers?").answer
    assert not answer.splitlines()[-1].startswith('- "')  # its advice ends it, no quote after it
    answer = ask("any course for sql?").answer
    assert "if you are interested in going little more deeper" not in answer  # a sentence cut off, not added
    answer = ask("which week of the six month roadmap has sql?").answer
    assert '"Here are some course links for SQL."' not in answer  # a lead-in with nothing after it
    answer = ask("is it ok to learn all the ml theory first and do the implementation later?").answer
    assert "Theory completely → then implementation" not in answer  # stands under "DO NOT DO:": no top-up


def test_a_disagreements_side_is_the_line_about_what_is_disputed(ask):
    sides = ask("is sql core or optional? the roadmaps disagree").answer.splitlines()[1:]
    assert (
        '- libraries-and-math (Optional Tools to Learn Along the Way): "SQL\tQuerying real-world datasets" [3]' in sides
    )
    assert not any("Tool/Library" in side for side in sides)  # a table's header says nothing of SQL


def test_each_quote_of_a_bullet_is_read_against_the_passage_it_cites():
    class Cite:
        def __init__(self, n, chunk_id):
            self.n, self.chunk_id, self.quote = n, chunk_id, "recorded"

    shown = answering.shown_quotes(
        'h\n- "a" [1]; "b" [2]\n- x: "c"; "d" [1]\n- no mark "e"', [Cite(1, "A"), Cite(2, "B")]
    )
    assert shown == [("a", "A"), ("b", "B"), ("c", "A"), ("d", "A")]
    assert answering.shown_quotes("no bullets", [Cite(1, "A")]) == [("recorded", "A")]
    # an aside naming where a claim comes from is no quote of content; bullets that quote nothing else show none
    aside = '- Linear regression (from the roadmaps\' tag: "Step 2.1 [D: after Phase 1 basics]") [1]'
    assert answering.shown_quotes(aside, [Cite(1, "A")]) == []
