"""Each side of a comparison or a difference between roadmaps, in what the roadmap says of it: a phase
compared with a phase is named with the sections it holds, a step with the list it teaches, a week with
what its label heads; and where two roadmaps are said to differ, each is searched with what the
question says of that roadmap."""

from __future__ import annotations

from pathlib import Path

from mentor.corpus.documents import load_documents, roadmap_clauses

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def test_a_phase_compared_is_named_with_the_sections_it_holds(ask):
    answer = ask(
        "how is phase 4 of the master curriculum different from phase 5, they both sound like engineering"
    ).answer
    assert "Phase 4: The System - MLOps & Deployment: Introduction to MLOps, " in answer
    assert "Phase 5: The Craft - Software Engineering Principles for ML: Code Quality and Best Practices, " in answer
    assert "Software Testing" in answer
    assert "(under Phase 4" not in answer  # a top part stands under nothing


def test_a_step_compared_quotes_the_list_it_teaches(ask):
    answer = ask("whats the diff between step 4.1 and 4.2 in the dependency roadmap, arent they both just dl").answer
    assert '- Learn: "neural networks"; "loss functions"; "backpropagation" [1]' in answer
    assert '- Learn: "tensors"; "training loop"; "validation" [2]' in answer


def test_a_week_whose_label_is_a_bullet_quotes_what_the_bullet_heads(ask):
    answer = ask("codebasics: weeks 15-18 vs weeks 19-22, whats different about what id be doing").answer
    assert "Week 15, 16, 17, 18: Machine Learning and Week 19, 20, 21, 22: Deep Learning" in answer
    assert '"data science regression project: same playlist as above."' in answer
    assert "convolutional neural network, recurrent neural network" in answer
    assert '"Tutorial 18 to 25"' not in answer  # "18" of "weeks 15-18" picks no line


def test_what_a_question_says_of_each_roadmap():
    docs = load_documents(CORPUS)
    said = roadmap_clauses(
        docs,
        "llm roadmap says build one little sklearn project first, while the dependency one begins every "
        "algorithm with theory and codes it right away. which way round should i go",
    )
    assert said["zero-to-llm-phases"].startswith("says build one little sklearn project first")
    assert said["learning-algorithm"] == "begins every algorithm with theory and codes it right away"
    assert roadmap_clauses(docs, "what is overfitting?") == {}
    said = roadmap_clauses(docs, "how do the 6 month plan and the master curriculum differ on mlops?")
    assert said["master-curriculum"] == "differ on mlops"
    # what stands before a name, when nothing follows it before the sentence turns
    said = roadmap_clauses(
        docs, "mlflow is optional in the libraries roadmap but scheduled in week 23 of the 6 month plan"
    )
    assert said == {
        "libraries-and-math": "mlflow is optional in the",
        "six-month-weekly": "scheduled in week 23 of the",
    }


def test_a_roadmap_is_searched_for_what_the_question_says_of_it(ask):
    answer = ask(
        "master curriculum teaches attention + transformers inside the deep learning / nlp part, but the llm roadmap "
        "waits until the llm phase for attention. when am i supposed to learn it"
    ).answer
    assert answer.startswith("I know of no disagreement between the roadmaps there. Each in its own words:")
    assert "14.5 Transformers and Attention Mechanisms" in answer
    # the LLM roadmap's place for transformers says nothing of what the question says of it: that roadmap is searched
    assert "Tokenization, embeddings, and the move toward Transformer-based methods." not in answer
    assert (
        '- zero-to-llm-phases (Phase 4 - LLM and Agents): "Attention intuition, pretraining/fine-tuning/alignment '
        'concepts, context limits." [2]' in answer
    )


def test_a_roadmap_named_that_a_recorded_disagreement_leaves_out_gets_its_side(ask):
    answer = ask(
        "the 6 month plan does mlflow at the very end but the llm roadmap wants experiment tracking in its production "
        "phase, when do i learn tracking"
    ).answer
    assert answer.startswith("The roadmaps disagree here. six-month-weekly goes from deep learning straight to ML Ops")
    assert (
        '- zero-to-llm-phases (Phase 5 - Production and Growth): "Experiment tracking, model versioning, rollback, '
        'and drift awareness."' in answer
    )
    answer = ask("dependency roadmap vs libraries-and-math: how differently do they treat math?").answer
    assert "- libraries-and-math (" in answer and "- learning-algorithm: " in answer


def test_a_main_part_asked_about_is_no_when_the_roadmap_has_it_only_aside(ask):
    answer = ask("is docker actually scheduled in one of the weeks of the codebasics 6 month roadmap").answer
    assert answer.startswith(
        "No: six-month-weekly has docker only in Additional skills that will be helpful, outside its main path."
    )
    answer = ask("does the libraries roadmap have sql as one of its main phases?").answer
    assert answer.startswith("No: libraries-and-math has sql only in 📦 Optional Tools to Learn Along the Way")
    # whether it is there at all is still a yes; so is a main part a roadmap schedules
    assert ask("does the libraries roadmap have sql?").answer.startswith("Yes: libraries-and-math has sql in 📦")
    assert ask("is sql one of the main weeks of the 6 month plan?").answer.startswith("Yes: six-month-weekly has")


def test_starting_without_an_item_listed_as_nice_to_have_is_a_yes(ask):
    answer = ask("per the libraries and math roadmap is it fine to start ml without knowing svd yet").answer
    assert answer.startswith('Yes: libraries-and-math lists "SVD" under Nice-to-Have (Advanced/Helpful but Not')
    answer = ask("can i start ml without knowing the cross product").answer
    assert answer.startswith('Yes: libraries-and-math lists "cross product" under Nice-to-Have')


def test_what_a_learner_coded_in_a_class_with_others_is_their_background(offline_deps):
    from mentor.assistant.background import background_topics

    said = (
        "cs grad here. took an intro ml elective where we went thru ISLR and coded linear/logistic regression, knn, "
        "decision trees, random forest, svm, kmeans and pca in sklearn. what should i do next?"
    )
    found = {t.id for t in background_topics(said, offline_deps.curriculum)}
    assert {"logistic-regression", "knn", "decision-trees", "svm", "pca", "scikit-learn"} <= found
    # someone else's work is still not the learner's, nor is what they never did
    assert not background_topics("my brother coded knn and svm in sklearn. where do i start?", offline_deps.curriculum)
    assert not background_topics("they implemented pca for us. what is pca?", offline_deps.curriculum)
    assert not background_topics("never coded knn. is it hard?", offline_deps.curriculum)


def test_a_part_named_by_its_number_in_brackets_is_that_part(ask):
    answer = ask("6 month plan: how is the ml block (weeks 15-18) different from the dl block (weeks 19-22)?").answer
    assert (
        "Side by side, from six-month-weekly: Week 15, 16, 17, 18: Machine Learning and Week 19, 20, 21, 22" in answer
    )


def test_one_thing_in_two_places_of_a_roadmap_is_each_place(ask):
    answer = ask(
        "why does pca show up twice in the master curriculum, once in the data prep/feature part and once again "
        "later? whats the difference between the two spots"
    ).answer
    assert answer.startswith("master-curriculum lists pca in 2 places: ")
    assert (
        "5.6 Feature Selection and Dimensionality Reduction; " in answer and "7.2 Dimensionality Reduction." in answer
    )
    assert '- "5.6.4. Principal Component Analysis (PCA)" [1]' in answer and '- "7.2.1. PCA (Revisited)" [2]' in answer


# --- what the review of this change found ------------------------------------------------------------------------


def test_main_is_asked_only_of_a_main_part(ask):
    for asked in (
        "does the main roadmap of codebasics cover docker?",
        "docker is core to my job - does the 6 month plan cover it?",
        "is docker in one of the sections of the 6 month plan?",
    ):
        assert ask(asked).answer.startswith("Yes: six-month-weekly has docker in Additional skills"), asked
    answer = ask("is docker in one of the main phases of the libraries roadmap and the dependency roadmap?").answer
    assert answer.startswith("Yes, in part: learning-algorithm has docker in PHASE 5")
    assert (
        "libraries-and-math has docker only in 📦 Optional Tools to Learn Along the Way, outside its main path"
        in answer
    )


def test_whether_going_on_without_an_item_is_wrong_is_asked_the_other_way_round(ask):
    answer = ask("should i avoid starting ml without knowing the jacobian?").answer
    assert answer.startswith('No: libraries-and-math lists "Jacobian" under Nice-to-Have')


def test_an_either_or_after_a_roadmap_named_is_no_yes_no_question(ask):
    answer = ask("in the libraries roadmap is it tensorflow or pytorch?").answer
    assert not answer.startswith(("Yes", "No"))


def test_what_a_course_or_someone_else_covered_is_not_the_learners(offline_deps):
    from mentor.assistant.background import background_topics

    cur = offline_deps.curriculum
    for said in (
        "this video covered backprop and transformers, what should i learn next?",
        "our professor covered svm and pca, where do i start",
        "i played with pytorch but gave up, where do i start",
        "the roadmap covered sql, where do i start?",
    ):
        assert not background_topics(said, cur), said
    assert {t.id for t in background_topics("coded knn and svm in class. what next?", cur)} == {"knn", "svm"}
    # a "but" ends what a negation says: git and linux are theirs, pandas is not
    said = "i use git and the linux terminal every single day but ive never touched pandas. where do i start?"
    assert {t.id for t in background_topics(said, cur)} == {"git", "linux"}
    assert not background_topics("python, never touched it. where do i start?", cur)


def test_a_side_is_never_a_line_that_says_none_of_what_is_said_of_that_roadmap(ask):
    answer = ask("the libraries roadmap says ????? but the llm roadmap says !!!!!").answer
    assert "MLFlow is one such opensource tool." not in answer


def test_a_compared_heading_is_not_said_to_stand_under_itself(ask):
    answer = ask("step 0.1 vs step 0.2 in the dependency roadmap").answer
    assert "(under " not in answer.splitlines()[0]
    assert "both under PHASE 0 — PROGRAMMING FOUNDATION" in answer
    assert "(under Phase 1" not in ask("libraries roadmap: phase 1 vs phase 2").answer


def test_a_negation_after_a_but_about_the_same_thing_still_counts(offline_deps):
    from mentor.assistant.background import background_topics

    cur = offline_deps.curriculum
    for said in (
        "i know sql but not really",
        "i know numpy though i never really used it",
        "i studied linear algebra but dont remember any of it",
        "i coded knn but never understood it",
        "i know git but not github",
        "i watched a lecture that covered svm",
    ):
        assert not background_topics(said, cur), said
    assert [t.id for t in background_topics("used numpy while i never did pandas", cur)] == ["numpy"]
    assert [t.id for t in background_topics("i covered linear algebra but quit calculus", cur)] == ["linear-algebra"]


def test_the_6_month_plan_is_no_duration(offline_deps):
    from mentor.assistant.offline.placing import DURATION

    assert DURATION.sub("", "taught calc for 10 yrs, 3 months of python").split() == [
        "taught",
        "calc",
        "for",
        ",",
        "of",
        "python",
    ]
    assert DURATION.sub("", "phase 0 of the 6 month plan") == "phase 0 of the 6 month plan"


def test_a_part_is_not_skimmed_for_what_the_learner_lacks(ask):
    answer = ask(
        "i use git and linux daily but never used jupyter. which parts of phase 0 of the learning algorithm are new "
        "for me?"
    ).answer
    assert "you can skim Step 0.3" not in answer and "Step 0.3 [I]: Learn basic engineering tools" in answer


def test_examples_in_brackets_are_no_side_of_an_order_asked(ask):
    answer = ask(
        "do i actually have to finish classical ml (trees, svm, etc) before i touch deep learning in the dependency "
        "roadmap or can i do both at once"
    ).answer
    assert answer.startswith("Yes: Neural networks & deep learning theory (Step 4.1) builds on Machine learning")
    assert "Support vector machines" not in answer
    assert ask("can i skip classical ml and go straight to deep learning?").answer.startswith("No: ")


def test_before_or_after_with_words_between_is_an_order_in_the_roadmap_named(ask, offline_deps):
    from mentor.assistant.router import classify

    asked = "master curriculum q: are transformers/attention covered before the mlops part or after"
    assert classify(asked, None, offline_deps.curriculum).name == "order"
    answer = ask(asked).answer
    assert answer.startswith("In master-curriculum's order: Attention & the transformer architecture (Phase 3")
    assert "→ MLOps fundamentals & ML pipelines (Phase 4" in answer
