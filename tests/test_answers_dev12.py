"""Found by answers_dev12 and answers_dev11 (tuned on from this stop): questions answered from the roadmap
they name and from what the roadmaps ask for. Yes/no: a part of something, not all of it
(`offline/portion.py`), one thing in place of another, and a roadmap's own order (`offline/verdicts.py`)."""

from __future__ import annotations


def test_the_whole_of_something_is_a_no_where_a_roadmap_asks_for_part_of_it(ask):
    answer = ask("do i have to watch the whole kudvenkat sql playlist in the 6 month plan? it's huge").answer
    assert answer.startswith("No: six-month-weekly asks for only part of it, not all of it.")
    assert "(watch first 12 videos)" in answer.splitlines()[1]


def test_all_of_it_is_the_whole_the_message_names(ask):
    """'… the whole kudvenkat sql playlist, do i have to watch all of it?': "it" is the SQL playlist; "both" after
    "xgboost or lightgbm" is those two, not the "ml" of "the intermediate ML part"."""
    answer = ask("i don't want to sit through the whole kudvenkat sql playlist, do i have to watch all of it?").answer
    assert answer.startswith("No: six-month-weekly asks for only part of it, not all of it.")
    answer = ask("xgboost or lightgbm, do I need both for the intermediate ML part?").answer
    assert answer.startswith("No: the roadmaps mark it as optional") and "first 14" not in answer


def test_both_of_two_is_a_no_where_a_roadmap_has_you_choose(ask):
    answer = ask("for the domain practice stage, am i expected to do both computer vision and nlp?").answer
    assert answer.startswith("No: zero-to-llm-phases asks for a choice among them, not all of it.")
    assert '"Choose 1-2 tracks like CV/NLP and build demo-ready projects."' in answer
    # a heading says it: named in the verdict, and the lines under it quoted (never the heading)
    answer = ask("do i have to learn both tensorflow and pytorch in the master curriculum").answer
    assert answer.startswith(
        "No: master-curriculum asks for a choice among them, not all of it: "
        "Deep Learning Frameworks (Choosing one or two to focus on)."
    )


def test_a_part_of_something_else_is_no_verdict_on_the_whole_asked_about(ask):
    """'A whole calculus course before my first ml algorithm': the ML playlist's "(first 17)" is about
    ML, not calculus; the verdict is the maths rule's."""
    answer = ask("do i really have to get through a whole calculus course before my first ml algorithm??").answer
    assert "asks for only part" not in answer and answer.startswith("No: the roadmaps treat maths")
    answer = ask("should i learn both docker and kubernetes?").answer  # no roadmap asks for part: no such no
    assert "asks for" not in answer.splitlines()[0]


def test_one_in_place_of_another_is_a_yes_where_a_roadmap_lets_you_pick(ask):
    answer = ask("can i use keras instead of pytorch in the zero to llm roadmap?").answer
    assert answer.startswith("Yes: zero-to-llm-phases lets you pick either of them.")
    assert 'Framework: "Pick PyTorch or Keras and understand tensors, autograd, and DataLoader flow."' in answer
    answer = ask("can i pick keras instead of pytorch in the libraries roadmap? keras looks easier").answer
    assert answer.startswith("Yes: libraries-and-math lets you pick either of them.")
    assert '"Option A – TensorFlow/Keras (Beginner Friendly)"' in answer
    # the roadmap named offers no such choice: no such yes
    answer = ask("can i use keras instead of pytorch in the learning algorithm?").answer
    assert "lets you pick" not in answer


def test_a_roadmaps_own_order_answers_whether_it_puts_one_before_the_other(ask):
    answer = ask("does the master curriculum put deep learning before the classical ml algorithms?").answer
    assert answer.startswith(
        "No: master-curriculum has Machine learning fundamentals first, in Phase 2: The Core - Machine Learning"
    )
    assert "Neural networks & deep learning theory comes after, in Phase 3: The Depth - Deep Learning." in answer
    answer = ask("does the six month plan put numpy after sql?").answer  # "after": the other way round
    assert answer.startswith("Yes: six-month-weekly has SQL & relational databases in Week 5, 6: SQL Basics, before")
    # the learner's own order is the graph's question, not the roadmap's listing
    answer = ask("in the six month plan, should i do sql before numpy?").answer
    assert answer.startswith("No: SQL & relational databases is independent in the roadmaps")


def test_whether_a_topic_can_wait_or_start_now_opens_with_yes_or_no(ask):
    """'Any time', 'whenever I want': yes for what the dependency-correct roadmap marks independent, no for what
    builds on something; 'can I start X now?' is a readiness question (a yes/no opening a sentence after a place
    name too: "in the learning algorithm can i …")."""
    answer = ask("in the learning algorithm can i learn sql whenever i want or does it need to wait till later").answer
    assert answer.startswith(
        'Yes: SQL & relational databases is independent in the roadmaps (learning-algorithm: "Step 0.4 [I]: '
    )
    assert ask("can i learn git any time?").answer.startswith("Yes: Version control with Git & GitHub has no prereq")
    assert ask("can i learn pytorch whenever i want?").answer.startswith("No: PyTorch (tensors")
    assert ask("can i start the hands-on ml book now?").answer.startswith("No: Hands-On Machine Learning book comes")


def test_a_which_question_naming_one_roadmap_lists_from_that_roadmap(ask):
    """'… what pieces does the llm roadmap tell me to learn?': its Phase 4, not the master curriculum's ML
    Pipelines section, whose heading shares the word "pipeline"."""
    answer = ask("for building a rag pipeline, what pieces does the llm roadmap tell me to learn?")
    assert answer.answer.startswith("Under Phase 4 - LLM and Agents, the roadmaps list ")
    assert {c.doc for c in answer.citations} == {"zero-to-llm-phases"}


def test_how_long_a_week_takes_says_how_much_of_its_material(ask):
    """The six-month plan's weeks under a sub-heading ("Week 5, 6 › SQL Basics") are found by it, and the line
    saying how much to watch is quoted; "level 2" is not Level 1's week."""
    answer = ask("how long am i supposed to spend on sql in the weekly roadmap?").answer
    assert answer.startswith("The six-month plan gives it 2 weeks (weeks 5-6).")
    assert "(watch first 12 videos)" in answer
    answer = ask("how long is the level 2 coding tutorials part?").answer
    assert answer.startswith("The six-month plan gives it 2 weeks (weeks 7-8).")
    assert "(tutorial # 15 to # 27)" in answer


def test_a_background_asks_what_to_skim_or_which_part_is_theirs(ask):
    """'Which part can I mostly skim?': the sections covering what they work with; 'which part of <roadmap> is
    for me?' with a goal ("… and want to move into llm apps and agents"): that roadmap's part for it."""
    answer = ask(
        "been a software engineer for years, testing and clean code are my day job. which part of the curriculum "
        "can i mostly skim?"
    ).answer
    assert answer.startswith(
        "You can skim what you already work with: master-curriculum's Phase 5: The Craft - Software Engineering"
    )
    answer = ask(
        "i already use sklearn and pytorch at work and want to move into llm apps and agents. which part of the "
        "zero to llm roadmap is for me?"
    ).answer
    assert answer.startswith("For LLM agents, zero-to-llm-phases has Phase 4 - LLM and Agents.")
    assert 'Agent Systems: "Planning, tools, memory, and defenses against hallucination/prompt injection."' in answer


def test_what_is_a_part_of_a_broader_topic_is_placed_where_the_roadmaps_list_it(ask):
    """'What is a confusion matrix?' names Evaluation metrics by an alias: the line with those words and its
    section say more than the broader topic's card; the whole name of a topic keeps the topic's answer."""
    answer = ask("what is a confusion matrix?").answer
    assert answer.startswith('The roadmaps list "Confusion Matrix" rather than explain it: master-curriculum has it')
    assert "8.2 Evaluation Metrics for Classification, part of Evaluation metrics." in answer
    answer = ask("what is the central limit theorem?").answer  # "- Central Limit Theorem (CLT)" is an item
    assert answer.startswith('The roadmaps list "Central Limit Theorem" rather than explain it: libraries-and-math')
    assert ask("explain the bias-variance tradeoff").answer.startswith("The roadmaps list Bias-variance tradeoff (")
    # a label over its own line is no place: "what goes into building agent systems" keeps the topic's answer
    assert 'Agent Systems: "Planning' in ask("what goes into building agent systems").answer


def test_a_comparison_with_one_side_in_a_longer_question_explains_that_side(ask):
    """'… is it the same thing as fine tuning': "it" is no side; the question is about alignment, answered
    from where the roadmaps list it, not with "compare it with what?" (kept for a bare "vs docker")."""
    answer = ask("what is 'alignment' in the llm basics bit? is it the same thing as fine tuning").answer
    assert "with what?" not in answer
    assert 'LLM Basics: "Attention intuition, pretraining/fine-tuning/alignment concepts, context limits."' in answer
    assert ask("vs docker").answer.startswith("Compare docker with what?")


def test_a_step_named_only_by_its_tag_is_named_by_its_label_line(ask):
    answer = ask("what's phase 5 about in the dependency-correct roadmap?").answer
    assert "Step 5.3 [D]: Deploy full ML system (Data →, Train →, Save →, API →)." in answer


def test_a_kind_of_resource_wanted_in_a_statement_is_asked_for_by_the_question_after_it(ask):
    """'I want an actual course for neural nets, not just docs. anything linked for that?': a course (not the
    docs it sets aside), though the question sentence names neither."""
    answer = ask("i want an actual course for neural nets, not just docs. anything linked for that?").answer
    assert answer.startswith("The roadmaps point to this course for Neural networks")
    assert '"fast.ai course"' in answer


def test_whether_a_roadmap_makes_you_job_ready_is_no_with_what_it_says_it_takes(ask):
    answer = ask("will i be job ready as an ml engineer right after finishing the 6 month plan?").answer
    assert answer.startswith("No, not by itself: six-month-weekly says what it takes beyond it.")
    assert "you need to work on many projects and acquire additional knowledge" in answer
    answer = ask("if i finish the whole weekly roadmap am i job-ready as an ml engineer or is there more after?").answer
    assert answer.startswith("No, not by itself")
    answer = ask("will the learning algorithm get me hired?").answer  # it says nothing of it: which one does
    assert answer.startswith("learning-algorithm does not say; six-month-weekly says its own plan is not enough")


def test_the_review_s_counter_examples_keep_their_answers(ask):
    """An independent attack on this stop's change found these; each is kept from coming back."""
    # the last item of a bulleted list is no label of what follows it
    assert '- "ISLR" [1]' in ask("is ISLR mentioned anywhere?").answer.splitlines()
    assert '"Docker"' in ask("does the 6 month plan teach docker?").answer
    # "both" needs a choice naming both; "the whole …" a first-few line of that resource
    for question in (
        "do i need both sql and python?",
        "do i need both numpy and pandas?",
        "do i have to watch the whole deep learning playlist?",
        "is the whole sql section required?",
        "do i need to watch the entire numpy playlist?",
    ):
        assert "asks for" not in ask(question).answer.splitlines()[0], question
    # being hired: only after finishing a plan, not whether a topic is needed for it
    assert not ask("do i need sql to get hired?").answer.startswith("No, not by itself")
    # a roadmap's "use" / "tell me", with a roadmap as the subject only
    assert not ask("does pytorch use gpus?").answer.startswith("No: I can't find")
    # a which-question after "for my goal …" or "in the master curriculum …" is no yes/no
    assert not ask("for my goal of nlp which topics do i need before transformers?").answer.startswith("Yes")
    # what a coverage question is for is not what it asks about, but "X for Y" keeps X
    assert ask("does the 6 month plan include practice for sql?").answer.startswith("Yes: six-month-weekly has sql")
    # a message all in capitals names no acronym
    assert 'list "start"' not in ask("WHAT IS THE BEST WAY TO START?").answer
    # a roadmap's order asked with "have … before": its order, not whether it has them
    assert ask("does the master curriculum have statistics before linear algebra?").answer.startswith(
        "No: master-curriculum has Linear algebra for ML first"
    )


def test_a_section_named_under_an_optional_tier_is_a_no_that_says_where(ask):
    """'Is numerical methods needed?' names no topic (only the "ml" it is for): the section its words name stands
    under "Nice-to-Have (…Not Required to Start)", which gives the no, and the answer says where."""
    answer = ask("is numerical methods needed for ml?").answer
    assert answer.startswith(
        "No: the roadmaps mark it as nice-to-have, not something you must do now (libraries-and-math lists it under "
        "Nice-to-Have (Advanced/Helpful but Not Required to Start) > Numerical Methods)."
    )
    assert ask("is python needed for ml?").answer.startswith("Yes: the roadmaps include Python fundamentals")


def test_a_requirement_no_roadmap_mentions_is_a_no_that_says_so(ask):
    """'Do I need a PhD for ML?': no line of any roadmap has "phd"; the "ml" it is for is context. A typo of a
    topic ("pyhton") is no such word."""
    assert ask("do i need a phd for ml?").answer.startswith(
        "No: none of the roadmaps mentions phd, so none of them asks for it;"
    )
    assert ask("is a mac required?").answer.startswith("No: none of the roadmaps mentions mac")
    assert "none of the roadmaps mentions" not in ask("do i need pyhton for ml?").answer
    assert ask("do i need kaggle?").answer.startswith("Yes")  # in the roadmaps: their verdict
