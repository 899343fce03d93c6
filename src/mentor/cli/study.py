"""The study commands of `mentor`: `quiz` (a knowledge check) and `review` (what is due for
spaced review).

`mentor quiz` asks on the terminal, one question at a time, reading the option's number from
stdin; each answer is graded at once with the passage shown, and a passed check ends with the
proposal to apply (`mentor progress apply ID`). The right option is never printed before the
answer. `mentor quiz --json` asks nothing: it prints the quiz with its answers and citations
(`{"quiz", "questions": [{"id", "topic", "question", "options", "answer", "citation"}]}`), for
tools, and the quiz stays stored, so the API can grade it. Not here: any rule about questions,
grading or scheduling (`mentor.learning.quiz`, `mentor.learning.review`).
"""

from __future__ import annotations

import argparse
import json

from mentor.cli.learn import learner
from mentor.cli.options import int_between
from mentor.deps import Deps
from mentor.learning import review
from mentor.learning.quiz import session
from mentor.learning.quiz.session import MAX_QUESTIONS


def _print_json(data) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def cmd_quiz(deps: Deps, args) -> int:
    user = learner(deps, args)
    made = session.start_quiz(deps, user, args.topic, args.n)
    if args.json:
        _print_json(made.to_dict(reveal=True))
        return 0
    right, proposals = 0, []
    questions = made.quiz.questions
    for i, q in enumerate(questions, 1):
        option = _ask(i, len(questions), q)
        if option is None:
            print("\nStopped: the answers given so far are kept.")
            break
        graded = session.answer_question(deps, user, made.quiz.id, q.id, option)
        right += graded.correct
        _print_grade(graded)
        if graded.proposal:
            proposals.append(graded.proposal)
    print(f"\n{right} of {len(questions)} right.")
    for p in proposals:
        print(f"Check passed: {p.title}. Mark it done with `mentor progress apply {p.id}`.")
    return 0


def _ask(i: int, total: int, q) -> int | None:
    """The option the learner picks (0-based), asking again until it is a number shown; None at
    the end of input or on an empty line. Only ASCII digits are a number here: int() refuses
    '²' and digit strings past 4300 characters, which isdigit() accepts."""
    print(f"\n[{i}/{total}] {q.question}")
    for n, option in enumerate(q.options, 1):
        print(f"  {n}. {option}")
    while True:
        try:
            reply = input(f"Your answer (1-{len(q.options)}): ").strip()
        except EOFError:
            return None
        if not reply:
            return None
        if reply.isascii() and reply.isdigit() and len(reply) < 4 and 1 <= int(reply) <= len(q.options):
            return int(reply) - 1
        print(f"Type a number from 1 to {len(q.options)}, or an empty line to stop.")


def _print_grade(graded: session.Graded) -> None:
    q, c = graded.question, graded.question.citation
    verdict = "Right." if graded.correct else f"Not quite: the answer is {q.answer + 1}. {q.options[q.answer]}."
    print(verdict)
    print(f"  Source: {c['title']} › {c['section']} (lines {c['lines'][0]}-{c['lines'][1]}):")
    for line in c["quote"].splitlines():
        print(f"    {line.strip()}")


def cmd_review(deps: Deps, args) -> int:
    due = review.due_reviews(deps, learner(deps, args))
    if args.json:
        _print_json(due.to_dict())
        return 0
    if not due.due:
        coming = sorted(review.schedule(deps, learner(deps, args)), key=lambda r: (r.due.date(), -r.dependents))
        if coming:
            first = coming[0]
            print(f"Nothing is due for review. Next: {first.title} on {first.due:%Y-%m-%d}.")
        else:
            print("Nothing is due for review. Topics come back here some days after you mark them done.")
        return 0
    print("Due for review (most depended-on first):")
    for r in due.due:
        print(f"  {r.title} [{r.topic}], due {r.due:%Y-%m-%d %H:%M}, {r.dependents} topics depend on it")
    print("Check yourself with `mentor quiz --topic TOPIC`.")
    return 0


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    user = argparse.ArgumentParser(add_help=False)
    user.add_argument("--user", help="learner name (MENTOR_USER, default 'me')")

    p = sub.add_parser("quiz", parents=[common, user], help="a knowledge check made from the roadmaps")
    p.add_argument("--topic", help="a topic (free text); default: your own topics first")
    p.add_argument("--n", type=int_between(1, MAX_QUESTIONS), default=5, help=f"questions (1-{MAX_QUESTIONS})")
    p.add_argument("--json", action="store_true", help="print the quiz with its answers instead of asking")
    p.set_defaults(func=cmd_quiz, deps=True)

    p = sub.add_parser("review", parents=[common, user], help="topics due for spaced review")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_review, deps=True)
