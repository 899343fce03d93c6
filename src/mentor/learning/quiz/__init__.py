"""Knowledge checks: multiple-choice questions made offline from the roadmaps and the curriculum
graph (never from invented facts), each citing its passage and checked to have exactly one right
option before it is shown; quizzes graded at once, with a passed check proposed as done through
the proposal-and-confirm path.

- `lines`: the roadmaps' list items, "name – purpose" lines, and a line index for the checks
- `questions`: the question and its JSON shape
- `kinds`: the four kinds of question (gap, before, library, not part of) and their distractors
- `checks`: exactly one right option, according to the corpus
- `storage`: quizzes and answers in the progress database (migration 005)
- `session`: the use cases (make a quiz, grade an answer, propose a passed topic)
- `open`: with a language model, open answers graded against the cited passage

Not here: spaced review (`mentor.learning.review`), front ends, the evaluation's own checker
(`mentor.evaluation.quizcheck`).
"""
